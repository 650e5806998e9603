"""All or nothing across files (docs/storage.md, section 3; app/fileset.py, not yet used by
the Store): a change of several history files commits by one replace of the current file.

A child process commits changes to two or three history files and the current file in a
loop, saying each number once its commit returned; it is killed at a random moment 60
times. After each kill, under the lock, the data must be exactly one change: every file at
the number the current file names, no number that returned missing, and no file of a
change that never committed left behind.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import select
import signal
import stat
import time
from pathlib import Path

import orjson
import pytest

from app.fileset import FileSet, Superseded, parse_versioned, versioned
from app.storage import InterProcessLock, UnsafePathError

KILLS = 60


def history_doc(n: int) -> bytes:
    return orjson.dumps({"_meta": {"1": {"schema": 2}}, "entries": {"1": {"n": n}}})


def current_doc(n: int, c: int) -> dict:
    return {"_meta": {"1": {"schema": 2, "layout": "split"}}, "state": {"1": {"n": n, "c": c}}}


def number_in(raw: bytes | None) -> int:
    assert raw is not None
    return int(orjson.loads(raw)["entries"]["1"]["n"])


def _committer(folder: str, report_fd: int, first: int) -> None:
    root = Path(folder)
    files = FileSet(root)
    lock = InterProcessLock(root / "tend.lock")
    n = first
    while True:
        with lock:
            before = files.read_current()
            c = before["state"]["1"]["c"] if before else 0
            changed = {"a-2020": history_doc(n), "b-2021": history_doc(n)}
            if n % 3 == 0:  # a third file, now and then (a change that spans more years)
                changed["c-2022"] = history_doc(n)
                c = n
            files.commit(current_doc(n, c), changed)
        os.write(report_fd, f"{n}\n".encode())
        n += 1


def check(root: Path) -> int:
    """The data as one change; returns its number."""
    files = FileSet(root)
    with InterProcessLock(root / "tend.lock"):
        files.roll_back()
        current = files.read_current()
        assert current is not None
        n, c = current["state"]["1"]["n"], current["state"]["1"]["c"]
        assert number_in(files.read(current, "a-2020")) == n
        assert number_in(files.read(current, "b-2021")) == n
        if c:
            assert number_in(files.read(current, "c-2022")) == c
        generation = current["_meta"]["1"]["generation"]
        for generations in files.versions().values():
            assert max(generations) <= generation, "a file of a change that never committed was left"
            assert len(generations) <= 3  # the version named, its backup, one left by a kill before tidying
        assert not [p for p in files.history.iterdir() if p.name.endswith(".tmp")]
    return n


@pytest.mark.xdist_group("timed")  # kills within 30 ms of a start: never beside another timed test
def test_a_change_across_files_killed_at_random_moments_is_all_or_nothing(tmp_path: Path) -> None:
    root = tmp_path / "d"
    root.mkdir(mode=0o700)
    context = multiprocessing.get_context("fork")
    rng = random.Random(20261130)
    last = -1
    confirmed = 0
    for _ in range(KILLS):
        read_fd, write_fd = os.pipe()
        child = context.Process(target=_committer, args=(str(root), write_fd, last + 1))
        child.start()
        os.close(write_fd)
        ready, _, _ = select.select([read_fd], [], [], 30)
        assert ready, "the child never committed"
        reported = os.read(read_fd, 65536)
        time.sleep(rng.uniform(0.0, 0.03))  # a random moment among its commits
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]  # pid is set once the child started
        child.join()
        while chunk := os.read(read_fd, 65536):
            reported += chunk
        os.close(read_fd)
        returned = max(int(line) for line in reported.split())
        on_disk = check(root)
        # Every commit that returned is there; at most the one in flight beyond it.
        assert returned <= on_disk <= returned + 1
        confirmed += len(reported.split())
        last = on_disk
    assert confirmed > KILLS  # the children did real work between kills


def test_a_reader_without_the_lock_never_sees_half_a_change(tmp_path: Path) -> None:
    root = tmp_path / "d"
    root.mkdir(mode=0o700)
    context = multiprocessing.get_context("fork")
    read_fd, write_fd = os.pipe()
    child = context.Process(target=_committer, args=(str(root), write_fd, 0))
    child.start()
    os.close(write_fd)
    assert select.select([read_fd], [], [], 30)[0]
    files = FileSet(root)
    seen, retried = set(), 0
    try:
        while len(seen) < 40:
            current = files.read_current()
            assert current is not None
            try:
                a, b = files.read(current, "a-2020"), files.read(current, "b-2021")
            except Superseded:
                retried += 1
                continue
            n = current["state"]["1"]["n"]
            assert number_in(a) == number_in(b) == n
            seen.add(n)
    finally:
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]  # pid is set once the child started
        child.join()
        os.close(read_fd)


def test_files_are_private_whatever_the_umask_and_symlinks_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "d"
    old = os.umask(0)
    try:
        FileSet(root).commit(current_doc(1, 0), {"a-2020": history_doc(1)})
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(root / "history").st_mode) == 0o700
    for path in [root / "current.json", *(root / "history").iterdir()]:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    target = tmp_path / "elsewhere"
    target.write_bytes(b"theirs")
    # Planted where the next change writes: removed as a leftover, never followed.
    os.symlink(target, root / "history" / versioned("a-2020", 2))
    files = FileSet(root)
    files.commit(current_doc(2, 0), {"a-2020": history_doc(2)})
    assert target.read_bytes() == b"theirs"
    assert not (root / "history" / versioned("a-2020", 2)).is_symlink()
    # In place of the version the data names: refused when read, never followed.
    named = root / "history" / versioned("a-2020", 2)
    named.unlink()
    os.symlink(target, named)
    with pytest.raises(UnsafePathError):
        files.read(files.read_current(), "a-2020")  # type: ignore[arg-type]  # read_current is not None here: it was just written
    os.symlink(target, root / "current.json.link")
    os.replace(root / "current.json.link", root / "current.json")
    with pytest.raises(UnsafePathError):
        files.read_current()
    with pytest.raises(UnsafePathError):
        files.commit(current_doc(3, 0), {"a-2020": history_doc(3)})
    assert target.read_bytes() == b"theirs"


def test_the_replaced_version_stays_as_the_backup_and_older_ones_go(tmp_path: Path) -> None:
    root = tmp_path / "d"
    files = FileSet(root)
    for n in range(1, 5):
        files.commit(current_doc(n, 0), {"a-2020": history_doc(n)})
    assert files.versions() == {"a-2020": [3, 4]}
    backup = root / "history" / versioned("a-2020", 3)
    assert number_in(backup.read_bytes()) == 3
    assert parse_versioned(backup.name) == ("a-2020", 3)
