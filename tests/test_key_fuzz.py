"""Random keys on every screen never crash Tend.

A seeded fuzz: for each main screen (and the dialogs its keys open), a bounded number of
random keys, some sent one at a time and some in bursts (as a held key, or keys that arrive
together over SSH, do), never q, ctrl+c, ctrl+q, ctrl+d or ctrl+b (they leave or blank the
screen). A failure names the mode, the seed and the keys sent. Whether two keys of a burst
meet in the app's queue also depends on timing, so a seed may need a few runs to fail again.
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pendulum
import pytest
from textual import events

from app.models import BreathingPattern, Colleague, Contact, MessageTemplate, Ritual, RitualEntry
from app.schedule import Schedule
from app.storage import Store
from app.tui import MODE_NAMES, TendApp

pytestmark = pytest.mark.slow

SIZE = (80, 24)

KEYS: list[str] = [
    *"abdefghijklmnoprtuvwxyz",  # every letter but c and s (below) and q (quits)
    *"0123456789",
    "c", "s",  # the screen keys: t s b c r are in the letters or here
    "A", "Z", "é", "space", "enter", "escape", "tab", "shift+tab", "backspace", "delete",
    "up", "down", "left", "right", "home", "end", "pageup", "pagedown",
    "question_mark", "slash", "plus", "minus", "equals_sign", "full_stop", "comma",
    "ctrl+p", "ctrl+s", "ctrl+a", "ctrl+e", "ctrl+k", "ctrl+u", "ctrl+w", "ctrl+x", "ctrl+v", "f1",
]  # fmt: skip
"""Keys the fuzz presses; never q, ctrl+c, ctrl+q, ctrl+d or ctrl+b."""

KEYS_PER_SCREEN = 300
SEED = 1
"""Each screen gets its own seed from here (the whole file: about 25 s of CPU)."""


def seed_data(folder: Path) -> None:
    """A little of everything, so every list has rows and every dialog something to act on."""
    store = Store.open(folder)
    store.update_settings(welcomed=True, starters_offered=True)
    now = pendulum.now()
    for name, days in (("Olu", 30), ("Dee", 9), ("Fay", 1)):
        person = store.add(Colleague(name=name, ideal_days=7, limit_days=14, created=now.subtract(days=90)))
        store.add(Contact(colleague_id=person.id or 0, when=now.subtract(days=days)))
    for name in ("Walk at lunch", "Journal"):
        store.add(Ritual(name=name, schedule=Schedule.daily().to_dict(), created=now.subtract(days=10)))
    journal = store.all(Ritual)[1]
    store.add(RitualEntry(ritual_id=journal.id or 0, day=now.date(), status="done"))
    store.add(MessageTemplate(name="Check-in", text="Hi {name}, how are you doing?"))
    store.add(BreathingPattern(name="Mine", phases=[["inhale", 3], ["exhale", 5]]))


def key_event(key: str) -> events.Key:
    char = {"space": " ", "enter": "\r", "tab": "\t", "question_mark": "?", "slash": "/", "plus": "+",
            "minus": "-", "equals_sign": "=", "full_stop": ".", "comma": ","}.get(key)  # fmt: skip
    if char is None and len(key) == 1:
        char = key
    return events.Key(key, char)


def plan(seed: int) -> list[list[str]]:
    """The keys for one run: most alone, some in bursts of two to four."""
    rng = random.Random(seed)
    groups: list[list[str]] = []
    total = 0
    while total < KEYS_PER_SCREEN:
        size = 1 if rng.random() < 0.75 else rng.randint(2, 4)
        if rng.random() < 0.1:  # a held key
            groups.append([rng.choice(KEYS)] * size)
        else:
            groups.append([rng.choice(KEYS) for _ in range(size)])
        total += size
    return groups


async def fuzz(folder: Path, mode: str, seed: int) -> None:
    app = TendApp(Store.open(folder), start_mode=mode)
    groups = plan(seed)
    pace = random.Random(seed * 7)
    sent: list[str] = []
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            for group in groups:
                sent.append("+".join(group) if len(group) > 1 else group[0])
                for key in group:  # all at once: the app sees them before it handles the first
                    app.post_message(key_event(key))
                if pace.random() < 0.5:
                    await pilot.pause()  # the app catches up...
                else:
                    await asyncio.sleep(0)  # ...or the next keys come before it has
                if not app.is_running:
                    break  # closed on purpose (the palette's "Quit Tend"); a crash is raised below
            else:
                await pilot.pause()
    except BaseException as error:
        raise AssertionError(f"mode {mode!r}, seed {seed}: after keys {sent}") from error


@pytest.mark.parametrize("mode", MODE_NAMES)
async def test_random_keys_never_crash_a_screen(tmp_path: Path, mode: str) -> None:
    seed = SEED + MODE_NAMES.index(mode)
    seed_data(tmp_path / "d")
    await fuzz(tmp_path / "d", mode, seed)
