"""A ritual's score, count and streak carried from a full read (issue 14): what
``standing_after`` gives from what was carried and the entries after it is exactly what
``standing`` gives from every entry, for every kind of schedule, on any later day."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pendulum
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from app.progress import Carried, advance, carry, heatmap, standing, standing_after
from app.schedule import KINDS, Schedule
from tests.ritual_strategies import dates, schedules

STATES = st.lists(st.sampled_from(["done", "skipped", None]), min_size=120, max_size=500)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    schedules(), dates, STATES, st.integers(60, 499), st.integers(1, 120),
    st.lists(st.sampled_from(["done", "skipped", None]), max_size=120), st.integers(0, 30),
)  # fmt: skip
def test_what_is_carried_goes_on_exactly_as_every_entry_would(schedule, first, states, cut, ahead, later_states, late) -> None:
    since = first.add(days=late)  # made a few days after its first entry, or on it
    day = first.add(days=min(cut, len(states) - 1))
    today = day.add(days=ahead)
    before = {first.add(days=i): s for i, s in enumerate(states) if s and first.add(days=i) <= day}
    later = {day.add(days=1 + i): s for i, s in enumerate(later_states) if s and day.add(days=1 + i) <= today}
    carried = carry(schedule, before, day, since=since)
    if carried is None:
        return
    assert standing_after(schedule, carried, later, today) == standing(schedule, {**before, **later}, today, since=since)
    # what it keeps is bounded by its span and the walk's restart, never the years
    assert all(carried.resync - 366 <= when <= carried.day for when in carried.entries)


EXAMPLES = {
    "daily": {}, "weekdays": {}, "days_of_week": {"weekdays": (1, 3)}, "every_n_days": {"every": 10},
    "times_in_days": {"times": 2, "window": 7}, "times_per_week": {"times": 3},
    "monthly_day": {"day": 15}, "monthly_weekday": {"nth": 1, "weekdays": (3,)},
}  # fmt: skip


def kept_most_days(kind: str, first: pendulum.Date, days: int) -> tuple[Schedule, dict[pendulum.Date, str]]:
    """A schedule of ``kind`` and ``days`` of entries from ``first``, done most days."""
    rng = random.Random(kind)
    entries = {first.add(days=i): rng.choice(["done"] * 6 + ["skipped", None, None]) for i in range(days)}
    return Schedule(kind, **EXAMPLES[kind]), {d: s for d, s in entries.items() if s}


@pytest.mark.parametrize("kind", KINDS)
def test_years_of_keeping_any_kind_are_carried(kind: str) -> None:
    # A carry that never happened would leave every refresh to read every year: for each
    # kind, two years kept most of the time carry, and go on exactly for weeks after.
    first = pendulum.date(2024, 1, 1)
    schedule, entries = kept_most_days(kind, first, 730)
    day = first.add(days=700)
    carried = carry(schedule, {d: s for d, s in entries.items() if d <= day}, day, since=first)
    assert isinstance(carried, Carried)
    assert len(carried.entries) < 200  # what is kept is weeks of entries, not two years
    for ahead in (1, 7, 29):
        today = day.add(days=ahead)
        later = {d: s for d, s in entries.items() if day < d <= today}
        assert standing_after(schedule, carried, later, today) == standing(schedule, entries | later, today, since=first)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    schedules(), STATES, st.integers(30, 100), st.integers(1, 60),
    st.lists(st.tuples(st.integers(0, 500), st.integers(0, 40)), max_size=3),
    st.lists(st.sampled_from(["done", "skipped", None]), max_size=60),
)  # fmt: skip
def test_a_ritual_read_in_full_once_then_from_tend_json_shows_what_every_entry_shows(
    schedule, states, recent_days, ahead, pauses, later_states
) -> None:
    # As the rituals list sees it: a full read at one moment (every entry, and the recent
    # ones tend.json holds), then a refresh days later from tend.json alone, pauses and all.
    from app.models import Ritual
    from app.rituals import keep_progress, view_from_carry, view_from_states

    first = pendulum.date(2024, 3, 4)
    read_on = first.add(days=len(states))
    record = Ritual(
        id=1, name="r", schedule=schedule.to_dict(), created=pendulum.datetime(2024, 3, 4, tz="UTC"),
        pauses=[[first.add(days=a), first.add(days=a + n)] for a, n in pauses],
    )  # fmt: skip
    every = {first.add(days=i): s for i, s in enumerate(states) if s}
    cut = read_on.subtract(days=recent_days)
    recent = {d: s for d, s in every.items() if d >= cut}
    kept = keep_progress(record, every, recent, read_on)
    event(f'kept={kept is not None and kept.carried is not None}')
    if kept is None:
        return
    today = read_on.add(days=ahead)
    later = {read_on.add(days=i): s for i, s in enumerate(later_states) if s and read_on.add(days=i) <= today}
    shown = view_from_carry(record, recent | later, today, kept)
    assert shown is not None
    whole = view_from_states(record, every | later, today)
    assert (shown.state, shown.since, shown.next_due, shown.score, shown.streak, shown.asked) == (
        whole.state, whole.since, whole.next_due, whole.score, whole.streak, whole.asked
    )  # fmt: skip


def test_a_young_ritual_and_one_with_an_end_date_are_carried_too() -> None:
    # Each new ritual spends weeks with its first entries in history and a walk too short to
    # split; a calendar ritual may end on a date. Neither may send every save back to a full read.
    first = pendulum.date(2026, 1, 5)
    young = {first.add(days=i): "done" for i in range(50) if i % 4}
    day = first.add(days=8)  # its older entries: the first nine days
    for schedule in (Schedule.daily(), Schedule.on_days("mon", "thu", end=first.add(days=200), start=first)):
        carried = carry(schedule, {d: s for d, s in young.items() if d <= day}, day, since=first)
        assert isinstance(carried, Carried) and carried.resync == carried.begin
        today = first.add(days=49)
        later = {d: s for d, s in young.items() if d > day}
        assert standing_after(schedule, carried, later, today) == standing(schedule, young, today, since=first)


def test_a_chain_with_an_end_date_is_carried_and_stops_where_every_entry_stops_it() -> None:
    # "A week after the last time, until ..." and "twice in any 7 days, until ...": the end
    # cuts the chain on its date whichever walk reaches it, so what is carried goes on to the
    # end and past it exactly as every entry does (the property above covers any chain).
    rng = random.Random(7)
    first = pendulum.date(2024, 1, 1)
    entries = {first.add(days=i): "done" if rng.random() < 0.8 else "skipped" for i in range(400) if rng.random() < 0.4}
    day = first.add(days=300)
    for end in (day.subtract(days=40), day.add(days=10), day.add(days=45)):
        for schedule in (
            Schedule.every_n_days(7, start=first, end=end),
            Schedule.times_in_days(2, 7, start=first, end=end),
        ):
            carried = carry(schedule, {d: s for d, s in entries.items() if d <= day}, day, since=first)
            assert isinstance(carried, Carried), schedule
            later = {d: s for d, s in entries.items() if d > day}
            for today in (day.add(days=5), end, end.add(days=1), first.add(days=420)):
                if today > day:
                    assert standing_after(schedule, carried, later, today) == standing(schedule, entries, today, since=first)


@dataclass(frozen=True)
class Carrying:
    """A ritual's entries carried to ``day`` (``carried``, never None), and every one of them
    up to ``today``, some weeks or months later."""

    schedule: Schedule
    since: pendulum.Date
    day: pendulum.Date
    today: pendulum.Date
    every: dict
    carried: Carried


@st.composite
def carrying(draw: st.DrawFn, most_later: int) -> Carrying:
    """Any schedule and entries, carried to a day; then up to ``most_later`` days of entries."""
    schedule, first, states = draw(schedules()), draw(dates), draw(STATES)
    day = first.add(days=min(draw(st.integers(60, 300)), len(states) - 1))
    later = draw(st.lists(st.sampled_from(["done", "skipped", None]), max_size=most_later))
    since = first.add(days=draw(st.integers(0, 30)))  # made a few days after its first entry, or on it
    today = day.add(days=most_later)
    every = {first.add(days=i): s for i, s in enumerate(states) if s and first.add(days=i) <= day}
    every |= {day.add(days=1 + i): s for i, s in enumerate(later) if s and day.add(days=1 + i) <= today}
    carried = carry(schedule, {d: s for d, s in every.items() if d <= day}, day, since=since)
    assume(carried is not None)
    return Carrying(schedule, since, day, today, every, carried)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(carrying(most_later=320), st.integers(0, 200), st.integers(1, 120))
def test_what_was_carried_moves_on_to_a_later_day_as_a_carry_from_every_entry_would(c: Carrying, step: int, ahead: int) -> None:
    # What Tend keeps between starts is carried to the end of a year, then moved on to the end
    # of the next one (and to the last day in history) from the entries after it alone.
    moved_to = c.day.add(days=step)
    today = moved_to.add(days=ahead)
    every = {d: s for d, s in c.every.items() if d <= today}
    moved = advance(c.schedule, c.carried, {d: s for d, s in every.items() if c.day < d <= moved_to}, moved_to)
    event(f"moved on: {moved is not None}")
    if moved is None:
        return
    assert moved.day == moved_to.toordinal()
    after = {d: s for d, s in every.items() if d > moved_to}
    assert standing_after(c.schedule, moved, after, today) == standing(c.schedule, every, today, since=c.since)
    assert all(moved.resync - 366 <= when <= moved.day for when in moved.entries)


@pytest.mark.parametrize("kind", KINDS)
def test_years_of_keeping_any_kind_move_on_year_by_year(kind: str) -> None:
    # Carried to the end of 2023, then moved on a year at a time: each step goes on exactly as
    # every entry would, and none of them gives up (which would mean reading every year again).
    first = pendulum.date(2023, 1, 1)
    schedule, entries = kept_most_days(kind, first, 1400)
    carried = carry(schedule, {d: s for d, s in entries.items() if d.year <= 2023}, pendulum.date(2023, 12, 31), since=first)
    assert carried is not None
    for year in (2024, 2025, 2026):
        moved = advance(schedule, carried, {d: s for d, s in entries.items() if d.year == year}, pendulum.date(year, 12, 31))
        assert moved is not None, year
        carried = moved
        for ahead in (1, 40):
            today = pendulum.date(year, 12, 31).add(days=ahead)
            later = {d: s for d, s in entries.items() if d.year > year and d <= today}
            every = {d: s for d, s in entries.items() if d <= today}
            assert standing_after(schedule, carried, later, today) == standing(schedule, every, today, since=first)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(carrying(most_later=460), st.integers(1, 400), st.integers(1, 53))
def test_a_heatmap_from_what_was_carried_is_the_heatmap_from_every_entry(c: Carrying, ahead: int, weeks: int) -> None:
    # A ritual's detail draws up to a year of weeks from the entries after a day carried to
    # before them, not from every entry: each cell is what every entry would make it.
    today = c.day.add(days=ahead)
    every = {d: s for d, s in c.every.items() if d <= today}
    shown_from = today.subtract(days=today.weekday() + 7 * (weeks - 1))
    event(f"compared: {c.carried.day < shown_from.toordinal()}")
    if c.carried.day >= shown_from.toordinal():
        return
    after = {d: s for d, s in every.items() if d > c.day}
    assert heatmap(c.schedule, after, today, weeks=weeks, since=c.since, carried=c.carried) == heatmap(
        c.schedule, every, today, weeks=weeks, since=c.since
    )
