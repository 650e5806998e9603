"""Rituals as stored: their status on a day, and marking them done or skipped.

This joins the stored records (:class:`~app.models.Ritual`, :class:`~app.models.RitualEntry`)
with the rules in :mod:`app.schedule` and :mod:`app.progress`. Both the rituals screen and
Today use it, so they agree on what is due and what marking one done does: one entry per
ritual per day, and a done ritual linked to colleagues logs a contact with each of them,
all in one transaction that :meth:`Marked.undo` takes back whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import pendulum
from pendulum import Date

from app.models import Colleague, Contact, Ritual, RitualEntry
from app.people import CONTACT_KINDS
from app.schedule import (
    DONE,
    DUE,
    ENDED,
    ENTRY_STATES,
    NOT_DUE,
    OVERDUE,
    SKIPPED,
    Schedule,
    ScheduleError,
    describe,
    is_flexible,
    scheduled_dates,
    status,
)
from app.textclean import clean_text

if TYPE_CHECKING:  # the store is only passed in: no import of it (or TinyDB) at run time
    from app.progress import Carried
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
    asked: int = 0
    """How many times it has asked so far: no score is shown before ``SCORE_AFTER``."""
    reading: str = ""
    """What Tend assumed to read the stored schedule (see :func:`read_schedule`), or why it
    could not read it at all (then ``schedule`` is None)."""
    paused_until: Date | None = None
    """The last day of the pause ``today`` falls in."""
    entries_from: Date | None = None
    """Set when only the entries from this day on were read (:attr:`states`, :attr:`entries`);
    the score, streak and state still count every one."""
    heatmap_from: Carried | None = None
    """What was carried to before :attr:`entries_from`, for the heatmap to go on from."""

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


def view_from_states(
    record: Ritual, states: dict[Date, str], today: Date, *, progress: bool = True, first: Date | None = None
) -> RitualView:
    """Work out the status of one ritual, and its score and streak unless ``progress`` is
    False (Today shows only what is due, and the streak is the costliest part). ``first``:
    the earliest entry, when ``states`` holds only some (see :func:`read_schedule`)."""
    schedule, reading = read_schedule(record, states, first=first)
    if schedule is None:
        return RitualView(record, None, states, reading=reading)
    view = RitualView(record, schedule, states, reading=reading)
    counted = effective_states(schedule, record, states, today, first=first)
    since = view.since_created if first is None else min(view.since_created, first)
    if progress:
        from app.progress import standing  # only here: ``tend status`` needs no scores

        found = standing(schedule, counted, today, since=since)
        now, view.score, view.streak, view.asked = found.status, found.score, found.streak, found.occasions
    else:
        now = status(schedule, counted, today, since=since)
    view.state, view.since, view.next_due = now.state, now.since, now.next_due
    pause = pause_around(record, today) if record.pauses else None
    if pause is not None:
        view.paused_until = pause[1]
        if view.state in (DUE, OVERDUE):  # an occasion left open before the pause waits
            view.state, view.since = NOT_DUE, None
            view.next_due = pause[1].add(days=1)
    return view


def view_from_carry(record: Ritual, states: dict[Date, str], today: Date, kept: KeptProgress) -> RitualView | None:
    """:func:`view_from_states` with score and streak, from the entries ``tend.json`` holds
    (``states``, as ``load_states(recent=True)`` gives them) and what a full read kept of the
    older ones; None when what was kept no longer holds for this ritual (its schedule, first
    day or pauses changed, or an entry on or before the kept day came or went)."""
    schedule, _ = read_schedule(record, states, first=kept.first)
    if schedule is None:  # shown with its stored words, no score: tend.json is enough
        return view_from_states(record, states, today) if kept.key == UNREAD else None
    if kept.key != progress_key(record):
        return None
    carried = kept.carried
    upto = carried.day if carried is not None else -1
    if carried is not None and today.toordinal() <= upto:
        return None
    if {day: state for day, state in states.items() if day.toordinal() <= upto} != kept.upto:
        return None
    view = view_from_states(record, states, today, progress=carried is None, first=kept.first)
    if carried is not None:
        from app.progress import standing_after

        counted = effective_states(schedule, record, states, today, first=kept.first)
        found = standing_after(schedule, carried, counted, today)
        view.score, view.streak, view.asked = found.score, found.streak, found.occasions
    return view


@dataclass(frozen=True)
class KeptProgress:
    """What a full read keeps of one ritual's older entries, so that later refreshes work out
    its score and streak from ``tend.json`` alone (:func:`view_from_carry`)."""

    key: str
    """The ritual's schedule, first day and pauses it was worked out with (:func:`progress_key`)."""
    upto: dict[Date, str]
    """The entries ``tend.json`` held on or before the carried day, as they were."""
    carried: Carried | None
    """What was carried; None when ``tend.json`` held every entry of it."""
    first: Date | None = None
    """The ritual's earliest entry (a schedule stored without a start counts from it)."""


UNREAD = "schedule not read"
"""The key kept for a ritual whose schedule Tend cannot read (it has no score to carry)."""


def progress_key(record: Ritual) -> str:
    """What a ritual's carried score and streak depend on besides its entries (its schedule as
    stored, the day it was made, its pauses), as one string: kept in memory after a full read
    and in ``history/rituals-carried.json`` (:mod:`app.carried_years`)."""
    pauses = [[str(day) for day in span] for span in record.pauses]
    return json.dumps([record.schedule, str(record.created), pauses], sort_keys=True, default=str)


def keep_progress(record: Ritual, every: dict[Date, str], recent: dict[Date, str], today: Date) -> KeptProgress | None:
    """From a full read (``every`` entry of the ritual, and the ``recent`` ones ``tend.json``
    holds), what later refreshes need (see :class:`KeptProgress`); None when nothing can be
    carried for it (see :func:`app.schedule.split_point`): the list is then read in full each
    time, as before."""
    schedule, _ = read_schedule(record, every)
    if schedule is None:
        return KeptProgress(UNREAD, {}, None)
    key, first = progress_key(record), min(every) if every else None
    older = [day for day, state in every.items() if recent.get(day) != state]
    if not older:
        return KeptProgress(key, {}, None, first)
    last = max(older)
    if last >= today:
        return None
    from app.progress import carry

    counted = effective_states(schedule, record, every, today)
    carried = carry(schedule, {day: state for day, state in counted.items() if day <= last}, last, since=record.created.date())
    if carried is None:
        return None
    return KeptProgress(key, {day: state for day, state in recent.items() if day <= last}, carried, first)


def load_states(store: Store, *, recent: bool = False, among: Mapping[str, Any] | None = None) -> dict[int, dict[Date, str]]:
    """What was logged for every ritual, day by day, read straight from the stored fields.
    ``recent``: only what a status needs, never reading older history (see
    :meth:`app.storage.Store.columns`): enough for ``state``, ``since`` and ``next_due``,
    not for a score or a streak. ``among``: these stored entries (every one, as
    :meth:`app.storage.Store.read_older` gives them in a worker thread).

    Three years of a dozen rituals is thousands of entries; lists and Today need only the
    day and the state of each, so no entry record is built (that took 30 ms and a few MB).
    Entries that do not fit (hand-edited, say) are left out, as :meth:`Store.all` would.
    """
    states: dict[int, dict[Date, str]] = {}
    from_iso = Date.fromisoformat
    days: dict[str, Date] = {}  # rituals share days: each day's text is read once
    for ritual_id, day, state in store.columns(RitualEntry, "ritual_id", "day", "status", recent=recent, among=among):
        if state not in ENTRY_STATES or type(ritual_id) is not int or type(day) is not str:
            continue
        when = days.get(day)
        if when is None:
            try:
                when = days[day] = from_iso(day)
            except ValueError:
                continue
        states.setdefault(ritual_id, {})[when] = state
    return states


def load_lists(
    store: Store,
    today: Date,
    *,
    archived: bool = False,
    rituals: list[Ritual] | None = None,
    progress: bool = True,
    among: Mapping[str, Any] | None = None,
    kept: KeptViews | None = None,
) -> tuple[list[RitualView], list[RitualView]]:
    """The active rituals and (with ``archived``) the archived ones, each by name, from one
    read of the entries. ``rituals``: the records, if the caller has them; ``progress`` False:
    no score or streak, so no history file is read; ``among`` as for :func:`load_states`;
    ``kept``: the views of the caller's last call, so only what changed is worked out again."""
    states = load_states(store, recent=not progress, among=among)
    records = store.all(Ritual) if rituals is None else rituals
    work_out = view_from_states if kept is None else kept.view
    active: list[RitualView] = []
    resting: list[RitualView] = []
    for record in records:
        if archived or not record.archived:
            view = work_out(record, states.get(record.id or 0, {}), today, progress=progress)
            (resting if record.archived else active).append(view)
    by_name = lambda v: (v.record.name.casefold(), v.id)  # noqa: E731 - one key, two sorts
    return sorted(active, key=by_name), sorted(resting, key=by_name)


def lists_from_kept(
    store: Store,
    today: Date,
    kept: Mapping[int, KeptProgress | None],
    *,
    archived: bool = False,
    recent: dict[int, dict[Date, str]] | None = None,
    rituals: list[Ritual] | None = None,
    every: dict[int, dict[Date, str]] | None = None,
) -> tuple[list[RitualView], list[RitualView]] | None:
    """:func:`load_lists` with scores and streaks from ``tend.json`` alone and what a full read
    kept (:func:`keep_progress`, by ritual id); None when that no longer holds for some ritual
    (then read in full). A ritual made since has every entry in ``tend.json``. In the full read
    itself, ``recent`` and ``rituals`` are what it took from ``tend.json`` and ``every`` all
    the entries, for a ritual whose progress could not be kept (so the store is not read)."""
    states = load_states(store, recent=True) if recent is None else recent
    active: list[RitualView] = []
    resting: list[RitualView] = []
    for record in store.all(Ritual) if rituals is None else rituals:
        if not archived and record.archived:
            continue
        rid = record.id or 0
        if rid in kept:
            progress = kept[rid]
            view = view_from_carry(record, states.get(rid, {}), today, progress) if progress is not None else None
            if view is None and every is not None:
                view = view_from_states(record, every.get(rid, {}), today)
            if view is None:
                return None
        else:
            view = view_from_states(record, states.get(rid, {}), today)
        (resting if record.archived else active).append(view)
    by_name = lambda v: (v.record.name.casefold(), v.id)  # noqa: E731 - one key, two sorts
    return sorted(active, key=by_name), sorted(resting, key=by_name)


def load_views(
    store: Store,
    today: Date,
    *,
    rituals: list[Ritual] | None = None,
    progress: bool = True,
    among: Mapping[str, Any] | None = None,
    kept: KeptViews | None = None,
) -> list[RitualView]:
    """Every active ritual, by name (see :func:`load_lists`)."""
    return load_lists(store, today, rituals=rituals, progress=progress, among=among, kept=kept)[0]


class KeptViews:
    """The rituals' views as a screen last worked them out, so that its next refresh works out
    again only a ritual whose schedule, first day, pauses or entries changed, and every one
    on another day: Today refreshes after each save (a ritual marked done is one status to
    work out again, not one per ritual: 96 of them at ``make_data.py --scale 8``).

    Of the record, :func:`view_from_states` reads only what :func:`progress_key` holds (the
    schedule as stored, the day it was made, the pauses), so a view kept for the same key,
    entries, day and ``progress`` is the view it would give; it is handed out with the
    record and entries as they are now (a new name shows at once)."""

    def __init__(self) -> None:
        self._kept: dict[int, tuple[str, dict[Date, str], Date, bool, RitualView]] = {}

    def view(self, record: Ritual, states: dict[Date, str], today: Date, *, progress: bool = True) -> RitualView:
        """:func:`view_from_states` of these (its ``first`` left out), kept for next time."""
        key, ritual_id = progress_key(record), record.id or 0
        kept = self._kept.get(ritual_id)
        if kept is None or kept[0] != key or kept[2] != today or kept[3] != progress or kept[1] != states:
            kept = self._kept[ritual_id] = (key, dict(states), today, progress, view_from_states(record, states, today, progress=progress))
        return replace(kept[4], record=record, states=states)


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
    if view.record.archived:
        return "archived"
    if view.paused_until is not None:
        return f"paused until {view.paused_until.format('D MMM' if view.paused_until.year == today.year else 'D MMM YYYY')}"
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
        when = day_words(self.day, pendulum.today().date())
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


# --------------------------------------------------------------------------- reading a stored schedule


def read_schedule(record: Ritual, states: dict[Date, str] | None = None, *, first: Date | None = None) -> tuple[Schedule | None, str]:
    """The ritual's schedule, and a note when Tend had to assume something to read it.

    "Every 2nd Tuesday" (or every 14 days from a start) stored with no start date cannot say
    which weeks count. Tend counts them from the ritual's first day: the day it was made, or
    its earliest entry if that is older (the day :mod:`app.schedule` begins on anyway), and
    says so. Anything else that does not fit gives ``(None, why)``: the stored data is kept as
    it is, and :func:`stored_words` shows it. ``first``: the earliest entry, when ``states``
    holds only some of them.
    """
    try:
        return Schedule.from_dict(record.schedule), ""
    except ScheduleError as error:
        why = str(error)
    data = record.schedule
    if isinstance(data, dict) and not data.get("start") and "start date" in why:
        first = _first_day(record, states, first)
        try:
            schedule = Schedule.from_dict({**data, "start": first.isoformat()})
        except ScheduleError:
            return None, why
        return schedule, f"weeks counted from its first day, {first.day} {_MONTHS[first.month - 1]} {first.year}"
    return None, why


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""English month names for :func:`read_schedule`'s note, as pendulum's ``MMM`` writes them:
its formatter loads a locale (several modules) on first use, which ``tend status`` would pay
for on every run for a note it never shows."""


def stored_words(data: object) -> str:
    """What is stored as a schedule, in words where Tend can find them, for the editor to open
    with (never a default that saving would quietly turn into something else)."""
    if not isinstance(data, dict):
        return clean_text(str(data), limit=200)
    try:
        return describe(Schedule.from_dict({**data, "start": data.get("start") or "2000-01-03"}))
    except (ScheduleError, TypeError, ValueError):
        pass
    parts = [f"{key}: {value}" for key, value in data.items() if key not in ("start", "end")]
    return clean_text(", ".join(parts), limit=200)


def unreadable_rituals(store: Store) -> list[tuple[Ritual, str]]:
    """Rituals whose schedule Tend cannot read as stored, with why (for ``tend doctor``);
    those read by counting from their first day are named too, as that is a guess."""
    out: list[tuple[Ritual, str]] = []
    for record in store.all(Ritual):
        try:
            Schedule.from_dict(record.schedule)
        except ScheduleError as error:
            schedule, note = read_schedule(record)
            out.append((record, f"{error!s} Tend reads it as {describe(schedule)}, {note}." if schedule else str(error)))
    return out


# --------------------------------------------------------------------------- pauses and archive

ACTIVE = "active"
PAUSED = "paused"
ARCHIVED = "archived"
PAUSE_MAX_DAYS = 3 * 366
"""The longest pause (parental leave can be long; a pause of many years is a typo)."""


def pause_spans(record: Ritual) -> list[tuple[Date, Date]]:
    """The ritual's pauses as ``(first day, last day)``, oldest first; a stored pair that does
    not fit (not two days, the end before the start, longer than :data:`PAUSE_MAX_DAYS`) is
    left out rather than trusted."""
    spans = []
    for pair in record.pauses:
        if isinstance(pair, list) and len(pair) == 2 and all(isinstance(day, Date) for day in pair):
            first, last = pair
            if first <= last and (last - first).days <= PAUSE_MAX_DAYS:
                spans.append((first, last))
    return sorted(spans)


def paused_on(record: Ritual, day: Date) -> bool:
    """True when ``day`` falls in one of the ritual's pauses."""
    return any(first <= day <= last for first, last in pause_spans(record))


def pause_around(record: Ritual, day: Date) -> tuple[Date, Date] | None:
    """The pause ``day`` falls in, or None."""
    return next(((first, last) for first, last in pause_spans(record) if first <= day <= last), None)


def ritual_state(record: Ritual, day: Date) -> str:
    """``"archived"``, ``"paused"`` (on ``day``) or ``"active"``: what ``tend status`` reports."""
    if record.archived:
        return ARCHIVED
    return PAUSED if paused_on(record, day) else ACTIVE


def paused_days(record: Ritual, states: dict[Date, str], first: Date, last: Date) -> set[Date]:
    """Days in ``[first, last]`` inside a pause with nothing logged (logged days keep what was
    logged: a supervision kept during leave still counts)."""
    out: set[Date] = set()
    for start, end in pause_spans(record):
        day, stop = max(start, first), min(end, last)
        while day <= stop:
            if day not in states:
                out.add(day)
            day = day.add(days=1)
    return out


def _first_day(record: Ritual, states: Mapping[Date, str] | None, first: Date | None = None) -> Date:
    """The ritual's first day: the day it was made, or its earliest entry if older (``first``:
    the earliest of those not in ``states``, if known)."""
    days = [record.created.date(), *([min(states)] if states else []), *([first] if first else [])]
    return min(days)


def effective_states(
    schedule: Schedule, record: Ritual, states: dict[Date, str], today: Date, *, first: Date | None = None
) -> dict[Date, str]:
    """The logged states with every paused occasion up to ``today`` counted as skipped.

    A skip is exactly what a pause means to the rules (:mod:`app.schedule`): neither due nor
    missed, the streak stepped over, the score left where it is. Calendar kinds get a skip on
    each of their dates in the pause only (a skip between dates would settle the next date
    early); the flexible kinds on every paused day, so the count starts again after the
    pause. Nothing before the ritual's first day is added, so its history does not grow.
    ``first`` as for :func:`read_schedule`.
    """
    if not record.pauses:
        return states
    days = paused_days(record, states, _first_day(record, states, first), today)
    if not days:
        return states
    if not is_flexible(schedule):
        lo, hi = min(days), max(days)
        days &= set(scheduled_dates(schedule, lo, hi))
    out = dict(states)
    for day in days:
        out[day] = SKIPPED
    return out


# --------------------------------------------------------------------------- linked rituals


def tick_linked_rituals(store: Store, colleague_id: int, kind: str, day: Date) -> list[RitualEntry]:
    """Mark done, on ``day``, every ritual linked to the colleague whose contact kind is
    ``kind`` (a check-in "message", say), and return the entries made or changed.

    Call it where a contact of that kind is logged, inside the same ``store.transaction()``
    as the contact, so both are saved or neither. It logs no contact itself (the caller just
    did; :func:`mark_ritual` would log a second one). A ritual already done that day is left
    as it is (never ticked twice); one skipped that day becomes done. Archived rituals and
    rituals of another kind are left alone; so are rituals on a pause that day, unless done.
    """
    ticked: list[RitualEntry] = []
    with store.transaction():
        colleague = store.get(Colleague, colleague_id)
        if colleague is None:
            return ticked
        for ritual in store.all(Ritual):
            if ritual.archived or colleague_id not in ritual.colleague_ids or contact_kind(ritual, colleague) != kind:
                continue
            previous = next(iter(store.find(RitualEntry, ritual_id=ritual.id, day=day)), None)
            if previous is None:
                ticked.append(store.add(RitualEntry(ritual_id=ritual.id or 0, day=day, status=DONE)))
            elif previous.status != DONE:
                ticked.append(store.update(replace(previous, status=DONE)))
    return ticked


# --------------------------------------------------------------------------- correcting the past

MARK_DAYS_BACK = 366
"""How far back a day can be marked from the list or the detail: a year (and a day). Older
is nearly always a typo for this year's date; the message says so."""


def too_far_back(day: Date, today: Date) -> str | None:
    """Why ``day`` cannot be marked (a day more than a year ago), or None when it can."""
    if (today - day).days > MARK_DAYS_BACK:
        return f"{day.format('D MMM YYYY')} is more than a year ago. Check the year? Tend keeps corrections to the past year."
    return None


BEFORE_GRACE_DAYS = 7
"""Days before a ritual was made that are marked without a question (it is often added
after being kept for a few days)."""


def before_it_began(record: Ritual, day: Date) -> bool:
    """True when ``day`` comes more than :data:`BEFORE_GRACE_DAYS` before the ritual was made:
    worth a question, not a refusal (it may have been kept for weeks before it was added)."""
    return (record.created.date() - day).days > BEFORE_GRACE_DAYS


@dataclass
class Cleared:
    """A day set back to nothing by :func:`clear_ritual_day`, so it can be undone."""

    entry: RitualEntry

    def undo(self, store: Store) -> None:
        store.restore(self.entry)


def clear_ritual_day(store: Store, ritual_id: int, day: Date) -> Cleared | None:
    """Set ``day`` back to nothing logged; None when nothing was logged that day. Contacts it
    logged with colleagues stay: the meeting may well have happened."""
    with store.transaction():
        entry = next(iter(store.find(RitualEntry, ritual_id=ritual_id, day=day)), None)
        if entry is None:
            return None
        store.remove(RitualEntry, entry.id or 0)
    return Cleared(entry)


def day_words(day: Date, today: Date) -> str:
    """A day for a message: "today", "Mon 23 Nov", or "Fri 28 Nov 2025" in another year."""
    if day == today:
        return "today"
    return day.format("ddd D MMM" if day.year == today.year else "ddd D MMM YYYY")


def add_pause(store: Store, ritual_id: int, first: Date, last: Date) -> tuple[Ritual, Ritual] | None:
    """Pause a ritual from ``first`` to ``last`` (both kept, inclusive); returns the record
    before and after (for undo), None if it was removed meanwhile."""
    if last < first:
        raise ValueError("A pause ends on or after the day it starts.")
    with store.transaction():
        record = store.get(Ritual, ritual_id)
        if record is None:
            return None
        saved = store.update(replace(record, pauses=[*record.pauses, [first, last]]))
    return record, saved


def end_pause(store: Store, ritual_id: int, today: Date) -> tuple[Ritual, Ritual] | None:
    """End the pause ``today`` falls in: it then ran until yesterday (or is gone, if it had
    not begun before today). Returns the record before and after, None if not paused."""
    with store.transaction():
        record = store.get(Ritual, ritual_id)
        if record is None or pause_around(record, today) is None:
            return None
        kept: list[list[Date]] = []
        for pair in record.pauses:
            inside = isinstance(pair, list) and len(pair) == 2 and all(isinstance(d, Date) for d in pair) and pair[0] <= today <= pair[1]
            if not inside:
                kept.append(pair)
            elif pair[0] < today:
                kept.append([pair[0], today.subtract(days=1)])
        saved = store.update(replace(record, pauses=kept))
    return record, saved


def set_archived(store: Store, ritual_id: int, archived: bool) -> tuple[Ritual, Ritual] | None:
    """Archive a ritual (it leaves the lists and Today; its history stays) or restore it."""
    with store.transaction():
        record = store.get(Ritual, ritual_id)
        if record is None:
            return None
        saved = store.update(replace(record, archived=archived))
    return record, saved
