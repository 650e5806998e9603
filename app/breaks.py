"""The break planner: when the next session starts, and what fits in the minutes left.

``parse_until`` reads what a person types for the start of their next session:

* a clock time, ``14:50``, ``9.05``, ``2:50pm``, ``2pm`` (today; a time already past is
  refused, kindly, rather than guessed to mean tomorrow);
* a span from now, ``12m``, ``12 min``, ``in 12 minutes``, ``1h``, ``1h 10m``, ``90``
  (a bare number is minutes).

``offers`` lists what fits in the minutes left, shortest first; every offer is one key away
on Today. ``redraw_delay`` says when the countdown next needs drawing: once a minute, or
once a second in the last five minutes, so an idle Today costs nothing in between.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pendulum
from pendulum import DateTime

from app.textclean import clean_text

MAX_MINUTES = 12 * 60
"""A break longer than this is not a break: ask again."""

CLOSE_MINUTES = 5
"""Under this many minutes left, the countdown shows seconds."""


class UntilError(ValueError):
    """Text that could not be read as the start of the next session."""


_SPAN = re.compile(
    r"^(?:in\s+)?(?:(?P<h>\d{1,2})\s*(?:h|hr|hrs|hour|hours))?\s*"
    r"(?:(?P<m>\d{1,3})\s*(?:m|min|mins|minute|minutes)?)?$"
)
_CLOCK = re.compile(r"^(?:at\s+)?(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?$")

EXAMPLES = "14:50, 2:50pm, 12m or in 12 min"


def parse_until(text: object, now: DateTime | None = None) -> DateTime:
    """When the next session starts, from what the person typed. Raises :class:`UntilError`."""
    now = pendulum.now() if now is None else now
    typed = clean_text(text, limit=40)
    lowered = re.sub(r"\s+", " ", typed.lower()).strip()
    if not lowered:
        raise UntilError(f"Type when your next session starts, like {EXAMPLES}.")

    clock = _CLOCK.match(lowered)
    looks_like_clock = clock is not None and (clock.group("m") is not None or clock.group("ampm"))
    if clock and looks_like_clock:
        hour, minute = int(clock.group("h")), int(clock.group("m") or 0)
        ampm = (clock.group("ampm") or "").replace(".", "")
        if ampm:
            if not 1 <= hour <= 12:
                raise UntilError(f"{typed!r} is not a time on the clock. Try {EXAMPLES}.")
            hour = hour % 12 + (12 if ampm == "pm" else 0)
        if hour > 23 or minute > 59:
            raise UntilError(f"{typed!r} is not a time on the clock. Try {EXAMPLES}.")
        start = now.set(hour=hour, minute=minute, second=0, microsecond=0)
        if start <= now and (start.add(days=1) - now).total_seconds() <= MAX_MINUTES * 60:
            start = start.add(days=1)  # 00:30 typed at 22:00, on a night shift: after midnight
        if start <= now:
            raise UntilError(f"{typed} has already passed today. When is the next one?")
        if (start - now).total_seconds() > MAX_MINUTES * 60:
            raise UntilError("That is a long way off. Tend counts down breaks of up to 12 hours.")
        return start

    span = _SPAN.match(lowered)
    if span and (span.group("h") or span.group("m")):
        minutes = int(span.group("h") or 0) * 60 + int(span.group("m") or 0)
        if minutes <= 0:
            raise UntilError("Give at least a minute, like 12m.")
        if minutes > MAX_MINUTES:
            raise UntilError("That is a long way off. Tend counts down breaks of up to 12 hours.")
        # On the minute after: "25m" then reads "in 25 min (at 22:19)" at once, not "24 min"
        # (the countdown rounds down, and seconds have passed since the typing began).
        start = now.add(minutes=minutes)
        return start if start.second == start.microsecond == 0 else start.set(second=0, microsecond=0).add(minutes=1)
    raise UntilError(f"Tend could not read {typed!r}. Try {EXAMPLES}.")


def seconds_left(until: DateTime, now: DateTime | None = None) -> float:
    now = pendulum.now() if now is None else now
    return max((until - now).total_seconds(), 0.0)


def describe_left(seconds: float) -> str:
    """Minutes left in words: '12 min', '4:05', 'now'.

    Whole minutes round down ("9 min" with 9:19 left): a countdown that rounds up promises
    time that is not there. The last five minutes show minutes and seconds."""
    if seconds <= 0:
        return "now"
    if seconds <= CLOSE_MINUTES * 60:
        whole = math.ceil(seconds)
        return f"{whole // 60}:{whole % 60:02d}"
    minutes = math.floor(seconds / 60)
    if minutes >= 60:
        hours, rest = divmod(minutes, 60)
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    return f"{minutes} min"


def redraw_delay(seconds: float) -> float:
    """Seconds until the countdown's text next changes.

    Above five minutes the text shows whole minutes, rounded down, so it changes the moment
    ``seconds`` falls below a multiple of 60 (exactly on one, at once: a tiny delay; the switch
    to minutes:seconds happens at 300, also a multiple of 60); below, it changes every whole
    second. A caller's timer should wake a hair after this, to land past the change.
    """
    if seconds <= 0:
        return 0.0
    if seconds <= CLOSE_MINUTES * 60:
        remainder = math.fmod(seconds, 1.0)
        return remainder if remainder > 1e-6 else 1.0
    remainder = math.fmod(seconds, 60.0)
    return remainder if remainder > 1e-6 else 1e-3


@dataclass(frozen=True)
class Offer:
    """Something that fits in the time left, and the key that starts it on Today."""

    key: str
    label: str
    minutes: float
    action: str
    """What Today does: "breathe:1", "breathe:2", "breathe:5", "scan", "message"."""


OFFERS: tuple[Offer, ...] = (
    Offer("1", "1-minute breathing", 1, "breathe:1"),
    Offer("m", "check-in message", 1, "message"),
    Offer("s", "quick body scan", 1.5, "scan"),
    Offer("3", "3-minute breathing", 3.5, "breathe:3"),
    Offer("5", "5-minute breathing", 6, "breathe:5"),
)


def offers(seconds: float | None) -> list[Offer]:
    """What fits in ``seconds`` (everything when no session is set)."""
    if seconds is None:
        return list(OFFERS)
    minutes = seconds / 60
    return [offer for offer in OFFERS if offer.minutes <= minutes]


TIME_UP = "It's time for your next session. Go gently; Tend will be here after."
