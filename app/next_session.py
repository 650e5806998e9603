"""When the next session starts, kept in the store so every Tend and the shell agree.

``n`` on Today, ``tend --until 14:50`` and ``tend next 14:50`` all set it the same way (read
by :func:`app.breaks.parse_until`, then :func:`set_next`); ``x`` on Today clears it;
``tend status`` and Today read it with :func:`next_session`. It is kept as a small draft
(``store.draft(DRAFT_KEY)``: ``{"at": ISO 8601}``), so no record kind changes and an older
Tend simply ignores it. A time already past reads as none.

:func:`next_session` is the one place that answers "when is the next session": a working
pattern (sessions that repeat) belongs there too, with what is stored here taking precedence
for the day it was set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pendulum
from pendulum import DateTime

from app.models import moment_of

if TYPE_CHECKING:  # the store is only passed in
    from app.storage import Store

DRAFT_KEY = "next_session"


def stored_next(store: Store) -> DateTime | None:
    """The next session as stored (past or not); None when none is set."""
    draft = store.draft(DRAFT_KEY)
    moment = moment_of(draft.get("at")) if draft else None
    return pendulum.instance(moment) if moment is not None else None


def next_session(store: Store, now: DateTime | None = None) -> DateTime | None:
    """When the next session starts, or None when none is set or it has already begun."""
    now = pendulum.now() if now is None else now
    at = stored_next(store)
    if at is None or at <= now:
        return None
    return at.in_timezone(now.timezone or pendulum.local_timezone())


def upcoming(store: Store, now: DateTime, pattern_text: str | None = "") -> DateTime | None:
    """The next session as ``tend status`` tells it: the one set with ``n`` or ``tend next``
    when it is still ahead, else the next start of the working pattern (``pattern_text``, as
    Today reads it: the config file's, else the one saved with ``w``) when that is today.
    A pattern's session on another day is left out, as Today leaves it out of the countdown."""
    at = next_session(store, now)
    if at is not None or not pattern_text:
        return at
    from app import sessions

    pattern = sessions.parse_pattern(pattern_text)
    if not isinstance(pattern, sessions.Pattern):
        return None
    start = sessions.next_session(pattern, now)
    zone = now.timezone or pendulum.local_timezone()
    if start is None or start.in_timezone(zone).date() != now.in_timezone(zone).date():
        return None
    return start.in_timezone(zone)


def set_next(store: Store, at: DateTime | None) -> None:
    """Set the next session (None clears it). One locked, atomic save."""
    if at is None:
        store.clear_draft(DRAFT_KEY)
    else:
        store.save_draft(DRAFT_KEY, {"at": at.isoformat()})
