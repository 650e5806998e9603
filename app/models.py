"""Typed records: what Tend stores, one dataclass per kind.

Records are plain dataclasses. ``to_doc`` turns one into JSON-ready data (pendulum datetimes
as ISO 8601 with their offset, dates as ``YYYY-MM-DD``); ``from_doc`` reads it back and checks
types, raising :class:`RecordError` with a plain message for data of the wrong shape.
``cleaned`` returns a copy with every piece of text passed through
:func:`app.textclean.clean_text`; the store calls it on every save, so no screen can forget.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any, ClassVar, Self, TypeVar

import pendulum
from pendulum import Date, DateTime

from app.textclean import NAME_LIMIT, NOTE_LIMIT, clean_lines, clean_text

NESTED_TEXT_LIMIT = 500


class RecordError(ValueError):
    """Data that does not fit a record, with a message a person can act on."""


def now() -> DateTime:
    """The current local time (pendulum honours ``travel_to`` in tests)."""
    return pendulum.now()


def parse_datetime(value: str) -> DateTime:
    parsed = pendulum.parse(value)
    if not isinstance(parsed, DateTime):
        raise RecordError(f"{value!r} is not a date and time")
    return parsed


def parse_date(value: str) -> Date:
    try:
        return Date.fromisoformat(value)
    except (TypeError, ValueError):
        raise RecordError(f"{value!r} is not a date (YYYY-MM-DD)") from None


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


def _strip_optional(hint: Any) -> tuple[Any, bool]:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(args) == 1:
            return args[0], True
    return hint, False


def _load(hint: Any, value: Any, name: str) -> Any:
    base, optional = _strip_optional(hint)
    if value is None:
        if optional:
            return None
        raise RecordError(f"{name} is missing")
    origin = typing.get_origin(base) or base
    if base is DateTime:
        if isinstance(value, DateTime):
            return value
        if not isinstance(value, str):
            raise RecordError(f"{name} should be a date and time")
        try:
            return parse_datetime(value)
        except (ValueError, TypeError) as error:
            raise RecordError(f"{name}: {value!r} is not a date and time") from error
    if base is Date:
        if isinstance(value, Date):
            return value
        if not isinstance(value, str):
            raise RecordError(f"{name} should be a date")
        return parse_date(value)
    if base is bool:
        if not isinstance(value, bool):
            raise RecordError(f"{name} should be true or false")
        return value
    if base is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise RecordError(f"{name} should be a whole number")
        return value
    if base is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RecordError(f"{name} should be a number")
        return float(value)
    if base is str:
        if not isinstance(value, str):
            raise RecordError(f"{name} should be text")
        return value
    if origin is list:
        if not isinstance(value, list):
            raise RecordError(f"{name} should be a list")
        (item_hint,) = typing.get_args(base) or (Any,)
        return [_load(item_hint, item, name) for item in value]
    if origin is dict:
        if not isinstance(value, dict):
            raise RecordError(f"{name} should be a mapping")
        return dict(value)
    return value


def _clean_nested(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value, limit=NESTED_TEXT_LIMIT)
    if isinstance(value, list):
        return [_clean_nested(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(str(key)): _clean_nested(item) for key, item in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


R = TypeVar("R", bound="Record")


@dataclass(kw_only=True)
class Record:
    """Base of every stored record. ``id`` is the store's document id (None until saved)."""

    TABLE: ClassVar[str] = ""
    MULTILINE: ClassVar[frozenset[str]] = frozenset()
    """Text fields that may hold several lines (capped at NOTE_LIMIT)."""
    LINES: ClassVar[frozenset[str]] = frozenset()
    """List-of-text fields kept one entry per line (phones, tags)."""

    id: int | None = None

    def to_doc(self) -> dict[str, Any]:
        """JSON-ready data, without the id (the store keeps that as the document key)."""
        return {f.name: _dump(getattr(self, f.name)) for f in fields(self) if f.name != "id"}

    @classmethod
    def from_doc(cls, doc: Any, id: int | None = None) -> Self:
        """Build a record from stored data, checking each field's type."""
        if not isinstance(doc, dict):
            raise RecordError(f"a {cls.__name__} entry should be a mapping")
        hints = _hints(cls)
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name == "id" or f.name not in doc:
                continue
            values[f.name] = _load(hints[f.name], doc[f.name], f.name)
        try:
            return cls(id=id, **values)
        except TypeError as error:
            raise RecordError(f"a {cls.__name__} entry is missing a field: {error}") from None

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
        return dataclasses.replace(self, **changes)


@dataclass(kw_only=True)
class Colleague(Record):
    """Someone the user leans on."""

    TABLE: ClassVar[str] = "colleagues"
    MULTILINE: ClassVar[frozenset[str]] = frozenset({"notes"})
    LINES: ClassVar[frozenset[str]] = frozenset({"reach", "tags"})

    name: str
    role: str = "peer"
    reach: list[str] = field(default_factory=list)
    ideal_days: int = 14
    limit_days: int | None = None
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    created: DateTime = field(default_factory=now)


@dataclass(kw_only=True)
class Contact(Record):
    """One time the user was in touch with a colleague."""

    TABLE: ClassVar[str] = "contacts"
    MULTILINE: ClassVar[frozenset[str]] = frozenset({"note"})

    colleague_id: int
    when: DateTime
    kind: str = "message"
    note: str = ""


@dataclass(kw_only=True)
class Ritual(Record):
    """A recurring practice. ``schedule`` is :class:`app.schedule.Schedule` data."""

    TABLE: ClassVar[str] = "rituals"
    MULTILINE: ClassVar[frozenset[str]] = frozenset({"note"})

    name: str
    schedule: dict[str, Any] = field(default_factory=lambda: {"kind": "daily"})
    colleague_ids: list[int] = field(default_factory=list)
    note: str = ""
    archived: bool = False
    created: DateTime = field(default_factory=now)


@dataclass(kw_only=True)
class RitualEntry(Record):
    """A ritual done or skipped on one day (one entry per ritual per day)."""

    TABLE: ClassVar[str] = "ritual_entries"
    MULTILINE: ClassVar[frozenset[str]] = frozenset({"note"})

    ritual_id: int
    day: Date
    status: str = "done"  # "done" or "skipped"
    note: str = ""
    created: DateTime = field(default_factory=now)


@dataclass(kw_only=True)
class BodyScan(Record):
    """A finished body scan: ratings by item key, sensation words, short notes."""

    TABLE: ClassVar[str] = "scans"

    when: DateTime = field(default_factory=now)
    mode: str = "quick"
    ratings: dict[str, int] = field(default_factory=dict)
    sensations: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class BreathingSession(Record):
    """One breathing exercise, finished or ended early."""

    TABLE: ClassVar[str] = "breathing"

    when: DateTime = field(default_factory=now)
    pattern: str = "box"
    pattern_name: str = ""
    planned_seconds: float = 0.0
    actual_seconds: float = 0.0
    cycles_planned: int = 0
    cycles_done: int = 0
    completed: bool = False


@dataclass(kw_only=True)
class BreathingPattern(Record):
    """A named custom breathing pattern: phases as ``[kind, seconds]`` pairs."""

    TABLE: ClassVar[str] = "patterns"

    name: str
    phases: list[list[Any]] = field(default_factory=list)


@dataclass(kw_only=True)
class MessageTemplate(Record):
    """A check-in message of the user's own; ``{name}`` is filled in."""

    TABLE: ClassVar[str] = "templates"
    MULTILINE: ClassVar[frozenset[str]] = frozenset({"text"})

    name: str
    text: str


@dataclass(kw_only=True)
class Settings(Record):
    """The user's choices, one document."""

    TABLE: ClassVar[str] = "settings"

    theme: str | None = None
    welcomed: bool = False
    show_streak: bool = True
    bell: bool = False
    reduced_motion: bool = False
    breathe_last: dict[str, Any] = field(default_factory=dict)
    scan_seconds: int = 8


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
