"""Schedule logic: kinds, the done/early/late/skip rules, tricky dates, DST, and properties."""

from __future__ import annotations

import json
import re

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.schedule import (
    DAYS_OF_WEEK,
    EVERY_N_DAYS,
    FROM_DONE,
    FROM_START,
    KINDS,
    MONTHLY_DAY,
    MONTHLY_WEEKDAY,
    TIMES_IN_DAYS,
    TIMES_PER_WEEK,
    Schedule,
    ScheduleError,
    describe,
    is_due,
    is_overdue,
    local_day,
    next_due,
    occasion_time,
    parse_schedule,
    occasions,
    scheduled_dates,
    status,
)
from tests.ritual_strategies import dates, entry_states, schedules

D = pendulum.date
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def days(first: pendulum.Date, last: pendulum.Date) -> list[pendulum.Date]:
    return [first.add(days=n) for n in range((last - first).days + 1)]


# --------------------------------------------------------------------------- building


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Schedule("fortnightly"), "Unknown kind"),
        (lambda: Schedule.on_days(), "at least one day"),
        (lambda: Schedule(DAYS_OF_WEEK, weekdays=(7,)), "0 (Monday) to 6 (Sunday)"),
        (lambda: Schedule.on_days("tue", every=2), "needs a start date"),
        (lambda: Schedule.on_days("tue", every=0, start=D(2026, 1, 1)), "1 to 52 weeks"),
        (lambda: Schedule.every_n_days(0), "1 to 365 days"),
        (lambda: Schedule.every_n_days(3, FROM_START), "needs a start date"),
        (lambda: Schedule.every_n_days(3, "whenever"), "'done'"),
        (lambda: Schedule.times_in_days(4, 3), "cannot fit"),
        (lambda: Schedule.times_per_week(8), "1 to 7 times"),
        (lambda: Schedule.monthly_on_day(32), "1 to 31"),
        (lambda: Schedule.monthly_on_weekday(5, "tue"), "first, second, third, fourth or last"),
        (lambda: Schedule.daily(start=D(2026, 2, 1), end=D(2026, 1, 1)), "comes before"),
        (lambda: Schedule.daily(time="25:00"), "09:30"),
        (lambda: Schedule.daily(start="1st of May"), "2026-11-20"),
        (lambda: Schedule.every_n_days(True), "whole number"),
        (lambda: Schedule.on_days("someday"), "Unknown day"),
    ],
)
def test_impossible_schedules_explain_themselves(build, message: str) -> None:
    with pytest.raises(ScheduleError, match=re.escape(message)):
        build()


def test_fields_that_do_not_apply_are_dropped() -> None:
    assert Schedule("daily", every=9, weekdays=(1,)) == Schedule.daily()
    assert Schedule.daily().to_dict() == {"kind": "daily"}


@FAST
@given(schedules())
def test_storage_round_trip(schedule: Schedule) -> None:
    stored = json.loads(json.dumps(schedule.to_dict()))
    assert Schedule.from_dict(stored) == schedule


@FAST
@given(st.dictionaries(st.sampled_from(["kind", "weekdays", "every", "anchor", "times", "window",
                                         "day", "nth", "start", "end", "time", "other"]),
                       st.none() | st.integers(-3, 40) | st.text(max_size=12)
                       | st.lists(st.integers(-2, 9), max_size=4) | st.sampled_from(KINDS)))
def test_bad_stored_schedules_fail_with_schedule_error_only(data: dict) -> None:
    try:
        Schedule.from_dict(data)
    except ScheduleError:
        pass


@pytest.mark.parametrize(
    ("schedule", "words"),
    [
        (Schedule.daily(), "every day"),
        (Schedule.on_weekdays(), "weekdays"),
        (Schedule.on_days("tue"), "every Tuesday"),
        (Schedule.on_days("tue", "thu"), "Tuesdays and Thursdays"),
        (Schedule.on_days("mon", "wed", "fri"), "Mon, Wed and Fri"),
        (Schedule.on_days("sat", "sun"), "weekends"),
        (Schedule.on_days("tue", every=2, start=D(2026, 1, 6)), "every 2nd Tuesday"),
        (Schedule.on_days("mon", "thu", every=3, start=D(2026, 1, 6)), "Mon and Thu, every 3rd week"),
        (Schedule.every_n_days(3, FROM_START, start=D(2026, 1, 1)), "every 3 days"),
        (Schedule.every_n_days(14, FROM_START, start=D(2026, 1, 1)), "every 2 weeks"),
        (Schedule.every_n_days(7), "a week after the last time"),
        (Schedule.every_n_days(10), "10 days after the last time"),
        (Schedule.times_in_days(3, 10), "3 times in any 10 days"),
        (Schedule.times_in_days(1, 7), "once in any 7 days"),
        (Schedule.times_per_week(3), "3 times a week"),
        (Schedule.times_per_week(2), "twice a week"),
        (Schedule.monthly_on_day(1), "monthly on the 1st"),
        (Schedule.monthly_on_day(22), "monthly on the 22nd"),
        (Schedule.monthly_on_day(31), "the last day of each month"),
        (Schedule.monthly_on_weekday(1, "tue"), "the first Tuesday of each month"),
        (Schedule.monthly_on_weekday(-1, "fri"), "the last Friday of each month"),
        (Schedule.on_days("thu", time="09:30"), "every Thursday at 09:30"),
    ],
)
def test_describe_in_plain_words(schedule: Schedule, words: str) -> None:
    assert describe(schedule) == words


def test_describe_short_form_for_narrow_rows() -> None:
    assert describe(Schedule.monthly_on_weekday(1, "thu"), short=True) == "monthly, first Thursday"
    assert describe(Schedule.on_weekdays(), short=True) == "weekdays"


def test_describe_with_dates() -> None:
    schedule = Schedule.daily(start=D(2026, 1, 5), end=D(2026, 3, 1))
    assert describe(schedule, with_dates=True) == "every day, from 5 Jan 2026, until 1 Mar 2026"


# --------------------------------------------------------------------------- tricky dates


@pytest.mark.parametrize(
    ("schedule", "first", "last", "expected"),
    [
        # The 31st falls back to the last day, in leap and common years.
        (Schedule.monthly_on_day(31), D(2024, 1, 1), D(2024, 4, 30),
         [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30)]),
        (Schedule.monthly_on_day(31), D(2026, 2, 1), D(2026, 2, 28), [D(2026, 2, 28)]),
        (Schedule.monthly_on_day(30), D(2025, 1, 1), D(2025, 3, 31),
         [D(2025, 1, 30), D(2025, 2, 28), D(2025, 3, 30)]),
        (Schedule.monthly_on_day(29), D(2028, 2, 1), D(2028, 3, 31), [D(2028, 2, 29), D(2028, 3, 29)]),
        (Schedule.monthly_on_weekday(1, "tue"), D(2026, 1, 1), D(2026, 4, 30),
         [D(2026, 1, 6), D(2026, 2, 3), D(2026, 3, 3), D(2026, 4, 7)]),
        (Schedule.monthly_on_weekday(-1, "fri"), D(2026, 1, 1), D(2026, 3, 31),
         [D(2026, 1, 30), D(2026, 2, 27), D(2026, 3, 27)]),
        (Schedule.monthly_on_weekday(-1, "thu"), D(2024, 2, 1), D(2024, 2, 29), [D(2024, 2, 29)]),
        (Schedule.monthly_on_weekday(4, "thu"), D(2026, 11, 1), D(2026, 11, 30), [D(2026, 11, 26)]),
        (Schedule.on_days("tue", every=2, start=D(2026, 1, 8)), D(2026, 1, 1), D(2026, 2, 10),
         [D(2026, 1, 20), D(2026, 2, 3)]),
        (Schedule.every_n_days(2, FROM_START, start=D(2028, 2, 27)), D(2028, 2, 1), D(2028, 3, 3),
         [D(2028, 2, 27), D(2028, 2, 29), D(2028, 3, 2)]),
        (Schedule.on_weekdays(), D(2026, 1, 29), D(2026, 2, 3),
         [D(2026, 1, 29), D(2026, 1, 30), D(2026, 2, 2), D(2026, 2, 3)]),
        (Schedule.daily(start=D(2025, 12, 30), end=D(2026, 1, 2)), D(2025, 12, 1), D(2026, 1, 31),
         [D(2025, 12, 30), D(2025, 12, 31), D(2026, 1, 1), D(2026, 1, 2)]),
        (Schedule.times_per_week(3), D(2026, 3, 2), D(2026, 3, 15),
         [D(2026, 3, 2), D(2026, 3, 4), D(2026, 3, 6), D(2026, 3, 9), D(2026, 3, 11), D(2026, 3, 13)]),
        (Schedule.times_in_days(2, 5), D(2026, 2, 27), D(2026, 3, 10),
         [D(2026, 2, 27), D(2026, 3, 1), D(2026, 3, 4), D(2026, 3, 6), D(2026, 3, 9)]),
    ],
)
def test_dates_across_month_ends_and_leap_days(schedule, first, last, expected) -> None:
    assert scheduled_dates(schedule, first, last) == expected


def test_monthly_31st_is_due_on_the_last_day_of_february() -> None:
    schedule = Schedule.monthly_on_day(31, start=D(2024, 1, 1))
    assert status(schedule, {}, D(2024, 2, 29)).state == "due"
    assert next_due(schedule, {"2024-01-31": "done"}, D(2024, 2, 1)) == D(2024, 2, 29)
    assert next_due(Schedule.monthly_on_day(31), {}, D(2025, 2, 1), since=D(2025, 2, 1)) == D(2025, 2, 28)


# --------------------------------------------------------------------------- the rules

THURSDAYS = Schedule.on_days("thu", start=D(2026, 1, 1))  # 1, 8, 15, 22, 29 Jan 2026


def test_done_on_the_day_settles_it_until_next_time() -> None:
    entries = {D(2026, 1, 8): "done"}
    assert status(THURSDAYS, entries, D(2026, 1, 7)).state == "overdue"  # 1 Jan still open
    assert not is_due(THURSDAYS, entries, D(2026, 1, 8))
    assert next_due(THURSDAYS, entries, D(2026, 1, 8)) == D(2026, 1, 15)


def test_done_early_keeps_the_coming_occasion() -> None:
    entries = {D(2026, 1, 1): "done", D(2026, 1, 7): "done"}  # moved to Wednesday
    assert not is_due(THURSDAYS, entries, D(2026, 1, 8))
    assert next_due(THURSDAYS, entries, D(2026, 1, 8)) == D(2026, 1, 15)
    kept = occasions(THURSDAYS, entries, D(2026, 1, 8), D(2026, 1, 8), today=D(2026, 1, 9))
    assert kept[0].outcome == "done" and kept[0].entry == D(2026, 1, 7)


def test_late_is_overdue_until_the_next_occasion_then_missed() -> None:
    entries = {D(2026, 1, 1): "done"}
    assert status(THURSDAYS, entries, D(2026, 1, 8)).state == "due"
    later = status(THURSDAYS, entries, D(2026, 1, 12))
    assert later.state == "overdue" and later.since == D(2026, 1, 8)
    assert is_overdue(THURSDAYS, entries, D(2026, 1, 14))
    # The next Thursday replaces it: missed times never pile up.
    fresh = status(THURSDAYS, entries, D(2026, 1, 15))
    assert fresh.state == "due" and fresh.since == D(2026, 1, 15)
    outcomes = [o.outcome for o in occasions(THURSDAYS, entries, D(2026, 1, 1), D(2026, 1, 15),
                                             today=D(2026, 1, 15))]
    assert outcomes == ["done", "missed", "due"]


def test_done_late_catches_up_rather_than_counting_ahead() -> None:
    entries = {D(2026, 1, 1): "done", D(2026, 1, 10): "done"}
    assert not is_due(THURSDAYS, entries, D(2026, 1, 10))
    assert next_due(THURSDAYS, entries, D(2026, 1, 10)) == D(2026, 1, 15)
    caught = occasions(THURSDAYS, entries, D(2026, 1, 8), D(2026, 1, 15), today=D(2026, 1, 15))
    assert [(o.date, o.outcome, o.entry) for o in caught] == [
        (D(2026, 1, 8), "done", D(2026, 1, 10)),
        (D(2026, 1, 15), "due", None),
    ]


def test_skip_settles_an_occasion_without_keeping_it() -> None:
    entries = {D(2026, 1, 1): "done", D(2026, 1, 8): "skipped"}
    assert not is_due(THURSDAYS, entries, D(2026, 1, 8))
    assert not is_due(THURSDAYS, entries, D(2026, 1, 12))
    assert next_due(THURSDAYS, entries, D(2026, 1, 12)) == D(2026, 1, 15)
    skipped = occasions(THURSDAYS, entries, D(2026, 1, 8), D(2026, 1, 8), today=D(2026, 1, 20))
    assert skipped[0].outcome == "skipped"


def test_skip_while_overdue_settles_the_open_one() -> None:
    entries = {D(2026, 1, 1): "done", D(2026, 1, 9): "skipped"}
    assert not is_due(THURSDAYS, entries, D(2026, 1, 9))
    assert next_due(THURSDAYS, entries, D(2026, 1, 9)) == D(2026, 1, 15)


def test_done_after_a_skip_replaces_it() -> None:
    entries = {D(2026, 1, 1): "done", D(2026, 1, 8): "skipped", D(2026, 1, 10): "done"}
    seen = occasions(THURSDAYS, entries, D(2026, 1, 8), D(2026, 1, 22), today=D(2026, 1, 16))
    assert [(o.date, o.outcome) for o in seen] == [
        (D(2026, 1, 8), "done"), (D(2026, 1, 15), "overdue"), (D(2026, 1, 22), "upcoming")]


def test_nothing_is_asked_before_the_start_or_after_the_end() -> None:
    schedule = Schedule.daily(start=D(2026, 3, 1), end=D(2026, 3, 3))
    assert status(schedule, {}, D(2026, 2, 20)) .state == "not_due"
    assert next_due(schedule, {}, D(2026, 2, 20)) == D(2026, 3, 1)
    assert is_due(schedule, {}, D(2026, 3, 3))
    assert status(schedule, {}, D(2026, 3, 4)).state == "ended"
    assert next_due(schedule, {}, D(2026, 3, 4)) is None


def test_a_new_ritual_without_start_is_not_overdue_at_birth() -> None:
    assert status(Schedule.on_days("thu"), {}, D(2026, 1, 9), since=D(2026, 1, 9)).state == "not_due"
    assert next_due(Schedule.on_days("thu"), {}, D(2026, 1, 9), since=D(2026, 1, 9)) == D(2026, 1, 15)


def test_every_n_days_counts_from_the_last_time() -> None:
    schedule = Schedule.every_n_days(7)
    entries = {D(2026, 1, 1): "done"}
    assert next_due(schedule, entries, D(2026, 1, 2)) == D(2026, 1, 8)
    # Done early: the count simply starts again.
    entries[D(2026, 1, 5)] = "done"
    assert next_due(schedule, entries, D(2026, 1, 6)) == D(2026, 1, 12)
    waiting = status(schedule, entries, D(2026, 1, 20))
    assert waiting.state == "overdue" and waiting.since == D(2026, 1, 12)
    # A skip also restarts the count.
    entries[D(2026, 1, 21)] = "skipped"
    assert next_due(schedule, entries, D(2026, 1, 21)) == D(2026, 1, 28)


def test_every_n_days_from_a_fixed_start_ignores_when_it_was_done() -> None:
    schedule = Schedule.every_n_days(5, FROM_START, start=D(2026, 1, 1))
    entries = {D(2026, 1, 1): "done", D(2026, 1, 3): "done"}  # early for 6 Jan
    assert next_due(schedule, entries, D(2026, 1, 3)) == D(2026, 1, 11)


def test_times_per_week_any_day_counts_and_is_never_overdue() -> None:
    schedule = Schedule.times_per_week(2, start=D(2026, 1, 5))  # Monday
    assert status(schedule, {}, D(2026, 1, 5)).state == "due"
    assert status(schedule, {}, D(2026, 1, 9)).state == "due"  # still just "due"
    entries = {D(2026, 1, 6): "done"}
    assert next_due(schedule, entries, D(2026, 1, 6)) == D(2026, 1, 9)
    entries[D(2026, 1, 10)] = "done"
    assert next_due(schedule, entries, D(2026, 1, 10)) == D(2026, 1, 12)
    # A week with one done of two: one missed, counted when the week is over.
    outcomes = [o.outcome for o in occasions(schedule, {D(2026, 1, 6): "done"}, D(2026, 1, 5),
                                             D(2026, 1, 11), today=D(2026, 1, 12))]
    assert sorted(outcomes) == ["done", "missed"]


def test_times_per_week_asks_late_enough_to_still_fit() -> None:
    schedule = Schedule.times_per_week(3, start=D(2026, 1, 5))
    entries = {D(2026, 1, 5): "done"}
    assert next_due(schedule, entries, D(2026, 1, 6)) == D(2026, 1, 7)
    # Nothing more until Friday: two to go, two days left: asked now.
    assert status(schedule, entries, D(2026, 1, 9)).state == "due"
    # Only Friday so far: two to go, so Saturday rather than two days on.
    assert next_due(schedule, {D(2026, 1, 9): "done"}, D(2026, 1, 9)) == D(2026, 1, 10)


def test_first_week_cut_short_asks_for_a_fair_share() -> None:
    schedule = Schedule.times_per_week(3, start=D(2026, 1, 8))  # Thursday: 4 days left
    entries = {D(2026, 1, 8): "done", D(2026, 1, 10): "done"}
    assert next_due(schedule, entries, D(2026, 1, 10)) == D(2026, 1, 12)


def test_times_in_days_spreads_asks_and_respects_the_window() -> None:
    schedule = Schedule.times_in_days(3, 7, start=D(2026, 1, 5))
    entries = {D(2026, 1, 5): "done", D(2026, 1, 6): "done", D(2026, 1, 7): "done"}
    # Three in the window already: next ask when the oldest leaves it.
    assert next_due(schedule, entries, D(2026, 1, 7)) == D(2026, 1, 12)


# --------------------------------------------------------------------------- time zones


@pytest.mark.parametrize(
    ("instant", "tz", "expected"),
    [
        # Europe/London: BST starts 29 Mar 2026 01:00 UTC, ends 25 Oct 2026 01:00 UTC.
        (pendulum.datetime(2026, 3, 29, 0, 30, tz="UTC"), "Europe/London", D(2026, 3, 29)),
        (pendulum.datetime(2026, 10, 24, 23, 30, tz="UTC"), "Europe/London", D(2026, 10, 25)),
        (pendulum.datetime(2026, 3, 28, 23, 30, tz="UTC"), "Europe/London", D(2026, 3, 28)),
        # America/New_York: EDT starts 8 Mar 2026 07:00 UTC, ends 1 Nov 2026 06:00 UTC.
        (pendulum.datetime(2026, 3, 8, 4, 30, tz="UTC"), "America/New_York", D(2026, 3, 7)),
        (pendulum.datetime(2026, 3, 8, 5, 30, tz="UTC"), "America/New_York", D(2026, 3, 8)),
        (pendulum.datetime(2026, 11, 1, 3, 59, tz="UTC"), "America/New_York", D(2026, 10, 31)),
        (pendulum.datetime(2026, 11, 1, 4, 0, tz="UTC"), "America/New_York", D(2026, 11, 1)),
    ],
)
def test_local_day_across_daylight_saving_changes(instant, tz, expected) -> None:
    assert local_day(instant, tz) == expected


@pytest.mark.parametrize(
    ("tz", "days_", "utc_hours"),
    [
        ("Europe/London", [D(2026, 3, 28), D(2026, 3, 29), D(2026, 3, 30)], [9, 8, 8]),
        ("Europe/London", [D(2026, 10, 24), D(2026, 10, 25), D(2026, 10, 26)], [8, 9, 9]),
        ("America/New_York", [D(2026, 3, 7), D(2026, 3, 8), D(2026, 3, 9)], [14, 13, 13]),
        ("America/New_York", [D(2026, 10, 31), D(2026, 11, 1), D(2026, 11, 2)], [13, 14, 14]),
    ],
)
def test_a_daily_time_stays_on_the_wall_clock(tz, days_, utc_hours) -> None:
    schedule = Schedule.daily(time="09:00")
    moments = [occasion_time(schedule, day, tz) for day in days_]
    assert [m.hour for m in moments] == [9, 9, 9]
    assert [m.in_timezone("UTC").hour for m in moments] == utc_hours
    assert [m.date() for m in moments] == days_


def test_a_time_that_does_not_exist_moves_forward_on_the_same_day() -> None:
    moment = occasion_time(Schedule.daily(time="02:30"), D(2026, 3, 8), "America/New_York")
    assert moment.date() == D(2026, 3, 8) and (moment.hour, moment.minute) == (3, 30)
    moment = occasion_time(Schedule.daily(time="01:30"), D(2026, 3, 29), "Europe/London")
    assert moment.date() == D(2026, 3, 29) and moment.hour == 2


@pytest.mark.parametrize("tz", ["Europe/London", "America/New_York"])
def test_short_and_long_days_are_still_one_day_each(tz: str) -> None:
    """Done late in the evening before each change: the count is in days, not 24 hours."""
    schedule = Schedule.every_n_days(1)
    for change in (D(2026, 3, 8), D(2026, 3, 29), D(2026, 10, 25), D(2026, 11, 1)):
        evening = pendulum.datetime(change.year, change.month, change.day, 23, 30, tz=tz).subtract(days=1)
        done_on = local_day(evening, tz)
        assert done_on == change.subtract(days=1)
        assert next_due(schedule, {done_on: "done"}, done_on) == change
        after = pendulum.datetime(change.year, change.month, change.day, 23, 30, tz=tz)
        assert is_due(schedule, {done_on: "done"}, local_day(after, tz))


# --------------------------------------------------------------------------- properties


@st.composite
def histories(draw: st.DrawFn, kinds: tuple[str, ...] = KINDS):
    schedule = draw(schedules(kinds))
    first = schedule.start or draw(dates)
    length = draw(st.integers(10, 120))
    entries = draw(st.dictionaries(st.integers(0, length), entry_states, max_size=length))
    return schedule, first, length, {first.add(days=k): v for k, v in entries.items()}


@FAST
@given(histories())
def test_due_dates_never_go_backwards(case) -> None:
    schedule, first, length, entries = case
    never = D(9999, 12, 31)  # "ended" sorts after every date
    previous = D(1, 1, 1)
    for day in days(first, first.add(days=length)):
        due = next_due(schedule, entries, day, since=first) or never
        assert due >= day
        assert due >= previous
        previous = due


@FAST
@given(histories())
def test_logging_today_never_brings_the_next_due_date_forward(case) -> None:
    schedule, first, length, entries = case
    day = first.add(days=length)
    # Nothing logged today yet. (Changing today's "done" to "skipped" may rightly bring the
    # next time forward: a skip is not a time kept. Hypothesis found that case.)
    entries = {when: state for when, state in entries.items() if when != day}
    before = next_due(schedule, entries, day, since=first)
    for state in ("done", "skipped"):
        after = next_due(schedule, {**entries, day: state}, day, since=first)
        assert before is None or after is None or after >= before


def simulate(schedule: Schedule, first: pendulum.Date, length: int, habits) -> tuple[dict, list]:
    """A person who, each day, does it when asked with some chance, and sometimes unasked."""
    entries: dict[pendulum.Date, str] = {}
    asked: list[pendulum.Date] = []
    for index, day in enumerate(days(first, first.add(days=length))):
        state = status(schedule, entries, day, since=first)
        if state.is_due:
            asked.append(day)
        choice = habits[index % len(habits)]
        if state.is_due and choice in ("done", "skipped"):
            entries[day] = choice
        elif not state.is_due and choice == "extra":
            entries[day] = "done"
    return entries, asked


person = st.lists(st.sampled_from(["done", "done", "skipped", "nothing", "extra"]), min_size=1, max_size=20)


@FAST
@given(schedules((EVERY_N_DAYS,)), dates, st.integers(20, 150), person)
def test_every_n_days_is_never_due_twice_within_n_days(schedule, first, length, habits) -> None:
    first = schedule.start or first
    entries, _ = simulate(schedule, first, length, habits)
    n = schedule.every
    fresh = [day for day in days(first, first.add(days=length))
             if (s := status(schedule, entries, day, since=first)).is_due and s.since == day]
    assert all((b - a).days >= n for a, b in zip(fresh, fresh[1:]))
    if schedule.anchor == FROM_DONE:
        for done in (d for d, v in entries.items() if v == "done"):
            for k in range(1, n):
                assert not is_due(schedule, entries, done.add(days=k), since=first)


@FAST
@given(schedules((TIMES_IN_DAYS,)), dates, st.integers(20, 150), person)
def test_times_in_days_never_asks_for_more_than_x_in_any_window(schedule, first, length, habits) -> None:
    first = schedule.start or first
    entries, asked = simulate(schedule, first, length, habits)
    dones = {d for d, v in entries.items() if v == "done"}
    window = schedule.window
    for day in asked:
        recent = sum(1 for k in range(1, window) if day.subtract(days=k) in dones)
        assert recent < schedule.times
    # Someone who only ever acts when asked never does more than X in any Y days.
    obedient, _ = simulate(schedule, first, length, ["done"])
    kept = sorted(d for d, v in obedient.items() if v == "done")
    for index, day in enumerate(kept):
        inside = [d for d in kept[index:] if (d - day).days < window]
        assert len(inside) <= schedule.times


@FAST
@given(schedules((TIMES_PER_WEEK,)), dates, st.integers(20, 120))
def test_times_per_week_never_asks_for_more_than_x_a_week(schedule, first, length) -> None:
    first = schedule.start or first
    obedient, _ = simulate(schedule, first, length, ["done"])
    weeks: dict[tuple[int, int], int] = {}
    for day in obedient:
        key = day.isocalendar()[:2]
        weeks[key] = weeks.get(key, 0) + 1
    assert all(count <= schedule.times for count in weeks.values())


@FAST
@given(schedules(need_start=True), st.integers(30, 150))
def test_doing_it_whenever_asked_follows_the_scheduled_rhythm(schedule, length) -> None:
    first = schedule.start
    _, asked = simulate(schedule, first, length, ["done"])
    assert asked == scheduled_dates(schedule, first, first.add(days=length))


@FAST
@given(schedules(), dates, st.integers(1, 400))
def test_scheduled_dates_are_sorted_distinct_and_inside_the_dates(schedule, first, span) -> None:
    last = first.add(days=span)
    found = scheduled_dates(schedule, first, last)
    assert found == sorted(set(found))
    for day in found:
        assert first <= day <= last
        assert schedule.start is None or day >= schedule.start
        assert schedule.end is None or day <= schedule.end
    if schedule.kind == MONTHLY_DAY:
        for day in found:
            assert day.day == min(schedule.day, day.days_in_month)
    if schedule.kind == MONTHLY_WEEKDAY:
        for day in found:
            assert day.weekday() == schedule.weekdays[0]
            if schedule.nth == -1:
                assert day.add(days=7).month != day.month
            else:
                assert (day.day - 1) // 7 + 1 == schedule.nth


# --------------------------------------------------------------------------- reading words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Every day", Schedule.daily()),
        ("weekdays", Schedule.on_weekdays()),
        ("tue and thu", Schedule.on_days("tue", "thu")),
        ("Tuesdays, Thursdays", Schedule.on_days("tue", "thu")),
        ("mon wed fri", Schedule.on_days("mon", "wed", "fri")),
        ("every other Friday", Schedule.on_days("fri", every=2, start=D(2026, 1, 1))),
        ("every 3rd tuesday", Schedule.on_days("tue", every=3, start=D(2026, 1, 1))),
        ("fortnightly", Schedule.every_n_days(14, FROM_START, start=D(2026, 1, 1))),
        ("10 days after the last time", Schedule.every_n_days(10)),
        ("twice a week", Schedule.times_per_week(2)),
        ("3 times in any 10 days", Schedule.times_in_days(3, 10)),
        ("on the 31st of each month", Schedule.monthly_on_day(31)),
        ("last friday of the month", Schedule.monthly_on_weekday(-1, "fri")),
        ("every Thursday at 9:30", Schedule.on_days("thu", time="09:30")),
    ],
)
def test_schedules_can_be_typed_in_words(text: str, expected: Schedule) -> None:
    start = expected.start
    assert parse_schedule(text, start=start) == expected


@pytest.mark.parametrize("text", ["", "whenever", "every 2nd", "9 times a week", "the 40th",
                                  "0 times in any 3 days", "\x1b[31m"])
def test_unreadable_schedules_say_what_works(text: str) -> None:
    with pytest.raises(ScheduleError) as raised:
        parse_schedule(text)
    message = str(raised.value)
    assert message.endswith(".") and len(message) < 300 and "\x1b" not in message


@FAST
@given(schedules())
def test_what_describe_writes_can_be_read_back(schedule: Schedule) -> None:
    again = parse_schedule(describe(schedule), start=schedule.start, end=schedule.end)
    assert describe(again) == describe(schedule)
    first = schedule.start or D(2026, 1, 1)
    assert scheduled_dates(again, first, first.add(days=366)) == scheduled_dates(
        schedule, first, first.add(days=366))
