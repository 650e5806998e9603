"""Quick actions from the shell: ``tend done``, ``skip``, ``log``, ``next`` and ``undo``.

Plain Python, no Textual. Each action uses the same domain function as the screen that does
the same thing (:func:`app.rituals.mark_ritual`, so a done ritual logs a contact with its
linked colleagues; a :class:`~app.models.Contact` added as the colleagues screen adds one;
:func:`app.next_session.set_next`, as ``n`` on Today), the same store and lock, and the same
cleaning of text (the store cleans every record it saves; what is typed is read by
:mod:`app.when` and :mod:`app.breaks`, which clean it first).

**Undo.** Each action saves, in the same transaction as the change, a small record of how to
take it back: the draft :data:`UNDO_KEY` (``store.draft("quick_undo")``), holding the ids the
action made and the entry as it was before. ``tend undo`` takes back that one action (the
last quick action, from any shell) and clears the record, in one transaction; a second
``tend undo`` has nothing to undo. If what the action made was changed or removed since (in
the app, say), the undo takes back what it still can and says so.

**Names** (:func:`match`): case does not matter, and any unique beginning of a name will do
(a colleague's call name counts too, so "dana" finds "Dr. Dana Okafor"). A name typed in full
wins over longer names it begins ("Walk" over "Walk at lunch"). When no name begins with what
was typed, the beginning of a later word will do ("lunch" finds "Walk at lunch", "okafor" finds
"Dr. Dana Okafor"): people remember a surname or the word that matters. An unknown or
ambiguous name raises :class:`Unmatched`, which lists the candidates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pendulum
from pendulum import Date, DateTime

from app.models import Colleague, Contact, Ritual, RitualEntry
from app.people import CONTACT_KINDS, call_name, kind_label
from app.textclean import clean_text

if TYPE_CHECKING:  # the store is only passed in
    from app.storage import Store

UNDO_KEY = "quick_undo"


# --------------------------------------------------------------------------- names


class Unmatched(ValueError):
    """A name that fits no one, or more than one; ``str()`` says so, ``candidates`` lists them."""

    def __init__(self, message: str, candidates: list[str]) -> None:
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    also: tuple[str, ...] = ()
    """Other names that find them (a colleague's call name)."""


def _key(text: str) -> str:
    return " ".join(clean_text(text).casefold().split())


def _later_word_begins(name: str, wanted: str) -> bool:
    """True when ``wanted`` begins at the start of a word of ``name`` after its first."""
    words = name.split(" ")
    return any(" ".join(words[i:]).startswith(wanted) for i in range(1, len(words)))


def match(typed: str, candidates: Sequence[Candidate], what: str, *, archived: Sequence[Candidate] = ()) -> Candidate:
    """The one candidate ``typed`` names (see the module's docstring); :class:`Unmatched` if none or several.
    ``archived``: those set aside; one named in full is said to be archived, never taken for
    a longer name it begins ("Tea" archived is not "Tea time")."""
    wanted = _key(typed)
    if not wanted:
        raise Unmatched(f"Which {what}? Give a name.", sorted(c.name for c in candidates))
    exact = [c for c in candidates if wanted in (_key(name) for name in (c.name, *c.also))]
    if len(exact) > 1:  # "Walk" and "walk": the one written as typed
        written = " ".join(clean_text(typed).split())
        exact = [c for c in exact if written in (" ".join(name.split()) for name in (c.name, *c.also))] or exact
    if len(exact) == 1:
        return exact[0]
    shown = clean_text(typed, limit=40)
    resting = [c.name for c in archived if wanted in (_key(name) for name in (c.name, *c.also))]
    if not exact and resting:
        raise Unmatched(f"{resting[0]!r} is archived, so Tend leaves it be. In Tend, v lists the archived and z "
                        f"brings one back. The {what}s in use are:", sorted(c.name for c in candidates))
    found = exact or [c for c in candidates if any(_key(name).startswith(wanted) for name in (c.name, *c.also))]
    found = found or [c for c in candidates if any(_later_word_begins(_key(name), wanted) for name in (c.name, *c.also))]
    if len(found) == 1:
        return found[0]
    if found:
        raise Unmatched(f"{shown!r} could be more than one {what}:", sorted(c.name for c in found))
    every = sorted(c.name for c in candidates)
    if not every:
        raise Unmatched(f"There is no {what} here yet.", [])
    raise Unmatched(f"Tend knows no {what} called {shown!r}. The {what}s are:", every)


def ritual_candidates(store: Store, *, archived: bool = False) -> list[Candidate]:
    """Every ritual that is not set aside (``archived``: those that are)."""
    return [Candidate(r.id or 0, r.name) for r in store.all(Ritual) if r.archived == archived]


def colleague_candidates(store: Store, *, archived: bool = False) -> list[Candidate]:
    """Every colleague who has not moved on (``archived``: those who have)."""
    colleagues = [c for c in store.all(Colleague) if bool(getattr(c, "archived", False)) == archived]
    return [Candidate(c.id or 0, c.name, (call_name(c),)) for c in colleagues]


# --------------------------------------------------------------------------- the actions


def _when_words(day: Date) -> str:
    today = pendulum.today().date()
    if day == today:
        return "today"
    if day == today.subtract(days=1):
        return "yesterday"
    return day.format("ddd D MMM YYYY" if day.year != today.year else "ddd D MMM")


def _entry_doc(entry: RitualEntry | None) -> dict[str, Any] | None:
    return None if entry is None else {"id": entry.id, "doc": entry.to_doc()}


def mark(store: Store, ritual: Candidate, day: Date, state: str, note: str = "") -> str:
    """Mark a ritual done or skipped on ``day`` (as the rituals screen does) and remember how
    to undo it. Returns the sentence to print."""
    from app.rituals import AlreadyMarked, before_it_began, mark_ritual

    when = _when_words(day)
    with store.transaction():
        try:
            marked = mark_ritual(store, ritual.id, day, state, note)
        except AlreadyMarked:
            return f"{ritual.name} was already marked {state} for {when}; nothing changed."
        if marked is None:
            return f"{ritual.name} was removed meanwhile; nothing changed."
        names = [c.name for c in (store.get(Colleague, contact.colleague_id) for contact in marked.contacts) if c]
        if state == "done":
            said = f"{marked.ritual.name} done for {when}" + (f", logged with {_and(names)} too." if names else ".")
            if before_it_began(marked.ritual, day):  # the rituals screen asks first; here it is said
                added = _when_words(marked.ritual.created.date())
                said += (f" It was added {added if added in ('today', 'yesterday') else 'on ' + added}, after that"
                         " day; 'tend undo' takes it back if the day was a slip.")
        else:
            why = f" ({marked.entry.note})" if note else ""
            said = f"{marked.ritual.name} skipped for {when}{why}; your streak is safe."
        previous = marked.previous.status if marked.previous is not None else state
        if previous != state:  # said, never silent: a done turned into a skip, or back
            said += f" It was marked {previous} before; 'tend undo' puts that back."
        store.save_draft(UNDO_KEY, {
            "action": "mark", "said": said, "undone": f"Undone: {marked.ritual.name} {state} for {when}.",
            "day": day.isoformat(), "state": state,
            "entry": _entry_doc(marked.entry), "previous": _entry_doc(marked.previous),
            "contacts": [contact.id for contact in marked.contacts],
        })  # fmt: skip
    return said


def _and(names: Iterable[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def default_kind(colleague: Colleague) -> str:
    """The kind of contact most likely with this person (as the log dialog starts with)."""
    return {"supervisor": "supervision", "consultation": "consultation"}.get(colleague.role, "message")


KIND_WORDS = {key: key for key, _ in CONTACT_KINDS} | {label.casefold(): key for key, label in CONTACT_KINDS} | {
    "walk": "coffee", "coffee/walk": "coffee", "coffee / walk": "coffee",
}  # fmt: skip
"""What ``--kind`` takes: each kind's key or label, and "walk"."""


def read_kind(text: str) -> str:
    """The contact kind for what was typed; :class:`Unmatched` (with the kinds) otherwise."""
    key = KIND_WORDS.get(_key(text))
    if key is None:
        raise Unmatched(f"Tend knows no kind of contact called {clean_text(text, limit=40)!r}. The kinds are:",
                        [k for k, _ in CONTACT_KINDS] + ["walk"])  # fmt: skip
    return key


def log_contact(store: Store, person: Candidate, when: DateTime, kind: str | None = None, note: str = "") -> str:
    """Log a contact (as the colleagues screen does) and remember how to undo it."""
    with store.transaction():
        colleague = store.get(Colleague, person.id)
        if colleague is None:
            return f"{person.name} was removed meanwhile; nothing changed."
        kind = kind or default_kind(colleague)
        contact = store.add(Contact(colleague_id=person.id, when=when, kind=kind, note=note))
        local = pendulum.instance(contact.when).in_timezone(pendulum.now().timezone or "UTC")
        said = f"Logged a {kind_label(kind).lower()} with {colleague.name}, {_when_words(local.date())} at {local.format('HH:mm')}."
        store.save_draft(UNDO_KEY, {"action": "log", "said": said, "contact": contact.id})
    return said


def set_next_session(store: Store, at: DateTime | None) -> str:
    """Set (or with None clear) the next session, as ``n`` on Today does; undoable."""
    from app.breaks import describe_left, seconds_left
    from app.next_session import set_next, stored_next

    with store.transaction():
        before = stored_next(store)
        set_next(store, at)
        if at is None:
            said = "Next session cleared." if before else "No next session was set; nothing changed."
        else:
            said = f"Next session at {at.format('HH:mm')}, in {describe_left(seconds_left(at))}."
        store.save_draft(UNDO_KEY, {"action": "next", "said": said, "previous": before.isoformat() if before else None})
    return said


# --------------------------------------------------------------------------- undo


class NothingToUndo(Exception):
    """No quick action is waiting to be undone."""


def undo_last(store: Store) -> str:
    """Take back the last quick action, in one transaction. Returns the sentence to print;
    raises :class:`NothingToUndo`."""
    with store.transaction():
        record = store.draft(UNDO_KEY)
        if not record:
            raise NothingToUndo
        said = clean_text(record.get("said", ""), limit=300)
        action = record.get("action")
        missing = False
        if action == "mark":
            missing = _undo_mark(store, record)
        elif action == "log":
            contact_id = record.get("contact")
            missing = not isinstance(contact_id, int) or store.get(Contact, contact_id) is None
            if isinstance(contact_id, int) and not missing:
                store.remove(Contact, contact_id)
        elif action == "next":
            from app.models import moment_of
            from app.next_session import set_next

            previous = moment_of(record.get("previous"))
            set_next(store, pendulum.instance(previous) if previous else None)
        else:
            missing = True
        store.clear_draft(UNDO_KEY)
    told = clean_text(record.get("undone", ""), limit=300)  # the words for it, where the action left them
    undone = told or (f"Undone: {said[:1].lower()}{said[1:]}" if said else "Undone.")
    if missing:
        undone += " Part of it had already been changed elsewhere, so that part was left as it is."
    return undone


def _record(cls: type[RitualEntry], saved: Any) -> RitualEntry | None:
    if not isinstance(saved, dict) or type(saved.get("id")) is not int:
        return None
    try:
        return cls.from_doc(saved.get("doc"), saved["id"])
    except ValueError:
        return None


def _undo_mark(store: Store, record: dict[str, Any]) -> bool:
    """Undo a done or skip as :meth:`app.rituals.Marked.undo` does; True if part was gone."""
    from app.rituals import Marked

    entry = _record(RitualEntry, record.get("entry"))
    previous = _record(RitualEntry, record.get("previous"))
    contacts = [store.get(Contact, i) for i in record.get("contacts") or [] if type(i) is int]
    present = [c for c in contacts if c is not None]
    missing = len(present) != len(contacts)
    if entry is None or entry.id is None or store.get(RitualEntry, entry.id) is None:
        for contact in present:
            store.remove(Contact, contact.id or 0)
        return True
    ritual = store.get(Ritual, entry.ritual_id) or Ritual(name="")
    Marked(ritual, entry.day, entry.status, entry, previous, present).undo(store)
    return missing
