"""Ritual schedules: when a ritual asks for you, and what counts as keeping it.

Plain Python (no Textual). Dates are ``pendulum.Date``; a ritual's history is given as
*entries*, a mapping ``{date: "done" | "skipped"}`` with at most one entry per day (keys may
also be ISO ``"YYYY-MM-DD"`` strings).

Kinds of schedule
-----------------
``daily``            every day.
``weekdays``         Monday to Friday.
``days_of_week``     chosen days (Tue and Thu), optionally every 2nd, 3rd... week
                     ("every 2nd Tuesday"); weeks are counted from the week of the start date.
``every_n_days``     every N days, counted from the last time it was done or skipped
                     (``anchor="done"``) or from a fixed start date (``anchor="start"``).
``times_in_days``    X times in any Y days (a rolling window).
``times_per_week``   X times per calendar week (Monday to Sunday).
``monthly_day``      on a day of the month; the 29th-31st fall back to the month's last day.
``monthly_weekday``  on the nth weekday of the month: first to fourth, or last.

Any schedule may have a start date, an end date (inclusive) and a time of day. The time of
day is for calendars and reminders only: whether something is due is decided by whole days in
the person's own time zone, so a daylight-saving change never moves a due date.

Occasions and what counts
-------------------------
An *occasion* is one time the ritual asks for you. Calendar kinds (daily, weekdays, chosen
days, every N days from a fixed start, monthly) have occasions on fixed dates. Each occasion
can be kept from the day after the previous occasion up to the day before the next one:

* **On the day**: a done entry on an occasion's date keeps that occasion.
* **Late**: a done entry after an occasion that is still open keeps *that* occasion (catching
  up comes first). An open occasion stays "overdue" only until the next one arrives; then it
  counts as missed and only the new one is asked for. Missed times never pile up.
* **Early**: a done entry between occasions, when the previous one is already settled, keeps
  the next occasion ahead of time (the supervision moved from Thursday to Wednesday), but only
  when it falls at most ``EARLY_DAYS`` (three) days before it. A done further ahead is an
  extra meeting, not the next one moved: "monthly on the 15th" done on the 15th and again on
  the 30th still asks for you on 15 December. The same holds for a skip.
* **Skip**: a skip settles an occasion the same way (the open one first, else the next one
  if it is at most ``EARLY_DAYS`` away) without keeping it. Time away that is known ahead is a
  pause, not a skip weeks early. A skipped occasion is neither due nor missed. If the ritual is then done
  anyway before the next occasion, the done replaces the skip.
* Extra entries that find no occasion (a second early done, or a done more than
  ``EARLY_DAYS`` before the next occasion) are kept in the history but change nothing.

Flexible kinds:

* **Every N days from the last time**: due N days after the last done or skipped entry (or on
  the first day, before any). Doing it early simply restarts the count. While it waits, it is
  overdue; for progress each further N days of waiting counts as one missed time, and a late
  done keeps the latest one.
* **X times in any Y days**: asks are spread at least ``Y // X`` days apart and never on a day
  when the last Y days already hold X dones, so following the asks never means more than X in
  any Y days. A done when the window is already full is a welcome extra and counts for nothing.
  Waiting works as for every N days, with ``Y // X`` as the step.
* **X times per week**: any day of the week counts. Tend asks on Monday, then ``7 // X`` days
  after each entry, but never so late that the rest no longer fits in the week. It is never
  "overdue" inside the week; at the week's end any shortfall counts as missed and the new week
  starts fresh. A first or last week cut short by the start or end date asks for a fair share.

Before its start date (or, without one, the day the ritual was made, ``since``, or its
earliest entry if that is older) a ritual asks nothing; after its end date it asks nothing
more, though an occasion still open may be caught up.
"""

from __future__ import annotations

import bisect
import re
import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, Final

import pendulum

from app.models import MAX_YEAR, MIN_YEAR

DAILY: Final = "daily"
WEEKDAYS: Final = "weekdays"
DAYS_OF_WEEK: Final = "days_of_week"
EVERY_N_DAYS: Final = "every_n_days"
TIMES_IN_DAYS: Final = "times_in_days"
TIMES_PER_WEEK: Final = "times_per_week"
MONTHLY_DAY: Final = "monthly_day"
MONTHLY_WEEKDAY: Final = "monthly_weekday"

KINDS: Final = (
    DAILY,
    WEEKDAYS,
    DAYS_OF_WEEK,
    EVERY_N_DAYS,
    TIMES_IN_DAYS,
    TIMES_PER_WEEK,
    MONTHLY_DAY,
    MONTHLY_WEEKDAY,
)

FROM_DONE: Final = "done"
FROM_START: Final = "start"

DONE: Final = "done"
SKIPPED: Final = "skipped"
ENTRY_STATES: Final = (DONE, SKIPPED)

# Occasion outcomes.
MISSED: Final = "missed"
DUE: Final = "due"
OVERDUE: Final = "overdue"
UPCOMING: Final = "upcoming"

# Status states.
NOT_DUE: Final = "not_due"
ENDED: Final = "ended"

DAY_NAMES: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_SHORT: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
NTH_WORDS: Final = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}

MAX_EVERY_DAYS: Final = 365
MAX_EVERY_WEEKS: Final = 52

_FOREVER: Final = 10**9


class ScheduleError(ValueError):
    """A schedule that cannot work, with a message a person can act on."""


class SeveralMonths(ScheduleError):
    """Words for a schedule of several months ("quarterly"), which Tend has no kind for: the
    message offers the weeks closest to it. Complete as typed, so the form shows it at once."""


# --------------------------------------------------------------------------- dates


def _o(day: dt.date) -> int:
    return day.toordinal()


def _d(ordinal: int) -> pendulum.Date:
    return pendulum.Date.fromordinal(ordinal)


def as_date(value: object, what: str = "date") -> pendulum.Date:
    """Return ``value`` (a date or an ISO ``YYYY-MM-DD`` string) as a ``pendulum.Date``."""
    if isinstance(value, dt.datetime):
        raise ScheduleError(f"The {what} should be a day, not a moment in time.")
    if isinstance(value, dt.date):
        return pendulum.Date(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return pendulum.Date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ScheduleError(f"The {what} should look like 2026-11-20 (got {value!r}).")


def local_day(moment: dt.datetime | None = None, tz: str | None = None) -> pendulum.Date:
    """The calendar day of ``moment`` (default: now) in time zone ``tz`` (default: local)."""
    zone = pendulum.timezone(tz) if tz else pendulum.local_timezone()
    if moment is None:
        return pendulum.DateTime.now(zone).date()
    return pendulum.instance(moment).in_timezone(zone).date()


def _as_time(value: object) -> dt.time | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.time):
        return dt.time(value.hour, value.minute)
    if isinstance(value, str):
        text = value.strip()
        try:
            hours, minutes = text.split(":")
            if len(minutes) == 2 and hours.isdigit() and minutes.isdigit():
                return dt.time(int(hours), int(minutes))
        except ValueError:
            pass
    raise ScheduleError(f"The time of day should look like 09:30 (got {value!r}).")


def _int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScheduleError(f"The {what} should be a whole number (got {value!r}).")
    return value


def _month_days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


# --------------------------------------------------------------------------- schedule


@dataclass(frozen=True)
class Schedule:
    """How often a ritual comes round. Build one with the class methods (``Schedule.daily()``).

    Fields that do not apply to ``kind`` are reset to their defaults, so two schedules that
    mean the same thing are equal.
    """

    kind: str
    weekdays: tuple[int, ...] = ()
    """Days for ``days_of_week`` (0 = Monday), or the one weekday of ``monthly_weekday``."""
    every: int = 1
    """N for ``every_n_days``; the week interval for ``days_of_week`` (2 = every 2nd week)."""
    anchor: str = FROM_DONE
    """For ``every_n_days``: count from the last ``"done"``, or from a fixed ``"start"``."""
    times: int = 1
    """X for ``times_in_days`` and ``times_per_week``."""
    window: int = 7
    """Y for ``times_in_days``."""
    day: int = 1
    """Day of the month for ``monthly_day`` (29-31 fall back to the month's last day)."""
    nth: int = 1
    """Which weekday of the month for ``monthly_weekday``: 1-4, or -1 for the last."""
    start: pendulum.Date | None = None
    end: pendulum.Date | None = None
    time: dt.time | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ScheduleError(
                f"Unknown kind of schedule {self.kind!r}; choose one of: {', '.join(KINDS)}."
            )
        set_ = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731
        set_("start", None if self.start is None else as_date(self.start, "start date"))
        set_("end", None if self.end is None else as_date(self.end, "end date"))
        set_("time", _as_time(self.time))
        for what, day in (("start", self.start), ("end", self.end)):
            if day is not None and not MIN_YEAR <= day.year <= MAX_YEAR:  # a calendar a year 9999 cannot be drawn
                raise ScheduleError(f"The {what} date ({day.to_date_string()}) is outside the years Tend keeps "
                                    f"({MIN_YEAR} to {MAX_YEAR}).")
        if self.start and self.end and self.end < self.start:
            raise ScheduleError(
                f"The end date ({self.end.to_date_string()}) comes before the start date "
                f"({self.start.to_date_string()})."
            )
        keep = _RELEVANT[self.kind]
        for f in fields(self):
            if f.name in _COMMON or f.name in keep:
                continue
            set_(f.name, f.default)
        getattr(self, f"_check_{self.kind}")()

    # -- validation, one method per kind

    def _days(self) -> tuple[int, ...]:
        try:
            days = tuple(sorted({_int(day, "day of the week") for day in self.weekdays}))
        except TypeError:
            raise ScheduleError("The days of the week should be a list of numbers.") from None
        for day in days:
            if not 0 <= day <= 6:
                raise ScheduleError(
                    f"Days of the week run from 0 (Monday) to 6 (Sunday); got {day}."
                )
        object.__setattr__(self, "weekdays", days)
        return days

    def _check_daily(self) -> None:
        pass

    def _check_weekdays(self) -> None:
        pass

    def _check_days_of_week(self) -> None:
        if not self._days():
            raise ScheduleError("Choose at least one day of the week.")
        every = _int(self.every, "number of weeks")
        if not 1 <= every <= MAX_EVERY_WEEKS:
            raise ScheduleError(f"Repeat every 1 to {MAX_EVERY_WEEKS} weeks; got {every}.")
        if every > 1 and self.start is None:
            raise ScheduleError(
                f"Every {_ordinal(every)} week needs a start date, so Tend knows which weeks count."
            )

    def _check_every_n_days(self) -> None:
        every = _int(self.every, "number of days")
        if not 1 <= every <= MAX_EVERY_DAYS:
            raise ScheduleError(f"Repeat every 1 to {MAX_EVERY_DAYS} days; got {every}.")
        if self.anchor not in (FROM_DONE, FROM_START):
            raise ScheduleError(
                f"Count the days from the last time ('done') or from the start ('start'); "
                f"got {self.anchor!r}."
            )
        if self.anchor == FROM_START and self.start is None:
            raise ScheduleError("Counting from a fixed start needs a start date.")

    def _check_times_in_days(self) -> None:
        window = _int(self.window, "number of days")
        times = _int(self.times, "number of times")
        if not 1 <= window <= MAX_EVERY_DAYS:
            raise ScheduleError(f"The window should be 1 to {MAX_EVERY_DAYS} days; got {window}.")
        if not 1 <= times <= window:
            raise ScheduleError(
                f"{times} times in {window} days cannot fit: choose 1 to {window} times."
            )

    def _check_times_per_week(self) -> None:
        times = _int(self.times, "number of times")
        if not 1 <= times <= 7:
            raise ScheduleError(f"Choose 1 to 7 times a week; got {times}.")

    def _check_monthly_day(self) -> None:
        day = _int(self.day, "day of the month")
        if not 1 <= day <= 31:
            raise ScheduleError(f"The day of the month should be 1 to 31; got {day}.")

    def _check_monthly_weekday(self) -> None:
        days = self._days()
        if len(days) != 1:
            raise ScheduleError("Choose one day of the week (for example, the first Tuesday).")
        nth = _int(self.nth, "week of the month")
        if nth not in NTH_WORDS:
            raise ScheduleError("Choose the first, second, third, fourth or last one in the month.")

    # -- constructors

    @classmethod
    def daily(cls, **extra: Any) -> Schedule:
        """Every day."""
        return cls(DAILY, **extra)

    @classmethod
    def on_weekdays(cls, **extra: Any) -> Schedule:
        """Monday to Friday."""
        return cls(WEEKDAYS, **extra)

    @classmethod
    def on_days(cls, *days: int | str, every: int = 1, **extra: Any) -> Schedule:
        """Chosen days of the week (numbers, 0 = Monday, or names such as "tue")."""
        return cls(DAYS_OF_WEEK, weekdays=tuple(_weekday(day) for day in days), every=every, **extra)

    @classmethod
    def every_n_days(cls, n: int, anchor: str = FROM_DONE, **extra: Any) -> Schedule:
        """Every ``n`` days, from the last time done (``"done"``) or from the start date."""
        return cls(EVERY_N_DAYS, every=n, anchor=anchor, **extra)

    @classmethod
    def times_in_days(cls, times: int, days: int, **extra: Any) -> Schedule:
        """``times`` times in any ``days`` days (rolling)."""
        return cls(TIMES_IN_DAYS, times=times, window=days, **extra)

    @classmethod
    def times_per_week(cls, times: int, **extra: Any) -> Schedule:
        """``times`` times per calendar week."""
        return cls(TIMES_PER_WEEK, times=times, **extra)

    @classmethod
    def monthly_on_day(cls, day: int, **extra: Any) -> Schedule:
        """On a day of the month (29-31 fall back to the last day of short months)."""
        return cls(MONTHLY_DAY, day=day, **extra)

    @classmethod
    def monthly_on_weekday(cls, nth: int, weekday: int | str, **extra: Any) -> Schedule:
        """On the ``nth`` (1-4, or -1 for last) ``weekday`` of each month."""
        return cls(MONTHLY_WEEKDAY, nth=nth, weekdays=(_weekday(weekday),), **extra)

    # -- storage

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict holding only the fields this kind uses."""
        out: dict[str, Any] = {"kind": self.kind}
        for name in sorted(_RELEVANT[self.kind]):
            value = getattr(self, name)
            out[name] = list(value) if isinstance(value, tuple) else value
        if self.start:
            out["start"] = self.start.isoformat()
        if self.end:
            out["end"] = self.end.isoformat()
        if self.time:
            out["time"] = self.time.strftime("%H:%M")
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Schedule:
        """Rebuild a schedule from :meth:`to_dict` output; raises :class:`ScheduleError`."""
        if not isinstance(data, Mapping):
            raise ScheduleError("A schedule should be stored as a mapping of fields.")
        kind = data.get("kind")
        if kind not in KINDS:
            raise ScheduleError(f"Unknown kind of schedule {kind!r}.")
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        weekdays = values.get("weekdays", ())
        if not isinstance(weekdays, (list, tuple)):
            raise ScheduleError("The days of the week should be a list of numbers.")
        values["weekdays"] = tuple(weekdays)
        return cls(**values)

    def with_dates(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> Schedule:
        """A copy with new start and end dates."""
        return replace(
            self,
            start=None if start is None else as_date(start, "start date"),
            end=None if end is None else as_date(end, "end date"),
        )


_COMMON: Final = frozenset({"kind", "start", "end", "time"})
_RELEVANT: Final[dict[str, frozenset[str]]] = {
    DAILY: frozenset(),
    WEEKDAYS: frozenset(),
    DAYS_OF_WEEK: frozenset({"weekdays", "every"}),
    EVERY_N_DAYS: frozenset({"every", "anchor"}),
    TIMES_IN_DAYS: frozenset({"times", "window"}),
    TIMES_PER_WEEK: frozenset({"times"}),
    MONTHLY_DAY: frozenset({"day"}),
    MONTHLY_WEEKDAY: frozenset({"weekdays", "nth"}),
}


def _weekday(day: int | str) -> int:
    if isinstance(day, str):
        key = day.strip().lower()[:3]
        for index, name in enumerate(DAY_SHORT):
            if name.lower() == key:
                return index
        raise ScheduleError(f"Unknown day of the week {day!r}.")
    return day


def is_flexible(schedule: Schedule) -> bool:
    """True for kinds whose dates move with what you do (not fixed on a calendar)."""
    return schedule.kind in (TIMES_IN_DAYS, TIMES_PER_WEEK) or (
        schedule.kind == EVERY_N_DAYS and schedule.anchor == FROM_DONE
    )


def frequency(schedule: Schedule) -> tuple[int, int]:
    """Occasions per span of days, as ``(occasions, days)``: weekdays are ``(5, 7)``."""
    kind = schedule.kind
    if kind == DAILY:
        return (1, 1)
    if kind == WEEKDAYS:
        return (5, 7)
    if kind == DAYS_OF_WEEK:
        return (len(schedule.weekdays), 7 * schedule.every)
    if kind == EVERY_N_DAYS:
        return (1, schedule.every)
    if kind == TIMES_IN_DAYS:
        return (schedule.times, schedule.window)
    if kind == TIMES_PER_WEEK:
        return (schedule.times, 7)
    if kind == MONTHLY_DAY:
        return (1, 31)
    return (1, 35)  # the nth weekday comes round every 28 or 35 days


def ask_step(schedule: Schedule) -> int:
    """Days between asks for the flexible kinds (N; ``Y // X``; ``7 // X``)."""
    if schedule.kind == EVERY_N_DAYS:
        return schedule.every
    if schedule.kind == TIMES_IN_DAYS:
        return max(1, schedule.window // schedule.times)
    return max(1, 7 // schedule.times)


# --------------------------------------------------------------------------- words


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _days_span(days: int) -> str:
    if days == 1:
        return "a day"
    if days % 7 == 0:
        weeks = days // 7
        return "a week" if weeks == 1 else f"{weeks} weeks"
    return f"{days} days"


def describe(schedule: Schedule, *, with_dates: bool = False, short: bool = False) -> str:
    """The schedule in plain words: "weekdays", "every 2nd Tuesday", "3 times a week".

    ``short`` trades a little grace for width where it helps ("monthly, first Thursday").
    """
    text = _describe_kind(schedule)
    if short and schedule.kind == MONTHLY_WEEKDAY:
        text = f"monthly, {NTH_WORDS[schedule.nth]} {DAY_NAMES[schedule.weekdays[0]]}"
    if schedule.time:
        text += f" at {schedule.time.strftime('%H:%M')}"
    if with_dates:
        if schedule.start:
            text += f", from {schedule.start.format('D MMM YYYY')}"
        if schedule.end:
            text += f", until {schedule.end.format('D MMM YYYY')}"
    return text


def _describe_kind(schedule: Schedule) -> str:
    kind = schedule.kind
    if kind == DAILY:
        return "every day"
    if kind == WEEKDAYS:
        return "weekdays"
    if kind == DAYS_OF_WEEK:
        days = schedule.weekdays
        if schedule.every == 1:
            if len(days) == 7:
                return "every day"
            if days == (0, 1, 2, 3, 4):
                return "weekdays"
            if days == (5, 6):
                return "weekends"
            if len(days) == 1:
                return f"every {DAY_NAMES[days[0]]}"
            if len(days) == 2:
                return _join([DAY_NAMES[day] + "s" for day in days])
            return _join([DAY_SHORT[day] for day in days])
        nth = _ordinal(schedule.every)
        if len(days) == 1:
            return f"every {nth} {DAY_NAMES[days[0]]}"
        return f"{_join([DAY_SHORT[day] for day in days])}, every {nth} week"
    if kind == EVERY_N_DAYS:
        n = schedule.every
        if schedule.anchor == FROM_START:
            if n == 1:
                return "every day"
            if n % 7 == 0:
                return "every week" if n == 7 else f"every {n // 7} weeks"
            return f"every {n} days"
        return f"{_days_span(n)} after the last time"
    if kind == TIMES_IN_DAYS:
        return f"{_times(schedule.times)} in any {schedule.window} days"
    if kind == TIMES_PER_WEEK:
        return f"{_times(schedule.times)} a week"
    if kind == MONTHLY_DAY:
        if schedule.day == 31:
            return "the last day of each month"
        return f"monthly on the {_ordinal(schedule.day)}"
    return f"the {NTH_WORDS[schedule.nth]} {DAY_NAMES[schedule.weekdays[0]]} of each month"


# --------------------------------------------------------------------------- entries


def normalise_entries(entries: Mapping[Any, str] | None) -> dict[int, str]:
    """Entries keyed by day ordinal; raises :class:`ScheduleError` on a bad key or state."""
    out: dict[int, str] = {}
    for key, state in (entries or {}).items():
        if state not in ENTRY_STATES:
            raise ScheduleError(f"An entry is 'done' or 'skipped', not {state!r}.")
        kind = type(key)
        out[key.toordinal() if kind is pendulum.Date or kind is dt.date else _o(as_date(key, "entry date"))] = state
    return out


def _begin(schedule: Schedule, ent: dict[int, str], day: int, since: dt.date | None) -> int:
    if schedule.start:
        return _o(schedule.start)
    first = _o(as_date(since, "first day")) if since is not None else day
    return min(min(ent), first) if ent else first


# --------------------------------------------------------------------------- fixed dates


def _month_date(schedule: Schedule, year: int, month: int) -> int:
    if schedule.kind == MONTHLY_DAY:
        return _o(dt.date(year, month, min(schedule.day, _month_days(year, month))))
    weekday = schedule.weekdays[0]
    if schedule.nth == -1:
        last = _month_days(year, month)
        back = (dt.date(year, month, last).weekday() - weekday) % 7
        return _o(dt.date(year, month, last - back))
    first = 1 + (weekday - dt.date(year, month, 1).weekday()) % 7
    return _o(dt.date(year, month, first + 7 * (schedule.nth - 1)))


def _raw_between(schedule: Schedule, lo: int, hi: int) -> list[int]:
    """Fixed occasion ordinals in ``[lo, hi]``, respecting the start date but not the end."""
    if schedule.start:
        lo = max(lo, _o(schedule.start))
    if lo > hi:
        return []
    kind = schedule.kind
    if kind == DAILY:
        return list(range(lo, hi + 1))
    if kind == WEEKDAYS:
        return [day for day in range(lo, hi + 1) if _weekday_of(day) < 5]
    if kind == DAYS_OF_WEEK:  # week by week: the chosen days of each week that counts
        wanted = sorted(set(schedule.weekdays))
        every = schedule.every
        anchor = _monday(_o(schedule.start)) if schedule.start else 0
        return [
            monday + weekday
            for monday in range(_monday(lo), hi + 1, 7)
            if ((monday - anchor) // 7) % every == 0
            for weekday in wanted
            if lo <= monday + weekday <= hi
        ]
    if kind == EVERY_N_DAYS:  # from a fixed start (validated)
        assert schedule.start is not None
        first = _o(schedule.start)
        n = schedule.every
        offset = (lo - first) % n
        begin = lo if offset == 0 else lo + n - offset
        return list(range(begin, hi + 1, n))
    # monthly kinds
    out: list[int] = []
    low, high = dt.date.fromordinal(lo), dt.date.fromordinal(hi)
    year, month = low.year, low.month
    while (year, month) <= (high.year, high.month):
        day = _month_date(schedule, year, month)
        if lo <= day <= hi:
            out.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _span(schedule: Schedule) -> int:
    """A number of days sure to contain the next fixed occasion."""
    if schedule.kind == DAYS_OF_WEEK:
        return 7 * schedule.every + 7
    if schedule.kind == EVERY_N_DAYS:
        return schedule.every
    return 40


def _raw_after(schedule: Schedule, day: int, count: int) -> list[int]:
    """The next ``count`` fixed occasions after ``day`` (ignoring the end date)."""
    out: list[int] = []
    while len(out) < count:
        found = _raw_between(schedule, day + 1, day + _span(schedule))
        if not found:
            day += _span(schedule)
            continue
        out.extend(found[: count - len(out)])
        day = out[-1]
    return out


def _weekday_of(day: int) -> int:
    """The weekday of a day ordinal (0 = Monday), as ``date.fromordinal(day).weekday()``
    says it, without building a date: day 1 (1 January of the year 1) was a Monday."""
    return (day - 1) % 7


def _monday(day: int) -> int:
    return day - _weekday_of(day)


def scheduled_dates(schedule: Schedule, first: dt.date, last: dt.date) -> list[pendulum.Date]:
    """The dates in ``[first, last]`` the schedule asks for if each ask is done on its day.

    For calendar kinds these are simply its dates. For the flexible kinds this is the rhythm
    that follows from starting on ``first``: every N days; X times spread over each Y days;
    X times a week on Monday and then every ``7 // X`` days (a fair share in a week cut short
    by ``first``, the start or the end). This is what a calendar export shows.
    """
    lo, hi = _o(first), _o(last)
    if schedule.start:
        lo = max(lo, _o(schedule.start))
    if schedule.end:
        hi = min(hi, _o(schedule.end))
    if lo > hi:
        return []
    if not is_flexible(schedule):
        return [_d(day) for day in _raw_between(schedule, lo, hi)]
    step = ask_step(schedule)
    if schedule.kind == EVERY_N_DAYS:
        days = list(range(lo, hi + 1, step))
    elif schedule.kind == TIMES_IN_DAYS:
        offsets = [index * step for index in range(schedule.times)]
        days = [
            base + offset
            for base in range(lo, hi + 1, schedule.window)
            for offset in offsets
            if base + offset <= hi
        ]
    else:
        end = _end(schedule)
        days = [
            day
            for monday in range(_monday(lo), hi + 1, 7)
            for day in _week_asks(schedule, max(monday, lo), min(monday + 6, end))
            if day <= hi
        ]
    return [_d(day) for day in days]


def _week_asks(schedule: Schedule, lo: int, hi: int) -> list[int]:
    """X-a-week asks in the days ``[lo, hi]`` of one week, if each is done when asked."""
    quota = _week_quota(schedule, hi - lo + 1)
    step = ask_step(schedule)
    asks: list[int] = []
    for index in range(quota):
        ask = asks[-1] + step if asks else lo
        asks.append(max(lo, min(ask, hi - (quota - index - 1))))
    return asks


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Occasion:
    """One time the ritual asked (or will ask) for you, and how it went."""

    date: pendulum.Date
    outcome: str
    """``done``, ``skipped``, ``missed``, ``due`` (today), ``overdue`` or ``upcoming``."""
    entry: pendulum.Date | None = None
    """The day of the entry that settled it (earlier or later than ``date`` if early/late)."""


@dataclass(frozen=True)
class Status:
    """Where a ritual stands on one day."""

    state: str
    """``due`` (asked today), ``overdue`` (asked earlier, still open), ``not_due`` or ``ended``."""
    since: pendulum.Date | None = None
    """For ``due`` and ``overdue``: the day it was first asked for."""
    next_due: pendulum.Date | None = None
    """The day it is next asked for: the day itself when due or overdue; None once ended."""

    @property
    def is_due(self) -> bool:
        """True when something is asked for now (due today or overdue)."""
        return self.state in (DUE, OVERDUE)


@dataclass
class _Eval:
    occasions: list[tuple[int, str, int | None]]
    status: Status


def _evaluate(
    schedule: Schedule, entries: Mapping[Any, str] | None, day: dt.date, since: dt.date | None
) -> _Eval:
    return evaluate_normalised(schedule, normalise_entries(entries), day, since)


def evaluate_normalised(
    schedule: Schedule, ent: dict[int, str], day: dt.date, since: dt.date | None
) -> _Eval:
    """Every occasion up to ``day`` with its outcome, and the status on ``day``, from entries
    already through :func:`normalise_entries` (for callers that need several answers)."""
    today = _o(day)
    return _evaluate_from(schedule, ent, _begin(schedule, ent, today, since), today)


def _evaluate_from(schedule: Schedule, ent: dict[int, str], begin: int, today: int) -> _Eval:
    ent = {key: value for key, value in ent.items() if begin <= key <= today}
    if schedule.kind == TIMES_PER_WEEK:
        return _eval_week(schedule, ent, begin, today)
    if is_flexible(schedule):
        return _eval_chain(schedule, ent, begin, today)
    return _eval_fixed(schedule, ent, begin, today)


EARLY_DAYS: Final = 3
"""How many days before an occasion a done can keep it early (a meeting moved a day or two
sooner). A done further ahead is an extra and never uses up the next occasion."""


def _end(schedule: Schedule) -> int:
    return _o(schedule.end) if schedule.end else _FOREVER


def _eval_fixed(schedule: Schedule, ent: dict[int, str], begin: int, today: int) -> _Eval:
    end = _end(schedule)
    raw = _fixed_dates(schedule, begin, today)
    settled = _settle(raw, ent, end)
    occasions: list[tuple[int, str, int | None]] = []
    open_day: int | None = None
    for index, occ in enumerate(raw):
        if occ > end:
            break
        if occ in settled:
            state, when = settled[occ]
            occasions.append((occ, state, when))
        elif occ > today:
            occasions.append((occ, UPCOMING, None))
        elif occ == today:
            occasions.append((occ, DUE, None))
            open_day = occ
        elif today < raw[index + 1]:
            occasions.append((occ, OVERDUE, None))
            open_day = occ
        else:
            occasions.append((occ, MISSED, None))
    if open_day is not None:
        state = DUE if open_day == today else OVERDUE
        status = Status(state, _d(open_day), _d(today))
    else:
        ahead = [occ for occ, outcome, _ in occasions if outcome == UPCOMING]
        status = Status(NOT_DUE, None, _d(ahead[0])) if ahead else Status(ENDED)
    return _Eval(occasions, status)


def _fixed_status(schedule: Schedule, ent: dict[int, str], begin: int, today: int) -> Status:
    """``_eval_fixed(...).status`` without listing every occasion. Every occasion up to
    ``today`` but the last is settled or missed (the next one has come), so only that last
    one can be open; with none open, the status names the first unsettled one after it."""
    end = _end(schedule)
    raw = _fixed_dates(schedule, begin, today)
    settled = _settle(raw, ent, end)
    last = bisect.bisect_right(raw, today) - 1
    if last >= 0 and raw[last] <= end and raw[last] not in settled:
        return Status(DUE if raw[last] == today else OVERDUE, _d(raw[last]), _d(today))
    for occ in raw[last + 1 :]:
        if occ > end:
            break
        if occ not in settled:
            return Status(NOT_DUE, None, _d(occ))
    return Status(ENDED)


def _fixed_dates(schedule: Schedule, begin: int, today: int) -> list[int]:
    """The fixed occasions from ``begin`` to ``today`` and the two after (end date aside)."""
    return _raw_between(schedule, begin, today) + _raw_after(schedule, max(today, begin - 1), 2)


def _settle(raw: list[int], ent: dict[int, str], end: int) -> dict[int, tuple[str, int]]:
    """Which of the occasions ``raw`` the entries settle, and how: ``{occasion: (state, entry
    day)}``. An entry settles its own day's occasion, else the one before it, else (a few
    days early) the next."""
    settled: dict[int, tuple[str, int]] = {}
    for when in sorted(ent):
        state = ent[when]
        index = bisect.bisect_right(raw, when) - 1
        if index >= 0 and raw[index] == when:
            candidates = [when]
        else:
            candidates = [raw[index]] if index >= 0 else []
            if raw[index + 1] - when <= EARLY_DAYS:
                candidates.append(raw[index + 1])  # kept (or skipped) a few days early
        for candidate in candidates:
            if candidate > end:
                continue
            current = settled.get(candidate)
            if state == DONE and (current is None or current[0] == SKIPPED):
                settled[candidate] = (DONE, when)
                break
            if state == SKIPPED and current is None:
                settled[candidate] = (SKIPPED, when)
                break
    return settled


def _window_count(dones: list[int], lo: int, hi: int) -> int:
    return bisect.bisect_right(dones, hi) - bisect.bisect_left(dones, lo)


def _next_ask(schedule: Schedule, after: int, dones: list[int]) -> int:
    step = ask_step(schedule)
    ask = after + step
    if schedule.kind == TIMES_IN_DAYS:
        window, times = schedule.window, schedule.times
        while _window_count(dones, ask - window + 1, ask - 1) >= times:
            ask += 1
    return ask


def _eval_chain(schedule: Schedule, ent: dict[int, str], begin: int, today: int) -> _Eval:
    """Every N days from the last time, and X times in any Y days."""
    end = _end(schedule)
    step = ask_step(schedule)
    ask = begin
    dones: list[int] = []
    occasions: list[tuple[int, str, int | None]] = []
    for when in sorted(ent):
        if ask > end:
            break
        state = ent[when]
        extra = (
            schedule.kind == TIMES_IN_DAYS
            and state == DONE
            and _window_count(dones, when - schedule.window + 1, when - 1) >= schedule.times
        )
        if not extra:
            target = ask
            if when >= ask:
                waited = (when - ask) // step
                occasions += [
                    (ask + j * step, MISSED, None)
                    for j in range(waited)
                    if ask + j * step <= end
                ]
                target = ask + waited * step
            if target <= end:
                occasions.append((target, state, when))
        if state == DONE:
            dones.append(when)
        ask = _next_ask(schedule, when, dones)
    if ask > end:
        return _Eval(occasions, Status(ENDED))
    if ask > today:
        occasions.append((ask, UPCOMING, None))
        return _Eval(occasions, Status(NOT_DUE, None, _d(ask)))
    waited = (today - ask) // step
    latest = ask + waited * step
    occasions += [(ask + j * step, MISSED, None) for j in range(waited) if ask + j * step <= end]
    if latest > end:
        return _Eval(occasions, Status(ENDED))
    state = DUE if latest == today and waited == 0 else OVERDUE
    occasions.append((latest, DUE if latest == today else OVERDUE, None))
    return _Eval(occasions, Status(state, _d(ask), _d(today)))


def _week_quota(schedule: Schedule, active_days: int) -> int:
    if active_days >= 7:
        return schedule.times
    share = int(schedule.times * active_days / 7 + 0.5)
    return max(1, min(active_days, share))


def _eval_week(schedule: Schedule, ent: dict[int, str], begin: int, today: int) -> _Eval:
    """X times per calendar week."""
    end = _end(schedule)
    step = ask_step(schedule)
    occasions: list[tuple[int, str, int | None]] = []
    monday = _monday(begin)
    logged = sorted(ent)  # each week's days found by searching this, not by reading every entry
    while True:
        lo, hi = max(monday, begin), min(monday + 6, end)
        if lo > hi:
            return _Eval(occasions, Status(ENDED))
        if lo > today:
            occasions.append((lo, UPCOMING, None))
            return _Eval(occasions, Status(NOT_DUE, None, _d(lo)))
        quota = _week_quota(schedule, hi - lo + 1)
        week = logged[bisect.bisect_left(logged, lo) : bisect.bisect_right(logged, hi)]
        done_days = [day for day in week if ent[day] == DONE][:quota]
        skip_days = [day for day in week if ent[day] == SKIPPED][: quota - len(done_days)]
        occasions += [(day, DONE, day) for day in done_days]
        occasions += [(day, SKIPPED, day) for day in skip_days]
        handled = len(done_days) + len(skip_days)
        if hi < today:  # the week is over
            short = quota - handled
            if short > 0:
                taken = set(week)
                slots = [lo + index * step for index in range(quota) if lo + index * step <= hi]
                free = [day for day in slots if day not in taken]
                free += [day for day in range(hi, lo - 1, -1) if day not in taken and day not in free]
                occasions += [(day, MISSED, None) for day in sorted(free[:short])]
            monday += 7
            continue
        if handled >= quota:
            monday += 7
            continue
        ask = lo if not week else week[-1] + step
        ask = max(lo, min(ask, hi - (quota - handled - 1)))
        if ask > today:
            occasions.append((ask, UPCOMING, None))
            return _Eval(occasions, Status(NOT_DUE, None, _d(ask)))
        occasions.append((ask, DUE, None))
        return _Eval(occasions, Status(DUE, _d(ask), _d(today)))


def evaluate_from(schedule: Schedule, ent: dict[int, str], begin: int, today: int) -> _Eval:
    """:func:`evaluate_normalised` from day ordinal ``begin`` (the entries before it unread)."""
    return _evaluate_from(schedule, ent, begin, today)


CARRY_LOOKBACK: Final = 42
"""Days before a split's settled point that a fixed schedule's evaluation starts again from:
entries a few days early or late settle the occasion beside them, so the walk starts well
before the occasions it must agree on (and :func:`split_point` checks that it does)."""


def split_point(
    schedule: Schedule, ent: dict[int, str], begin: int, day: int, full: _Eval | None = None
) -> tuple[int, int] | None:
    """Where a ritual's occasions up to ``day`` (an ordinal; ``ent`` holds the entries up to it)
    can be summed up once and for all: ``(settled, resync)``, where every occasion dated on or
    before ``settled`` keeps its outcome whatever is logged after ``day``, and an evaluation
    started at ``resync`` with the entries from it gives every later occasion exactly as one
    from ``begin`` does (``begin`` itself for a young ritual). None when there is no such
    point: a chain whose entries do not settle before ``day``. An end date needs nothing of
    its own: it stops every walk on the same day, wherever the walk started.

    Times per week: each week stands alone, so the last whole week before ``day``'s. A chain
    (N days after the last time, X times in any Y days): everything up to an entry a step and
    a window before ``day`` is settled by it, and a walk started a window before that entry
    has every done its counts need.
    Calendar dates: the occasions before the last one up to ``day``, a walk started
    :data:`CARRY_LOOKBACK` days before them. Each is checked against the walk from ``begin``
    (``full``, if the caller has it: :func:`evaluate_from` of ``ent`` from ``begin`` to ``day``)."""
    if full is None:
        full = _evaluate_from(schedule, ent, begin, day)
    if schedule.kind == TIMES_PER_WEEK:
        return _checked(schedule, ent, full, day, _monday(day) - 1, _monday(day), begin)
    if not is_flexible(schedule):
        raw = _raw_between(schedule, begin, day)
        if len(raw) < 2:
            return None
        return _checked(schedule, ent, full, day, raw[-2], raw[-2] - CARRY_LOOKBACK, begin)
    # A chain: try the last few entries a step and a window before ``day`` (one kept early is
    # dated at the ask it kept), settling what the walks up to it give in both.
    reach = schedule.window if schedule.kind == TIMES_IN_DAYS else 0
    candidates = sorted((when for when in ent if begin <= when <= day - ask_step(schedule) - reach), reverse=True)
    for last in candidates[:8]:
        resync = last - reach
        settled = last
        for start in (begin, resync):
            upto = _evaluate_from(schedule, {k: v for k, v in ent.items() if start <= k <= last}, start, last)
            settled = max([settled] + [when for when, outcome, _ in upto.occasions if outcome != UPCOMING])
        found = _checked(schedule, ent, full, day, settled, resync, begin)
        if found is not None:
            return found
    return None


def _checked(
    schedule: Schedule, ent: dict[int, str], full: _Eval, day: int, settled: int, resync: int, begin: int
) -> tuple[int, int] | None:
    """``(settled, resync)`` if a walk from ``resync`` agrees with ``full`` (the walk from
    ``begin``) on every occasion after ``settled`` and on the status, and every occasion up to
    ``settled`` is over (kept, skipped or missed) by ``day``; else None."""
    if settled > day:
        return None
    resync = max(resync, begin)  # a young ritual: the walk from its first day is the walk
    if any(outcome not in (DONE, SKIPPED, MISSED) for when, outcome, _ in full.occasions if when <= settled):
        return None
    part = _evaluate_from(schedule, ent, resync, day)
    after = lambda e: [o for o in e.occasions if o[0] > settled]  # noqa: E731
    if after(part) != after(full) or part.status != full.status:
        return None
    return settled, resync


# --------------------------------------------------------------------------- public


def status(
    schedule: Schedule,
    entries: Mapping[Any, str] | None,
    day: dt.date,
    *,
    since: dt.date | None = None,
) -> Status:
    """Where the ritual stands on ``day``, counting only entries up to that day.

    ``since`` is the day the ritual was made; it matters only when there is no start date.

    Walks only the last :data:`STATUS_HORIZON` days or so of a long history (see
    :func:`_recent_begin`), so a ritual kept for thirty years costs what one kept for one
    does; the answer is the same as from its first day (``tests/test_schedule_horizon.py``).
    """
    ent = normalise_entries(entries)
    today = _o(day)
    begin = _begin(schedule, ent, today, since)
    return _status_from(schedule, ent, max(begin, _recent_begin(schedule, ent, today)), today)


def _status_from(schedule: Schedule, ent: dict[int, str], begin: int, today: int) -> Status:
    """``_evaluate_from(...).status``; for calendar dates, without listing every occasion."""
    if is_flexible(schedule):
        return _evaluate_from(schedule, ent, begin, today).status
    return _fixed_status(schedule, {key: value for key, value in ent.items() if begin <= key <= today}, begin, today)


STATUS_HORIZON: Final = 400
"""Days of history a status walks at most (more than a year, and a monthly period's margin)."""


def _recent_begin(schedule: Schedule, ent: dict[int, str], today: int) -> int:
    """A first day from which the status on ``today`` comes out as from the ritual's first.

    Fixed dates do not depend on where the walk starts, and a status looks only at the last
    occasion and the next: start :data:`STATUS_HORIZON` days back. Times per week: each week
    stands alone, and every week before this one is over (its outcome is the same whatever
    comes after), so the status is this week's: start on this week's Monday. A chain (N days after the last time, X
    times in any Y days) starts again at every entry: start at the last entry that far back,
    less two windows, so every done the windows count after it is there. Without such an
    entry, the whole chain."""
    if schedule.kind == TIMES_PER_WEEK:
        return _monday(today)
    horizon = today - STATUS_HORIZON
    if not is_flexible(schedule):
        return horizon
    before = [day for day in ent if day <= horizon]
    if not before:
        return -_FOREVER
    reach = schedule.window if schedule.kind == TIMES_IN_DAYS else 0
    return max(before) - 2 * reach


def is_due(
    schedule: Schedule, entries: Mapping[Any, str] | None, day: dt.date, **kw: Any
) -> bool:
    """True when the ritual asks for you on ``day`` (due that day or still overdue)."""
    return status(schedule, entries, day, **kw).is_due


def is_overdue(
    schedule: Schedule, entries: Mapping[Any, str] | None, day: dt.date, **kw: Any
) -> bool:
    """True when an earlier occasion is still open on ``day``."""
    return status(schedule, entries, day, **kw).state == OVERDUE


def next_due(
    schedule: Schedule, entries: Mapping[Any, str] | None, day: dt.date, **kw: Any
) -> pendulum.Date | None:
    """The next day the ritual asks for you: ``day`` itself when due now, None once ended."""
    return status(schedule, entries, day, **kw).next_due


def settled_outcomes(evaluation: _Eval, first: dt.date, today: dt.date) -> list[tuple[int, str]]:
    """The ``(day ordinal, outcome)`` pairs of an evaluation dated in ``[first, today]``."""
    lo, hi = _o(first), _o(today)
    found = [(day, outcome) for day, outcome, _ in evaluation.occasions if lo <= day <= hi]
    found.sort(key=lambda pair: pair[0])
    return found


def occasions(
    schedule: Schedule,
    entries: Mapping[Any, str] | None,
    first: dt.date,
    last: dt.date,
    *,
    today: dt.date,
    since: dt.date | None = None,
) -> list[Occasion]:
    """Occasions dated in ``[first, last]`` with their outcomes as seen on ``today``.

    Occasions after today are projected from the next due date, assuming each is done when
    asked; for calendar kinds they are simply the coming dates.
    """
    evaluation = _evaluate(schedule, entries, today, since)
    lo, hi, now = _o(first), _o(last), _o(today)
    out = [
        Occasion(_d(day), outcome, None if when is None else _d(when))
        for day, outcome, when in evaluation.occasions
        if lo <= day <= hi
    ]
    seen = {occasion.date for occasion in out}
    if hi > now and evaluation.status.next_due is not None:
        start = max(_o(evaluation.status.next_due), now + 1)
        for day in scheduled_dates(schedule, _d(start), _d(hi)):
            if day not in seen and _o(day) >= lo:
                out.append(Occasion(day, UPCOMING))
    out.sort(key=lambda occasion: occasion.date)
    return out


def occasion_time(
    schedule: Schedule, day: dt.date, tz: str | None = None
) -> pendulum.DateTime:
    """When on ``day`` the ritual is set for, in time zone ``tz`` (start of day if no time).

    A time that does not exist on a daylight-saving day (02:30 when clocks jump from 02:00)
    moves forward, as clocks do.
    """
    zone = tz or pendulum.local_timezone().name
    at = schedule.time or dt.time(0, 0)
    return pendulum.datetime(day.year, day.month, day.day, at.hour, at.minute, tz=zone)


# --------------------------------------------------------------------------- reading words

SCHEDULE_EXAMPLES: Final = (
    "every day, weekdays, tue and thu, every 2nd Tuesday, every 10 days, "
    "a week after the last time, 3 times a week, twice in any 10 days, "
    "monthly on the 15th, the last Friday of each month"
)
"""Examples shown when a typed schedule cannot be read."""

_COUNT_WORDS: Final = {"once": 1, "twice": 2, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3,
                       "four": 4, "five": 5, "six": 6, "seven": 7}
_NTH_READ: Final = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
                    "fourth": 4, "4th": 4, "last": -1}


def _read_days(text: str) -> tuple[int, ...] | None:
    """"tue and thu", "Tuesdays, Thursdays", "mon wed fri" -> weekday numbers, else None."""
    words = [w for w in re.split(r"[\s,/&+]+|\band\b", text) if w]
    out: list[int] = []
    for word in words:
        word = word.rstrip("s") if len(word) > 4 else word
        key = word[:3]
        if len(word) < 3 or key not in _DAY_KEYS or not _DAY_NAMES_LOWER[_DAY_KEYS[key]].startswith(word):
            return None
        out.append(_DAY_KEYS[key])
    return tuple(sorted(set(out))) or None


_DAY_KEYS: Final = {name.lower(): index for index, name in enumerate(DAY_SHORT)}
_DAY_NAMES_LOWER: Final = tuple(name.lower() for name in DAY_NAMES)


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    match = re.fullmatch(r"(\d+)(st|nd|rd|th)", word)
    if match:
        return int(match[1])
    return _COUNT_WORDS.get(word)


def parse_schedule(
    text: str,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> Schedule:
    """Read a schedule typed in words, the same words :func:`describe` writes.

    Accepts, among others: "every day", "weekdays", "tue and thu", "every 2nd Tuesday",
    "every other Friday", "every 10 days", "10 days after the last time", "3 times a week",
    "twice in any 10 days", "monthly on the 15th", "the last day of each month",
    "the first Tuesday of each month", each optionally ending in "at 09:30".

    Everyday phrases are read too (see :func:`_read_more`): "monthly" and "once a month" (on
    the day of the month of the start date, else of ``today``), "twice a month" (twice in any
    30 days), "every two weeks" and "biweekly" (every 2 weeks), "every other week on
    Thursday", "twice weekly", and a time such as "at 4pm", "at 4:30 pm" or "at noon".

    Raises:
        ScheduleError: with a message that gives examples that work.
    """
    from app.textclean import clean_text

    raw = clean_text(text, limit=200).lower()
    phrase = re.sub(r"\s+", " ", raw.replace(",", " , ")).strip(" .")
    phrase = re.sub(r" ,", ",", phrase)
    time = None
    if match := re.search(r"\s*\bat (\d{1,2}[:.]\d{2})$", phrase):
        time = match[1].replace(".", ":")
        phrase = phrase[: match.start()].strip()
    elif match := _CLOCK_WORDS.search(phrase):
        time = _clock_words(match)
        phrase = phrase[: match.start()].strip()
    found = _read_phrase(phrase)
    if found is None:
        found = _read_more(phrase, start or today or pendulum.today().date())
    if found is None and (weeks := _months_as_weeks(phrase)) is not None:
        raise SeveralMonths(f"Tend counts months one at a time, so {clean_text(text, limit=40).strip()!r} can't be a "
                            f"schedule yet. Close to it: every {weeks} weeks, or {weeks} weeks after the last time.")  # fmt: skip
    if found is None:
        raise ScheduleError(f"Tend could not read that as a schedule. Try: {SCHEDULE_EXAMPLES}.")
    kind, extra = found
    return Schedule(
        kind,
        start=None if start is None else as_date(start, "start date"),
        end=None if end is None else as_date(end, "end date"),
        time=_as_time(time),
        **extra,
    )


def _read_phrase(phrase: str) -> tuple[str, dict[str, Any]] | None:
    phrase = phrase.removeprefix("on ").strip()
    if phrase in ("every day", "daily", "each day", "everyday"):
        return DAILY, {}
    if phrase in ("weekdays", "every weekday", "each weekday", "on weekdays", "workdays"):
        return WEEKDAYS, {}
    if phrase in ("weekends", "every weekend", "at weekends", "on weekends"):
        return DAYS_OF_WEEK, {"weekdays": (5, 6)}
    if phrase in ("the last day of each month", "the last day of the month",
                  "last day of the month", "last day of each month", "monthly on the last day"):
        return MONTHLY_DAY, {"day": 31}
    if (
        match := re.fullmatch(r"(?:monthly )?(?:on )?(?:the )?(\d{1,2})(?:st|nd|rd|th)?(?: of (?:each|every|the) month)?", phrase)
    ) and (phrase.startswith("monthly") or " of " in phrase or phrase.startswith("the ")):
        return MONTHLY_DAY, {"day": int(match[1])}
    if match := re.fullmatch(
        r"(?:the |every )?(first|second|third|fourth|last|1st|2nd|3rd|4th) (\w+?)s?(?: of (?:each|every|the) month| monthly| each month)?",
        phrase,
    ):
        days = _read_days(match[2])
        if days and len(days) == 1 and (phrase.endswith("month") or phrase.endswith("monthly") or not phrase.startswith("every")):
            return MONTHLY_WEEKDAY, {"nth": _NTH_READ[match[1]], "weekdays": days}
    if match := re.fullmatch(r"(\w+)(?: times)? (?:a|per|each|every) week", phrase):
        times = _number(match[1])
        if times is not None:
            return TIMES_PER_WEEK, {"times": times}
    if match := re.fullmatch(r"(\w+)(?: times)? (?:in|every) (?:any )?(\d+) days", phrase):
        times = _number(match[1])
        if times is not None:
            return TIMES_IN_DAYS, {"times": times, "window": int(match[2])}
    if match := re.fullmatch(r"(?:every )?(a|an|one|\d+) (day|days|week|weeks) (?:after|from|since) (?:the )?last(?: time| done)?", phrase):
        count = _number(match[1]) or 1
        return EVERY_N_DAYS, {"every": count * (7 if match[2].startswith("week") else 1), "anchor": FROM_DONE}
    if match := re.fullmatch(r"every (\d+) (days|weeks)", phrase):
        count = int(match[1])
        return EVERY_N_DAYS, {"every": count * (7 if match[2] == "weeks" else 1), "anchor": FROM_START}
    if phrase in ("every week", "weekly"):
        return EVERY_N_DAYS, {"every": 7, "anchor": FROM_START}
    if phrase in ("fortnightly", "every fortnight", "every other week"):
        return EVERY_N_DAYS, {"every": 14, "anchor": FROM_START}
    if match := re.fullmatch(r"every (other|\d+(?:st|nd|rd|th)) (\w+)", phrase):
        days = _read_days(match[2])
        if days and len(days) == 1:
            every = 2 if match[1] == "other" else int(re.sub(r"\D", "", match[1]))
            return DAYS_OF_WEEK, {"weekdays": days, "every": every}
    if match := re.fullmatch(r"(.+?),? every (other|\d+(?:st|nd|rd|th)) week", phrase):
        days = _read_days(match[1])
        if days:
            every = 2 if match[2] == "other" else int(re.sub(r"\D", "", match[2]))
            return DAYS_OF_WEEK, {"weekdays": days, "every": every}
    days = _read_days(phrase.removeprefix("every ").removeprefix("each "))
    if days:
        return DAYS_OF_WEEK, {"weekdays": days}
    return None


_CLOCK_WORDS: Final = re.compile(
    r"\s*,?\s*\bat (?:(noon|midday)|(\d{1,2})(?:[:.](\d{2}))? ?([ap])\.?m\.?|(\d{1,2})[:.h]?(\d{2}) ?h?)$"
)
_MONTH_WORDS: Final = r"(?:a|per|each|every) month|monthly"


def _clock_words(match: re.Match[str]) -> str:
    """ "at 4pm", "at 4:30 pm", "at noon", "at 1630" as "HH:MM"; "13pm" is refused in words."""
    if match[1]:
        return "12:00"
    if match[2] is not None:
        hour, minute = int(match[2]), int(match[3] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            said = match[0].strip(" ,").removeprefix("at ")
            raise ScheduleError(f"The time of day should look like 09:30 or 4pm (got {said!r}).")
        hour = hour % 12 + (12 if match[4] == "p" else 0)
        return f"{hour:02d}:{minute:02d}"
    return f"{int(match[5]):02d}:{match[6]}"


def _months_as_weeks(phrase: str) -> int | None:
    """For a schedule of several months ("quarterly", "every 3 months", "yearly"), which Tend
    has no kind for, the whole weeks closest to it (13 for three months), to offer instead."""
    months = {"quarterly": 3, "every quarter": 3, "once a quarter": 3, "twice a year": 6, "semi-annually": 6,
              "yearly": 12, "annually": 12, "every year": 12, "once a year": 12}.get(phrase)  # fmt: skip
    if match := re.fullmatch(r"(?:once )?every (other|\w+) months?", phrase):
        months = 2 if match[1] == "other" else _number(match[1])
    if months is None or not 2 <= months <= 12:
        return None
    return round(months * 365.25 / 12 / 7)


def _read_more(phrase: str, start: dt.date) -> tuple[str, dict[str, Any]] | None:
    """Everyday phrases the plain forms above do not cover; ``start`` gives "monthly" its day."""
    phrase = re.sub(r"^(\d+) ?x\b", r"\1 times", phrase)  # "3x a week", "2 x weekly"
    phrase = re.sub(r"\b(two|three|four|five|six|seven|eight)\b",
                    lambda m: str(_COUNT_WORDS.get(m[0], {"eight": 8}.get(m[0], 0))), phrase)
    phrase = re.sub(r"\bsecond\b", "2nd", phrase)
    phrase = re.sub(r"\bthird\b", "3rd", phrase)
    phrase = re.sub(r"\bfourth\b", "4th", phrase)
    phrase = re.sub(r"\b(?:each|every) single\b", "every", phrase)
    if (found := _read_phrase(phrase)) is not None:
        return found
    if re.fullmatch(r"(?:once |one time )?(?:" + _MONTH_WORDS + r")|(?:every|each) month|once a month", phrase):
        return MONTHLY_DAY, {"day": start.day}
    if match := re.fullmatch(r"(\w+)(?: times)? (?:" + _MONTH_WORDS + r")", phrase):
        times = _number(match[1])
        if times is not None and 1 <= times <= 30:
            if times == 1:
                return MONTHLY_DAY, {"day": start.day}
            return TIMES_IN_DAYS, {"times": times, "window": 30}
    if phrase in ("biweekly", "bi-weekly", "every 2 weeks", "every 2nd week", "fortnightly",
                  "once a fortnight", "every other week", "twice a month on the same weekday"):
        return EVERY_N_DAYS, {"every": 14, "anchor": FROM_START}
    if match := re.fullmatch(r"(\w+)(?: times)? weekly", phrase):
        times = _number(match[1])
        if times is not None:
            return TIMES_PER_WEEK, {"times": times}
    if match := re.fullmatch(r"(?:once )?(?:a )?week(?:ly)? on (.+)", phrase):
        days = _read_days(match[1])
        if days:
            return DAYS_OF_WEEK, {"weekdays": days}
    if match := re.fullmatch(r"(biweekly|bi-weekly|fortnightly|every other week|every (\d+) weeks),? on (.+)", phrase):
        days = _read_days(match[3].removeprefix("the "))
        every = int(match[2]) if match[2] else 2
        if days and 1 <= every <= MAX_EVERY_WEEKS:
            return DAYS_OF_WEEK, {"weekdays": days, "every": every}
    if match := re.fullmatch(r"(?:on )?(.+?),? (?:every other week|biweekly|fortnightly|every 2 weeks)", phrase):
        days = _read_days(match[1].removeprefix("every ").removeprefix("each "))
        if days:
            return DAYS_OF_WEEK, {"weekdays": days, "every": 2}
    if match := re.fullmatch(r"every (\d+)(?:st|nd|rd|th) (\w+)", phrase):
        days = _read_days(match[2])
        if days and len(days) == 1 and 1 <= int(match[1]) <= MAX_EVERY_WEEKS:
            return DAYS_OF_WEEK, {"weekdays": days, "every": int(match[1])}
    return None
