"""An extra "done" never uses up a meeting weeks away; a meeting moved a day or two is kept.

The rule lives in the docstring of :mod:`app.schedule` ("Early"): a done between occasions
keeps the next one only when it falls at most ``EARLY_DAYS`` before it.
"""

from __future__ import annotations

import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.schedule import (
    DAYS_OF_WEEK,
    EARLY_DAYS,
    MONTHLY_DAY,
    MONTHLY_WEEKDAY,
    Schedule,
    next_due,
    occasions,
    scheduled_dates,
    status,
)
from tests.ritual_strategies import entry_states, schedules

D = pendulum.date
FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CALENDAR_KINDS = (MONTHLY_DAY, MONTHLY_WEEKDAY, DAYS_OF_WEEK)


def test_an_extra_meeting_late_in_the_month_keeps_next_months_occasion() -> None:
    monthly = Schedule.monthly_on_day(15, start=D(2026, 10, 1))
    entries = {D(2026, 11, 15): "done"}
    assert next_due(monthly, entries, D(2026, 11, 30)) == D(2026, 12, 15)
    entries[D(2026, 11, 30)] = "done"  # an extra meeting
    assert next_due(monthly, entries, D(2026, 11, 30)) == D(2026, 12, 15)
    december = occasions(monthly, entries, D(2026, 12, 15), D(2026, 12, 15), today=D(2026, 12, 15))
    assert [o.outcome for o in december] == ["due"]


def test_the_same_for_every_second_thursday() -> None:
    fortnightly = Schedule.on_days("thu", every=2, start=D(2026, 11, 5))  # 5 Nov, 19 Nov, 3 Dec
    entries = {D(2026, 11, 19): "done", D(2026, 11, 23): "done"}  # the extra is 10 days ahead
    assert next_due(fortnightly, entries, D(2026, 11, 23)) == D(2026, 12, 3)
    assert status(fortnightly, entries, D(2026, 12, 3)).state == "due"


def test_a_meeting_moved_a_day_or_two_earlier_is_still_kept() -> None:
    monthly = Schedule.monthly_on_day(15, start=D(2026, 10, 1))
    for early in range(1, EARLY_DAYS + 1):
        moved = D(2026, 12, 15).subtract(days=early)
        entries = {D(2026, 11, 15): "done", moved: "done"}
        assert next_due(monthly, entries, moved) == D(2027, 1, 15)
        kept = occasions(monthly, entries, D(2026, 12, 15), D(2026, 12, 15), today=D(2026, 12, 16))
        assert kept[0].outcome == "done" and kept[0].entry == moved


def test_a_skip_weeks_ahead_never_hides_the_next_meeting() -> None:
    """The 3-year data: a skip on 7 Nov settled the circle of 3 Dec, so Tend said "in 1 month"."""
    circle = Schedule.monthly_on_weekday(1, "thu", start=D(2026, 9, 1))  # 5 Nov, 3 Dec
    entries = {D(2026, 11, 2): "done", D(2026, 11, 7): "skipped"}
    assert next_due(circle, entries, D(2026, 11, 30)) == D(2026, 12, 3)


def test_a_skip_a_day_or_two_ahead_settles_the_next_occasion() -> None:
    monthly = Schedule.monthly_on_day(15, start=D(2026, 10, 1))
    entries = {D(2026, 11, 15): "done", D(2026, 12, 13): "skipped"}
    assert next_due(monthly, entries, D(2026, 12, 15)) == D(2027, 1, 15)


@st.composite
def calendar_cases(draw: st.DrawFn):
    """A calendar schedule, a history whose last occasion is settled, and a day between it and
    the next occasion."""
    schedule = draw(schedules(CALENDAR_KINDS, need_start=True))
    first = schedule.start
    assert first is not None
    dates = scheduled_dates(schedule, first, first.add(days=200))
    if len(dates) < 3:
        return None
    index = draw(st.integers(0, len(dates) - 2))
    occasion, following = dates[index], dates[index + 1]
    offsets = draw(st.dictionaries(st.integers(0, (occasion - first).days), entry_states, max_size=30))
    entries = {first.add(days=k): v for k, v in offsets.items()}
    entries[occasion] = "done"  # the occasion before is settled
    gap = (following - occasion).days
    if gap < 2:
        return None
    day = occasion.add(days=draw(st.integers(1, gap - 1)))
    return schedule, first, entries, day, following


@FAST
@given(calendar_cases())
def test_an_extra_done_never_hides_an_occasion_more_than_a_few_days_away(case) -> None:
    if case is None:
        return
    schedule, first, entries, day, following = case
    before = next_due(schedule, entries, day, since=first)
    for state in ("done", "skipped"):
        after = next_due(schedule, {**entries, day: state}, day, since=first)
        if (following - day).days > EARLY_DAYS:
            assert after == before == following
        else:
            assert after is None or after > following  # settled early: the next one after it


@FAST
@given(calendar_cases())
def test_a_meeting_moved_by_a_day_is_still_kept(case) -> None:
    if case is None:
        return
    schedule, first, entries, _, following = case
    moved = following.subtract(days=1)
    if moved in entries or moved <= max(entries):
        return
    seen = occasions(schedule, {**entries, moved: "done"}, following, following, since=first,
                     today=following)
    assert [(o.outcome, o.entry) for o in seen] == [("done", moved)]
