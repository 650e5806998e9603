"""A ritual's status walks only its recent history (app.schedule.status, STATUS_HORIZON), so
Today and ``tend status`` cost the same after thirty years as after one, and the answer is
the one a walk from the ritual's first day gives: for every kind of schedule, every density
of keeping, long gaps included.
"""

from __future__ import annotations

import random

import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.schedule import STATUS_HORIZON, _evaluate, status
from tests.ritual_strategies import dates, entry_states, schedules

MADE = pendulum.Date(2019, 1, 7)


def history(seed: int, density: float, gap: int, days: int) -> dict[pendulum.Date, str]:
    """Entries over ``days`` from :data:`MADE`, kept with ``density``, none for ``gap`` days
    somewhere in the middle (a long leave, a ritual forgotten for a year)."""
    rng = random.Random(seed)
    hole = rng.randrange(days)
    return {
        MADE.add(days=offset): ("skipped" if rng.random() < 0.1 else "done")
        for offset in range(days)
        if not hole <= offset < hole + gap and rng.random() < density
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    schedules(),
    st.integers(0, 2**32),
    st.sampled_from([0.0, 0.02, 0.1, 0.3, 0.7, 1.0]),
    st.sampled_from([0, 30, 200, STATUS_HORIZON, 900]),
    st.integers(STATUS_HORIZON, 6 * 365),
)
def test_the_status_from_recent_history_is_the_status_from_the_first_day(schedule, seed, density, gap, days) -> None:  # type: ignore[no-untyped-def]
    entries = history(seed, density, gap, days)
    for today in (MADE.add(days=days), MADE.add(days=days - 1), MADE.add(days=days + 45)):
        upto = {day: state for day, state in entries.items() if day <= today}
        whole = _evaluate(schedule, upto, today, MADE).status  # every occasion since the first day
        assert status(schedule, upto, today, since=MADE) == whole, (schedule, today)


def test_a_long_history_walks_no_more_than_a_short_one() -> None:
    """The work follows the horizon, not the years: the evaluation behind a status after 30
    years of a daily ritual sees no more occasions than after 2."""
    from app import schedule as module

    seen: list[int] = []
    real = module._status_from

    def counting(schedule, ent, begin, today):  # type: ignore[no-untyped-def]
        seen.append(today - begin)
        return real(schedule, ent, begin, today)

    module._status_from = counting  # type: ignore[assignment]
    try:
        for years in (2, 30):
            today = MADE.add(years=years)
            entries = {MADE.add(days=i): "done" for i in range(0, years * 365, 2)}
            status(module.Schedule("daily"), entries, today, since=MADE)
    finally:
        module._status_from = real  # type: ignore[assignment]
    assert seen[0] == seen[1] == STATUS_HORIZON


def test_a_chain_forgotten_for_more_than_the_horizon_counts_from_its_last_days_whole() -> None:
    """"3 times in any 7 days" kept daily, then let go for 500 days: when it first asked
    again depends on the dones of the week before the last one, beyond the last entry the
    horizon reaches; the status keeps them."""
    from app.schedule import Schedule

    schedule = Schedule("times_in_days", times=3, window=7)
    entries = {MADE.add(days=i): "done" for i in range(300)}
    today = MADE.add(days=800)
    assert status(schedule, entries, today, since=MADE) == _evaluate(schedule, entries, today, MADE).status


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedules(), st.dictionaries(dates, entry_states, max_size=60), dates, st.integers(0, 500))
def test_a_status_alone_is_the_status_of_the_whole_walk(schedule, entries, today, back) -> None:  # type: ignore[no-untyped-def]
    """The status works out only what it needs (for calendar dates, the last occasion and the
    ones after it, not a list of every occasion); it is the status the walk listing every
    occasion gives, whatever was logged (early, late, skipped, twice near one date) and
    wherever the walk starts."""
    from app.schedule import _evaluate_from, _status_from, normalise_entries

    ent = normalise_entries(entries)
    day = today.toordinal()
    begin = day - back
    assert _status_from(schedule, ent, begin, day) == _evaluate_from(schedule, ent, begin, day).status, (schedule, today)
