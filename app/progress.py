"""Progress that does not punish: streak, consistency score and a calendar heatmap.

Plain Python (no Textual); built on :mod:`app.schedule`.

* **Streak**: how many occasions in a row were kept, counting back from the latest settled
  one. A skipped occasion is stepped over (it neither breaks nor extends the streak); an
  occasion still open today does not break it either. Only a missed one ends it.
* **Consistency score** (0-100), after Loop Habit Tracker's habit strength. Each day the
  score is blended with that day's value: ``score = score * m + value * (1 - m)`` where
  ``m = 0.5 ** (sqrt(freq) / 13)`` and ``freq`` is occasions per day. A day's value is the
  share of the schedule kept over the last span (weekly rituals look back a week), capped at
  1, so a weekly ritual done on Tuesday carries the whole week. A span excused by skips leaves
  the score where it is, and so does today until something is logged. Keeping a daily ritual
  moves the score halfway to full in 13 days; slower rituals move more gently.
* **Heatmap**: one column per week (Monday at the top), two characters per column, so 38
  weeks fit in 80 columns. Each day has its own symbol (ASCII, fine on ``TERM=linux``), so
  colour is never needed to read it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Iterable, Mapping
from itertools import accumulate
from dataclasses import dataclass
from enum import Enum
from typing import Any, Final

import pendulum

from app.schedule import (
    DONE,
    DUE,
    MISSED,
    OVERDUE,
    SKIPPED,
    Schedule,
    as_date,
    frequency,
    Status,
    evaluate_from,
    evaluate_normalised,
    normalise_entries,
    split_point,
    occasions,
    settled_outcomes,
)

HALF_LIFE_DAILY: Final = 13
"""Days a daily ritual's score takes to move halfway."""


def _begin(schedule: Schedule, ent: dict[int, str], today: int, since: dt.date | None) -> int:
    if schedule.start:
        return schedule.start.toordinal()
    first = as_date(since).toordinal() if since is not None else today
    return min(min(ent), first) if ent else first


# --------------------------------------------------------------------------- streak


def streak(
    schedule: Schedule,
    entries: Mapping[Any, str] | None,
    today: dt.date,
    *,
    since: dt.date | None = None,
) -> int:
    """Occasions kept in a row up to ``today``; skips are stepped over, open ones ignored."""
    ent = normalise_entries(entries)
    return _streak(schedule, ent, evaluate_normalised(schedule, ent, today, since), today, since)


def _streak(schedule: Schedule, ent: dict[int, str], evaluation: Any, today: dt.date, since: dt.date | None) -> int:
    first = pendulum.Date.fromordinal(_begin(schedule, ent, today.toordinal(), since))
    count = 0
    for _, outcome in reversed(settled_outcomes(evaluation, first, today)):
        if outcome == DONE:
            count += 1
        elif outcome == MISSED:
            break
    return count


@dataclass(frozen=True)
class Standing:
    """A ritual's status, score and streak on one day."""

    status: Status
    score: int
    streak: int
    occasions: int = 0
    """How many times it has asked so far (kept, skipped or gone by): the score means
    something only after :data:`SCORE_AFTER` of them (see :func:`score_shown`)."""


def standing(
    schedule: Schedule,
    entries: Mapping[Any, str] | None,
    today: dt.date,
    *,
    since: dt.date | None = None,
) -> Standing:
    """:func:`~app.schedule.status`, :func:`score` and :func:`streak` at once, reading the
    entries and working out the occasions once instead of once for each."""
    ent = normalise_entries(entries)
    evaluation = evaluate_normalised(schedule, ent, today, since)
    asked = sum(1 for day, outcome, _ in evaluation.occasions if outcome in (DONE, SKIPPED, MISSED) and day <= today.toordinal())
    return Standing(evaluation.status, _score(_score_series(schedule, ent, today, since)),
                    _streak(schedule, ent, evaluation, today, since), asked)


@dataclass(frozen=True)
class Carried:
    """A ritual's score, count and streak up to the end of one day, worked out once from every
    entry, so that any later day needs only the entries kept with it and those after it
    (:func:`standing_after` gives exactly what :func:`standing` gives from every entry). Valid
    while the schedule, the first day and the entries up to :attr:`day` stay as they were."""

    day: int
    """The last day summed up (an ordinal)."""
    begin: int
    """The ritual's first day, as counted."""
    value: float
    """The score (0.0-1.0) at the end of :attr:`day`."""
    settled: int
    """Occasions dated up to this day are summed up in :attr:`asked` and :attr:`streak`."""
    asked: int
    streak: int
    """Occasions kept since the last one missed, counting only those up to :attr:`settled`."""
    resync: int
    """Where a walk through the occasions starts again (see :func:`app.schedule.split_point`)."""
    entries: Mapping[int, str]
    """The entries from :attr:`resync` (or a span before :attr:`day`, if earlier) to :attr:`day`."""


def carry(schedule: Schedule, entries: Mapping[Any, str] | None, day: dt.date, *, since: dt.date) -> Carried | None:
    """What :class:`Carried` keeps of ``entries`` (those after ``day`` are left out) at the end
    of ``day``; None when the ritual has nothing to carry yet (see ``split_point``)."""
    last = day.toordinal()
    ent = {when: state for when, state in normalise_entries(entries).items() if when <= last}
    begin = _begin(schedule, ent, last, since)
    if begin > last:
        return None
    full = evaluate_from(schedule, ent, begin, last)
    split = split_point(schedule, ent, begin, last, full)
    if split is None:
        return None
    value = _score_run(schedule, ent, begin, last + 1, begin, 0.0)[last - begin]
    return _summed(schedule, ent, full.occasions, split, last, begin, value, _NOTHING_YET)


def advance(schedule: Schedule, carried: Carried, later: Mapping[Any, str] | None, day: dt.date) -> Carried | None:
    """What :func:`carry` keeps at the end of ``day`` (on or after :attr:`Carried.day`), from
    what was carried and the entries logged after it up to ``day`` (``later``; any others are
    not read), so :func:`standing_after` goes on exactly as from every entry. None when the
    walk cannot be summed up at ``day`` (see ``split_point``): carry from every entry then."""
    last = day.toordinal()
    if last <= carried.day:
        return carried if last == carried.day else None
    ent = dict(carried.entries)
    ent.update((when, state) for when, state in normalise_entries(later).items() if carried.day < when <= last)
    # The walk from the carried restart agrees with the walk from the first day on every
    # occasion after ``carried.settled``, which is all that is summed up here.
    walk = evaluate_from(schedule, ent, carried.resync, last)
    split = split_point(schedule, ent, carried.resync, last, walk)
    if split is None or split[0] < carried.settled:
        return None
    value = _score_run(schedule, ent, carried.begin, last + 1, carried.day + 1, carried.value)[last - carried.day - 1]
    return _summed(schedule, ent, walk.occasions, split, last, carried.begin, value, carried)


_NOTHING_YET: Final = Carried(day=0, begin=0, value=0.0, settled=-1, asked=0, streak=0, resync=0, entries={})
"""Where :func:`carry` counts from: nothing asked yet."""


def _summed(schedule: Schedule, ent: dict[int, str], walk: Iterable[tuple[int, str, Any]], split: tuple[int, int],
            last: int, begin: int, value: float, before: Carried) -> Carried:  # fmt: skip
    """:class:`Carried` at the end of ``last``: the occasions of a ``walk`` after what
    ``before`` summed up and up to ``split``'s settled day, counted on from ``before``."""
    settled, resync = split
    asked, streak = _count_on(before, walk, settled)
    keep_from = min(resync, last - frequency(schedule)[1] + 1)
    return Carried(
        day=last, begin=begin, value=value, settled=settled, asked=asked, streak=streak, resync=resync,
        entries={when: state for when, state in ent.items() if when >= keep_from},
    )  # fmt: skip


def _count_on(before: Carried, walk: Iterable[tuple[int, str, Any]], upto: int) -> tuple[int, int]:
    """The times asked and the streak: ``before``'s, counted on through the occasions of a
    ``walk`` after the ones it summed up, to ``upto``."""
    found = sorted(((when, outcome) for when, outcome, _ in walk if before.settled < when <= upto), key=lambda pair: pair[0])
    outcomes = [outcome for _, outcome in found]
    streak, missed = _count_back(outcomes)
    asked = before.asked + sum(1 for outcome in outcomes if outcome in (DONE, SKIPPED, MISSED))
    return asked, streak if missed else streak + before.streak


def _count_back(outcomes: list[str]) -> tuple[int, bool]:
    """Occasions kept counting back from the last, until one missed; and whether one was."""
    count = 0
    for outcome in reversed(outcomes):
        if outcome == DONE:
            count += 1
        elif outcome == MISSED:
            return count, True
    return count, False


def first_day(schedule: Schedule, entries: Mapping[Any, str] | None, *, since: dt.date) -> dt.date:
    """The day a ritual's walk through its schedule begins: its start date if it has one,
    else its earliest entry or the day it was made (``since``), whichever is earlier."""
    ent = normalise_entries(entries)
    return dt.date.fromordinal(_begin(schedule, ent, as_date(since).toordinal(), since))


def standing_after(schedule: Schedule, carried: Carried, later: Mapping[Any, str] | None, today: dt.date) -> Standing:
    """:func:`standing` on ``today`` (after :attr:`Carried.day`) from what was carried and the
    entries logged after it (``later``; any on or before the carried day are not read)."""
    now = today.toordinal()
    ent = dict(carried.entries)
    ent.update((when, state) for when, state in normalise_entries(later).items() if carried.day < when <= now)
    evaluation = evaluate_from(schedule, ent, carried.resync, now)
    asked, kept = _count_on(carried, evaluation.occasions, now)
    value = _score_run(schedule, ent, carried.begin, now, carried.day + 1, carried.value)[-1]
    return Standing(evaluation.status, round(100 * value), kept, asked)


SCORE_AFTER: Final = 4
"""A score is shown once a ritual has asked this many times: before that, one done or one
quiet week would swing it from 0% to 50% and say nothing true."""


def score_shown(asked: int) -> bool:
    """Whether a ritual that has asked ``asked`` times has history enough for a score."""
    return asked >= SCORE_AFTER


def score_wait_words(asked: int) -> str:
    """What is missing before a score means something, said gently (after "Score ")."""
    left = max(1, SCORE_AFTER - asked)
    times = "one more time" if left == 1 else f"{left} more times"
    return f"shows once this has come round {times}."


# --------------------------------------------------------------------------- score


def multiplier(schedule: Schedule) -> float:
    """How much of yesterday's score survives each day: ``0.5 ** (sqrt(freq) / 13)``."""
    occasions_, days = frequency(schedule)
    return 0.5 ** (math.sqrt(occasions_ / days) / HALF_LIFE_DAILY)


def half_life_days(schedule: Schedule) -> float:
    """Days of steady keeping (or letting go) that move the score halfway."""
    return -math.log(2) / math.log(multiplier(schedule))


def score_series(
    schedule: Schedule,
    entries: Mapping[Any, str] | None,
    today: dt.date,
    *,
    since: dt.date | None = None,
) -> list[float]:
    """The score (0.0-1.0) at the end of each day from the ritual's first day to ``today``."""
    return _score_series(schedule, normalise_entries(entries), today, since)


def _score_series(schedule: Schedule, ent: dict[int, str], today: dt.date, since: dt.date | None) -> list[float]:
    now = today.toordinal()
    begin = _begin(schedule, ent, now, since)
    if begin > now:
        return []
    return _score_run(schedule, ent, begin, now, begin, 0.0)


def _score_run(schedule: Schedule, ent: dict[int, str], begin: int, now: int, first: int, value: float) -> list[float]:
    """The score at the end of each day from ``first`` to ``now`` (day ordinals), going on from
    ``value`` at the end of the day before ``first``; the ritual began on ``begin``. Only the
    entries from a span before ``first`` are read, so a carried value (:class:`Carried`) goes
    on exactly as a run from the first day would."""
    end = schedule.end.toordinal() if schedule.end else now
    need, span = frequency(schedule)
    keep = multiplier(schedule)
    # Running counts (prefix sums) of done and skipped days: the count in any window of days
    # is then two look-ups, where a search per day made three years of a dozen rituals cost
    # tens of milliseconds.
    low = max(begin, first - span + 1)
    days = now - low + 1
    done_marks, skip_marks = [0] * (days + 1), [0] * (days + 1)
    for day, state in ent.items():
        if low <= day <= now and state in (DONE, SKIPPED):
            (done_marks if state == DONE else skip_marks)[day - low + 1] = 1
    dones, skips = list(accumulate(done_marks)), list(accumulate(skip_marks))
    gain, last = 1 - keep, min(end, now)
    series: list[float] = []
    for day in range(first, now + 1):
        if day <= last:
            i, lo = day - low, max(low, day - span + 1) - low
            kept = dones[i + 1] - dones[lo]
            if kept >= need:
                value = value * keep + gain
            elif kept + skips[i + 1] - skips[lo] >= need or (day == now and day not in ent):
                pass  # excused by a skip, or the day is not over yet
            else:
                value = value * keep + (kept / need) * gain
        series.append(value)
    return series


def score(
    schedule: Schedule,
    entries: Mapping[Any, str] | None,
    today: dt.date,
    *,
    since: dt.date | None = None,
) -> int:
    """The consistency score, 0-100, on ``today``."""
    return _score(score_series(schedule, entries, today, since=since))


def _score(series: list[float]) -> int:
    return round(100 * series[-1]) if series else 0


def _duration(days: float) -> str:
    if days < 10.5:
        return f"about {round(days)} days"
    if days < 60:
        weeks = round(days / 7)
        return "about a week" if weeks == 1 else f"about {weeks} weeks"
    return f"about {round(days / 30.4)} months"


def explain_score(schedule: Schedule) -> str:
    """One or two plain sentences on how the score moves for this schedule."""
    return (
        "Your score climbs each time you keep this and eases down slowly when a time goes by, "
        f"moving halfway in {_duration(half_life_days(schedule))}. "
        "Skips leave it just where it is."
    )


# --------------------------------------------------------------------------- heatmap


class Cell(Enum):
    """What one day of the heatmap shows."""

    DONE = "done"
    SKIPPED = "skipped"
    MISSED = "not logged"
    DUE = "due"
    NOT_DUE = "not due"
    FUTURE = "to come"
    OUTSIDE = "not started"
    PAUSED = "paused"


SYMBOLS: Final[dict[Cell, str]] = {
    Cell.DONE: "#",
    Cell.SKIPPED: "/",
    Cell.MISSED: "o",
    Cell.DUE: "*",
    Cell.NOT_DUE: ".",
    Cell.FUTURE: "-",
    Cell.OUTSIDE: " ",
    Cell.PAUSED: "=",
}
"""One ASCII character per kind of day: readable without colour and on the Linux console."""

LEGEND_ORDER: Final = (Cell.DONE, Cell.SKIPPED, Cell.MISSED, Cell.DUE, Cell.NOT_DUE, Cell.FUTURE, Cell.PAUSED)
ROW_LABEL_WIDTH: Final = 4
DEFAULT_WEEKS: Final = 16
MIN_WEEKS: Final = 12
MOST_WEEKS: Final = 53
"""A ritual's detail draws at most a year of weeks, however wide the terminal."""


def max_weeks(width: int = 80) -> int:
    """The most weeks whose heatmap fits in ``width`` columns."""
    return max(1, (width - ROW_LABEL_WIDTH + 1) // 2)


@dataclass(frozen=True)
class Heatmap:
    """Days by week: ``rows[weekday][week]`` with Monday as row 0."""

    first_monday: pendulum.Date
    today: pendulum.Date
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def weeks(self) -> int:
        """How many week columns."""
        return len(self.rows[0])

    def day(self, row: int, column: int) -> pendulum.Date:
        """The date shown at ``(row, column)``."""
        return self.first_monday.add(days=7 * column + row)

    def counts(self) -> dict[Cell, int]:
        """How many days of each kind are shown."""
        out = {cell: 0 for cell in Cell}
        for row in self.rows:
            for cell in row:
                out[cell] += 1
        return out

    def month_line(self) -> str:
        """Month names over the columns where each month begins."""
        # The last column may lend its label one more character than its cell, but the line
        # stays within the columns the weeks were chosen for (max_weeks): 80 at 38 weeks,
        # where a month that begins in the last week goes without its name.
        rows = ROW_LABEL_WIDTH + 2 * self.weeks - 1
        line = [" "] * min(rows + 2, max(80, rows))
        last_end, last_column = -1, -1
        previous = None
        for column in range(self.weeks):
            monday = self.day(0, column)
            if monday.month != previous:
                label = monday.format("MMM")
                at = ROW_LABEL_WIDTH + 2 * column
                if at <= last_end and last_column == 0:
                    # The first week's month began off the map: its label gives way to the
                    # month that begins next to it.
                    line[ROW_LABEL_WIDTH:last_end] = [" "] * (last_end - ROW_LABEL_WIDTH)
                    last_end = -1
                if at > last_end and at + len(label) <= len(line):
                    line[at : at + len(label)] = list(label)
                    last_end, last_column = at + len(label), column
            previous = monday.month
        return "".join(line).rstrip()

    def lines(self, *, legend: bool = True) -> list[str]:
        """Plain-text rows: a month line, one line per weekday, and a legend."""
        out = [self.month_line()]
        for weekday, row in enumerate(self.rows):
            label = pendulum.Date(2024, 1, 1).add(days=weekday).format("ddd")
            cells = " ".join(SYMBOLS[cell] for cell in row)
            out.append(f"{label} {cells}".rstrip())
        if legend:
            out.append(legend_text())
        return out


def legend_text() -> str:
    """``# done  / skipped  o not logged ...`` in one line under 80 columns (neutral words:
    a time that went by is "not logged", never "missed")."""
    return "  ".join(f"{SYMBOLS[cell]} {cell.value}" for cell in LEGEND_ORDER)


def heatmap(
    schedule: Schedule,
    entries: Mapping[Any, str] | None,
    today: dt.date,
    *,
    weeks: int = DEFAULT_WEEKS,
    since: dt.date | None = None,
    paused: Collection[dt.date] = (),
    carried: Carried | None = None,
) -> Heatmap:
    """The last ``weeks`` weeks (today's week last) as a :class:`Heatmap`.

    ``paused``: days of a pause (leave) with nothing logged, drawn as :attr:`Cell.PAUSED`.
    ``carried``: what was carried to a day before the first week shown (:class:`Carried`);
    then ``entries`` need only be those after it, and the map is the one every entry gives.
    """
    weeks = max(1, weeks)
    today = as_date(today)
    ent = normalise_entries(entries)
    now = today.toordinal()
    first = now - today.weekday() - 7 * (weeks - 1)
    marks: dict[int, Cell] = {}
    if carried is not None:
        if carried.day >= first:
            raise ValueError("what was carried must end before the first week shown")
        begin = carried.begin
        walk = evaluate_from(schedule, {**carried.entries, **{d: s for d, s in ent.items() if d > carried.day}}, carried.resync, now)
        found = [(day, outcome) for day, outcome, _ in walk.occasions if first <= day <= now]
    else:
        begin = _begin(schedule, ent, now, since)
        found = [(occasion.date.toordinal(), occasion.outcome) for occasion in occasions(
            schedule, entries, pendulum.Date.fromordinal(first), today, today=today, since=since)]  # fmt: skip
    end = schedule.end.toordinal() if schedule.end else None
    for day, outcome in found:
        if outcome == MISSED:
            marks[day] = Cell.MISSED
        elif outcome in (DUE, OVERDUE):
            marks[day] = Cell.DUE

    resting = {as_date(day).toordinal() for day in paused}

    def cell(day: int) -> Cell:
        if day in resting:
            return Cell.PAUSED
        if day > now:
            return Cell.FUTURE
        state = ent.get(day)
        if state == DONE:
            return Cell.DONE
        if state == SKIPPED:
            return Cell.SKIPPED
        if day < begin or (end is not None and day > end):
            return Cell.OUTSIDE
        return marks.get(day, Cell.NOT_DUE)

    rows = tuple(
        tuple(cell(first + 7 * column + weekday) for column in range(weeks))
        for weekday in range(7)
    )
    return Heatmap(pendulum.Date.fromordinal(first), today, rows)
