"""``tend status``: what needs you, in one line for a status bar or a prompt, or as JSON.

Plain Python, no Textual. :func:`gather` reads a store once (opened with
:meth:`app.storage.Store.open_to_read`: no lock, no write) into a :class:`Snapshot`; the rest
only formats it:

* :func:`line`: ``2 due · Dana · next 14:50 (12m)``, or "" when nothing needs you;
* :func:`render`: the person's own layout, ``--format '{due} due, next {next}'``
  (:data:`FIELDS` lists the names);
* :func:`to_json`: the documented, stable schema (``docs/status.md``)::

    {"rituals": [{"name", "state", "next_due"}], "colleagues": [{"name", "state",
     "days_since"}], "next_session", "last_scan"}

  Fields may be added; these are never renamed. Dates and times are ISO 8601.

A ritual's state is one of :data:`RITUAL_STATES`, decided by :func:`ritual_state` alone.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Any, NamedTuple

import pendulum
from pendulum import Date, DateTime

from app.models import BodyScan, Colleague
from app.people import Status, call_name, latest_contacts, rank_colleagues
from app.rituals import RitualView, load_views
from app.schedule import DUE, ENDED, OVERDUE
from app.textclean import strip_controls

if TYPE_CHECKING:  # the store is only passed in
    from app.storage import Store

# A ritual's state, as the JSON names it (never renamed).
R_DUE = "due"
R_OVERDUE = "overdue"
R_DONE = "done"
R_UPCOMING = "upcoming"
R_PAUSED = "paused"
RITUAL_STATES = (R_DUE, R_OVERDUE, R_DONE, R_UPCOMING, R_PAUSED)

COLLEAGUE_STATES = {Status.ON_TRACK: "on_track", Status.NEW: "new", Status.DUE: "due", Status.OVERDUE: "overdue"}
"""A colleague's state, as the JSON names it (never renamed)."""


def ritual_state(view: RitualView, today: Date) -> str:
    """The one place a ritual's state for ``tend status`` is decided.

    * ``due``: asked for today; ``overdue``: asked for earlier and still open;
    * ``done``: done today, or finished (past its end date, nothing more asked);
    * ``upcoming``: nothing asked now (skipped today, or the next time is ahead), or a
      schedule Tend cannot read (``next_due`` is then null);
    * ``paused``: on a pause today (leave, say): neither due nor missed.
    """
    if view.paused_until is not None:
        return R_PAUSED
    if view.state == DUE:
        return R_DUE
    if view.state == OVERDUE:
        return R_OVERDUE
    if view.states.get(today) == "done":
        return R_DONE
    if view.schedule is not None and view.state == ENDED:
        return R_DONE
    return R_UPCOMING


class RitualStatus(NamedTuple):
    id: int
    name: str
    state: str
    next_due: Date | None
    since: Date | None
    """For due and overdue: the day it was first asked for."""


class ColleagueStatus(NamedTuple):
    id: int
    name: str
    called: str
    """What messages call them ("Dana" for "Dr. Dana Okafor"): short, for the line."""
    state: str
    days_since: int | None


class Snapshot(NamedTuple):
    """Everything ``tend status`` says, read at one moment."""

    now: DateTime
    rituals: list[RitualStatus]
    colleagues: list[ColleagueStatus]
    """Everyone, most due first."""
    next_session: DateTime | None
    last_scan: DateTime | None
    waiting: list[str]
    """Short words for other things waiting for you (see :func:`waiting_words`)."""

    @property
    def rituals_due(self) -> list[RitualStatus]:
        return [r for r in self.rituals if r.state in (R_DUE, R_OVERDUE)]

    @property
    def colleagues_due(self) -> list[ColleagueStatus]:
        return [c for c in self.colleagues if c.state in ("due", "overdue")]


def waiting_words(store: Store, now: DateTime) -> list[str]:
    """Other things waiting for you, each a word or two for the line ("1 check-in"), and
    listed in the JSON under ``"waiting"``: check-ins and debrief asks from the circle not yet
    seen. The circle is read only when the person joined one."""
    if not store.settings().circle_dir:
        return []
    from app.circle import waiting_for

    count = waiting_for(store)
    return [f"{count} check-in{'s' if count != 1 else ''}"] if count else []


def gather(store: Store, now: DateTime | None = None, *, pattern: str | None = None) -> Snapshot:
    """Read what ``tend status`` shows from ``store`` (reads only). ``pattern`` is the working
    pattern of sessions in effect; None reads it as Today does (the config file's, else the
    one saved with the data)."""
    from app.next_session import upcoming

    now = pendulum.now() if now is None else now
    today = now.date()
    views = load_views(store, today, progress=False)
    rituals = [
        RitualStatus(view.id, view.record.name, ritual_state(view, today), view.next_due,
                     view.since if view.state in (DUE, OVERDUE) else None)
        for view in views
    ]  # fmt: skip
    ranked = rank_colleagues(store.all(Colleague), latest_contacts(store), now)
    colleagues = [
        ColleagueStatus(r.colleague.id or 0, r.colleague.name, call_name(r.colleague), COLLEAGUE_STATES[r.where.status], r.where.days_since)
        for r in ranked
    ]
    moments = store.moments(BodyScan, "when", recent=True)  # the latest is always among them
    last_scan = pendulum.instance(max(moments)) if moments else None
    if pattern is None:
        from app.config import load_config

        pattern = load_config().over(store.settings()).session_pattern
    return Snapshot(now, rituals, colleagues, upcoming(store, now, pattern), last_scan, waiting_words(store, now))


# --------------------------------------------------------------------------- formatting


def _iso_day(day: Date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _iso_time(moment: DateTime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def to_json(snap: Snapshot) -> dict[str, Any]:
    """The documented schema (never rename a field; add freely)."""
    return {
        "rituals": [
            {"name": r.name, "state": r.state, "next_due": _iso_day(r.next_due), "id": r.id, "since": _iso_day(r.since)}
            for r in snap.rituals
        ],
        "colleagues": [
            {"name": c.name, "state": c.state, "days_since": c.days_since, "id": c.id, "called": c.called}
            for c in snap.colleagues
        ],
        "next_session": _iso_time(snap.next_session),
        "last_scan": _iso_time(snap.last_scan),
        "now": snap.now.isoformat(),
        "waiting": list(snap.waiting),
    }


def minutes_left(snap: Snapshot) -> str:
    """Time to the next session, short: "12m", "1h05m", "" when none is set."""
    if snap.next_session is None:
        return ""
    minutes = max(int((snap.next_session - snap.now).total_seconds()) // 60, 0)  # down, as Today counts
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}m" if hours else f"{minutes}m"


def fields(snap: Snapshot, *, separator: str = " · ") -> dict[str, str]:
    """Every field ``--format`` knows, as text ("" when there is nothing to say)."""
    due, people = snap.rituals_due, snap.colleagues_due
    values = {
        "due": str(len(due)) if due else "",
        "overdue": str(sum(r.state == R_OVERDUE for r in due)) if due else "",
        "rituals": ", ".join(r.name for r in due),
        "colleague": people[0].called if people else "",
        "colleagues": ", ".join(c.called for c in people),
        "people": str(len(people)) if people else "",
        "next": snap.next_session.format("HH:mm") if snap.next_session else "",
        "left": minutes_left(snap),
        "next_session": _iso_time(snap.next_session) or "",
        "last_scan": _iso_time(snap.last_scan) or "",
        "waiting": ", ".join(snap.waiting),
    }
    values["line"] = line(snap, separator=separator)
    return {name: strip_controls(value, multiline=False) for name, value in values.items()}


FIELDS = ("due", "overdue", "rituals", "colleague", "colleagues", "people", "next", "left",
          "next_session", "last_scan", "waiting", "line")  # fmt: skip
"""The names ``--format`` takes, in the order ``tend status --help`` lists them."""


def line(snap: Snapshot, *, separator: str = " · ") -> str:
    """``2 due · Dana +1 · next 14:50 (12m)``; "" when nothing needs you."""
    parts = []
    due, people = snap.rituals_due, snap.colleagues_due
    if due:
        parts.append(f"{len(due)} due")
    if people:
        parts.append(people[0].called + (f" +{len(people) - 1}" if len(people) > 1 else ""))
    parts += snap.waiting
    if snap.next_session is not None:
        parts.append(f"next {snap.next_session.format('HH:mm')} ({minutes_left(snap)})")
    return strip_controls(separator.join(parts), multiline=False)


class FormatError(ValueError):
    """A ``--format`` that cannot be used; the message says why and what would work."""


def check_format(template: str) -> None:
    """Raise :class:`FormatError` unless ``template`` uses only plain names from :data:`FIELDS`."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as error:
        raise FormatError(f"--format could not be read ({error}). Write fields as {{due}}; a brace itself as {{{{ or }}}}.") from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in FIELDS:
            raise FormatError(f"--format: Tend knows no field {name!r}. The fields are: {', '.join(FIELDS)}.")
        if conversion or spec:
            raise FormatError(f"--format: write {{{name}}} on its own, without ! or :.")


def render(template: str, snap: Snapshot, *, separator: str = " · ") -> str:
    """``template`` with its fields filled in (checked with :func:`check_format` first)."""
    check_format(template)
    return template.format_map(fields(snap, separator=separator))


def needs_you(snap: Snapshot) -> bool:
    """True when anything is due or waiting, or a next session is set."""
    return bool(snap.rituals_due or snap.colleagues_due or snap.waiting or snap.next_session)
