"""Tend in a real pseudo-terminal: what reaches the terminal, signals mid-form, plain terminals.

* The bytes Tend writes hold none of the escape sequences planted in user data (a hand-edited
  data file and a ``tend import``), compared with a run on ordinary data for what Textual
  itself sends.
* SIGHUP, SIGTERM or a closed terminal while a form is half-typed: Tend leaves within 3 s,
  the data file parses, and the form comes back as it was next time.
* ``NO_COLOR=1``, ``TERM=linux``, ``TERM=screen-256color``, ``LANG=C.UTF-8``: every screen
  draws, and every status reads in words and symbols (the screen is rebuilt with pyte).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pendulum
import pyte
import pytest

from app.storage import SCHEMA_VERSION
from app.cli import main as tend_main
from app.models import Colleague, Contact, Ritual, RitualEntry
from app.schedule import Schedule
from app.storage import Store
from app.textclean import clean_text, strip_controls
from app.tui import TendApp
from tests.conftest import HOSTILE
from tests.hostile_data import write_data_file, write_export
from tests.ptyrun import PtyProcess
from tests.screentext import CONTROL
from tests.notices import Notices

pytestmark = pytest.mark.slow

SIZE = (100, 40)


class Terminal:
    """A Tend process on a pty, with pyte keeping the screen a person would see."""

    def __init__(self, *args: str, env: dict[str, str] | None = None, size: tuple[int, int] = SIZE) -> None:
        self.process = PtyProcess.tend(*args, size=size, env=env)
        self.screen = pyte.Screen(*size)
        self.stream = pyte.ByteStream(self.screen)
        self.fed = 0

    def _catch_up(self) -> None:
        output = self.process.output
        if len(output) > self.fed:
            self.stream.feed(bytes(output[self.fed :]))
            self.fed = len(output)

    @property
    def text(self) -> str:
        self._catch_up()
        return "\n".join(self.screen.display)

    def wait_for(self, words: str, timeout: float = 15) -> bool:
        """Wait until ``words`` are on the screen."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if words in self.text:
                return True
            self.process.read_for(0.05)
            if self.process.poll() is not None:
                break
        return words in self.text

    def settle(self, quiet: float = 0.2, timeout: float = 5) -> None:
        """Read until nothing new has arrived for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = len(self.process.output)
            self.process.read_for(quiet)
            if len(self.process.output) == before:
                return

    def press(self, keys: str, expect: str | None = None) -> None:
        """Send keys (as bytes a keyboard would), then wait for ``expect`` or for quiet."""
        self.process.send(keys.encode())
        if expect is None:
            self.settle()
        else:
            assert self.wait_for(expect), f"after {keys!r}, {expect!r} never showed:\n{self.text}"
            self.settle(0.15)

    def quit(self) -> None:
        self.process.send(b"q")
        self.process.wait_exit(5)
        self.process.kill()

    @property
    def output(self) -> bytes:
        return bytes(self.process.output)


ESC = "\x1b"

TARGETS = [
    "Olu \x1b]0;owned title\x07Okafor \x1b]52;c;aGVsbG8=\x07\u202e\x9b2J",
    "Cy \x1b[2J\x1b[H cleared \x1b]8;;https://example.invalid\x1b\\Cho\x1b]8;;\x1b\\",
]
"""Names with every planted sequence that still clean to something, so the tour can find
them with the filter and act on them: edit (the name in a field), log, remove, undo (the name
in notifications), and every ritual is done with Olu (the name in "Logged with ... too")."""

TOUR: list[tuple[str, str | None]] = [
    ("c", "Add a colleague"),  # the half-typed form in the data file opens again
    (ESC, "Close without saving"),  # cancel it: asked first, since it holds unsaved work
    ("y", "Keep in touch"),  # yes: the list
    ("/", None),
    ("Olu", "1 of"),  # the filter finds Olu
    ("\r", None),
    ("e", "Edit Olu"),  # the name in a text field
    (ESC, None),
    ("l", "Log a contact with"),
    ("\r", "Logged: message with Olu"),
    ("\r", "Contact history"),  # the card
    ("m", "A check-in message for"),  # the message picker (templates from the data)
    ("\r", "Copied to your clipboard"),  # copied with OSC 52, and shown
    (ESC, None),
    (ESC, "Keep in touch"),
    ("d", "Remove"),
    ("y", "Removed Olu"),
    ("u", "Brought back Olu"),
    (ESC, None),  # clear the filter
    ("t", "Rituals due"),
    ("r", "Due now"),
    ("\r", "Back"),  # a ritual's detail: name, note, linked colleagues, history notes
    (ESC, "Due now"),
    (" ", "Logged with"),  # the linked colleagues in the notification
    ("u", "Undone"),
    ("b", "Box breathing"),  # the patterns, named by the data
]
"""Keys through every screen that shows user text, and what each one should bring up."""


def tour(data: Path, **kwargs: Any) -> bytes:
    terminal = Terminal("--data", str(data), "today", **kwargs)
    try:
        assert terminal.wait_for("Rituals due", 30), terminal.text
        for keys, expect in TOUR:
            terminal.press(keys, expect)
    finally:
        terminal.quit()
    return terminal.output


_CSI = re.compile(rb"\x1b\[([0-?]*)([ -/]*)([@-~])")
_OSC = re.compile(rb"\x1b\]([^\x07\x1b]*)(?:\x07|\x1b\\)")


def sequence_kinds(output: bytes) -> Counter[bytes]:
    """The kinds of control sequence in ``output``: each OSC by number, each CSI that is not
    a cursor move or colour by its parameters and final byte (e.g. ``2J``)."""
    kinds: Counter[bytes] = Counter()
    for params, _, final in _CSI.findall(output):
        if final not in b"HmABCDfG":  # moves and colours vary with the text itself
            kinds[b"CSI " + params + final] += 1
    for body in _OSC.findall(output):
        kinds[b"OSC " + body.split(b";", 1)[0]] += 1
    return kinds


PLANTED = [
    b"\x1b]0;", b"\x1b]8;;", b"\x1b]52;c;aGVsbG8=", b"owned title", b"aGVsbG8=",
    b"\x1b[2J\x1b[H cleared", "\u202e".encode(), "\u2066".encode(), "\u200b".encode(), b"\xc2\x9b", b"\x7f",
]  # fmt: skip
"""Byte strings that only user data could put in the output."""


def test_no_escape_sequence_from_user_data_reaches_the_terminal(tmp_path: Path) -> None:
    texts = TARGETS + HOSTILE
    # The same data cleaned: what Textual itself sends on this tour.
    plain = tmp_path / "plain"
    write_data_file(plain, [clean_text(text) for text in texts], link=1)
    baseline = tour(plain)
    # Hostile data written straight into the file (as a hand edit would), plus a tend import.
    hostile = tmp_path / "hostile"
    write_data_file(hostile, texts, link=1)
    export = write_export(tmp_path / "export.json", [f"imported {text}" for text in HOSTILE])
    assert tend_main(["--data", str(hostile), "import", str(export)]) == 0
    output = tour(hostile)

    for planted in PLANTED:
        assert planted not in output, f"{planted!r} reached the terminal"
    # Between the sequences Textual sends, no other control character (C0, C1, bidi) at all.
    text = re.sub(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[^\[\]])", b"", output)
    assert not CONTROL.search(text.decode("utf-8", "replace").replace("\r", "").replace("\n", ""))
    baseline_kinds, kinds = sequence_kinds(baseline), sequence_kinds(output)
    extra = {kind for kind in kinds if kind not in baseline_kinds}
    assert not extra, f"sequences only the hostile data brought: {extra}"
    assert kinds[b"CSI 2J"] <= baseline_kinds[b"CSI 2J"]
    # The one OSC 52 (the copied message) carries clean text.
    copied = [base64.b64decode(body.split(b";", 2)[2]).decode() for body in _OSC.findall(output) if body.startswith(b"52;")]
    assert copied and all(text == strip_controls(text) for text in copied)


# --------------------------------------------------------------------------- signals mid-form


@pytest.mark.xdist_group("timed")  # "leaves within 3 s": never beside another timed test
@pytest.mark.parametrize("how", ["SIGHUP", "SIGTERM", "close"])
def test_a_half_typed_form_survives_a_signal_and_comes_back(tmp_path: Path, how: str) -> None:
    folder = tmp_path / "d"
    store = Store.open(folder)
    store.update_settings(welcomed=True)
    terminal = Terminal("--data", str(folder), "colleagues")
    try:
        assert terminal.wait_for("No one here yet", 30), terminal.text
        terminal.press("a", "Add a colleague")
        terminal.press("Half typed [/] name", "Half typed [/] name")
        if how == "close":
            terminal.process.close()
        else:
            os.kill(terminal.process.pid, getattr(signal, how))
        took = terminal.process.wait_exit(3.0)
        assert took is not None, f"still running 3 s after {how}"
    finally:
        terminal.process.kill()
    data = json.loads((folder / "tend.json").read_text())  # parses
    assert data["_meta"]["1"]["schema"] == SCHEMA_VERSION
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    drafts = [doc["data"] for doc in data.get("drafts", {}).values() if doc["key"] == "colleague-form"]
    assert drafts and drafts[0]["name"] == "Half typed [/] name"
    # Next time, the colleagues screen opens the form again as it was.
    async def next_time() -> None:
        app = TendApp(Store.open(folder), start_mode="colleagues")
        notices = Notices()
        async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
            await pilot.pause()
            await pilot.pause()
            assert app.screen.query_one("#form-name").value == "Half typed [/] name"
            assert notices.said("unsaved changes are back")
            await pilot.press("ctrl+s")
            await pilot.pause()
        assert [c.name for c in Store.open(folder).all(Colleague)] == ["Half typed [/] name"]

    asyncio.run(next_time())


# --------------------------------------------------------------------------- plain terminals


def seed_statuses(folder: Path) -> None:
    """One colleague in each standing and rituals due, done and skipped, for real "now"."""
    store = Store.open(folder)
    store.update_settings(welcomed=True, starters_offered=True)
    now = pendulum.now()
    for name, days in (("Overdue Olu", 30), ("Due Dee", 9), ("Fine Fay", 1)):
        person = store.add(Colleague(name=name, ideal_days=7, limit_days=14, created=now.subtract(days=90)))
        store.add(Contact(colleague_id=person.id or 0, when=now.subtract(days=days)))
    for name in ("Walk at lunch", "Journal", "Stretch"):
        store.add(Ritual(name=name, schedule=Schedule.daily().to_dict(), created=now.subtract(days=10)))
    [_, journal, stretch] = store.all(Ritual)
    today = now.date()
    store.add(RitualEntry(ritual_id=journal.id or 0, day=today, status="done"))
    store.add(RitualEntry(ritual_id=stretch.id or 0, day=today, status="skipped"))


TERMINALS = [
    {"NO_COLOR": "1"},
    {"TERM": "linux"},
    {"TERM": "screen-256color"},
    {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"},
]

STATUS_WORDS = {
    "today": ["Rituals due", "[ ] Walk at lunch", "! overdue", "» due"],
    "colleagues": ["! overdue", "» due", "· on track", "1 overdue", "1 due"],
    "rituals": ["due now", "* due", "# done today", "/ skipped"],
    "breathe": ["Box breathing", "breaths/min"],
    "scan": ["Jaw and face", "0 none", "3 strong"],
}
"""What must read on each screen with no colour at all: the status in words and symbols."""


@pytest.mark.parametrize("env", TERMINALS, ids=lambda env: " ".join(f"{k}={v}" for k, v in env.items()))
def test_every_screen_draws_and_reads_without_colour(tmp_path: Path, env: dict[str, str]) -> None:
    folder = tmp_path / "d"
    seed_statuses(folder)
    terminal = Terminal("--data", str(folder), "today", env=env)
    try:
        for key, mode in (("", "today"), ("c", "colleagues"), ("r", "rituals"), ("b", "breathe"), ("s", "scan")):
            if key:
                terminal.press(key)
            for words in STATUS_WORDS[mode]:
                assert terminal.wait_for(words, 20), f"{mode}: {words!r} missing under {env}:\n{terminal.text}"
        assert terminal.process.poll() is None, "Tend stopped"
    finally:
        terminal.quit()
    assert b"Traceback" not in terminal.output
    if "NO_COLOR" in env:  # Textual draws in greys only: no hue anywhere
        hues = colours_with_hue(terminal.output)
        assert not hues, sorted(hues)[:5]


GREYS = {16, 231, *range(232, 256)}


def colours_with_hue(output: bytes) -> set[str]:
    """Every colour in the SGR sequences of ``output`` that is not black, white or a grey."""
    found: set[str] = set()
    for params in re.findall(rb"\x1b\[([0-9;]*)m", output):
        codes = [int(p) for p in params.split(b";") if p]
        i = 0
        while i < len(codes):
            code = codes[i]
            if code in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                if codes[i + 2] not in GREYS:
                    found.add(f"{code};5;{codes[i + 2]}")
                i += 3
                continue
            if code in (38, 48) and i + 4 < len(codes) and codes[i + 1] == 2:
                r, g, b = codes[i + 2 : i + 5]
                if not r == g == b:
                    found.add(f"{code};2;{r};{g};{b}")
                i += 5
                continue
            if 31 <= code <= 36 or 41 <= code <= 46 or 91 <= code <= 96 or 101 <= code <= 106:
                found.add(str(code))
            i += 1
    return found


def test_the_hue_check_tells_greys_from_colours() -> None:
    assert colours_with_hue(b"\x1b[1;38;5;253;48;5;235m x \x1b[38;2;9;9;9m \x1b[0m") == set()
    assert colours_with_hue(b"\x1b[38;5;33m \x1b[48;2;1;120;212m \x1b[31m") == {"38;5;33", "48;2;1;120;212", "31"}


def test_the_sequence_census_counts_screen_clears_and_titles() -> None:
    kinds = sequence_kinds(b"\x1b[2J\x1b[5;3H\x1b[1;31m\x1b]0;title\x07\x1b]52;c;eA==\x1b\\")
    assert kinds == Counter({b"CSI 2J": 1, b"OSC 0": 1, b"OSC 52": 1})
