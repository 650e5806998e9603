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
from typing import Any

import pendulum
from pendulum import Date

from app.models import Colleague, Contact, Ritual, RitualEntry
from app.people import CONTACT_KINDS
from app.progress import standing
from app.schedule import DUE, ENDED, OVERDUE, Schedule, ScheduleError, status

ROLE_KINDS = {"supervisor": "supervision", "consultation": "consultation", "mentor": "call"}
"""The contact logged for a linked colleague when the ritual does not name a kind."""


@dataclass
class RitualView:
    """One ritual with what the screen shows about it on ``today``."""

    record: Ritual
    schedule: Schedule | None
    entries: dict[Date, RitualEntry] = field(default_factory=dict)
    state: str = ENDED
    since: Date | None = None
    next_due: Date | None = None
    score: int = 0
    streak: int = 0

    @property
    def id(self) -> int:
        return self.record.id or 0

    @property
    def states(self) -> dict[Date, str]:
        return {day: entry.status for day, entry in self.entries.items() if entry.status in ("done", "skipped")}

    @property
    def since_created(self) -> Date:
        return self.record.created.date()


def build_view(record: Ritual, entries: list[RitualEntry], today: Date, *, progress: bool = True) -> RitualView:
    """Work out the status of one ritual, and its score and streak unless ``progress`` is
    False (Today shows only what is due, and the streak is the costliest part)."""
    by_day = {entry.day: entry for entry in entries}
    try:
        schedule = Schedule.from_dict(record.schedule)
    except ScheduleError:
        return RitualView(record, None, by_day)
    view = RitualView(record, schedule, by_day)
    states, since = view.states, view.since_created
    if progress:
        found = standing(schedule, states, today, since=since)
        now, view.score, view.streak = found.status, found.score, found.streak
    else:
        now = status(schedule, states, today, since=since)
    view.state, view.since, view.next_due = now.state, now.since, now.next_due
    return view


def load_views(store: Any, today: Date, *, rituals: list[Ritual] | None = None, progress: bool = True) -> list[RitualView]:
    """Every active ritual, by name (``rituals``: the records, if the caller has them)."""
    entries: dict[int, list[RitualEntry]] = {}
    for entry in store.all(RitualEntry):
        entries.setdefault(entry.ritual_id, []).append(entry)
    records = store.all(Ritual) if rituals is None else rituals
    views = [build_view(r, entries.get(r.id or 0, []), today, progress=progress) for r in records if not r.archived]
    return sorted(views, key=lambda v: (v.record.name.casefold(), v.id))


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

    def undo(self, store: Any) -> None:
        """Take the change back: the logged contacts too."""
        with store.transaction():
            for contact in self.contacts:
                store.remove(Contact, contact.id or 0)
            if self.previous is not None:
                store.update(self.previous)
            else:
                store.remove(RitualEntry, self.entry.id or 0)

    def message(self, names: Callable[[list[int]], list[str]]) -> str:
        """What to tell the person, e.g. "Done for today. Logged with Ann too."."""
        when = "today" if self.day == pendulum.today().date() else self.day.format("ddd D MMM")
        text = f"Done for {when}." if self.state == "done" else f"Skipped for {when}. Your streak is safe."
        if self.contacts:
            text += f" Logged with {', '.join(names([c.colleague_id for c in self.contacts]))} too."
        return text


def mark_ritual(store: Any, ritual_id: int, day: Date, state: str, note: str = "") -> Marked | None:
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


def _log_contacts(store: Any, ritual: Ritual, day: Date) -> list[Contact]:
    today = pendulum.today().date()
    moment = pendulum.now() if day == today else pendulum.datetime(day.year, day.month, day.day, 12, tz=pendulum.local_timezone())
    logged = []
    for colleague_id in ritual.colleague_ids:
        colleague = store.get(Colleague, colleague_id)
        if colleague is None:
            continue
        logged.append(store.add(Contact(colleague_id=colleague_id, when=moment, kind=contact_kind(ritual, colleague), note=ritual.name)))
    return logged
