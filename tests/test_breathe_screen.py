"""The breathing screens, driven with the keyboard on a clock the test controls (no sleeping)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region
from textual.widgets import Input, OptionList, Static

from app.cli import main as cli_main
from app.models import BreathingPattern, BreathingSession
from app.storage import Store
from app.tui import TendApp
from screens.breathe import BreatheScreen, BreathFigure, ExerciseScreen, PatternEditor, QuietLines
from screens.dialogs import ConfirmDialog
from tests.conftest import HOSTILE
from tests.notices import Notices

SIZE = (80, 24)


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(BreatheScreen, "clock", fake)
    return fake


def text_rows(app: TendApp) -> list[str]:
    """What the exercise says, row by row, as drawn."""
    return [row.strip() for row in app.screen.query_one("#breath-text", QuietLines).rows]


def ink(app: TendApp) -> int:
    """How much of the figure is drawn."""
    return sum(len(row.replace(" ", "")) for row in app.screen.query_one(BreathFigure).rows)


async def advance(app: TendApp, pilot: Any, clock: FakeClock, seconds: float) -> None:
    """Let ``seconds`` of breathing pass and let the screen catch up, as its timer would."""
    clock.advance(seconds)
    screen = app.screen
    assert isinstance(screen, ExerciseScreen)
    screen.tick()
    await pilot.pause()


def sessions(data_dir: Path) -> list[BreathingSession]:
    return Store.open(data_dir).all(BreathingSession)


# --- the exercise ---------------------------------------------------------------------------


async def test_the_command_line_starts_at_once_and_shows_each_phase(make_app, clock, frozen) -> None:  # type: ignore[no-untyped-def]
    app = make_app("breathe", pattern="box", minutes=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        assert text_rows(app)[0] == "Breathe in  4"
        assert text_rows(app)[2] == "0 of 4 cycles done  ·  1:04 left"
        empty = ink(app)
        await advance(app, pilot, clock, 2)
        assert text_rows(app)[0] == "Breathe in  2"
        half = ink(app)
        await advance(app, pilot, clock, 2.5)
        assert text_rows(app)[0] == "Hold  4"
        full = ink(app)
        assert empty < half < full
        await advance(app, pilot, clock, 2)
        assert ink(app) == full  # a hold holds still
        await advance(app, pilot, clock, 2)
        assert text_rows(app)[0] == "Breathe out  4"
        assert ink(app) < full
        await advance(app, pilot, clock, 8)
        assert text_rows(app)[0] == "Breathe in  4"
        assert text_rows(app)[2] == "1 of 4 cycles done  ·  0:48 left"


async def test_pause_stops_the_clock_and_space_carries_on(make_app, clock) -> None:  # type: ignore[no-untyped-def]
    app = make_app("breathe", pattern="box", minutes=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await advance(app, pilot, clock, 1)
        await pilot.press("space")
        assert "Paused. Press space to carry on." in text_rows(app)
        await advance(app, pilot, clock, 300)
        assert text_rows(app)[0] == "Breathe in  3"
        await pilot.press("space")
        assert "Paused. Press space to carry on." not in text_rows(app)
        await advance(app, pilot, clock, 1)
        assert text_rows(app)[0] == "Breathe in  2"
        assert text_rows(app)[2].endswith("1:02 left")


async def ended_after(app, pilot, clock, seconds: float) -> str:  # type: ignore[no-untyped-def]
    """Breathe for ``seconds``, press escape: the ending's summary line."""
    await pilot.pause()
    await advance(app, pilot, clock, seconds)
    await pilot.press("escape")
    await pilot.pause()
    return str(app.screen.query_one("#ending-summary", Static).render())


async def test_a_session_ended_at_once_is_kept_but_not_said_to_be_in_the_history(make_app, clock, frozen, data_dir) -> None:  # type: ignore[no-untyped-def]
    """Opened and left within a breath: stored (nothing is thrown away), but the totals leave
    it out, so the ending says that rather than "saved to your history"."""
    app = make_app("breathe", pattern="box", minutes=1)
    async with app.run_test(size=SIZE) as pilot:
        summary = await ended_after(app, pilot, clock, 3)
        assert "0 cycles" in summary and "too short to add to your totals" in summary
        assert "saved to your history" not in summary
    (saved,) = sessions(data_dir)
    assert (saved.cycles_done, saved.actual_seconds) == (0, 3)


async def test_escape_ends_early_and_the_partial_session_is_saved(make_app, clock, frozen, data_dir) -> None:  # type: ignore[no-untyped-def]
    app = make_app("breathe", pattern="box", minutes=1)
    async with app.run_test(size=SIZE) as pilot:
        assert "saved to your history" in await ended_after(app, pilot, clock, 20.5)
        screen = app.screen
        assert isinstance(screen, ExerciseScreen) and screen.has_class("-ended")
        line = str(screen.query_one("#ending-line", Static).render())
        assert line == "One full breath, and that counts. Come back whenever you like."
        await pilot.press("escape")  # escape again: back to the patterns
        await pilot.pause()
        assert isinstance(app.screen, BreatheScreen)
    (saved,) = sessions(data_dir)
    assert (saved.pattern, saved.pattern_name) == ("box", "Box breathing")
    assert (saved.actual_seconds, saved.planned_seconds) == (20.5, 64)
    assert (saved.cycles_done, saved.cycles_planned, saved.completed) == (1, 4, False)
    assert saved.when == frozen


async def test_a_finished_session_is_saved_once_with_a_kind_word(make_app, clock, data_dir) -> None:  # type: ignore[no-untyped-def]
    app = make_app("breathe", pattern="sigh", cycles=2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await advance(app, pilot, clock, 25)
        screen = app.screen
        assert isinstance(screen, ExerciseScreen) and screen.has_class("-ended")
        assert "Thank you" in str(screen.query_one("#ending-line", Static).render())
        await pilot.press("enter")  # again
        await pilot.pause()
        assert not screen.has_class("-ended")
        assert text_rows(app)[0] == "Breathe in  2"
        await pilot.press("escape", "p")
        await pilot.pause()
        assert isinstance(app.screen, BreatheScreen)
    saved = sessions(data_dir)
    assert [(s.completed, s.actual_seconds, s.cycles_done) for s in saved] == [(True, 20, 2), (False, 0, 0)]


async def test_cycles_can_be_added_and_removed_but_not_the_one_in_progress(make_app, clock) -> None:  # type: ignore[no-untyped-def]
    app = make_app("breathe", pattern="extended", cycles=2)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        await pilot.press("plus")
        assert text_rows(app)[2] == "0 of 3 cycles done  ·  0:30 left"
        await pilot.press("minus", "minus")
        assert text_rows(app)[2] == "0 of 1 cycles done  ·  0:10 left"
        await pilot.press("minus")
        await pilot.pause()
        assert text_rows(app)[2] == "0 of 1 cycles done  ·  0:10 left"
        assert notices.said("the cycle you're in")


async def test_reduced_motion_shows_words_and_a_progress_line_and_is_remembered(make_app, clock, data_dir) -> None:  # type: ignore[no-untyped-def]
    app = make_app("breathe", pattern="box", minutes=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await advance(app, pilot, clock, 1.5)
        assert not app.screen.query_one("#figure-row").display
        assert text_rows(app)[:2] == ["Breathe in  3", "# . . ."]
        # With less motion the screen only wakes when the countdown changes.
        assert app.screen.run.next_change(figure=False) == pytest.approx(0.5, abs=1e-3)
    assert Store.open(data_dir).settings().reduced_motion is True


async def test_the_bell_rings_on_each_new_phase_when_asked(make_app, clock, data_dir, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    app = make_app("breathe", pattern="box", minutes=1)
    rings: list[int] = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(1))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await advance(app, pilot, clock, 4.5)
        assert rings == []  # no bell until asked
        await pilot.press("g")
        assert rings == [1]  # a sample, so you know what it sounds like
        assert "The bell rings at each new phase." in text_rows(app)
        await advance(app, pilot, clock, 1)
        assert rings == [1]  # same phase, no bell
        await advance(app, pilot, clock, 4)
        assert rings == [1, 1]
    assert Store.open(data_dir).settings().bell is True


async def test_leaving_mid_way_pauses_and_quitting_logs_what_was_done(make_app, clock, data_dir) -> None:  # type: ignore[no-untyped-def]
    app = make_app("breathe", pattern="box", minutes=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await advance(app, pilot, clock, 10)
        exercise = app.screen
        await pilot.press("c")  # to colleagues, mid-breath
        await pilot.pause()
        assert app.current_mode == "colleagues"
        clock.advance(600)
        await pilot.press("b")
        await pilot.pause()
        assert app.screen is exercise and exercise.run.paused
        assert text_rows(app)[0] == "Breathe out  2"
        await pilot.press("q")
        await pilot.pause()
    (saved,) = sessions(data_dir)
    assert (saved.actual_seconds, saved.completed) == (10, False)


async def test_the_countdown_repaints_one_cell_not_the_screen(make_app, clock) -> None:  # type: ignore[no-untyped-def]
    app = make_app("breathe", pattern="box", minutes=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = app.screen.query_one("#breath-text", QuietLines)
        figure = app.screen.query_one(BreathFigure)
        painted: dict[str, list[Region]] = {"text": [], "figure": []}
        text.refresh = lambda *regions, **kw: painted["text"].extend(regions)  # type: ignore[method-assign]
        figure.refresh = lambda *regions, **kw: painted["figure"].extend(regions)  # type: ignore[method-assign]
        await advance(app, pilot, clock, 1.0)  # 4 -> 3, and the figure grows a step
        assert [r.width for r in painted["text"]] == [1, 1]  # the countdown and the time left
        assert painted["figure"] and all(r.height == 1 for r in painted["figure"])
        painted["text"].clear()
        painted["figure"].clear()
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        screen.tick()  # nothing visible changed: nothing is sent
        assert painted == {"text": [], "figure": []}


async def test_today_can_start_a_session_even_when_one_is_paused(make_app, clock, data_dir) -> None:  # type: ignore[no-untyped-def]
    app = make_app("today")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")  # the list has been built before
        await pilot.pause()
        await pilot.press("t", "1")
        await pilot.pause()
        first = app.screen
        assert isinstance(first, ExerciseScreen)
        assert (first.pattern.key, first.run.cycles) == ("box", 4)
        await advance(app, pilot, clock, 5)
        await pilot.press("t", "3")  # leave it paused, ask Today for three minutes
        await pilot.pause()
        second = app.screen
        assert isinstance(second, ExerciseScreen) and second is not first
        assert (second.pattern.key, second.run.cycles) == ("box", 11)
    (logged, *_) = sessions(data_dir)
    assert (logged.actual_seconds, logged.completed) == (5, False)


# --- the pattern list -----------------------------------------------------------------------


async def test_the_list_offers_every_preset_with_rhythm_and_pace(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("breathe")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.screen.query_one(OptionList)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert [listing.get_option_at_index(i).id for i in range(listing.option_count)] == [
            "box", "478", "coherent", "sigh", "extended", "new",
        ]
        assert "4-7-8" in prompts[1] and "3.2 breaths/min" in prompts[1]
        assert "good for" in prompts[2]


async def test_the_length_is_chosen_with_one_key_and_remembered(make_app, clock, data_dir) -> None:  # type: ignore[no-untyped-def]
    app = make_app("breathe")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3")
        assert "= 11 cycles, 2:56" in str(app.screen.query_one("#length", Static).render())
        await pilot.press("down", "enter")  # 4-7-8 for 3 minutes
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        assert app.screen.run.cycles == 9 and app.screen.pattern.key == "478"
    assert Store.open(data_dir).settings().breathe_last == {"pattern": "478", "length": {"minutes": 3.0}}
    again = make_app("breathe")
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.screen.query_one(OptionList).highlighted_option.id == "478"
        assert "[3]" in str(again.screen.query_one("#length", Static).render())


async def test_any_length_in_minutes_or_cycles(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    app = make_app("breathe")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        field = app.screen.query_one(Input)
        field.value = "lots"
        await pilot.press("enter")
        await pilot.pause()
        assert "Type minutes" in str(app.screen.query_one("#prompt-error", Static).render())
        field.value = "6 cycles"
        await pilot.press("enter")
        await pilot.pause()
        assert "[6 cycles]" in str(app.screen.query_one("#length", Static).render())
    assert Store.open(data_dir).settings().breathe_last["length"] == {"cycles": 6}


async def test_make_change_and_delete_a_pattern_of_your_own(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    app = make_app("breathe")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, PatternEditor)
        editor.query_one("#field-name", Input).value = "Before supervision"
        editor.query_one("#field-phase-0", Input).value = "25"
        editor.query_one("#field-phase-2", Input).value = "4.2"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is editor  # not saved: the errors sit beside their fields
        assert str(editor.query_one("#error-phase-0", Static).render()) == "The longest a part can be is 20 seconds."
        assert str(editor.query_one("#error-phase-2", Static).render()) == "Use whole or half seconds, like 4 or 4.5."
        assert str(editor.query_one("#error-name", Static).render()) == ""
        editor.query_one("#field-phase-0", Input).value = "4"
        editor.query_one("#field-phase-1", Input).value = "2"
        editor.query_one("#field-phase-2", Input).value = "7.5"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BreatheScreen)
        listing = app.screen.query_one(OptionList)
        assert listing.highlighted_option.id.startswith("custom-")
        assert "4-2-7.5" in str(listing.highlighted_option.prompt)

        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, PatternEditor)
        assert [editor.query_one(f"#field-phase-{i}", Input).value for i in range(4)] == ["4", "2", "7.5", "0"]
        editor.query_one("#field-phase-3", Input).value = "1"
        await pilot.press("enter")
        await pilot.pause()
        assert "4-2-7.5-1" in str(app.screen.query_one(OptionList).highlighted_option.prompt)

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        ids = [o.id for o in app.screen.query_one(OptionList).options]
        assert not any(i.startswith("custom-") for i in ids)
    assert Store.open(data_dir).all(BreathingPattern) == []


async def test_presets_cannot_be_edited_or_deleted(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("breathe")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e", "d")
        await pilot.pause()
        assert isinstance(app.screen, BreatheScreen)
        assert len(app.screen.query_one(OptionList).options) == 6


async def test_a_name_already_used_is_refused_beside_the_name(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("breathe")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#field-name", Input).value = "box BREATHING"
        await pilot.press("enter")
        await pilot.pause()
        assert "already have a pattern" in str(app.screen.query_one("#error-name", Static).render())


@pytest.mark.parametrize("name", HOSTILE)
async def test_hostile_pattern_names_are_shown_as_plain_text(make_app, store, clock, name: str) -> None:  # type: ignore[no-untyped-def]
    store.add(BreathingPattern(name=name or "x", phases=[["inhale", 4], ["exhale", 4]]))
    app = make_app("breathe")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.screen.query_one(OptionList)
        custom = listing.get_option_at_index(5)
        if custom.id == "new":
            return  # a name that cleans to nothing is not a pattern
        listing.highlighted = 5
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        assert app.screen.run.started and not app.screen.run.finished


# --- the command line -----------------------------------------------------------------------


def test_an_unknown_pattern_lists_the_valid_ones_and_exits_2(data_dir, capsys) -> None:  # type: ignore[no-untyped-def]
    Store.open(data_dir).add(BreathingPattern(name="Evening", phases=[["inhale", 4], ["exhale", 8]]))
    code = cli_main(["breathe", "--data", str(data_dir), "--pattern", "boxx", "--minutes", "2"])
    error = capsys.readouterr().err
    assert code == 2
    assert "no breathing pattern called 'boxx'" in error
    for key in ["box", "478", "coherent", "sigh", "extended", "custom-1"]:
        assert f"  {key} " in error
    assert "Evening (4-8)" in error


async def test_a_custom_pattern_can_be_started_by_name(make_app, store, clock) -> None:  # type: ignore[no-untyped-def]
    store.add(BreathingPattern(name="Evening", phases=[["inhale", 4], ["exhale", 8]]))
    app = make_app("breathe", pattern="evening", cycles=3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        assert app.screen.pattern.name == "Evening" and app.screen.run.cycles == 3


# --- snapshots ------------------------------------------------------------------------------


def _app(data_dir: Path, mode: str = "breathe", *, reduced: bool = False, **options: Any) -> TendApp:
    store = Store.open(data_dir)
    store.update_settings(welcomed=True, reduced_motion=reduced)
    return TendApp(store, start_mode=mode, start_options=options)


def test_snapshot_pattern_list(snap_compare, data_dir, frozen) -> None:  # type: ignore[no-untyped-def]
    Store.open(data_dir).add(BreathingPattern(name="Before supervision", phases=[["inhale", 4], ["hold", 2], ["exhale", 7.5]]))
    assert snap_compare(_app(data_dir), terminal_size=SIZE)


def test_snapshot_mid_inhale(snap_compare, data_dir, clock, frozen) -> None:  # type: ignore[no-untyped-def]
    async def mid_inhale(pilot: Any) -> None:
        await pilot.pause()
        await advance(pilot.app, pilot, clock, 2.6)

    assert snap_compare(_app(data_dir, pattern="box", minutes=2), run_before=mid_inhale, terminal_size=SIZE)


def test_snapshot_reduced_motion(snap_compare, data_dir, clock, frozen) -> None:  # type: ignore[no-untyped-def]
    async def mid_hold(pilot: Any) -> None:
        await pilot.pause()
        await advance(pilot.app, pilot, clock, 6.2)

    assert snap_compare(_app(data_dir, reduced=True, pattern="478", minutes=2), run_before=mid_hold, terminal_size=SIZE)


def test_snapshot_end(snap_compare, data_dir, clock, frozen) -> None:  # type: ignore[no-untyped-def]
    async def finish(pilot: Any) -> None:
        await pilot.pause()
        await advance(pilot.app, pilot, clock, 60)

    assert snap_compare(_app(data_dir, pattern="coherent", cycles=5), run_before=finish, terminal_size=SIZE)
