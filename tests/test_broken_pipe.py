"""A reader that stops early (`tend status | head -c 20`, `tend config --keys | head`) ends
tend quietly: no traceback, the shell's usual code for it (141), nothing written to stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.models import Ritual
from app.storage import Store


@pytest.mark.parametrize("args", [["config", "--keys"], ["status"], ["status", "--json"], ["completion", "bash"]])
def test_a_reader_that_goes_away_ends_tend_quietly(tmp_path: Path, args: list[str]) -> None:
    data = tmp_path / "data"
    Store.open(data).add(Ritual(name="Walk", schedule={"kind": "daily"}))  # status has a line to say: "1 due"
    read, write = os.pipe()
    os.close(read)  # the reader has gone before tend writes a word
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "TEND_DATA_DIR": str(data)}
    done = subprocess.run([sys.executable, "-m", "app", *args], stdout=write, stderr=subprocess.PIPE,
                          text=True, timeout=60, env=env)  # fmt: skip
    os.close(write)
    assert "Traceback" not in done.stderr and done.stderr == ""
    assert done.returncode == 141


def test_help_into_a_closed_pipe_says_nothing_either(tmp_path: Path) -> None:
    read, write = os.pipe()
    os.close(read)
    done = subprocess.run([sys.executable, "-m", "app", "--help"], stdout=write, stderr=subprocess.PIPE, text=True, timeout=60)
    os.close(write)
    assert done.stderr == "" and done.returncode in (0, 141)  # argparse keeps its own quiet
