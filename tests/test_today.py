"""Today, driven with the keyboard at frozen moments."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pendulum
import pytest
from textual.widgets import Static

from app.models import BodyScan, Colleague, Contact, Ritual, RitualEntry
from app.storage import Store
from screens.dialogs import TextPrompt
from tests.notices import Notices

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
    app.screen.wake()


async def test_greets_by_time_of_day_with_the_date(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)):
        assert text_of(app, "#greeting") == "Good afternoon. Wednesday 25 November"


async def test_break_planner_counts_down_and_offers_what_fits(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
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
        said = [n for n in notices if "time for your next session" in str(n.message)]
        assert len(said) == 1
        assert app.current_mode == "today"  # never blocks

        await pilot.press("x")
        await pilot.pause()
        assert "When does your next session start?" in text_of(app, "#countdown")


async def test_the_countdown_sleeps_a_minute_at_a_time_until_the_last_five(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await set_next_session(pilot, "in 20 min")
        # "20 min" for exactly 20:00 left; rounding down, it turns "19 min" at once.
        assert app.screen.next_wake == pytest.approx(0.05, abs=0.01)
        pendulum.travel_to(NOW.add(seconds=1), freeze=True)
        refresh(app)
        assert app.screen.next_wake == pytest.approx(59, abs=0.01)
        pendulum.travel_to(NOW.add(minutes=17, seconds=30), freeze=True)
        refresh(app)
        assert app.screen.next_wake == pytest.approx(1.0, abs=0.01)


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
        assert "No rituals yet. r to add one" in text_of(app, "#today-rituals-empty")
        assert "c to add the people you lean on" in text_of(app, "#today-people-empty")
        assert "s for a one-minute" in text_of(app, "#today-scan-empty")


async def test_colleagues_due_most_due_first_at_most_three(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(data_dir)
    names = {"Ann": 40, "Ben": 20, "Cat": 3, "Dev": 60, "Eve": 30}
    for name, days in names.items():
        person = store.add(Colleague(name=name, ideal_days=14))
        store.add(Contact(colleague_id=person.id, when=NOW.subtract(days=days)))  # type: ignore[arg-type]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        people = app.screen.query_one("#today-people")
        shown = [str(people.get_option_at_index(i).prompt) for i in range(people.option_count)]
        assert [line.split()[2] for line in shown] == ["Dev", "Ann", "Eve"]
        assert all("due" in line for line in shown)
        await pilot.press("p")
        await pilot.pause()
        assert app.focused is people


async def test_refreshes_when_another_tend_changes_the_data(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.query_one("#today-people").display is False
        # Another tend of the same user, in another process, adds someone.
        code = (
            "import sys; from pathlib import Path; from app.storage import Store; "
            "from app.models import Colleague; Store.open(Path(sys.argv[1])).add(Colleague(name='Zoe', want_to_reach_now=True))"
        )
        subprocess.run([sys.executable, "-c", code, str(data_dir)], check=True, cwd=Path(__file__).resolve().parents[1])
        app.screen.wake()  # the once-a-minute wake-up
        await pilot.pause()
        people = app.screen.query_one("#today-people")
        assert people.display and "Zoe" in str(people.get_option_at_index(0).prompt)


async def test_the_message_key_copies_a_check_in_for_the_colleague_most_due(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(data_dir)
    ann = store.add(Colleague(name="Ann [/]", ideal_days=7))
    store.add(Contact(colleague_id=ann.id, when=NOW.subtract(days=30)))  # type: ignore[arg-type]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("c")  # copy the first message
        await pilot.pause()
        assert app.clipboard.startswith("Hi Ann,")  # the name she is called by
        await pilot.press("l")  # and log it as a message
        await pilot.pause()
        contacts = Store.open(data_dir).all(Contact)
        assert [c.kind for c in contacts] == ["message", "message"]
        assert app.current_mode == "today"


@pytest.mark.parametrize(("people", "said"), [([], "No colleagues yet"), (["Ann"], "Nobody is waiting on a check-in")])
async def test_the_message_key_with_nobody_due_says_whether_there_is_anyone_at_all(make_app, data_dir, people, said) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(data_dir)
    for name in people:
        store.add(Colleague(name=name, created=NOW))  # new: not due for a cadence yet
    notices = Notices()
    async with make_app().run_test(size=(80, 24), message_hook=notices) as pilot:
        await pilot.press("m")
        await pilot.pause()
        assert notices.said(said)


def seed_rituals(data_dir) -> Store:  # type: ignore[no-untyped-def]
    store = Store.open(data_dir)
    ann = store.add(Colleague(name="Ann", role="supervisor"))
    store.add(Ritual(name="Supervision [/]", schedule={"kind": "daily"}, colleague_ids=[ann.id], created=NOW.subtract(days=3)))  # type: ignore[list-item]
    store.add(Ritual(name="Monthly circle", schedule={"kind": "monthly_day", "day": 1}, created=NOW.subtract(days=3)))
    return store


async def test_due_rituals_are_listed_and_done_from_here_with_undo(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    seed_rituals(data_dir)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        listing = app.screen.query_one("#today-rituals")
        assert listing.option_count == 1  # the monthly one is not due on the 25th
        assert "Supervision [/]" in str(listing.get_option_at_index(0).prompt)
        await pilot.press("d", "space")
        await pilot.pause()
        store = Store.open(data_dir)
        assert [(e.ritual_id, e.status) for e in store.all(RitualEntry)] == [(1, "done")]
        assert [(c.colleague_id, c.kind) for c in store.all(Contact)] == [(1, "supervision")]
        assert app.screen.query_one("#today-rituals").display is False  # nothing due any more
        assert "Nothing due today" in text_of(app, "#today-rituals-empty")
        await pilot.press("u")
        await pilot.pause()
        store = Store.open(data_dir)
        assert store.all(RitualEntry) == [] and store.all(Contact) == []
        assert app.screen.query_one("#today-rituals").option_count == 1


async def test_enter_on_a_ritual_marks_it_done(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    seed_rituals(data_dir)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d", "enter")
        await pilot.pause()
        assert [e.status for e in Store.open(data_dir).all(RitualEntry)] == ["done"]


async def test_the_last_scan_at_a_glance(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(data_dir)
    for days, neck in [(10, 1), (9, 1), (2, 3), (1, 3)]:
        store.add(BodyScan(when=NOW.subtract(days=days), ratings={"neck": neck, "jaw": 2, "sleep": 2}))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        glance = str(app.screen.query_one("#today-scan").get_option_at_index(0).prompt)
        assert glance.strip().startswith("yesterday at 14:30 — neck and shoulders (strong), jaw and face (noticeable).")
        assert "Total" not in glance and " of 6" not in glance  # no score out of a maximum (#16.4)
        assert "Heavier than the week before" in glance
        await pilot.press("l", "enter")
        await pilot.pause()
        assert app.current_mode == "scan"


async def test_returning_to_the_app_notices_another_tends_changes(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    from textual import events

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        Store.open(data_dir).add(Colleague(name="Yan", want_to_reach_now=True))
        app.post_message(events.AppFocus())
        await pilot.pause()
        assert "Yan" in str(app.screen.query_one("#today-people").get_option_at_index(0).prompt)


async def test_the_zero_moment_rings_the_bell_when_bells_are_on(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    Store.open(data_dir).update_settings(bell=True)
    app = make_app(until="1m")
    rings: list[int] = []
    app.bell = lambda: rings.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pendulum.travel_to(NOW.add(minutes=2), freeze=True)
        refresh(app)
        refresh(app)
        assert rings == [1]


async def test_a_section_keeps_its_height_after_visiting_another_screen(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    """Another screen's stylesheet once shared an id with a Today section and stretched it."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")  # loads the colleagues screen's stylesheet
        await pilot.pause()
        Store.open(data_dir).add(Colleague(name="Jo", want_to_reach_now=True))
        await pilot.press("t")
        await pilot.pause()
        assert app.screen.query_one("#today-people").size.height == 1
