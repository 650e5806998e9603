"""tend doctor reports plainly and exits non-zero only when something needs attention."""

from __future__ import annotations

import os
from pathlib import Path

from app.cli import main
from app.doctor import run_doctor
from app.storage import Store

TERMINAL = {"TERM": "xterm-256color"}


def test_a_healthy_folder_is_all_well(tmp_path: Path) -> None:
    Store.open(tmp_path / "d")
    Store.open(tmp_path / "d")
    report, code = run_doctor(tmp_path / "d", environ=TERMINAL)
    assert code == 0
    assert "All is well." in report
    assert "data version 2" in report and "The backup is good" in report


def test_open_permissions_need_attention_and_fix_tightens_them(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    Store.open(folder)
    os.chmod(folder, 0o755)
    os.chmod(folder / "tend.json", 0o644)
    (folder / ".tend-left.tmp").write_text("x")
    report, code = run_doctor(folder, environ=TERMINAL)
    assert code == 1 and "0755" in report and "0644" in report and "leftover" in report
    report, code = run_doctor(folder, fix=True, environ=TERMINAL)
    assert code == 0
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert oct((folder / "tend.json").stat().st_mode & 0o777) == "0o600"
    assert not (folder / ".tend-left.tmp").exists()


def test_a_folder_of_other_things_is_named_and_fix_leaves_it_as_it_is(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    (home / "notes.txt").write_text("mine")
    for fix in (False, True):
        report, code = run_doctor(home, fix=fix, environ=TERMINAL)
        assert code == 1 and "already holds other files, and none of them are Tend's" in report
        assert "--fix' makes it private" not in report
        assert oct(home.stat().st_mode & 0o777) == "0o755" and sorted(p.name for p in home.iterdir()) == ["notes.txt"]


def test_a_damaged_file_and_a_dumb_terminal_need_attention(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    Store.open(folder)
    (folder / "tend.json").write_text("{")
    report, code = run_doctor(folder, environ={"TERM": "dumb"})
    assert code == 1
    assert "can't be read" in report and "TERM is dumb" in report
    assert (folder / "tend.json").read_text() == "{"  # doctor never repairs data by itself


def test_no_colour_is_reported_as_fine(tmp_path: Path) -> None:
    report, _ = run_doctor(tmp_path / "none", environ={"TERM": "linux", "NO_COLOR": "1"})
    assert "NO_COLOR is set" in report
    assert "has not saved anything here yet" in report


def test_the_command(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    Store.open(tmp_path / "d")
    code = main(["doctor", "--data", str(tmp_path / "d")])
    out = capsys.readouterr().out
    assert "Data folder" in out
    assert code in (0, 1)
