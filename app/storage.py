"""The store: private, crash-safe, and safe for two Tend sessions of the same user.

How it keeps its promises:

* **Private.** The data folder is created 0700 and every file in it 0600, whatever the umask.
  A folder or file that is a symlink, or belongs to another user, is refused; one of ours that
  is too open is tightened, with a warning.
* **Atomic.** A save writes a temp file in the same folder, fsyncs it, ``os.replace``-s it over
  the database and fsyncs the folder. A crash leaves either the old file or the new one.
* **Two writers.** Every change runs under an ``flock`` on ``tend.lock``. Inside the lock the
  file is read afresh (unless its inode, size and times show it is the copy we already hold),
  and TinyDB's per-table id counters are reset, so ids never collide across processes.
* **Transactions.** ``with store.transaction():`` groups changes into one write; an exception
  inside leaves the file as it was.
* **Clean text.** Records are cleaned (:mod:`app.textclean`) on every save, and also as they
  are read whenever the file may hold text Tend did not clean (edited by hand, or written by
  another program): a quick scan of the raw bytes decides, so ordinary files cost nothing.
* **Damage.** A database that is empty, unparseable or of the wrong shape is never
  overwritten: at start it is moved aside with a timestamp and the last good backup (refreshed
  on every good start) is restored. A file from a newer Tend opens read-only.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import errno
import gc
import os
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import orjson
import pendulum
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from app.models import MAX_YEAR, MIN_YEAR, RECORD_TYPES, Record, RecordError, Settings, copy_record, load_record, moment_of, nested_within, stored_form
from app.paths import DataPaths
from app.textclean import json_may_hold_unclean_text, strip_controls

SCHEMA_VERSION = 1
META_TABLE = "_meta"
DRAFTS_TABLE = "drafts"
KNOWN_TABLES = frozenset({META_TABLE, DRAFTS_TABLE, Settings.TABLE} | {cls.TABLE for cls in RECORD_TYPES})

R = TypeVar("R", bound=Record)

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


class MissingRecordError(StoreError):
    """The record was removed, probably in another Tend window."""


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
        raise StoreError(
            f"Tend could not create its data folder {path}: {_describe_os_error(error)}."
        ) from error
    _check_owner(path, st, "data folder")
    if not stat.S_ISDIR(st.st_mode):
        raise UnsafePathError(f"{path} should be Tend's data folder, but it is a file.")
    if stat.S_IMODE(st.st_mode) & 0o077:
        os.chmod(path, 0o700)
        warnings.append(
            f"Your data folder {path} could be read by others; Tend has made it private again."
        )
    return warnings


def secure_file(path: Path) -> list[str]:
    """Check an existing file of ours: refuse symlinks and foreign files, tighten if open."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return []
    _check_owner(path, st, "file")
    if not stat.S_ISREG(st.st_mode):
        raise UnsafePathError(f"{path} should be a plain file, and it is not. Tend will not use it.")
    if stat.S_IMODE(st.st_mode) & 0o077:
        os.chmod(path, 0o600, follow_symlinks=False)
        return [f"{path.name} could be read by others; Tend has made it private again."]
    return []


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


def atomic_write(target: Path, data: bytes | Callable[[int], None], *, temp_prefix: str = ".tend-") -> None:
    """Write ``data`` to ``target`` atomically, readable by the owner only.

    ``data`` may also be a function that writes the content to the file descriptor it is
    given (to copy a file without holding it in memory).

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


class InterProcessLock:
    """A re-entrant exclusive ``flock`` on a lock file of our own (0600, never a symlink)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._depth = 0
        self._thread_lock = threading.RLock()

    def acquire(self) -> None:
        self._thread_lock.acquire()
        if self._depth == 0:
            try:
                self._fd = self._open()
            except BaseException:
                self._thread_lock.release()
                raise
        self._depth += 1

    def _open(self) -> int:
        import fcntl

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
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        return fd

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
        if not isinstance(table, dict) or not all(isinstance(doc, dict) for doc in table.values()):
            raise DamagedFileError(f"the part {name!r} of the data file is not in Tend's shape")
        # ASCII digits only, as record_id() reads them: "\u00b2" passes isdigit() and fails int().
        if not all(key.isascii() and key.isdigit() and len(key) <= 18 for key in table):
            raise DamagedFileError(f"the part {name!r} of the data file has broken entries")
    if META_TABLE not in data or not data[META_TABLE]:
        raise DamagedFileError("the data file has no version mark, so it is not Tend data")
    return data


def schema_of(data: Mapping[str, Any]) -> int:
    meta = next(iter(data[META_TABLE].values()))
    version = meta.get("schema")
    if type(version) is not int or version < 1:  # not isinstance: true is an int to Python
        raise DamagedFileError("the data file's version mark is broken")
    return version


def empty_database() -> dict[str, dict[str, Any]]:
    return {META_TABLE: {"1": {"schema": SCHEMA_VERSION, "created": pendulum.now().isoformat()}}}


MIGRATIONS: dict[int, Any] = {}
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
            raise ReadOnlyError(
                "This data was saved by a newer Tend, so this one only reads it. "
                "Update Tend to make changes."
            )
        if self._pending is not None:
            self._pending = data
            self._dirty = True
            return
        self.flush(data)

    def flush(self, data: dict[str, Any]) -> None:
        raw = orjson.dumps(data)
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


# --------------------------------------------------------------------------- the store


class Store:
    """Typed, locked access to Tend's data. Open it with :meth:`Store.open`."""

    def __init__(self, root: Path) -> None:
        self.paths = DataPaths(Path(root))
        self.read_only = False
        self.first_run = False
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

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, root: Path, *, defer_backup: bool = False) -> Store:
        """Open (creating if needed) the store in ``root``, recovering from damage.

        A good start refreshes the backup with the data just checked. With ``defer_backup``
        that copy is written later by :meth:`write_backup` (the app calls it once its first
        frame is on screen, and the command line again on the way out, in case it never got
        that far).
        """
        store = cls(root)
        store._open(defer_backup=defer_backup)
        return store

    def write_backup(self) -> None:
        """Write the backup held back by ``open(defer_backup=True)``; does nothing otherwise.

        The file is read again rather than kept in memory since the start: if it is still the
        one checked then (same inode, size and times) it is copied as it is; if a save has
        replaced it meanwhile, it is checked again first. A damaged file never becomes the
        backup.
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

                    atomic_write(self.paths.backup, copy, temp_prefix=self.paths.temp_prefix)
                    return
                raw = source.read()
            try:
                schema_of(parse_database(raw))  # replaced since the start: check it first
            except DamagedFileError:
                return  # keep the last good backup; the next start will deal with the file
            atomic_write(self.paths.backup, raw, temp_prefix=self.paths.temp_prefix)

    def _open(self, *, defer_backup: bool = False) -> None:
        paths = self.paths
        self.warnings += secure_dir(paths.root)
        with self._lock:
            self.warnings += secure_file(paths.lock)
            self._remove_stale_temp_files()
            for path in (paths.database, paths.backup):
                self.warnings += secure_file(path)
            if not os.path.lexists(paths.database):
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
            if version > SCHEMA_VERSION:
                self.read_only = True
                self.notices.append(
                    f"Your data was saved by a newer version of Tend (data version {version}). "
                    "This one will show it but not change it, so nothing is lost. "
                    "Update Tend to make changes again."
                )
            elif migrate(data):
                raw = orjson.dumps(data)
                atomic_write(paths.database, raw)
            if not self.read_only and not defer_backup:
                atomic_write(paths.backup, raw, temp_prefix=paths.temp_prefix)
            self._storage = TendStorage(str(paths.database), self)
            signature = self._storage._stat_signature()
            self._storage.prime(data, signature, raw)
            if not self.read_only and defer_backup:
                self._pending_backup = signature
        self._db = TinyDB(str(paths.database), storage=lambda path: self._storage)

    def _remove_stale_temp_files(self) -> None:
        # Called with the lock held, so no other Tend is in the middle of a save.
        for temp in self.paths.temp_files():
            with contextlib.suppress(OSError):
                if os.lstat(temp).st_uid == os.geteuid():
                    os.unlink(temp)

    def _recover(self, problem: str) -> bytes:
        """Keep a damaged database aside and bring back the backup (or start afresh)."""
        paths = self.paths
        stamp = pendulum.now().format("YYYYMMDD-HHmmss")
        aside = paths.damaged_name(stamp)
        n = 1
        while os.path.lexists(aside):
            n += 1
            aside = paths.damaged_name(f"{stamp}-{n}")
        os.rename(paths.database, aside)
        os.chmod(aside, 0o600, follow_symlinks=False)
        fsync_dir(paths.root)
        backup_raw: bytes | None = None
        backup_when = ""
        try:
            backup_raw = read_bytes_nofollow(paths.backup)
            parse_database(backup_raw)
            backup_when = pendulum.from_timestamp(
                os.lstat(paths.backup).st_mtime, tz=pendulum.local_timezone()
            ).format("D MMMM YYYY [at] HH:mm")
        except (OSError, StoreError):
            backup_raw = None
        if backup_raw is not None:
            atomic_write(paths.database, backup_raw)
            self.notices.append(
                f"Tend's data file could not be read ({problem}). It has been kept, untouched, "
                f"at {aside}. Your last good backup, from {backup_when}, has been restored, so "
                "only changes made after that are missing. If they matter, the damaged file may "
                "still hold them."
            )
            return backup_raw
        raw = orjson.dumps(empty_database())
        atomic_write(paths.database, raw)
        self.notices.append(
            f"Tend's data file could not be read ({problem}), and there was no backup to "
            f"restore. It has been kept, untouched, at {aside}, and Tend has started a fresh "
            "one. Nothing has been deleted."
        )
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
            raise ReadOnlyError(
                "This data was saved by a newer Tend, so this one only reads it. "
                "Update Tend to make changes."
            )
        with self._lock:
            outer = self._depth == 0
            if outer:
                self._forget_next_ids()  # another process may have added documents
                self._storage.begin()
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if outer:
                    self._storage.rollback()
                    self._forget_next_ids()
                raise
            self._depth -= 1
            if outer:
                try:
                    self._storage.commit()
                except BaseException:
                    self._storage.rollback()
                    self._forget_next_ids()
                    raise

    def _forget_next_ids(self) -> None:
        # Only TinyDB's counters (settings, drafts): ours are checked against the epoch.
        for table in self.db._tables.values():
            table._next_id = None

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

    def _parsed(self, cls: type[R]) -> dict[int, R]:
        """The parsed records of a kind, by id (the cache itself: copy before handing out)."""
        data = self._data()  # first: reading the file afresh moves the epoch on
        epoch = self._storage.epoch  # type: ignore[union-attr]
        cached = self._records.get(cls.TABLE)
        if cached is not None and cached[0] == epoch:
            return cached[1]  # type: ignore[return-value]
        records: dict[int, R] = {}
        with paused_gc():
            for key, doc in (data.get(cls.TABLE) or {}).items():
                try:
                    # Shares nested dicts with the document: neither is ever changed in place
                    # (a change replaces the document) and these records are only copied out.
                    records[int(key)] = self._record(cls, doc, int(key), copy=False)
                except (RecordError, ValueError) as error:
                    self._leave_out(cls, key, error)
        self._records[cls.TABLE] = (epoch, records)  # type: ignore[assignment]
        return records

    def _remember(self, record: Record, doc: dict[str, Any]) -> None:
        """Keep the parsed-records cache in step with a document this store just wrote."""
        cached = self._records.get(record.TABLE)
        if cached is None or cached[0] != self._storage.epoch:  # type: ignore[union-attr]
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
        """Add a document (inside a transaction); a new id unless ``doc_id`` is given."""
        data = self._data()
        documents = data.setdefault(table, {})
        epoch = self._storage.epoch  # type: ignore[union-attr]
        if doc_id is None:
            known = self._next_ids.get(table)
            # The next id holds while the data in memory does (another Tend's save moves the
            # epoch on, so it is worked out again from the file under the lock).
            doc_id = known[1] if known and known[0] == epoch else max(map(int, documents), default=0) + 1
            self._next_ids[table] = (epoch, doc_id + 1)
        else:
            self._next_ids.pop(table, None)
        documents[str(doc_id)] = doc
        self._storage.write(data)  # type: ignore[union-attr]
        return doc_id

    # -- records ---------------------------------------------------------------------------

    def all(self, cls: type[R]) -> list[R]:
        """Every record of a kind, oldest first. Entries that do not fit are left out."""
        records = self._parsed(cls)
        with paused_gc():  # thousands of new objects, no cycles among them
            return [copy_record(record) for record in records.values()]

    def _record(self, cls: type[R], doc: Any, doc_id: int, *, copy: bool = True) -> R:
        """A stored record, its text cleaned when the file was not all written by Tend."""
        record = load_record(cls, doc, doc_id, copy=copy)
        if self._storage is not None and self._storage.unclean:
            return record.cleaned()
        if cls.UNNAMED and not record.name:  # type: ignore[attr-defined]
            return record.cleaned()  # an empty name, typed by hand: give it one to show
        return record

    def get(self, cls: type[R], record_id: int) -> R | None:
        data = self._data()  # first: reading the file afresh moves the epoch on
        cached = self._records.get(cls.TABLE)
        if cached is not None and cached[0] == self._storage.epoch and record_id in cached[1]:  # type: ignore[union-attr]
            return copy_record(cached[1][record_id])  # type: ignore[return-value]
        doc = (data.get(cls.TABLE) or {}).get(str(record_id))
        if doc is None:
            return None
        return self._record(cls, doc, record_id)

    def find(self, cls: type[R], **fields: Any) -> list[R]:
        """Records whose fields equal the values given, oldest first, e.g.
        ``find(RitualEntry, ritual_id=3, day=day)``. Compares the stored form, so it parses
        only the records that match."""
        matches: Any = (self._data().get(cls.TABLE) or {}).items()
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

    def columns(self, cls: type[Record], *names: str) -> list[tuple[Any, ...]]:
        """Some fields of every record of a kind, as stored (JSON values, unchecked; a missing
        field reads as the record's default, or None), in record order, e.g. ``columns(RitualEntry, "ritual_id", "day", "status")``.

        For summaries over thousands of records that need two or three fields: no record is
        built or copied. The caller checks each value's type; text is not cleaned, so use it
        for ids, dates and states, never for text that will be shown.
        """
        documents = (self._data().get(cls.TABLE) or {}).values()
        fields = cls.__dataclass_fields__
        defaults = [fields[name].default if name in fields else None for name in names]
        pairs = [(name, None if default is dataclasses.MISSING else default) for name, default in zip(names, defaults)]
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

    def select(self, cls: type[R], keep: Callable[[Mapping[str, Any]], bool]) -> list[R]:
        """Records whose stored document (JSON values, unchecked; do not change it) passes
        ``keep``, oldest first. Like :meth:`find`, only the records that match are parsed:
        for picking a few out of thousands (the last fortnight's scans, the latest contacts)."""
        found: list[R] = []
        for key, doc in (self._data().get(cls.TABLE) or {}).items():
            if keep(doc):
                try:
                    found.append(self._record(cls, doc, int(key)))
                except (RecordError, ValueError) as error:
                    self._leave_out(cls, key, error)
        return found

    def moments(self, cls: type[Record], field: str) -> list[dt.datetime]:
        """Every readable time in a time field of a kind (e.g. every scan's ``when``), without
        building records; to choose which few of thousands to read (:meth:`between`)."""
        found = []
        for key, doc in (self._data().get(cls.TABLE) or {}).items():
            value = doc.get(field)
            moment = moment_of(value)
            if moment is not None:
                found.append(moment)
            elif value is not None:  # there, and not a time Tend can use: name it, leave it out
                self._leave_out(cls, key, RecordError(f"{field}: {str(value)[:40]!r} is not a date and time from {MIN_YEAR} to {MAX_YEAR}"))
        return found

    def between(self, cls: type[R], field: str, start: dt.datetime | None, end: dt.datetime | None = None) -> list[R]:
        """Records whose time ``field`` lies from ``start`` to ``end`` (both included; None:
        no bound), oldest first; only those are parsed."""

        def wanted(doc: Mapping[str, Any]) -> bool:
            moment = moment_of(doc.get(field))
            return moment is not None and (start is None or moment >= start) and (end is None or moment <= end)

        return self.select(cls, wanted)

    def add(self, record: R) -> R:
        """Save a new record; returns it with its id."""
        clean = record.cleaned()
        doc = clean.to_doc()
        with self.transaction():
            new_id = self._insert(clean.TABLE, doc)
            saved = type(clean).from_doc(doc, new_id)
            self._remember(saved, doc)
        return saved

    def update(self, record: R) -> R:
        """Save changes to an existing record."""
        if record.id is None:
            raise ValueError("update() needs a saved record")
        clean = record.cleaned()
        doc = clean.to_doc()
        with self.transaction():
            data = self._data()
            documents = data.get(clean.TABLE) or {}
            if str(clean.id) not in documents:
                raise MissingRecordError(
                    "That entry was removed, perhaps in another Tend window, so the change "
                    "could not be saved."
                )
            documents[str(clean.id)] = doc  # same place in the table, so the order holds
            self._storage.write(data)  # type: ignore[union-attr]
            self._remember(clean, doc)
        return clean

    def remove(self, cls: type[Record], record_id: int) -> None:
        with self.transaction():
            data = self._data()
            documents = data.get(cls.TABLE) or {}
            if str(record_id) in documents:
                del documents[str(record_id)]
                self._storage.write(data)  # type: ignore[union-attr]
                self._forget(cls.TABLE, record_id)

    def restore(self, record: R) -> R:
        """Put back a removed record under its old id (for undo); a new id if that is taken."""
        clean = record.cleaned()
        doc = clean.to_doc()
        with self.transaction():
            documents = self._data().get(clean.TABLE) or {}
            if clean.id is not None and str(clean.id) not in documents:
                self._insert(clean.TABLE, doc, doc_id=clean.id)
                self._remember(clean, doc)
                return clean
            new_id = self._insert(clean.TABLE, doc)
            saved = type(clean).from_doc(doc, new_id)
            self._remember(saved, doc)
        return saved

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
        from tinydb import where

        doc = {"key": key, "data": data, "saved": pendulum.now().isoformat()}
        with self.transaction():
            self._table(DRAFTS_TABLE).upsert(doc, where("key") == key)

    def clear_draft(self, key: str) -> None:
        from tinydb import where

        with self.transaction():
            self._table(DRAFTS_TABLE).remove(where("key") == key)

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

    def __call__(self, doc: dict[str, Any]) -> None:
        doc.clear()
        doc.update(self.fields)

