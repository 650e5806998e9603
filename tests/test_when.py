"""Reading typed times: what people write, what the app understands, and kind refusals."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.when import WhenError, parse_day, parse_when
from tests.conftest import HOSTILE

ZONE = "Europe/London"
# A Wednesday afternoon in summer time, so the offset (+01:00) is visible in results.
NOW = pendulum.datetime(2026, 7, 15, 15, 0, tz=ZONE)


def when(text: str) -> pendulum.DateTime:
    return parse_when(text, now=NOW)


@pytest.mark.parametrize("text", ["", "now", "NOW", "  just now ", "today", "Today"])
def test_now_and_today_mean_this_moment(text: str) -> None:
    assert when(text) == NOW


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yesterday", pendulum.datetime(2026, 7, 14, 12, 0, tz=ZONE)),
        ("yesterday 9:15", pendulum.datetime(2026, 7, 14, 9, 15, tz=ZONE)),
        ("yesterday at 21:40", pendulum.datetime(2026, 7, 14, 21, 40, tz=ZONE)),
        ("3 days ago", NOW.subtract(days=3)),
        ("3 Days  Ago", NOW.subtract(days=3)),
        ("1 day ago", NOW.subtract(days=1)),
        ("2 hours ago", NOW.subtract(hours=2)),
        ("an hour ago", NOW.subtract(hours=1)),
        ("ten minutes ago", NOW.subtract(minutes=10)),
        ("a week ago", NOW.subtract(weeks=1)),
        ("2 weeks ago", NOW.subtract(weeks=2)),
        ("a month ago", NOW.subtract(months=1)),
        ("a couple of days ago", NOW.subtract(days=2)),
        ("4 days", NOW.subtract(days=4)),
        ("3d", NOW.subtract(days=3)),
        ("2026-07-10", pendulum.datetime(2026, 7, 10, 12, 0, tz=ZONE)),
        ("2026/07/10", pendulum.datetime(2026, 7, 10, 12, 0, tz=ZONE)),
        ("2026-07-10 14:30", pendulum.datetime(2026, 7, 10, 14, 30, tz=ZONE)),
        ("2026-07-10T14:30:05", pendulum.datetime(2026, 7, 10, 14, 30, 5, tz=ZONE)),
        ("2026-07-15", NOW),
        ("14:30", pendulum.datetime(2026, 7, 15, 14, 30, tz=ZONE)),
        ("9.05", pendulum.datetime(2026, 7, 15, 9, 5, tz=ZONE)),
        ("2pm", pendulum.datetime(2026, 7, 15, 14, 0, tz=ZONE)),
        ("2:30 pm", pendulum.datetime(2026, 7, 15, 14, 30, tz=ZONE)),
        ("12am", pendulum.datetime(2026, 7, 15, 0, 0, tz=ZONE)),
        ("15:00", NOW),
        ("monday", pendulum.datetime(2026, 7, 13, 12, 0, tz=ZONE)),
        ("wednesday", NOW),  # today is a Wednesday
        ("last wednesday", pendulum.datetime(2026, 7, 8, 12, 0, tz=ZONE)),
        ("fri 10:00", pendulum.datetime(2026, 7, 10, 10, 0, tz=ZONE)),
        ("10/7", pendulum.datetime(2026, 7, 10, 12, 0, tz=ZONE)),  # a day and month, as the rituals' d reads it
        ("10 Jul", pendulum.datetime(2026, 7, 10, 12, 0, tz=ZONE)),
        ("Jul 10 14:30", pendulum.datetime(2026, 7, 10, 14, 30, tz=ZONE)),
        ("10th of July at 9am", pendulum.datetime(2026, 7, 10, 9, 0, tz=ZONE)),
        ("20/7", pendulum.datetime(2025, 7, 20, 12, 0, tz=ZONE)),  # the latest 20 July: last year's
        ("15/7/2026 2pm", pendulum.datetime(2026, 7, 15, 14, 0, tz=ZONE)),
        ("15 Jul", NOW),
    ],
)
def test_readable_forms(text: str, expected: pendulum.DateTime) -> None:
    got = when(text)
    assert got == expected
    assert got.utcoffset() == expected.utcoffset()


def test_result_is_in_the_local_zone_by_default() -> None:
    # pendulum's travel_to needs the optional time-machine package, so the local zone is
    # set directly and "now" is checked against the real clock.
    pendulum.set_local_timezone(pendulum.timezone("America/Chicago"))
    try:
        before = pendulum.now()
        got = parse_when("3 days ago")
        after = pendulum.now()
        day = parse_day("yesterday")
    finally:
        pendulum.set_local_timezone()
    assert got.timezone_name == "America/Chicago"
    assert before.subtract(days=3) <= got <= after.subtract(days=3)
    assert day == before.date().subtract(days=1) or day == after.date().subtract(days=1)


def test_now_given_in_another_zone_is_read_in_the_asked_zone() -> None:
    now_utc = NOW.in_timezone("UTC")
    got = parse_when("2026-07-15 09:00", now=now_utc, tz=ZONE)
    assert got.timezone_name == ZONE
    assert got == pendulum.datetime(2026, 7, 15, 8, 0, tz="UTC")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("15:01", "has not happened yet"),
        ("2026-07-16", "has not happened yet"),
        ("tomorrow", "has not happened yet"),
        ("in 2 days", "has not happened yet"),
        ("2099-01-01 10:00", "has not happened yet"),
        ("2026-02-30", "not a date on the calendar"),
        ("2026-13-01", "not a date on the calendar"),
        ("25:00", "not a time of day"),
        ("13pm", "not a time of day"),
        ("12:75", "not a time of day"),
        ("1026-07-10", "very long time ago"),
        ("3000 years ago", "very long time ago"),
        ("999999999 days ago", "very long time ago"),
        ("soon-ish", 'could not read "soon-ish"'),
        ("14", "could not read"),
        ("31/6", "not a date on the calendar"),
        ("15 Jul 16:00", "has not happened yet"),
        ("10 Jul soon", 'could not read "10 Jul soon"'),
        ("[/]", 'could not read "[/]"'),
    ],
)
def test_refusals_say_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(WhenError) as caught:
        when(text)
    message = str(caught.value)
    assert says in message
    assert len(message) < 140
    assert isinstance(caught.value, ValueError)


def test_unreadable_text_is_echoed_trimmed_and_cleaned() -> None:
    with pytest.raises(WhenError) as caught:
        when("\x1b]0;owned\x07" + "x" * 200)
    message = str(caught.value)
    assert "\x1b" not in message and "\x07" not in message
    assert "..." in message
    assert "Try now, yesterday" in message


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_never_crash(text: str) -> None:
    try:
        got = when(text)
    except WhenError as error:
        assert "\x1b" not in str(error)
    else:
        assert got <= NOW


@settings(max_examples=300)
@given(st.text(max_size=60))
def test_any_text_is_a_past_moment_or_a_when_error(text: str) -> None:
    try:
        got = when(text)
    except WhenError:
        return
    assert got <= NOW


@settings(max_examples=200)
@given(
    st.lists(
        st.sampled_from(
            ["3", "days", "ago", "yesterday", "at", "14:30", "2026-07-10", "pm", "last",
             "monday", "a", "week", ":", "-", "99999999999", "0", " ", "t", "9.5"]
        ),
        max_size=6,
    )
)
def test_plausible_word_salad_never_crashes(words: list[str]) -> None:
    text = " ".join(words)
    try:
        assert when(text) <= NOW
    except WhenError:
        pass


@given(st.integers(min_value=0, max_value=3650))
def test_n_days_ago_is_exactly_n_days_back(days: int) -> None:
    assert when(f"{days} days ago") == NOW.subtract(days=days)


@given(st.dates(min_value=pendulum.date(1950, 1, 1), max_value=pendulum.date(2026, 7, 14)))
def test_any_past_date_reads_as_noon_that_day(day: object) -> None:
    got = when(day.isoformat())  # type: ignore[attr-defined]
    assert got.date() == day
    assert (got.hour, got.minute) == (12, 0)


@given(st.dates(min_value=pendulum.date(2026, 7, 16), max_value=pendulum.date(9999, 12, 31)))
def test_any_future_date_is_refused(day: object) -> None:
    with pytest.raises(WhenError, match="has not happened yet"):
        when(day.isoformat())  # type: ignore[attr-defined]


# parse_day ------------------------------------------------------------------------------

TODAY = NOW.date()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", TODAY),
        ("today", TODAY),
        ("yesterday", TODAY.subtract(days=1)),
        ("3 days ago", TODAY.subtract(days=3)),
        ("a week ago", TODAY.subtract(days=7)),
        ("monday", pendulum.date(2026, 7, 13)),
        ("last wednesday", pendulum.date(2026, 7, 8)),
        ("2026-07-01", pendulum.date(2026, 7, 1)),
    ],
)
def test_parse_day_forms(text: str, expected: pendulum.Date) -> None:
    assert parse_day(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2026-07-16", "has not happened yet"),
        ("tomorrow", "has not happened yet"),
        ("2 hours ago", "needs a day"),
        ("2026-02-30", "not a date"),
        ("whenever", "as a day"),
    ],
)
def test_parse_day_refusals(text: str, says: str) -> None:
    with pytest.raises(WhenError, match=says):
        parse_day(text, today=TODAY)


@given(st.text(max_size=40))
def test_parse_day_any_text_is_a_past_day_or_a_when_error(text: str) -> None:
    try:
        assert parse_day(text, today=TODAY) <= TODAY
    except WhenError:
        pass
