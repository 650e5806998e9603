"""Typed records: what Tend stores, one dataclass per kind.

Records are plain dataclasses. ``to_doc`` turns one into JSON-ready data (pendulum datetimes
as ISO 8601 with their offset, dates as ``YYYY-MM-DD``); ``from_doc`` reads it back and checks
types, raising :class:`RecordError` with a plain message for data of the wrong shape.
``cleaned`` returns a copy with every piece of text passed through
:func:`app.textclean.clean_text`; the store calls it on every save, so no screen can forget.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from dataclasses import dataclass, field, fields
from functools import cache
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, Self, TypeVar

import pendulum
from pendulum import Date, DateTime, FixedTimezone

from app.textclean import NAME_LIMIT, NOTE_LIMIT, clean_lines, clean_text

NESTED_TEXT_LIMIT = 500

MIN_YEAR, MAX_YEAR = 1900, 2200
"""The years a stored date or time may fall in. Tend records what happened in a working
life, so nothing real lies outside them; and the edges of what Python can hold (year 1 and
year 9999) overflow as soon as a time is moved to another time zone (0001-01-01T00:00+14:00
is in year 0 in UTC), which crashed every start. Dates outside are refused on the way in."""

MAX_NESTING = 32
"""How deeply lists and mappings may nest inside a field. Tend's own data is a few levels
deep; a crafted file nested hundreds deep would otherwise exhaust Python's recursion (in
copying, cleaning or saving), so anything deeper is refused as not fitting."""


class RecordError(ValueError):
    """Data that does not fit a record, with a message a person can act on."""


def record_id(key: object) -> int:
    """A stored document key as a record id: ASCII digits only (``"²"`` passes
    ``str.isdigit`` and not ``int``), at most 18 of them. :class:`RecordError` otherwise."""
    if type(key) is not str or not (key.isascii() and key.isdigit() and len(key) <= 18):
        raise RecordError(f"the id {str(key)[:20]!r} is not a whole number")
    return int(key)


def in_range(moment: dt.date) -> bool:
    """True when a date or time lies in the years Tend accepts (:data:`MIN_YEAR` to
    :data:`MAX_YEAR`)."""
    return MIN_YEAR <= moment.year <= MAX_YEAR


def _out_of_range(value: str) -> RecordError:
    return RecordError(f"{value[:40]!r} is outside the years {MIN_YEAR} to {MAX_YEAR}")


def nested_within(value: Any, room: int = MAX_NESTING) -> bool:
    """True when lists and mappings in ``value`` nest at most ``room`` deep (checked without
    recursing deeper than that)."""
    if type(value) not in _CONTAINERS:
        return True
    if room <= 0:
        return False
    items = value.values() if type(value) is dict else value
    return all(type(item) not in _CONTAINERS or nested_within(item, room - 1) for item in items)


def now() -> DateTime:
    """The current local time (pendulum honours ``travel_to`` in tests)."""
    return pendulum.now()


LONG_AGO = DateTime(1900, 1, 2, tzinfo=pendulum.UTC)
"""A moment for a time that was never stored (a field's ``metadata["absent"]`` gives it)."""


_FIXED_ZONES: dict[int, FixedTimezone] = {}


def parse_datetime(value: str) -> DateTime:
    """Read an ISO 8601 date and time, keeping its offset (fast path for what Tend writes)."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        slow = pendulum.parse(value)
        if not isinstance(slow, DateTime):
            raise RecordError(f"{value!r} is not a date and time") from None
        if not in_range(slow):
            raise _out_of_range(value) from None
        return slow
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise _out_of_range(value)
    offset = parsed.utcoffset()
    if offset is None:
        zone: Any = pendulum.local_timezone()
    else:
        seconds = int(offset.total_seconds())
        zone = _FIXED_ZONES.get(seconds)
        if zone is None:
            zone = _FIXED_ZONES.setdefault(seconds, FixedTimezone(seconds))
    return DateTime(
        parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute, parsed.second,
        parsed.microsecond, tzinfo=zone, fold=parsed.fold,
    )  # fmt: skip


def moment_of(value: object) -> dt.datetime | None:
    """A stored time as an aware datetime, or None when it is not one: the quick way to
    compare the times of thousands of stored documents without building records. Times
    without an offset are local, as :func:`parse_datetime` reads them."""
    if type(value) is not str:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        try:
            return parse_datetime(value)
        except (RecordError, ValueError, TypeError):
            return None
    return moment if MIN_YEAR <= moment.year <= MAX_YEAR else None


def parse_date(value: str) -> Date:
    try:
        day = Date.fromisoformat(value)
    except (TypeError, ValueError):
        raise RecordError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise _out_of_range(value)
    return day


def _dump(value: Any) -> Any:
    if isinstance(value, DateTime):
        return value.isoformat()
    if isinstance(value, Date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_dump(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _dump(item) for key, item in value.items()}
    return value


def _copy_json(value: Any) -> Any:
    """A copy of JSON-like data (dicts and lists copied all the way down)."""
    if type(value) is dict:
        return {key: _copy_json(item) if type(item) in _CONTAINERS else item for key, item in value.items()}
    if type(value) is list:
        return [_copy_json(item) if type(item) in _CONTAINERS else item for item in value]
    return value


_CONTAINERS = frozenset({dict, list})


def copy_record(record: R) -> R:
    """A copy of a record that shares nothing changeable with it (lists and dicts are copied
    all the way down; text, numbers, dates and times cannot be changed in place)."""
    return _copier(type(record))(record)  # type: ignore[arg-type]  # a class is hashable; mypy goes by its instances' __hash__ = None


@cache
def _copier(cls: type) -> Callable[[Any], Any]:
    """A function copying records of ``cls`` field by field (written once per type, like the
    dataclass's own ``__init__``): fields that may hold a list or a dict are copied deep."""
    hints = typing.get_type_hints(cls)
    plain = (str, int, float, bool, DateTime, Date)
    lines = ["def copy(record):", "    new = new_record(cls)"]
    for f in fields(cls):
        if _strip_optional(hints[f.name])[0] in plain:
            lines.append(f"    new.{f.name} = record.{f.name}")
        else:
            lines.append(f"    value = record.{f.name}")
            lines.append(f"    new.{f.name} = copy_json(value) if type(value) in containers else value")
    lines.append("    return new")
    namespace: dict[str, Any] = {"new_record": object.__new__, "cls": cls, "copy_json": _copy_json, "containers": _CONTAINERS}
    exec("\n".join(lines), namespace)  # names come from the dataclass's own fields
    return namespace["copy"]


def stored_form(value: Any) -> Any:
    """A field value as it is stored (dates and times as ISO 8601 text)."""
    return _dump(value)


def _strip_optional(hint: Any) -> tuple[Any, bool]:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(args) == 1:
            return args[0], True
    return hint, False


Converter = Callable[[Any], Any]


def _converter(hint: Any, name: str, copy: bool = True) -> Converter:
    """A function that checks and converts a stored value for a field of type ``hint``.

    Built once per field (see :func:`_converters`), so loading thousands of records does no
    type introspection. With ``copy`` False, dicts (and values of no declared type) are
    taken as they are instead of copied: only for records that are never handed out.
    """
    base, optional = _strip_optional(hint)
    origin = typing.get_origin(base) or base

    def missing() -> Any:
        raise RecordError(f"{name} is missing")

    def check(kind: type | tuple[type, ...], message: str) -> Converter:
        def convert(value: Any) -> Any:
            if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
                raise RecordError(f"{name} {message}")
            if not isinstance(value, kind):
                raise RecordError(f"{name} {message}")
            return value

        return convert

    inner: Converter
    if base is DateTime:

        def inner(value: Any) -> Any:
            if isinstance(value, DateTime):
                return value
            if not isinstance(value, str):
                raise RecordError(f"{name} should be a date and time")
            try:
                return parse_datetime(value)
            except RecordError as error:
                raise RecordError(f"{name}: {error}") from None
            except (ValueError, TypeError) as error:
                raise RecordError(f"{name}: {value!r} is not a date and time") from error

    elif base is Date:

        def inner(value: Any) -> Any:
            if isinstance(value, Date):
                return value
            if not isinstance(value, str):
                raise RecordError(f"{name} should be a date")
            return parse_date(value)

    elif base is bool:
        inner = check(bool, "should be true or false")
    elif base is int:
        inner = check(int, "should be a whole number")
    elif base is float:
        number = check((int, float), "should be a number")

        def inner(value: Any) -> Any:
            return float(number(value))

    elif base is str:
        inner = check(str, "should be text")
    elif origin is list:
        (item_hint,) = typing.get_args(base) or (Any,)
        item = _converter(item_hint, name, copy)

        def inner(value: Any) -> Any:
            if not isinstance(value, list):
                raise RecordError(f"{name} should be a list")
            return [item(entry) for entry in value]

    elif origin is dict:

        def inner(value: Any) -> Any:
            if not isinstance(value, dict):
                raise RecordError(f"{name} should be a mapping")
            if not nested_within(value):
                raise RecordError(f"{name} is nested too deeply")
            return _copy_json(value) if copy else value  # copied: nothing shared with the stored data

    else:

        def inner(value: Any) -> Any:
            if not nested_within(value):
                raise RecordError(f"{name} is nested too deeply")
            return _copy_json(value) if copy else value

    def convert(value: Any) -> Any:
        if value is None:
            return None if optional else missing()
        return inner(value)

    # Fast paths for what Tend itself writes (checked by exact type, so True is never an int);
    # anything else takes the full checks above.
    exact = base if base in (str, int, float, bool) else None
    if exact is not None:

        def convert_fast(value: Any) -> Any:
            return value if type(value) is exact else convert(value)

        return convert_fast
    if base is DateTime:

        def convert_time(value: Any) -> Any:
            if type(value) is str:
                try:
                    return parse_datetime(value)
                except RecordError as error:
                    raise RecordError(f"{name}: {error}") from None
                except (ValueError, TypeError) as error:
                    raise RecordError(f"{name}: {value!r} is not a date and time") from error
            return convert(value)

        return convert_time
    if base is Date:

        def convert_day(value: Any) -> Any:
            return parse_date(value) if type(value) is str else convert(value)

        return convert_day
    return convert


@cache
def _converters(cls: type) -> tuple[tuple[str, Converter], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _converter(hints[f.name], f.name)) for f in fields(cls) if f.name != "id")


_ABSENT = object()


def _load_checked(cls: type[R], doc: dict[str, Any], id: int | None) -> R:
    """Build a record field by field through the dataclass (slower; says what is missing)."""
    converters = _converters(cls)  # type: ignore[arg-type]  # a class is hashable; mypy goes by its instances' __hash__ = None
    values = {name: convert(doc[name]) for name, convert in converters if name in doc}
    for f in fields(cls):
        if f.name not in doc and "absent" in f.metadata:
            values[f.name] = f.metadata["absent"]()
    try:
        return cls(id=id, **values)
    except TypeError as error:
        raise RecordError(f"a {cls.__name__} entry is missing a field: {error}") from None


@cache
def _loader(cls: type, copy: bool) -> Callable[[dict[str, Any], int | None], Any]:
    """A function building records of ``cls`` from stored documents, written once per type.

    It does what :func:`_load_checked` does (the same checks, conversions and defaults) with
    one dictionary look-up per field and no call for text or numbers of the right type;
    a document missing a required field goes to :func:`_load_checked` for its message.
    """
    hints = typing.get_type_hints(cls)
    namespace: dict[str, Any] = {"new_record": object.__new__, "cls": cls, "ABSENT": _ABSENT, "checked": _load_checked}
    lines = ["def load(doc, id):", "    new = new_record(cls)", "    new.id = id"]
    for index, f in enumerate(fields(cls)):
        if f.name == "id":
            continue
        namespace[f"convert{index}"] = _converter(hints[f.name], f.name, copy)
        lines += [f"    value = doc.get({f.name!r}, ABSENT)", "    if value is ABSENT:"]
        if "absent" in f.metadata:  # missing from a stored document reads otherwise than a new record's default
            namespace[f"absent{index}"] = f.metadata["absent"]
            lines.append(f"        new.{f.name} = absent{index}()")
        elif f.default is not dataclasses.MISSING:
            namespace[f"default{index}"] = f.default
            lines.append(f"        new.{f.name} = default{index}")
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f"factory{index}"] = f.default_factory
            lines.append(f"        new.{f.name} = factory{index}()")
        else:
            lines.append("        return checked(cls, doc, id)")
        exact = _strip_optional(hints[f.name])[0]
        if exact in (str, int, float, bool):
            lines += [f"    elif type(value) is {exact.__name__}:", f"        new.{f.name} = value"]
        lines += ["    else:", f"        new.{f.name} = convert{index}(value)"]
    lines.append("    return new")
    exec("\n".join(lines), namespace)  # names come from the dataclass's own fields
    return namespace["load"]


def load_record(cls: type[R], doc: Any, id: int | None = None, *, copy: bool = True) -> R:
    """What :meth:`Record.from_doc` does; ``copy=False`` shares dicts with ``doc`` (for the
    store's own cache, whose records are never handed out and whose documents are never
    changed in place)."""
    if not isinstance(doc, dict):
        raise RecordError(f"a {cls.__name__} entry should be a mapping")
    return _loader(cls, copy)(doc, id)  # type: ignore[arg-type]  # a class is hashable; mypy goes by its instances' __hash__ = None


def _clean_nested(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value, limit=NESTED_TEXT_LIMIT)
    if isinstance(value, list):
        return [_clean_nested(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(str(key)): _clean_nested(item) for key, item in value.items()}
    return value


R = TypeVar("R", bound="Record")

UNVERSIONED = frozenset({"id", "version", "uid"})
"""Fields that are the store's bookkeeping, not what the person wrote."""


def differing_fields(one: Record, other: Record) -> list[str]:
    """The fields (but id and version) whose stored forms differ between two records."""
    return [
        f.name for f in fields(one)
        if f.name not in UNVERSIONED and _dump(getattr(one, f.name)) != _dump(getattr(other, f.name))
    ]  # fmt: skip


def merge_records(base: R, mine: R, theirs: R) -> tuple[R, list[str]]:
    """Three-way merge of an edit: ``base`` is the record as the edit started from it,
    ``mine`` the edit, ``theirs`` the record as stored now (changed elsewhere meanwhile).

    A field changed on one side only takes that side's value; changed on both sides to the
    same value, that value. Returns the merged record (``theirs``' id and version) and the
    names of the fields changed on both sides differently, which are left as ``theirs``.
    """
    changes: dict[str, Any] = {}
    clashes: list[str] = []
    for f in fields(theirs):
        if f.name in UNVERSIONED:
            continue
        b, m, t = (_dump(getattr(record, f.name)) for record in (base, mine, theirs))
        if m in (b, t):
            continue  # not changed here, or changed to the same
        if t == b:
            changes[f.name] = getattr(mine, f.name)
        else:
            clashes.append(f.name)
    return dataclasses.replace(theirs, **changes), clashes


@dataclass(kw_only=True, slots=True)
class Record:
    """Base of every stored record. ``id`` is the store's document id (None until saved)."""

    TABLE: ClassVar[str] = ""
    MULTILINE: ClassVar[frozenset[str]] = frozenset()
    """Text fields that may hold several lines (capped at NOTE_LIMIT)."""
    LINES: ClassVar[frozenset[str]] = frozenset()
    """List-of-text fields kept one entry per line (phones, tags)."""
    DATED_BY: ClassVar[str] = ""
    """For a kind that grows with the years, the field that dates each record (``day`` or
    ``when``): its older records live in per-year files (:mod:`app.history`)."""
    UNNAMED: ClassVar[str] = ""
    """For kinds with a name: what to call one whose name cleans to nothing (a file edited by
    hand, say), so that it shows as a line someone can find and edit, not a blank one."""

    id: int | None = None
    version: int = 0
    """How many times the store has saved changes to this record (0: never, or from before
    versions were kept). :meth:`app.storage.Store.update` bumps it, and compares it to tell
    an edit of the record as it is now from one of an older copy (another Tend window's
    change came in between)."""
    uid: str = ""
    """The record's identity across exports and imports: a random UUID given by
    :meth:`app.storage.Store.add` (or kept from the file it was imported from), never changed
    by an update. "" in data from before uids; such a record is exported under a stable uid
    derived from the folder's own (see :meth:`app.storage.Store.uid_of`)."""

    @classmethod
    def tally(cls, docs: Iterable[Mapping[str, Any]]) -> dict[str, float] | None:
        """Totals of these stored documents (JSON values, unchecked) that a view adds up
        instead of reading them: the store keeps them beside each history file's name in
        ``tend.json`` (docs/storage.md, 9). None: this kind keeps none."""
        return None

    def to_doc(self) -> dict[str, Any]:
        """JSON-ready data, without the id (the store keeps that as the document key)."""
        return {f.name: _dump(getattr(self, f.name)) for f in fields(self) if f.name != "id"}

    @classmethod
    def from_doc(cls, doc: Any, id: int | None = None) -> Self:
        """Build a record from stored data, checking each field's type."""
        return load_record(cls, doc, id)

    def cleaned(self) -> Self:
        """A copy with every piece of text cleaned (see :mod:`app.textclean`)."""
        changes: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                multiline = f.name in self.MULTILINE
                changes[f.name] = clean_text(
                    value, multiline=multiline, limit=NOTE_LIMIT if multiline else NAME_LIMIT
                )
            elif f.name in self.LINES:
                changes[f.name] = clean_lines(value)
            elif isinstance(value, (list, dict)):
                changes[f.name] = _clean_nested(value)
        if self.UNNAMED and not changes.get("name", "x"):
            changes["name"] = self.UNNAMED
        return dataclasses.replace(self, **changes)


@dataclass(kw_only=True, slots=True)
class Colleague(Record):
    """Someone the user leans on."""

    TABLE: ClassVar[str] = "colleagues"
    UNNAMED: ClassVar[str] = "A colleague without a name"
    MULTILINE: ClassVar[frozenset[str]] = frozenset({"notes"})
    LINES: ClassVar[frozenset[str]] = frozenset({"reach", "tags"})

    name: str
    role: str = "peer"
    reach: list[str] = field(default_factory=list)
    ideal_days: int = 14
    limit_days: int | None = None
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    created: DateTime = field(default_factory=now, metadata={"absent": lambda: LONG_AGO})
    """When they were added. A colleague stored without one (a hand edit) reads as added
    :data:`LONG_AGO`, so they are never "new" (not due) for ever."""
    call_name: str = ""
    """The name they are called by in messages ("" = their first given name, see
    :func:`app.people.call_name`)."""
    want_to_reach_now: bool = False
    """True when the person asked to reach out now: someone new with no contact yet is
    due at once instead of after their first cadence."""
    circle_user: str = ""
    """Their user name in the circle on this server ("" = not linked; see app.circle)."""
    snoozed_until: Date | None = None
    """Not due before this day (on leave, or a talk off the record); None: not snoozed.
    See :func:`app.people.resting`."""
    archived: bool = False
    """Moved on: kept with their history, never due, listed only among the archived."""
    dated_notes: list[dict[str, Any]] = field(default_factory=list)
    """Short dated notes, oldest first: ``{"day": "YYYY-MM-DD", "text": "..."}``."""
    birthday: Date | None = None
    """A date to remember each year (the year may be any); None: not given."""
    joined: Date | None = None
    """The day they joined the team, remembered each year; None: not given."""
    suggest_after_scan: bool = False
    """True when the person would want them suggested after a heavy body scan (see
    :func:`app.bodyscan.trusted_after_heavy_scan`)."""


@dataclass(kw_only=True, slots=True)
class Contact(Record):
    """One time the user was in touch with a colleague."""

    TABLE: ClassVar[str] = "contacts"
    DATED_BY: ClassVar[str] = "when"
    MULTILINE: ClassVar[frozenset[str]] = frozenset({"note"})

    colleague_id: int
    when: DateTime
    kind: str = "message"
    note: str = ""


@dataclass(kw_only=True, slots=True)
class Ritual(Record):
    """A recurring practice. ``schedule`` is :class:`app.schedule.Schedule` data."""

    TABLE: ClassVar[str] = "rituals"
    UNNAMED: ClassVar[str] = "A ritual without a name"
    MULTILINE: ClassVar[frozenset[str]] = frozenset({"note"})

    name: str
    schedule: dict[str, Any] = field(default_factory=lambda: {"kind": "daily"})
    colleague_ids: list[int] = field(default_factory=list)
    contact_kind: str = ""
    """Kind of contact logged with linked colleagues when done ("" = from their role)."""
    note: str = ""
    archived: bool = False
    created: DateTime = field(default_factory=now)
    pauses: list[list[Date]] = field(default_factory=list)
    """Stretches of time away (leave), each ``[first day, last day]``: neither due nor missed
    (:func:`app.rituals.pause_spans` reads them; a pair that does not fit is left out)."""


@dataclass(kw_only=True, slots=True)
class RitualEntry(Record):
    """A ritual done or skipped on one day (one entry per ritual per day)."""

    TABLE: ClassVar[str] = "ritual_entries"
    DATED_BY: ClassVar[str] = "day"
    MULTILINE: ClassVar[frozenset[str]] = frozenset({"note"})

    ritual_id: int
    day: Date
    status: str = "done"  # "done" or "skipped"
    note: str = ""
    created: DateTime = field(default_factory=now)


@dataclass(kw_only=True, slots=True)
class BodyScan(Record):
    """A finished body scan: ratings by item key, sensation words, short notes."""

    TABLE: ClassVar[str] = "scans"
    DATED_BY: ClassVar[str] = "when"

    when: DateTime = field(default_factory=now)
    mode: str = "quick"
    ratings: dict[str, int] = field(default_factory=dict)
    sensations: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


@dataclass(kw_only=True, slots=True)
class BreathingSession(Record):
    """One breathing exercise, finished or ended early."""

    TABLE: ClassVar[str] = "breathing"
    DATED_BY: ClassVar[str] = "when"

    when: DateTime = field(default_factory=now)
    pattern: str = "box"
    pattern_name: str = ""
    planned_seconds: float = 0.0
    actual_seconds: float = 0.0
    cycles_planned: int = 0
    cycles_done: int = 0
    completed: bool = False

    MIN_SECONDS: ClassVar[int] = 10
    """A session shorter than this (or with no whole cycle) is not counted as one."""

    @classmethod
    def counts(cls, actual_seconds: object, cycles_done: object) -> bool:
        """Whether a stored session counts as one: a whole cycle breathed, and at least
        :attr:`MIN_SECONDS` (one opened and closed at once is not a session anyone sat down to)."""
        if isinstance(actual_seconds, bool) or not isinstance(actual_seconds, int | float):
            return False
        if isinstance(cycles_done, bool) or not isinstance(cycles_done, int):
            return False
        return cycles_done >= 1 and actual_seconds >= cls.MIN_SECONDS

    @classmethod
    def tally(cls, docs: Iterable[Mapping[str, Any]]) -> dict[str, float] | None:
        """The sessions that count and their seconds: the breathing screen's "in all"."""
        sessions, seconds = 0, 0.0
        for doc in docs:
            spent, cycles = doc.get("actual_seconds", 0.0), doc.get("cycles_done", 0)
            if cls.counts(spent, cycles):
                sessions += 1
                seconds += spent
        return {"sessions": sessions, "seconds": seconds}


@dataclass(kw_only=True, slots=True)
class BreathingPattern(Record):
    """A named custom breathing pattern: phases as ``[kind, seconds]`` pairs."""

    TABLE: ClassVar[str] = "patterns"
    UNNAMED: ClassVar[str] = "A pattern without a name"

    name: str
    phases: list[list[Any]] = field(default_factory=list)


@dataclass(kw_only=True, slots=True)
class MessageTemplate(Record):
    """A check-in message of the user's own; ``{name}`` is filled in."""

    TABLE: ClassVar[str] = "templates"
    UNNAMED: ClassVar[str] = "A message without a name"
    MULTILINE: ClassVar[frozenset[str]] = frozenset({"text"})

    name: str
    text: str
    fits: list[str] = field(default_factory=list)
    """Role keys the message suits (empty: anyone); see :func:`app.people.templates_for`."""


@dataclass(kw_only=True, slots=True)
class Settings(Record):
    """The user's choices, one document."""

    TABLE: ClassVar[str] = "settings"

    theme: str | None = None
    welcomed: bool = False
    show_streak: bool = True
    starters_offered: bool = False
    """True once the starter rituals were offered (picked or declined): never asked twice."""
    bell: bool = False
    reduced_motion: bool = False
    breathe_last: dict[str, Any] = field(default_factory=dict)
    scan_seconds: int = 8
    circle_dir: str = ""
    """The circle folder joined on this server ("" = none; see app.circle)."""
    circle_share_status: bool = False
    circle_share_checkins: bool = False
    circle_share_asks: bool = False
    """What is shared with the circle: each off until turned on."""
    circle_expiry_days: int = 14
    """Messages older than this many days are no longer shown, and one's own are removed."""
    circle_seen: list[str] = field(default_factory=list)
    """Circle check-ins and asks marked seen ("sender/id")."""
    session_pattern: str = ""
    """When sessions usually start, as the person wrote it (``app.sessions.parse_pattern``
    reads it); "" for none. Kept as text, so a better reader later reads the same words."""
    session_notice_minutes: int = 0
    """A one-line notice (and the bell, if ``bell``) this many minutes before a session; 0: none."""
    support_line: str = ""
    """A support line the person typed themselves (their employee assistance programme,
    their supervisor's number). Shown after a scan only when every signal is high; Tend
    ships no numbers of its own."""


RECORD_TYPES: tuple[type[Record], ...] = (
    Colleague,
    Contact,
    Ritual,
    RitualEntry,
    BodyScan,
    BreathingSession,
    BreathingPattern,
    MessageTemplate,
)
"""Every kind of record kept as a list (settings and drafts are kept apart)."""

BY_TABLE: dict[str, type[Record]] = {cls.TABLE: cls for cls in RECORD_TYPES}

REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    Colleague.TABLE: ((Ritual.TABLE, "colleague_ids"), (Contact.TABLE, "colleague_id")),
    Ritual.TABLE: ((RitualEntry.TABLE, "ritual_id"),),
}
"""For each table, the fields of other tables that hold its ids (table, field)."""
