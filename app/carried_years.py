"""What the rituals list keeps from one start to the next (issue 14, docs/storage.md section 9).

A score or a streak depends on every entry a ritual ever had. The list's first full read of a
start used to read every yearly history file for them; now it reads only the newest year's,
and takes the years before from ``history/rituals-carried.json``: per ritual, its score,
count and streak carried to the end of the year before (:class:`app.progress.Carried`),
written by the read before. A ritual's detail (a year of weeks at most) reads the newest two
years' files and draws on from the carry to the end of the year before those.

The file is worked out from the data, never the data itself, and carries a digest of itself
(one changed by hand is not used). Tend uses it only while the history files up to that year
are the very versions it was worked out from, and, per ritual, while its schedule, first day
and pauses are as they were and ``tend.json`` holds the same entries on or before that day.
Anything else (a file that is not there, damaged, or from another Tend, an old entry edited,
a schedule changed) and the list reads every year, as before, and writes the file again. It
is written whole (temp file, fsync, rename) and readable by its owner only; a symlink in its
place is never followed. Deleting it loses nothing.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from pendulum import Date

from app.history import stem_year
from app.models import Ritual, RitualEntry
from app.progress import MOST_WEEKS, Carried
from app.rituals import (
    UNREAD,
    KeptProgress,
    RitualView,
    effective_states,
    keep_progress,
    lists_from_kept,
    load_states,
    progress_key,
    read_schedule,
    view_from_carry,
)
from app.schedule import ENTRY_STATES
from app.storage import OlderPart, Store, StoreError, atomic_write

FILE_NAME: Final = "rituals-carried.json"
"""Its name, in the data folder's ``history/``."""
SCHEMA: Final = 1
SIZE_LIMIT: Final = 64 * 1024 * 1024
"""A larger file is not read (a few years of a hundred rituals is about a megabyte)."""

Versions = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class YearEnd:
    """One ritual at the end of :attr:`CarriedYears.through`."""

    key: str
    """Its schedule, first day and pauses as they were (:func:`app.rituals.progress_key`)."""
    first: Date | None
    """Its earliest entry then, if any."""
    upto: dict[Date, str]
    """The entries ``tend.json`` held on or before that day, as they were."""
    carried: Carried | None
    """What was carried to that day; None when the ritual had not begun by then (so every
    entry it has is after it)."""
    earlier: Carried | str | None = None
    """What was carried to the end of the year before (a ritual's detail draws its year of
    weeks on from it): :data:`AFTER` when the ritual had not begun by then, None when
    nothing could be carried."""


AFTER: Final = "after"
"""What :attr:`YearEnd.earlier` says of a ritual that had not begun by then."""


def earlier_day(through: Date) -> Date:
    """The end of the year before ``through``'s."""
    return Date(through.year - 1, 12, 31)


@dataclass(frozen=True)
class CarriedYears:
    """The whole file: every ritual carried to the end of ``through``, worked out from the
    history files ``files`` (the versions of those dated up to ``through``'s year)."""

    through: Date
    files: Versions
    rituals: dict[int, YearEnd]


def through_for(versions: Versions) -> Date | None:
    """Where to carry to, for history files ``versions``: the end of the year before the newest
    file's, so a start reads only that file. None when there is no file before it."""
    years = sorted({stem_year(name) for name, _ in versions})
    if len(years) < 2:
        return None
    return Date(years[-1] - 1, 12, 31)


def files_through(versions: Versions, through: Date) -> Versions:
    """The versions of the files dated on or before ``through``'s year."""
    return tuple((name, generation) for name, generation in versions if stem_year(name) <= through.year)


# --------------------------------------------------------------------------- the file


def read(folder: Path) -> CarriedYears | None:
    """The file in ``folder`` (``history/``), or None when it is not there or not one Tend
    wrote whole (then it is worked out again). Never follows a symlink; never raises."""
    try:
        fd = os.open(folder / FILE_NAME, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_size > SIZE_LIMIT:
            return None
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return _parse(json.loads(b"".join(chunks)))
    except (OSError, ValueError, TypeError, KeyError, RecursionError):
        return None
    finally:
        os.close(fd)


def write(folder: Path, carried: CarriedYears) -> bool:
    """Write the file whole (readable by its owner only); False when it could not be (it is
    worked out again next time: nothing is lost)."""
    body = _doc(carried)
    data = json.dumps({**body, "check": _check(body)}, separators=(",", ":")).encode()
    try:
        atomic_write(folder / FILE_NAME, data)
    except (OSError, StoreError):
        return False
    return True


def _check(body: Mapping[str, Any]) -> str:
    """A digest of the content, so a file changed by hand (or by the disk) is not trusted."""
    return hashlib.blake2b(json.dumps(body, sort_keys=True, separators=(",", ":")).encode(), digest_size=16).hexdigest()


def _doc(carried: CarriedYears) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "through": carried.through.isoformat(),
        "files": [[name, generation] for name, generation in carried.files],
        "rituals": {str(rid): _year_end_doc(end) for rid, end in carried.rituals.items()},
    }


def _carried_doc(c: Carried | None) -> dict[str, Any] | None:
    return None if c is None else {
        "day": c.day, "begin": c.begin, "value": c.value, "settled": c.settled, "asked": c.asked,
        "streak": c.streak, "resync": c.resync, "entries": [[when, state] for when, state in c.entries.items()],
    }  # fmt: skip


def _year_end_doc(end: YearEnd) -> dict[str, Any]:
    return {
        "key": end.key,
        "first": end.first.isoformat() if end.first else None,
        "upto": {day.isoformat(): state for day, state in end.upto.items()},
        "carried": _carried_doc(end.carried),
        "earlier": end.earlier if isinstance(end.earlier, str) else _carried_doc(end.earlier),
    }


def _int(value: object) -> int:
    if type(value) is not int or not 0 <= value <= Date.max.toordinal():
        raise ValueError("not a day or a count")
    return value


def _day(value: object) -> Date:
    if type(value) is not str:
        raise ValueError("not a date")
    return Date.fromisoformat(value)


def _state(value: object) -> str:
    if value not in ENTRY_STATES:
        raise ValueError("not an entry's state")
    return str(value)


def _parse(doc: object) -> CarriedYears:
    """The file's content, every field checked (a ValueError, TypeError or KeyError if one is
    not what Tend writes)."""
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise ValueError("not this Tend's file")
    body = {key: value for key, value in doc.items() if key != "check"}
    if doc.get("check") != _check(body):
        raise ValueError("changed since it was written")
    files = doc["files"]
    if not isinstance(files, list) or not all(isinstance(f, list) and len(f) == 2 and type(f[0]) is str for f in files):
        raise ValueError("files")
    rituals = doc["rituals"]
    if not isinstance(rituals, dict):
        raise ValueError("rituals")
    return CarriedYears(
        through=_day(doc["through"]),
        files=tuple((name, _int(generation)) for name, generation in files),
        rituals={int(rid): _parse_year_end(end) for rid, end in rituals.items() if str(int(rid)) == rid},
    )


def _parse_year_end(doc: Any) -> YearEnd:
    if not isinstance(doc, dict) or type(doc["key"]) is not str or not isinstance(doc["upto"], dict):
        raise ValueError("a ritual")
    first = None if doc["first"] is None else _day(doc["first"])
    upto = {_day(day): _state(state) for day, state in doc["upto"].items()}
    earlier = doc["earlier"]
    if earlier != AFTER:
        earlier = None if earlier is None else _parse_carried(earlier)
    return YearEnd(doc["key"], first, upto, None if doc["carried"] is None else _parse_carried(doc["carried"]), earlier)


def _parse_carried(c: Any) -> Carried:
    if not isinstance(c, dict):
        raise ValueError("carried")
    value = c["value"]
    if type(value) is not float or not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ValueError("a score")
    if not isinstance(c["entries"], list):
        raise ValueError("entries")
    entries = {}
    for pair in c["entries"]:
        if not isinstance(pair, list) or len(pair) != 2:
            raise ValueError("an entry")
        entries[_int(pair[0])] = _state(pair[1])
    return Carried(
        day=_int(c["day"]), begin=_int(c["begin"]), value=value, settled=_int(c["settled"]), asked=_int(c["asked"]),
        streak=_int(c["streak"]), resync=_int(c["resync"]), entries=entries,
    )  # fmt: skip


# --------------------------------------------------------------------------- per ritual


def year_end(record: Ritual, every: dict[Date, str], recent: dict[Date, str], through: Date, today: Date) -> YearEnd | None:
    """From every entry of a ritual (and those ``tend.json`` holds, ``recent``): what to keep
    of it at the end of ``through``; None when nothing can be (see ``split_point``)."""
    from app.progress import advance, carry, first_day

    key = progress_key(record)
    first = min(every) if every else None
    upto = {day: state for day, state in recent.items() if day <= through}
    schedule, _ = read_schedule(record, every)
    if schedule is None:  # no score to carry: its view reads only what tend.json holds
        return YearEnd(key, first, upto, None, AFTER)
    counted = effective_states(schedule, record, every, today)
    since = record.created.date()
    before = {day: state for day, state in counted.items() if day <= through}
    if first_day(schedule, before, since=since) > through:
        return YearEnd(key, first, upto, None, AFTER)  # it begins after: every entry it has is later
    # Walked once: to the end of the year before, then on from there.
    year_before = earlier_day(through)
    earlier: Carried | str | None = AFTER
    if first_day(schedule, {d: s for d, s in before.items() if d <= year_before}, since=since) <= year_before:
        earlier = carry(schedule, {d: s for d, s in before.items() if d <= year_before}, year_before, since=since)
    carried = None
    if isinstance(earlier, Carried):
        carried = advance(schedule, earlier, {d: s for d, s in before.items() if d > year_before}, through)
    if carried is None:
        carried = carry(schedule, before, through, since=since)
    return YearEnd(key, first, upto, carried, earlier) if carried is not None else None


def holds(end: YearEnd, record: Ritual, recent: dict[Date, str], through: Date) -> bool:
    """Whether what was kept of a ritual still holds: the same schedule, first day and pauses,
    and ``tend.json`` holding the same entries on or before ``through`` (history files up to
    it being the versions it was worked out from is for the caller to check)."""
    return end.key == progress_key(record) and end.upto == {
        day: state for day, state in recent.items() if day <= through
    }


def _earliest(end: YearEnd, after: dict[Date, str]) -> Date | None:
    days = [*([end.first] if end.first else []), *([min(after)] if after else [])]
    return min(days) if days else None


def _carried_on(end: YearEnd, record: Ritual, after: dict[Date, str], through: Date, to: Date, today: Date) -> Carried | None:
    """What was carried to the end of ``through``, moved on to the end of ``to`` with the
    entries after it (``after``, pauses counted as skips); None when it cannot be."""
    from app.progress import advance

    schedule, _ = read_schedule(record, after, first=end.first)
    if schedule is None or end.carried is None:
        return None
    later = {day: state for day, state in after.items() if day > through}
    counted = effective_states(schedule, record, later, today, first=end.first)
    return advance(schedule, end.carried, {day: state for day, state in counted.items() if day <= to}, to)


def move_on(end: YearEnd, record: Ritual, after: dict[Date, str], recent: dict[Date, str],
            through: Date, to: Date, today: Date) -> YearEnd | None:  # fmt: skip
    """What was kept at the end of ``through``, moved on to the end of ``to`` with the entries
    after it (``after``: every entry read besides it); None when it cannot be."""
    if end.carried is None:  # nothing before ``through``: ``after`` holds every entry
        return year_end(record, after, recent, to, today)
    if to.year != through.year + 1:
        return None  # more than a year on: what the detail goes on from is not kept
    carried = _carried_on(end, record, after, through, to, today)
    if carried is None:
        return None
    return YearEnd(end.key, _earliest(end, after), {day: state for day, state in recent.items() if day <= to}, carried,
                   end.carried)  # fmt: skip


def keep_from(end: YearEnd, record: Ritual, after: dict[Date, str], recent: dict[Date, str],
              through: Date, today: Date) -> KeptProgress | None:  # fmt: skip
    """:func:`app.rituals.keep_progress` from what was kept at the end of ``through`` and the
    entries after it (``after``: every entry read besides it), not from every entry."""
    if end.carried is None:
        return keep_progress(record, after, recent, today)
    if read_schedule(record, after, first=end.first)[0] is None:
        return KeptProgress(UNREAD, {}, None)
    older = [day for day, state in after.items() if day > through and recent.get(day) != state]
    carried: Carried | None = end.carried
    if older:
        last = max(older)
        if last >= today:
            return None
        carried = _carried_on(end, record, after, through, last, today)
    if carried is None:
        return None
    upto = Date.fromordinal(carried.day)
    return KeptProgress(progress_key(record), {day: state for day, state in recent.items() if day <= upto},
                        carried, _earliest(end, after))  # fmt: skip


# --------------------------------------------------------------------------- the list's read


@dataclass
class ListsRead:
    """The rituals list with scores and streaks, as the full read of a start works it out."""

    active: list[RitualView]
    archived: list[RitualView]
    progress: dict[int, KeptProgress | None]
    """What later refreshes go on from (:func:`app.rituals.lists_from_kept`)."""
    files_read: Versions
    """The history files it read."""


def read_lists(store: Store, part: OlderPart, rituals: list[Ritual], recent: dict[int, dict[Date, str]],
               today: Date, *, archived: bool) -> ListsRead | None:  # fmt: skip
    """In a worker thread (``part``, ``rituals`` and ``recent`` taken on the event loop): the
    lists from the history files after the year kept in :data:`FILE_NAME` and what it kept,
    or from every file when it does not hold; then the file written again when there is more
    to keep. None when a history file went meanwhile (take ``part`` again)."""
    through = through_for(part.versions)
    kept = read(store.history_dir) if through is not None else None
    ends = _holding(kept, part.versions, rituals, recent) if kept is not None else None
    if kept is not None and ends is not None:
        found = _from_kept(store, part, kept.through, ends, rituals, recent, today, archived=archived)
        if found is not None:
            lists, after = found
            if through is not None and through > kept.through and not store.read_only:
                _move_on(store, part.versions, kept.through, ends, rituals, after, recent, through, today)
            return lists
    return _from_every_year(store, part, through, rituals, recent, today, archived=archived)


def _from_kept(store: Store, part: OlderPart, through: Date, ends: dict[int, YearEnd], rituals: list[Ritual],
               recent: dict[int, dict[Date, str]], today: Date, *, archived: bool,
               ) -> tuple[ListsRead, dict[int, dict[Date, str]]] | None:  # fmt: skip
    """The lists from the files after ``through`` and what was kept to it (and the entries
    read); None when a ritual cannot go on from it, or a file went meanwhile."""
    newer = part.from_year(through.year + 1)
    docs = store.read_older(newer)
    if docs is None:
        return None
    after = load_states(store, among=docs)
    progress: dict[int, KeptProgress | None] = {}
    for record in rituals:
        rid = record.id or 0
        progress[rid] = keep_from(ends[rid], record, after.get(rid, {}), recent.get(rid, {}), through, today)
        if progress[rid] is None:
            return None
    found = lists_from_kept(store, today, progress, archived=archived, recent=recent, rituals=rituals)
    return (ListsRead(*found, progress, newer.versions), after) if found is not None else None


def _from_every_year(store: Store, part: OlderPart, through: Date | None, rituals: list[Ritual],
                     recent: dict[int, dict[Date, str]], today: Date, *, archived: bool) -> ListsRead | None:  # fmt: skip
    """The lists from every history file, keeping to the end of ``through`` for the next start."""
    docs = store.read_older(part)
    if docs is None:
        return None
    every = load_states(store, among=docs)
    progress: dict[int, KeptProgress | None] = {}
    years: dict[int, YearEnd] = {}
    for record in rituals:
        # Each ritual walked once from its first day: to the end of last year (what the next
        # start goes on from), then on from there to its last older entry (what a refresh
        # after a save goes on from).
        rid = record.id or 0
        end = year_end(record, every.get(rid, {}), recent.get(rid, {}), through, today) if through is not None else None
        kept_now = None
        if end is not None and through is not None:
            years[rid] = end
            kept_now = keep_from(end, record, every.get(rid, {}), recent.get(rid, {}), through, today)
        progress[rid] = kept_now or keep_progress(record, every.get(rid, {}), recent.get(rid, {}), today)
    # The lists from what was kept, as every later refresh works them out; from every entry
    # where nothing could be kept.
    found = lists_from_kept(store, today, progress, archived=archived, recent=recent, rituals=rituals, every=every)
    assert found is not None  # every ritual falls back to its entries
    if through is not None and not store.read_only:
        write(store.history_dir, CarriedYears(through, files_through(part.versions, through), years))
    return ListsRead(*found, progress, part.versions)


def _holding(kept: CarriedYears, versions: Versions, rituals: list[Ritual],
             recent: dict[int, dict[Date, str]]) -> dict[int, YearEnd] | None:  # fmt: skip
    """Per ritual, what ``kept`` holds of it, if it all still holds; else None."""
    if kept.files != files_through(versions, kept.through) or not kept.files:
        return None
    ends: dict[int, YearEnd] = {}
    for record in rituals:
        rid = record.id or 0
        end = kept.rituals.get(rid)
        if end is None and record.created.date() > kept.through:
            # Made since: anything it has on or before that day was logged late, so it is in
            # tend.json (or was moved into a file since, which changes the file's version).
            end = YearEnd(progress_key(record), None, {}, None, AFTER)
        if end is None or not holds(end, record, recent.get(rid, {}), kept.through):
            return None
        ends[rid] = end
    return ends


def _move_on(store: Store, versions: Versions, was: Date, ends: dict[int, YearEnd], rituals: list[Ritual],
             after: dict[int, dict[Date, str]], recent: dict[int, dict[Date, str]], through: Date, today: Date) -> None:  # fmt: skip
    """A year has turned since the file was written: move each ritual on to the new year's
    end and write it again (a ritual that cannot be moved on is left out: read in full)."""
    years = {}
    for record in rituals:
        rid = record.id or 0
        moved = move_on(ends[rid], record, after.get(rid, {}), recent.get(rid, {}), was, through, today)
        if moved is not None:
            years[rid] = moved
    write(store.history_dir, CarriedYears(through, files_through(versions, through), years))


# --------------------------------------------------------------------------- a ritual's detail


def read_detail(store: Store, part: OlderPart, record: Ritual, recent: dict[Date, str], today: Date) -> RitualView | str | None:
    """In a worker thread: one ritual for its detail from the history files since the year
    before the one kept in :data:`FILE_NAME` and what was kept to its start (state, score and
    streak count every entry; the heatmap goes on from what was carried, so its year of weeks
    is what every entry draws). None when what was kept does not hold for it (read every
    entry); :data:`GONE` when a history file went meanwhile."""
    kept = read(store.history_dir) if through_for(part.versions) is not None else None
    if kept is None:
        return None
    ends = _holding(kept, part.versions, [record], {record.id or 0: recent})
    end = ends.get(record.id or 0) if ends else None
    if end is None or end.earlier is None:
        return None
    start = earlier_day(kept.through)
    if (today.toordinal() - today.weekday() - 7 * (MOST_WEEKS - 1)) <= start.toordinal():
        return None  # (a clock set back) the widest heatmap would reach before what is read
    docs = store.read_older(part.from_year(start.year + 1))
    if docs is None:
        return GONE
    rid = record.id or 0
    entries = store.select(RitualEntry, lambda doc: doc.get("ritual_id") == rid, among=docs)
    by_day = {entry.day: entry for entry in entries}
    states = {day: entry.status for day, entry in by_day.items() if entry.status in ENTRY_STATES}
    progress = keep_from(end, record, states, recent, kept.through, today)
    view = view_from_carry(record, recent, today, progress) if progress is not None else None
    if view is None:
        return None
    view.states, view.entries = states, by_day
    if isinstance(end.earlier, Carried):  # (else every entry it has is among these)
        view.entries_from, view.heatmap_from = start.add(days=1), end.earlier
    return view


GONE: Final = "gone"
"""What :func:`read_detail` says when a history file it was to read had gone meanwhile."""
