"""Today, driven with the keyboard at frozen moments."""

from __future__ import annotations

import pendulum
import pytest
from textual.widgets import Static

from app.models import Colleague, Contact
from app.storage import Store
from screens.dialogs import TextPrompt

NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")


@pytest.fixture(autouse=True)
def frozen_now():  # type: ignore[no-untyped-def]
    pendulum.travel_to(NOW, freeze=True)
    yield
    pendulum.travel_back()


def text_of(app, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(selector, Static).render())


async def set_next_session(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, TextPrompt)
    await pilot.press(*text, "enter")
    await pilot.pause()


def refresh(app) -> None:  # type: ignore[no-untyped-def]
    app.screen._update_countdown()


async def test_greets_by_time_of_day_with_the_date(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)):
        assert text_of(app, "#greeting") == "Good afternoon. Wednesday 25 November"


async def test_break_planner_counts_down_and_offers_what_fits(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await set_next_session(pilot, "15:00")
        assert "Next session in 30 min (at 15:00)" in text_of(app, "#countdown")
        offers = text_of(app, "#offers")
        assert "breathe 1 3 5 min" in offers and "quick body scan" in offers and "check-in message" in offers

        pendulum.travel_to(NOW.add(minutes=25), freeze=True)
        refresh(app)
        assert "Next session in 5:00" in text_of(app, "#countdown")
        offers = text_of(app, "#offers")
        assert "breathe 1 3 min" in offers and "5 min" not in offers and "quick body scan" in offers

        pendulum.travel_to(NOW.add(minutes=29), freeze=True)
        refresh(app)
        assert "1:00" in text_of(app, "#countdown")
        offers = text_of(app, "#offers")
        assert "breathe 1 min" in offers and "body scan" not in offers and "check-in message" in offers

        pendulum.travel_to(NOW.add(minutes=30), freeze=True)
        refresh(app)
        refresh(app)  # said once, not on every redraw
        await pilot.pause()
        assert "time for your next session" in text_of(app, "#countdown")
        said = [n for n in app._notifications if "time for your next session" in str(n.message)]
        assert len(said) == 1
        assert app.current_mode == "today"  # never blocks

        await pilot.press("x")
        await pilot.pause()
        assert "When does your next session start?" in text_of(app, "#countdown")


async def test_the_countdown_sleeps_a_minute_at_a_time_until_the_last_five(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await set_next_session(pilot, "in 20 min")
        timer = app.screen._timer
        assert timer is not None and timer._interval == pytest.approx(60, abs=0.01)
        pendulum.travel_to(NOW.add(minutes=17, seconds=30), freeze=True)
        refresh(app)
        assert app.screen._timer._interval == pytest.approx(1.0, abs=0.01)  # type: ignore[union-attr]


async def test_a_time_that_cannot_be_read_is_explained_under_the_field(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"14:10", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        assert "already passed" in str(app.screen.query_one("#prompt-error", Static).render())
        await pilot.press("escape")


async def test_until_from_the_command_line(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(until="12m")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Next session in 12 min (at 14:42)" in text_of(app, "#countdown")


async def test_empty_sections_say_what_to_do(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)):
        assert "r shows all your rituals" in text_of(app, "#rituals-empty")
        assert "c to add the people you lean on" in text_of(app, "#people-empty")
        assert "s for a one-minute" in text_of(app, "#scan-empty")


async def test_colleagues_due_most_due_first_at_most_three(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(data_dir)
    names = {"Ann": 40, "Ben": 20, "Cat": 3, "Dev": 60, "Eve": 30}
    for name, days in names.items():
        person = store.add(Colleague(name=name, ideal_days=14))
        store.add(Contact(colleague_id=person.id, when=NOW.subtract(days=days)))  # type: ignore[arg-type]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        people = app.screen.query_one("#people")
        shown = [str(people.get_option_at_index(i).prompt) for i in range(people.option_count)]
        assert [line.split()[2] for line in shown] == ["Dev", "Ann", "Eve"]
        assert all("due" in line for line in shown)
        await pilot.press("p")
        await pilot.pause()
        assert app.focused is people


async def test_refreshes_when_another_tend_changes_the_data(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.query_one("#people").display is False
        other = Store.open(data_dir)  # another tend of the same user
        other.add(Colleague(name="Zoe"))
        app.screen._tick()  # the once-a-minute wake-up
        await pilot.pause()
        people = app.screen.query_one("#people")
        assert people.display and "Zoe" in str(people.get_option_at_index(0).prompt)
