"""Sessions that repeat (issue 16, item 9): Today counts down from the working pattern."""

from __future__ import annotations

import pendulum
import pytest
from textual.widgets import Static

from app.storage import Store
from screens.sessions import SessionsForm
from tests.conftest import wait_until
from tests.notices import Notices
from tests.screentext import screen_text

NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")  # a Wednesday
PATTERN = "on the hour, 9 to 17, 50 minutes"


@pytest.fixture(autouse=True)
def frozen_now():  # type: ignore[no-untyped-def]
    pendulum.travel_to(NOW, freeze=True)
    yield
    pendulum.travel_back()


def countdown(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#countdown", Static).render())


def at(app, *args: int) -> None:  # type: ignore[no-untyped-def]
    pendulum.travel_to(pendulum.datetime(*args, tz="UTC"), freeze=True)
    app.screen.wake()


async def test_today_counts_down_from_the_pattern_without_asking(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    Store.open(data_dir).update_settings(session_pattern=PATTERN)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Next session in 30 min (at 15:00)" in countdown(app)
        assert "w pattern" in countdown(app)
        at(app, 2026, 11, 25, 15, 0)
        assert "time for your next session" in countdown(app)
        at(app, 2026, 11, 25, 15, 9)
        assert "time for your next session" in countdown(app)  # stays a while
        at(app, 2026, 11, 25, 15, 10, 30)
        assert "Next session in 49 min (at 16:00)" in countdown(app)
        at(app, 2026, 11, 25, 16, 30)
        assert "No more sessions today. Next: tomorrow at 09:00" in countdown(app)
        await pilot.pause()
        # At 80 columns the keys do not fit beside it: they go whole to the next line.
        shown = [line.strip() for line in screen_text(app).splitlines()]
        assert "n change for today  w pattern" in shown and not any(line.endswith(" w") for line in shown)
        at(app, 2026, 11, 27, 16, 30)  # Friday evening
        assert "Next: Monday at 09:00" in countdown(app)


async def test_n_overrides_for_one_session_then_the_pattern_takes_over(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    Store.open(data_dir).update_settings(session_pattern=PATTERN)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", *"15:20", "enter")
        await pilot.pause()
        assert "Next session in 50 min (at 15:20)" in countdown(app)
        at(app, 2026, 11, 25, 15, 20)
        assert "time for your next session" in countdown(app)
        at(app, 2026, 11, 25, 15, 31)
        assert "Next session in 29 min (at 16:00)" in countdown(app)
        await pilot.press("n", *"15:45", "enter", "x")
        await pilot.pause()
        assert "(at 16:00)" in countdown(app)  # x clears today's time: back to the pattern


async def test_the_form_reads_the_pattern_back_and_saves_it(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert "When does your next session start?" in countdown(app)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, SessionsForm)
        await pilot.press(*"mon-thu 9:00 10:00 11:30 14:00; fri 9:00 10:00")
        await pilot.pause()
        read = str(app.screen.query_one("#sessions-read", Static).render())
        assert read.startswith("Read as: Monday to Thursday: at 9:00, 10:00, 11:30 and 14:00; Friday: at 9:00 and 10:00.")
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: not isinstance(app.screen, SessionsForm))
        assert Store.open(data_dir).settings().session_pattern == "mon-thu 9:00 10:00 11:30 14:00; fri 9:00 10:00"
        assert "No more sessions today. Next: tomorrow at 09:00" in countdown(app)


async def test_a_pattern_that_cannot_be_read_is_said_and_nothing_is_saved(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w", *"mon 9:00 lunch", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SessionsForm)
        assert "Tend could not read 'lunch'" in str(app.screen.query_one("#form-error", Static).render())
        assert "Tend could not read 'lunch'" in str(app.screen.query_one("#sessions-read", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert Store.open(data_dir).settings().session_pattern == ""


async def test_a_notice_the_chosen_minutes_before_once_with_the_bell_when_bells_are_on(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    Store.open(data_dir).update_settings(session_pattern=PATTERN, session_notice_minutes=5, bell=True)
    app = make_app()
    rings: list[int] = []
    app.bell = lambda: rings.append(1)  # type: ignore[method-assign]
    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        await pilot.pause()
        at(app, 2026, 11, 25, 14, 54, 30)
        assert rings == []
        at(app, 2026, 11, 25, 14, 55)
        at(app, 2026, 11, 25, 14, 56)
        await pilot.pause()
        said = [n for n in notices if "Your next session starts in" in str(n.message)]
        assert [str(n.message) for n in said] == ["Your next session starts in 5:00, at 15:00."]
        assert rings == [1]


async def test_the_notice_is_silent_when_bells_are_off(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    Store.open(data_dir).update_settings(session_pattern=PATTERN, session_notice_minutes=10, bell=False)
    app = make_app()
    rings: list[int] = []
    app.bell = lambda: rings.append(1)  # type: ignore[method-assign]
    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        await pilot.pause()
        at(app, 2026, 11, 25, 14, 50)
        await pilot.pause()
        assert any("starts in 10 min, at 15:00" in str(n.message) for n in notices)
        assert rings == []


async def test_the_form_sets_the_notice_and_the_bell(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w", *PATTERN, "tab", "backspace", *"7", "tab", "space")
        await pilot.pause()
        assert "Bell on" in str(app.screen.query_one("#sessions-bell").label)
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: not isinstance(app.screen, SessionsForm))
        settings = Store.open(data_dir).settings()
        assert (settings.session_pattern, settings.session_notice_minutes, settings.bell) == (PATTERN, 7, True)


async def test_a_pattern_stored_that_no_longer_reads_falls_back_to_asking(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    Store.open(data_dir).update_settings(session_pattern="whenever I like")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "When does your next session start?" in countdown(app)


async def test_a_half_typed_pattern_comes_back_after_tend_closed(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w", *"mon 9:00 10:")
        await pilot.pause()
        app.save_drafts()  # as on quit or a dropped connection
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        assert await wait_until(
            pilot, lambda: isinstance(again.screen, SessionsForm) and again.screen.query_one("#sessions-pattern").value == "mon 9:00 10:"
        )
        await pilot.press(*"00", "ctrl+s")
        assert await wait_until(pilot, lambda: not isinstance(again.screen, SessionsForm))
    store = Store.open(data_dir)
    assert store.settings().session_pattern == "mon 9:00 10:00" and store.draft("sessions") is None


async def test_a_session_after_midnight_said_with_n_is_counted_down_on_a_night_shift(make_app) -> None:  # type: ignore[no-untyped-def]
    pendulum.travel_to(pendulum.datetime(2026, 11, 25, 22, 0, tz="UTC"), freeze=True)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"00:30", "enter")
        await pilot.pause()
        assert "Next session in 2 h 30 min (at 00:30)" in countdown(app)
        assert "No more sessions today" not in countdown(app)
