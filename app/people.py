"""Trusted colleagues: who is due a catch-up, in what order, and what to send them.

Plain functions on plain inputs (a last-contact moment, an ideal and an outer limit in days,
a name), so they work the same for stored records, imported cards and tests.

The catch-up priority of a colleague is ``max(days since last contact - ideal, 0) / ideal``:
0 while they are on track, 1 when a whole extra cycle has passed. Days are counted as calendar
days in the local time zone, so a status does not flip in the middle of an afternoon.

Status, always shown as a word *and* a symbol (colour is only ever an extra):

* ``on track`` (``·``): fewer days than the ideal have passed;
* ``new`` (``+``): never contacted, and added less than one ideal cadence ago (unless the
  person asked to reach out now): an import does not fill Today;
* ``due`` (``»``): the ideal has passed, or they have never been contacted since their
  first cadence passed (or the person asked to reach out now);
* ``overdue`` (``!``): even the outer limit has passed (only when a limit is set);
* ``snoozed`` (``z``) and ``archived`` (``-``): resting (see :func:`resting`), never due.

Overdue people come first, then those due, then everyone else (:func:`order_key`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import pendulum
from pendulum import DateTime

from app.models import Colleague, Contact, Ritual, moment_of
from app.textclean import NAME_LIMIT, NOTE_LIMIT, clean_text

if TYPE_CHECKING:  # the store is only passed in: no import of it (or TinyDB) at run time
    from app.storage import Store

__all__ = [
    "ROLES", "CONTACT_KINDS", "DEFAULT_ROLE", "DEFAULT_KIND", "role_label", "kind_label",
    "role_key", "kind_key", "Status", "Standing", "days_since", "catch_up_priority",
    "status_for", "standing", "order_key", "by_priority", "Ranked", "rank_colleagues",
    "matches", "describe_last",
    "describe_cadence", "describe_due", "CadenceError", "read_cadence", "Template",
    "BUILTIN_TEMPLATES", "make_template", "all_templates", "fill_template",
    "NOTES_REMINDER", "MAX_DAYS", "TITLES", "call_name", "derived_call_name", "fill_for",
    "templates_for", "template_fits", "reach_out_now",
    "resting", "cadence_in_words", "read_day", "DayError", "snooze", "archive",
    "add_dated_note", "remove_dated_note", "dated_notes", "Reminder", "dates_coming",
    "NoteTaken", "take_dated_note", "put_back_dated_note",
]  # fmt: skip

T = TypeVar("T")

ROLES: tuple[tuple[str, str], ...] = (
    ("peer", "Peer"),
    ("supervisor", "Supervisor"),
    ("mentor", "Mentor"),
    ("team", "Team"),
    ("consultation", "Consultation group"),
    ("other", "Other"),
)
"""Roles a colleague can have, as (stored key, label) in the order they are offered."""

CONTACT_KINDS: tuple[tuple[str, str], ...] = (
    ("message", "Message"),
    ("call", "Call"),
    ("coffee", "Coffee / walk"),
    ("debrief", "Debrief"),
    ("supervision", "Supervision"),
    ("consultation", "Consultation"),
    ("other", "Other"),
)
"""Kinds of contact, as (stored key, label) in the order they are offered."""

BIRTHDAY_YEAR = 1904
"""The year a birthday given without one is kept in (a leap year, so 29 Feb fits): typed as
"14 Mar" in the form, or read from a card's BDAY of "--03-14"."""

DEFAULT_ROLE = "peer"
DEFAULT_KIND = "message"
MAX_DAYS = 3650
"""Longest cadence accepted, in days (ten years)."""

NOTES_REMINDER = "Just for you. Client details never belong here."
"""The gentle line shown by the notes field."""


_KIND_ALIASES = {"walk": "coffee", "coffee/walk": "coffee", "coffee / walk": "coffee"}


def role_label(key: str) -> str:
    """The label for a role key; unknown keys read as "Other"."""
    return dict(ROLES).get(key, "Other")


def kind_label(key: str) -> str:
    """The label for a contact kind key ("walk" reads as coffee / walk); else "Other"."""
    return dict(CONTACT_KINDS).get(_KIND_ALIASES.get(key, key), "Other")


def _key_for(text: str, pairs: Sequence[tuple[str, str]], default: str) -> str:
    wanted = clean_text(text).casefold()
    for key, label in pairs:
        if wanted in (key, label.casefold()):
            return key
    return default


def role_key(text: str) -> str:
    """The role key for a key or label typed in any case; anything else is "other"."""
    return _key_for(text, ROLES, "other")


def kind_key(text: str) -> str:
    """The contact kind key for a key or label in any case; anything else is "other"."""
    alias = _KIND_ALIASES.get(clean_text(text).casefold())
    return alias or _key_for(text, CONTACT_KINDS, "other")


# Status and priority ----------------------------------------------------------------------


class Status(Enum):
    """Where a colleague stands, with the word and symbol that show it."""

    ON_TRACK = ("on track", "·", 0)
    NEW = ("new", "+", 0)
    """Never contacted, added less than one cadence ago: not due yet."""
    DUE = ("due", "»", 1)
    OVERDUE = ("overdue", "!", 2)
    SNOOZED = ("snoozed", "z", -1)
    """Snoozed until a day (on leave, say): not due before it."""
    ARCHIVED = ("archived", "-", -2)
    """Moved on: kept with their history, never due."""

    @property
    def word(self) -> str:
        """The status as a word."""
        return self.value[0]

    @property
    def symbol(self) -> str:
        """A one-character mark that works on any terminal (ASCII or Latin-1)."""
        return self.value[1]

    @property
    def rank(self) -> int:
        """2 overdue, 1 due, 0 on track or new, -1 snoozed, -2 archived."""
        return self.value[2]

    @property
    def badge(self) -> str:
        """Symbol and word together, e.g. ``» due``."""
        return f"{self.symbol} {self.word}"


@dataclass(frozen=True)
class Standing:
    """How things stand with one colleague at one moment."""

    status: Status
    priority: float
    days_since: int | None
    """Calendar days since the last contact; None if never contacted."""
    ideal_days: int
    limit_days: int | None
    added_days: int | None = None
    """For someone new (never contacted): calendar days since they were added."""
    until: dt.date | None = None
    """For someone snoozed: the day they are back."""

    @property
    def never(self) -> bool:
        """True when there has been no contact yet."""
        return self.days_since is None


def _ideal(ideal_days: int) -> int:
    return max(int(ideal_days), 1)


def _limit(ideal_days: int, limit_days: int | None) -> int | None:
    if limit_days is None:
        return None
    return max(int(limit_days), _ideal(ideal_days))


def days_since(last_contact: DateTime | None, now: DateTime | None = None) -> int | None:
    """Whole calendar days from ``last_contact`` to ``now`` in ``now``'s time zone.

    None when there was no contact; 0 for today (and for a moment slightly in the future,
    as clocks on different machines disagree).
    """
    if last_contact is None:
        return None
    now = pendulum.now() if now is None else pendulum.instance(now)
    local = pendulum.instance(last_contact).in_timezone(now.timezone or "UTC")
    # Day numbers, not pendulum's date difference: it builds a Duration (~0.1 ms), and Today
    # works this out for every colleague before its first frame.
    return max(now.date().toordinal() - local.date().toordinal(), 0)


def catch_up_priority(days: int | None, ideal_days: int) -> float:
    """``max(days - ideal, 0) / ideal``; someone never contacted has priority 0.

    A never-contacted colleague is still *due* (see :func:`status_for`); priority 0 puts
    them after people who are behind, so a fresh import does not bury them.
    """
    if days is None:
        return 0.0
    ideal = _ideal(ideal_days)
    return max(days - ideal, 0) / ideal


def status_for(days: int | None, ideal_days: int, limit_days: int | None = None) -> Status:
    """On track before the ideal, due from the ideal on (or never), overdue past the limit."""
    if days is None:
        return Status.DUE
    if days < _ideal(ideal_days):
        return Status.ON_TRACK
    limit = _limit(ideal_days, limit_days)
    if limit is not None and days > limit:
        return Status.OVERDUE
    return Status.DUE


def standing(
    last_contact: DateTime | None,
    ideal_days: int,
    limit_days: int | None = None,
    now: DateTime | None = None,
    *,
    added: DateTime | None = None,
    reach_now: bool = False,
) -> Standing:
    """Status, priority and day count for a colleague last contacted at ``last_contact``.

    Someone never contacted who was ``added`` less than one ideal cadence ago is
    :attr:`Status.NEW` (not due), unless ``reach_now`` (the person asked to reach out now).
    """
    days = days_since(last_contact, now)
    ideal = _ideal(ideal_days)
    status = status_for(days, ideal, limit_days)
    added_days = None
    if days is None and added is not None and not reach_now:
        added_days = days_since(added, now)
        if added_days is not None and added_days < ideal:
            status = Status.NEW
        else:
            added_days = None
    return Standing(
        status=status,
        priority=catch_up_priority(days, ideal),
        days_since=days,
        ideal_days=ideal,
        limit_days=_limit(ideal, limit_days),
        added_days=added_days,
    )


def order_key(name: str, where: Standing) -> tuple[int, float, str, str]:
    """Sort key: the more pressing status first (overdue, then due, then on track and new,
    then snoozed, then archived), the highest priority within it, then by name.

    So someone past their outer limit always comes before someone merely due, even one
    further behind on a shorter cadence; "due today" and "never contacted" come before
    people on track.
    """
    return (-where.status.rank, -where.priority, name.casefold(), name)


def by_priority(items: Iterable[T], key: Callable[[T], tuple[str, Standing]]) -> list[T]:
    """``items`` ordered by who is most due; ``key`` gives each item's name and standing."""
    return sorted(items, key=lambda item: order_key(*key(item)))


class _ColleagueLike(Protocol):
    id: int | None
    name: str
    ideal_days: int
    limit_days: int | None


class _ContactLike(Protocol):
    colleague_id: int
    when: DateTime


C = TypeVar("C", bound=_ColleagueLike)
K = TypeVar("K", bound=_ContactLike)


@dataclass(frozen=True)
class Ranked(Generic[C, K]):
    """A colleague with where they stand and their latest contact (None if never)."""

    colleague: C
    where: Standing
    last: K | None


def rank_colleagues(
    colleagues: Iterable[C], contacts: Iterable[K], now: DateTime | None = None
) -> list[Ranked[C, K]]:
    """Every colleague with their standing and latest contact, most due first.

    Works on anything shaped like the stored records (``Colleague`` with ``id``, ``name``,
    ``ideal_days``, ``limit_days``; ``Contact`` with ``colleague_id`` and ``when``), so
    the colleagues screen and the Today dashboard agree on who is due.
    """
    now = pendulum.now() if now is None else now
    latest: dict[int, K] = {}
    for contact in contacts:
        seen = latest.get(contact.colleague_id)
        if seen is None or contact.when > seen.when:
            latest[contact.colleague_id] = contact
    ranked = []
    for colleague in colleagues:
        last = latest.get(colleague.id) if colleague.id is not None else None
        where = standing(
            last.when if last else None, colleague.ideal_days, colleague.limit_days, now,
            added=getattr(colleague, "created", None),
            reach_now=bool(getattr(colleague, "want_to_reach_now", False)),
        )
        if resting(colleague, now.date()):
            archived = bool(getattr(colleague, "archived", False))
            where = replace(
                where, status=Status.ARCHIVED if archived else Status.SNOOZED, priority=0.0,
                until=None if archived else getattr(colleague, "snoozed_until", None),
            )
        ranked.append(Ranked(colleague, where, last))
    return by_priority(ranked, lambda item: (item.colleague.name, item.where))


def latest_contacts(store: Store) -> list[Contact]:
    """Each colleague's latest logged contact: all that ranking needs.

    Years of contacts are thousands of records; this compares their stored times and reads in
    full only the latest of each colleague (with ties kept, so :func:`rank_colleagues` picks
    as it would from all of them). It never reads older history: the store keeps each
    colleague's latest contact from it at hand (``recent``).
    """
    latest: dict[Any, dt.datetime] = {}
    for colleague_id, when in store.columns(Contact, "colleague_id", "when", recent=True):
        if type(colleague_id) is not int:
            continue
        moment = moment_of(when)
        if moment is not None and (colleague_id not in latest or moment > latest[colleague_id]):
            latest[colleague_id] = moment

    def is_latest(doc: Any) -> bool:
        colleague_id = doc.get("colleague_id")
        best = latest.get(colleague_id) if type(colleague_id) is int else None
        return best is not None and moment_of(doc.get("when")) == best

    return store.select(Contact, is_latest, recent=True)


# Filtering ---------------------------------------------------------------------------------


def matches(
    query: str,
    *,
    name: str,
    role: str = "",
    tags: Iterable[str] = (),
    notes: str = "",
) -> bool:
    """True when every word of ``query`` appears in the name, role, tags or notes.

    Case does not matter, a leading ``#`` on a word is ignored, and an empty query
    matches everyone.
    """
    words = [word.lstrip("#") for word in clean_text(query).casefold().split()]
    words = [word for word in words if word]
    if not words:
        return True
    haystack = "\n".join([name, role, role_label(role), *tags, notes]).casefold()
    return all(word in haystack for word in words)


# Words for the list and the card ------------------------------------------------------------


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def describe_last(days: int | None) -> str:
    """The last contact in words: "today", "yesterday", "3 days ago", "never"."""
    if days is None:
        return "never"
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{_days(days)} ago"


def describe_cadence(ideal_days: int, limit_days: int | None = None) -> str:
    """The cadence in words: "every 7 days" or "every 7 days, at most 14"."""
    ideal = _ideal(ideal_days)
    every = "every day" if ideal == 1 else f"every {_days(ideal)}"
    limit = _limit(ideal, limit_days)
    if limit is None or limit == ideal:
        return every
    return f"{every}, at most {limit}"


def describe_due(where: Standing) -> str:
    """A kind sentence on when to be in touch next."""
    if where.status is Status.ARCHIVED:
        return "Archived: kept here with their history, never due. Bring them back any time."
    if where.status is Status.SNOOZED:
        back = f" until {where.until:%a %-d %b}" if where.until else ""
        return f"Snoozed{back}: nothing is due before then."
    if where.status is Status.NEW:
        left = where.ideal_days - (where.added_days or 0)
        when = "tomorrow" if left <= 1 else f"in about {_days(left)}"
        return f"New here. A first hello {when}, or sooner if you like."
    if where.days_since is None:
        return "No contact logged yet."
    left = where.ideal_days - where.days_since
    if left > 1:
        return f"Next catch-up in about {_days(left)}."
    if left == 1:
        return "Next catch-up is tomorrow."
    if where.status is Status.OVERDUE:
        return "It has been a while. A short message is plenty."
    if left == 0:
        return "A catch-up is due today."
    return "Due for a catch-up, whenever you have a moment."


class CadenceError(ValueError):
    """A cadence that cannot be used, with a message ready to show."""


def read_cadence(ideal_text: str, limit_text: str = "") -> tuple[int, int | None]:
    """Read the ideal and optional outer limit (in days) from a form.

    Raises:
        CadenceError: not whole numbers, out of range, or a limit shorter than the ideal.
    """
    ideal_text = clean_text(ideal_text)
    limit_text = clean_text(limit_text)
    if not ideal_text.isdigit() or not 1 <= int(ideal_text) <= MAX_DAYS:
        raise CadenceError(f"Keep in touch every how many days? A whole number from 1 to {MAX_DAYS}.")
    ideal = int(ideal_text)
    if not limit_text:
        return ideal, None
    if not limit_text.isdigit() or not 1 <= int(limit_text) <= MAX_DAYS:
        raise CadenceError(
            f"When it starts to matter: a whole number of days up to {MAX_DAYS}, or leave it empty."
        )
    limit = int(limit_text)
    if limit < ideal:
        raise CadenceError(f"It can only start to matter after {_days(ideal)} or more (the keep-in-touch days).")
    return ideal, limit


def _span(days: int, unit: int, word: str) -> str:
    count = days // unit
    return f"1 {word}" if count == 1 else f"{count} {word}s"


def cadence_in_words(ideal_days: int, limit_days: int | None = None) -> str:
    """The cadence as a person would say it: "keep in touch every 2 weeks; it starts to
    matter after 4" (weeks when the days make whole weeks, else days; "every day")."""
    ideal = _ideal(ideal_days)
    weeks = ideal % 7 == 0
    every = "every day" if ideal == 1 else "every week" if ideal == 7 else f"every {_span(ideal, 7, 'week') if weeks else _days(ideal)}"
    words = f"keep in touch {every}"
    limit = _limit(ideal, limit_days)
    if limit is None or limit == ideal:
        return words
    if weeks and limit % 7 == 0:
        after = str(limit // 7)
    elif not weeks and ideal > 1:
        after = str(limit)
    else:
        after = _span(limit, 7, "week") if limit % 7 == 0 else _days(limit)
    return f"{words}; it starts to matter after {after}"


# Message templates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """A check-in message; ``{name}`` is filled with the colleague's name."""

    name: str
    text: str
    builtin: bool = False
    record_id: int | None = None
    """The stored record behind a user template, if any."""
    fits: tuple[str, ...] = ()
    """Role keys the message is for (empty: anyone); see :func:`templates_for`."""


BUILTIN_TEMPLATES: tuple[Template, ...] = (
    Template("Just checking in", "Hi {name}, just checking in. How are you doing this week?",
             builtin=True),
    Template("You came to mind",
             "Hi {name}, you came to mind today. How are things with you? "
             "No rush to reply.", builtin=True),
    Template("Coffee or a walk",
             "Hi {name}, fancy a coffee or a short walk this week? "
             "It would be good to catch up.", builtin=True),
    Template("After a heavy day",
             "Hi {name}, today was a heavy one. Could you spare ten minutes to talk it "
             "through in the next day or two?", builtin=True),
    Template("Time for supervision",
             "Hi {name}, could we find a time for supervision in the next couple of "
             "weeks? Let me know what suits you.", builtin=True, fits=("supervisor",)),
    Template("Thank you",
             "Hi {name}, thank you for being someone I can lean on. "
             "It makes this work lighter.", builtin=True),
)  # fmt: skip
"""Messages that ship with Tend, short and peer-to-peer."""


class _NamedText(Protocol):
    name: str
    text: str


def make_template(name: str, text: str, record_id: int | None = None, fits: Iterable[str] = ()) -> Template:
    """A user template with its name and text cleaned.

    Raises:
        ValueError: the text is empty after cleaning.
    """
    text = clean_text(text, multiline=True, limit=NOTE_LIMIT)
    if not text:
        raise ValueError("A message needs some words.")
    name = clean_text(name, limit=NAME_LIMIT) or clean_text(text, limit=30)
    roles = tuple(dict.fromkeys(key for key in (clean_text(str(r)).casefold() for r in fits) if key in dict(ROLES)))
    return Template(name=name, text=text, record_id=record_id, fits=roles)


def all_templates(user: Iterable[_NamedText] = ()) -> list[Template]:
    """The built-in templates followed by the user's own (records with name and text)."""
    own: list[Template] = []
    for item in user:
        try:
            fits = getattr(item, "fits", ())
            own.append(make_template(item.name, item.text, getattr(item, "id", None), fits if isinstance(fits, (list, tuple)) else ()))
        except ValueError:
            continue  # an empty stored template is skipped rather than shown blank
    return [*BUILTIN_TEMPLATES, *own]


# "{name}", "{ Name }"; not "${name}" (shell style) nor "{{name}}" (an escaped brace).
_NAME_FIELD = re.compile(r"(?<![$\{])\{\s*name\s*\}(?!\})", re.IGNORECASE)


def fill_template(text: str, name: str) -> str:
    """``text`` with each ``{name}`` replaced by ``name``.

    Every other placeholder (``{0}``, ``%s``, ``${name}``, ``{unknown}``) and any stray brace
    stays exactly as typed. Never raises for any text.
    """
    name = clean_text(name)
    return _NAME_FIELD.sub(lambda _match: name, clean_text(text, multiline=True))


TITLES = frozenset({"dr", "prof", "mx", "ms", "mr", "mrs", "miss", "rev", "revd", "fr", "sr"})
"""Words before a name that are not what anyone is called by ("Dr." and "Dr" alike)."""

GROUP_ROLES = frozenset({"team", "consultation"})
"""Roles of groups: called by their whole name ("Hi Crisis Line Team"), not a first word."""


class _Called(Protocol):
    name: str
    role: str
    call_name: str


def derived_call_name(name: str, role: str = "") -> str:
    """What to call someone by default: their first given name, past titles such as "Dr."
    ("Dr. Amara Okonkwo-Fitzgerald" is "Amara"); a team or group by its whole name."""
    name = clean_text(name, limit=NAME_LIMIT)
    if role in GROUP_ROLES:
        return name
    words = name.split()
    for word in words:
        if word.rstrip(".").casefold() not in TITLES:
            return word.rstrip(",") or word
    return name


def call_name(colleague: _Called) -> str:
    """The name a colleague is called by: theirs if set, else :func:`derived_call_name`."""
    own = clean_text(getattr(colleague, "call_name", "") or "", limit=NAME_LIMIT)
    return own or derived_call_name(colleague.name, getattr(colleague, "role", ""))


def fill_for(text: str, colleague: _Called) -> str:
    """A message for ``colleague``: ``text`` with ``{name}`` as the name they are called by."""
    return fill_template(text, call_name(colleague))


def template_fits(template: Template, role: str) -> bool:
    """True when ``template`` may be offered to someone with ``role`` (one for anyone does)."""
    return not template.fits or role in template.fits


def templates_for(colleague: Any, templates: Iterable[Template]) -> list[Template]:
    """The templates to offer ``colleague`` (anything with a ``role``): those made for their
    role first, then those for anyone, each in the order given; never one made for other
    roles ("Time for supervision" goes to a supervisor, not to a Crisis Line Team)."""
    role = getattr(colleague, "role", "")
    items = list(templates)
    own = [t for t in items if t.fits and role in t.fits]
    anyone = [t for t in items if not t.fits]
    return own + anyone


def reach_out_now(store: Store, colleague_id: int) -> Colleague | None:
    """Mark someone new as wanted now: due at once instead of after their first cadence.
    Returns them as saved, or None when they were removed meanwhile."""
    with store.transaction():
        colleague = store.get(Colleague, colleague_id)
        if colleague is None:
            return None
        if colleague.want_to_reach_now:
            return colleague
        return store.update(replace(colleague, want_to_reach_now=True))


# ------------------------------------------------------------------- snooze, archive, notes, dates


def resting(colleague: Any, day: dt.date) -> bool:
    """True when ``colleague`` is not to be counted as due on ``day``: archived (moved on), or
    snoozed until a later day. Every due computation asks this (the list, Today, a status
    line), through :func:`rank_colleagues`; the history stays whatever it says."""
    if getattr(colleague, "archived", False):
        return True
    until = getattr(colleague, "snoozed_until", None)
    return until is not None and day < until


class DayError(ValueError):
    """A day that cannot be read, with a message ready to show."""


_MONTHS = {name: index for index, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1) for name in names}
_RELATIVE = re.compile(r"^(?:in\s+)?(\d{1,3})\s*(d|days?|w|wks?|weeks?|m|months?)$")
_DAY_MONTH = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{4}))?$|^([a-z]+)\.?\s+(\d{1,2})(?:,?\s+(\d{4}))?$")
DAY_EXAMPLES = "2026-12-12, 12 Dec, or in 2 weeks"


def read_day(text: str, today: dt.date, *, relative: bool = True, year: int | None = None) -> dt.date:
    """A day typed by a person: ``2026-12-12``; ``12 Dec`` or ``Dec 12`` (with an optional
    year; without one, ``year`` or else the next such day from ``today``); with
    ``relative``, ``10 days``, ``2 weeks``, ``3 months`` (from ``today``).

    Raises:
        DayError: anything else, or a day that does not exist.
    """
    words = clean_text(text).casefold().strip()
    relative_match = _RELATIVE.match(words) if relative else None
    try:
        if relative_match:
            count, unit = int(relative_match[1]), relative_match[2][0]
            start = pendulum.date(today.year, today.month, today.day)
            moved = start.add(days=count) if unit == "d" else start.add(weeks=count) if unit == "w" else start.add(months=count)
            return dt.date(moved.year, moved.month, moved.day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", words):
            return _in_range(dt.date.fromisoformat(words))
        found = _DAY_MONTH.match(words)
        if found:
            day_text, month_text, year_text = (found[1], found[2], found[3]) if found[1] else (found[5], found[4], found[6])
            month = _MONTHS.get(month_text)
            if month is not None:
                if year_text:
                    return _in_range(dt.date(int(year_text), month, int(day_text)))
                if year is not None:
                    return dt.date(year, month, int(day_text))
                this_year = dt.date(today.year, month, int(day_text))
                return this_year if this_year >= today else dt.date(today.year + 1, month, int(day_text))
    except (ValueError, OverflowError):
        raise DayError(f"There is no such day as \"{clean_text(text, limit=30)}\".") from None
    raise DayError(f"A day, please: {DAY_EXAMPLES if relative else '1980-03-14 or 14 Mar'}.")


def _in_range(day: dt.date) -> dt.date:
    if not 1900 <= day.year <= 2200:
        raise ValueError(day)
    return day


def _as_date(day: dt.date | None) -> pendulum.Date | None:
    return None if day is None else pendulum.Date(day.year, day.month, day.day)


def snooze(store: Store, colleague_id: int, until: dt.date | None) -> Colleague | None:
    """Snooze someone until ``until`` (None: wake them now). Returns them as saved, or None
    when they were removed meanwhile."""
    with store.transaction():
        colleague = store.get(Colleague, colleague_id)
        if colleague is None:
            return None
        return store.update(replace(colleague, snoozed_until=_as_date(until)))


def archive(store: Store, colleague_id: int, archived: bool = True) -> Colleague | None:
    """Archive someone who moved on (or bring them back with ``archived=False``); their
    history stays. Bringing someone back also ends a snooze. None when removed meanwhile."""
    with store.transaction():
        colleague = store.get(Colleague, colleague_id)
        if colleague is None:
            return None
        changes: dict[str, Any] = {"archived": archived}
        if not archived:
            changes["snoozed_until"] = None
        return store.update(replace(colleague, **changes))


NOTE_LINE_LIMIT = 200
"""Longest dated note, in characters: a line, not a case file."""


def dated_notes(colleague: Any) -> list[tuple[dt.date, str]]:
    """A colleague's dated notes as (day, text), newest first; entries that do not read
    (a hand edit) are left out."""
    notes: list[tuple[dt.date, str]] = []
    for entry in getattr(colleague, "dated_notes", ()) or ():
        if not isinstance(entry, dict):
            continue
        try:
            day = dt.date.fromisoformat(str(entry.get("day", "")))
        except ValueError:
            continue
        text = clean_text(str(entry.get("text", "")), limit=NOTE_LINE_LIMIT)
        if text:
            notes.append((day, text))
    return sorted(notes, key=lambda note: note[0], reverse=True)


def add_dated_note(store: Store, colleague_id: int, text: str, day: dt.date) -> Colleague | None:
    """Add a short dated note to a colleague's card. None when they were removed meanwhile.

    Raises:
        ValueError: the note is empty after cleaning.
    """
    text = clean_text(text, limit=NOTE_LINE_LIMIT)
    if not text:
        raise ValueError("A few words, please.")
    with store.transaction():
        colleague = store.get(Colleague, colleague_id)
        if colleague is None:
            return None
        entry = {"day": day.isoformat(), "text": text}
        return store.update(replace(colleague, dated_notes=[*colleague.dated_notes, entry]))


def remove_dated_note(store: Store, colleague_id: int, day: dt.date, text: str) -> Colleague | None:
    """Remove one dated note (the first that has this day and text)."""
    with store.transaction():
        colleague = store.get(Colleague, colleague_id)
        if colleague is None:
            return None
        kept = list(colleague.dated_notes)
        for index, entry in enumerate(kept):
            said = clean_text(str(entry.get("text", "")), limit=NOTE_LINE_LIMIT) if isinstance(entry, dict) else None
            if said == text and entry.get("day") == day.isoformat():
                del kept[index]
                break
        return store.update(replace(colleague, dated_notes=kept))


@dataclass(frozen=True)
class NoteTaken:
    """A dated note :func:`take_dated_note` took off a card: what it was and where it stood,
    so :func:`put_back_dated_note` can put it back as it was."""

    colleague_id: int
    entry: dict[str, Any]
    place: int


def take_dated_note(store: Store, colleague_id: int, day: dt.date, text: str) -> NoteTaken | None:
    """Remove one dated note, as :func:`remove_dated_note` does, and say what went.
    None when the colleague or the note is gone already (another window, say)."""
    with store.transaction():
        colleague = store.get(Colleague, colleague_id)
        if colleague is None:
            return None
        for place, entry in enumerate(colleague.dated_notes):
            said = clean_text(str(entry.get("text", "")), limit=NOTE_LINE_LIMIT) if isinstance(entry, dict) else None
            if said == text and entry.get("day") == day.isoformat():
                remove_dated_note(store, colleague_id, day, text)
                return NoteTaken(colleague_id, dict(entry), place)
    return None


def put_back_dated_note(store: Store, taken: NoteTaken) -> Colleague | None:
    """Undo :func:`take_dated_note`: the note goes back where it was, beside any added since.
    None when the colleague is gone."""
    with store.transaction():
        colleague = store.get(Colleague, taken.colleague_id)
        if colleague is None:
            return None
        notes = list(colleague.dated_notes)
        notes.insert(min(taken.place, len(notes)), dict(taken.entry))
        return store.update(replace(colleague, dated_notes=notes))


REMIND_DAYS = 7
"""How many days ahead Today mentions a date to remember."""


@dataclass(frozen=True)
class Reminder:
    """A date to remember coming up for one colleague."""

    colleague: Colleague
    what: str
    """"birthday" or "team anniversary"."""
    day: dt.date
    """This year's (or next year's) day."""
    days_left: int

    @property
    def words(self) -> str:
        """E.g. "birthday today", "birthday tomorrow", "team anniversary in 3 days (Sat 12 Dec)"."""
        if self.days_left == 0:
            return f"{self.what} today"
        if self.days_left == 1:
            return f"{self.what} tomorrow"
        return f"{self.what} in {self.days_left} days ({self.day:%a %-d %b})"


def _next_anniversary(day: dt.date, today: dt.date) -> dt.date:
    for year in (today.year, today.year + 1):
        try:
            candidate = dt.date(year, day.month, day.day)
        except ValueError:  # 29 February in a year without one: the 28th
            candidate = dt.date(year, 2, 28)
        if candidate >= today:
            return candidate
    return candidate


def dates_coming(colleagues: Iterable[Colleague], today: dt.date, within: int = REMIND_DAYS) -> list[Reminder]:
    """Birthdays and team anniversaries from ``today`` to ``within`` days ahead, soonest
    first; never for someone archived (moved on). A joining day is remembered from its first
    anniversary on."""
    found: list[Reminder] = []
    for colleague in colleagues:
        if getattr(colleague, "archived", False):
            continue
        for what, day in (("birthday", colleague.birthday), ("team anniversary", colleague.joined)):
            if day is None:
                continue
            coming = _next_anniversary(day, today)
            if what == "team anniversary" and coming.year <= day.year:
                continue
            left = (coming - today).days
            if left <= within:
                found.append(Reminder(colleague, what, coming, left))
    return sorted(found, key=lambda r: (r.days_left, r.colleague.name.casefold()))


# --------------------------------------------------------------------------- removing someone


def rituals_with(store: Store, colleague_id: int) -> list[Ritual]:
    """The rituals linked to a colleague (done with them), oldest first."""

    def linked(doc: Any) -> bool:
        ids = doc.get("colleague_ids")
        return isinstance(ids, list) and colleague_id in ids

    return store.select(Ritual, linked)


@dataclass
class Removal:
    """What :func:`remove_colleague` took away, so :func:`bring_back` can put it all back."""

    colleague: Colleague
    contacts: list[Contact] = field(default_factory=list)
    links: list[tuple[int, int]] = field(default_factory=list)
    """(ritual id, the colleague's place in its list) for each ritual they were taken off."""


def remove_colleague(store: Store, colleague_id: int) -> Removal | None:
    """Remove a colleague, their contacts, and their links from rituals (the rituals stay),
    in one transaction. None when they were already gone (another window, say)."""
    with store.transaction():
        colleague = store.get(Colleague, colleague_id)
        if colleague is None:
            return None
        contacts = store.find(Contact, colleague_id=colleague_id)
        links = []
        for ritual in rituals_with(store, colleague_id):
            links.append((ritual.id or 0, ritual.colleague_ids.index(colleague_id)))
            kept = [other for other in ritual.colleague_ids if other != colleague_id]
            store.update(replace(ritual, colleague_ids=kept))
        for contact in contacts:
            store.remove(Contact, contact.id or 0)
        store.remove(Colleague, colleague_id)
    return Removal(colleague, contacts, links)


def bring_back(store: Store, removal: Removal) -> Colleague:
    """Undo :func:`remove_colleague`: the person, their contacts and their place in each
    ritual that is still there, in one transaction. Other changes made to those rituals
    since are kept."""
    with store.transaction():
        back: Colleague = store.restore(removal.colleague)
        for contact in removal.contacts:
            store.restore(replace(contact, colleague_id=back.id or 0))
        for ritual_id, place in removal.links:
            ritual = store.get(Ritual, ritual_id)
            if ritual is None or back.id in ritual.colleague_ids:
                continue
            ids = list(ritual.colleague_ids)
            ids.insert(min(place, len(ids)), back.id or 0)
            store.update(replace(ritual, colleague_ids=ids))
    return back
