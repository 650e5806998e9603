"""The command line: help, version, refusing to draw into nothing, export and import."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__
from app.cli import main
from app.models import Colleague, Contact, Ritual, RitualEntry, now
from app.storage import Store

ROOT = Path(__file__).resolve().parents[1]


def run_tend(*args: str, env: dict[str, str] | None = None, stdin=subprocess.DEVNULL) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"tend {__version__}"


def test_help_lists_every_screen_and_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for word in ["today", "scan", "breathe", "colleagues", "rituals", "export", "import", "--data", "--version", "TEND_DATA_DIR"]:
        assert word in out


def test_without_a_terminal_it_says_so_in_one_line_and_exits_2(tmp_path: Path) -> None:
    result = run_tend("--data", str(tmp_path / "d"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "terminal" in result.stderr
    assert not (tmp_path / "d").exists()  # nothing created either


def test_a_dumb_terminal_is_refused_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TERM", "dumb")
    assert main(["--data", str(tmp_path / "d"), "rituals"]) == 2
    err = capsys.readouterr().err
    assert "dumb" in err and "'tend status'" in err and "'tend scan --plain'" in err  # what works there
    assert main(["--data", str(tmp_path / "d"), "breathe"]) == 2
    err = capsys.readouterr().err
    assert "'tend breathe --plain' does the same line by line" in err
    assert not (tmp_path / "d").exists()


def test_bad_options_get_a_clear_message(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["scan", "--guided", "--seconds", "0", "--data", str(tmp_path)]) == 2
    assert "--seconds" in capsys.readouterr().err


def seed(store: Store) -> None:
    ann = store.add(Colleague(name="Ann [/]", reach=["ann@example.org"], notes="prefers mornings\nnot Fridays"))
    store.add(Contact(colleague_id=ann.id, when=now(), kind="walk", note="=SUM(A1)"))  # type: ignore[arg-type]
    ritual = store.add(Ritual(name="Supervision", colleague_ids=[ann.id]))  # type: ignore[list-item]
    store.add(RitualEntry(ritual_id=ritual.id, day=now().date()))  # type: ignore[arg-type]


def test_export_import_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = Store.open(tmp_path / "one")
    seed(source)
    out = tmp_path / "all.json"
    assert main(["export", "--data", str(tmp_path / "one"), "--out", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    document = json.loads(out.read_text())
    assert document["schema"] == 1

    # Into a store that already has someone: ids are renumbered and links follow.
    target = Store.open(tmp_path / "two")
    target.add(Colleague(name="Ben"))
    assert main(["import", "--data", str(tmp_path / "two"), str(out)]) == 0
    assert "Added 4 entries" in capsys.readouterr().out
    ann = next(c for c in target.all(Colleague) if c.name == "Ann [/]")
    assert ann.id == 2
    assert [c.colleague_id for c in target.all(Contact)] == [2]
    assert target.all(Ritual)[0].colleague_ids == [2]
    assert target.all(RitualEntry)[0].ritual_id == target.all(Ritual)[0].id
    assert ann.notes == "prefers mornings\nnot Fridays"

    # Importing the same file again changes nothing.
    assert main(["import", "--data", str(tmp_path / "two"), str(out)]) == 0
    assert "4 already here" in capsys.readouterr().out
    assert len(target.all(Colleague)) == 2


def test_export_takes_the_file_as_import_does_or_as_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``tend export FILE`` (as ``tend import FILE``) and ``--out FILE`` write the same; no
    place, or two different ones, is a usage error that writes nothing and opens no folder."""
    seed(Store.open(tmp_path / "d"))
    data = ["--data", str(tmp_path / "d")]
    assert main(["export", *data, str(tmp_path / "a.json")]) == 0
    assert main(["export", *data, "--out", str(tmp_path / "b.json")]) == 0
    assert main(["export", *data, str(tmp_path / "c.vcf"), "--out", str(tmp_path / "c.vcf")]) == 0
    capsys.readouterr()
    a, b = (json.loads((tmp_path / name).read_text()) for name in ("a.json", "b.json"))
    assert a["data"] == b["data"] and a["data"]["colleagues"]
    assert (tmp_path / "c.vcf").read_text().startswith("BEGIN:VCARD")
    assert main(["export", "--data", str(tmp_path / "none")]) == 2
    assert "say where to write" in capsys.readouterr().err
    assert main(["export", *data, str(tmp_path / "x.json"), "--out", str(tmp_path / "y.json")]) == 2
    assert "two places to write" in capsys.readouterr().err
    assert not (tmp_path / "none").exists() and not list(tmp_path.glob("[xy].json"))


def test_export_never_overwrites_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "all.json"
    out.write_text("mine")
    assert main(["export", "--data", str(tmp_path / "d"), "--out", str(out)]) == 1
    assert "--force" in capsys.readouterr().err
    assert out.read_text() == "mine"
    assert main(["export", "--data", str(tmp_path / "d"), "--out", str(out), "--force"]) == 0
    assert json.loads(out.read_text())["tend_export"] == 1


@pytest.mark.parametrize("target", ["tend.json", "tend.json.bak", "history/x.json", ".", "sheets", "link/tend.json"])
def test_an_export_into_the_data_folder_is_refused_even_with_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    """'tend export <data folder>/tend.json --force' put an export (another format) in the
    place of the data file; the same for its backup or a history file. Nothing is written
    inside the folder, however the path is spelled (a symbolic link to it too)."""
    data = tmp_path / "data"
    seed(Store.open(data))
    Store.open(data)  # a second open writes the backup, so there is one to keep
    (tmp_path / "link").symlink_to(data)
    before = {path: path.read_bytes() for path in data.rglob("*") if path.is_file()}
    out = tmp_path / target if target.startswith("link") else data / target
    fmt = ["--format", "csv"] if target == "sheets" else ["--format", "json"]
    assert main(["export", str(out), *fmt, "--force", "--data", str(data)]) == 2
    said = capsys.readouterr()
    assert said.out == "" and "Tend's own data folder" in said.err and "Choose a place outside it." in said.err
    assert {path: path.read_bytes() for path in data.rglob("*") if path.is_file()} == before
    assert main(["export", str(tmp_path / "backup.json"), "--data", str(data)]) == 0  # outside: as ever


def test_csv_export_writes_one_private_file_per_kind(tmp_path: Path) -> None:
    seed(Store.open(tmp_path / "d"))
    folder = tmp_path / "csv"
    assert main(["export", "--data", str(tmp_path / "d"), "--format", "csv", "--out", str(folder)]) == 0
    contacts = (folder / "contacts.csv").read_text()
    assert "'=SUM(A1)" in contacts  # a spreadsheet will not run it as a formula
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert {p.name for p in folder.iterdir()} >= {"colleagues.csv", "contacts.csv", "rituals.csv", "ritual_entries.csv", "scans.csv", "breathing.csv"}


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not json", "not valid JSON"),
        (b'{"hello": 1}', "not a Tend export"),
        (b'{"tend_export": 1, "schema": 99, "data": {}}', "newer Tend"),
        (b'{"tend_export": 1, "schema": 1, "data": {"colleagues": {"1": {"name": 5}}}}', "nothing was changed"),
        (b'{"tend_export": 1, "schema": 1, "data": {"colleagues": {"x": {"name": "A"}}}}', "nothing was changed"),
    ],
)
def test_bad_import_files_are_refused_and_change_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str) -> None:
    store = Store.open(tmp_path / "d")
    store.add(Colleague(name="Ann"))
    before = store.paths.database.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    assert main(["import", "--data", str(tmp_path / "d"), str(bad)]) == 1
    assert message in capsys.readouterr().err
    assert store.paths.database.read_bytes() == before


def test_importing_tends_csv_or_calendar_export_says_what_import_takes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A helper who exported CSV (a folder) or a calendar tries to bring it back: the refusal
    says what those files are for and what import does take, and changes nothing."""
    data = tmp_path / "d"
    seed(Store.open(data))
    assert main(["export", str(tmp_path / "sheets"), "--format", "csv", "--data", str(data)]) == 0
    assert main(["export", str(tmp_path / "rituals.ics"), "--data", str(data)]) == 0
    capsys.readouterr()
    before = (data / "tend.json").read_bytes()
    for given, says in ((tmp_path / "sheets", "is a folder, not a file."),
                        (tmp_path / "sheets" / "colleagues.csv", "is a CSV file, for a spreadsheet to read."),
                        (tmp_path / "rituals.ics", "is a calendar file, for a calendar to read.")):  # fmt: skip
        assert main(["import", str(given), "--data", str(data)]) == 1
        err = capsys.readouterr().err
        assert says in err and "Tend imports its own JSON exports (made with 'tend export FILE.json')" in err, err
    assert (data / "tend.json").read_bytes() == before


def test_imported_text_is_cleaned(tmp_path: Path) -> None:
    document = {"tend_export": 1, "schema": 1, "data": {"colleagues": {"1": {"name": "\x1b]0;owned\x07Ann\u202e", "notes": "\x1b[2Jhi"}}}}
    path = tmp_path / "in.json"
    path.write_text(json.dumps(document))
    assert main(["import", "--data", str(tmp_path / "d"), str(path)]) == 0
    [ann] = Store.open(tmp_path / "d").all(Colleague)
    assert (ann.name, ann.notes) == ("Ann", "hi")


def test_data_dir_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEND_DATA_DIR", str(tmp_path / "env"))
    assert main(["export", "--out", str(tmp_path / "x.json")]) == 0
    assert (tmp_path / "env" / "tend.json").exists()


@pytest.mark.parametrize("given", ["tend-data", "./notes/tend"])
def test_a_relative_data_dir_in_the_environment_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], given: str
) -> None:
    """TEND_DATA_DIR=tend-data in a shell's profile put the data wherever Tend was started, so
    it seemed empty from any other folder. --data on the command line is still read from
    where it is typed, as a path always is."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEND_DATA_DIR", given)
    assert main(["done", "walk"]) == 2
    err = capsys.readouterr().err
    assert f"TEND_DATA_DIR is '{Path(given)}'" in err and "Give the whole path, like ~/" in err
    assert list(tmp_path.iterdir()) == []  # nothing made
    assert main(["--data", "here", "export", str(tmp_path / "x.json")]) == 0
    assert (tmp_path / "here" / "tend.json").exists()


def test_python_dash_m_app_works() -> None:
    result = run_tend("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"tend {__version__}"


@pytest.mark.parametrize("name", ["out.json", "out.vcf", "out.csv"])
def test_an_export_short_of_a_record_tend_cannot_read_says_so_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    import json

    from app.models import Colleague
    from app.storage import Store

    data = tmp_path / "data"
    store = Store.open(data)
    store.add(Colleague(name="Dana"))
    store.add(Colleague(name="Sam"))
    raw = json.loads((data / "tend.json").read_bytes())
    raw["colleagues"]["1"]["name"] = 12345  # a hand edit Tend cannot read as a name
    (data / "tend.json").write_bytes(json.dumps(raw).encode())
    assert main(["export", "--data", str(data), "--out", str(tmp_path / name)]) == 1  # a backup script notices
    said = capsys.readouterr()
    assert "Saved" in said.out  # what could be read is written...
    assert "1 entry Tend could not read was left out of that export; it stays as it is in your data" in said.err
    assert json.loads((data / "tend.json").read_bytes())["colleagues"]["1"]["name"] == 12345  # ...and nothing changed


@pytest.mark.parametrize("command", [["status"], ["import", "x.vcf"], ["export", "--out", "x.json"], ["done", "Walk"]])
def test_an_empty_data_folder_name_is_refused_not_taken_for_the_usual_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    assert main(["--data", "", *command]) == 2
    assert "--data was given no folder" in capsys.readouterr().err
    assert not (tmp_path / "xdg").exists()  # nothing was made in the usual place
