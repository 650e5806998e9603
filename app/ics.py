"""Export rituals as an iCalendar (RFC 5545) file, with ``icalendar``.

Plain Python (no Textual). Each ritual becomes a recurring event:

* Calendar kinds map onto an exact RRULE: daily ``FREQ=DAILY``; weekdays and chosen days
  ``FREQ=WEEKLY;BYDAY=...;WKST=MO`` (``INTERVAL`` for every 2nd week); every N days from a
  fixed start ``FREQ=DAILY;INTERVAL=N``; the nth weekday ``FREQ=MONTHLY;BYDAY=1TU`` or
  ``-1FR``; a day of the month ``BYMONTHDAY=15``. Days 29-31 must fall back to the last day
  of short months, which a bare ``BYMONTHDAY=31`` would skip, so the 31st is
  ``BYMONTHDAY=-1`` and the 29th/30th are ``BYMONTHDAY=28,29,30;BYSETPOS=-1``.
* Flexible kinds (every N days from the last time, X in Y days, X a week) move with what the
  person does, which no RRULE can say. They become a plain reminder series in the rhythm of
  :func:`app.schedule.scheduled_dates`: ``INTERVAL=N`` days; one daily-interval series per
  ask for X in Y; ``BYDAY`` on the suggested weekdays for X a week (a week cut short by the
  start or end date asks for a fair share, written as plain ``RDATE`` dates).
* A pause leaves out the dates inside it (``EXDATE``) and the description says when.
* An end date becomes ``UNTIL``. Without a time of day the events are all-day; with one they
  are 30-minute events in the given time zone (a ``VTIMEZONE`` is included, and ``UNTIL`` is
  written in UTC as RFC 5545 requires), so 09:00 stays 09:00 across daylight-saving changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

import icalendar
import pendulum

from app.schedule import (
    DAILY,
    DAYS_OF_WEEK,
    EVERY_N_DAYS,
    MONTHLY_DAY,
    TIMES_IN_DAYS,
    TIMES_PER_WEEK,
    WEEKDAYS,
    Schedule,
    ask_step,
    describe,
    is_flexible,
    scheduled_dates,
)
from app.textclean import NOTE_LIMIT, clean_text

if TYPE_CHECKING:  # the store is only passed in: no import of it (or TinyDB) at run time
    from app.storage import Store

ICS_DAYS: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PRODID: Final = "-//Tend//Rituals//EN"
EVENT_MINUTES: Final = 30
SEARCH_DAYS: Final = 800
"""How far past the start to look for a schedule's first date."""


@dataclass(frozen=True)
class CalendarRitual:
    """What the exporter needs to know about one ritual (not a storage record)."""

    name: str
    schedule: Schedule
    start: dt.date
    """The first day the calendar should show (usually today, or the next due date)."""
    note: str = ""
    uid: str = ""
    pauses: tuple[tuple[dt.date, dt.date], ...] = ()
    """Stretches the ritual rests (first day, last day): their dates are left out (EXDATE)."""


@dataclass(frozen=True)
class Series:
    """One event: its first date, RRULE parts (``vRecur`` keys) or extra dates, and UNTIL."""

    first: pendulum.Date
    rule: dict[str, Any] | None
    rdates: tuple[pendulum.Date, ...] = ()
    until: pendulum.Date | None = None


def series_for(schedule: Schedule, start: dt.date) -> list[Series]:
    """The recurring series that show ``schedule`` from ``start`` on (empty if none remain)."""
    horizon = pendulum.Date.fromordinal(start.toordinal() + SEARCH_DAYS)
    upcoming = scheduled_dates(schedule, start, horizon)
    if not upcoming:
        return []
    first = upcoming[0]
    kind = schedule.kind
    end = schedule.end
    if kind == TIMES_IN_DAYS:
        offsets = [index * ask_step(schedule) for index in range(schedule.times)]
        return [
            Series(first.add(days=offset), {"FREQ": "DAILY", "INTERVAL": schedule.window}, until=end)
            for offset in offsets
            if end is None or first.add(days=offset) <= end
        ]
    if kind == TIMES_PER_WEEK:
        return _weekly_series(schedule, start)
    rule: dict[str, Any]
    if kind == DAILY:
        rule = {"FREQ": "DAILY"}
    elif kind == WEEKDAYS:
        rule = {"FREQ": "WEEKLY", "BYDAY": list(ICS_DAYS[:5]), "WKST": "MO"}
    elif kind == DAYS_OF_WEEK:
        rule = {"FREQ": "WEEKLY", "BYDAY": [ICS_DAYS[d] for d in schedule.weekdays], "WKST": "MO"}
        if schedule.every > 1:
            rule["INTERVAL"] = schedule.every
    elif kind == EVERY_N_DAYS:
        rule = {"FREQ": "DAILY", "INTERVAL": schedule.every}
    elif kind == TIMES_PER_WEEK:
        step = ask_step(schedule)
        days = [ICS_DAYS[index * step] for index in range(schedule.times)]
        rule = {"FREQ": "WEEKLY", "BYDAY": days, "WKST": "MO"}
    elif kind == MONTHLY_DAY:
        if schedule.day <= 28:
            rule = {"FREQ": "MONTHLY", "BYMONTHDAY": [schedule.day]}
        elif schedule.day == 31:
            rule = {"FREQ": "MONTHLY", "BYMONTHDAY": [-1]}
        else:
            rule = {
                "FREQ": "MONTHLY",
                "BYMONTHDAY": list(range(28, schedule.day + 1)),
                "BYSETPOS": [-1],
            }
    else:
        weekday = ICS_DAYS[schedule.weekdays[0]]
        rule = {"FREQ": "MONTHLY", "BYDAY": [f"{schedule.nth}{weekday}"]}
    if rule.get("INTERVAL") == 1:
        del rule["INTERVAL"]
    return [Series(first, rule, until=end)]


def _weekly_series(schedule: Schedule, start: dt.date) -> list[Series]:
    """X a week: full weeks as a weekly RRULE; weeks cut short by the dates as plain dates."""
    lo = pendulum.Date(start.year, start.month, start.day)
    if schedule.start and schedule.start > lo:
        lo = schedule.start
    end = schedule.end
    full_from = lo.add(days=(7 - lo.weekday()) % 7)  # the first Monday on or after lo
    full_to = None if end is None else end.subtract(days=(end.weekday() + 1) % 7)  # last Sunday
    out: list[Series] = []
    if end is not None and full_to is not None and full_to < full_from:  # (full_to is set when end is)
        loose = scheduled_dates(schedule, lo, end)
    else:
        loose = scheduled_dates(schedule, lo, full_from.subtract(days=1))
        if end is not None and full_to is not None:
            loose += scheduled_dates(schedule, full_to.add(days=1), end)
        step = ask_step(schedule)
        days = [ICS_DAYS[index * step] for index in range(schedule.times)]
        out.append(Series(full_from, {"FREQ": "WEEKLY", "BYDAY": days, "WKST": "MO"}, until=full_to))
    if loose:
        out.insert(0, Series(loose[0], None, tuple(loose[1:])))
    return out


def _moment(day: dt.date, schedule: Schedule, tz: str) -> dt.datetime | dt.date:
    if schedule.time is None:
        return dt.date(day.year, day.month, day.day)
    # The ritual's own wall-clock time on that day, as a plain zoneinfo datetime (icalendar
    # writes it as TZID=<name>), even where the clocks skip it (01:00 on the night they go
    # forward in London): then a pause's EXDATE is the very instance the RRULE gives that day,
    # which a calendar reads past the gap as it reads DTSTART (RFC 5545, 3.3.5). Made to exist
    # first (pendulum moved it to 02:00), the pause's date stayed in the calendar.
    return dt.datetime(day.year, day.month, day.day, schedule.time.hour, schedule.time.minute, tzinfo=ZoneInfo(tz))


def _until(day: dt.date | None, schedule: Schedule, tz: str) -> dt.date | dt.datetime | None:
    if day is None:
        return None
    if schedule.time is None:
        return dt.date(day.year, day.month, day.day)
    last = pendulum.datetime(day.year, day.month, day.day, 23, 59, 59, tz=tz)
    utc = last.in_timezone("UTC")
    return dt.datetime(
        utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, tzinfo=dt.UTC
    )


def _pauses_ahead(ritual: CalendarRitual) -> list[tuple[dt.date, dt.date]]:
    """The ritual's pauses that reach ``start`` or later, cut to begin no earlier."""
    return [(max(first, ritual.start), last) for first, last in sorted(ritual.pauses) if last >= ritual.start]


def _paused_dates(ritual: CalendarRitual) -> list[pendulum.Date]:
    """The events' dates inside the pauses: the schedule's dates from the calendar's start
    (the calendar's dates are exactly those, ``tests/test_ics.py`` checks it for any
    schedule; a flexible one counted from a pause's first day would fall on other days)."""
    spans = _pauses_ahead(ritual)
    if not spans:
        return []
    dates = scheduled_dates(ritual.schedule, ritual.start, max(last for _, last in spans))
    return [day for day in dates if any(first <= day <= last for first, last in spans)]


def _day_words(day: dt.date) -> str:
    """As the schedule's own words write a date (:func:`app.schedule.describe`): 21 Dec 2026."""
    return pendulum.Date(day.year, day.month, day.day).format("D MMM YYYY")


def _description(ritual: CalendarRitual) -> str:
    words = describe(ritual.schedule, with_dates=True)
    text = f"Tend ritual: {words}."
    if is_flexible(ritual.schedule):
        text += " A suggested rhythm: in Tend the dates follow when you last did it."
    for first, last in _pauses_ahead(ritual):
        text += f" Paused {_day_words(first)} to {_day_words(last)}: no dates then."
    note = clean_text(ritual.note, multiline=True, limit=NOTE_LIMIT)
    if note:
        text += "\n\n" + note
    return text


def to_calendar(
    rituals: Iterable[CalendarRitual],
    *,
    tz: str | None = None,
    now: dt.datetime | None = None,
) -> icalendar.Calendar:
    """Build the calendar: one VEVENT per series, with UIDs ``<uid>`` or ``<uid>-<n>``."""
    zone = tz or pendulum.local_timezone().name
    stamp = pendulum.instance(now) if now else pendulum.now("UTC")
    stamp_utc = stamp.in_timezone("UTC")
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Tend rituals")
    rituals = list(rituals)
    earliest: dt.date | None = None
    for number, ritual in enumerate(rituals):
        name = clean_text(ritual.name) or "Ritual"
        base_uid = clean_text(ritual.uid) or f"ritual-{number}"
        all_series = series_for(ritual.schedule, ritual.start)
        # Left out of every series: a date that is not one of a series' own changes nothing there.
        paused = [_moment(day, ritual.schedule, zone) for day in _paused_dates(ritual)]
        for index, series in enumerate(all_series):
            event = icalendar.Event()
            uid = base_uid if len(all_series) == 1 else f"{base_uid}-{index + 1}"
            event.add("uid", f"{uid}@tend.local")
            event.add(
                "dtstamp",
                dt.datetime(
                    stamp_utc.year, stamp_utc.month, stamp_utc.day,
                    stamp_utc.hour, stamp_utc.minute, stamp_utc.second,
                    tzinfo=dt.UTC,
                ),
            )
            event.add("summary", name)
            event.add("description", _description(ritual))
            begin = _moment(series.first, ritual.schedule, zone)
            earliest = series.first if earliest is None else min(earliest, series.first)
            event.add("dtstart", begin)
            if isinstance(begin, dt.datetime):
                event.add("duration", dt.timedelta(minutes=EVENT_MINUTES))
            else:
                event.add("dtend", begin + dt.timedelta(days=1))
            if series.rule is not None:
                rule = dict(series.rule)
                until = _until(series.until, ritual.schedule, zone)
                if until is not None:
                    rule["UNTIL"] = until
                event.add("rrule", icalendar.vRecur(rule))
            if series.rdates:
                event.add("rdate", [_moment(day, ritual.schedule, zone) for day in series.rdates])
            if paused:
                event.add("exdate", paused)
            event.add("transp", "TRANSPARENT")
            cal.add_component(event)
    if earliest is not None and any(ritual.schedule.time for ritual in rituals):
        # Transitions from a year before the first event keep the file small.
        cal.add_missing_timezones(first_date=dt.date(earliest.year - 1, 1, 1))
    return cal


def to_ics(
    rituals: Iterable[CalendarRitual],
    *,
    tz: str | None = None,
    now: dt.datetime | None = None,
) -> bytes:
    """The calendar as ``.ics`` bytes (CRLF lines, folded at 75 octets)."""
    return to_calendar(list(rituals), tz=tz, now=now).to_ical()


def export_ics(store: Store, path: Path, *, force: bool = False) -> str:
    """``tend export --format ics``: every active ritual, from today on. Returns a summary."""
    from app.files import write_private
    from app.models import Ritual, RitualEntry
    from app.rituals import pause_spans, read_schedule
    from app.schedule import ScheduleError, status

    today = pendulum.today().date()
    entries: dict[int, dict[pendulum.Date, str]] = {}
    for entry in store.all(RitualEntry):
        entries.setdefault(entry.ritual_id, {})[entry.day] = entry.status
    rituals: list[CalendarRitual] = []
    unreadable: list[str] = []
    for record in store.all(Ritual):
        if record.archived:
            continue
        states = entries.get(record.id or 0, {})
        schedule, _ = read_schedule(record, states)  # as the rituals screen reads it (every 2nd week, no start)
        if schedule is None:
            unreadable.append(clean_text(record.name, limit=40))
            continue
        try:
            since = record.created.date()
            known = {d: s for d, s in states.items() if s in ("done", "skipped")}
            first = status(schedule, known, today, since=since).next_due or today
        except ScheduleError:
            unreadable.append(clean_text(record.name, limit=40))
            continue
        first = max(first, today)
        pauses = tuple(pause_spans(record))
        rituals.append(CalendarRitual(record.name, schedule, first, record.note, f"ritual{record.id}", pauses))
    write_private(Path(path), to_ics(rituals), force=force)
    summary = f"Saved {len(rituals)} ritual{'s' if len(rituals) != 1 else ''} to {path}."
    if unreadable:
        named = ", ".join(unreadable[:3]) + (f" and {len(unreadable) - 3} more" if len(unreadable) > 3 else "")
        summary += (f" {len(unreadable)} with a schedule Tend could not read {'was' if len(unreadable) == 1 else 'were'}"
                    f" left out ({named}); 'tend doctor' says why.")  # fmt: skip
    return summary
