"""Issue 18, item 7: on a 16-colour terminal (TERM=linux) and on 256 colours, no heading,
key hint or border of any built-in theme shows as red; red stays for errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.color import ColorSystem
from textual.theme import BUILTIN_THEMES

from app.models import Ritual
from app.storage import Store
from app.tui import TendApp
from tests.screentext import screen_cells

SYSTEMS = {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT}


def is_red(colour, system: str) -> bool:  # type: ignore[no-untyped-def]
    reduced = colour.downgrade(SYSTEMS[system])
    if system == "standard":
        return reduced.number in (1, 9)
    triplet = reduced.get_truecolor()
    return triplet.red > 2 * max(triplet.green, triplet.blue, 20)


def drawn_colours(app: TendApp, rows: list[int]):  # type: ignore[no-untyped-def]
    """(character, colour) of every coloured character drawn on these rows."""
    chars, styles = screen_cells(app)
    for y in rows:
        for char, style in zip(chars[y], styles[y], strict=True):
            if style and style.color and char.strip():
                yield char, style.color


@pytest.mark.parametrize(("term", "system"), [("linux", "standard"), ("xterm-256color", "256")])
async def test_no_heading_or_key_hint_is_red_in_any_theme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, term: str, system: str) -> None:
    monkeypatch.setenv("TERM", term)
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TEXTUAL_COLOR_SYSTEM", raising=False)
    store = Store.open(tmp_path / "d")
    store.update_settings(welcomed=True)
    store.add(Ritual(name="Supervision"))
    app = TendApp(store, start_mode="today")
    app.headless_colours = system  # what a real terminal with this TERM gets (checked below)
    reds: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.console.color_system == system
        for theme in BUILTIN_THEMES:
            app.theme = theme
            await pilot.pause()
            lines = [y for y in range(24)]
            for text, colour in drawn_colours(app, lines):
                if is_red(colour, system):
                    reds.append(f"{theme}: {text.strip()!r}")
            await pilot.press("question_mark")  # the help: its title, keys and border
            await pilot.pause()
            for text, colour in drawn_colours(app, lines):
                if is_red(colour, system):
                    reds.append(f"{theme} help: {text.strip()!r}")
            await pilot.press("escape")
            await pilot.pause()
    assert not reds, reds


@pytest.mark.slow
def test_on_the_linux_console_nothing_is_drawn_red(tmp_path: Path) -> None:
    """A real run on TERM=linux: Today and its help send no red foreground (SGR 31 or 91)."""
    import re
    import time

    from tests.ptyrun import PtyProcess

    store = Store.open(tmp_path / "d")
    store.update_settings(welcomed=True)
    store.add(Ritual(name="Supervision"))
    process = PtyProcess.tend("--data", str(tmp_path / "d"), env={"TERM": "linux", "COLORTERM": ""})
    try:
        deadline = time.monotonic() + 20
        while b"Rituals due" not in process.output and time.monotonic() < deadline:
            process.read_for(0.1)
        process.read_for(0.5)
        process.send(b"?")
        process.read_for(1.0)
        process.send(b"q")
        process.read_for(0.5)
        process.send(b"q")
        process.wait_exit(5)
    finally:
        process.kill()
    assert b"Rituals due" in process.output
    codes = [code for params in re.findall(rb"\x1b\[([0-9;]*)m", process.output) for code in params.split(b";")]
    assert b"93" in codes or b"96" in codes or b"36" in codes  # colours were sent (16 of them)
    assert b"31" not in codes and b"91" not in codes
