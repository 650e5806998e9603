"""All-or-nothing changes across several files: the commit scheme of docs/storage.md (section 3).

A building block of the split store of issue 14, **not used by** :class:`app.storage.Store`
**yet**. A set of files is one small *current* file (``current.json``) plus history files in
``history/``. A history file is never rewritten in place: each change writes it under a new
name that carries the change's *generation* (``contacts-2024.g000018.json``), and the
current file's ``_meta`` names the generation of every history file that belongs to the
data (its *manifest*). Replacing the current file (one :func:`app.storage.atomic_write`) is
the single commit point of a change to any number of files: a kill before it leaves the old
manifest naming the old files, after it the new one naming the new.

What a change leaves behind is tidied under the same lock: a history file newer than the
manifest is from a change that never committed and is removed (:meth:`FileSet.roll_back`,
at start and before every commit); the version a change superseded is kept as that file's
backup, the one before it removed.

Every method that writes runs with the folder's lock (``tend.lock``) held by the caller.
Reads take no lock: a reader takes the manifest from the current file it read and opens
exactly the versions it names; :class:`Superseded` means a later change was committed and
tidied meanwhile, so the reader reads the current file again.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from app.storage import (
    META_TABLE,
    DamagedFileError,
    StoreError,
    atomic_write,
    parse_database,
    read_bytes_nofollow,
    secure_dir,
    secure_file,
)

CURRENT = "current.json"
HISTORY = "history"
TEMP_PREFIX, TEMP_SUFFIX = ".tend-", ".tmp"
_VERSIONED = re.compile(r"^(?P<stem>[a-z_]+-\d{4})\.g(?P<gen>\d{6})\.json$")
_STEM = re.compile(r"^[a-z_]+-\d{4}$")


class Superseded(StoreError):
    """A history version named by the current file read has gone: a later change was
    committed meanwhile. Read the current file again."""


def versioned(stem: str, generation: int) -> str:
    """The name of ``stem``'s file written by change ``generation``."""
    if not _STEM.match(stem) or not 0 < generation < 10**6:
        raise ValueError(f"not a history file: {stem!r} generation {generation}")
    return f"{stem}.g{generation:06d}.json"


def parse_versioned(name: str) -> tuple[str, int] | None:
    found = _VERSIONED.match(name)
    return (found["stem"], int(found["gen"])) if found else None


def _meta(current: Mapping[str, Any]) -> dict[str, Any]:
    return next(iter(current[META_TABLE].values()))


def generation_of(current: Mapping[str, Any]) -> int:
    """The generation of the last change committed into ``current`` (0: none yet)."""
    value = _meta(current).get("generation", 0)
    if type(value) is not int or value < 0:
        raise DamagedFileError("the current file's generation mark is broken")
    return value


def manifest_of(current: Mapping[str, Any]) -> dict[str, int]:
    """Each history file belonging to ``current``'s data, with the generation that wrote it."""
    files = _meta(current).get("files", {})
    if not isinstance(files, dict) or not all(
        isinstance(stem, str) and _STEM.match(stem) and type(gen) is int and 0 < gen <= generation_of(current)
        for stem, gen in files.items()
    ):
        raise DamagedFileError("the current file's list of history files is broken")
    return dict(files)


class FileSet:
    """The current file and the history files of one data folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.current_path = root / CURRENT
        self.history = root / HISTORY

    # -- reading (no lock) -------------------------------------------------------------------

    def read_current(self) -> dict[str, Any] | None:
        """The current file, checked (None when there is none yet)."""
        try:
            raw = read_bytes_nofollow(self.current_path)
        except FileNotFoundError:
            return None
        data = parse_database(raw)
        manifest_of(data)
        return data

    def read(self, current: Mapping[str, Any], stem: str) -> bytes | None:
        """The bytes of ``stem`` as ``current`` names it (None: not part of the data)."""
        generation = manifest_of(current).get(stem)
        if generation is None:
            return None
        try:
            return read_bytes_nofollow(self.history / versioned(stem, generation))
        except FileNotFoundError:
            raise Superseded(f"{stem} generation {generation} was replaced meanwhile") from None

    def versions(self) -> dict[str, list[int]]:
        """Every version of every history file on disk, oldest first."""
        found: dict[str, list[int]] = {}
        try:
            names = os.listdir(self.history)
        except FileNotFoundError:
            return found
        for name in names:
            parsed = parse_versioned(name)
            if parsed:
                found.setdefault(parsed[0], []).append(parsed[1])
        return {stem: sorted(gens) for stem, gens in found.items()}

    # -- changing (the caller holds the lock) ---------------------------------------------------

    def roll_back(self) -> list[str]:
        """Remove what a change killed before its commit left: versions newer than the
        current file's generation, and temp files in ``history/``. Returns the names removed.

        Only for a current file that was read whole: when it is restored from its backup,
        versions above the backup's generation were committed (by the file that was lost)
        and are kept aside by the restore, not removed here.
        """
        current = self.read_current()
        committed = generation_of(current) if current is not None else 0
        removed: list[str] = []
        try:
            names = os.listdir(self.history)
        except FileNotFoundError:
            return removed
        for name in names:
            parsed = parse_versioned(name)
            stale_temp = name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)
            if stale_temp or (parsed is not None and parsed[1] > committed):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.history / name)
                removed.append(name)
        return removed

    def commit(self, current: dict[str, Any], changed: Mapping[str, bytes | None]) -> dict[str, Any]:
        """Write ``changed`` history files (stem -> new bytes; None: no longer part of the
        data) and ``current`` as one change: all of it or, if killed or failing before the
        current file is replaced, none of it. Returns ``current`` with its manifest filled.

        Raises :class:`app.storage.SaveError` (nothing changed) as :func:`atomic_write` does.
        """
        secure_dir(self.root)  # made 0700 if missing; a symlink or someone else's is refused
        secure_dir(self.history)
        secure_file(self.current_path)
        self.roll_back()
        before = self.read_current()
        previous = manifest_of(before) if before is not None else {}
        generation = (generation_of(before) if before is not None else 0) + 1
        files = dict(previous)
        for stem, raw in changed.items():
            if raw is None:
                files.pop(stem, None)
                continue
            target = self.history / versioned(stem, generation)
            secure_file(target)
            atomic_write(target, raw, temp_prefix=TEMP_PREFIX)
            files[stem] = generation
        meta = _meta(current)
        meta["files"], meta["generation"] = files, generation
        atomic_write(self.current_path, orjson.dumps(current), temp_prefix=TEMP_PREFIX)  # the commit point
        self.tidy(files, previous)
        return current

    def tidy(self, files: Mapping[str, int], previous: Mapping[str, int]) -> None:
        """Keep, of each history file, the version the data names and the one it replaced
        (its backup); remove older ones. Never fails a committed change."""
        for stem, generations in self.versions().items():
            keep = {files.get(stem), previous.get(stem)}
            newest_kept = max((g for g in keep if g is not None), default=0)
            for generation in generations:
                if generation not in keep and generation < newest_kept:
                    with contextlib.suppress(OSError):
                        os.unlink(self.history / versioned(stem, generation))
