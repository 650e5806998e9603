"""The breathing history at a glance: this week's sessions per pattern, and minutes in all.

Years of use are thousands of ``BreathingSession`` records, so this reads only the stored
fields it needs (``Store.columns``) and builds no records. A session counts when at least one
whole cycle was breathed and it lasted :data:`MIN_SECONDS` or more: one opened and closed at
once (0 cycles, a few seconds) is not a session anyone sat down to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pendulum
from pendulum import DateTime

from app.models import BreathingSession

if TYPE_CHECKING:  # the store is only passed in
    from app.storage import Store

MIN_SECONDS = BreathingSession.MIN_SECONDS
"""A session shorter than this (or with no whole cycle) is not counted."""

FIELDS = ("when", "pattern", "pattern_name", "actual_seconds", "cycles_done")


def saved_words(summary: Mapping[str, Any], saved: bool) -> str:
    """What became of a session just ended, for its last line: kept in the history, kept but
    too short for the totals (it is stored, yet "In all" and "This week" leave it out), or not
    saved this time."""
    if not saved:
        return "not saved this time"
    if not BreathingSession.counts(summary.get("actual_seconds"), summary.get("cycles_done")):
        return "too short to add to your totals"
    return "saved to your history"


@dataclass
class PatternWeek:
    key: str
    stored_name: str
    """The name kept with the session (user text, unchecked: clean it before showing)."""
    sessions: int = 0
    seconds: float = 0.0


@dataclass
class History:
    week: list[PatternWeek] = field(default_factory=list)
    """This week's sessions per pattern (since Monday), most minutes first."""
    week_sessions: int = 0
    week_seconds: float = 0.0
    all_sessions: int = 0
    all_seconds: float = 0.0
    left_out: int = 0
    """Sessions not counted (too short, no whole cycle, or unreadable)."""


counts = BreathingSession.counts
"""Whether a stored session counts as one (see the module's docstring)."""


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def summarise(rows: Iterable[tuple[Any, ...]], now: DateTime) -> History:
    """The history from stored rows of :data:`FIELDS`."""
    week_start = now.start_of("week")  # Monday, 00:00 on the person's clock
    history = History()
    per_pattern: dict[str, PatternWeek] = {}
    for when, key, name, seconds, cycles in rows:
        if not counts(seconds, cycles):
            history.left_out += 1
            continue
        history.all_sessions += 1
        history.all_seconds += seconds
        moment = _moment(when)
        if moment is None or not week_start <= moment <= now:
            continue
        key = key if isinstance(key, str) else ""
        entry = per_pattern.setdefault(key, PatternWeek(key, name if isinstance(name, str) else ""))
        entry.sessions += 1
        entry.seconds += seconds
        history.week_sessions += 1
        history.week_seconds += seconds
    history.week = sorted(per_pattern.values(), key=lambda p: (-p.seconds, p.key))
    return history


def load_history(
    store: Store, now: DateTime | None = None, *, recent: bool = False, among: Mapping[str, Any] | None = None
) -> History:
    """The breathing history as of ``now`` (default: now), from the stored fields alone.
    ``recent``: only what ``tend.json`` holds (this week is whole; "in all" is not);
    ``among``: these stored documents (every session, from ``Store.read_older``)."""
    rows = store.columns(BreathingSession, *FIELDS, recent=recent, among=among)
    return summarise(rows, pendulum.now() if now is None else now)


def load_whole(store: Store, now: DateTime | None = None) -> History | None:
    """The whole history without reading a history file: the sessions in ``tend.json``
    (this week is always all there) and, for the years in history files, the tallies kept
    beside their names (``Store.history_tally``). None when some file has no tally yet:
    then read every session (``load_history(..., among=...)`` in a worker)."""
    tally = store.history_tally(BreathingSession)
    if tally is None:
        return None
    history = summarise(store.columns(BreathingSession, *FIELDS, current=True), pendulum.now() if now is None else now)
    history.all_sessions += int(tally.get("sessions", 0))
    history.all_seconds += tally.get("seconds", 0.0)
    return history


def minutes_text(seconds: float) -> str:
    """'40 s', '14 min', '2 h 5 min' (whole minutes, rounded down)."""
    if seconds < 60:
        return f"{int(seconds)} s"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"
