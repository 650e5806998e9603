"""Input a terminal may send that is not UTF-8, and an exit Tend did not plan: in a real pty.

* Bytes that cannot be UTF-8 (``\\xe9`` from a terminal set to Latin-1, ``\\xff``, ``\\x80``)
  typed into a half-filled form: Tend keeps running, leaves them out, says so once, and the
  text typed around them is intact; on quitting, the draft is kept.
* Tend ending on an error it did not expect (a bug), with a form half-typed: the draft is kept
  all the same.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pyte
import pytest

from app.storage import Store
from tests.ptyrun import PtyProcess
from tests.test_pty_safety import SIZE, Terminal

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def colleague_draft(folder: Path) -> dict | None:  # type: ignore[type-arg]
    data = json.loads((folder / "tend.json").read_text())
    drafts = [doc["data"] for doc in data.get("drafts", {}).values() if doc["key"] == "colleague-form"]
    return drafts[0] if drafts else None


def welcomed(folder: Path) -> Path:
    Store.open(folder).update_settings(welcomed=True)
    return folder


def test_bytes_that_are_not_utf8_are_left_out_and_tend_carries_on(tmp_path: Path) -> None:
    folder = welcomed(tmp_path / "d")
    terminal = Terminal("--data", str(folder), "colleagues")
    try:
        assert terminal.wait_for("No one here yet", 30), terminal.text
        terminal.press("a", "Add a colleague")
        terminal.press("Zo", "Zo")
        terminal.process.send(b"\xe9")  # a Latin-1 terminal's e-acute
        terminal.press("e Half", "Zoe Half")  # the next byte shows the last was not UTF-8
        # Said once, plainly (looked for at once: a notice leaves after a few seconds, and a
        # busy machine can take that long to draw the rest).
        said = terminal.wait_for("could not read") or b"could not read" in terminal.output
        assert said, terminal.text
        terminal.process.send(b"\xff")
        terminal.process.send(b"\x80 typed")
        assert terminal.wait_for("Zoe Half typed"), terminal.text
        assert terminal.process.poll() is None, "Tend stopped"
        terminal.press("\x11")  # ctrl+q
        assert terminal.process.wait_exit(5) is not None
        assert os.WIFEXITED(terminal.process.status) and os.WEXITSTATUS(terminal.process.status) == 0  # type: ignore[arg-type]
    finally:
        terminal.process.kill()
    assert b"Traceback" not in terminal.output and b"UnicodeDecodeError" not in terminal.output
    draft = colleague_draft(folder)
    assert draft and draft["name"] == "Zoe Half typed"


CRASHING = """
import sys
from textual import events
from app import tui

original = tui.TendApp.on_event

async def on_event(self, event):  # F5 stands for a bug Tend does not know about yet
    if isinstance(event, events.Key) and event.key == "f5":
        raise RuntimeError("an unexpected error")
    await original(self, event)

tui.TendApp.on_event = on_event
from app.cli import main
sys.exit(main(sys.argv[1:]))
"""


class ScriptTerminal(Terminal):
    """A :class:`Terminal` running a Python script instead of ``python -m app``."""

    def __init__(self, script: Path, *args: str) -> None:
        self.process = PtyProcess([sys.executable, str(script), *args], size=SIZE)
        self.screen = pyte.Screen(*SIZE)
        self.stream = pyte.ByteStream(self.screen)
        self.fed = 0


def test_a_half_typed_form_is_kept_when_tend_ends_on_an_unexpected_error(tmp_path: Path) -> None:
    folder = welcomed(tmp_path / "d")
    script = tmp_path / "crashing_tend.py"
    script.write_text(CRASHING)
    terminal = ScriptTerminal(script, "--data", str(folder), "colleagues")
    try:
        assert terminal.wait_for("No one here yet", 30), terminal.text
        terminal.press("a", "Add a colleague")
        terminal.press("Half typed [/] name", "Half typed [/] name")
        terminal.process.send(b"\x1b[15~")  # F5: the error
        assert terminal.process.wait_exit(5) is not None, "still running"
        assert os.WEXITSTATUS(terminal.process.status) != 0  # type: ignore[arg-type]
    finally:
        terminal.process.kill()
    draft = colleague_draft(folder)
    assert draft and draft["name"] == "Half typed [/] name"
