"""A working pattern (issue 16, item 9): read once, said back, and the next session from it."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.sessions import DAY_NAMES, Pattern, describe, next_session, parse_pattern


def read(text: str) -> Pattern:
    pattern = parse_pattern(text)
    assert isinstance(pattern, Pattern), pattern
    return pattern


def clock(*times: str) -> tuple[int, ...]:
    return tuple(int(t.split(":")[0]) * 60 + int(t.split(":")[1]) for t in times)


HOURS_9_TO_16 = clock("9:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00")


def test_on_the_hour_nine_to_five_fifty_minutes() -> None:
    pattern = read("sessions start on the hour, 9 to 17, 50 minutes")
    assert pattern.starts[:5] == (HOURS_9_TO_16,) * 5 and pattern.starts[5:] == ((), ())
    assert pattern.length == 50
    assert describe(pattern) == (
        "Monday to Friday: on the hour from 9:00 to 16:00 (8 sessions). Days off: Saturday and Sunday. "
        "Sessions last 50 minutes."
    )


@pytest.mark.parametrize("text", ["on the hour 9-17", "on the hour, 9 to 5", "weekdays 9:00 to 17:00", "mon-fri 9am-5pm"])
def test_the_same_day_said_other_ways(text: str) -> None:
    assert read(text).starts[:5] == (HOURS_9_TO_16,) * 5


def test_times_per_weekday() -> None:
    pattern = read("mon-thu 9:00 10:00 11:30 14:00; fri 9:00 10:00")
    assert pattern.starts[0] == pattern.starts[3] == clock("9:00", "10:00", "11:30", "14:00")
    assert pattern.starts[4] == clock("9:00", "10:00")
    assert pattern.days_off == (5, 6)
    assert describe(pattern) == (
        "Monday to Thursday: at 9:00, 10:00, 11:30 and 14:00; Friday: at 9:00 and 10:00. Days off: Saturday and Sunday."
    )


@pytest.mark.parametrize(
    ("text", "off"),
    [
        ("on the hour 9-17, wed off", (2, 5, 6)),
        ("on the hour 9-17 except fri", (4, 5, 6)),
        ("days off: wed, fri; on the half hour 9 to 17", (2, 4, 5, 6)),
        ("every day 9:00 except sunday", (6,)),
        ("not on fridays; 9:00 13:00", (4, 5, 6)),
        ("mon to thu 9:00; fri off", (4, 5, 6)),
    ],
)
def test_days_off(text: str, off: tuple[int, ...]) -> None:
    assert read(text).days_off == off


def test_the_half_hour_and_other_rhythms() -> None:
    assert read("on the half hour 9 to 17").starts[0][:2] == clock("9:30", "10:30")
    assert read("every 90 minutes 8 to 18").starts[0] == clock("8:00", "9:30", "11:00", "12:30", "14:00", "15:30", "17:00")
    assert read("mon 2pm 3:30pm").starts[0] == clock("14:00", "15:30")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Say when your sessions start"),
        ("fri", 'Tend found Friday but no times for it. Add times, or say "fri off".'),
        ("gibberish 9", "Tend could not read 'gibberish'."),
        ("25:00", "25:00 is not a time on the clock."),
        ("on the hour", "Say the hours too"),
        ("every day 9:00; every day off", "That leaves no sessions on any day."),
        ("9 to 17, 500 minutes", "A session of 500 minutes?"),
        ("every 2 minutes 9 to 17", "too often"),
        ("17 to 9pm, 300 minutes", "A session of 300 minutes?"),
        ("22:00 to 22:00", "From 22:00 to 22:00 leaves no time for a session."),
        ("23:30 to 0:10, 50 minutes", "From 23:30 to 0:10 leaves no time for a session."),
        ("9:00 <script>", "Tend could not read '<'."),
    ],
)
def test_what_cannot_be_read_is_said_plainly(text: str, says: str) -> None:
    problem = parse_pattern(text)
    assert isinstance(problem, str) and says in problem


@given(st.text(max_size=80))
def test_any_text_is_a_pattern_or_a_plain_message(text: str) -> None:
    result = parse_pattern(text)
    if isinstance(result, str):
        assert result and "\x1b" not in result and "Traceback" not in result
    else:
        assert any(result.starts) and all(list(day) == sorted(set(day)) for day in result.starts)
        assert all(0 <= minute < 24 * 60 for day in result.starts for minute in day)
        assert describe(result).endswith(".")


# -- next_session ------------------------------------------------------------------------------

days_of_times = st.lists(st.integers(min_value=0, max_value=24 * 60 - 1), max_size=5).map(lambda xs: tuple(sorted(set(xs))))
patterns = st.tuples(*[days_of_times] * 7).filter(any).map(lambda starts: Pattern(starts=starts))
ZONES = ["UTC", "Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"]
moments = st.builds(
    lambda zone, seconds: pendulum.from_timestamp(seconds, tz=zone),
    st.sampled_from(ZONES),
    # around the DST changes of 2026 and 2027 as well as any time in between
    st.integers(min_value=pendulum.datetime(2026, 1, 1).int_timestamp, max_value=pendulum.datetime(2027, 12, 31).int_timestamp),
)


@settings(max_examples=300)
@given(patterns, moments)
def test_the_next_session_is_never_past_on_a_working_day_at_a_start_and_the_first(pattern: Pattern, now: pendulum.DateTime) -> None:
    start = next_session(pattern, now)
    assert start is not None
    assert start >= now
    local = start.in_timezone(now.timezone)  # type: ignore[arg-type]
    assert local.weekday() not in pattern.days_off
    assert start - now <= pendulum.duration(days=8)
    # The first: asking again from any moment before it gives it again.
    for fraction in (0.0, 0.5, 0.999):
        earlier = now.add(seconds=int((start - now).total_seconds() * fraction))
        assert next_session(pattern, earlier) == start
    assert next_session(pattern, start.add(seconds=1)) != start


@given(patterns, moments)
def test_starts_keep_their_wall_clock_time_unless_the_clock_skips_it(pattern: Pattern, now: pendulum.DateTime) -> None:
    start = next_session(pattern, now)
    assert start is not None
    local = start.in_timezone(now.timezone)  # type: ignore[arg-type]
    minutes = local.hour * 60 + local.minute
    if minutes not in pattern.starts[local.weekday()]:
        # only in the hour (or half hour) a spring change skips: the clock's own answer
        assert local.dst() is not None and local.dst() > pendulum.duration(0)


def test_across_midnight_and_the_weekend() -> None:
    pattern = read("mon-thu 9:00 14:00; fri 9:00")
    friday_night = pendulum.datetime(2026, 11, 27, 23, 59, tz="Europe/London")
    assert next_session(pattern, friday_night) == pendulum.datetime(2026, 11, 30, 9, 0, tz="Europe/London")
    assert next_session(pattern, pendulum.datetime(2026, 11, 30, 9, 0, tz="Europe/London")) == pendulum.datetime(
        2026, 11, 30, 9, 0, tz="Europe/London"
    )  # at the start itself: now
    assert next_session(pattern, pendulum.datetime(2026, 11, 30, 9, 1, tz="Europe/London")).hour == 14  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["22:00 to 06:00", "10pm to 6am", "weekdays 22 to 6"])
def test_a_night_shift_runs_past_midnight_into_the_next_morning(text: str) -> None:
    """A nurse on nights wrote "22:00 to 06:00" and was told "From 22:00 to 18:00 leaves no
    time": the 6 was read as 6pm. An end that comes before the start even as pm runs overnight;
    the starts after midnight are the next day's (Friday night's reach Saturday morning)."""
    pattern = read(text)
    night, morning = clock("22:00", "23:00"), clock("0:00", "1:00", "2:00", "3:00", "4:00", "5:00")
    assert pattern.starts[0] == night and pattern.starts[5] == morning and pattern.starts[6] == ()
    assert pattern.starts[1] == pattern.starts[4] == morning + night
    tz = "Europe/London"
    wednesday_late = pendulum.datetime(2026, 12, 2, 23, 30, tz=tz)
    assert next_session(pattern, wednesday_late) == pendulum.datetime(2026, 12, 3, 0, 0, tz=tz)
    saturday_dawn = pendulum.datetime(2026, 12, 5, 5, 30, tz=tz)
    assert next_session(pattern, saturday_dawn) == pendulum.datetime(2026, 12, 7, 22, 0, tz=tz)  # Monday night
    assert describe(pattern).startswith("Monday: at 22:00 and 23:00; Tuesday to Friday: at 0:00, 1:00,")


@pytest.mark.parametrize(("text", "last"), [("9pm to 5am, 50 minutes", "4:00"), ("19 to 7", "6:00")])
def test_a_night_range_ends_as_a_day_range_does(text: str, last: str) -> None:
    assert read(text).starts[5][-1] == clock(last)[0]


@pytest.mark.parametrize("text", ["9 to 5", "8 to 6", "10 to 10"])
def test_a_day_range_stays_a_day_range(text: str) -> None:
    """Where the end read as pm comes after the start, it is a day ("9 to 5" is 9:00 to 17:00)."""
    pattern = read(text)
    assert pattern.starts[5] == () and all(9 * 60 - 60 <= t < 22 * 60 for t in pattern.starts[0])


def test_a_start_on_a_dst_morning_stays_on_the_wall_clock() -> None:
    pattern = read("every day 9:00")
    before_change = pendulum.datetime(2026, 3, 28, 12, 0, tz="Europe/London")  # clocks go forward on the 29th
    start = next_session(pattern, before_change)
    assert start is not None and (start.day, start.hour, start.minute) == (29, 9, 0)
    assert (start - before_change).in_hours() == 20  # an hour less than usual


def test_day_names_are_mondays_first() -> None:
    assert DAY_NAMES[0] == "Monday" and pendulum.datetime(2026, 11, 30).weekday() == 0
