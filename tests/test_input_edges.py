"""Input at the edges (issue 21, round two): extreme dates, crafted JSON, `~name` paths,
escape codes in paths, invisible format characters. Each test fails without its fix."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest

from app.cli import main
from app.models import BodyScan, Colleague, Contact, RitualEntry
from app.storage import Store
from tests.notices import Notices

EXTREMES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"]
ZONES = ["Pacific/Kiritimati", "Etc/GMT+12"]  # +14:00 and -12:00: the far edges


@pytest.fixture(params=ZONES)
def far_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """The local time zone set to one far from UTC (where year 1 becomes year 0)."""
    before = pendulum.local_timezone()
    pendulum.set_local_timezone(pendulum.timezone(request.param))
    try:
        yield request.param
    finally:
        pendulum.set_local_timezone(before)


def export_with(path: Path, data: dict[str, Any], **extra: Any) -> Path:
    document = {"tend_export": 1, "schema": 1, "exported": "2026-11-25T14:30:00+00:00", "data": data, **extra}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def hand_edited(folder: Path, data: dict[str, Any]) -> Path:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / "tend.json"
    path.write_text(json.dumps({"_meta": {"1": {"schema": 1}}, "settings": {"1": {"welcomed": True, "starters_offered": True}}, **data}))
    os.chmod(path, 0o600)
    return path


ANN = {"name": "Ann", "created": "2026-10-01T09:00:00+00:00"}


# --------------------------------------------------------------------------- 5. extreme times


@pytest.mark.parametrize("moment", EXTREMES)
def test_an_import_with_an_extreme_time_is_refused_and_adds_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], moment: str
) -> None:
    path = export_with(tmp_path / "x.json", {
        "colleagues": {"1": ANN},
        "contacts": {"1": {"colleague_id": 1, "when": moment}},
        "scans": {"1": {"when": moment}},
    })  # fmt: skip
    assert main(["import", "--data", str(tmp_path / "d"), str(path)]) == 1
    err = capsys.readouterr().err
    assert "nothing was changed" in err and "1900 to 2200" in err and "Traceback" not in err
    assert Store.open(tmp_path / "d").all(Colleague) == []


def test_an_import_with_an_extreme_day_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = export_with(tmp_path / "x.json", {
        "rituals": {"1": {"name": "Walk"}},
        "ritual_entries": {"1": {"ritual_id": 1, "day": "0001-01-01"}},
    })  # fmt: skip
    assert main(["import", "--data", str(tmp_path / "d"), str(path)]) == 1
    assert "1900 to 2200" in capsys.readouterr().err


@pytest.mark.parametrize("moment", EXTREMES)
async def test_a_hand_edited_extreme_time_is_left_out_and_named_never_fatal(
    data_dir: Path, make_app: Any, far_zone: str, frozen: pendulum.DateTime, moment: str
) -> None:
    hand_edited(data_dir, {
        "colleagues": {"1": ANN, "2": {"name": "Bea", "created": "2026-10-01T09:00:00+00:00"}},
        "contacts": {"1": {"colleague_id": 1, "when": moment}, "2": {"colleague_id": 2, "when": "2026-11-20T10:00:00+00:00"}},
        "scans": {"1": {"when": moment}, "2": {"when": "2026-11-24T10:00:00+00:00"}},
    })  # fmt: skip
    for mode in ("today", "colleagues", "scan"):
        app = make_app(mode)
        notices = Notices()
        async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
            await pilot.pause()
            await pilot.pause()
            if mode == "colleagues":  # the card of the one with the odd contact reads its contacts
                await pilot.press("enter")
                await pilot.pause()
            said = " ".join(notices.messages())
        assert app.return_code in (None, 0)
        if mode == "today":
            assert "left out" in said.lower() and "1900 to 2200" in said
    store = Store.open(data_dir)
    assert store.left_out == {}  # nothing named before it is read
    assert [c.when.year for c in store.all(Contact)] == [2026]
    assert [s.when.year for s in store.all(BodyScan)] == [2026]
    assert set(store.left_out) == {"contacts 1", "scans 1"}


@pytest.mark.parametrize("moment", EXTREMES)
def test_the_store_never_hands_out_a_time_outside_the_years(tmp_path: Path, far_zone: str, moment: str) -> None:
    hand_edited(tmp_path / "d", {
        "contacts": {"1": {"colleague_id": 1, "when": moment}},
        "ritual_entries": {"1": {"ritual_id": 1, "day": moment[:10]}},
    })  # fmt: skip
    store = Store.open(tmp_path / "d")
    assert store.moments(Contact, "when") == []
    assert store.all(Contact) == [] and store.all(RitualEntry) == []
    assert store.between(Contact, "when", None) == []


def test_doctor_names_entries_that_do_not_fit(tmp_path: Path) -> None:
    from app.doctor import run_doctor

    hand_edited(tmp_path / "d", {
        "colleagues": {"1": ANN},
        "contacts": {"1": {"colleague_id": 1, "when": EXTREMES[0]}, "2": {"colleague_id": 1, "when": "2026-11-20T10:00:00+00:00"}},
    })  # fmt: skip
    report, code = run_doctor(tmp_path / "d", environ={"TERM": "xterm"})
    assert code == 1 and "All is well" not in report
    assert "contacts 1 (when: '0001-01-01T00:00:00+14:00' is outside the years 1900 to 2200)" in report


@pytest.mark.parametrize("text", ["0001-01-01", "0001-01-01 00:00", "9999-12-31 23:59", "1899-12-31", "2201-01-01"])
def test_typed_times_outside_the_years_are_refused_kindly(far_zone: str, frozen: pendulum.DateTime, text: str) -> None:
    from app.when import WhenError, parse_day, parse_when

    for parse in (parse_when, parse_day):
        with pytest.raises(WhenError):
            parse(text)


# --------------------------------------------------------------------------- 10. crafted JSON


def nested(depth: int, leaf: Any = 1) -> str:
    """A marker that :func:`deepen` turns into ``leaf`` inside ``depth`` arrays (json.dumps
    itself gives up long before a file has to)."""
    return f"@@{depth}@@{json.dumps(leaf)}@@"


def deepen(path: Path) -> Path:
    import re

    text = re.sub(r'"@@(\d+)@@(.*?)@@"', lambda m: "[" * int(m[1]) + json.loads(f'"{m[2]}"') + "]" * int(m[1]), path.read_text())
    path.write_text(text)
    return path


CRAFTED = {
    "a schedule 1,000 arrays deep": {"rituals": {"1": {"name": "Walk", "schedule": {"kind": "daily", "x": nested(1000)}}}},
    "sensations 500 deep": {"scans": {"1": {"when": "2026-11-24T10:00:00+00:00", "sensations": {"head": nested(500, "warm")}}}},
    "phases 900 deep": {"patterns": {"1": {"name": "Deep", "phases": [nested(900)]}}},
}


@pytest.mark.parametrize("what", CRAFTED)
def test_a_deeply_nested_import_gets_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], what: str
) -> None:
    path = deepen(export_with(tmp_path / "x.json", CRAFTED[what]))
    assert main(["import", "--data", str(tmp_path / "d"), str(path)]) == 1
    err = capsys.readouterr().err
    assert "nested too deeply" in err and "nothing was changed" in err


@pytest.mark.parametrize("what", CRAFTED)
async def test_a_deeply_nested_hand_edit_is_left_out_and_the_app_runs(data_dir: Path, make_app: Any, what: str) -> None:
    deepen(hand_edited(data_dir, CRAFTED[what]))
    for mode in ("today", "rituals", "scan", "breathe"):
        app = make_app(mode)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
        assert app.return_code in (None, 0)
    store = Store.open(data_dir)
    from app.models import RECORD_TYPES

    assert all(store.all(cls) == [] for cls in RECORD_TYPES)
    assert any("nested too deeply" in why for why in store.left_out.values())


@pytest.mark.parametrize("key", ["\u00b2", "\u0663", "\uff11", "1" * 40])
def test_an_import_id_that_is_not_ascii_digits_is_refused_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str
) -> None:
    path = export_with(tmp_path / "x.json", {"colleagues": {key: ANN}})
    assert main(["import", "--data", str(tmp_path / "d"), str(path)]) == 1
    assert "is not a whole number" in capsys.readouterr().err


@pytest.mark.parametrize("key", ["\u00b2", "\u0663"])
def test_a_data_file_with_such_an_id_is_treated_as_damaged_not_a_crash(tmp_path: Path, key: str) -> None:
    hand_edited(tmp_path / "d", {"colleagues": {key: ANN}})
    store = Store.open(tmp_path / "d")
    assert any("kept, untouched" in notice for notice in store.notices)
    store.add(Colleague(name="Cai"))  # works: no id that int() cannot read is left behind
    assert [c.name for c in store.all(Colleague)] == ["Cai"]


@pytest.mark.parametrize("schema", [True, "1", 1.0, None])
def test_a_version_mark_that_is_not_a_whole_number_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], schema: Any
) -> None:
    path = export_with(tmp_path / "x.json", {"colleagues": {"1": ANN}}, schema=schema)
    assert main(["import", "--data", str(tmp_path / "d"), str(path)]) == 1
    assert "no readable version mark" in capsys.readouterr().err
    folder = tmp_path / "e"
    hand_edited(folder, {})
    raw = json.loads((folder / "tend.json").read_text())
    raw["_meta"]["1"]["schema"] = schema
    (folder / "tend.json").write_text(json.dumps(raw))
    from app.storage import DamagedFileError, parse_database, schema_of

    with pytest.raises(DamagedFileError):
        schema_of(parse_database((folder / "tend.json").read_bytes()))


# --------------------------------------------------------------------------- 8. ~name paths

NOBODY = "~nosuchuser-of-tend"


@pytest.mark.parametrize("command", [["doctor"], ["export", "--out", "x.json"], ["colleagues"]])
def test_a_data_folder_under_an_unknown_users_home_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert main(["--data", f"{NOBODY}/tend", *command] if command == ["colleagues"] else [*command, "--data", f"{NOBODY}/tend"]) == 2
    err = capsys.readouterr().err
    assert "no user by that name" in err and NOBODY in err


def test_the_same_from_the_environment(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TEND_DATA_DIR", f"{NOBODY}/tend")
    assert main(["doctor"]) == 2
    assert "no user by that name" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["x.vcf", "x.json"])
def test_importing_a_file_under_an_unknown_users_home_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    assert main(["import", "--data", str(tmp_path / "d"), f"{NOBODY}/{name}"]) == 1
    assert "no user by that name" in capsys.readouterr().err


async def test_the_import_prompt_says_so_and_the_app_carries_on(make_app: Any) -> None:
    app = make_app("colleagues")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        for char in f"{NOBODY}/x.vcf":
            await pilot.press(char if char not in "~/." else {"~": "tilde", "/": "slash", ".": "full_stop"}[char])
        await pilot.press("enter")
        await pilot.pause()
        shown = " ".join(str(widget.render()) for widget in app.screen.query("Static"))
        assert "no user by that name" in shown
        assert app.is_running


# --------------------------------------------------------------------------- 16. escape codes in paths

PLANTED_IN_PATH = ["\x1b]0;PWNED\x07", "\x1b[?1049l", "\u202e"]
HOSTILE_FOLDER = "d" + "".join(PLANTED_IN_PATH) + "x"
RAW_PLANTED = [b"\x1b]0;PWNED", b"PWNED\x07", b"\x1b[?1049l", "\u202e".encode()]


def assert_nothing_planted(text: str) -> None:
    for planted in PLANTED_IN_PATH + ["\x1b", "\x07"]:
        assert planted not in text, f"{planted!r} was printed"


def test_the_command_line_never_prints_a_planted_sequence_from_a_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / HOSTILE_FOLDER
    # doctor before and after the folder exists, with a file too open and a damaged one
    assert main(["doctor", "--data", str(folder)]) == 0
    beside = tmp_path / (HOSTILE_FOLDER + "-out.json")  # outside the data folder, as exports must be
    assert main(["export", "--data", str(folder), "--out", str(beside)]) == 0
    assert main(["export", "--data", str(folder), "--out", str(beside)]) == 1  # exists
    assert main(["export", "--data", str(folder), "--out", str(folder / "out.json")]) == 2  # inside: refused
    os.chmod(folder / "tend.json", 0o644)
    (folder / "tend.json.damaged-20261125-143000").write_text("{")
    assert main(["doctor", "--data", str(folder)]) == 1
    assert main(["import", "--data", str(folder), str(folder / "no such.json")]) == 1
    os.chmod(folder, 0o755)
    assert main(["export", "--data", str(folder), "--out", str(tmp_path / "o.json")]) == 0  # a warning
    with pytest.raises(SystemExit):
        main([HOSTILE_FOLDER])  # argparse quotes an unknown command
    out, err = capsys.readouterr()
    assert_nothing_planted(out + err)
    assert "\\x1b]0;PWNED\\x07" in out and "\\u202e" in out  # shown, readably, as escapes
    assert "\\x1b" in err


def test_a_path_is_shown_readably() -> None:
    from app.paths import shown_path

    assert shown_path("/srv/notes/tend") == "/srv/notes/tend"
    assert shown_path("/srv/a\x1b[2Jb\u2028c\udcff") == "/srv/a\\x1b[2Jb\\u2028c\\xff"
    assert shown_path(Path.home() / "tend") == "~/tend"


@pytest.mark.slow
def test_in_a_real_terminal_the_welcome_sends_none_of_them(tmp_path: Path) -> None:
    from tests.ptyrun import PtyProcess

    folder = tmp_path / HOSTILE_FOLDER
    process = PtyProcess.tend("--data", str(folder), env={"TERM": "xterm-256color"})
    try:
        assert process.wait_for(b"Welcome to", 60), bytes(process.output)[-2000:]
        assert process.wait_for(b"PWNED", 10)  # the path is on screen...
        process.read_for(0.5)
        output = bytes(process.output)  # (before quitting: leaving the app sends CSI ?1049l itself)
    finally:
        process.kill()
    for planted in RAW_PLANTED:
        assert planted not in output, f"{planted!r} reached the terminal"
    assert b"\\x1b]0;PWNED\\x07" in output  # ...written out, not acted on


# --------------------------------------------------------------------------- 22. invisible format characters

FORMAT_CHARACTERS = ["\u2028", "\u2029", "\U000e0001", "\U000e0041", "\U000e007f", "\u0600", "\u0605", "\u115f", "\u3164"]


@pytest.mark.parametrize("char", FORMAT_CHARACTERS)
def test_invisible_format_characters_are_cleaned_and_flagged(char: str) -> None:
    import orjson

    from app.textclean import clean_text, is_clean, json_may_hold_unclean_text

    assert clean_text(f"Ann{char}Lee") in ("AnnLee", "Ann Lee")
    assert clean_text(f"Ann{char}Lee", multiline=True) in ("AnnLee", "Ann\nLee")
    assert not is_clean(f"a{char}b")
    assert json_may_hold_unclean_text(orjson.dumps({"name": f"a{char}b"}))


def test_a_line_separator_breaks_the_line_in_notes_and_is_a_space_in_names() -> None:
    from app.textclean import clean_text

    assert clean_text("Ann\u2028Lee") == "Ann Lee"
    assert clean_text("one\u2029two", multiline=True) == "one\ntwo"


def test_a_hand_edited_name_with_tag_characters_reads_clean(tmp_path: Path) -> None:
    hand_edited(tmp_path / "d", {"colleagues": {"1": {"name": "Ann\U000e0041\U000e0042\u3164\u2028Lee", "created": ANN["created"]}}})
    assert [c.name for c in Store.open(tmp_path / "d").all(Colleague)] == ["Ann Lee"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
async def test_a_hand_edited_extreme_day_or_schedule_date_never_stops_the_app(
    data_dir: Path, make_app: Any, frozen: pendulum.DateTime, day: str
) -> None:
    hand_edited(data_dir, {
        "rituals": {
            "1": {"name": "Walk", "created": "2026-10-01T09:00:00+00:00"},
            "2": {"name": "Tea", "schedule": {"kind": "daily", "start": day, "end": day}, "created": "2026-10-01T09:00:00+00:00"},
        },
        "ritual_entries": {"1": {"ritual_id": 1, "day": day, "created": "2026-10-01T09:00:00+00:00"}},
    })  # fmt: skip
    for mode in ("today", "rituals"):
        app = make_app(mode)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
        assert app.return_code in (None, 0)


async def test_a_deeply_nested_hand_edited_draft_is_let_go(data_dir: Path, make_app: Any) -> None:
    deepen(hand_edited(data_dir, {"drafts": {"1": {"key": "colleague-form", "data": {"name": "Ann\x1b[2J", "x": nested(1000)}}}}))
    app = make_app("colleagues")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
    assert app.return_code in (None, 0)
    assert Store.open(data_dir).draft("colleague-form") is None
