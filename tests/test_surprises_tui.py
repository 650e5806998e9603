"""Issue 18 in the app: the palette offers Tend's actions (and only Tend's), with their keys;
help scrolls to its last line at 80x24; every dialog answers ``?`` and shows its own keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pendulum
import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from app.models import Colleague, Ritual
from app.storage import Store
from app.tui import EXPORT_HOW, TendApp
from screens.help import GLOBAL_NOTE, HelpScreen
from tests.screentext import screen_lines, squash
from tests.test_snapshots import fixed_dir, frozen_time  # noqa: F401 - the snapshots' frozen afternoon and private home

SIZE = (80, 24)


def app_for(path: Path, mode: str = "today", *, welcomed: bool = True) -> TendApp:
    store = Store.open(path)
    if not store.all(Ritual):
        store.add(Ritual(name="Supervision"))
        store.add(Colleague(name="Ann"))
    if welcomed:
        store.update_settings(welcomed=True)
    return TendApp(store, start_mode=mode)


async def palette_results(app: TendApp, pilot: Any, query: str) -> list[str]:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    if query:
        await pilot.press(*("space" if c == " " else c for c in query))
    await pilot.pause(0.3)  # the palette searches in a worker; wait for its results
    results = app.screen.query_one(CommandList)
    return [squash(str(results.get_option_at_index(i).prompt)) for i in range(results.option_count)]


async def run_from_palette(app: TendApp, pilot: Any, query: str) -> None:
    """Find ``query`` in the palette and run its first result (enter)."""
    await palette_results(app, pilot, query)
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize(
    ("mode", "query", "expected"),
    [
        ("rituals", "skip", "Skip it, with a reason if you like k"),
        ("rituals", "note", "Add a note to today's entry n"),
        ("colleagues", "log", "Log a contact with them (resets their cycle) l"),
        ("colleagues", "import", " i"),
        ("today", "next", "Say when your next session starts n"),
        ("breathe", "new", "Make a pattern of your own n"),
        ("today", "export", "Export your data"),
        ("scan", "rituals", "Go to Rituals r"),
    ],
)
async def test_every_action_is_found_in_the_palette_by_its_words_with_its_key(fixed_dir: Path, mode: str, query: str, expected: str) -> None:
    app = app_for(fixed_dir, mode)
    async with app.run_test(size=SIZE) as pilot:
        found = await palette_results(app, pilot, query)
        assert any(expected in line for line in found), found


async def test_a_palette_command_does_what_its_key_does(fixed_dir: Path) -> None:
    app = app_for(fixed_dir, "rituals")
    async with app.run_test(size=SIZE) as pilot:
        await run_from_palette(app, pilot, "skip")
        assert "skip" in squash(" ".join(screen_lines(app))).lower()
        assert type(app.screen).__name__ == "TextPrompt"


@pytest.mark.parametrize("query", ["screenshot", "maximize", "minimize"])
async def test_textuals_own_system_commands_are_gone(fixed_dir: Path, query: str) -> None:
    app = app_for(fixed_dir, "colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down")  # a focused list would offer "Maximize"
        found = await palette_results(app, pilot, query)
        assert not [line for line in found if query in line.lower()], found
        everything = await palette_results_again(app, pilot)
        assert not [line for line in everything if line.split("  ")[0] in ("Screenshot", "Maximize", "Minimize", "Keys")]


async def test_the_export_note_shows_each_command_whole_on_one_line_at_80x24(fixed_dir: Path) -> None:
    # The csv line once wrapped mid-description ("a folder of" / "spreadsheets"): a command
    # to copy into a shell should read as one line, its words beside it.
    app = app_for(fixed_dir, "today")
    async with app.run_test(size=SIZE) as pilot:
        await run_from_palette(app, pilot, "export")
        lines = [squash(line) for line in screen_lines(app)]
        for command in EXPORT_HOW.split("\n"):
            if command.strip().startswith("tend export"):
                assert any(squash(command) in line for line in lines), (command, lines)


async def palette_results_again(app: TendApp, pilot: Any) -> list[str]:
    await pilot.press("escape")
    await pilot.pause()
    return await palette_results(app, pilot, "")


@pytest.mark.parametrize("mode", ["today", "rituals", "breathe", "scan", "colleagues"])
async def test_help_scrolls_to_its_last_line_at_80x24(fixed_dir: Path, mode: str) -> None:
    app = app_for(fixed_dir, mode)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        seen = squash(" ".join(screen_lines(app)))
        for _ in range(12):
            await pilot.press("pagedown")
            await pilot.pause()
            seen += " " + squash(" ".join(screen_lines(app)))
        # The first and the last words of the help were each on screen at some point.
        assert "Keys for this screen" in seen
        first, last = GLOBAL_NOTE.split(". ")[0], GLOBAL_NOTE.split(". ")[-1]
        assert squash(first)[:32] in seen and squash(last)[-24:] in seen, seen


async def test_the_welcome_answers_question_mark_and_its_footer_shows_its_own_keys(fixed_dir: Path) -> None:
    app = app_for(fixed_dir, welcomed=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert type(app.screen).__name__ == "WelcomeScreen"
        footer = screen_lines(app)[-1]
        assert "Next session" not in footer and "Message" not in footer  # Today's keys are not active
        assert "Starter rituals" in footer or "Start" in footer
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = squash(" ".join(screen_lines(app)))
        assert "See a few starter rituals" in text
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "WelcomeScreen"


@pytest.mark.parametrize(("mode", "keys", "dialog"), [
    ("rituals", ["k"], "TextPrompt"),
    ("colleagues", ["a"], "ColleagueForm"),
    ("colleagues", ["down", "enter"], "ColleagueCard"),
    ("colleagues", ["down", "l"], "LogContactDialog"),
    ("colleagues", ["down", "d"], "ConfirmDialog"),
    ("rituals", ["a"], "RitualForm"),
    ("breathe", ["n"], "PatternEditor"),
])
async def test_every_dialog_answers_question_mark_and_footers_its_own_keys(fixed_dir: Path, mode: str, keys: list[str], dialog: str) -> None:
    app = app_for(fixed_dir, mode)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        assert type(app.screen).__name__ == dialog
        footer = screen_lines(app)[-1]
        shown = {active.binding.description for active in app.screen.active_bindings.values() if active.binding.show and active.enabled}
        assert any(description in footer for description in shown if description), footer
        if isinstance(app.focused, Input):
            await pilot.press("f1")
        else:
            await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == dialog


async def test_a_question_mark_typed_in_a_field_is_text(fixed_dir: Path) -> None:
    app = app_for(fixed_dir, "rituals")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press("w", "h", "y", "question_mark")
        assert app.focused.value == "why?"
        assert not isinstance(app.screen, HelpScreen)


def test_palette_snapshot(snap_compare: Any, fixed_dir: Path) -> None:
    assert snap_compare(app_for(fixed_dir, "rituals"), press=["ctrl+p", "s", "k", "i", "p"], terminal_size=SIZE)


def test_help_snapshot_scrolled_to_the_end(snap_compare: Any, fixed_dir: Path) -> None:
    assert snap_compare(app_for(fixed_dir, "today"), press=["question_mark", "end"], terminal_size=SIZE)


def test_welcome_help_snapshot(snap_compare: Any, fixed_dir: Path) -> None:
    assert snap_compare(app_for(fixed_dir, welcomed=False), press=["question_mark"], terminal_size=SIZE)


async def test_ctrl_b_hides_at_once_from_a_dialog_too(fixed_dir: Path) -> None:
    app = app_for(fixed_dir, "colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")  # a colleague's card: their name on screen
        await pilot.pause()
        assert type(app.screen).__name__ == "ColleagueCard"
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert type(app.screen).__name__ == "HideScreen"
        assert "Ann" not in " ".join(screen_lines(app))
