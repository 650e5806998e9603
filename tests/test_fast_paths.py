"""Quicker ways to the same answers: each is checked against the slower original."""

from __future__ import annotations

import datetime as dt

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

from app.bodyscan import _parse_time, _stamp
from app.progress import _begin, streak
from app.schedule import DONE, MISSED, Schedule, normalise_entries, occasions
from tests.ritual_strategies import dates, entry_states, schedules


def streak_the_long_way(schedule: Schedule, entries: dict, today: dt.date, since: dt.date | None) -> int:
    """The streak as first written: from every occasion, as date objects."""
    ent = normalise_entries(entries)
    first = pendulum.Date.fromordinal(_begin(schedule, ent, today.toordinal(), since))
    count = 0
    for occasion in reversed(occasions(schedule, entries, first, today, today=today, since=since)):
        if occasion.outcome == DONE:
            count += 1
        elif occasion.outcome == MISSED:
            break
    return count


@settings(max_examples=300, deadline=None)
@given(schedules(), st.dictionaries(dates, entry_states, max_size=60), dates, st.none() | dates)
def test_the_streak_is_what_every_occasion_says(schedule: Schedule, entries: dict, today: dt.date, since: dt.date | None) -> None:
    assert streak(schedule, entries, today, since=since) == streak_the_long_way(schedule, entries, today, since)


@given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)), st.sampled_from(["UTC", "Europe/London", "America/St_Johns", "Asia/Kolkata"]))
def test_history_dates_read_as_pendulum_writes_them(moment: dt.datetime, zone: str) -> None:
    when = pendulum.instance(moment, tz=zone)
    assert _stamp(when) == when.format("ddd D MMM YYYY  HH:mm")


@given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)), st.integers(-14 * 60, 14 * 60), st.booleans())
def test_scan_times_parse_as_pendulum_parses_them(moment: dt.datetime, offset_minutes: int, with_offset: bool) -> None:
    text = moment.replace(tzinfo=dt.timezone(dt.timedelta(minutes=offset_minutes))).isoformat() if with_offset else moment.isoformat()
    quick, slow = _parse_time.__wrapped__(text), pendulum.parse(text)
    assert quick == slow and quick.utcoffset() == slow.utcoffset()  # type: ignore[union-attr]


def test_scan_times_that_are_not_times_are_none() -> None:
    assert _parse_time.__wrapped__("not a time") is None
