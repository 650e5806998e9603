"""Opening breathing with a pattern from another screen: TendApp.open_breathing(pattern,
minutes) switches to the breathing reset and calls its public start(pattern, minutes)."""

from __future__ import annotations

from screens.breathe import BreatheScreen, ExerciseScreen, PatternEditor

SIZE = (80, 24)


async def test_today_starts_a_session_before_the_breathing_screen_was_ever_opened(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("today")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1")  # Today's one-minute breathe, the breathing mode not built yet
        await pilot.pause()
        assert app.current_mode == "breathe"
        exercise = app.screen
        assert isinstance(exercise, ExerciseScreen)
        assert (exercise.pattern.key, exercise.run.cycles) == ("box", 4)
        assert isinstance(app.screen_stack[0], BreatheScreen)


async def test_another_screen_can_ask_for_a_pattern_by_name(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("today")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_breathing("sigh")  # as the scan's summary does
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen) and app.screen.pattern.key == "sigh"


async def test_a_form_open_on_the_breathing_screen_is_left_alone_until_it_closes(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("breathe")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")  # the pattern editor, half filled in
        await pilot.pause()
        assert isinstance(app.screen, PatternEditor)
        app.action_go("today")  # (t would type into the editor's name field)
        await pilot.pause()
        app.open_breathing("box", 2)
        await pilot.pause()
        assert isinstance(app.screen, PatternEditor)  # what was typed is not thrown away
        await pilot.press("escape")
        await pilot.pause()
        exercise = app.screen
        assert isinstance(exercise, ExerciseScreen)
        assert (exercise.pattern.key, exercise.run.cycles) == ("box", 8)
