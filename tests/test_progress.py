"""Streak, consistency score and heatmap: progress that does not punish."""

from __future__ import annotations

import math

import pendulum
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.progress import (
    DEFAULT_WEEKS,
    MIN_WEEKS,
    SYMBOLS,
    Cell,
    explain_score,
    half_life_days,
    heatmap,
    legend_text,
    max_weeks,
    multiplier,
    score,
    score_series,
    streak,
)
from app.schedule import Schedule
from tests.ritual_strategies import dates, schedules

D = pendulum.date
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DAILY = Schedule.daily(start=D(2026, 1, 1))


def daily_entries(pattern: str, first: pendulum.Date = D(2026, 1, 1)) -> dict:
    """'d' done, 's' skipped, '.' nothing, one character per day from ``first``."""
    states = {"d": "done", "s": "skipped"}
    return {first.add(days=i): states[c] for i, c in enumerate(pattern) if c in states}


# --------------------------------------------------------------------------- streak


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("ddd", 3),
        ("dd.ddd", 3),  # a missed day ends the run before it
        ("ddsdd", 4),  # a skip neither breaks nor extends
        ("sss", 0),
        ("dd.", 2),  # today still open: not broken yet
        ("dd..", 0),  # yesterday missed
        ("ds.", 1),
    ],
)
def test_streak_counts_kept_occasions_in_a_row(pattern: str, expected: int) -> None:
    today = D(2026, 1, 1).add(days=len(pattern) - 1)
    assert streak(DAILY, daily_entries(pattern), today) == expected


@FAST
@given(st.text(alphabet="ds.", min_size=1, max_size=60))
def test_streak_is_the_dones_since_the_last_miss(pattern: str) -> None:
    today = D(2026, 1, 1).add(days=len(pattern) - 1)
    settled = pattern[:-1] if pattern[-1] == "." else pattern  # today open is not a miss
    expected = settled.split(".")[-1].count("d")
    assert streak(DAILY, daily_entries(pattern), today) == expected


def test_streak_for_a_weekly_ritual_done_late_still_counts() -> None:
    thursdays = Schedule.on_days("thu", start=D(2026, 1, 1))
    entries = {D(2026, 1, 1): "done", D(2026, 1, 9): "done", D(2026, 1, 15): "skipped",
               D(2026, 1, 22): "done"}
    assert streak(thursdays, entries, D(2026, 1, 27)) == 3


# --------------------------------------------------------------------------- score


def test_multiplier_follows_loop_habit_tracker() -> None:
    assert multiplier(DAILY) == pytest.approx(0.5 ** (1 / 13))
    weekly = Schedule.on_days("tue")
    assert multiplier(weekly) == pytest.approx(0.5 ** (math.sqrt(1 / 7) / 13))
    assert half_life_days(DAILY) == pytest.approx(13)
    assert half_life_days(weekly) > half_life_days(Schedule.times_per_week(3)) > half_life_days(DAILY)


def test_thirteen_kept_days_move_the_score_halfway() -> None:
    assert score(DAILY, daily_entries("d" * 13), D(2026, 1, 13)) == 50


def test_one_missed_day_eases_the_score_down_gently() -> None:
    kept = daily_entries("d" * 60)
    high = score(DAILY, kept, D(2026, 3, 1))
    # 60 days kept, then one missed (and today, 3 Mar, not over yet).
    after = score(DAILY, kept, D(2026, 3, 3))
    assert 0 < high - after <= 5


def test_a_skip_leaves_the_score_where_it_is() -> None:
    series = score_series(DAILY, daily_entries("dddddsss"), D(2026, 1, 8))
    assert series[5] == series[4] == series[6] == series[7]


def test_a_weekly_ritual_done_each_week_grows_without_daily_dips() -> None:
    tuesdays = Schedule.on_days("tue", start=D(2026, 1, 6))
    entries = {D(2026, 1, 6).add(weeks=w): "done" for w in range(20)}
    series = score_series(tuesdays, entries, D(2026, 5, 25))
    assert all(b >= a for a, b in zip(series, series[1:]))
    assert score(tuesdays, entries, D(2026, 5, 25)) > 80


def test_today_does_not_count_against_you_until_it_is_over() -> None:
    entries = daily_entries("d" * 20)
    assert score(DAILY, entries, D(2026, 1, 21)) == score(DAILY, entries, D(2026, 1, 20))


@FAST
@given(schedules(), dates, st.lists(st.sampled_from(["done", "skipped", None]), max_size=90))
def test_score_stays_within_0_and_100(schedule, first, states) -> None:
    entries = {first.add(days=i): s for i, s in enumerate(states) if s}
    today = first.add(days=len(states))
    assert 0 <= score(schedule, entries, today, since=first) <= 100


@FAST
@given(schedules(), dates, st.lists(st.sampled_from(["done", "skipped", None]), max_size=90))
def test_doing_it_today_never_lowers_the_score(schedule, first, states) -> None:
    entries = {first.add(days=i): s for i, s in enumerate(states) if s}
    today = first.add(days=len(states))
    without = score_series(schedule, {k: v for k, v in entries.items() if k != today}, today, since=first)
    with_done = score_series(schedule, {**entries, today: "done"}, today, since=first)
    assert (with_done or [0.0])[-1] >= (without or [0.0])[-1] - 1e-12


def test_the_explanation_is_short_and_plain() -> None:
    text = explain_score(DAILY)
    assert "about 2 weeks" in text and "Skips" in text
    assert text.count(". ") <= 1 and len(text) < 200
    assert "about 2 months" in explain_score(Schedule.monthly_on_day(3))


# --------------------------------------------------------------------------- heatmap


def test_heatmap_marks_each_kind_of_day_with_its_own_symbol() -> None:
    thursdays = Schedule.on_days("thu", start=D(2026, 9, 3))
    entries = {D(2026, 9, 3): "done", D(2026, 9, 10): "skipped", D(2026, 9, 25): "done"}
    today = D(2026, 11, 19)  # a Thursday, due
    hm = heatmap(thursdays, entries, today, weeks=12)
    assert hm.weeks == 12 and hm.day(3, 11) == today
    lookup = {hm.day(r, c): cell for r, row in enumerate(hm.rows) for c, cell in enumerate(row)}
    assert lookup[D(2026, 9, 3)] is Cell.DONE
    assert lookup[D(2026, 9, 10)] is Cell.SKIPPED
    assert lookup[D(2026, 9, 17)] is Cell.MISSED
    assert lookup[D(2026, 9, 24)] is Cell.NOT_DUE  # kept late, on 25 Sep
    assert lookup[D(2026, 9, 25)] is Cell.DONE
    assert lookup[D(2026, 10, 1)] is Cell.MISSED
    assert lookup[D(2026, 9, 2)] is Cell.OUTSIDE  # before it started
    assert lookup[D(2026, 11, 19)] is Cell.DUE
    assert lookup[D(2026, 11, 20)] is Cell.FUTURE
    assert lookup[D(2026, 11, 18)] is Cell.NOT_DUE


def test_heatmap_text_fits_80_columns_and_needs_no_colour() -> None:
    schedule = Schedule.on_weekdays(start=D(2026, 1, 1))
    entries = {D(2026, 1, 1).add(days=i): "done" for i in range(0, 300, 2)}
    assert max_weeks(80) >= MIN_WEEKS and DEFAULT_WEEKS >= MIN_WEEKS
    lines = heatmap(schedule, entries, D(2026, 11, 25), weeks=max_weeks(80)).lines()
    assert all(len(line) <= 80 for line in lines)
    assert len(lines) == 9  # months, seven weekdays, legend
    text = "\n".join(lines)
    text.encode("ascii")  # fine on TERM=linux
    assert len(set(SYMBOLS.values())) == len(SYMBOLS)
    for cell in (Cell.DONE, Cell.SKIPPED, Cell.MISSED, Cell.DUE, Cell.NOT_DUE, Cell.FUTURE):
        assert f"{SYMBOLS[cell]} {cell.value}" in legend_text()
    assert lines[1].startswith("Mon ") and lines[7].startswith("Sun ")


def test_heatmap_month_labels_sit_over_the_first_week_of_each_month() -> None:
    hm = heatmap(Schedule.daily(), {}, D(2026, 11, 25), weeks=16)
    line = hm.month_line()
    for column in range(hm.weeks):
        monday = hm.day(0, column)
        previous = hm.day(0, column - 1) if column else None
        if previous is not None and previous.month != monday.month:
            at = 4 + 2 * column
            assert line[at : at + 3] == monday.format("MMM")


@FAST
@given(schedules(), dates, st.integers(1, 38), st.lists(st.sampled_from(["done", "skipped", None]), max_size=200))
@example(Schedule("daily"), pendulum.Date(2023, 1, 2), 38, [])  # "Jan" began in the last week and ran to column 81
def test_heatmap_always_fits_and_shows_every_entry(schedule, today, weeks, states) -> None:
    first = today.subtract(days=len(states))
    entries = {first.add(days=i): s for i, s in enumerate(states) if s}
    hm = heatmap(schedule, entries, today, weeks=weeks, since=first)
    assert all(len(line) <= 80 for line in hm.lines())
    for r, row in enumerate(hm.rows):
        for c, cell in enumerate(row):
            day = hm.day(r, c)
            if day > today:
                assert cell is Cell.FUTURE
            elif entries.get(day) == "done":
                assert cell is Cell.DONE
            elif entries.get(day) == "skipped":
                assert cell is Cell.SKIPPED
