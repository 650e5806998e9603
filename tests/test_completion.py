"""`tend completion bash|zsh|fish`: subcommands, options, and ritual and colleague names."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import build_parser, main
from app.models import Colleague, Ritual
from app.storage import Store

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = ["today", "scan", "breathe", "colleagues", "rituals", "export", "doctor", "import",
          "status", "done", "skip", "log", "next", "undo", "completion"]  # fmt: skip


def script(shell: str, capsys) -> str:
    assert main(["completion", shell]) == 0
    return capsys.readouterr().out


def public_commands() -> list[str]:
    """Every command ``tend --help`` offers (each answers ``--help`` itself)."""
    return PUBLIC


def test_the_commands_listed_are_the_ones_tend_has(capsys) -> None:
    for command in PUBLIC:
        with pytest.raises(SystemExit) as raised:
            main([command, "--help"])
        assert raised.value.code == 0
    assert "_names" not in build_parser().format_help()
    capsys.readouterr()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_every_script_completes_commands_options_and_names(shell, capsys) -> None:
    text = script(shell, capsys)
    for command in public_commands():
        assert command in text
    for option in ("--format", "--json", "--tmux", "--day", "--reason", "--kind", "--when", "--clear", "--data"):
        assert (f"-l {option[2:]} " if shell == "fish" else option) in text, option
    assert "tend _names rituals" in text and "tend _names colleagues" in text
    assert "_names)" not in text and " _names " not in text.replace("tend _names ", "")  # hidden itself


def test_names_lists_rituals_and_colleagues_one_a_line(data_dir, capsys) -> None:
    store = Store.open(data_dir)
    store.add(Ritual(name="walk at lunch"))
    store.add(Ritual(name="Stretch"))
    store.add(Ritual(name="Put away", archived=True))
    store.add(Colleague(name="Dana O'Neil"))
    assert main(["_names", "rituals", "--data", str(data_dir)]) == 0
    assert capsys.readouterr().out == "Stretch\nwalk at lunch\n"
    assert main(["_names", "colleagues", "--data", str(data_dir)]) == 0
    assert capsys.readouterr().out == "Dana O'Neil\n"


def test_names_with_no_data_is_silent(tmp_path, capsys) -> None:
    assert main(["_names", "rituals", "--data", str(tmp_path / "none")]) == 0
    assert capsys.readouterr() == ("", "")
    assert not (tmp_path / "none").exists()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_names_with_spaces_as_one_word(tmp_path, data_dir, capsys) -> None:
    store = Store.open(data_dir)
    store.add(Ritual(name="Walk at lunch"))
    store.add(Ritual(name="Stretch"))
    store.add(Colleague(name="Dana O'Neil"))
    completion = tmp_path / "tend.bash"
    completion.write_text(script("bash", capsys))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "tend").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m app "$@"\n')
    (bin_dir / "tend").chmod(0o755)
    probe = (
        f'source "{completion}"\n'
        't() { COMP_WORDS=("$@"); COMP_CWORD=$(($#-1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; '
        'COMPREPLY=(); _shtab_tend; printf "%s|" "${COMPREPLY[@]}"; echo; }\n'
        "t tend sta\nt tend done w\nt tend log ''\nt tend status --j\n"
    )
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "TEND_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", probe], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["status|", "Walk\\ at\\ lunch|", "Dana\\ O\\'Neil|", "--json|"]
