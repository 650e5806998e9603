"""Left open, Today redraws a line only when what it says changed (issue 7, "Idle cost")."""

from __future__ import annotations

import pendulum
import pytest
from textual.widgets import Static

NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")
LINES = ("#greeting", "#countdown", "#offers", "#today-rituals-empty", "#today-people-empty", "#today-scan-empty")


@pytest.fixture(autouse=True)
def frozen_now():  # type: ignore[no-untyped-def]
    pendulum.travel_to(NOW, freeze=True)
    yield
    pendulum.travel_back()


def shown(app) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The content object each line holds: a new object means the line was redrawn."""
    return {selector: app.screen.query_one(selector, Static).content for selector in LINES}


async def test_the_minute_wake_up_redraws_nothing_when_nothing_changed(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = shown(app)
        for minute in range(1, 4):
            pendulum.travel_to(NOW.add(minutes=minute), freeze=True)
            app.screen.wake()
            await pilot.pause()
        after = shown(app)
        assert all(after[line] is before[line] for line in LINES)
        assert app.screen.next_wake is not None  # still a wake-up set, for the next minute

        pendulum.travel_to(pendulum.datetime(2026, 11, 25, 17, 0, 5, tz="UTC"), freeze=True)
        app.screen.wake()
        await pilot.pause()
        assert str(app.screen.query_one("#greeting", Static).render()).startswith("Good evening")
        changed = shown(app)
        assert changed["#greeting"] is not before["#greeting"]
        assert changed["#countdown"] is before["#countdown"]


async def test_a_counting_down_session_redraws_once_a_minute(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(until="15:30")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Next session in 1 h " in str(app.screen.query_one("#countdown", Static).render())
        pendulum.travel_to(NOW.add(seconds=1), freeze=True)
        app.screen.wake()  # rounding down, 59:59 left is "59 min"
        assert "59 min" in str(app.screen.query_one("#countdown", Static).render())
        before = shown(app)
        pendulum.travel_to(NOW.add(seconds=20), freeze=True)
        app.screen.wake()  # a wake-up inside the same minute changes nothing
        assert shown(app)["#countdown"] is before["#countdown"]
        pendulum.travel_to(NOW.add(minutes=1, seconds=1), freeze=True)
        app.screen.wake()
        assert shown(app)["#countdown"] is not before["#countdown"]
        assert "58 min" in str(app.screen.query_one("#countdown", Static).render())
