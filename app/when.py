"""Reading the times people type: "now", "yesterday", "3 days ago", "2026-11-20 14:30".

Two entry points:

* :func:`parse_when` gives a moment (a ``pendulum.DateTime`` in the local time zone), for
  logging something that happened, such as a contact with a colleague.
* :func:`parse_day` gives a calendar day (a ``pendulum.Date``), for callers that only care
  about the day, such as marking a ritual done.

Both refuse the future and anything they cannot read with :class:`WhenError`, whose message
is short, kind and says what would work. Nothing else is ever raised, whatever the text.

Accepted forms (case and extra spaces do not matter):

* ``""``, ``now``, ``just now``, ``today``
* ``yesterday``; ``today 14:30``, ``yesterday 9:15``
* ``3 days ago``, ``2 hours ago``, ``a week ago``, ``an hour ago``, ``ten minutes ago``,
  ``2 weeks ago``, ``a month ago`` ("ago" may be left out; ``3d``, ``2h``, ``1w`` work too)
* weekday names: ``monday`` (the most recent Monday, today included), ``last monday``
  (before today)
* ``2026-11-20``, ``2026-11-20 14:30``, ``2026-11-20T14:30:05``, ``2026/11/20``
* a day and its month, as :func:`parse_day` reads them, with or without a time: ``28/11``,
  ``28 Nov``, ``Nov 28 14:30``, ``28/11/2025 3pm``
* ``14:30`` (today), ``9.15``, ``2pm``, ``2:30 pm``
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pendulum
from pendulum import Date, DateTime
from pendulum.tz.timezone import FixedTimezone, Timezone

from app.textclean import clean_text

__all__ = ["WhenError", "parse_when", "parse_day", "EXAMPLES"]

EXAMPLES = 'now, yesterday, 3 days ago, 2026-11-20 or 2026-11-20 14:30'
"""Examples shown to people when their text could not be read."""

DAY_EXAMPLES = "today, yesterday, 3 days ago, monday, 28/11, 28 Nov or 2026-11-20"

_MAX_YEARS_BACK = 100
_ECHO_LIMIT = 30

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "a couple of": 2, "a few": 3,
}  # fmt: skip

_UNITS = {
    "m": "minutes", "min": "minutes", "mins": "minutes", "minute": "minutes",
    "minutes": "minutes",
    "h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours", "hours": "hours",
    "d": "days", "day": "days", "days": "days",
    "w": "weeks", "wk": "weeks", "wks": "weeks", "week": "weeks", "weeks": "weeks",
    "month": "months", "months": "months",
    "y": "years", "yr": "years", "yrs": "years", "year": "years", "years": "years",
}  # fmt: skip

_DAY_UNITS = frozenset({"days", "weeks", "months", "years"})

_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip

_NUMBER = r"(?P<count>\d{1,9}|" + "|".join(
    sorted((re.escape(word) for word in _NUMBER_WORDS), key=len, reverse=True)
) + ")"
_AGO = re.compile(
    _NUMBER + r"\s*(?P<unit>" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")"
    r"(?:\s+ago|\s+back|\s+before)?"
)
_DATE = re.compile(r"(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})")
_AHEAD = re.compile(r"(tomorrow|next|in \S+ (min|hour|day|week|month|year))")
_NAMED_DAY = re.compile(r"(?P<last>last )?(?P<word>[a-z]+)\b")
_CLOCK = re.compile(
    r"(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
    r"\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?"
)


class WhenError(ValueError):
    """The text could not be read as a time that has already happened.

    ``str(error)`` is a short, friendly message ready to show as it is.
    """


def _echo(text: str) -> str:
    """The person's own text, trimmed for quoting back in a message."""
    if len(text) > _ECHO_LIMIT:
        return text[: _ECHO_LIMIT - 3].rstrip() + "..."
    return text


def _unreadable(text: str, examples: str = EXAMPLES, what: str = "time") -> WhenError:
    if _AHEAD.match(_normalise(text)):
        return _future(text)
    return WhenError(f'Tend could not read "{_echo(text)}" as a {what}. Try {examples}.')


def _future(text: str) -> WhenError:
    return WhenError(
        f'"{_echo(text)}" has not happened yet. Log things once they have, '
        "or leave it empty for now."
    )


def _zone(tz: str | Timezone | FixedTimezone | None, now: DateTime | None) -> Timezone | FixedTimezone:
    """The time zone to read in: ``tz``, else that of ``now``, else the local one."""
    if tz is not None:
        try:
            return pendulum.timezone(tz) if isinstance(tz, str) else tz
        except Exception as error:  # an unknown zone name is a programming error
            raise ValueError(f"unknown time zone {tz!r}") from error
    if now is not None and isinstance(now.tzinfo, (Timezone, FixedTimezone)):
        return now.tzinfo
    return pendulum.local_timezone()


def _normalise(text: object) -> str:
    cleaned = clean_text(text, limit=200)
    return re.sub(r"\s+", " ", cleaned).strip().casefold()


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _clock(match: re.Match[str], original: str) -> tuple[int, int, int]:
    """Hour, minute, second from a clock match, or a WhenError that says what is wrong."""
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    second = int(match["second"] or 0)
    ampm = (match["ampm"] or "").replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise WhenError(f'"{_echo(original)}" is not a time of day. Try 2pm or 14:00.')
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    elif match["minute"] is None:
        # A lone number like "14" is too ambiguous to guess (a day? an hour?).
        raise _unreadable(original)
    if hour > 23 or minute > 59 or second > 59:
        raise WhenError(
            f'"{_echo(original)}" is not a time of day. Use 24-hour time, like 14:30.'
        )
    return hour, minute, second


def _in_past(moment: DateTime, now: DateTime, original: str) -> DateTime:
    if moment > now:
        raise _future(original)
    if moment < now.subtract(years=_MAX_YEARS_BACK):
        raise WhenError(f'"{_echo(original)}" is a very long time ago. Check the year?')
    return moment


def _make_date(match: re.Match[str], original: str) -> Date:
    try:
        return Date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise WhenError(
            f'"{_echo(original)}" is not a date on the calendar. Check the day and month '
            "(year-month-day, like 2026-11-20)."
        ) from None


def _weekday(text: str, today: Date) -> Date | None:
    """The most recent day with that name (``last`` means before today), or None."""
    strict = text.startswith("last ")
    name = text.removeprefix("last ").strip()
    if name not in _WEEKDAYS:
        return None
    back = (today.weekday() - _WEEKDAYS[name]) % 7
    if back == 0 and strict:
        back = 7
    return today.subtract(days=back)


def _relative(match: re.Match[str], now: DateTime, original: str) -> DateTime:
    count = _count(match["count"])
    unit = _UNITS[match["unit"]]
    if count > 36500 * 24 * 60:  # far beyond anything pendulum or a person needs
        raise WhenError(f'"{_echo(original)}" is a very long time ago. Check the number?')
    try:
        return now.subtract(**{unit: count})
    except (OverflowError, ValueError):
        raise WhenError(
            f'"{_echo(original)}" is a very long time ago. Check the number?'
        ) from None


def _at(day: Date, clock: tuple[int, int, int], zone: Timezone | FixedTimezone) -> DateTime:
    return pendulum.datetime(day.year, day.month, day.day, *clock, tz=zone)


def _day_and_clock(
    text: str, original: str, now: DateTime, zone: Timezone | FixedTimezone
) -> DateTime | None:
    """Read "<day> <clock>", "<day>" or "<clock>"; None when it is none of those."""
    today = now.date()
    day: Date | None = None
    rest = text
    if match := _DATE.match(text):
        day = _make_date(match, original)
        rest = text[match.end():].removeprefix("t")
    elif match := _NAMED_DAY.match(text):
        word = match["word"]
        if word in ("today", "yesterday"):
            day = today.subtract(days=0 if word == "today" else 1)
        else:
            day = _weekday(f"{match['last'] or ''}{word}", today)
        if day is not None:
            rest = text[match.end():]
    return _at_clock(day, rest, original, now, zone)


def _at_clock(
    day: Date | None, rest: str, original: str, now: DateTime, zone: Timezone | FixedTimezone
) -> DateTime | None:
    """``day`` (today if None) at the clock ``rest`` says ("14:30", "at 2pm"); with no clock,
    now when the day is today, else noon; None when ``rest`` is no clock (or says nothing and
    there is no day)."""
    rest = rest.strip(" ,").removeprefix("at ").strip()
    if not rest:
        if day is None:
            return None
        return now if day == now.date() else _at(day, (12, 0, 0), zone)
    clock_match = _CLOCK.fullmatch(rest)
    if clock_match is None:
        return None
    return _at(day if day is not None else now.date(), _clock(clock_match, original), zone)


def parse_when(
    text: object,
    now: DateTime | None = None,
    tz: str | Timezone | FixedTimezone | None = None,
) -> DateTime:
    """Read ``text`` as a moment in the past, in the local time zone.

    A day without a time means noon on that day (or now, when the day is today).

    Args:
        text: What the person typed. Empty means now.
        now: The current moment; defaults to ``pendulum.now()``.
        tz: Time zone to read and return in; defaults to that of ``now``, else local.

    Raises:
        WhenError: the text cannot be read, names an impossible date or time, or is in the
            future. The message is ready to show.
    """
    zone = _zone(tz, now)
    now = pendulum.DateTime.now(zone) if now is None else pendulum.instance(now).in_timezone(zone)
    original = clean_text(text, limit=200)
    lowered = _normalise(text)
    if lowered in ("", "now", "just now", "right now"):
        return now
    if match := _AGO.fullmatch(lowered):
        return _in_past(_relative(match, now, original), now, original)
    moment = _day_and_clock(lowered, original, now, zone)
    if moment is None:
        moment = _dated_and_clock(lowered, original, now, zone)
    if moment is None:
        raise _unreadable(original)
    return _in_past(moment, now, original)


def _dated_and_clock(text: str, original: str, now: DateTime, zone: Timezone | FixedTimezone) -> DateTime | None:
    """Read "<day and month> <clock>" or "<day and month>" ("28 Nov 14:30", "30/11"), the
    day as :func:`parse_day` reads it; None when it is neither."""
    words = text.split()
    for cut in range(len(words), 0, -1):
        day = day_and_month(" ".join(words[:cut]), now.date(), original)
        if day is not None:
            return _at_clock(day, " ".join(words[cut:]), original, now, zone)
    return None


def parse_day(text: object, today: Date | None = None) -> Date:
    """Read ``text`` as a calendar day that is today or earlier.

    Accepts ``today`` (or empty), ``yesterday``, ``3 days ago``, ``a week ago``, weekday
    names, ``2026-11-20`` and a day and month (``28/11``, ``28 Nov``, ``Nov 28``, with or
    without a year; without one, the latest such day up to today).

    Raises:
        WhenError: the text cannot be read as a day, or the day is in the future.
    """
    today = pendulum.today().date() if today is None else today
    original = clean_text(text, limit=200)
    lowered = _normalise(text)
    readers: tuple[Callable[[str], Date | None], ...] = (
        lambda t: today if t in ("", "today", "now") else None,
        lambda t: today.subtract(days=1) if t == "yesterday" else None,
        lambda t: _weekday(t, today),
        lambda t: _day_ago(t, today, original),
        lambda t: _make_date(m, original) if (m := _DATE.fullmatch(t)) else None,
        lambda t: day_and_month(t, today, original),
    )
    for read in readers:
        day = read(lowered)
        if day is not None:
            break
    else:
        raise _unreadable(original, DAY_EXAMPLES, "day")
    if day > today:
        raise _future(original)
    if day < today.subtract(years=_MAX_YEARS_BACK):
        raise WhenError(f'"{_echo(original)}" is a very long time ago. Check the year?')
    return day


def _day_ago(text: str, today: Date, original: str) -> Date | None:
    match = _AGO.fullmatch(text)
    if match is None:
        return None
    unit = _UNITS[match["unit"]]
    if unit not in _DAY_UNITS:
        raise WhenError(f'Tend needs a day here, not a time. Try {DAY_EXAMPLES}.')
    count = _count(match["count"])
    if count > 36500:
        raise WhenError(f'"{_echo(original)}" is a very long time ago. Check the number?')
    try:
        return today.subtract(**{unit: count})
    except (OverflowError, ValueError):
        raise WhenError(
            f'"{_echo(original)}" is a very long time ago. Check the number?'
        ) from None


_MONTHS = {name.casefold(): index for index, name in enumerate(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"), start=1)}
_MONTH_WORD = r"(?P<month>[a-z]{3,9})\.?"
_DAY_NUMBER = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR_TAIL = r"(?:,?\s*(?P<year>\d{4}))?"
_DAY_MONTH = (
    re.compile(r"(?P<day>\d{1,2})[/.](?P<number>\d{1,2})(?:[/.](?P<year>\d{4}))?"),
    re.compile(_DAY_NUMBER + r"\s*(?:of\s+)?" + _MONTH_WORD + _YEAR_TAIL),
    re.compile(_MONTH_WORD + r"\s*" + _DAY_NUMBER + _YEAR_TAIL),
)


def _month_number(word: str) -> int | None:
    if len(word) < 3:
        return None
    found = [number for name, number in _MONTHS.items() if name.startswith(word) or (word == "sept" and number == 9)]
    return found[0] if len(found) == 1 else None


def day_and_month(text: str, today: Date, original: str = "", *, ahead: bool = False) -> Date | None:
    """A day written with its month, day first as in the UK ("28/11", "28 Nov", "28th of
    November") or month first ("Nov 28"), with or without a year; None if it is not one.

    Without a year it is the latest such day up to ``today``, or with ``ahead`` the next one
    from ``today`` on. A day that is not on the calendar (31/11) is a WhenError.
    """
    for pattern in _DAY_MONTH:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        groups = match.groupdict()
        month = int(groups["number"]) if groups.get("number") else _month_number(groups.get("month") or "")
        if month is None:
            return None
        day = int(match["day"])
        try:
            if match["year"]:
                return Date(int(match["year"]), month, day)
            found = Date(today.year, month, day)
        except ValueError:
            raise WhenError(f'"{_echo(original or text)}" is not a date on the calendar. Check the day and month.') from None
        if ahead and found < today:
            return _same_day_in(found, today.year + 1, original or text)
        if not ahead and found > today:
            return _same_day_in(found, today.year - 1, original or text)
        return found
    return None


def _same_day_in(day: Date, year: int, original: str) -> Date:
    try:
        return Date(year, day.month, day.day)
    except ValueError:  # 29 February in a year without one
        raise WhenError(f'"{_echo(original)}" is not in that year. Add the year, like 29/2/2028.') from None


_IN = re.compile(r"in " + _AGO.pattern.removesuffix(r"(?:\s+ago|\s+back|\s+before)?"))
FUTURE_DAY_EXAMPLES = "today, tomorrow, friday, in 3 weeks, 12/1, 12 Jan or 2027-01-12"


def parse_day_ahead(text: object, today: Date | None = None) -> Date:
    """Read ``text`` as a calendar day that is today or later (the end of a pause, say):
    ``today``, ``tomorrow``, a weekday (the next one), ``in 3 weeks``, ``12/1``, ``12 Jan``
    or ``2027-01-12``.

    Raises:
        WhenError: the text cannot be read as a day, or the day has passed.
    """
    today = pendulum.today().date() if today is None else today
    original = clean_text(text, limit=200)
    lowered = _normalise(text)
    day: Date | None = None
    if lowered in ("", "today"):
        day = today
    elif lowered == "tomorrow":
        day = today.add(days=1)
    elif lowered.removeprefix("next ") in _WEEKDAYS:
        ahead = (_WEEKDAYS[lowered.removeprefix("next ")] - today.weekday() - 1) % 7 + 1
        day = today.add(days=ahead)
    elif (match := _IN.fullmatch(lowered)) and _UNITS[match["unit"]] in _DAY_UNITS:
        count = _count(match["count"])
        if count > 3650:
            raise WhenError(f'"{_echo(original)}" is a very long way off. Check the number?')
        day = today.add(**{_UNITS[match["unit"]]: count})
    elif match := _DATE.fullmatch(lowered):
        day = _make_date(match, original)
    else:
        day = day_and_month(lowered, today, original, ahead=True)
    if day is None:
        raise WhenError(f'Tend could not read "{_echo(original)}" as a day. Try {FUTURE_DAY_EXAMPLES}.')
    if day < today:
        raise WhenError(f'"{_echo(original)}" has passed already. Try {FUTURE_DAY_EXAMPLES}.')
    return day
