"""Issue 18, the command line: export takes its format from the file name, and options that
cannot work are refused before anything opens (exit 2, one clear line)."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest

from app.cli import main
from app.models import Colleague, Ritual
from app.storage import Store


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    store = Store.open(data)
    store.add(Colleague(name="Ann"))
    store.add(Ritual(name="Supervision"))
    return data


@pytest.mark.parametrize(
    ("name", "starts_with"),
    [("cal.ics", b"BEGIN:VCALENDAR"), ("people.vcf", b"BEGIN:VCARD"), ("people.VCARD", b"BEGIN:VCARD"), ("all.json", b"{"), ("backup", b"{")],
)
def test_export_takes_the_format_from_the_extension(seeded: Path, tmp_path: Path, name: str, starts_with: bytes) -> None:
    out = tmp_path / name
    assert main(["export", "--data", str(seeded), "--out", str(out)]) == 0
    assert out.read_bytes().lstrip().startswith(starts_with)


def test_a_csv_name_gets_csv(seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "data.csv"
    assert main(["export", "--data", str(seeded), "--out", str(out)]) == 0
    assert "CSV files" in capsys.readouterr().out
    assert (out / "colleagues.csv").read_text().startswith("id,")


@pytest.mark.parametrize(("name", "fmt"), [("cal.ics", "json"), ("people.vcf", "ics"), ("all.json", "csv")])
def test_a_format_that_clashes_with_the_extension_is_refused(seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, fmt: str) -> None:
    out = tmp_path / name
    assert main(["export", "--data", str(seeded), "--out", str(out), "--format", fmt]) == 2
    err = capsys.readouterr().err
    assert f"--format {fmt}" in err and name in err
    assert not out.exists()


def test_an_unknown_extension_needs_a_format(seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "notes.txt"
    assert main(["export", "--data", str(seeded), "--out", str(out)]) == 2
    assert "--format" in capsys.readouterr().err
    assert not out.exists()
    assert main(["export", "--data", str(seeded), "--out", str(out), "--format", "json"]) == 0
    assert json.loads(out.read_text())["data"]


@pytest.mark.parametrize("option", [True, False], ids=["--out", "positional"])
@pytest.mark.parametrize("out", ["-", "", "  "])
def test_export_to_the_screen_is_refused_and_writes_no_file(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], out: str,
    option: bool,
) -> None:
    # "-" used to be taken as a file name: a private export named "-" in whatever folder
    # the helper stood in, and "Saved ... to -." as if that were what they asked for.
    monkeypatch.chdir(tmp_path)
    before = sorted(path.name for path in tmp_path.iterdir())
    assert main(["export", "--data", str(seeded), *(["--out", out] if option else [out])]) == 2
    captured = capsys.readouterr()
    assert "Give a file name" in captured.err and "Traceback" not in captured.err
    assert captured.out == ""  # nothing of the helper's data reaches the screen either
    assert sorted(path.name for path in tmp_path.iterdir()) == before


@pytest.mark.parametrize("until", ["banana", "-5m", "0m", "13:00", "25:00"])
def test_an_until_that_cannot_work_exits_2_before_anything_is_created(tmp_path: Path, capsys: pytest.CaptureFixture[str], until: str) -> None:
    data = tmp_path / "never"
    pendulum.travel_to(pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC"), freeze=True)
    try:
        assert main(["--data", str(data), f"--until={until}"]) == 2
        assert main(["today", "--data", str(data), f"--until={until}"]) == 2
    finally:
        pendulum.travel_back()
    err = capsys.readouterr().err
    assert err.count("tend: --until") == 2
    assert "Traceback" not in err
    assert not data.exists()  # nothing made for a command that cannot run


def test_today_takes_until_as_the_default_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Without a terminal both stop at the terminal check: --until itself was accepted.
    for argv in (["--until", "12m"], ["today", "--until", "12m"]):
        assert main(["--data", str(tmp_path / "d"), *argv]) == 2
        err = capsys.readouterr().err
        assert "terminal" in err and "unrecognized" not in err


def test_an_unknown_option_of_a_command_shows_that_commands_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["doctor", "--bogus"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "usage: tend doctor" in err and "--bogus" in err
