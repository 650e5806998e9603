"""An SSH connection that drops (SIGHUP), a SIGTERM, or a closed terminal: Tend leaves cleanly."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from app.storage import SCHEMA_VERSION

from tests.ptyrun import PtyProcess

# "Exits within 3 s": these run one after another on one worker, never beside each other.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("timed")]


@pytest.mark.parametrize("how", ["SIGHUP", "SIGTERM", "close"])
def test_tend_exits_within_three_seconds_and_the_data_is_intact(tmp_path: Path, how: str) -> None:
    process = PtyProcess.tend("--data", str(tmp_path / "d"), "rituals")
    try:
        assert process.wait_for(b"Rituals"), process.output[-2000:]
        if how == "close":
            process.close()
        else:
            os.kill(process.pid, getattr(signal, how))
        took = process.wait_exit(3.0)
        assert took is not None, f"still running 3 s after {how}"
    finally:
        process.kill()
    data = json.loads((tmp_path / "d" / "tend.json").read_text())
    assert data["_meta"]["1"]["schema"] == SCHEMA_VERSION
    assert not [p for p in (tmp_path / "d").iterdir() if p.name.endswith(".tmp")]


def test_tend_draws_at_80x24_and_quits_on_q(tmp_path: Path) -> None:
    process = PtyProcess.tend("--data", str(tmp_path / "d"))
    try:
        assert process.wait_for(b"Welcome to Tend")
        process.send(b"\r")
        process.read_for(0.3)
        process.send(b"q")
        assert process.wait_exit(5) is not None
        assert os.WIFEXITED(process.status) and os.WEXITSTATUS(process.status) == 0  # type: ignore[arg-type]
    finally:
        process.kill()
