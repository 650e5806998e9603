"""Issue 18, item 8: where the locale is not UTF-8 (a true ASCII terminal), every byte Tend
sends is ASCII, on every main screen, in the help and in the palette; ``doctor`` says so."""

from __future__ import annotations

import time
from pathlib import Path

import pendulum
import pyte
import pytest

from app import glyphs
from app.doctor import check_terminal
from app.models import Colleague, Contact, Ritual
from app.schedule import Schedule
from app.storage import Store
from tests.ptyrun import PtyProcess

pytestmark = pytest.mark.slow

SIZE = (80, 24)


def seed(folder: Path) -> None:
    store = Store.open(folder)
    store.update_settings(welcomed=True, starters_offered=True)
    now = pendulum.now()
    person = store.add(Colleague(name="Due Dee", ideal_days=7, limit_days=14, created=now.subtract(days=90)))
    store.add(Contact(colleague_id=person.id or 0, when=now.subtract(days=9)))
    store.add(Ritual(name="Walk at lunch", schedule=Schedule.daily().to_dict(), created=now.subtract(days=10)))


def tour(folder: Path, env: dict[str, str]) -> tuple[bytes, list[str]]:
    """Every main screen, the help and the palette; the bytes sent and each screen's text."""
    process = PtyProcess.tend("--data", str(folder), env=env, size=SIZE)
    screen = pyte.Screen(*SIZE)
    stream = pyte.ByteStream(screen)
    seen: list[str] = []
    fed = 0

    def settle(until: str, timeout: float = 20) -> None:
        nonlocal fed
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            process.read_for(0.1)
            stream.feed(bytes(process.output[fed:]))
            fed = len(process.output)
            if until in "\n".join(screen.display):
                process.read_for(0.3)
                stream.feed(bytes(process.output[fed:]))
                fed = len(process.output)
                break
        seen.append("\n".join(screen.display))
        assert until in seen[-1], f"{until!r} never showed:\n{seen[-1]}"

    try:
        settle("Rituals due")
        for key, words in (("c", "Due Dee"), ("r", "Walk at lunch"), ("\r", "Chosen:"), ("?", "Keys for this screen"),
                           ("\x1b", "Chosen:"), ("\x1b", "Walk at lunch"),  # a ritual's detail, its keys, back
                           ("b", "Box breathing"), ("s", "Jaw and face"), ("t", "Rituals due")):  # fmt: skip
            process.send(key.encode())
            settle(words)
            if key == "\x1b":
                process.read_for(0.3)  # escape alone, not the start of a sequence
        process.send(b"?")
        settle("Keys for this screen")
        process.send(b"\x1b")
        process.read_for(0.5)
        process.send(b"\x10")  # ctrl+p
        settle("Go to Today")
        process.send(b"\x1b")
        process.read_for(0.5)
        process.send(b"q")
        process.wait_exit(5)
    finally:
        process.kill()
    return bytes(process.output), seen


@pytest.mark.parametrize(
    "env",
    [{"LANG": "C", "LC_ALL": "C"}, {"LANG": "C", "LC_ALL": "", "LC_CTYPE": ""}, {"LANG": "C.UTF-8", "TEND_ASCII": "1"}],
    ids=["LC_ALL=C", "LANG=C", "TEND_ASCII=1"],
)
def test_an_ascii_terminal_gets_only_ascii_on_every_screen(tmp_path: Path, env: dict[str, str]) -> None:
    folder = tmp_path / "d"
    seed(folder)
    output, screens = tour(folder, env)
    assert b"Traceback" not in output
    wide = sorted({chr(b) for b in output if b >= 0x80})
    assert output.isascii(), f"non-ASCII bytes sent: {wide[:10]}"
    today = screens[0]
    assert "> due" in today  # the status still reads, in ASCII
    assert "+---" in screens[-2] or "+--" in "\n".join(screens)  # the help's border, as ASCII
    detail, detail_keys = screens[3], screens[4]
    assert "space, k, backspace set" in detail and "backspace" in detail_keys  # Textual's own key symbols, in words


def test_a_utf8_terminal_still_gets_unicode(tmp_path: Path) -> None:
    """The other side: the same tour on a UTF-8 locale draws its lines and symbols."""
    folder = tmp_path / "d"
    seed(folder)
    output, screens = tour(folder, {"LANG": "C.UTF-8", "LC_ALL": "", "TEND_ASCII": ""})
    assert not output.isascii()
    assert "» due" in screens[0]


@pytest.mark.parametrize(
    ("env", "unicode"),
    [
        ({"LANG": "en_GB.UTF-8"}, True),
        ({"LANG": "C.utf8"}, True),
        ({"LANG": "C"}, False),
        ({"LANG": "C", "LC_CTYPE": "C.UTF-8"}, False),  # Python's own coercion of LANG=C
        ({"LANG": "en_GB.UTF-8", "LC_ALL": "C"}, False),
        ({"LANG": "en_US.ISO-8859-1"}, False),
        ({}, False),
        ({"LANG": "C", "TEND_ASCII": "0"}, True),
        ({"LANG": "C.UTF-8", "TEND_ASCII": "1"}, False),
    ],
)
def test_the_one_decision_and_what_doctor_says(env: dict[str, str], unicode: bool) -> None:
    assert glyphs.unicode_ok(env) is unicode
    said = " ".join(finding.text for finding in check_terminal({"TERM": "xterm", **env}))
    assert ("plain ASCII" in said) is not unicode
    assert "ocale" in said or "TEND_ASCII" in said


def test_ascii_keeps_the_layout_cell_for_cell() -> None:
    text = "╭─╮ » due · 🔎 Search ░▒▓ é"
    from rich.cells import cell_len

    plain = glyphs.to_ascii(text)
    assert plain.isascii() and cell_len(plain) == cell_len(text)
    assert plain.startswith("+-+ > due . ")
