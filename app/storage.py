"""The store: private, crash-safe, and safe for two Tend sessions of the same user.

How it keeps its promises:

* **Private.** The data folder is created 0700 and every file in it 0600, whatever the umask.
  A folder or file that is a symlink, or belongs to another user, is refused; one of ours that
  is too open is tightened, with a warning.
* **Atomic.** A save writes a temp file in the same folder, fsyncs it, ``os.replace``-s it over
  the database and fsyncs the folder. A crash leaves either the old file or the new one.
* **Two writers.** Every change runs under an ``flock`` on ``tend.lock``. Inside the lock the
  file is read afresh (unless its inode, size and times show it is the copy we already hold),
  and new ids come from the high-water marks in ``_meta`` (``last_ids``) written with the data,
  so ids never collide across processes and are never reused. A wait
  for the lock is never unbounded: it polls and gives up with :class:`LockBusy` (see
  :class:`InterProcessLock`), so another Tend's long import never freezes this one.
* **Transactions.** ``with store.transaction():`` groups changes into one write; an exception
  inside leaves the file as it was.
* **Versions.** Every record carries a version, bumped by :meth:`Store.update` under the lock.
  An edit of an older copy (another Tend saved in between) is merged field by field with the
  stored record; a field both changed differently raises :class:`ConflictError`, and nothing
  is saved.
* **Ids are never reused.** ``_meta`` keeps each table's highest id ever given, written in the
  same atomic write as the record, so removing the newest record never frees its id.
* **Clean text.** Records are cleaned (:mod:`app.textclean`) on every save, and also as they
  are read whenever the file may hold text Tend did not clean (edited by hand, or written by
  another program): a quick scan of the raw bytes decides, so ordinary files cost nothing.
* **Damage.** A database that is empty, unparseable or of the wrong shape is never
  overwritten: at start it is moved aside with a timestamp and the newest good copy (the
  backup, refreshed on every good start, or one kept aside) is restored. A missing database
  with copies beside it is restored the same way, never taken for a first run. If the copy
  cannot be put in place (a full disk), nothing is created and the error says where
  everything is. A backup is never overwritten by less: one that cannot be read, or holds more
  entries than the data replacing it, is kept aside first. A file from a newer Tend, or a
  folder Tend may not write to, opens read-only.
* **Hard links.** A file of ours with another name elsewhere is refused, as a symlink is:
  tightening its permissions would change that other file too.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import errno
import functools
import gc
import os
import stat
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Collection, Iterator, Mapping, MutableMapping
from itertools import repeat
from pathlib import Path
from typing import Any, TypeVar

import orjson
import pendulum
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from app.models import (
    BY_TABLE,
    MAX_YEAR,
    MIN_YEAR,
    RECORD_TYPES,
    REFERENCES,
    Record,
    RecordError,
    Settings,
    copy_record,
    differing_fields,
    load_record,
    merge_records,
    moment_of,
    nested_within,
    stored_form,
)
from app.paths import DataPaths, shown_path
from app.textclean import json_may_hold_unclean_text, strip_controls

SCHEMA_VERSION = 2
"""1: everything in ``tend.json``. 2: the split layout of docs/storage.md (older dated
records in ``history/``, see :mod:`app.history`); the records themselves are unchanged."""
META_TABLE = "_meta"
DRAFTS_TABLE = "drafts"
KNOWN_TABLES = frozenset({META_TABLE, DRAFTS_TABLE, Settings.TABLE} | {cls.TABLE for cls in RECORD_TYPES})

R = TypeVar("R", bound=Record)

NEWER_TEND = "This data was saved by a newer Tend, so this one only reads it. Update Tend to make changes."

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class StoreError(Exception):
    """Something went wrong with the data; ``str(error)`` is a plain message for the user."""


class UnsafePathError(StoreError):
    """The data folder or a file in it is a symlink or belongs to someone else."""


class DamagedFileError(StoreError):
    """The data file cannot be read as Tend data."""


class ReadOnlyError(StoreError):
    """The data came from a newer Tend; this one only reads it."""


class SaveError(StoreError):
    """A save failed; the file on disk is the one from before."""


class RecoveryError(StoreError):
    """The data file was damaged or missing and nothing could be put in its place; nothing
    was deleted, and the message says where everything is."""


class MissingRecordError(StoreError):
    """The record was removed, probably in another Tend window."""


class LockBusy(StoreError):
    """Another Tend held the lock for longer than this one would wait. Nothing was changed."""

    def __init__(self, waited: float) -> None:
        self.waited = waited
        tried = "It is still busy" if waited <= 0 else f"Tried for {waited:.{0 if waited >= 1 else 1}f} s"
        super().__init__(f"Another Tend is saving (an import, perhaps). {tried}; nothing was changed.")
FIELD_WORDS = {
    "name": "the name", "role": "the role", "reach": "how to reach them", "ideal_days": "how often",
    "limit_days": "the longest gap", "notes": "the notes", "note": "the note", "tags": "the tags",
    "schedule": "when it happens", "colleague_ids": "who it is with", "contact_kind": "the kind of contact",
    "archived": "whether it is set aside", "text": "the message", "phases": "the phases",
    "status": "done or skipped", "when": "the time", "kind": "the kind",
    "created": "when it was added", "call_name": "the name they are called by",
    "want_to_reach_now": "whether to reach out now", "circle_user": "their name in the circle",
    "snoozed_until": "when the snooze ends", "dated_notes": "the dated notes", "birthday": "the birthday",
    "joined": "the day they joined the team", "suggest_after_scan": "whether to suggest them after a heavy scan",
    "colleague_id": "who it was with", "pauses": "the pauses", "ritual_id": "which ritual", "day": "the day",
    "mode": "the kind of scan", "ratings": "the ratings", "sensations": "what was noticed",
    "skipped": "what was skipped", "pattern": "the breathing pattern", "pattern_name": "the pattern's name",
    "planned_seconds": "how long it was meant to be", "actual_seconds": "how long it took",
    "cycles_planned": "how many rounds were meant", "cycles_done": "how many rounds were done",
    "completed": "whether it was finished", "fits": "who it suits",
}  # fmt: skip
"""How a conflict message names a field: every field of every kind of record (a field name
means the same in every kind it appears in). tests/test_field_words.py checks none is missed."""


def _shown_value(value: Any) -> str | None:
    """A stored value in a few words for a message, or None when it has no short form."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return str(value)
    if value is None or value == "" or value == []:
        return "nothing"
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        value = "; ".join(value)
    if isinstance(value, str):
        line = strip_controls(" ".join(value.split()))
        return f'"{line[:40]}..."' if len(line) > 40 else f'"{line}"'  # plain quotes: any terminal
    return None


class ConflictError(StoreError):
    """An edit of a record that another Tend window changed meanwhile, in the same field.

    Nothing was saved. ``mine`` is the edit, ``theirs`` the record as stored now, ``fields``
    the names of the fields both changed differently, and ``retry_base`` what to pass as
    ``base`` to save the edit again on purpose: the other window's values in those fields
    then give way to the edit, and every other change of theirs is still kept.
    """

    def __init__(self, mine: Record, theirs: Record, fields: list[str], retry_base: Record) -> None:
        self.mine, self.theirs, self.fields, self.retry_base = mine, theirs, fields, retry_base
        super().__init__(
            "While you were editing, this was changed in another Tend window too. "
            + " ".join(self.differences())
            + " Nothing has been overwritten, and what you typed is still here: save again "
            "to keep yours, or change it first."
        )

    def differences(self) -> list[str]:
        """One sentence per field changed on both sides, with both values where they are short."""
        sentences = []
        for name in self.fields:
            words = FIELD_WORDS.get(name, name.replace("_", " "))
            there = _shown_value(stored_form(getattr(self.theirs, name)))
            here = _shown_value(stored_form(getattr(self.mine, name)))
            if there is None or here is None:
                sentences.append(f"{words[0].upper()}{words[1:]} changed there as well.")
            else:
                sentences.append(f"{words[0].upper()}{words[1:]}: there {there}, here {here}.")
        return sentences


# --------------------------------------------------------------------------- file helpers


def _describe_os_error(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "the disk is full"
    if error.errno == errno.EDQUOT:
        return "your disk quota is used up"
    if error.errno == errno.EFBIG:
        return "the file would be larger than this account may write"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission was refused"
    if error.errno == errno.EROFS:
        return "the disk is read-only"
    return error.strerror or str(error)


def _check_owner(path: Path, st: os.stat_result, what: str) -> None:
    if stat.S_ISLNK(st.st_mode):
        raise UnsafePathError(
            f"Tend's {what} {path} is a symbolic link. To keep your notes private Tend will "
            "not follow it. Move the link away, or choose another folder with --data."
        )
    if st.st_uid != os.geteuid():
        raise UnsafePathError(
            f"Tend's {what} {path} belongs to another user. Tend will not use it. Choose "
            "a folder of your own with --data or TEND_DATA_DIR."
        )


def refuse_a_folder_of_other_things(path: Path) -> None:
    """Refuse a data folder that already holds other files and none of Tend's (``--data ~``,
    say): Tend makes its folder private (0700) and writes beside whatever is there, which for
    a home folder would shut out what others were let in to (a web folder, a shared one).
    Tend's own names: ``tend.*`` (the data, its backup, its lock, what was kept aside),
    ``.tend-*`` (a save cut short) and ``history``. A new or empty folder is fine."""
    try:
        names = os.listdir(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError:
        return  # unreadable: secure_dir and the open say what is wrong, in their words
    if names and not any(name == "history" or name.startswith(("tend.", ".tend-")) for name in names):
        offered = next((path / name for name in ("tend", "tend-data", "tend-data-2") if name not in names), path / "tend-data-3")
        raise UnsafePathError(
            f"{shown_path(path)} already holds other files, and none of them are Tend's. Tend keeps your data "
            f"in a folder of its own and makes it private, so it leaves this one as it is. Choose a new folder, "
            f"for example --data {shown_path(offered)}."
        )


def secure_dir(path: Path) -> list[str]:
    """Make sure ``path`` is a private folder of ours. Returns warnings for the user."""
    warnings: list[str] = []
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.mkdir(path, 0o700)
            os.chmod(path, 0o700)
        except FileExistsError:
            pass
        st = os.lstat(path)
    except OSError as error:
        in_the_way = next((p for p in (path, *path.parents) if os.path.lexists(p) and not p.is_dir()), None)
        why = f"{in_the_way} is a file, not a folder" if in_the_way is not None else _describe_os_error(error)
        raise StoreError(f"Tend could not create its data folder {path}: {why}.") from error
    _check_owner(path, st, "data folder")
    if not stat.S_ISDIR(st.st_mode):
        raise UnsafePathError(f"{path} should be Tend's data folder, but it is a file.")
    if stat.S_IMODE(st.st_mode) & 0o077:
        try:
            os.chmod(path, 0o700)
        except OSError as error:
            warnings.append(
                f"Your data folder {path} could be read by others, and Tend could not make it "
                f"private: {_describe_os_error(error)}."
            )
        else:
            warnings.append(
                f"Your data folder {path} could be read by others; Tend has made it private again."
            )
    return warnings


def secure_file(path: Path, *, tighten: bool = True) -> list[str]:
    """Check an existing file of ours: refuse symlinks and foreign files, tighten if open
    (unless ``tighten`` is False: a look that must change nothing, such as ``tend status``)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return []
    _check_owner(path, st, "file")
    if stat.S_ISDIR(st.st_mode):
        raise UnsafePathError(
            f"{path} should be a plain file, but it is a folder, so Tend will not start. If the "
            "folder is empty, 'tend doctor --fix' removes it; if not, move it away."
        )
    if not stat.S_ISREG(st.st_mode):
        raise UnsafePathError(f"{path} should be a plain file, and it is not. Tend will not use it.")
    _check_single_link(path, st)
    if stat.S_IMODE(st.st_mode) & 0o077 and tighten:
        try:
            os.chmod(path, 0o600, follow_symlinks=False)
        except (OSError, NotImplementedError) as error:  # the latter: it became a link meanwhile
            return [
                f"{path.name} could be read by others, and Tend could not make it private: "
                f"{_describe_os_error(error) if isinstance(error, OSError) else 'it became a link'}."
            ]
        return [f"{path.name} could be read by others; Tend has made it private again."]
    return []


def _check_single_link(path: Path, st: os.stat_result) -> None:
    """Refuse a file with another name elsewhere (a hard link): changing it, even its
    permissions, would change that other file too."""
    if st.st_nlink > 1:
        raise UnsafePathError(
            f"Tend's file {path} is also linked from somewhere else on this disk (a hard link), "
            "so changing it would change that other file too. Tend will not use it. Move it "
            "away, or choose another folder with --data."
        )


def folder_unwritable(path: Path) -> str | None:
    """Why nothing can be saved in the folder ``path`` (in plain words), or None if it can."""
    with contextlib.suppress(OSError):
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return "it is on a read-only disk"
    effective = os.access in os.supports_effective_ids
    if not os.access(path, os.W_OK | os.X_OK, effective_ids=effective):
        return "this account may not write to it"
    return None


def record_count(data: Mapping[str, Any]) -> int:
    """How many entries ``data`` holds (settings included; drafts and the version mark not),
    with those of the history files it names."""
    here = sum(len(table) for name, table in data.items() if name not in (META_TABLE, DRAFTS_TABLE))
    return here + sum(info["records"] for info in _history_of(data)["files"].values())


def removed_count(data: Mapping[str, Any]) -> int:
    """How many records were removed on purpose, ever (``Store.remove``, less those put back
    by ``Store.restore``): kept in ``_meta``, so a backup holding more entries than the data
    only because of those is no alarm."""
    try:
        removed = _meta_of(data).get("removed", 0)
    except (KeyError, StopIteration, AttributeError, TypeError):
        return 0
    return removed if type(removed) is int and removed > 0 else 0


def accounted_count(data: Mapping[str, Any]) -> int:
    """:func:`record_count` with the records removed on purpose: it only grows, unless
    something went missing that nobody removed."""
    return record_count(data) + removed_count(data)


def _count_removal(data: dict[str, Any], change: int) -> None:
    meta = _meta_of(data)
    meta["removed"] = max(0, removed_count(data) + change)


def _meta_of(data: Mapping[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = next(iter(data[META_TABLE].values()))
    return meta


_NO_HISTORY: dict[str, Any] = {"cut": None, "files": {}, "kept": {}}


def _tally_of(table: str, docs: Mapping[str, Any]) -> dict[str, Any]:
    """``{"tally": ...}`` for a history file of ``table`` holding ``docs`` (see
    :meth:`app.models.Record.tally`), or nothing for a kind that keeps no tally."""
    cls = BY_TABLE.get(table)
    tally = cls.tally(docs.values()) if cls is not None else None
    return {} if tally is None else {"tally": tally}


def _is_tally(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(key, str) and isinstance(number, int | float) and not isinstance(number, bool) for key, number in value.items()
    )


def _history_of(data: Mapping[str, Any]) -> dict[str, Any]:
    """What ``_meta`` says of the history files (checked by :func:`schema_of`): ``cut``, the
    first day every dated record from on is in ``tend.json`` (None: no roll-over yet);
    ``files``, per history file its record count, size and id range; ``kept``, per dated
    table the copies of history documents the first frame needs (:func:`app.history.prune`)."""
    found = _meta_of(data).get("history")
    return found if isinstance(found, dict) else _NO_HISTORY


def _check_split(meta: Mapping[str, Any]) -> None:
    """Raise :class:`DamagedFileError` unless the split layout's marks in ``meta`` are whole."""
    from app.history import DATED, is_stem

    generation, files, found = meta.get("generation", 0), meta.get("files", {}), meta.get("history", _NO_HISTORY)
    broken = DamagedFileError("the data file's list of history files is broken")
    if type(generation) is not int or generation < 0 or not isinstance(files, dict) or not isinstance(found, dict):
        raise broken
    if not all(is_stem(name) and type(gen) is int and 0 < gen <= generation for name, gen in files.items()):
        raise broken
    cut, infos, kept = found.get("cut"), found.get("files"), found.get("kept")
    if not (cut is None or type(cut) is str) or not isinstance(infos, dict) or not isinstance(kept, dict):
        raise broken
    if set(infos) != set(files):
        raise broken
    for info in infos.values():
        ids = info.get("ids") if isinstance(info, dict) else None
        if not (isinstance(ids, list) and len(ids) == 2 and all(type(i) is int for i in ids)):
            raise broken
        if type(info.get("records")) is not int or type(info.get("size")) is not int:
            raise broken
    for table, docs in kept.items():
        if table not in DATED or not isinstance(docs, dict) or not ids_in_shape(docs):
            raise broken
        if not all(map(isinstance, docs.values(), repeat(dict))):
            raise broken


def dump_json(data: Any) -> bytes:
    """``data`` as compact JSON bytes. orjson stops at 255 levels of nesting; a hand-edited
    file may hold more (it reads up to 1,024), and must still be written back whole, so
    deeper data goes through the standard library instead."""
    try:
        return orjson.dumps(data)
    except TypeError:
        import json
        import sys

        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 20_000))
        try:
            return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        finally:
            sys.setrecursionlimit(limit)


def read_bytes_nofollow(path: Path) -> bytes:
    """Read a whole file without following a symlink at ``path``."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UnsafePathError(
                f"{path} is a symbolic link; Tend will not follow it. Move it away to continue."
            ) from error
        raise
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def atomic_write(
    target: Path,
    data: bytes | Callable[[int], None],
    *,
    temp_prefix: str = ".tend-",
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Write ``data`` to ``target`` atomically, readable by the owner only.

    ``data`` may also be a function that writes the content to the file descriptor it is
    given (to copy a file without holding it in memory). ``before_replace`` runs just before
    the new file takes ``target``'s place; whatever it raises stops the write (the temp file
    is removed, ``target`` untouched).

    Raises :class:`SaveError` with a plain message; on failure ``target`` is untouched and the
    temp file is removed.
    """
    directory = target.parent
    temp_path: str | None = None
    try:
        fd, temp_path = tempfile.mkstemp(prefix=temp_prefix, suffix=".tmp", dir=directory)
        try:
            os.fchmod(fd, 0o600)
            if callable(data):
                data(fd)
            else:
                _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if before_replace is not None:
            before_replace()
        os.replace(temp_path, target)
        temp_path = None
        fsync_dir(directory)
    except OSError as error:
        raise SaveError(
            f"Tend could not save just now: {_describe_os_error(error)}. "
            "Everything saved before is safe on disk; try again in a moment."
        ) from error
    finally:
        if temp_path is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_path)


LOCK_WAIT_ENV = "TEND_LOCK_WAIT"
"""Seconds a Tend waits for another to finish saving before it gives up (default 30)."""
DEFAULT_LOCK_WAIT = 30.0
LOCK_NOTICE_AFTER = 0.5
"""A wait this long is reported (``on_wait``), so a person is never left with a silent pause."""
LOCK_POLL = 0.05


def lock_wait_limit() -> float:
    """How long to wait for another Tend: ``$TEND_LOCK_WAIT`` seconds, else 30."""
    try:
        value = float(os.environ.get(LOCK_WAIT_ENV, DEFAULT_LOCK_WAIT))
    except ValueError:
        return DEFAULT_LOCK_WAIT
    return value if 0 <= value < float("inf") else DEFAULT_LOCK_WAIT


class InterProcessLock:
    """A re-entrant exclusive ``flock`` on a lock file of our own (0600, never a symlink).

    Waiting is always bounded: ``acquire`` polls (``LOCK_NB`` and short sleeps) for at most
    :func:`lock_wait_limit` seconds, less inside :meth:`waiting_at_most`, and then raises
    :class:`LockBusy`. ``on_wait`` is called once when a wait has lasted
    :data:`LOCK_NOTICE_AFTER` seconds (the command line prints a line).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._depth = 0
        self._thread_lock = threading.RLock()
        self._local = threading.local()
        self.on_wait: Callable[[], None] | None = None

    @contextlib.contextmanager
    def waiting_at_most(self, seconds: float) -> Iterator[None]:
        """In this thread, until the block ends, wait for the lock no later than ``seconds``
        from now (0: take it only if it is free at once)."""
        before = getattr(self._local, "deadline", None)
        deadline = time.monotonic() + max(seconds, 0.0)
        self._local.deadline = deadline if before is None else min(before, deadline)
        try:
            yield
        finally:
            self._local.deadline = before

    def _limit(self) -> float:
        limit = lock_wait_limit()
        deadline = getattr(self._local, "deadline", None)
        if deadline is not None:
            limit = min(limit, max(deadline - time.monotonic(), 0.0))
        return limit

    def acquire(self) -> None:
        limit = self._limit()
        deadline = time.monotonic() + limit
        if not self._thread_lock.acquire(blocking=limit > 0, timeout=limit if limit > 0 else -1):
            raise LockBusy(limit)  # another thread of this Tend holds it (an import, say)
        if self._depth == 0:
            try:
                self._fd = self._open(deadline, limit)
            except BaseException:
                self._thread_lock.release()
                raise
        self._depth += 1

    def _open_file(self) -> int:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o600)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise UnsafePathError(
                    f"Tend's lock file {self.path} is a symbolic link; Tend will not follow it."
                ) from error
            raise StoreError(
                f"Tend could not open its lock file {self.path}: {_describe_os_error(error)}."
            ) from error
        try:
            st = os.fstat(fd)
            _check_owner(self.path, st, "lock file")
            if stat.S_IMODE(st.st_mode) != 0o600:
                os.fchmod(fd, 0o600)
        except BaseException:
            os.close(fd)
            raise
        return fd

    def _open(self, deadline: float, limit: float) -> int:
        fd = self._open_file()
        try:
            started, told = time.monotonic(), False
            while not _try_flock(fd):
                now = time.monotonic()
                if now >= deadline:
                    raise LockBusy(limit)
                if not told and self.on_wait is not None and now - started >= LOCK_NOTICE_AFTER:
                    told = True
                    self.on_wait()
                time.sleep(min(LOCK_POLL, deadline - now))
        except BaseException:
            os.close(fd)
            raise
        return fd

    def wait_until_free(self, seconds: float, cancelled: threading.Event) -> bool:
        """Wait (in a worker thread) until no other Tend holds the lock, for at most
        ``seconds`` or until ``cancelled`` is set. True when it was free; nothing is held after.
        """
        deadline = time.monotonic() + seconds
        fd = self._open_file()
        try:
            while not cancelled.is_set():
                if _try_flock(fd):
                    return True
                now = time.monotonic()
                if now >= deadline:
                    return False
                cancelled.wait(min(LOCK_POLL, deadline - now))
            return False
        finally:
            os.close(fd)  # closing drops the flock, if it was taken

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None
        self._thread_lock.release()

    @property
    def held(self) -> bool:
        return self._depth > 0

    def __enter__(self) -> InterProcessLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _try_flock(fd: int) -> bool:
    """Take the exclusive ``flock`` if no one holds it now; never wait."""
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


# --------------------------------------------------------------------------- validation


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Hold the cyclic garbage collector while bulk data is built.

    Parsing the file and its records creates a hundred thousand objects and no reference
    cycles; left alone, the collector would walk every live object several times meanwhile.
    Memory is still freed as usual (by reference counting).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_database(raw: bytes) -> dict[str, dict[str, Any]]:
    """Parse and shape-check database bytes, or raise :class:`DamagedFileError`."""
    if not raw.strip():
        raise DamagedFileError("the data file is empty")
    try:
        with paused_gc():
            data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise DamagedFileError(f"the data file is not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise DamagedFileError("the data file does not hold Tend data")
    for name, table in data.items():
        if not isinstance(table, dict) or not all(map(isinstance, table.values(), repeat(dict))):
            raise DamagedFileError(f"the part {name!r} of the data file is not in Tend's shape")
        if not ids_in_shape(table):
            raise DamagedFileError(f"the part {name!r} of the data file has broken entries")
    if META_TABLE not in data or not data[META_TABLE]:
        raise DamagedFileError("the data file has no version mark, so it is not Tend data")
    return data


def ids_in_shape(keys: Mapping[str, Any]) -> bool:
    """True when every key is a record id as :func:`app.models.record_id` reads it: 1 to 18
    ASCII digits ("\u00b2" passes ``isdigit()`` and fails ``int()``). Checked on the keys
    joined, in C, rather than key by key: the same answer for a three-year file's eleven
    thousand records in a tenth of the time (``tend status`` reads the file on every run)."""
    if not keys:
        return True
    joined = "".join(keys)
    return joined.isascii() and joined.isdigit() and min(map(len, keys)) >= 1 and max(map(len, keys)) <= 18


def schema_of(data: Mapping[str, Any]) -> int:
    meta = next(iter(data[META_TABLE].values()))
    version = meta.get("schema")
    if type(version) is not int or version < 1:  # not isinstance: true is an int to Python
        raise DamagedFileError("the data file's version mark is broken")
    layout = meta.get("layout", "single")
    if type(layout) is not str:
        raise DamagedFileError("the data file's layout mark is broken")
    if version <= SCHEMA_VERSION:
        # Every schema up to this Tend's own was written by a Tend that knew its layouts, so
        # one this Tend does not know there is damage (a hand edit), not a newer Tend.
        if layout not in KNOWN_LAYOUTS:
            raise DamagedFileError("the data file's layout mark is broken")
        if layout == LAYOUT:
            _check_split(meta)
    return version


LAYOUT = "split"
"""How this Tend keeps its data: recent records in ``tend.json``, older ones of the dated
kinds in ``history/`` (docs/storage.md). Schema 1 files say ``single`` (or nothing). A folder
whose ``_meta`` names a layout this Tend does not know is refused in plain words: shown
read-only, it would look like part of the data was all of it, and an export of it would
leave out the rest."""
KNOWN_LAYOUTS = frozenset({"single", LAYOUT})

NEWER_LAYOUT = (
    "This data folder was set up by a newer Tend, which keeps your history in several files. "
    "This Tend can't open it, so it has changed nothing. Update Tend to open it."
)


MIGRATION_FAILED = (
    "Tend could not move your data to its new layout, so it is showing it without changes, "
    "read-only. Nothing was changed or deleted. Update Tend, or tell its makers."
)


class NewerLayoutError(StoreError):
    """The folder holds a layout from a newer Tend; nothing was read as data or changed."""


def layout_problem(data: Mapping[str, Any]) -> str | None:
    """:data:`NEWER_LAYOUT` when ``data`` (a checked ``tend.json``) names a layout this Tend
    does not know; None for this Tend's own (files from before the mark have none)."""
    return None if _meta_of(data).get("layout", "single") in KNOWN_LAYOUTS else NEWER_LAYOUT


_UID_NAMESPACE = uuid.UUID("6f1d7c8e-3a51-4d0b-9a52-1c1f2e7d9b40")
"""Tend's namespace for :meth:`Store.derived_uid` (any fixed UUID; never change it)."""


def empty_database() -> dict[str, dict[str, Any]]:
    data: dict[str, Any] = {META_TABLE: {"1": {"schema": 1, "created": pendulum.now().isoformat()}}}
    migrate(data)  # as any one-file data becomes this Tend's
    return data


def _split_layout(data: dict[str, Any]) -> None:
    """Schema 1 to 2: mark the split layout, with no history file yet (the first roll-over,
    at the same start, moves the older records out). Every table gets its high-water mark
    now, while all its records are in the one file."""
    meta = _meta_of(data)
    held = meta.get("last_ids")
    marks: dict[str, Any] = held if isinstance(held, dict) else {}
    found = {cls.TABLE: Store._last_id(data, cls.TABLE) for cls in RECORD_TYPES if cls.DATED_BY}
    marks = {**marks, **{table: last for table, last in found.items() if last}}
    meta.update(layout=LAYOUT, generation=0, files={}, history={"cut": None, "files": {}, "kept": {}}, last_ids=marks)


MIGRATIONS: dict[int, Any] = {1: _split_layout}
"""``MIGRATIONS[n](data)`` turns schema ``n`` data into schema ``n + 1`` data, in place."""


def migrate(data: dict[str, Any]) -> bool:
    """Bring ``data`` up to :data:`SCHEMA_VERSION`. Returns True when anything changed."""
    version = schema_of(data)
    changed = False
    while version < SCHEMA_VERSION:
        MIGRATIONS[version](data)
        version += 1
        next(iter(data[META_TABLE].values()))["schema"] = version
        changed = True
    return changed


# --------------------------------------------------------------------------- TinyDB storage


class TendStorage(Storage):
    """A TinyDB storage that never holds the file open and writes atomically.

    ``read`` re-reads the file whenever its identity (inode, size, mtime, ctime) changed since
    the copy it holds; inside a transaction, writes are kept in memory and flushed once.
    """

    def __init__(self, path: str, store: Store) -> None:
        self.path = Path(path)
        self.store = store
        self._cache: dict[str, Any] | None = None
        self._signature: tuple[int, ...] | None = None
        self._pending: dict[str, Any] | None = None
        self._dirty = False
        self.unclean = False
        """True when the file may hold text Tend did not clean (edited by hand, or written by
        another program): the store then cleans each record as it reads it."""
        self.epoch = 0
        """Goes up whenever the data in memory is replaced (read afresh, or dropped): records
        parsed at an older epoch may no longer match it."""
        self.frozen = False
        """True for a store opened only to look (:meth:`Store.open_to_read`): the data read at
        open is kept for its whole life, so every answer comes from the one file it read."""

    def prime(self, data: dict[str, Any], signature: tuple[int, ...] | None, raw: bytes) -> None:
        """Start from data already read (and checked) under the lock, so it is not read twice."""
        self._cache, self._signature = data, signature
        self.unclean = json_may_hold_unclean_text(raw)
        self.epoch += 1

    def _stat_signature(self) -> tuple[int, ...] | None:
        try:
            st = os.lstat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)

    def read(self) -> dict[str, Any] | None:
        if self._pending is not None:
            return self._pending
        if self.frozen and self._cache is not None:
            return self._cache
        signature = self._stat_signature()
        if signature is not None and signature == self._signature and self._cache is not None:
            return self._cache
        if signature is None:
            raise DamagedFileError(
                f"Tend's data file {self.path} has disappeared. Restart Tend to set things right."
            )
        try:
            raw = read_bytes_nofollow(self.path)
            data = parse_database(raw)
        except DamagedFileError as error:
            raise DamagedFileError(
                f"Tend's data file can't be read just now ({error}). Nothing has been "
                "overwritten. Restart Tend: it will keep the damaged file aside and restore "
                "your last good backup."
            ) from None
        except OSError as error:
            raise StoreError(f"Tend could not read its data: {_describe_os_error(error)}.") from error
        if schema_of(data) > SCHEMA_VERSION:
            self.store.read_only = True
        self._cache, self._signature = data, signature
        self.unclean = json_may_hold_unclean_text(raw)
        self.epoch += 1
        return data

    def write(self, data: dict[str, Any]) -> None:
        if self.store.read_only:
            self.invalidate()
            raise ReadOnlyError(self.store.read_only_reason)
        if self._pending is not None:
            self._pending = data
            self._dirty = True
            return
        self.flush(data)

    def flush(self, data: dict[str, Any]) -> None:
        raw = dump_json(data)
        try:
            atomic_write(self.path, raw, temp_prefix=self.store.paths.temp_prefix)
        except BaseException:
            self.invalidate()
            raise
        self._cache, self._signature = data, self._stat_signature()
        self.unclean = json_may_hold_unclean_text(raw)

    def invalidate(self) -> None:
        self._cache = self._signature = None
        self.epoch += 1

    def begin(self) -> None:
        self._pending = self.read()
        self._dirty = False

    def commit(self) -> None:
        pending, dirty = self._pending, self._dirty
        self._pending, self._dirty = None, False
        if pending is not None and dirty:
            self.flush(pending)

    def rollback(self) -> None:
        # TinyDB changes the data it read in place, so the cached copy may hold the
        # abandoned changes: drop it and read the file again next time.
        self._pending, self._dirty = None, False
        self.invalidate()

    def close(self) -> None:
        pass


def _head_and_tail(path: Path, size: int) -> bytes | None:
    """The whole of ``path`` when it is larger than ``size`` bytes; None when it is not and it
    starts with ``{`` and ends with ``}`` as Tend's files do. Raises :class:`DamagedFileError`
    for a smaller file that does not, ``OSError`` when it can't be read."""
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
    with os.fdopen(fd, "rb") as handle:
        length = os.fstat(fd).st_size
        if length > size:
            return handle.read()
        head = handle.read(64)
        handle.seek(max(length - 64, 0))
        tail = handle.read(64)
    if not (head.lstrip().startswith(b"{") and tail.rstrip().endswith(b"}")):
        raise DamagedFileError("the backup is cut off or is not Tend data")
    return None


def _when(path: Path) -> str:
    """When ``path`` was last written, as a person says it."""
    return pendulum.from_timestamp(os.lstat(path).st_mtime).in_timezone(pendulum.local_timezone()).format(
        "D MMMM YYYY [at] HH:mm"
    )


def _cause(error: StoreError) -> str:
    """The plain reason behind a failed save."""
    cause = error.__cause__
    return _describe_os_error(cause) if isinstance(cause, OSError) else str(error)


def _advice(error: StoreError) -> str:
    cause = error.__cause__
    if isinstance(cause, OSError) and cause.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "Once there is room on the disk,"
    return "Once that is put right,"


# --------------------------------------------------------------------------- the store


HISTORY_CACHE_BYTES = 2_000_000
"""History files a store keeps parsed, in bytes of file: three years of a dozen rituals'
entries (~1 MB) fit, so the rituals list does not read them on every refresh."""


class _Unreadable(DamagedFileError):
    """A history file a change needs can't be read: the change is refused, whole."""

    def __init__(self, name: str, why: str) -> None:
        super().__init__(
            f"Part of your older history ({_history_label(name)}) can't be read just now, so this change "
            f"was not saved ({why}). Tend has kept that file aside and put back its copy from before "
            "its last change: try again."
        )
        self.name = name


class _Gone(StoreError):
    """A history version the data named is not there (a later change replaced it)."""


@dataclasses.dataclass
class _HistoryChange:
    """What one transaction changes in ``history/``."""

    files: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    """The new documents of each history file it changes (empty: the file goes)."""
    recount: set[str] = dataclasses.field(default_factory=set)
    """Tables a record left the history of: what is kept is worked out again."""
    folded: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    """Documents a roll-over added to history, by table: folded into what is kept."""
    cut: str | None = None
    previous: dict[str, int] = dataclasses.field(default_factory=dict)


def _damaged_version(path: Path, stamp: str) -> Path:
    """Where a history file that can't be read is kept aside."""
    return path.with_name(f"{path.name}.damaged-{stamp}")


def _history_label(name: str) -> str:
    """"contacts-2024" as a person says it: "contacts from 2024"."""
    table, _, year = name.rpartition("-")
    return f"{table.replace('_', ' ')} from {year}"


@dataclasses.dataclass(frozen=True)
class OlderPart:
    """What a view reads in a worker (:meth:`Store.older_part`): the history files of one
    kind, by name and generation, as ``tend.json`` named them, that file's identity then
    (:meth:`Store.token`), and copies of the kind's documents it held."""

    table: str
    versions: tuple[tuple[str, int], ...]
    token: object
    current: Mapping[str, Any] = dataclasses.field(compare=False, repr=False, default_factory=dict)
    counts: Mapping[str, int] = dataclasses.field(compare=False, repr=False, default_factory=dict)
    """Each history file's record count, as the manifest said then (empty when unknown)."""

    def from_year(self, year: int) -> OlderPart:
        """The same read of only the history files dated ``year`` or later (and ``tend.json``'s
        copies): for a view that needs no record older than that."""
        from app.history import stem_year

        return dataclasses.replace(self, versions=tuple(v for v in self.versions if stem_year(v[0]) >= year))

    def newest(self, wanted: int) -> tuple[OlderPart, int]:
        """The same read of only the newest history files that hold ``wanted`` records (by
        :attr:`counts`), and how many records the files left out hold: for a view of the
        newest few that still says how many there are in all. Every file when the counts
        are not known."""
        from app.history import newest_holding

        year, unread = newest_holding(self.counts, wanted)
        return (self, 0) if year is None else (self.from_year(year), unread)


class Store:
    """Typed, locked access to Tend's data. Open it with :meth:`Store.open`."""

    def __init__(self, root: Path) -> None:
        self.paths = DataPaths(Path(root))
        self.read_only = False
        self.read_only_reason = NEWER_TEND
        """Why changes are refused, for the message, when ``read_only``."""
        self.first_run = False
        self.recovered = False
        """True when the data file was damaged or missing at start and was restored or begun
        afresh: not a first run, so no welcome."""
        self._records_at_start = 0
        self.backup_remarks: list[str] = []
        """Things to say about the backup copy (an old one kept aside, a refresh that failed)."""
        self.warnings: list[str] = []
        """Things the user should hear about once (permissions tightened)."""
        self.notices: list[str] = []
        """Things the user must hear about (damaged file kept aside, backup restored)."""
        self._lock = InterProcessLock(self.paths.lock)
        self._storage: TendStorage | None = None
        self._db: TinyDB | None = None
        self._depth = 0
        self._records: dict[str, tuple[int, dict[int, Record]]] = {}
        """Parsed records by table, with the storage epoch they were parsed at. Never handed
        out: :meth:`all` and :meth:`get` return copies."""
        self._next_ids: dict[str, tuple[int, int]] = {}
        """The next free id by table, with the storage epoch it was worked out at."""
        self._pending_backup: tuple[int, ...] | None = None
        """The signature of the file checked at start, while its backup copy is still due."""
        self.left_out: dict[str, str] = {}
        """Entries left out as they were read because they do not fit (a hand edit, say: a
        date in year 1), as "contacts 3" -> why. They stay in the file; the app names them."""
        self._history_cache: dict[tuple[str, int], tuple[int, dict[str, Any]]] = {}
        """History files read, by (stem, generation), with their size, least recently used
        first: a version never changes, and at most :data:`HISTORY_CACHE_BYTES` of them are
        held, so looking at old history does not keep it in memory."""
        self._uid_owner_cache: dict[str, tuple[tuple[int, int], dict[str, int]]] = {}
        """Per table, each uid with the lowest id holding it (:meth:`_uid_owners`), with the
        epoch and record count it was worked out at."""
        self._history_unclean = False
        """True once a history file read may hold text Tend did not clean."""
        self._history_guard = threading.Lock()
        """Held while the cache of history files changes: a worker thread reads them too
        (:meth:`read_older`)."""
        self._unread: set[str] = set()
        """History files a worker found unreadable, to be mended on the event loop (:meth:`mend_unread`)."""
        self._schema1_copy: Path | None = None
        """The one-file data kept aside by a migration at this start, until it is checked."""
        self._change: _HistoryChange | None = None
        """Inside a transaction: the history files it changes, written at its commit."""

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls, root: Path, *, defer_backup: bool = False, on_lock_wait: Callable[[], None] | None = None
    ) -> Store:
        """Open (creating if needed) the store in ``root``, recovering from damage.

        A good start refreshes the backup with the data just checked. With ``defer_backup``
        that copy is written later by :meth:`write_backup` (the app calls it once its first
        frame is on screen, and the command line again on the way out, in case it never got
        that far). ``on_lock_wait`` is called once whenever a wait for another Tend's save has
        lasted half a second (see :attr:`on_lock_wait`).
        """
        store = cls(root)
        store.on_lock_wait = on_lock_wait
        store._open(defer_backup=defer_backup)
        return store

    @classmethod
    def open_to_read(cls, root: Path) -> Store | None:
        """Open only to look (``tend status``, completion): no lock is taken and nothing is
        written, created, tightened or backed up; None when there is no data yet (no folder,
        or no data file nor any copy of one).

        The data file is read once, whole, and kept for the store's life: saves replace it by
        an atomic rename, so this sees the old file or the new one, never half of one. A
        damaged file is read from its newest good copy, as a read-only folder is. Raises
        :class:`StoreError` for a folder or file that is not safely ours (a symlink, another
        user's). Every change is refused (:class:`ReadOnlyError`).
        """
        paths = DataPaths(Path(root))
        try:
            st = os.lstat(paths.root)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise StoreError(f"Tend could not look at its data folder {paths.root}: {_describe_os_error(error)}.") from error
        _check_owner(paths.root, st, "data folder")
        if not stat.S_ISDIR(st.st_mode):
            raise UnsafePathError(f"{paths.root} should be Tend's data folder, but it is a file.")
        if not any(os.path.lexists(path) for path in (paths.database, paths.backup, *paths.kept_aside())):
            return None
        store = cls(root)
        store._open_read_only("it was opened only to look", tighten=False)
        store._file.frozen = True
        store.notices.clear()  # what _open_read_only says is about a folder that cannot be saved in
        return store

    def write_backup(self) -> None:
        """Write the backup held back by ``open(defer_backup=True)``; does nothing otherwise.

        The file is read again rather than kept in memory since the start: if it is still the
        one checked then (same inode, size and times) it is copied as it is; if a save has
        replaced it meanwhile, it is checked again first. A damaged file never becomes the
        backup, and a backup is never replaced by less than it holds (see
        :meth:`_replace_backup`).
        """
        checked, self._pending_backup = self._pending_backup, None
        if checked is None:
            return
        with self._lock:  # no other Tend is saving, or cleaning up temp files, meanwhile
            try:
                fd = os.open(self.paths.database, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
            except OSError as error:
                raise SaveError(
                    f"Tend could not read its data to back it up: {_describe_os_error(error)}."
                ) from error
            with os.fdopen(fd, "rb") as source:
                st = os.fstat(fd)
                if (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns) == checked:

                    def copy(target_fd: int) -> None:  # the file checked at start: copy it as it is
                        while chunk := source.read(1 << 16):
                            _write_all(target_fd, chunk)

                    self._replace_backup(copy, self._records_at_start, st.st_size)
                    return
                raw = source.read()
            try:
                data = parse_database(raw)  # replaced since the start: check it first
                schema_of(data)
            except DamagedFileError:
                return  # keep the last good backup; the next start will deal with the file
            self._replace_backup(raw, accounted_count(data), len(raw))

    def _replace_backup(self, content: bytes | Callable[[int], None], records: int, size: int) -> None:
        """Refresh the backup with ``content`` (``size`` bytes holding ``records`` entries),
        under the lock.

        The backup there is never lost: one that cannot be read is kept aside as
        ``tend.json.bak.damaged-<time>``, and one that holds more entries than ``content`` as
        ``tend.json.bak-<time>``; either way a line in :attr:`backup_remarks` says where. Only
        a backup larger than ``content`` is read whole to count its entries (the data usually
        grows, and parsing three years of it costs ~10 MB and tens of ms); a smaller one is only
        checked to begin and end as Tend's files do, which catches a cut-off or emptied file.
        """
        paths = self.paths
        try:
            raw = _head_and_tail(paths.backup, size)
            if raw is None:
                held: int | None = None  # smaller, and whole as far as can be told cheaply
            else:
                held = accounted_count(parse_database(raw))
        except FileNotFoundError:
            held = None
        except (OSError, StoreError):
            aside = self._keep_aside_or_fail(paths.backup, paths.damaged_backup_name)
            self.backup_remarks.append(
                f"Your backup copy could not be read, so it is kept, untouched, at {aside}, "
                "and a fresh one has been made."
            )
            held = None
        if held is not None and held > records:
            aside = self._keep_aside_or_fail(paths.backup, paths.kept_backup_name)
            self.backup_remarks.append(
                f"Your data holds {held - records} {'entry' if held - records == 1 else 'entries'} fewer than its "
                f"backup copy did, more than were removed in Tend, so that copy is kept, untouched, at {aside}, "
                "and a new one has been made."
            )
        atomic_write(paths.backup, content, temp_prefix=paths.temp_prefix)

    def _keep_aside(self, path: Path, name: Callable[[str], Path]) -> Path:
        """Move ``path`` to ``name(<time>)`` (never over another file), made private."""
        stamp = pendulum.now().format("YYYYMMDD-HHmmss")
        aside = name(stamp)
        n = 1
        while os.path.lexists(aside):
            n += 1
            aside = name(f"{stamp}-{n}")
        os.rename(path, aside)
        # A link kept aside stays a link: Linux has no mode for one (NotImplementedError).
        with contextlib.suppress(OSError, NotImplementedError):
            os.chmod(aside, 0o600, follow_symlinks=False)
        fsync_dir(self.paths.root)
        return aside

    def _keep_aside_or_fail(self, path: Path, name: Callable[[str], Path]) -> Path:
        try:
            return self._keep_aside(path, name)
        except OSError as error:
            raise SaveError(
                f"Tend could not set the old backup copy aside: {_describe_os_error(error)}. "
                "It is still there, untouched."
            ) from error

    def _open(self, *, defer_backup: bool = False) -> None:
        paths = self.paths
        if not os.path.islink(paths.root):  # a link is refused by secure_dir, in its own words
            refuse_a_folder_of_other_things(paths.root)
        self.warnings += secure_dir(paths.root)
        unwritable = folder_unwritable(paths.root)
        if unwritable:
            self._open_read_only(unwritable)
            return
        # Before the lock opens it: never a folder, a link, or a file with another name.
        self.warnings += secure_file(paths.lock)
        with self._lock:
            self.warnings += secure_file(paths.lock)
            self._remove_stale_temp_files()
            self.warnings += secure_file(paths.database)
            self._secure_backup()
            if not os.path.lexists(paths.database):
                if os.path.lexists(paths.backup) or paths.kept_aside():
                    # Not a first run: bring back the newest good copy, or say plainly why not.
                    self._restore(f"Tend's data file {paths.database} was missing.", had_copies=True)
                else:
                    self.first_run = True
                    atomic_write(paths.database, orjson.dumps(empty_database()))
            raw = read_bytes_nofollow(paths.database)
            try:
                data = parse_database(raw)
                schema_of(data)
            except DamagedFileError as error:
                raw = self._recover(str(error))
                data = parse_database(raw)
            version = schema_of(data)
            if layout_problem(data):
                raise NewerLayoutError(NEWER_LAYOUT)
            if version > SCHEMA_VERSION:
                self.read_only = True
                self.notices.append(
                    f"Your data was saved by a newer version of Tend (data version {version}). "
                    "This one will show it but not change it, so nothing is lost. "
                    "Update Tend to make changes again."
                )
            else:
                schema1 = raw if version == 1 else None
                if migrate(data):
                    if schema1 is not None:  # kept until the new layout reads back the same
                        self._schema1_copy = paths.root / f"tend.json.schema1-{pendulum.now().format('YYYYMMDD-HHmmss')}"
                        atomic_write(self._schema1_copy, schema1)
                    raw = dump_json(data)
                    atomic_write(paths.database, raw)
            self._records_at_start = accounted_count(data)
            if not self.read_only and not defer_backup:
                try:
                    self._replace_backup(raw, self._records_at_start, len(raw))
                except StoreError as error:  # the data itself is fine: carry on, and say so
                    self.backup_remarks.append(f"The backup copy of your data could not be refreshed: {error}")
            self._storage = TendStorage(str(paths.database), self)
            signature = self._storage._stat_signature()
            self._storage.prime(data, signature, raw)
            if not self.read_only:
                self._settle_history(data)
                signature = self._storage._stat_signature()
            if not self.read_only and defer_backup:
                self._pending_backup = signature
        self._db = TinyDB(str(paths.database), storage=lambda path: self._storage)

    def _settle_history(self, data: dict[str, Any]) -> None:
        """At start, under the lock: clear what an interrupted change left in ``history/``,
        set aside a history file that is missing or cut short (putting back its version
        before), move the records that aged out of the window to history, and check a
        migration from one file against the copy of that file kept aside."""
        if _meta_of(data).get("layout") != LAYOUT:
            return
        if os.path.lexists(self.history_dir):
            self.warnings += secure_dir(self.history_dir)
            self._roll_back_history(committed=int(_meta_of(data).get("generation", 0)))
            self._mend_history(data)
        try:
            try:
                self.roll_over()
            except _Unreadable:  # a year file it needed was set aside and mended: once more
                self.roll_over()
            self._tally_history()
        except StoreError as error:  # the data is whole as it is: carry on, and say so
            self.backup_remarks.append(
                f"Tend could not move your older entries to their yearly files just now ({error}). "
                "Nothing was lost; it tries again at the next start."
            )
        copy = self._schema1_copy
        if copy is not None:
            self._schema1_copy = None
            self._check_migration(copy)

    def _mend_after(self, name: str) -> None:
        """History file ``name`` was found unreadable outside a change: set it aside and put
        back its earlier version now, if the lock is free (else the next reader does)."""
        if self.read_only or self._file.frozen:
            return
        with contextlib.suppress(StoreError, OSError), self.lock_waits_at_most(0):
            self._mend_history(self._data(), also={name})

    def _mend_history(self, data: dict[str, Any], also: Collection[str] = ()) -> None:
        """Set aside each history file the data names that is missing or not the size it was
        written at, and put the version before it (that file's backup) in its place, or
        nothing if there is none; the notice says what may be missing."""
        from app.history import versioned

        files = dict(_meta_of(data).get("files") or {})
        infos = _history_of(data)["files"]
        broken = []
        for name, generation in files.items():
            try:
                size = os.lstat(self.history_dir / versioned(name, generation)).st_size
            except OSError:
                size = -1
            if size != infos[name]["size"] or name in also:
                broken.append(name)
        if not broken:
            return
        on_disk = self._versions_on_disk()
        with self.transaction():
            data = self._data()
            change = self._change
            assert change is not None
            for name in broken:
                generation = files[name]
                path = self.history_dir / versioned(name, generation)
                said = f"Part of your older history, {_history_label(name)}, could not be read."
                if os.path.lexists(path):
                    aside = self._keep_aside(path, functools.partial(_damaged_version, path))
                    said += f" It is kept, untouched, at {aside}."
                older = sorted((g for g in on_disk.get(name, []) if g < generation), reverse=True)
                docs: dict[str, Any] = {}
                for candidate in older:
                    try:
                        docs = dict(self._read_version(name, candidate))
                    except (_Gone, DamagedFileError):
                        continue
                    if docs:
                        said += " The copy from before its last change has been put back, so only that change may be missing."
                        break
                else:
                    said += " There was no earlier copy to put back, so those entries are missing from Tend for now."
                table = name.rpartition("-")[0]
                here = data.get(table) or {}
                # A record that came back to tend.json since that copy is newer there: once only.
                change.files[name] = {key: doc for key, doc in docs.items() if key not in here}
                change.recount.add(table)
                self.recovered = True
                self.notices.append(said)
            self._file.write(data)

    def _check_migration(self, copy: Path) -> None:
        """Read everything back from the new layout and compare it with the one-file copy
        kept aside by the migration: the same records, each once, with the same stored
        document. Then the copy goes; if anything differs it stays, the one file is put back,
        and the data opens read-only with a plain notice."""
        try:
            old = parse_database(read_bytes_nofollow(copy))
        except (OSError, StoreError):
            return
        self._history_cache.clear()
        self._file.invalidate()
        same = True
        for cls in RECORD_TYPES:
            now, before = self._docs(cls.TABLE), old.get(cls.TABLE) or {}
            if now.keys() != before.keys() or any(dump_json(now[key]) != dump_json(doc) for key, doc in before.items()):
                same = False
        if same:
            with contextlib.suppress(OSError):
                os.unlink(copy)
            return
        atomic_write(self.paths.database, read_bytes_nofollow(copy))
        self._file.invalidate()
        self.read_only = True
        self.read_only_reason = MIGRATION_FAILED
        self.notices.append(MIGRATION_FAILED)

    def _secure_backup(self, *, tighten: bool = True, move_link: bool = True) -> None:
        """The backup, made private like the data file; but a backup that is a link is no
        reason to refuse the data: it is never followed, and (``move_link``, under the lock)
        the link itself is kept aside, untouched, so a fresh copy can be made at this start."""
        paths = self.paths
        try:
            is_link = stat.S_ISLNK(os.lstat(paths.backup).st_mode)
        except FileNotFoundError:
            return
        if not is_link:
            self.warnings += secure_file(paths.backup, tighten=tighten)
        elif move_link:
            aside = self._keep_aside(paths.backup, paths.damaged_backup_name)
            self.backup_remarks.append(
                f"Your backup copy {shown_path(paths.backup)} was a link to somewhere else. Tend never follows one, "
                f"so it moved the link itself aside, untouched, to {shown_path(aside)}, and makes a fresh copy."
            )
        else:
            self.warnings.append(
                f"Your backup copy {shown_path(paths.backup)} is a link to somewhere else; Tend does not follow it."
            )

    def _open_read_only(self, why: str, *, tighten: bool = True) -> None:
        """Open a folder nothing can be saved in: read the data (or its newest good copy),
        take no lock (saves replace the file whole, so a read sees one or the other), write
        nothing, and say so. ``tighten=False`` leaves even permissions as they are."""
        paths = self.paths
        self.warnings += secure_file(paths.database, tighten=tighten)
        self._secure_backup(tighten=tighten, move_link=False)
        self.read_only = True
        self.read_only_reason = (
            f"Tend can't save in its data folder just now ({why}), so it only shows your data. "
            "Nothing you change can be kept."
        )
        source, problem = paths.database, ""
        try:
            raw = read_bytes_nofollow(source)
            data = parse_database(raw)
            schema_of(data)
        except FileNotFoundError:
            problem = "is missing"
        except DamagedFileError as error:
            problem = f"can't be read ({error})"
        except OSError as error:
            problem = f"can't be read ({_describe_os_error(error)})"
        shown = ""
        if problem:
            good = self._newest_good_copy()
            if good is None:
                if problem == "is missing" and not os.path.lexists(paths.backup) and not paths.kept_aside():
                    raise StoreError(
                        f"Tend can't save in its data folder {paths.root} ({why}), and there is "
                        "no data in it yet. Choose a folder you can write to with --data."
                    )
                raise StoreError(
                    f"Tend can't save in its data folder {paths.root} ({why}), and its data file "
                    f"{problem}, nor any copy of it. Nothing has been changed or deleted."
                )
            source, raw = good
            data = parse_database(raw)
            shown = f" Your data file {problem}, so Tend is showing your copy from {_when(source)}."
        if layout_problem(data):
            raise NewerLayoutError(NEWER_LAYOUT)
        migrate(data)  # in memory only
        fix = (
            "To save again, use a folder on a disk that can be written to (--data DIR)."
            if "read-only" in why
            else f"To save again, let your account write to it (chmod 700 {paths.root})."
        )
        self.notices.append(
            f"Tend can't save in its data folder {paths.root} ({why}), so it has opened your "
            f"data read-only: you can look around and export, but changes won't be kept.{shown} {fix}"
        )
        self._records_at_start = accounted_count(data)
        self._storage = TendStorage(str(source), self)
        self._storage.prime(data, self._storage._stat_signature(), raw)
        self._db = TinyDB(str(source), storage=lambda path: self._storage)

    def _remove_stale_temp_files(self) -> None:
        # Called with the lock held, so no other Tend is in the middle of a save.
        for temp in self.paths.temp_files():
            with contextlib.suppress(OSError):
                if os.lstat(temp).st_uid == os.geteuid():
                    os.unlink(temp)

    def _copies(self) -> list[Path]:
        """The backup and every file kept aside that is a plain file of ours, newest first."""
        found: list[tuple[int, Path]] = []
        for path in (self.paths.backup, *self.paths.kept_aside()):
            try:
                st = os.lstat(path)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid() and st.st_nlink == 1:
                found.append((st.st_mtime_ns, path))
        found.sort(key=lambda item: item[0], reverse=True)
        return [path for _, path in found]

    def _newest_good_copy(self) -> tuple[Path, bytes] | None:
        """The newest copy (see :meth:`_copies`) that reads as Tend data, with its bytes."""
        for path in self._copies():
            try:
                raw = read_bytes_nofollow(path)
                schema_of(parse_database(raw))
            except (OSError, StoreError):
                continue
            return path, raw
        return None

    def _recover(self, problem: str) -> bytes:
        """Keep a damaged database aside and bring back the newest good copy (or start afresh)."""
        paths = self.paths
        opening = f"Tend's data file could not be read ({problem})."
        had_copies = os.path.lexists(paths.backup) or bool(paths.kept_aside())
        try:
            aside = self._keep_aside(paths.database, paths.damaged_name)
        except OSError as error:
            raise RecoveryError(
                f"{opening} Tend could not move it aside to restore your backup: "
                f"{_describe_os_error(error)}. Nothing has been changed."
            ) from error
        return self._restore(
            f"{opening} It has been kept, untouched, at {aside}.", had_copies=had_copies, damaged=True
        )

    def _restore(self, opening: str, *, had_copies: bool, damaged: bool = False) -> bytes:
        """Put the newest good copy where the data file belongs (there is none there now);
        with no good copy, start a fresh one. Every file that can't be read is kept aside,
        never overwritten. Adds a notice; raises :class:`RecoveryError`, saying where
        everything is, when nothing could be put in place."""
        paths = self.paths
        self.recovered = True
        said = [opening]
        if os.path.lexists(paths.backup):
            try:
                schema_of(parse_database(read_bytes_nofollow(paths.backup)))
            except (OSError, StoreError):
                try:
                    aside = self._keep_aside(paths.backup, paths.damaged_backup_name)
                except OSError as error:
                    said.append(
                        "Your backup could not be read either, and Tend could not move it aside: "
                        f"{_describe_os_error(error)}. Nothing has been deleted."
                    )
                    raise RecoveryError(" ".join(said)) from error
                said.append(f"Your backup could not be read either; it is kept, untouched, at {aside}.")
        good = self._newest_good_copy()
        if good is not None:
            source, raw = good
            when = _when(source)
            try:
                atomic_write(paths.database, raw)
            except SaveError as error:
                said.append(
                    f"Tend could not put your last good copy, from {when}, in its place: "
                    f"{_cause(error)}. Nothing has been deleted: that copy is safe at {source}. "
                    f"{_advice(error)} start Tend again: it will bring that copy back."
                )
                raise RecoveryError(" ".join(said)) from error
            what = "Your last good backup" if source == paths.backup else f"Your last good copy ({source.name})"
            said.append(f"{what}, from {when}, has been restored, so only changes made after that are missing.")
            if damaged:
                said.append("If they matter, the damaged file may still hold them.")
            self.notices.append(" ".join(said))
            return raw
        raw = orjson.dumps(empty_database())
        try:
            atomic_write(paths.database, raw)
        except SaveError as error:
            said.append(
                f"Tend could not start a fresh data file either: {_cause(error)}. Nothing has been "
                f"deleted. {_advice(error)} start Tend again."
            )
            raise RecoveryError(" ".join(said)) from error
        if had_copies:
            said.append(
                "No backup or kept copy could be read, so Tend has started a fresh data file. "
                f"Nothing has been deleted: every file it could not read is still in {paths.root}."
            )
        else:
            said.append("There was no backup to restore, so Tend has started a fresh one. Nothing has been deleted.")
        self.notices.append(" ".join(said))
        return raw

    # -- transactions ----------------------------------------------------------------------

    @property
    def db(self) -> TinyDB:
        assert self._db is not None, "Store.open() first"
        return self._db

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the lock and group every change inside into one atomic write."""
        assert self._storage is not None
        if self.read_only:
            raise ReadOnlyError(self.read_only_reason)
        with self._lock:
            outer = self._depth == 0
            if outer:
                self._forget_next_ids()  # another process may have added documents
                self._storage.begin()
                self._change = _HistoryChange()
            self._depth += 1
            try:
                yield
            except BaseException as error:
                self._depth -= 1
                if outer:
                    self._change = None
                    self._storage.rollback()
                    self._forget_next_ids()
                    if isinstance(error, _Unreadable):
                        self._mend_after(error.name)
                raise
            self._depth -= 1
            if outer:
                change = self._change
                try:
                    if change is not None and change.files:
                        self._write_history(change)  # shadow versions; tend.json names them next
                    self._change = None
                    self._storage.commit()  # the commit point, for any number of files
                except BaseException:
                    self._change = None
                    self._storage.rollback()
                    self._forget_next_ids()
                    raise
                if change is not None and change.files:
                    self._tidy_history(change.previous)

    # -- waiting for another Tend ------------------------------------------------------------

    @property
    def on_lock_wait(self) -> Callable[[], None] | None:
        """Called once when a wait for another Tend's save has lasted half a second."""
        return self._lock.on_wait

    @on_lock_wait.setter
    def on_lock_wait(self, callback: Callable[[], None] | None) -> None:
        self._lock.on_wait = callback

    def lock_waits_at_most(self, seconds: float) -> contextlib.AbstractContextManager[None]:
        """In this thread, inside the block, wait for another Tend's save no later than
        ``seconds`` from now, then raise :class:`LockBusy` (0: only if the lock is free at once).
        Outside such a block a wait is still bounded, by ``$TEND_LOCK_WAIT`` (30 s)."""
        return self._lock.waiting_at_most(seconds)

    def wait_until_free(self, seconds: float, cancelled: threading.Event) -> bool:
        """For a worker thread: wait until no other Tend is saving (True), for at most
        ``seconds`` or until ``cancelled`` is set (False). Holds nothing afterwards."""
        return self._lock.wait_until_free(seconds, cancelled)

    def _forget_next_ids(self) -> None:
        # Nothing to forget: TinyDB's own id counters are never used (settings and drafts
        # are written with ids of ours, see save_draft), and ours are checked against the
        # epoch, which moves on whenever the file changed or a transaction rolled back.
        pass

    def _table(self, name: str) -> Table:
        return self.db.table(name, cache_size=0)

    # -- the data in memory ------------------------------------------------------------------
    #
    # Records are read from and written to the data TendStorage holds, without TinyDB's
    # per-operation copy of a whole table (which made every insert cost as much as the
    # table is long). Parsed records are kept by table until the storage's epoch moves on
    # (the file changed on disk, a transaction rolled back, a save failed); this store's own
    # writes update them in place, so a save does not make the next screen parse everything
    # again.

    def _data(self) -> dict[str, Any]:
        assert self._storage is not None
        return self._storage.read() or {}

    @property
    def _file(self) -> TendStorage:
        """The storage the open store reads and writes (set by the time any method runs)."""
        assert self._storage is not None
        return self._storage

    # -- older history (the split layout, docs/storage.md) --------------------------------------

    @property
    def history_dir(self) -> Path:
        return self.paths.root / "history"

    @staticmethod
    def _names(data: Mapping[str, Any], table: str) -> list[str]:
        """The history files of ``table`` that ``data`` names, oldest year first."""
        files = _meta_of(data).get("files") or {}
        prefix = table + "-"
        return sorted(name for name in files if name.startswith(prefix) and name[len(prefix):].isdigit())

    def _read_version(self, name: str, generation: int, *, mend: bool = True) -> dict[str, Any]:
        """The documents of history file ``name`` at ``generation`` (read once, then cached:
        a version never changes). Raises :class:`_Gone` when it is not there. ``mend``
        False (a worker thread): a file that can't be read is named in ``left_out``, neither
        cached nor mended (that takes the lock; the next read on the event loop does it)."""
        from app.history import stem_parts, versioned

        key = (name, generation)
        with self._history_guard:
            hit = self._history_cache.pop(key, None)
            if hit is not None:
                self._history_cache[key] = hit  # the most recently used now
                return hit[1]
        table = (stem_parts(name) or ("", 0))[0]
        path = self.history_dir / versioned(name, generation)
        try:
            raw = read_bytes_nofollow(path)
            parsed = parse_database(raw)
            if schema_of(parsed) > SCHEMA_VERSION:
                self.read_only = True
            found = parsed.get(table) or {}
        except FileNotFoundError:
            raise _Gone(name) from None
        except (OSError, DamagedFileError) as error:
            why = _describe_os_error(error) if isinstance(error, OSError) else str(error)
            if self._depth and mend:  # a change would be built on it: never take it for empty
                raise _Unreadable(name, f"{path.name} can't be read ({why})") from error
            self.left_out.setdefault(
                f"{_history_label(name)} (its file can't be read)",
                f"{path.name} can't be read ({why}). Tend keeps it aside, untouched, puts back its copy from "
                "before its last change, and says what may be missing.",
            )
            found = {}
            if not mend:
                self._unread.add(name)
                return found
            if not self._depth:
                self._mend_after(name)
        else:
            if json_may_hold_unclean_text(raw):
                self._history_unclean = True
        size = len(raw) if found else 0
        with self._history_guard:
            cache = self._history_cache
            while cache and sum(held for held, _ in cache.values()) + size > HISTORY_CACHE_BYTES:
                del cache[next(iter(cache))]
            if size <= HISTORY_CACHE_BYTES:
                cache[key] = (size, found)
        return found

    def _read_history(self, data: Mapping[str, Any], name: str) -> dict[str, Any]:
        """History file ``name`` as ``data`` names it, or as the transaction changed it."""
        change = self._change
        if change is not None and name in change.files:
            return change.files[name]
        return self._read_version(name, (_meta_of(data).get("files") or {})[name])

    def _docs(
        self, table: str, *, recent: bool = False, years: tuple[int, int] | None = None, after: str | None = None
    ) -> Mapping[str, Any]:
        """The stored documents of ``table`` by id: those in ``tend.json`` and, for a dated
        kind, those of its history files (only the ``years`` given; none when every record
        from the day ``after`` on is in ``tend.json``). ``recent``: instead of the history
        files, only the copies of what the first frame needs (:func:`app.history.prune`)."""
        for _ in range(3):
            data = self._data()
            current = data.get(table) or {}
            names = self._names(data, table)
            if not names:
                return current
            if recent:
                kept = _history_of(data)["kept"].get(table)
                return {**kept, **current} if kept else current
            if years is not None:
                names = [name for name in names if years[0] <= int(name[-4:]) <= years[1]]
            cut = _history_of(data)["cut"]
            if after is not None and cut is not None and after >= cut:
                names = []
            if not names:
                return current
            merged: dict[str, Any] = {}
            try:
                for name in names:
                    merged.update(self._read_history(data, name))
            except _Gone:
                if self._depth or self._file.frozen:
                    raise StoreError(
                        "Part of Tend's older history changed while it was being read. Try again."
                    ) from None
                self._file.invalidate()  # another Tend committed a change: read it afresh
                continue
            merged.update(current)
            return merged
        raise StoreError("Tend's data kept changing while it was being read. Try again in a moment.")

    def _in_history(self, data: Mapping[str, Any], table: str, record_id: int) -> str | None:
        """The history file that holds record ``record_id`` of ``table`` (None: none)."""
        infos = _history_of(data)["files"]
        for name in self._names(data, table):
            low, high = infos[name]["ids"]
            if low <= record_id <= high and str(record_id) in self._read_history(data, name):
                return name
        return None

    def _take_from_history(self, data: Mapping[str, Any], table: str, record_id: int) -> dict[str, Any] | None:
        """Inside a transaction: take record ``record_id`` out of its history file (the change
        is written at the commit) and return its document; None when no history file has it."""
        assert self._change is not None, "inside a transaction"
        name = self._in_history(data, table, record_id)  # only dated kinds have history files
        if name is None:
            return None
        docs = self._change.files.get(name)
        if docs is None:  # the first record this change takes from that file: a copy to change
            docs = self._change.files[name] = dict(self._read_history(data, name))
        doc: dict[str, Any] = docs.pop(str(record_id))
        self._change.recount.add(table)
        return doc

    def _write_history(self, change: _HistoryChange) -> None:
        """Write the history files ``change`` makes, as new versions nothing names yet, then
        put them, and what is kept from them, in the ``_meta`` of the data about to be saved:
        the save of ``tend.json`` that follows is the commit point (docs/storage.md, 3)."""
        from app.history import fold, id_range, prune, stem_parts

        data = self._data()
        meta = _meta_of(data)
        files: dict[str, int] = dict(meta.get("files") or {})
        before = _history_of(data)
        found = {"cut": before["cut"], "files": dict(before["files"]), "kept": dict(before["kept"])}
        if change.cut is not None and (found["cut"] is None or change.cut > found["cut"]):
            found["cut"] = change.cut
        self.warnings += secure_dir(self.history_dir)
        self._roll_back_history(committed=int(meta.get("generation", 0)))
        generation = int(meta.get("generation", 0)) + 1
        change.previous = dict(files)
        for name, docs in sorted(change.files.items()):
            table = (stem_parts(name) or ("", 0))[0]
            if not docs:
                files.pop(name, None)
                found["files"].pop(name, None)
                continue
            raw = dump_json({META_TABLE: {"1": {"schema": SCHEMA_VERSION, "layout": LAYOUT, "file": name}}, table: docs})
            self._write_version(name, generation, raw)
            files[name] = generation
            found["files"][name] = {"records": len(docs), "size": len(raw), "ids": id_range(docs), **_tally_of(table, docs)}
        fsync_dir(self.history_dir)
        for table in sorted(change.recount):  # something left a history file: work it out again
            every: dict[str, Any] = {}
            for name in sorted(files):
                if name.startswith(table + "-"):
                    every.update(change.files[name] if name in change.files else self._read_version(name, files[name]))
            found["kept"][table] = prune(table, every)
        for table, added in change.folded.items():
            if table not in change.recount:
                found["kept"][table] = fold(table, found["kept"].get(table) or {}, added)
        found["kept"] = {table: kept for table, kept in found["kept"].items() if kept}
        key = next(iter(data[META_TABLE]))
        data[META_TABLE][key] = {**meta, "files": files, "generation": generation, "history": found}
        self._file.write(data)

    def _write_version(self, name: str, generation: int, raw: bytes) -> None:
        """Write ``raw`` as history file ``name``'s version ``generation`` (a shadow file
        until ``tend.json`` names it), then read it back: one that does not read back as
        written raises :class:`SaveError` before anything names it."""
        from app.history import versioned

        target = self.history_dir / versioned(name, generation)
        self.warnings += secure_file(target)
        atomic_write(target, raw, temp_prefix=self.paths.temp_prefix)
        try:
            same = read_bytes_nofollow(target) == raw
        except OSError as error:
            raise SaveError(f"Tend could not read back what it saved: {_describe_os_error(error)}.") from error
        if not same:
            raise SaveError(f"Tend saved {target.name} but it did not read back the same; nothing was changed.")

    def _roll_back_history(self, committed: int) -> None:
        """Remove what a change killed before its commit left in ``history/``: versions newer
        than the ``committed`` generation, and temp files. After ``tend.json`` was restored
        from a copy, such versions were committed by the file that was lost: they are kept
        aside instead (``<name>.after-backup-<time>``), never removed."""
        from app.history import parse_versioned

        try:
            names = os.listdir(self.history_dir)
        except FileNotFoundError:
            return
        for name in names:
            parsed = parse_versioned(name)
            path = self.history_dir / name
            with contextlib.suppress(OSError):
                if name.startswith(self.paths.temp_prefix) and name.endswith(self.paths.temp_suffix):
                    os.unlink(path)
                elif parsed is not None and parsed[1] > committed:
                    if self.recovered:
                        stamp = pendulum.now().format("YYYYMMDD-HHmmss")
                        os.rename(path, self.history_dir / f"{name}.after-backup-{stamp}")
                    else:
                        os.unlink(path)

    def _versions_on_disk(self) -> dict[str, list[int]]:
        """Every version of every history file in ``history/``, by name (an ``OSError`` if
        the folder can't be listed)."""
        from app.history import parse_versioned

        found: dict[str, list[int]] = {}
        for entry in os.listdir(self.history_dir):
            parsed = parse_versioned(entry)
            if parsed is not None:
                found.setdefault(parsed[0], []).append(parsed[1])
        return found

    def _tidy_history(self, previous: Mapping[str, int]) -> None:
        """After a commit: remove the history versions no copy of ``tend.json`` needs (the
        data, its backup, every copy kept aside), keeping for each file its version before
        the last change (that file's own backup) and the version ``previous`` named. Never
        fails a committed change."""
        from app.history import versioned

        try:
            current = dict(_meta_of(self._data()).get("files") or {})
            versions = self._versions_on_disk()
        except (OSError, StoreError):
            return
        named: list[Mapping[str, Any]] = [current, previous]
        for path in self._copies():
            with contextlib.suppress(OSError, StoreError, AttributeError, TypeError):
                found = _meta_of(parse_database(read_bytes_nofollow(path))).get("files")
                if isinstance(found, dict):
                    named.append(found)
        for name, generations in versions.items():
            keep = {files[name] for files in named if type(files.get(name)) is int}
            now = current.get(name)
            if type(now) is int:
                keep.add(max((g for g in generations if g < now), default=now))
            for generation in generations:
                # Older than a version something names, and named by nothing. (A version
                # newer than every name is a change not committed yet: the roll-back's.)
                if keep and generation not in keep and generation < max(keep):
                    with contextlib.suppress(OSError):
                        os.unlink(self.history_dir / versioned(name, generation))

    def roll_over(self, today: dt.date | None = None) -> int:
        """Move the dated records older than the recent window from ``tend.json`` to their
        year's history file, once a week's worth has aged out: one change across files, all
        of it or none. Returns how many moved (0: not due, or read-only)."""
        from app import history

        if self.read_only:
            return 0
        day = today or pendulum.today().date()
        with self.transaction():
            data = self._data()
            if _meta_of(data).get("layout") != LAYOUT or not history.due(data, day):
                return 0
            change = self._change
            assert change is not None
            change.cut = cut = history.cut_for(day)
            moved = 0
            for table, field in history.DATED.items():
                documents = data.get(table) or {}
                for year, old in sorted(history.aged(documents, field, cut).items()):
                    name = history.stem(table, year)
                    known = self._read_history(data, name) if name in (_meta_of(data).get("files") or {}) else {}
                    change.files[name] = {**known, **old}
                    change.folded.setdefault(table, {}).update(old)
                    for key in old:
                        del documents[key]
                    moved += len(old)
            if moved:
                self._file.write(data)
        return moved

    def _parsed(self, cls: type[R]) -> dict[int, R]:
        """The parsed records of a kind, by id (the cache itself: copy before handing out)."""
        data = self._data()  # first: reading the file afresh moves the epoch on
        epoch = self._file.epoch
        cached = self._records.get(cls.TABLE)
        if cached is not None and cached[0] == epoch:
            return cached[1]  # type: ignore[return-value]  # the cache for cls.TABLE holds records of cls
        records: dict[int, R] = {}
        historic = bool(cls.DATED_BY and self._names(data, cls.TABLE))
        documents = self._docs(cls.TABLE) if historic else data.get(cls.TABLE) or {}
        with paused_gc():
            for key, doc in documents.items():
                try:
                    # Shares nested dicts with the document: neither is ever changed in place
                    # (a change replaces the document) and these records are only copied out.
                    records[int(key)] = self._record(cls, doc, int(key), copy=False)
                except (RecordError, ValueError) as error:
                    self._leave_out(cls, key, error)
        if not historic:  # older history is never held in memory past the call that read it
            self._records[cls.TABLE] = (epoch, records)  # type: ignore[assignment]  # records of cls are Records; dict is invariant
        return records

    def _remember(self, record: Record, doc: dict[str, Any]) -> None:
        """Keep the parsed-records cache in step with a document this store just wrote."""
        cached = self._records.get(record.TABLE)
        if cached is None or cached[0] != self._file.epoch:
            return
        try:
            cached[1][record.id or 0] = load_record(type(record), doc, record.id, copy=False)
        except RecordError:
            cached[1].pop(record.id or 0, None)

    def _forget(self, table: str, record_id: int) -> None:
        cached = self._records.get(table)
        if cached is not None:
            cached[1].pop(record_id, None)

    def _insert(self, table: str, doc: dict[str, Any], doc_id: int | None = None) -> int:
        """Add a document (inside a transaction); a new id unless ``doc_id`` is given.

        A new id is above every id the table has ever given (its high-water mark, kept in
        ``_meta`` and written with the document), so a removed record's id never comes back
        for someone else, whichever Tend removed it.
        """
        data = self._data()
        documents = data.setdefault(table, {})
        epoch = self._file.epoch
        if doc_id is None:
            known = self._next_ids.get(table)
            # The next id holds while the data in memory does (another Tend's save moves the
            # epoch on, so it is worked out again from the file under the lock).
            doc_id = known[1] if known and known[0] == epoch else max(map(int, documents), default=0) + 1
            doc_id = max(doc_id, self._last_id(data, table) + 1)
            self._next_ids[table] = (epoch, doc_id + 1)
        else:
            self._next_ids.pop(table, None)
        # The mark first: in a table with no mark yet, the highest id held stands for it,
        # and with the new document already in, the mark would never be written (and every
        # later insert would scan the whole table again).
        self._mark_used(data, table, doc_id)
        documents[str(doc_id)] = doc
        self._file.write(data)
        return doc_id

    @staticmethod
    def _last_id(data: dict[str, Any], table: str) -> int:
        """The highest id ``table`` has given: its high-water mark, or in a file from before
        the marks, the highest id it holds or any other record still points at (a ritual
        may still name someone removed then)."""
        meta = next(iter(data[META_TABLE].values()))
        marks = meta.get("last_ids")
        last = marks.get(table) if isinstance(marks, dict) else None
        if type(last) is int:
            return last
        highest = max((int(key) for key in data.get(table) or {}), default=0)
        for other, name in REFERENCES.get(table, ()):
            for doc in (data.get(other) or {}).values():
                value = doc.get(name)
                for pointed in value if isinstance(value, list) else [value]:
                    if type(pointed) is int and pointed > highest:
                        highest = pointed
        return highest

    def _mark_used(self, data: dict[str, Any], table: str, doc_id: int) -> None:
        """Raise ``table``'s high-water mark to ``doc_id`` (in ``data``, written with it)."""
        if doc_id <= self._last_id(data, table):
            return
        key, meta = next(iter(data[META_TABLE].items()))
        last = meta.get("last_ids") if isinstance(meta.get("last_ids"), dict) else {}
        data[META_TABLE][key] = {**meta, "last_ids": {**last, table: doc_id}}

    # -- records ---------------------------------------------------------------------------

    def all(self, cls: type[R]) -> list[R]:
        """Every record of a kind, oldest first. Entries that do not fit are left out."""
        records = self._parsed(cls)
        with paused_gc():  # thousands of new objects, no cycles among them
            return [copy_record(record) for record in records.values()]

    def _record(self, cls: type[R], doc: Any, doc_id: int, *, copy: bool = True) -> R:
        """A stored record, its text cleaned when the file was not all written by Tend."""
        record = load_record(cls, doc, doc_id, copy=copy)
        if (self._storage is not None and self._storage.unclean) or (cls.DATED_BY and self._history_unclean):
            return record.cleaned()
        if cls.UNNAMED and not record.name:  # type: ignore[attr-defined]  # only kinds with a name set UNNAMED
            return record.cleaned()  # an empty name, typed by hand: give it one to show
        return record

    def get(self, cls: type[R], record_id: int) -> R | None:
        data = self._data()  # first: reading the file afresh moves the epoch on
        cached = self._records.get(cls.TABLE)
        if cached is not None and cached[0] == self._file.epoch and record_id in cached[1]:
            return copy_record(cached[1][record_id])  # type: ignore[return-value]  # the cache for cls.TABLE holds cls
        doc = (data.get(cls.TABLE) or {}).get(str(record_id))
        if doc is None and cls.DATED_BY:
            name = self._in_history(data, cls.TABLE, record_id)
            doc = self._read_history(data, name).get(str(record_id)) if name else None
        if doc is None:
            return None
        return self._record(cls, doc, record_id)

    def history_tally(self, cls: type[Record]) -> dict[str, float] | None:
        """The tallies (:meth:`app.models.Record.tally`) of every history file of ``cls``,
        added up, from ``tend.json`` alone: ``{}`` when it has none; None when some file has
        no tally (written by a Tend from before tallies, until the next start adds it), so
        the caller reads the files instead. With ``columns(..., current=True)`` it gives a
        total over every record without reading a history file."""
        total: dict[str, float] = {}
        for _, info in self._manifest(self._data(), cls.TABLE):
            tally = info.get("tally")
            if not isinstance(tally, dict) or not _is_tally(tally):
                return None
            for key, number in tally.items():
                total[key] = total.get(key, 0) + number
        return total

    def history_counts(self, cls: type[Record]) -> dict[str, int] | None:
        """Each history file of ``cls`` (its stem) with its record count, from ``tend.json``'s
        manifest alone (no file read): ``{}`` when it has none; None when a file named there
        has no count (the manifest is checked at start, so only a file Tend never wrote)."""
        return self._counts(self._data(), cls.TABLE)

    @classmethod
    def _counts(cls, data: Mapping[str, Any], table: str) -> dict[str, int] | None:
        counts: dict[str, int] = {}
        for name, info in cls._manifest(data, table):
            records = info.get("records")
            if type(records) is not int:
                return None
            counts[name] = records
        return counts

    @classmethod
    def _manifest(cls, data: Mapping[str, Any], table: str) -> list[tuple[str, Mapping[str, Any]]]:
        """Each history file of ``table`` that ``data`` names (oldest year first), with what
        its manifest says of that file (empty when it says nothing)."""
        infos = _history_of(data)["files"]
        return [(name, info if isinstance(info := infos.get(name), dict) else {}) for name in cls._names(data, table)]

    def _tally_history(self) -> None:
        """At start, under the lock: give each history file written without a tally (by a
        Tend from before them) its tally, read once, so views add tallies up from then on."""
        if self.read_only:
            return
        data = self._data()
        infos = _history_of(data)["files"]
        missing = [
            name for name in infos
            if not _is_tally(infos[name].get("tally")) and _tally_of(name.rpartition("-")[0], {})
        ]  # fmt: skip
        if not missing:
            return
        with self.transaction():
            data = self._data()
            infos = _history_of(data)["files"]
            for name in missing:
                if name in infos:
                    infos[name].update(_tally_of(name.rpartition("-")[0], self._read_history(data, name)))
            self._file.write(data)

    def recount_history(self) -> list[str]:
        """Count every history file's tally again from the file itself, and keep the ones that
        differ from what ``tend.json`` says (only a hand edit can make them differ): what
        ``tend doctor --fix`` does. Reads every history file. Returns the names corrected."""
        corrected = []
        with self.transaction():
            data = self._data()
            infos = _history_of(data)["files"]
            for name in list(infos):
                counted = _tally_of(name.rpartition("-")[0], self._read_history(data, name))
                if counted and infos[name].get("tally") != counted["tally"]:
                    infos[name].update(counted)
                    corrected.append(name)
            if corrected:
                self._file.write(data)
        return corrected

    def has_history(self, cls: type[Record]) -> bool:
        """Whether some records of ``cls`` live in history files: reading all of them then
        means reading files, so a view may draw the recent ones first (``recent=True``) and
        the rest from a worker. Reads nothing but ``tend.json``."""
        return bool(cls.DATED_BY) and bool(self._names(self._data(), cls.TABLE))

    def find(self, cls: type[R], *, recent: bool = False, **fields: Any) -> list[R]:
        """Records whose fields equal the values given, oldest first, e.g.
        ``find(RitualEntry, ritual_id=3, day=day)``. Compares the stored form, so it parses
        only the records that match. ``recent`` as for :meth:`columns` (kept copies of ritual
        entries hold only ``ritual_id``, ``day`` and ``status``)."""
        dated = fields.get(cls.DATED_BY) if cls.DATED_BY == "day" else None
        if dated is not None and not recent:  # one day: only its year, none if it is recent
            day = stored_form(dated)
            year = int(day[:4]) if isinstance(day, str) and day[:4].isdigit() else None
            matches: Any = self._docs(cls.TABLE, years=(year, year) if year else None, after=day if year else None).items()
        else:
            matches = self._docs(cls.TABLE, recent=recent).items()
        for name, value in fields.items():  # one tight pass per field, narrowing as it goes
            value = stored_form(value)
            matches = [(key, doc) for key, doc in matches if doc.get(name) == value]
        found: list[R] = []
        for key, doc in matches:
            try:
                found.append(self._record(cls, doc, int(key)))
            except (RecordError, ValueError) as error:
                self._leave_out(cls, key, error)
        return found

    def _leave_out(self, cls: type[Record], key: str, error: Exception) -> None:
        """Note an entry that could not be read, for the app to name (never fatal)."""
        self.left_out.setdefault(f"{cls.TABLE.replace('_', ' ')} {key}", strip_controls(str(error), multiline=False)[:200])

    def columns(
        self, cls: type[Record], *names: str, recent: bool = False, among: Mapping[str, Any] | None = None,
        current: bool = False,
    ) -> list[tuple[Any, ...]]:
        """Some fields of every record of a kind, as stored (JSON values, unchecked; a missing
        field reads as the record's default, or None), in record order, e.g. ``columns(RitualEntry, "ritual_id", "day", "status")``.

        For summaries over thousands of records that need two or three fields: no record is
        built or copied. The caller checks each value's type; text is not cleaned, so use it
        for ids, dates and states, never for text that will be shown.

        ``recent``: for a dated kind, the records of the recent window and, of older ones,
        only what the first frame needs (per ritual the last 31 done days, the last skipped
        and the first entry; each colleague's latest contact; the latest scan and breathing
        session): never reads a history file. ``among``: these documents instead of the
        kind's (as :meth:`read_older` gives them). ``current``: only the records that live in
        ``tend.json`` itself, none of the history files' (not even the copies ``recent`` adds):
        with :meth:`history_tally`, a total over every record.
        """
        if current:
            among = self._data().get(cls.TABLE) or {}
        documents = (self._docs(cls.TABLE, recent=recent) if among is None else among).values()
        fields = cls.__dataclass_fields__
        defaults = [fields[name].default if name in fields else None for name in names]
        pairs = [(name, None if default is dataclasses.MISSING else default) for name, default in zip(names, defaults, strict=True)]
        if len(pairs) == 1:  # spelled out for one to three fields: twice as fast as a generator
            (a, da), = pairs
            return [(doc.get(a, da),) for doc in documents]
        if len(pairs) == 2:
            (a, da), (b, db) = pairs
            return [(doc.get(a, da), doc.get(b, db)) for doc in documents]
        if len(pairs) == 3:
            (a, da), (b, db), (c, dc) = pairs
            return [(doc.get(a, da), doc.get(b, db), doc.get(c, dc)) for doc in documents]
        return [tuple(doc.get(name, default) for name, default in pairs) for doc in documents]

    def select(
        self, cls: type[R], keep: Callable[[Mapping[str, Any]], bool], *, recent: bool = False, among: Mapping[str, Any] | None = None
    ) -> list[R]:
        """Records whose stored document (JSON values, unchecked; do not change it) passes
        ``keep``, oldest first. Like :meth:`find`, only the records that match are parsed:
        for picking a few out of thousands (the last fortnight's scans, the latest contacts).
        ``recent`` as for :meth:`columns`; ``among``: these documents instead of the kind's."""
        found: list[R] = []
        documents = self._docs(cls.TABLE, recent=recent) if among is None else among
        for key, doc in documents.items():
            if keep(doc):
                try:
                    found.append(self._record(cls, doc, int(key)))
                except (RecordError, ValueError) as error:
                    self._leave_out(cls, key, error)
        return found

    def moments(
        self, cls: type[Record], field: str, *, recent: bool = False, among: Mapping[str, Any] | None = None
    ) -> list[dt.datetime]:
        """Every readable time in a time field of a kind (e.g. every scan's ``when``), without
        building records; to choose which few of thousands to read (:meth:`between`).
        ``recent`` as for :meth:`columns` (the latest is always among them); ``among`` as
        for :meth:`select`."""
        found = []
        for key, doc in (self._docs(cls.TABLE, recent=recent) if among is None else among).items():
            value = doc.get(field)
            moment = moment_of(value)
            if moment is not None:
                found.append(moment)
            elif value is not None:  # there, and not a time Tend can use: name it, leave it out
                self._leave_out(cls, key, RecordError(f"{field}: {str(value)[:40]!r} is not a date and time from {MIN_YEAR} to {MAX_YEAR}"))
        return found

    def between(
        self,
        cls: type[R],
        field: str,
        start: dt.datetime | None,
        end: dt.datetime | None = None,
        *,
        recent: bool = False,
        among: Mapping[str, Any] | None = None,
    ) -> list[R]:
        """Records whose time ``field`` lies from ``start`` to ``end`` (both included; None:
        no bound), oldest first; only those are parsed. ``recent`` and ``among`` as for
        :meth:`select`; without them, only the history files of the years the range reaches
        are read (a day either side, for time zones), and none when every record from its
        start on is still in ``tend.json``."""

        def wanted(doc: Mapping[str, Any]) -> bool:
            moment = moment_of(doc.get(field))
            return moment is not None and (start is None or moment >= start) and (end is None or moment <= end)

        if among is None and not recent:
            years = (start.year - 1 if start else MIN_YEAR, end.year + 1 if end else MAX_YEAR)
            after = (start - dt.timedelta(days=2)).date().isoformat() if start else None
            among = self._docs(cls.TABLE, years=years, after=after)
        return self.select(cls, wanted, recent=recent, among=among)

    # -- older history from a worker thread (docs/storage.md, section 7) -----------------------

    def _history_versions(self, data: Mapping[str, Any], table: str) -> tuple[tuple[str, int], ...]:
        files = _meta_of(data).get("files") or {}
        return tuple((name, int(files[name])) for name in self._names(data, table))

    def history_versions(self, cls: type[Record]) -> tuple[tuple[str, int], ...]:
        """The history files of ``cls`` as ``tend.json`` names them now (name, generation):
        any change to one (a roll-over, an old record edited) gives other versions. Reads no
        history file and copies nothing."""
        return self._history_versions(self._data(), cls.TABLE)

    def older_part(self, cls: type[Record]) -> OlderPart | None:
        """On the event loop: what reading every record of ``cls`` in a worker thread needs
        (:meth:`read_older`): its history files as ``tend.json`` names them now, and copies
        of its documents there. None when none of them is in history. Reads no history file."""
        if not cls.DATED_BY:
            return None
        data = self._data()
        versions = self._history_versions(data, cls.TABLE)
        if not versions:
            return None
        current = {key: dict(doc) for key, doc in (data.get(cls.TABLE) or {}).items()}
        return OlderPart(cls.TABLE, versions, self.token(), current, self._counts(data, cls.TABLE) or {})

    def read_older(self, part: OlderPart, cancelled: Callable[[], bool] = lambda: False) -> dict[str, Any] | None:
        """In a worker thread: every document of ``part``'s kind as stored when ``part`` was
        taken (its history files, then ``tend.json``'s copies on top), by id, for ``among=``
        (shared with the store's cache: never change them). Touches only those files and the
        cache of them: never ``tend.json`` (the event loop may be saving it) and never the
        lock; a file that can't be read is named in ``left_out`` and mended by the next read
        on the event loop. None when a file has gone meanwhile (another change committed;
        take :meth:`older_part` again), or when ``cancelled()`` says so between files."""
        merged: dict[str, Any] = {}
        for name, generation in part.versions:
            if cancelled():
                return None
            try:
                merged.update(self._read_version(name, generation, mend=False))
            except _Gone:
                return None
        merged.update(part.current)
        return merged

    def mend_unread(self) -> None:
        """On the event loop, after :meth:`read_older`: each history file it found unreadable
        is set aside and its version before the last change put back, as a read here does at
        once (the data then changes: :meth:`still_current` says to read again)."""
        while self._unread:
            self._mend_after(self._unread.pop())

    def still_current(self, part: OlderPart) -> bool:
        """On the event loop: whether the data is still as ``part`` saw it (no save since, by
        this Tend or another): what was worked out from :meth:`read_older` holds, and a
        record removed or changed meanwhile is not brought back by it."""
        return self.token() == part.token and self._history_versions(self._data(), part.table) == part.versions

    def add(self, record: R) -> R:
        """Save a new record; returns it with its id (and a new random ``uid`` unless it
        came with one, from an import)."""
        clean = record.cleaned()
        if not clean.uid:
            clean = dataclasses.replace(clean, uid=str(uuid.uuid4()))
        doc = clean.to_doc()
        with self.transaction():
            new_id = self._insert(clean.TABLE, doc)
            saved = type(clean).from_doc(doc, new_id)
            self._remember(saved, doc)
        return saved

    def update(self, record: R, *, base: R | None = None, version_at_least: int = 0) -> R:
        """Save changes to an existing record; returns it as saved, its version one up.

        ``base`` is the record as the edit started from it (a form gives the record it
        opened with). If another Tend saved the record meanwhile, the two edits are merged
        field by field: a field changed on one side only takes that side's value. A field
        both changed differently raises :class:`ConflictError` and nothing is saved.
        Without ``base``, ``record.version`` tells where the edit started: an edit of an
        older version is refused the same way wherever it differs from the stored record.
        ``version_at_least`` raises the new version to at least that (an import taking a newer
        copy from a file keeps the file's version, so an edit made after it counts as newer).
        """
        if record.id is None:
            raise ValueError("update() needs a saved record")
        clean = record.cleaned()
        with self.transaction():
            data = self._data()
            documents = data.setdefault(clean.TABLE, {})
            stored = documents.get(str(clean.id))
            if stored is None:  # an older record: it comes back to tend.json, changed
                stored = self._take_from_history(data, clean.TABLE, record.id)
            if stored is None:
                raise MissingRecordError(
                    "That entry was removed, perhaps in another Tend window, so the change "
                    "could not be saved."
                )
            current = stored.get("version", 0)
            current = current if type(current) is int else 0
            if base is None and clean.version == current:
                merged = clean
            else:
                theirs = self._record(type(clean), stored, record.id)
                if base is not None:
                    merged, clashes = merge_records(base, clean, theirs)
                else:  # which fields the edit changed is unknown: every difference clashes
                    merged, clashes = theirs, differing_fields(clean, theirs)
                if clashes:
                    start = base if base is not None else theirs
                    retry = dataclasses.replace(
                        start, version=current, **{name: getattr(theirs, name) for name in clashes}
                    )
                    raise ConflictError(clean, theirs, clashes, retry)
            stored_uid = stored.get("uid")
            uid = stored_uid if isinstance(stored_uid, str) and stored_uid else merged.uid
            version = max(current + 1, version_at_least)
            merged = dataclasses.replace(merged, version=version, uid=uid)  # a uid never changes
            doc = merged.to_doc()
            documents[str(clean.id)] = doc  # same place in the table, so the order holds
            self._file.write(data)
            self._remember(merged, doc)
        return merged

    def remove(self, cls: type[Record], record_id: int) -> None:
        with self.transaction():
            data = self._data()
            documents = data.get(cls.TABLE) or {}
            if str(record_id) in documents:
                del documents[str(record_id)]
                self._mark_used(data, cls.TABLE, record_id)  # a file from before the marks
                _count_removal(data, 1)
                self._file.write(data)
                self._forget(cls.TABLE, record_id)
            elif self._take_from_history(data, cls.TABLE, record_id) is not None:
                _count_removal(data, 1)
                self._file.write(data)  # names the history file without it, at the commit
                self._forget(cls.TABLE, record_id)

    def restore(self, record: R) -> R:
        """Put back a removed record under its old id (for undo); a new id if that is taken."""
        clean = record.cleaned()
        doc = clean.to_doc()
        with self.transaction():
            data = self._data()
            documents = data.get(clean.TABLE) or {}
            taken = clean.id is not None and (
                str(clean.id) in documents or (bool(clean.DATED_BY) and self._in_history(data, clean.TABLE, clean.id) is not None)
            )
            _count_removal(data, -1)  # the same dict the inserts below save with
            if clean.id is not None and not taken:
                self._insert(clean.TABLE, doc, doc_id=clean.id)
                self._remember(clean, doc)
                return clean
            new_id = self._insert(clean.TABLE, doc)
            saved = type(clean).from_doc(doc, new_id)
            self._remember(saved, doc)
        return saved

    # -- identities across exports ---------------------------------------------------------

    def folder_uid(self, *, save: bool = True) -> str | None:
        """This data folder's own random id (kept in ``_meta``), from which the export uid of
        a record from before uids is derived. Given once, on first need (an export or an
        import), in one small save; None if it is not there and cannot be saved (``save``
        False, or read-only data): such records are then exported without a uid."""
        meta = next(iter(self._data()[META_TABLE].values()))
        known = meta.get("folder_uid")
        if isinstance(known, str) and known:
            return known
        if not save or self.read_only:
            return None
        try:
            with self.transaction():
                data = self._data()
                key, meta = next(iter(data[META_TABLE].items()))
                known = meta.get("folder_uid")
                if isinstance(known, str) and known:
                    return known  # another Tend gave it meanwhile
                known = str(uuid.uuid4())
                data[META_TABLE][key] = {**meta, "folder_uid": known}
                self._file.write(data)
        except StoreError:
            return None
        return known

    @staticmethod
    def derived_uid(folder_uid: str, table: str, record_id: int) -> str:
        """The stable uid of a record stored without one: the same for the same folder,
        table and id in every export."""
        return str(uuid.uuid5(_UID_NAMESPACE, f"{folder_uid}/{table}/{record_id}"))

    def _uid_owners(self, table: str) -> dict[str, int]:
        """Each uid the records of ``table`` hold, with the lowest id holding it: a record
        copied by hand holds another's uid, and only the first keeps it (see :meth:`uid_of`)."""
        data = self._data()
        key = (self._file.epoch, len(data.get(table) or {}))
        hit = self._uid_owner_cache.get(table)
        if hit is not None and hit[0] == key:
            return hit[1]
        owners: dict[str, int] = {}
        for record_id, doc in self._docs(table).items():
            uid = doc.get("uid") if isinstance(doc, dict) else None
            if isinstance(uid, str) and uid and str(record_id).isdigit():
                number = int(record_id)
                if number < owners.get(uid, number + 1):
                    owners[uid] = number
        self._uid_owner_cache[table] = (key, owners)
        return owners

    def uids(self, cls: type[Record]) -> list[str]:
        """Every record's uid as :meth:`uid_of` gives it, in record order (as :meth:`columns`),
        without building records; derived ones only if the folder has its id already ("" else)."""
        folder = self.folder_uid(save=False)
        owners = self._uid_owners(cls.TABLE)
        found: list[str] = []
        for key, doc in self._docs(cls.TABLE).items():
            uid = doc.get("uid") if isinstance(doc, dict) else None
            if isinstance(uid, str) and uid and owners.get(uid) == (int(key) if str(key).isdigit() else None):
                found.append(uid)
            elif folder is not None and str(key).isdigit():
                found.append(self.derived_uid(folder, cls.TABLE, int(key)))
            else:
                found.append("")
        return found

    def uid_of(self, record: Record, folder_uid: str | None) -> str:
        """``record``'s uid, or for one from before uids the one derived from ``folder_uid``
        (:meth:`folder_uid`; "" if that is None). A uid two records hold (a card copied by
        hand in ``tend.json``) is the first one's; the other is exported under its derived
        uid, so an import never takes two people for one and moves one's history to the other."""
        if record.uid and (record.id is None or self._uid_owners(record.TABLE).get(record.uid, record.id) == record.id):
            return record.uid
        if folder_uid is None or record.id is None:
            return ""
        return self.derived_uid(folder_uid, record.TABLE, record.id)

    # -- settings --------------------------------------------------------------------------

    def settings(self) -> Settings:
        doc = self._table(Settings.TABLE).get(doc_id=1)
        if doc is None:
            return Settings()
        try:
            return self._record(Settings, doc, 1)
        except RecordError:
            # Keep what can be kept: drop only the fields that do not fit.
            good = {}
            for key, value in doc.items():
                try:
                    Settings.from_doc({key: value})
                    good[key] = value
                except RecordError:
                    pass
            return self._record(Settings, good, 1)

    def update_settings(self, **changes: Any) -> Settings:
        """Change some settings, keeping the rest (even if another window changed them)."""
        new_values = Settings(**changes).to_doc()
        with self.transaction():
            current = self.settings().to_doc()
            current.update({key: new_values[key] for key in changes})
            table = self._table(Settings.TABLE)
            if table.contains(doc_id=1):
                table.update(_Replace(current), doc_ids=[1])
            else:
                table.insert(Document(current, doc_id=1))
        return Settings.from_doc(current, 1)

    # -- drafts ----------------------------------------------------------------------------

    def draft(self, key: str) -> dict[str, Any] | None:
        """A saved draft (a scan in progress, a half-typed form), or None."""
        from tinydb import where

        found = self._table(DRAFTS_TABLE).get(where("key") == key)
        if isinstance(found, dict) and isinstance(found.get("data"), dict):
            if not nested_within(found["data"]):  # crafted by hand: let it go, never crash
                return None
            data = dict(found["data"])
            if self._storage is not None and self._storage.unclean:
                data = _strip_tree(data)
            return data
        return None

    def save_draft(self, key: str, data: dict[str, Any]) -> None:
        doc = {"key": key, "data": data, "saved": pendulum.now().isoformat()}
        with self.transaction():
            everything = self._data()
            drafts = everything.get(DRAFTS_TABLE) or {}
            kept = [doc_id for doc_id, old in drafts.items() if old.get("key") == key]
            if not kept:
                self._insert(DRAFTS_TABLE, doc)  # an id of ours, never one TinyDB cached
                return
            for doc_id in kept:
                drafts[doc_id] = dict(doc)
            self._file.write(everything)

    def clear_draft(self, key: str) -> None:
        with self.transaction():
            everything = self._data()
            drafts = everything.get(DRAFTS_TABLE) or {}
            gone = [doc_id for doc_id, old in drafts.items() if old.get("key") == key]
            for doc_id in gone:
                del drafts[doc_id]
            if gone:
                self._file.write(everything)

    # -- change detection ------------------------------------------------------------------------

    def token(self) -> object:
        assert self._storage is not None
        return self._storage._stat_signature()


def _strip_tree(value: Any) -> Any:
    """``value`` with control characters taken out of every string in it (see
    :func:`app.textclean.strip_controls`)."""
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, list):
        return [_strip_tree(item) for item in value]
    if isinstance(value, dict):
        return {key: _strip_tree(item) for key, item in value.items()}
    return value


class _Replace:
    """A TinyDB update operation that replaces a document's fields wholesale."""

    def __init__(self, fields: dict[str, Any]) -> None:
        self.fields = fields

    def __call__(self, doc: MutableMapping[str, Any]) -> None:
        doc.clear()
        doc.update(self.fields)

