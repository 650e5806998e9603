"""Keys that arrive together (a held key, fast typing over SSH) and huge pastes never crash
Tend or end what is under the screen they were meant for.

A burst is sent as the terminal sends it: every key posted to the app before it handles the
first, so the screen on top is asked to act on all of them.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual import events
from textual.command import CommandPalette, Hit, Hits, Provider
from textual.widgets import Input, TextArea

from app.models import Colleague
from app.textclean import NAME_LIMIT, NOTE_LIMIT
from app.tui import TendPalette
from screens.breathe import BreatheScreen, ExerciseScreen
from screens.colleagues import ColleagueForm, TemplatePicker
from screens.hide import HideScreen
from screens.today import TodayScreen

SIZE = (80, 24)


class StillClock:
    """A breathing clock that does not move (no sleeping, nothing ends by itself)."""

    def __call__(self) -> float:
        return 1000.0


@pytest.fixture(autouse=True)
def still_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(BreatheScreen, "clock", StillClock())


def key(name: str) -> events.Key:
    return events.Key(name, name if len(name) == 1 else None)


async def burst(pilot: Any, *keys: str) -> None:
    for name in keys:
        pilot.app.post_message(key(name))
    await pilot.pause()
    await pilot.pause()


# --------------------------------------------------------------------------- quick-hide


@pytest.mark.parametrize("keys", [("x", "y"), ("space", "space", "space"), ("enter", "escape")])
async def test_two_keys_together_after_ctrl_b_just_bring_tend_back(make_app, frozen, keys) -> None:  # type: ignore[no-untyped-def]
    app = make_app("today")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+b")
        assert isinstance(app.screen, HideScreen)
        await burst(pilot, *keys)
        assert isinstance(app.screen, TodayScreen)
        assert app.is_running


async def test_a_held_key_on_the_hidden_screen_leaves_the_breathing_session_running(make_app, frozen) -> None:  # type: ignore[no-untyped-def]
    app = make_app("breathe", pattern="box", minutes=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        exercise = app.screen
        assert isinstance(exercise, ExerciseScreen)
        await pilot.press("ctrl+b")
        assert isinstance(app.screen, HideScreen)
        await burst(pilot, "x", "x", "x", "x")
        assert app.screen is exercise  # back, and the session was not ended under the blank
        assert not exercise.run.finished
        assert exercise.saved is None  # nothing logged: it is still going


# --------------------------------------------------------------------------- dialogs


async def test_enter_and_c_together_in_the_message_picker_close_only_the_picker(make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    store.add(Colleague(name="Olu"))
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        assert isinstance(app.screen, TemplatePicker)
        await burst(pilot, "enter", "c")  # choose the highlighted one, twice at once
        assert app.is_running
        assert not isinstance(app.screen, TemplatePicker)
        assert not any(isinstance(s, TemplatePicker) for s in app.screen_stack)
        assert len(app.screen_stack) == 2  # the copied message, over the list: nothing else closed
        assert app.clipboard.startswith("Hi Olu, ")


async def test_a_breath_that_comes_due_as_the_session_closes_changes_nothing(make_app, frozen) -> None:  # type: ignore[no-untyped-def]
    app = make_app("breathe", pattern="box", minutes=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        exercise = app.screen
        assert isinstance(exercise, ExerciseScreen)
        await pilot.press("escape", "p")  # end it, back to the patterns: the screen is taken down
        await pilot.pause()
        exercise.tick()  # its clock, already on its way, comes due now
        exercise.action_more()
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, BreatheScreen)


# --------------------------------------------------------------------------- the palette


async def test_paging_the_palette_right_as_it_opens_is_safe(make_app, frozen) -> None:  # type: ignore[no-untyped-def]
    app = make_app("today")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "ctrl+p", "pageup")  # before the palette has laid out its list
        await burst(pilot, "g", "pagedown", "backspace", "pagedown", "pageup")
        await pilot.pause(0.2)
        assert app.is_running and isinstance(app.screen, CommandPalette)


class HeldSearch(Provider):
    """A command source still searching (a slow one, or a machine under load)."""

    async def search(self, query: str) -> Hits:
        if query:
            await asyncio.Event().wait()  # never ends by itself
        yield Hit(1, "Something to find", lambda: None)


class WatchedPalette(TendPalette):
    """Tend's palette, noting whether its searches were still running as it was taken down."""

    def __init__(self) -> None:
        super().__init__(providers=[HeldSearch])
        self.searching_at_unmount: list[bool] = []

    def on_unmount(self) -> None:
        self.searching_at_unmount = [w.is_running and not w.is_cancelled for w in self.app.workers if w.node is self]


async def test_quitting_while_the_palette_searches_stops_the_search_first(make_app, frozen) -> None:  # type: ignore[no-untyped-def]
    # Found by the key fuzz under load: Tend quitting with the palette open while a search was
    # still running, the search went on to draw into a list already taken away (NoMatches).
    app = make_app("today")
    palette = WatchedPalette()
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(palette)
        await pilot.pause()
        await pilot.press("s")  # a search starts, and is still running when Tend quits
        await pilot.pause()
        assert [w for w in app.workers if w.node is palette and w.is_running]
    assert palette.searching_at_unmount == []


# --------------------------------------------------------------------------- huge pastes


MEGABYTE = ("Lorem ipsum dolor sit amet \x1b[2J, consectetur \u202e adipiscing\n" * 20_000)[:1_000_000]


async def test_a_megabyte_pasted_into_a_note_is_cut_to_a_note_and_the_form_carries_on(make_app, frozen) -> None:  # type: ignore[no-untyped-def]
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, ColleagueForm)
        notes = form.query_one("#form-notes", TextArea)
        notes.focus()
        app.post_message(events.Paste(MEGABYTE))
        await pilot.pause()
        assert len(notes.text) == NOTE_LIMIT
        assert notes.text.startswith("Lorem ipsum dolor sit amet , consectetur  adipiscing\n")
        await pilot.press("end", "Z")  # the next key is handled
        assert notes.text.endswith("Z")
        # A second megabyte adds nothing: the note is full.
        app.post_message(events.Paste(MEGABYTE))
        await pilot.pause()
        assert len(notes.text) == NOTE_LIMIT + 1


async def test_a_megabyte_pasted_into_a_name_keeps_what_fits(make_app, frozen) -> None:  # type: ignore[no-untyped-def]
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        name = app.screen.query_one("#form-name", Input)
        app.post_message(events.Paste("Ann " + MEGABYTE.replace("\n", " ")))  # one long line
        await pilot.pause()
        assert len(name.value) == NAME_LIMIT and name.value.startswith("Ann Lorem ipsum")
        await pilot.press("backspace")
        assert len(name.value) == NAME_LIMIT - 1


async def test_keys_typed_right_after_q_do_nothing_as_tend_closes(make_app, frozen) -> None:  # type: ignore[no-untyped-def]
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for name in ("q", "s", "down", "a"):  # "qs" typed fast: s opened the body scan mid-exit
            app.post_message(key(name))
        await pilot.pause()
    assert app.return_code == 0


# --------------------------------------------------------------------------- the starter offer


async def test_picks_and_enter_arriving_together_add_every_pick_and_mark_nothing(make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    """Over SSH "space down space enter" can arrive in one read: enter used to be handled
    first (a priority key), adding one ritual, and the second space then marked it done."""
    from app.models import Ritual, RitualEntry

    app = make_app("rituals")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await burst(pilot, "space", "down", "space", "enter")
        await pilot.pause()
        assert sorted(r.name for r in store.all(Ritual)) == ["Debrief after a hard session", "Team check-in"]
        assert store.all(RitualEntry) == []
