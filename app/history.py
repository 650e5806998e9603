"""Where old records live in the split store (issue 14, docs/storage.md): plain functions
over stored documents, no files and no Textual.

Four kinds grow with the years (*dated* kinds, :data:`DATED`). A record of one of them
stays in ``tend.json`` while it is recent; once it is older than :data:`WINDOW_DAYS` it moves
to its kind's file for its year (``history/contacts-2024.g000012.json``) at the next
*roll-over*. What the first frame needs from those files is *kept* in ``tend.json`` beside the
records (:func:`prune`): per ritual the last :data:`KEEP_DONE` done days, the last skipped
day and the first entry; per colleague the latest contact; the latest scan and breathing
session. Kept documents are copies: the record itself is in its year file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

from app.models import MAX_YEAR, MIN_YEAR, RECORD_TYPES, moment_of

DATED: Final[dict[str, str]] = {cls.TABLE: cls.DATED_BY for cls in RECORD_TYPES if cls.DATED_BY}
"""Each dated kind's table, with the field that dates it (``day`` or ``when``)."""

WINDOW_DAYS: Final = 42
"""Records of the last six weeks stay in ``tend.json`` (docs/storage.md, section 2)."""
ROLL_SLACK_DAYS: Final = 7
"""A roll-over happens once a week's worth of records has aged out of the window."""
KEEP_DONE: Final = 31
"""Done days before the window kept per ritual: "n times in d days" (d <= 31) is overdue
since the day its last n done days stopped covering (tests/test_storage_window.py)."""

_STEM = re.compile(r"^(?P<table>[a-z_]+)-(?P<year>\d{4})$")
_VERSIONED = re.compile(r"^(?P<stem>[a-z_]+-\d{4})\.g(?P<gen>\d{6})\.json$")


def stem(table: str, year: str) -> str:
    """The name (without generation) of ``table``'s file for ``year``: ``contacts-2024``."""
    return f"{table}-{year}"


def stem_parts(name: str) -> tuple[str, int] | None:
    """(table, year) of a stem, or None if it is not one."""
    found = _STEM.match(name)
    return (found["table"], int(found["year"])) if found else None


def stem_year(name: str) -> int:
    """The year of a stem (``ritual_entries-2024``), 0 for anything else."""
    parts = stem_parts(name)
    return parts[1] if parts else 0


def newest_holding(counts: Mapping[str, int], wanted: int) -> tuple[int | None, int]:
    """For a view that needs only the ``wanted`` newest records of a kind: the first year
    whose history files (``counts``: each file's stem and record count, as the manifest says)
    and those after it hold at least ``wanted``, and how many records the files before that
    year hold (the count without reading them). ``(None, 0)`` when every file is needed.

    A record's file is its year's, so every record in an older file is older than any in a
    newer one; ``tend.json``'s own records are always read and only add to what is found."""
    found = 0
    by_year = sorted(((stem_year(name), count) for name, count in counts.items()), reverse=True)
    for index, (year, count) in enumerate(by_year):
        found += count
        if found >= wanted:
            before = sum(number for _, number in by_year[index + 1 :])
            return (year, before) if before else (None, 0)
    return None, 0


def is_stem(name: object) -> bool:
    return isinstance(name, str) and _STEM.match(name) is not None


def versioned(name: str, generation: int) -> str:
    """The file name of ``name``'s version written by change ``generation``."""
    if not is_stem(name) or not 0 < generation < 10**6:
        raise ValueError(f"not a history file: {name!r} generation {generation}")
    return f"{name}.g{generation:06d}.json"


def parse_versioned(name: str) -> tuple[str, int] | None:
    found = _VERSIONED.match(name)
    return (found["stem"], int(found["gen"])) if found else None


def day_key(doc: Mapping[str, Any], field: str) -> str | None:
    """The stored date of a document as ``YYYY-MM-DD`` (the day as it was written in its
    ``day`` or ``when``), or None when it has none Tend can read: such a record never
    leaves ``tend.json``, where the app names it as left out."""
    value = doc.get(field)
    if type(value) is not str or len(value) < 10:
        return None
    if field == "day":
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return None
        return value if MIN_YEAR <= day.year <= MAX_YEAR else None
    return value[:10] if moment_of(value) is not None and value[:10].isascii() and value[4] == "-" else None


def cut_for(today: dt.date) -> str:
    """The first day that stays in ``tend.json`` at a roll-over on ``today``."""
    return (today - dt.timedelta(days=WINDOW_DAYS)).isoformat()


def due(docs_by_table: Mapping[str, Mapping[str, Any]], today: dt.date) -> bool:
    """Whether ``tend.json`` holds a week's worth of records older than the window."""
    limit = (today - dt.timedelta(days=WINDOW_DAYS + ROLL_SLACK_DAYS)).isoformat()
    for table, field in DATED.items():
        for doc in (docs_by_table.get(table) or {}).values():
            key = day_key(doc, field)
            if key is not None and key < limit:
                return True
    return False


def aged(docs: Mapping[str, Any], field: str, cut: str) -> dict[str, dict[str, dict[str, Any]]]:
    """The documents dated before ``cut``, by the year they belong to: {year: {id: doc}}."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for key, doc in docs.items():
        day = day_key(doc, field)
        if day is not None and day < cut:
            found.setdefault(day[:4], {})[key] = doc
    return found


# --------------------------------------------------------------------------- what is kept


def _moment(doc: Mapping[str, Any]) -> dt.datetime | None:
    return moment_of(doc.get("when"))


def prune(table: str, docs: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Of ``docs`` (history documents of ``table``, by id), the ones Today and the lists need
    (see the module's doc). Exact under additions: ``prune(t, prune(t, a) | b)`` equals
    ``prune(t, a | b)``, so a roll-over folds the records it moves into what is kept."""
    if table == "ritual_entries":
        return _prune_entries(docs)
    group = "colleague_id" if table == "contacts" else None
    best: dict[Any, tuple[dt.datetime, list[str]]] = {}
    for key, doc in docs.items():
        moment = _moment(doc)
        if moment is None:
            continue
        name = doc.get(group) if group else None
        if group and type(name) is not int:
            continue
        held = best.get(name)
        if held is None or moment > held[0]:
            best[name] = (moment, [key])
        elif moment == held[0]:
            held[1].append(key)
    return {key: dict(docs[key]) for _, keys in best.values() for key in keys}


def _prune_entries(docs: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    by_ritual: dict[int, list[tuple[str, str, str]]] = {}
    for key, doc in docs.items():
        ritual, day, state = doc.get("ritual_id"), doc.get("day"), doc.get("status")
        if type(ritual) is not int or type(day) is not str or type(state) is not str:
            continue
        by_ritual.setdefault(ritual, []).append((day, key, state))
    kept: dict[str, dict[str, Any]] = {}
    for ritual, rows in by_ritual.items():
        rows.sort()
        chosen = [rows[0]]  # the first entry: where an unanchored schedule counts from
        chosen += [row for row in rows if row[2] == "done"][-KEEP_DONE:]
        chosen += [row for row in rows if row[2] == "skipped"][-1:]
        for day, key, state in chosen:
            kept[key] = {"ritual_id": ritual, "day": day, "status": state}
    return kept


def fold(table: str, kept: Mapping[str, Mapping[str, Any]], added: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """What is kept once ``added`` joins the history that ``kept`` was pruned from."""
    return prune(table, {**kept, **added})


def id_range(keys: Iterable[str]) -> list[int]:
    """[lowest, highest] id among ``keys`` ([0, 0] for none)."""
    ids = [int(key) for key in keys]
    return [min(ids), max(ids)] if ids else [0, 0]
