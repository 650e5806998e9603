"""Rituals as stored: their status on a day, and marking them done or skipped.

This joins the stored records (:class:`~app.models.Ritual`, :class:`~app.models.RitualEntry`)
with the rules in :mod:`app.schedule` and :mod:`app.progress`. Both the rituals screen and
Today use it, so they agree on what is due and what marking one done does: one entry per
ritual per day, and a done ritual linked to colleagues logs a contact with each of them,
all in one transaction that :meth:`Marked.undo` takes back whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import pendulum
from pendulum import Date

from app.models import Colleague, Contact, Ritual, RitualEntry
from app.people import CONTACT_KINDS
from app.schedule import DUE, ENDED, ENTRY_STATES, OVERDUE, Schedule, ScheduleError, status

if TYPE_CHECKING:  # the store is only passed in: no import of it (or TinyDB) at run time
    from app.storage import Store

ROLE_KINDS = {"supervisor": "supervision", "consultation": "consultation", "mentor": "call"}
"""The contact logged for a linked colleague when the ritual does not name a kind."""


@dataclass
class RitualView:
    """One ritual with what the screen shows about it on ``today``."""

    record: Ritual
    schedule: Schedule | None
    states: dict[Date, str] = field(default_factory=dict)
    """What was logged, day by day: "done" or "skipped"."""
    entries: dict[Date, RitualEntry] = field(default_factory=dict)
    """The entries themselves (with their notes): filled only for a view of one ritual
    (:func:`build_view`), since lists need only :attr:`states`."""
    state: str = ENDED
    since: Date | None = None
    next_due: Date | None = None
    score: int = 0
    streak: int = 0

    @property
    def id(self) -> int:
        return self.record.id or 0

    @property
    def since_created(self) -> Date:
        return self.record.created.date()


def build_view(record: Ritual, entries: list[RitualEntry], today: Date, *, progress: bool = True) -> RitualView:
    """One ritual's view with its entries (for its details)."""
    by_day = {entry.day: entry for entry in entries}
    states = {day: entry.status for day, entry in by_day.items() if entry.status in ENTRY_STATES}
    view = view_from_states(record, states, today, progress=progress)
    view.entries = by_day
    return view


def view_from_states(record: Ritual, states: dict[Date, str], today: Date, *, progress: bool = True) -> RitualView:
    """Work out the status of one ritual, and its score and streak unless ``progress`` is
    False (Today shows only what is due, and the streak is the costliest part)."""
    try:
        schedule = Schedule.from_dict(record.schedule)
    except ScheduleError:
        return RitualView(record, None, states)
    view = RitualView(record, schedule, states)
    if progress:
        from app.progress import standing  # only here: ``tend status`` needs no scores

        found = standing(schedule, states, today, since=view.since_created)
        now, view.score, view.streak = found.status, found.score, found.streak
    else:
        now = status(schedule, states, today, since=view.since_created)
    view.state, view.since, view.next_due = now.state, now.since, now.next_due
    return view


def load_states(store: Store) -> dict[int, dict[Date, str]]:
    """What was logged for every ritual, day by day, read straight from the stored fields.

    Three years of a dozen rituals is thousands of entries; lists and Today need only the
    day and the state of each, so no entry record is built (that took 30 ms and a few MB).
    Entries that do not fit (hand-edited, say) are left out, as :meth:`Store.all` would.
    """
    states: dict[int, dict[Date, str]] = {}
    from_iso = Date.fromisoformat
    for ritual_id, day, state in store.columns(RitualEntry, "ritual_id", "day", "status"):
        if state not in ENTRY_STATES or type(ritual_id) is not int or type(day) is not str:
            continue
        try:
            when = from_iso(day)
        except ValueError:
            continue
        states.setdefault(ritual_id, {})[when] = state
    return states


def load_views(store: Store, today: Date, *, rituals: list[Ritual] | None = None, progress: bool = True) -> list[RitualView]:
    """Every active ritual, by name (``rituals``: the records, if the caller has them)."""
    states = load_states(store)
    records = store.all(Ritual) if rituals is None else rituals
    views = [view_from_states(r, states.get(r.id or 0, {}), today, progress=progress) for r in records if not r.archived]
    return sorted(views, key=lambda v: (v.record.name.casefold(), v.id))


def load_view(store: Store, ritual_id: int, today: Date) -> RitualView | None:
    """A fresh view of one ritual, with its entries; None if it was removed."""
    record = store.get(Ritual, ritual_id)
    if record is None:
        return None
    return build_view(record, store.find(RitualEntry, ritual_id=ritual_id), today)


def when_words(view: RitualView, today: Date) -> str:
    """The next due date in pendulum's human form: "today", "in 3 days", "since Monday"."""
    if view.schedule is None:
        return "schedule unclear"
    if view.state == DUE:
        return "due today"
    if view.state == OVERDUE and view.since is not None:
        gap = (today - view.since).days
        if gap == 1:
            return "due yesterday"
        if gap < 7:
            return f"due since {view.since.format('ddd')}"
        return f"since {view.since.format('D MMM')}"
    if view.next_due is None:
        return "finished"
    gap = (view.next_due - today).days
    if gap == 1:
        return "tomorrow"
    return "in " + view.next_due.diff_for_humans(today).removesuffix(" after")


def due_now(views: list[RitualView]) -> list[RitualView]:
    """Rituals due today or overdue, the longest waiting first."""
    due = [view for view in views if view.state in (DUE, OVERDUE)]
    return sorted(due, key=lambda v: (v.state != OVERDUE, v.since or pendulum.Date.max, v.record.name.casefold()))


def contact_kind(ritual: Ritual, colleague: Colleague) -> str:
    """The kind of contact to log with a linked colleague when the ritual is done."""
    known = {key for key, _ in CONTACT_KINDS}
    if ritual.contact_kind in known:
        return ritual.contact_kind
    return ROLE_KINDS.get(colleague.role, "other")


class AlreadyMarked(Exception):
    """The ritual already has that mark on that day (and no new note was given)."""


@dataclass
class Marked:
    """What :func:`mark_ritual` changed, so it can be told and undone."""

    ritual: Ritual
    day: Date
    state: str
    entry: RitualEntry
    previous: RitualEntry | None
    contacts: list[Contact] = field(default_factory=list)

    def undo(self, store: Store) -> None:
        """Take the change back: the logged contacts too."""
        with store.transaction():
            for contact in self.contacts:
                store.remove(Contact, contact.id or 0)
            if self.previous is not None:
                store.update(self.previous, base=self.entry)  # this change only: others' stay
            else:
                store.remove(RitualEntry, self.entry.id or 0)

    def message(self, names: Callable[[list[int]], list[str]]) -> str:
        """What to tell the person, e.g. "Done for today. Logged with Ann too."."""
        when = "today" if self.day == pendulum.today().date() else self.day.format("ddd D MMM")
        text = f"Done for {when}." if self.state == "done" else f"Skipped for {when}. Your streak is safe."
        if self.contacts:
            text += f" Logged with {', '.join(names([c.colleague_id for c in self.contacts]))} too."
        return text


def mark_ritual(store: Store, ritual_id: int, day: Date, state: str, note: str = "") -> Marked | None:
    """Record ``state`` ("done" or "skipped") for a ritual on ``day``, in one transaction.

    Returns None when the ritual no longer exists; raises :class:`AlreadyMarked` when the day
    already has that state and no note was given.
    """
    with store.transaction():
        ritual = store.get(Ritual, ritual_id)
        if ritual is None:
            return None
        previous = next(iter(store.find(RitualEntry, ritual_id=ritual_id, day=day)), None)
        if previous is not None and previous.status == state and not note:
            raise AlreadyMarked(state)
        if previous is not None:
            entry = store.update(replace(previous, status=state, note=note or previous.note))
        else:
            entry = store.add(RitualEntry(ritual_id=ritual_id, day=day, status=state, note=note))
        contacts: list[Contact] = []
        if state == "done" and (previous is None or previous.status != "done"):
            contacts = _log_contacts(store, ritual, day)
    return Marked(ritual, day, state, entry, previous, contacts)


def _log_contacts(store: Store, ritual: Ritual, day: Date) -> list[Contact]:
    today = pendulum.today().date()
    moment = pendulum.now() if day == today else pendulum.datetime(day.year, day.month, day.day, 12, tz=pendulum.local_timezone())
    logged = []
    for colleague_id in ritual.colleague_ids:
        colleague = store.get(Colleague, colleague_id)
        if colleague is None:
            continue
        logged.append(store.add(Contact(colleague_id=colleague_id, when=moment, kind=contact_kind(ritual, colleague), note=ritual.name)))
    return logged
