"""What docs/storage.md's recent window must hold: a ritual's status on Today from the last
six weeks of entries plus the last done and last skipped day before them (the summary) is
the status from every entry, for every kind of schedule (issue 14).

The split store is not built; this pins the promise its first frame rests on. It found
that the last done day is not enough: "3 times in 30 days" overdue for months is overdue
since the day its last three done days stopped covering, so the summary keeps the last 31
done days (and then, on this sweep, the status needs nothing else from before the window).
"""

from __future__ import annotations

import datetime as dt
import random

import pendulum
from app.schedule import Schedule, status

WINDOW_DAYS = 42
"""As ``benchmarks/scale.py`` and docs/storage.md, section 2."""
SUMMARY_DONE = 31
"""Done days before the window a ritual's summary keeps: "n times in d days" (d <= 31) is
overdue since the day its last n done days stopped covering, however long ago that was."""

SCHEDULES = [
    Schedule("daily"),
    Schedule("weekdays"),
    Schedule("days_of_week", weekdays=(0, 2, 4)),
    Schedule("days_of_week", weekdays=(1,), every=2, start=pendulum.Date(2025, 1, 7)),
    Schedule("every_n_days", every=10, anchor="done"),
    Schedule("every_n_days", every=9, anchor="start", start=pendulum.Date(2025, 1, 3)),
    Schedule("times_per_week", times=2),
    Schedule("times_per_week", times=5),
    Schedule("times_in_days", times=2, window=7),
    Schedule("times_in_days", times=3, window=30),
    Schedule("monthly_day", day=15),
    Schedule("monthly_day", day=31),
    Schedule("monthly_weekday", weekdays=(3,), nth=1),
    Schedule("monthly_weekday", weekdays=(4,), nth=-1),
]


def from_window(entries: dict[dt.date, str], today: dt.date, days: int = WINDOW_DAYS, done: int = 0) -> dict[dt.date, str]:
    """The window's entries plus the summary's last :data:`SUMMARY_DONE` done days and last
    skipped day before it."""
    start = today - dt.timedelta(days=days)
    kept = {day: state for day, state in entries.items() if day >= start}
    for state, count in (("done", done or SUMMARY_DONE), ("skipped", 1)):
        before = sorted(day for day, s in entries.items() if day < start and s == state)
        kept.update((day, state) for day in before[-count:])
    return kept


def differences(days: int, done: int = 0) -> list[str]:
    """Every (schedule, day, history) where the window and summary give another status."""
    rng = random.Random(20261130)
    found = []
    made = pendulum.Date(2025, 1, 1)
    for schedule in SCHEDULES:
        for density in (0.05, 0.2, 0.5, 0.9):  # from rarely to nearly every day
            entries = {
                made.add(days=offset): ("skipped" if rng.random() < 0.1 else "done")
                for offset in range(700)
                if rng.random() < density
            }
            for offset in range(60, 700, 3):
                today = made.add(days=offset)
                upto = {day: state for day, state in entries.items() if day <= today}
                whole = status(schedule, upto, today, since=made)
                if status(schedule, from_window(upto, today, days, done), today, since=made) != whole:
                    found.append(f"{schedule.kind} {today} density {density}")
    return found


def test_status_from_the_window_and_summary_is_the_status_from_every_entry() -> None:
    assert differences(WINDOW_DAYS) == []


def test_a_summary_of_only_the_last_done_day_would_be_caught() -> None:
    assert differences(WINDOW_DAYS, done=1)
