"""The break planner: reading the next session's start, counting down, what fits."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.breaks import (
    UntilError,
    describe_left,
    offers,
    parse_until,
    redraw_delay,
)
from tests.conftest import HOSTILE

NOW = pendulum.datetime(2026, 11, 25, 14, 30, 20, tz="Europe/London")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("14:50", NOW.set(hour=14, minute=50, second=0)),
        ("  14.50 ", NOW.set(hour=14, minute=50, second=0)),
        ("2:50pm", NOW.set(hour=14, minute=50, second=0)),
        ("3pm", NOW.set(hour=15, minute=0, second=0)),
        ("at 16:05", NOW.set(hour=16, minute=5, second=0)),
        ("12m", NOW.set(minute=43, second=0)),  # 14:30:20 + 12 min, on the minute after
        ("in 12 min", NOW.set(minute=43, second=0)),
        ("in 12 minutes", NOW.set(minute=43, second=0)),
        ("12", NOW.set(minute=43, second=0)),
        ("1h 10m", NOW.set(hour=15, minute=41, second=0)),
        ("1h", NOW.set(hour=15, minute=31, second=0)),
    ],
)
def test_reads_what_people_type(text: str, expected: pendulum.DateTime) -> None:
    assert parse_until(text, NOW) == expected


@given(st.integers(1, 720), st.integers(0, 59), st.integers(0, 999_999))
def test_minutes_typed_are_the_minutes_shown_at_once(minutes: int, second: int, micro: int) -> None:
    from app.breaks import describe_left, seconds_left

    now = pendulum.datetime(2026, 11, 25, 9, 0, second, micro, tz="Europe/London")
    start = parse_until(f"{minutes}m", now)
    assert start.second == 0 and start.microsecond == 0 and 0 <= (start - now.add(minutes=minutes)).total_seconds() < 60
    if minutes > 5:  # the last five minutes show minutes and seconds
        hours, rest = divmod(minutes, 60)
        said = f"{minutes} min" if not hours else f"{hours} h {rest} min" if rest else f"{hours} h"
        assert describe_left(seconds_left(start, now)) == said


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "Type when"),
        ("14:10", "already passed"),
        ("25:00", "not a time"),
        ("13pm", "not a time"),
        ("0m", "at least a minute"),
        ("900m", "long way off"),
        ("soon", "could not read"),
    ],
)
def test_refuses_kindly(text: str, words: str) -> None:
    with pytest.raises(UntilError, match=words):
        parse_until(text, NOW)


@given(st.one_of(st.text(max_size=60), st.sampled_from(HOSTILE)))
def test_never_anything_but_a_clear_error(text: str) -> None:
    try:
        start = parse_until(text, NOW)
    except UntilError as error:
        assert "\\x1b" not in str(error) and "\x1b" not in str(error)
    else:
        assert NOW < start <= NOW.add(hours=12)


def test_describes_time_left() -> None:
    assert describe_left(30 * 60) == "30 min"
    assert describe_left(29 * 60 + 1) == "29 min"  # rounds down: never promises time not there
    assert describe_left(9 * 60 + 19) == "9 min"
    assert describe_left(60 * 60 - 1) == "59 min"
    assert describe_left(5 * 60) == "5:00"
    assert describe_left(4 * 60 + 5) == "4:05"
    assert describe_left(0.2) == "0:01"
    assert describe_left(0) == "now"
    assert describe_left(90 * 60) == "1 h 30 min"


@given(st.floats(min_value=0.001, max_value=12 * 3600))
def test_the_countdown_wakes_exactly_when_its_text_changes(seconds: float) -> None:
    delay = redraw_delay(seconds)
    assert 0 < delay <= (60 if seconds > 300 else 1)
    if delay > 1e-3:
        assert describe_left(seconds - delay + 1e-4) == describe_left(seconds)  # unchanged just before
    assert describe_left(max(seconds - delay - 1e-4, 0)) != describe_left(seconds)  # changed just after


def test_redraws_once_a_minute_until_the_last_five() -> None:
    assert redraw_delay(20 * 60) == pytest.approx(0.001)  # "20 min" turns "19 min" at once
    assert redraw_delay(20 * 60 - 1) == pytest.approx(59)
    assert redraw_delay(20 * 60 + 15) == pytest.approx(15)
    assert redraw_delay(4 * 60 + 0.5) == pytest.approx(0.5)
    assert redraw_delay(0) == 0


def test_offers_only_what_fits() -> None:
    def actions(minutes: float) -> list[str]:
        return [o.action for o in offers(minutes * 60)]

    assert actions(30) == ["breathe:1", "message", "scan", "breathe:3", "breathe:5"]
    assert actions(5) == ["breathe:1", "message", "scan", "breathe:3"]
    assert actions(1) == ["breathe:1", "message"]
    assert actions(0.5) == []
    assert len(offers(None)) == 5


def test_a_time_after_midnight_on_a_night_shift_is_tonight_not_passed() -> None:
    late = pendulum.datetime(2026, 11, 25, 22, 0, 40, tz="Europe/London")
    assert parse_until("00:30", late) == pendulum.datetime(2026, 11, 26, 0, 30, tz="Europe/London")
    assert parse_until("6am", late) == pendulum.datetime(2026, 11, 26, 6, 0, tz="Europe/London")
    with pytest.raises(UntilError, match="already passed"):  # "4:15" meant as 4:15pm, at 15:30: asked again
        parse_until("4:15", late.set(hour=15, minute=30))
    with pytest.raises(UntilError, match="already passed"):  # more than 12 hours on: not a next session
        parse_until("11:00", late)
