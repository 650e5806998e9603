"""Tend loses nothing: crashes mid-save, full disks and several writers at once.

These are heavier than the rest (marked ``slow``) and still run in CI: about 20 s together.
"""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import random
import resource
import select
import signal
import socket
import time
from pathlib import Path

import pytest

from app.models import Colleague, Contact, now
from app.storage import SaveError, Store

pytestmark = pytest.mark.slow

KILLS = 300


def _saver(folder: str, write_fd: int) -> None:
    """Child: add contacts numbered on from the last one, reporting each save that returned."""
    store = Store.open(Path(folder))
    n = max((int(c.note) for c in store.all(Contact)), default=-1)
    while True:
        n += 1
        store.add(Contact(colleague_id=1, when=now(), note=str(n)))
        os.write(write_fd, f"{n}\n".encode())


def _numbers_on_disk(folder: Path) -> list[int]:
    data = json.loads((folder / "tend.json").read_bytes())  # must always parse
    return sorted(int(doc["note"]) for doc in data.get("contacts", {}).values())


@pytest.mark.xdist_group("timed")  # kills within 30 ms of a start: never beside another timed test
def test_sigkill_at_random_moments_never_loses_a_returned_save(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    Store.open(folder)
    context = multiprocessing.get_context("fork")
    rng = random.Random(20261125)
    confirmed: set[int] = set()
    unconfirmed: set[int] = set()  # saves that landed but whose report the kill cut off
    temp_seen_after_kill = 0
    for _ in range(KILLS):
        read_fd, write_fd = os.pipe()
        child = context.Process(target=_saver, args=(str(folder), write_fd))
        child.start()
        os.close(write_fd)
        # Kill at a random moment among its saves, not while a busy machine is still starting
        # it: wait for the first save to be reported, then up to 30 ms more.
        ready, _, _ = select.select([read_fd], [], [], 30)
        assert ready, "the child never saved"
        reported = os.read(read_fd, 65536)
        time.sleep(rng.uniform(0.0, 0.03))
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
        child.join()
        while chunk := os.read(read_fd, 65536):
            reported += chunk
        os.close(read_fd)
        confirmed |= {int(line) for line in reported.split()}
        on_disk = _numbers_on_disk(folder)
        # Exactly the old or the new state: a gap-free run, every confirmed save present,
        # and at most the one save that was in flight beyond them.
        assert on_disk == list(range(len(on_disk)))
        assert confirmed <= set(on_disk)
        landed_unreported = set(on_disk) - confirmed - unconfirmed
        assert len(landed_unreported) <= 1
        unconfirmed |= landed_unreported
        temp_seen_after_kill += bool([p for p in folder.iterdir() if p.name.endswith(".tmp")])
    Store.open(folder)  # the next start tidies up
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    assert len(confirmed) > KILLS  # the children did real work between kills
    print(f"\n{KILLS} kills survived; {len(_numbers_on_disk(folder))} records checked; temp files left by {temp_seen_after_kill} kills, all removed at start")


def _fill_disk(folder: str, result: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    store = Store.open(Path(folder))
    size = os.path.getsize(Path(folder) / "tend.json")
    # Room for a small colleague (with their uid, version and marks), not for 3,000 characters.
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 1000, size + 1000))
    try:
        store.add(Colleague(name="Big", notes="x" * 3000))
        result.put(("saved", ""))
    except SaveError as error:
        result.put(("refused", str(error)))
    # The app carries on: a small save still fits.
    try:
        store.add(Colleague(name="Al"))
        result.put(("small", "saved"))
    except SaveError as error:
        result.put(("small", str(error)))


def test_a_full_disk_reports_plainly_and_keeps_the_old_file(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    Store.open(folder).add(Colleague(name="Ann"))
    before = (folder / "tend.json").read_bytes()
    queue: multiprocessing.Queue = multiprocessing.get_context("fork").Queue()  # type: ignore[type-arg]
    child = multiprocessing.get_context("fork").Process(target=_fill_disk, args=(str(folder), queue))
    child.start()
    child.join(30)
    outcome, message = queue.get(timeout=5)
    assert outcome == "refused"
    assert "larger than this account may write" in message and "safe" in message
    assert queue.get(timeout=5) == ("small", "saved")
    names = [c.name for c in Store.open(folder).all(Colleague)]
    assert names == ["Ann", "Al"]
    assert before != (folder / "tend.json").read_bytes()
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def _mixed_worker(folder: str, worker: int, ops: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    rng = random.Random(worker)
    store = Store.open(Path(folder))
    mine: dict[int, str] = {}
    for step in range(ops):
        roll = rng.random()
        if roll < 0.5 or not mine:
            record = store.add(Colleague(name=f"w{worker}-{step}"))
            mine[record.id] = record.name  # type: ignore[index]
        elif roll < 0.8:
            record_id = rng.choice(sorted(mine))
            record = store.get(Colleague, record_id)
            assert record is not None
            record.name = f"w{worker}-{step}-edited"
            store.update(record)
            mine[record_id] = record.name
        else:
            record_id = rng.choice(sorted(mine))
            store.remove(Colleague, record_id)
            del mine[record_id]
    out.put(mine)


def test_four_processes_of_mixed_changes_give_exactly_the_expected_records(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    Store.open(folder)
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue = context.Queue()  # type: ignore[type-arg]
    workers = [context.Process(target=_mixed_worker, args=(str(folder), w, 250, queue)) for w in range(4)]
    for worker in workers:
        worker.start()
    expected: dict[int, str] = {}
    for _ in workers:
        part = queue.get(timeout=180)
        assert not set(part) & set(expected), "two workers were given the same id"
        expected.update(part)
    for worker in workers:
        worker.join(30)
        assert worker.exitcode == 0
    actual = {c.id: c.name for c in Store.open(folder).all(Colleague)}
    assert actual == expected


def test_under_umask_000_exports_and_drafts_are_private_too(tmp_path: Path) -> None:
    from app.exchange import export_csv, export_json

    old = os.umask(0)
    try:
        store = Store.open(tmp_path / "d")
        store.save_draft("scan", {"item": 1})
        export_json(store, tmp_path / "all.json")
        export_csv(store, tmp_path / "csv")
    finally:
        os.umask(old)
    assert oct((tmp_path / "all.json").stat().st_mode & 0o777) == "0o600"
    assert oct((tmp_path / "csv").stat().st_mode & 0o777) == "0o700"
    assert {oct(p.stat().st_mode & 0o777) for p in (tmp_path / "csv").iterdir()} == {"0o600"}
    assert oct((tmp_path / "d" / "tend.json").stat().st_mode & 0o777) == "0o600"


def test_a_planted_symlink_where_temp_files_go_is_not_followed(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    store = Store.open(folder)
    precious = tmp_path / "precious"
    precious.write_text("untouched")
    (folder / ".tend-planted.tmp").symlink_to(precious)
    Store.open(folder)  # start-up tidies temp files: it removes the link, not its target
    store.add(Colleague(name="Ann"))
    assert precious.read_text() == "untouched"
    assert not os.path.lexists(folder / ".tend-planted.tmp")


def test_an_export_never_writes_through_a_symlink(tmp_path: Path) -> None:
    from app.exchange import ExchangeError, export_json

    store = Store.open(tmp_path / "d")
    precious = tmp_path / "precious"
    precious.write_text("untouched")
    (tmp_path / "out.json").symlink_to(precious)
    with pytest.raises(ExchangeError):
        export_json(store, tmp_path / "out.json", force=True)
    assert precious.read_text() == "untouched"


async def test_tend_opens_no_network_connection(make_app, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.exchange import export_json

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("Tend tried to open a network connection")

    app = make_app()
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in "sbcrt":
            await pilot.press(key)
            await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.is_running
    export_json(app.store, tmp_path / "x.json")


def test_a_failing_fsync_of_the_folder_is_reported_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app import storage as storage_module

    store = Store.open(tmp_path / "d")
    calls = {"n": 0}
    real_fsync = os.fsync

    def fsync_fails_on_folder(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the first is the temp file, the second the folder
            raise OSError(errno.EIO, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(storage_module.os, "fsync", fsync_fails_on_folder)
    with pytest.raises(SaveError):
        store.add(Colleague(name="Ann"))
