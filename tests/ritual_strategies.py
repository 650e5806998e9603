"""Hypothesis strategies shared by the ritual tests."""

from __future__ import annotations

import datetime as dt

import pendulum
from hypothesis import strategies as st

from app.schedule import (
    DAILY,
    DAYS_OF_WEEK,
    EVERY_N_DAYS,
    FROM_DONE,
    FROM_START,
    KINDS,
    MONTHLY_DAY,
    MONTHLY_WEEKDAY,
    TIMES_IN_DAYS,
    TIMES_PER_WEEK,
    WEEKDAYS,
    Schedule,
)


def to_pendulum(day: dt.date) -> pendulum.Date:
    return pendulum.Date(day.year, day.month, day.day)


dates = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2029, 12, 31)).map(to_pendulum)


@st.composite
def schedules(draw: st.DrawFn, kinds: tuple[str, ...] = KINDS, need_start: bool = False) -> Schedule:
    kind = draw(st.sampled_from(kinds))
    start = draw(dates) if need_start else draw(st.none() | dates)
    extra: dict = {}
    if kind == DAYS_OF_WEEK:
        extra["weekdays"] = tuple(draw(st.sets(st.integers(0, 6), min_size=1)))
        extra["every"] = draw(st.integers(1, 4)) if start else 1
    elif kind == EVERY_N_DAYS:
        extra["anchor"] = draw(st.sampled_from([FROM_DONE, FROM_START] if start else [FROM_DONE]))
        extra["every"] = draw(st.integers(1, 40))
    elif kind == TIMES_IN_DAYS:
        window = draw(st.integers(1, 30))
        extra["window"] = window
        extra["times"] = draw(st.integers(1, window))
    elif kind == TIMES_PER_WEEK:
        extra["times"] = draw(st.integers(1, 7))
    elif kind == MONTHLY_DAY:
        extra["day"] = draw(st.integers(1, 31))
    elif kind == MONTHLY_WEEKDAY:
        extra["nth"] = draw(st.sampled_from([1, 2, 3, 4, -1]))
        extra["weekdays"] = (draw(st.integers(0, 6)),)
    end = None
    if start is not None and draw(st.booleans()):
        end = start.add(days=draw(st.integers(0, 400)))
    time = draw(st.none() | st.times().map(lambda t: dt.time(t.hour, t.minute)))
    return Schedule(kind, start=start, end=end, time=time, **extra)


entry_states = st.sampled_from(["done", "done", "skipped"])

__all__ = ["DAILY", "WEEKDAYS", "dates", "entry_states", "schedules", "to_pendulum"]
