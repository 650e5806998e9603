"""Today's items (issue 16, item 8): what space marks, the selected row, the last scan opening
itself, "N minutes ago" kept true, and a countdown that rounds down."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Static

from app.models import BodyScan, Colleague, Ritual, RitualEntry
from app.storage import Store
from app.today import ago_words
from tests.conftest import wait_until
from tests.notices import Notices

NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")


@pytest.fixture(autouse=True)
def frozen_now():  # type: ignore[no-untyped-def]
    pendulum.travel_to(NOW, freeze=True)
    yield
    pendulum.travel_back()


def rows(app, selector: str) -> list[str]:  # type: ignore[no-untyped-def]
    listing = app.screen.query_one(selector)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


def seed_two_rituals(data_dir) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(data_dir)
    store.add(Ritual(name="Stretch", schedule={"kind": "daily"}, created=NOW.subtract(days=3)))
    store.add(Ritual(name="Walk at lunch", schedule={"kind": "daily"}, created=NOW.subtract(days=3)))


# -- space and the selected row ----------------------------------------------------------------


async def test_the_selected_ritual_shows_and_space_marks_it_at_once(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    seed_two_rituals(data_dir)
    app = make_app()
    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        await pilot.pause()
        listed = rows(app, "#today-rituals")
        assert listed[0].startswith("▶ [ ] Stretch") and listed[1].startswith("  [ ] Walk")  # selected before any key
        await pilot.press("space")  # no d first
        await pilot.pause()
        assert [(e.ritual_id, e.status) for e in Store.open(data_dir).all(RitualEntry)] == [(1, "done")]
        assert any("Stretch" in str(n.message) for n in notices)
        assert rows(app, "#today-rituals")[0].startswith("▶ [ ] Walk at lunch")  # the mark moves on


async def test_space_marks_the_row_moved_to(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    seed_two_rituals(data_dir)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d", "down")
        await pilot.pause()
        assert rows(app, "#today-rituals")[1].startswith("▶ [ ] Walk")
        await pilot.press("space")
        await pilot.pause()
        assert [e.ritual_id for e in Store.open(data_dir).all(RitualEntry)] == [2]


async def test_space_with_nothing_due_says_so(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        await pilot.press("space")
        await pilot.pause()
        assert any("No rituals yet" in str(n.message) for n in notices)


async def test_other_lists_mark_their_row_only_while_they_have_focus(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    Store.open(data_dir).add(Colleague(name="Jo", want_to_reach_now=True))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not rows(app, "#today-people")[0].startswith("▶")
        await pilot.press("p")
        assert await wait_until(pilot, lambda: rows(app, "#today-people")[0].startswith("▶ "))


# -- the last body scan ------------------------------------------------------------------------


async def test_enter_on_the_last_scan_opens_that_scan(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(data_dir)
    store.add(BodyScan(when=NOW.subtract(days=3), ratings={"neck": 1}))
    last = store.add(BodyScan(when=NOW.subtract(hours=38), ratings={"neck": 3, "jaw": 2}))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert rows(app, "#today-scan")[0].strip().startswith("yesterday at 00:30 — ")
        await pilot.press("l", "enter")
        await pilot.pause()
        assert app.current_mode == "scan"
        summary = app.screen.summary
        assert summary is not None and summary.record.ratings == last.ratings  # that scan, not a new one
        assert "(from history)" in str(app.screen.query_one("#summary-title", Static).render())


async def test_the_last_scan_opens_on_a_scan_screen_already_open(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    Store.open(data_dir).add(BodyScan(when=NOW.subtract(minutes=5), ratings={"jaw": 2}))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")  # the scan screen exists, on its first item
        await pilot.pause()
        await pilot.press("t", "l", "enter")
        await pilot.pause()
        assert app.current_mode == "scan" and app.screen.summary.record.ratings == {"jaw": 2}


async def test_minutes_ago_follows_the_clock_and_redraws_only_when_its_words_change(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    Store.open(data_dir).add(BodyScan(when=NOW.subtract(minutes=3), ratings={"jaw": 2}))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        listing = app.screen.query_one("#today-scan")
        assert "3 minutes ago" in rows(app, "#today-scan")[0]
        before = listing.get_option_at_index(0).prompt
        pendulum.travel_to(NOW.add(seconds=30), freeze=True)
        app.screen.wake()
        assert listing.get_option_at_index(0).prompt is before  # same minute: nothing sent
        pendulum.travel_to(NOW.add(minutes=2), freeze=True)
        app.screen.wake()
        await pilot.pause()
        assert "5 minutes ago" in rows(app, "#today-scan")[0]
        pendulum.travel_to(NOW.add(hours=10), freeze=True)  # past midnight
        app.screen.wake()
        await pilot.pause()
        assert "yesterday at 14:27" in rows(app, "#today-scan")[0]


async def test_minutes_ago_also_refresh_while_a_session_counts_down(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    Store.open(data_dir).add(BodyScan(when=NOW.subtract(minutes=3), ratings={"jaw": 2}))
    app = make_app(until="12m")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pendulum.travel_to(NOW.add(minutes=1), freeze=True)
        app.screen.wake()
        await pilot.pause()
        assert "4 minutes ago" in rows(app, "#today-scan")[0]


async def test_the_countdown_rounds_down(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(until="15:00")
    async with app.run_test(size=(80, 24)) as pilot:
        pendulum.travel_to(pendulum.datetime(2026, 11, 25, 14, 50, 41, tz="UTC"), freeze=True)  # 9:19 left
        app.screen.wake()
        await pilot.pause()
        assert "Next session in 9 min (at 15:00)" in str(app.screen.query_one("#countdown", Static).render())


# -- ago_words, pure ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "now", "words"),
    [
        ("2026-11-25T14:29:50", "2026-11-25T14:30:10", "1 minute ago"),
        ("2026-11-25T14:30:05", "2026-11-25T14:30:50", "just now"),
        ("2026-11-25T14:40:00", "2026-11-25T14:30:00", "just now"),
        ("2026-11-25T13:31:00", "2026-11-25T14:30:00", "59 minutes ago"),
        ("2026-11-25T09:10:00", "2026-11-25T14:30:00", "today at 09:10"),
        ("2026-11-24T00:30:00", "2026-11-25T14:30:00", "yesterday at 00:30"),  # 38 hours
        ("2026-11-23T18:00:00", "2026-11-25T08:00:00", "2 days ago"),  # also 38 hours
        ("2026-11-24T23:59:00", "2026-11-25T00:10:00", "11 minutes ago"),
        ("2026-11-24T22:00:00", "2026-11-25T00:10:00", "yesterday at 22:00"),
        ("2026-11-12T10:00:00", "2026-11-25T14:30:00", "13 days ago"),
        ("2026-11-03T10:00:00", "2026-11-25T14:30:00", "on 3 November"),
        ("2025-11-03T10:00:00", "2026-01-25T14:30:00", "on 3 November 2025"),
    ],
)
def test_ago_words(when: str, now: str, words: str) -> None:
    assert ago_words(pendulum.parse(when), pendulum.parse(now)) == words  # type: ignore[arg-type]


def test_ago_words_use_the_local_calendar() -> None:
    """A scan stored in UTC is "yesterday" by the person's own clock, not by UTC's."""
    when = pendulum.datetime(2026, 11, 25, 3, 0, tz="UTC")  # 22:00 on the 24th in New York
    now = pendulum.datetime(2026, 11, 25, 10, 0, tz="America/New_York")
    assert ago_words(when, now) == "yesterday at 22:00"


@given(st.integers(min_value=0, max_value=60 * 24 * 400))
def test_never_a_day_count_for_yesterday(minutes: int) -> None:
    now = pendulum.datetime(2026, 3, 29, 12, 0, tz="Europe/London")  # a DST day
    when = now.subtract(minutes=minutes)
    words = ago_words(when, now)
    days = (now.date() - when.date()).days
    if words.endswith("days ago"):
        assert int(words.split()[0]) == days >= 2
    if words.startswith("yesterday"):
        assert days == 1
    assert words != "1 day ago" and words != "1 days ago"
