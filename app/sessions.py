"""A working pattern: when client sessions start, said once, so Today counts down by itself.

A person writes it in their own words; :func:`parse_pattern` reads it or says plainly what it
could not read (never a guess), and :func:`describe` says how it was read. What it reads:

* hours in a range with a rhythm: ``sessions start on the hour, 9 to 17, 50 minutes``,
  ``on the hour 9-17``, ``on the half hour 9:30 to 16``, ``every 90 minutes 8 to 18``. A range
  with no rhythm is hourly from its start. Sessions start from the range's start while they
  still end by its end (with no length given, while they start before it): ``9 to 17, 50
  minutes`` is 9:00 to 16:00. ``9 to 5`` means 9:00 to 17:00. A range whose end comes before
  its start even so runs overnight (``22:00 to 6:00``, ``9pm to 5am``: a night shift): the
  starts after midnight are the next day's, so Monday to Friday nights reach into Saturday.
* times per weekday: ``mon-thu 9:00 10:00 11:30 14:00; fri 9:00 10:00`` (clauses apart by ``;``
  or a new line; a later clause wins for its days). Times are ``9:00``, ``9.30``, ``14``,
  ``2pm``, ``2:30pm``.
* days: ``mon``..``sun`` (and their full names, plurals), ranges ``mon-thu``/``mon to thu``,
  ``weekdays``, ``weekends``, ``every day``/``daily``. A clause without days is for Monday to
  Friday.
* days off: ``wed off``, ``days off: wed, fri``, ``except fri``, ``not on fridays``.
* the length of a session: ``50 minutes``, ``50 min``, ``50m`` (used for the range's end and
  shown; the countdown is to each start).

:func:`next_session` is the first start at or after ``now`` in ``now``'s own time zone, so a
day's times stay on the wall clock across daylight-saving changes (a start that falls in the
hour skipped in spring moves on to the same minute after it, as the clock does).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import pendulum
from pendulum import DateTime

from app.textclean import clean_text

LIMIT = 200
"""The longest pattern read (characters)."""

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WORKDAYS = (0, 1, 2, 3, 4)
MIN_LENGTH, MAX_LENGTH = 5, 240
MIN_STEP = 10
MAX_PER_DAY = 48

EXAMPLE = '"on the hour, 9 to 17, 50 minutes" or "mon-thu 9:00 10:00 11:30; fri 9:00; wed off"'

_DAYS = {
    **dict.fromkeys(("mon", "monday", "mondays"), 0),
    **dict.fromkeys(("tue", "tues", "tuesday", "tuesdays"), 1),
    **dict.fromkeys(("wed", "weds", "wednesday", "wednesdays"), 2),
    **dict.fromkeys(("thu", "thur", "thurs", "thursday", "thursdays"), 3),
    **dict.fromkeys(("fri", "friday", "fridays"), 4),
    **dict.fromkeys(("sat", "saturday", "saturdays"), 5),
    **dict.fromkeys(("sun", "sunday", "sundays"), 6),
}
_GROUPS = {
    "weekdays": WORKDAYS,
    "workdays": WORKDAYS,
    "weekday": WORKDAYS,
    "weekends": (5, 6),
    "weekend": (5, 6),
    "daily": tuple(range(7)),
    "everyday": tuple(range(7)),
}
_FILLER = {
    "sessions", "session", "start", "starts", "starting", "on", "at", "the", "and", "each", "of", "with",
    "my", "i", "work", "working", "are", "is", "for", "a", "an", "clients", "client", "days", "day", "from",
    "in", "week", "usually", "begin", "begins", "last", "lasting", "long", "s", "every",
}  # fmt: skip
_NEGATORS = {"off", "except", "not", "no", "without", "but", "free"}
_TIME = r"\d{1,2}(?:[:.]\d{2})?(?:\s*(?:am|pm|a\.m\.|p\.m\.))?"
_TOKEN = re.compile(
    rf"(?P<range>(?P<a>{_TIME})\s*(?:-|\u2013|to|till|until)\s*(?P<b>{_TIME}))(?![\d:.])"
    r"|(?P<length>\d{1,3})\s*-?\s*(?:minutes|minute|mins|min|m)\b"
    r"|(?P<every>every\s+(?P<n>\d{1,3})\s*(?:minutes|minute|mins|min|m)\b|every\s+hour\b|hourly\b)"
    r"|(?P<onhour>on\s+the\s+hour\b)|(?P<half>on\s+the\s+half[\s-]hour\b)"
    r"|(?P<dayrange>(?P<d1>[a-z]{3,9})\s*(?:-|\u2013|to|till|until|through|thru)\s*(?P<d2>[a-z]{3,9}))(?=\W|$)"
    rf"|(?P<time>{_TIME})(?![\d:.])"
    r"|(?P<every_day>every\s+day\b)"
    r"|(?P<word>[a-z]+)"
    r"|(?P<other>[^\s,:;.()-])"
)


@dataclass(frozen=True)
class Pattern:
    """When sessions start: for each weekday (Monday first) the minutes after midnight."""

    starts: tuple[tuple[int, ...], ...]
    length: int | None = None
    """Minutes a session lasts, when said."""

    @property
    def days_off(self) -> tuple[int, ...]:
        return tuple(day for day in range(7) if not self.starts[day])


class _Unreadable(ValueError):
    pass


def _clock(text: str) -> int:
    """Minutes after midnight for ``9``, ``9:30``, ``9.30``, ``2pm``, ``2:30 p.m.``."""
    match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?", text.strip())
    if not match:
        raise _Unreadable(f"Tend could not read {text!r} as a time. Try {EXAMPLE}.")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    ampm = (match.group(3) or "").replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise _Unreadable(f"{text.strip()} is not a time on the clock.")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        raise _Unreadable(f"{text.strip()} is not a time on the clock.")
    return hour * 60 + minute


def _clock_text(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def _day(word: str) -> int:
    if word in _DAYS:
        return _DAYS[word]
    raise _Unreadable(f"Tend could not read {word!r} as a day. Try {EXAMPLE}.")


@dataclass
class _Clause:
    days: list[int]
    off: list[int]
    times: list[int]
    ranges: list[tuple[int, int, bool]]  # start, end, end given with am/pm
    step: int | None = None
    minute: int | None = None  # on the hour: 0, on the half hour: 30
    length: int | None = None


def _read_clause(text: str) -> _Clause:
    clause = _Clause([], [], [], [])
    negated = False
    recent: list[int] = []
    """The days said just now (a run of day words), which a following "off" takes."""

    def add_days(days: list[int] | tuple[int, ...]) -> None:
        (clause.off if negated else clause.days).extend(days)
        if not negated:
            recent.extend(days)

    for match in _TOKEN.finditer(text):
        word = match.group("word")
        if word is not None and (word in _DAYS or word in _GROUPS):
            add_days([_DAYS[word]] if word in _DAYS else _GROUPS[word])
            continue
        if match.group("dayrange"):
            first, last = _day(match.group("d1")), _day(match.group("d2"))
            add_days([(first + i) % 7 for i in range((last - first) % 7 + 1)])
            continue
        if match.group("every_day"):
            add_days(list(range(7)))
            continue
        if word == "off" and recent:  # "wed off", "mon, fri off"
            clause.off.extend(recent)
            for day in recent:
                clause.days.remove(day)
            recent.clear()
            continue
        if word is None or word not in _FILLER:
            recent.clear()
        if match.group("range"):
            start, end = _clock(match.group("a")), _clock(match.group("b"))
            clause.ranges.append((start, end, bool(re.search(r"[ap]\.?m", match.group("b")))))
        elif match.group("length"):
            clause.length = int(match.group("length"))
        elif match.group("every"):
            clause.step = int(match.group("n")) if match.group("n") else 60
        elif match.group("onhour"):
            clause.minute = 0
        elif match.group("half"):
            clause.minute = 30
        elif match.group("time"):
            clause.times.append(_clock(match.group("time")))
        elif word is not None:
            if word in _NEGATORS:
                negated = True
            elif word not in _FILLER:
                raise _Unreadable(f"Tend could not read {word!r}. Try {EXAMPLE}.")
        elif match.group("other"):
            raise _Unreadable(f"Tend could not read {match.group('other')!r}. Try {EXAMPLE}.")
    return clause


def _expand(clause: _Clause) -> tuple[list[int], list[int]]:
    """The starts a clause says for each of its days, and those after midnight that a range
    running overnight ("22:00 to 6:00", a night shift) gives the day after each."""
    starts = set(clause.times)
    after_midnight: set[int] = set()
    step = clause.step or 60
    if step < MIN_STEP:
        raise _Unreadable(f"Every {step} minutes is too often: give at least {MIN_STEP}.")
    for start, given_end, end_has_ampm in clause.ranges:
        end = given_end
        if end <= start and not end_has_ampm and end < 12 * 60 and end + 12 * 60 > start:
            end += 12 * 60  # "9 to 5"
        elif end < start:
            end += 24 * 60  # "22 to 6", "9pm to 5am": on into the next morning
        if end <= start:
            raise _Unreadable(f"From {_clock_text(start)} to {_clock_text(given_end)} leaves no time for a session.")
        first = start
        if clause.minute is not None:
            first = start - start % 60 + clause.minute
            if first < start:
                first += 60
        found = [t for t in range(first, end, step) if t + (clause.length or 1) <= end]
        if not found:
            raise _Unreadable(f"From {_clock_text(start)} to {_clock_text(given_end % (24 * 60))} leaves no time for a session.")
        starts.update(t for t in found if t < 24 * 60)
        after_midnight.update(t - 24 * 60 for t in found if t >= 24 * 60)
    if clause.minute is not None and not clause.ranges and clause.times:
        raise _Unreadable('Say the hours too, like "on the hour, 9 to 17".')
    return sorted(starts), sorted(after_midnight)


def parse_pattern(text: object) -> Pattern | str:
    """The pattern ``text`` says, or a plain message on what could not be read."""
    typed = clean_text(text, limit=LIMIT)
    lowered = re.sub(r"[ \t]+", " ", typed.lower()).strip()
    if not lowered:
        return f"Say when your sessions start, like {EXAMPLE}."
    starts: dict[int, list[int]] = {}
    overnight: dict[int, set[int]] = {}
    """Starts after midnight, on the day after a night the pattern works (kept on a day off:
    Friday's night shift runs into Saturday however Saturday is said)."""
    off: set[int] = set()
    length: int | None = None
    try:
        for part in re.split(r"[;\n]+", lowered):
            if not part.strip():
                continue
            clause = _read_clause(part)
            if clause.length is not None:
                if not MIN_LENGTH <= clause.length <= MAX_LENGTH:
                    raise _Unreadable(f"A session of {clause.length} minutes? Give between {MIN_LENGTH} and {MAX_LENGTH}.")
                length = clause.length
            off.update(clause.off)
            if not clause.times and not clause.ranges:
                if clause.days and not clause.off:
                    names = ", ".join(DAY_NAMES[d] for d in dict.fromkeys(clause.days))
                    raise _Unreadable(f'Tend found {names} but no times for it. Add times, or say "{names.split(",")[0][:3].lower()} off".')
                if clause.step is not None or clause.minute is not None:
                    raise _Unreadable('Say the hours too, like "on the hour, 9 to 17".')
                continue
            day_starts, next_morning = _expand(clause)
            for day in dict.fromkeys(clause.days or WORKDAYS):
                starts[day] = day_starts
                if next_morning:
                    overnight.setdefault((day + 1) % 7, set()).update(next_morning)
    except _Unreadable as problem:
        return str(problem)
    table = tuple(
        tuple(sorted(set(starts.get(day, ()) if day not in off else ()) | overnight.get(day, set()))) for day in range(7)
    )
    if not any(table):
        return "That leaves no sessions on any day. Say the times, or fewer days off."
    if any(len(day) > MAX_PER_DAY for day in table):
        return f"That is more than {MAX_PER_DAY} sessions a day. Try fewer."
    return Pattern(starts=table, length=length)


# --------------------------------------------------------------------------- read as


def _day_groups(days: list[int]) -> str:
    """'Monday to Thursday', 'Monday, Wednesday and Friday'."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    names: list[str] = []
    for run in runs:
        names += [f"{DAY_NAMES[run[0]]} to {DAY_NAMES[run[-1]]}"] if len(run) > 2 else [DAY_NAMES[d] for d in run]
    return _and(names)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _times_text(starts: tuple[int, ...]) -> str:
    gaps = {b - a for a, b in itertools.pairwise(starts)}
    if len(starts) >= 3 and len(gaps) == 1:
        gap = gaps.pop()
        every = "every hour" if gap == 60 else f"every {gap} minutes"
        if gap == 60 and starts[0] % 60 == 0:
            every = "on the hour"
        elif gap == 60 and starts[0] % 60 == 30:
            every = "on the half hour"
        return f"{every} from {_clock_text(starts[0])} to {_clock_text(starts[-1])} ({len(starts)} sessions)"
    return "at " + _and([_clock_text(s) for s in starts])


def describe(pattern: Pattern) -> str:
    """How Tend read a pattern, in plain words (the "read as" line)."""
    groups: dict[tuple[int, ...], list[int]] = {}
    for day, starts in enumerate(pattern.starts):
        if starts:
            groups.setdefault(starts, []).append(day)
    parts = [f"{_day_groups(days)}: {_times_text(starts)}" for starts, days in groups.items()]
    text = "; ".join(parts) + "."
    if pattern.days_off:
        text += f" Days off: {_day_groups(list(pattern.days_off))}."
    if pattern.length:
        text += f" Sessions last {pattern.length} minutes."
    return text


# --------------------------------------------------------------------------- the next one


def next_session(pattern: Pattern, now: DateTime) -> DateTime | None:
    """The first session start at or after ``now`` (None: the pattern has no sessions)."""
    if not any(pattern.starts):
        return None
    zone = now.timezone or now.tz or pendulum.UTC
    today = now.date()
    for offset in range(8):
        day = today.add(days=offset)
        for minute in pattern.starts[day.weekday()]:
            start = pendulum.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tz=zone)
            if start >= now:
                return start
    return None  # not reached: every weekday comes round within 8 days
