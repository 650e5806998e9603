"""`tend status`: the line, --format, the JSON schema and states; it never imports Textual,
never writes or locks, and says nothing at all before there is any data."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import pendulum
import pytest

from app.cli import main
from app.cli_status import FIELDS as HELP_FIELDS
from app.models import BodyScan, Colleague, Contact, Ritual, RitualEntry
from app.next_session import set_next
from app.status import FIELDS, RITUAL_STATES
from app.storage import Store

ROOT = Path(__file__).resolve().parents[1]


def run(*argv: str) -> int:
    return main(list(argv))


def seed(data_dir: Path) -> Store:
    """At the frozen Wednesday 2026-11-25 14:30: one ritual in each state, two people due."""
    store = Store.open(data_dir)
    created = pendulum.datetime(2026, 10, 1, 9, tz="UTC")
    walk = store.add(Ritual(name="Walk at lunch", schedule={"kind": "daily"}, created=created))
    store.add(Ritual(name="Journal", schedule={"kind": "days_of_week", "weekdays": [1]}, created=created))  # Tuesdays
    stretch = store.add(Ritual(name="Stretch", schedule={"kind": "daily"}, created=created))
    store.add(RitualEntry(ritual_id=stretch.id or 0, day=pendulum.date(2026, 11, 25), status="done"))
    reading = store.add(Ritual(name="Reading group", schedule={"kind": "days_of_week", "weekdays": [4]}, created=created))  # Fridays
    for day in (6, 13, 20):
        store.add(RitualEntry(ritual_id=reading.id or 0, day=pendulum.date(2026, 11, day), status="done"))
    store.add(Ritual(name="Course", schedule={"kind": "daily", "end": "2026-11-01"}, created=created))
    store.add(Ritual(name="Put away", schedule={"kind": "daily"}, archived=True, created=created))
    store.add(Ritual(name="Team lunch", schedule={"kind": "daily"}, created=created,
                     pauses=[[pendulum.date(2026, 11, 20), pendulum.date(2026, 12, 4)]]))  # on leave: not due
    for day in range(1, 25):  # walked every day but today
        store.add(RitualEntry(ritual_id=walk.id or 0, day=pendulum.date(2026, 11, day), status="done"))
    dana = store.add(Colleague(name="Dana Okafor", ideal_days=7, created=created))
    store.add(Contact(colleague_id=dana.id or 0, when=pendulum.datetime(2026, 11, 15, 10, tz="UTC")))
    store.add(Colleague(name="Ben Silva", ideal_days=7, created=created))  # never in touch: due
    eli = store.add(Colleague(name="Eli", ideal_days=30, created=created))
    store.add(Contact(colleague_id=eli.id or 0, when=pendulum.datetime(2026, 11, 24, 10, tz="UTC")))
    store.add(BodyScan(when=pendulum.datetime(2026, 11, 24, 17, 5, tz="UTC"), ratings={"jaw": 1}))
    set_next(store, pendulum.datetime(2026, 11, 25, 14, 50, tz="UTC"))
    return store


def test_the_line_says_what_needs_you(data_dir, frozen, capsys) -> None:
    seed(data_dir)
    assert run("status", "--data", str(data_dir)) == 0
    # Journal (Tuesday) is overdue and Walk due; Dana is past her week (first), Ben never reached.
    assert capsys.readouterr().out == "2 due · Dana +1 · next 14:50 (20m)\n"


def test_the_same_through_the_full_parser(data_dir, frozen, capsys) -> None:
    seed(data_dir)
    assert run("--data", str(data_dir), "status") == 0
    assert capsys.readouterr().out == "2 due · Dana +1 · next 14:50 (20m)\n"


def test_nothing_to_say_prints_nothing(data_dir, frozen, capsys) -> None:
    Store.open(data_dir).add(Ritual(name="Stretch", schedule={"kind": "days_of_week", "weekdays": [4]}))
    assert run("status", "--data", str(data_dir)) == 0
    assert capsys.readouterr() == ("", "")


def test_format_fills_named_fields(data_dir, frozen, capsys) -> None:
    seed(data_dir)
    assert run("status", "--data", str(data_dir), "--format", "{due}/{overdue} [{rituals}] {colleagues}; {next} in {left}") == 0
    assert capsys.readouterr().out == "2/1 [Journal, Walk at lunch] Dana, Ben; 14:50 in 20m\n"


@pytest.mark.parametrize("bad", ["{nope}", "{due.__class__}", "{due[0]}", "{due!r}", "{due:>9}", "{due", "}"])
def test_a_format_tend_cannot_fill_is_a_usage_error(data_dir, frozen, capsys, bad) -> None:
    seed(data_dir)
    assert run("status", "--data", str(data_dir), "--format", bad) == 2
    out, err = capsys.readouterr()
    assert out == "" and "--format" in err and "Traceback" not in err


def test_help_lists_every_field() -> None:
    assert HELP_FIELDS == FIELDS


def test_json_has_the_documented_schema_and_states(data_dir, frozen, capsys) -> None:
    seed(data_dir)
    assert run("status", "--json", "--data", str(data_dir)) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"rituals", "colleagues", "next_session", "last_scan"} <= set(data)
    rituals = {r["name"]: r for r in data["rituals"]}
    assert all({"name", "state", "next_due"} <= set(r) for r in data["rituals"])
    assert {r["state"] for r in data["rituals"]} <= set(RITUAL_STATES)
    assert {name: r["state"] for name, r in rituals.items()} == {
        "Walk at lunch": "due", "Journal": "overdue", "Stretch": "done", "Reading group": "upcoming", "Course": "done",
        "Team lunch": "paused",
    }  # fmt: skip  (the archived ritual is not listed)
    assert rituals["Walk at lunch"]["next_due"] == "2026-11-25"
    assert rituals["Reading group"]["next_due"] == "2026-11-27"
    assert rituals["Course"]["next_due"] is None
    people = {c["name"]: c for c in data["colleagues"]}
    assert all({"name", "state", "days_since"} <= set(c) for c in data["colleagues"])
    assert people["Dana Okafor"]["state"] == "due" and people["Dana Okafor"]["days_since"] == 10
    assert people["Ben Silva"]["days_since"] is None
    assert people["Eli"]["state"] == "on_track" and people["Eli"]["days_since"] == 1
    assert pendulum.parse(data["next_session"]) == pendulum.datetime(2026, 11, 25, 14, 50, tz="UTC")
    assert pendulum.parse(data["last_scan"]) == pendulum.datetime(2026, 11, 24, 17, 5, tz="UTC")


def test_json_with_no_records_is_empty_lists_and_nulls(data_dir, frozen, capsys) -> None:
    Store.open(data_dir)
    assert run("status", "--json", "--data", str(data_dir)) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["rituals"], data["colleagues"], data["next_session"], data["last_scan"]) == ([], [], None, None)


def test_a_past_session_is_not_shown(data_dir, frozen, capsys) -> None:
    store = seed(data_dir)
    set_next(store, pendulum.datetime(2026, 11, 25, 14, 0, tz="UTC"))
    assert run("status", "--data", str(data_dir)) == 0
    assert capsys.readouterr().out == "2 due · Dana +1\n"


def test_tmux_gets_its_hash_doubled(data_dir, frozen, capsys) -> None:
    store = Store.open(data_dir)
    store.add(Colleague(name="#[fg=red]#(reboot)", ideal_days=1, want_to_reach_now=True))
    assert run("status", "--tmux", "--data", str(data_dir)) == 0
    assert capsys.readouterr().out == "##[fg=red]##(reboot)\n"


def test_names_with_escape_codes_reach_the_terminal_clean(data_dir, frozen, capsys) -> None:
    store = Store.open(data_dir)
    raw = json.loads((data_dir / "tend.json").read_text())
    raw["colleagues"] = {"1": {"name": "Ann\x1b]0;owned\x07\u202e", "ideal_days": 1, "created": "2026-01-01T00:00:00+00:00"}}
    (data_dir / "tend.json").write_text(json.dumps(raw))
    del store
    assert run("status", "--data", str(data_dir)) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out and out.startswith("Ann")


def test_an_ascii_terminal_gets_ascii(data_dir, frozen, capsys, monkeypatch) -> None:
    seed(data_dir)
    monkeypatch.setenv("TEND_ASCII", "1")
    from app.glyphs import use_unicode

    use_unicode.cache_clear()
    try:
        assert run("status", "--data", str(data_dir)) == 0
    finally:
        use_unicode.cache_clear()
    assert capsys.readouterr().out == "2 due - Dana +1 - next 14:50 (20m)\n"


# --------------------------------------------------------------------------- in a process of its own


def _tend(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "app", *argv], capture_output=True, text=True, env=environ, timeout=60, check=False)


def test_no_folder_yet_means_no_output_at_all_and_no_folder(tmp_path) -> None:
    missing = tmp_path / "not-yet"
    for argv in (("status",), ("status", "--json"), ("status", "--format", "{due}")):
        done = _tend(*argv, "--data", str(missing))
        assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    done = _tend("status", env={"TEND_DATA_DIR": str(missing)})
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert not missing.exists()


def test_status_never_imports_textual(data_dir) -> None:
    seed_at_now(data_dir)
    code = (
        "import sys; from app.cli import main; code = main(['status', '--data', sys.argv[1]]);"
        "main(['status', '--json', '--data', sys.argv[1]]);"
        "print('TEXTUAL' if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) else 'PLAIN')"
    )
    done = subprocess.run([sys.executable, "-c", code, str(data_dir)], capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("PLAIN")


def seed_at_now(data_dir: Path) -> None:
    store = Store.open(data_dir)
    store.add(Ritual(name="Walk at lunch", schedule={"kind": "daily"}))
    store.add(Colleague(name="Dana", ideal_days=1, want_to_reach_now=True))


def _listing(folder: Path) -> dict[str, tuple[int, int, int, int]]:
    return {name: ((st := os.lstat(folder / name)).st_ino, st.st_size, st.st_mtime_ns, st.st_mode) for name in os.listdir(folder)}


def test_status_takes_no_lock_and_changes_nothing(data_dir) -> None:
    seed_at_now(data_dir)
    for name in os.listdir(data_dir):  # too open: a save would tighten these, a look must not
        os.chmod(data_dir / name, 0o644)
    before = _listing(data_dir)
    with open(data_dir / "tend.lock", "rb+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another Tend in the middle of a save
        for argv in (("status",), ("status", "--json"), ("_names", "rituals")):
            done = _tend(*argv, "--data", str(data_dir), env={"TEND_LOCK_WAIT": "0"})
            assert done.returncode == 0 and done.stderr == "", done.stderr
            assert "Walk at lunch" in done.stdout or "1 due" in done.stdout
    assert _listing(data_dir) == before


def test_a_look_keeps_to_the_file_it_read(data_dir) -> None:
    """One read: a save made meanwhile is not mixed in (the next look sees it whole)."""
    seed_at_now(data_dir)
    look = Store.open_to_read(data_dir)
    assert look is not None
    Store.open(data_dir).add(Ritual(name="Later"))
    assert [r.name for r in look.all(Ritual)] == ["Walk at lunch"]
    again = Store.open_to_read(data_dir)
    assert again is not None and [r.name for r in again.all(Ritual)] == ["Walk at lunch", "Later"]


def test_a_look_refuses_every_change(data_dir) -> None:
    from app.storage import ReadOnlyError

    seed_at_now(data_dir)
    look = Store.open_to_read(data_dir)
    assert look is not None
    with pytest.raises(ReadOnlyError):
        look.add(Ritual(name="No"))


def test_a_data_folder_that_is_a_symlink_is_refused(tmp_path) -> None:
    real = tmp_path / "real"
    seed_at_now(real)
    link = tmp_path / "link"
    link.symlink_to(real)
    done = _tend("status", "--data", str(link))
    assert done.returncode == 1 and "symbolic link" in done.stderr and done.stdout == ""


def test_the_next_session_comes_from_the_working_pattern_and_the_config_file_first(  # type: ignore[no-untyped-def]
    data_dir, frozen, capsys, tmp_path, monkeypatch
) -> None:
    """No `n` set: the working pattern says when (at the frozen Wednesday 14:30, the next
    start on the hour is 15:00); a pattern in the config file comes first, as on Today; a
    start on another day is not on the line."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    store = Store.open(data_dir)
    store.update_settings(session_pattern="on the hour, 9 to 17, 50 minutes")
    assert run("status", "--data", str(data_dir)) == 0
    assert capsys.readouterr().out == "next 15:00 (30m)\n"
    config = tmp_path / "config" / "tend" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[sessions]\npattern = "wed 16:45"\n')
    config.chmod(0o600)
    assert run("status", "--data", str(data_dir)) == 0
    assert capsys.readouterr().out == "next 16:45 (2h15m)\n"
    config.write_text('[sessions]\npattern = "thu 9:00"\n')
    assert run("status", "--json", "--data", str(data_dir)) == 0
    assert json.loads(capsys.readouterr().out)["next_session"] is None
