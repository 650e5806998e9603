"""The split store of issue 14 (docs/storage.md): older dated records live in yearly files
under ``history/``; ``tend.json`` keeps the recent window and what the first frame needs.

Every answer of the store's API is the same before and after records move; Today's reads
never open a history file; a change across files is all or nothing; a damaged or missing
history file is kept aside and its earlier version put back; a folder from the one-file
Tend moves over on its first start, checked against a copy kept until then.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest

import app.storage as storage_module
from app.history import WINDOW_DAYS
from app.models import BodyScan, BreathingSession, Colleague, Contact, Ritual, RitualEntry
from app.people import latest_contacts
from app.rituals import load_states, load_views
from app.storage import Store

START = pendulum.datetime(2024, 1, 3, 9, 30, tz="Europe/London")
KINDS = (RitualEntry, Contact, BodyScan, BreathingSession)


@pytest.fixture(autouse=True)
def _no_frozen_clock() -> Iterator[None]:
    yield
    pendulum.travel_back()


def at(moment: pendulum.DateTime) -> None:
    pendulum.travel_to(moment, freeze=True)


def history_files(folder: Path) -> list[str]:
    return sorted(os.listdir(folder / "history")) if (folder / "history").exists() else []


def fill(days: int, rng: random.Random) -> dict[str, dict[str, Any]]:
    """Tables of three rituals, four colleagues and ``days`` days of entries, contacts,
    scans and breathing from :data:`START`, as the one-file Tend stored them."""
    tables: dict[str, dict[str, Any]] = {}

    def put(record: Any) -> int:
        table = tables.setdefault(record.TABLE, {})
        new_id = len(table) + 1
        table[str(new_id)] = dataclasses.replace(record, uid=f"u-{record.TABLE}-{new_id}").to_doc()
        return new_id

    rituals = [put(Ritual(name=f"R{i}", created=START)) for i in range(3)]
    people = [put(Colleague(name=f"C{i}", created=START)) for i in range(4)]
    for offset in range(days):
        moment = START.add(days=offset)
        for ritual in rituals:
            if rng.random() < 0.6:
                put(RitualEntry(ritual_id=ritual, day=moment.date(), status="skipped" if rng.random() < 0.1 else "done", created=moment))
        if rng.random() < 0.3:
            put(Contact(colleague_id=rng.choice(people), when=moment.add(hours=rng.randint(0, 8))))
        if rng.random() < 0.4:
            put(BodyScan(when=moment.add(hours=1), ratings={"neck": rng.randint(0, 4)}))
        if rng.random() < 0.4:
            put(BreathingSession(when=moment.add(hours=2), actual_seconds=60.0))
    return tables


def everything(store: Store) -> dict[str, Any]:
    """Every record of every kind, by table, as stored (order aside)."""
    return {cls.TABLE: sorted((r.id, json.dumps(r.to_doc(), sort_keys=True)) for r in store.all(cls)) for cls in KINDS + (Ritual, Colleague)}


@pytest.fixture
def three_years(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A one-file (schema 1) folder with three years of everything, as the Tend before the
    split wrote it, and every record in it."""
    folder = tmp_path / "d"
    folder.mkdir(mode=0o700)
    tables = fill(3 * 365, random.Random(14))
    marks = {table: len(docs) for table, docs in tables.items()}
    data = {"_meta": {"1": {"schema": 1, "created": START.isoformat(), "last_ids": marks}}, **tables}
    (folder / "tend.json").write_bytes(json.dumps(data).encode())
    os.chmod(folder / "tend.json", 0o600)
    look = tmp_path / "look"
    shutil.copytree(folder, look)
    at(START)
    before = everything(Store.open(look))  # read from a copy: the folder stays as it was
    return folder, before


def test_a_one_file_folder_moves_over_and_every_record_is_kept(three_years: tuple[Path, dict[str, Any]]) -> None:
    folder, before = three_years
    assert json.loads((folder / "tend.json").read_bytes())["_meta"]["1"]["schema"] == 1
    at(START.add(days=3 * 365))
    store = Store.open(folder)
    assert everything(store) == before
    meta = json.loads((folder / "tend.json").read_bytes())["_meta"]["1"]
    assert meta["schema"] == 2 and meta["layout"] == "split"
    names = history_files(folder)
    assert "ritual_entries-2024.g000001.json" in names and "contacts-2025.g000001.json" in names
    # the one-file copy was read back against the new layout and removed
    assert not [p for p in os.listdir(folder) if p.startswith("tend.json.schema1-")]
    assert store.notices == [] and store.backup_remarks == []
    # private, whatever the umask
    assert stat.S_IMODE(os.lstat(folder / "history").st_mode) == 0o700
    assert {stat.S_IMODE(os.lstat(folder / "history" / n).st_mode) for n in names} == {0o600}
    # tend.json now holds six weeks or so, not three years
    data = json.loads((folder / "tend.json").read_bytes())
    assert len(data["ritual_entries"]) < 3 * (WINDOW_DAYS + 8)
    # and again from a fresh start, as another Tend would see it
    assert everything(Store.open(folder)) == before


def test_the_first_frame_reads_no_history_file(three_years: tuple[Path, dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    folder, _ = three_years
    at(START.add(days=3 * 365))
    full = Store.open(folder)
    expected_states = {
        view.id: (view.state, view.since, view.next_due) for view in load_views(full, pendulum.today().date(), progress=True)
    }
    expected_contacts = sorted(c.id or 0 for c in latest_contacts(full))
    fresh = Store.open(folder)
    monkeypatch.setattr(Store, "_read_version", lambda *a: pytest.fail("read a history file"))
    views = load_views(fresh, pendulum.today().date(), progress=False)
    assert {view.id: (view.state, view.since, view.next_due) for view in views} == expected_states
    assert sorted(c.id or 0 for c in latest_contacts(fresh)) == expected_contacts
    from app.today import glance_scans

    assert glance_scans(fresh, pendulum.now())


def test_status_from_what_is_kept_is_the_status_from_every_entry_day_after_day(tmp_path: Path) -> None:
    """Roll over every week for a year, rituals of every kind of schedule: each day, the
    status Today shows (never reading history) is the one worked out from every entry."""
    from app.schedule import parse_schedule

    folder = tmp_path / "d"
    at(START)
    store = Store.open(folder)
    rng = random.Random(7)
    phrases = ["daily", "weekdays", "mon, wed, fri", "every 2 weeks on tue", "every 10 days", "2 times a week",
               "3 times in 30 days", "monthly on the 15th", "first thursday of the month", "last friday of the month"]
    rituals = []
    for phrase in phrases:
        schedule = parse_schedule(phrase, start=START.date())
        rituals.append(store.add(Ritual(name=phrase, schedule=schedule.to_dict())))
    for offset in range(400):
        day = START.add(days=offset)
        at(day)
        with store.transaction():
            for ritual in rituals:
                if rng.random() < 0.25:
                    store.add(RitualEntry(ritual_id=ritual.id or 0, day=day.date(), status="skipped" if rng.random() < 0.15 else "done"))
        if offset % 7 == 0:
            store.roll_over()
        if offset > 60 and offset % 5 == 0:
            everything_states = load_states(store)
            kept_states = load_states(store, recent=True)
            from app.rituals import view_from_states

            for ritual in store.all(Ritual):
                whole = view_from_states(ritual, everything_states.get(ritual.id or 0, {}), day.date(), progress=False)
                part = view_from_states(ritual, kept_states.get(ritual.id or 0, {}), day.date(), progress=False)
                assert (part.state, part.since, part.next_due) == (whole.state, whole.since, whole.next_due), (ritual.name, day)
    assert history_files(folder)


def test_an_old_entry_edited_removed_and_put_back(three_years: tuple[Path, dict[str, Any]]) -> None:
    folder, before = three_years
    at(START.add(days=3 * 365))
    store = Store.open(folder)
    old = next(e for e in store.all(RitualEntry) if e.day.year == 2024)
    edited = store.update(dataclasses.replace(old, note="a quiet one"))
    assert store.get(RitualEntry, old.id or 0) == edited
    again = Store.open(folder)
    assert again.get(RitualEntry, old.id or 0) == edited
    assert [e.id for e in again.find(RitualEntry, ritual_id=old.ritual_id, day=old.day)] == [old.id]
    contact = again.all(Contact)[5]
    again.remove(Contact, contact.id or 0)
    assert again.get(Contact, contact.id or 0) is None
    assert Store.open(folder).get(Contact, contact.id or 0) is None
    back = again.restore(contact)
    assert back.id == contact.id
    assert Store.open(folder).get(Contact, contact.id or 0) == contact
    ids = [c.id for c in Store.open(folder).all(Contact)]
    assert len(ids) == len(set(ids)) == len(before["contacts"])


def test_between_reads_only_the_years_it_spans(three_years: tuple[Path, dict[str, Any]]) -> None:
    folder, _ = three_years
    at(START.add(days=3 * 365))
    store = Store.open(folder)
    read: list[str] = []
    real = Store._read_version

    def spy(self: Store, name: str, generation: int) -> dict[str, Any]:
        read.append(name)
        return real(self, name, generation)

    Store._read_version = spy  # type: ignore[method-assign]
    try:
        found = store.between(BodyScan, "when", pendulum.datetime(2025, 6, 1), pendulum.datetime(2025, 6, 30))
        assert found and all(s.when.year == 2025 and s.when.month == 6 for s in found)
        assert set(read) <= {"scans-2024", "scans-2025", "scans-2026"}
        read.clear()
        assert store.between(BodyScan, "when", pendulum.now().subtract(days=7))
        assert read == []
    finally:
        Store._read_version = real  # type: ignore[method-assign]


def test_a_history_file_cut_short_is_kept_aside_and_its_earlier_version_put_back(three_years: tuple[Path, dict[str, Any]]) -> None:
    folder, before = three_years
    at(START.add(days=3 * 365))
    store = Store.open(folder)
    entry = next(e for e in store.all(RitualEntry) if e.day.year == 2024)
    store.update(dataclasses.replace(entry, note="changed"))  # ritual_entries-2024 gets a generation 2
    current = [n for n in history_files(folder) if n.startswith("ritual_entries-2024.g")]
    assert len(current) == 2  # the version before is that file's backup
    newest = folder / "history" / max(current)
    newest.write_bytes(newest.read_bytes()[:100])
    reopened = Store.open(folder)
    assert any("ritual entries from 2024" in notice and "kept, untouched" in notice for notice in reopened.notices)
    assert any(n.startswith(max(current) + ".damaged-") for n in history_files(folder))
    # The earlier version is back, so every entry of 2024 is there, each once: the edited
    # one from tend.json (the copy put back still holds it as it was, and is not taken).
    entries = reopened.all(RitualEntry)
    assert sorted(e.id for e in entries) == [i for i, _ in before["ritual_entries"]]
    assert next(e for e in entries if e.id == entry.id).note == "changed"
    assert everything(Store.open(folder))["colleagues"] == before["colleagues"]


def test_a_history_file_turned_into_a_link_is_kept_aside_never_followed_and_its_earlier_version_put_back(
    three_years: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    folder, before = three_years
    at(START.add(days=3 * 365))
    store = Store.open(folder)
    entry = next(e for e in store.all(RitualEntry) if e.day.year == 2024)
    store.update(dataclasses.replace(entry, note="changed"))  # ritual_entries-2024 gets a generation 2
    newest = folder / "history" / max(n for n in history_files(folder) if n.startswith("ritual_entries-2024.g"))
    outside = tmp_path / "outside.json"
    outside.write_bytes(newest.read_bytes())
    outside.chmod(0o644)
    newest.unlink()
    newest.symlink_to(outside)  # the same bytes, but through a link: refused like damage
    reopened = Store.open(folder)  # no traceback (chmod of a link is NotImplementedError on Linux)
    assert any("ritual entries from 2024" in notice and "kept, untouched" in notice for notice in reopened.notices)
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644  # nothing was done through the link
    assert sorted(e.id for e in reopened.all(RitualEntry)) == [i for i, _ in before["ritual_entries"]]


def test_a_missing_history_file_without_an_earlier_version_is_named_and_the_rest_opens(three_years: tuple[Path, dict[str, Any]]) -> None:
    folder, before = three_years
    at(START.add(days=3 * 365))
    Store.open(folder)
    (folder / "history" / "scans-2024.g000001.json").unlink()
    store = Store.open(folder)
    assert any("scans from 2024" in notice and "missing" in notice for notice in store.notices)
    years = {s.when.year for s in store.all(BodyScan)}
    assert 2024 not in years and {2025, 2026} <= years
    assert everything(store)["contacts"] == before["contacts"]


def test_a_change_interrupted_before_its_commit_leaves_nothing_behind(three_years: tuple[Path, dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    folder, before = three_years
    at(START.add(days=3 * 365))
    store = Store.open(folder)
    old = store.all(Contact)[3]

    def fail(*args: Any, **kwargs: Any) -> None:
        raise storage_module.SaveError("the disk is full")

    monkeypatch.setattr(storage_module.TendStorage, "flush", fail)  # the commit point fails
    with pytest.raises(storage_module.SaveError):
        store.remove(Contact, old.id or 0)
    monkeypatch.undo()
    assert any(".g000002." in n for n in history_files(folder))  # the shadow version was written
    reopened = Store.open(folder)
    assert not any(".g000002." in n for n in history_files(folder))  # and is gone at the next start
    assert everything(reopened) == before


def test_a_damaged_tend_json_brings_back_its_backup_and_keeps_later_history_aside(three_years: tuple[Path, dict[str, Any]]) -> None:
    folder, before = three_years
    at(START.add(days=3 * 365))
    Store.open(folder)  # moves over; the backup is this layout
    store = Store.open(folder)  # a good start: the backup names generation 1
    store.remove(Contact, store.all(Contact)[0].id or 0)  # generation 2, after the backup
    (folder / "tend.json").write_bytes(b"{oops")
    restored = Store.open(folder)
    assert restored.recovered
    assert everything(restored) == before  # the backup's data, whole, with its history files
    assert any(".after-backup-" in n for n in history_files(folder))


def test_an_export_of_a_split_folder_holds_every_record_and_keeps_its_format(three_years: tuple[Path, dict[str, Any]]) -> None:
    from app.exchange import export_document

    folder, before = three_years
    at(START.add(days=3 * 365))
    document = export_document(Store.open(folder))
    assert document["schema"] == 1
    assert len(document["data"]["ritual_entries"]) == len(before["ritual_entries"])


def test_a_migration_that_does_not_read_back_the_same_changes_nothing(three_years: tuple[Path, dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    folder, before = three_years
    one_file = (folder / "tend.json").read_bytes()
    real = Store._read_version

    def lossy(self: Store, name: str, generation: int) -> dict[str, Any]:
        docs = dict(real(self, name, generation))
        docs.pop(next(iter(docs)), None)  # a record the new files do not give back
        return docs

    monkeypatch.setattr(Store, "_read_version", lossy)
    at(START.add(days=3 * 365))
    store = Store.open(folder)
    assert store.read_only and storage_module.MIGRATION_FAILED in store.notices
    assert (folder / "tend.json").read_bytes() == one_file
    assert [p for p in os.listdir(folder) if p.startswith("tend.json.schema1-")]
    monkeypatch.undo()
    assert everything(store) == before
    assert everything(Store.open(folder)) == before  # the next start tries again, and it works


# --------------------------------------------------------------------------- SIGKILL


def _changer(folder: str, write_fd: int, seed: int, shift: int) -> None:
    """Child: add, edit and remove contacts dated over two years, and roll the window on,
    saying "begin <op> <n>" before each change and "done" once it returned."""
    from app.models import now as _now

    rng = random.Random(seed)
    store = Store.open(Path(folder))
    day = _now().date()

    def say(text: str) -> None:
        os.write(write_fd, (text + "\n").encode())

    n = max((int(c.note.split()[1]) for c in store.all(Contact) if c.note), default=0)
    while True:
        choice = rng.random()
        if choice < 0.45:
            n += 1
            say(f"begin add {n}")
            store.add(Contact(colleague_id=1, when=_now().subtract(days=rng.randint(0, 700)), note=f"a {n}"))
        elif choice < 0.9:
            alive = [c for c in store.all(Contact) if c.note]
            if not alive:
                continue
            target = rng.choice(alive)
            number = int(target.note.split()[1])
            if choice < 0.7:
                say(f"begin edit {number}")
                store.update(dataclasses.replace(target, note=f"e {number}"))
            else:
                say(f"begin remove {number}")
                store.remove(Contact, target.id or 0)
        else:
            shift += rng.randint(1, 10)
            say("begin roll 0")
            store.roll_over(day + pendulum.duration(days=shift))
        say("done")


def _on_disk(folder: Path) -> dict[int, str]:
    """Each contact's number and state ("a" or "e") as a fresh start reads them."""
    store = Store.open(folder)
    found: dict[int, str] = {}
    for contact in store.all(Contact):
        state, number = contact.note.split()
        assert int(number) not in found, "a record is in two files"
        found[int(number)] = state
    return found


def _apply(state: dict[int, str], op: str, number: int) -> None:
    """What one of the child's changes does to the records it tracks."""
    if op == "add":
        state[number] = "a"
    elif op == "edit":
        state[number] = "e"
    elif op == "remove":
        state.pop(number, None)


@pytest.mark.slow
@pytest.mark.xdist_group("timed")  # kills within 40 ms of a start: never beside another timed test
def test_sigkill_across_files_never_loses_or_doubles_a_returned_change(tmp_path: Path) -> None:
    import multiprocessing
    import select
    import signal
    import time

    folder = tmp_path / "d"
    Store.open(folder).add(Colleague(name="Ann"))
    context = multiprocessing.get_context("fork")
    rng = random.Random(20261130)
    expected: dict[int, str] = {}
    done = 0
    for kill in range(40):
        read_fd, write_fd = os.pipe()
        child = context.Process(target=_changer, args=(str(folder), write_fd, kill, kill * 20))
        child.start()
        os.close(write_fd)
        # Kill at a random moment among its changes, not while a busy machine is still
        # starting it: wait for the first change to be reported, then up to 40 ms more.
        reported = b""
        while b"done" not in reported:
            ready, _, _ = select.select([read_fd], [], [], 30)
            assert ready, "the child never finished a change"
            reported += os.read(read_fd, 65536)
        time.sleep(rng.uniform(0.0, 0.04))
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
        child.join()
        while chunk := os.read(read_fd, 65536):
            reported += chunk
        os.close(read_fd)
        pending: tuple[str, int] | None = None
        for line in reported.decode().splitlines():
            if line.startswith("begin "):
                _, op, number = line.split()
                pending = (op, int(number))
            elif line == "done" and pending is not None:
                _apply(expected, *pending)
                done += 1
                pending = None
        actual = _on_disk(folder)
        if actual != expected:  # only the change in flight may have landed, whole
            assert pending is not None, (kill, pending)
            allowed = dict(expected)
            _apply(allowed, *pending)
            assert actual == allowed, (kill, pending)
            expected = actual
        data = json.loads((folder / "tend.json").read_bytes())
        meta = data["_meta"]["1"]
        ids = list(data.get("contacts", {}))
        for name, generation in meta["files"].items():
            ids += json.loads((folder / "history" / f"{name}.g{generation:06d}.json").read_bytes())["contacts"]
        assert len(ids) == len(set(ids)), "a record is in two files"
        for name in history_files(folder):
            generation = int(name.split(".g")[1][:6]) if ".g" in name and name.endswith(".json") else 0
            assert generation <= meta["generation"], f"{name} outlived the start after a kill"
    assert done >= 40 and history_files(folder)  # every child finished a change before its kill


def _editor(folder: str, stop_at: float) -> None:
    """Child: edit old contacts (each edit moves one out of its year file) and roll the
    window on (moving them back), as fast as it can, until ``stop_at``."""
    import time

    rng = random.Random(5)
    store = Store.open(Path(folder))
    shift = 0
    while time.time() < stop_at:
        contacts = store.all(Contact)
        target = rng.choice(contacts)
        store.update(dataclasses.replace(target, note=f"{target.note.split('/')[0]}/{rng.randint(0, 9)}"))
        if rng.random() < 0.2:
            shift += 3
            store.roll_over(pendulum.today().date() + pendulum.duration(days=shift))


@pytest.mark.slow
def test_a_reader_without_the_lock_never_sees_half_a_change(tmp_path: Path) -> None:
    import multiprocessing
    import time

    folder = tmp_path / "d"
    store = Store.open(folder)
    with store.transaction():
        for n in range(300):
            store.add(Contact(colleague_id=1, when=pendulum.now().subtract(days=n * 2), note=str(n)))
    assert Store.open(folder).roll_over(pendulum.today().date() + pendulum.duration(days=60))
    child = multiprocessing.get_context("fork").Process(target=_editor, args=(str(folder), time.time() + 2.0))
    child.start()
    reads = 0
    try:
        reader = Store.open(folder)
        while child.is_alive():
            numbers = sorted(int(c.note.split("/")[0]) for c in reader.all(Contact))
            assert numbers == list(range(300))  # each contact once, whichever files it is in
            reads += 1
    finally:
        child.join(10)
    assert reads > 5


def test_history_is_private_whatever_the_umask_and_a_symlinked_history_is_refused(three_years: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    folder, _ = three_years
    at(START.add(days=3 * 365))
    old = os.umask(0)
    try:
        Store.open(folder)
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.lstat(folder / "history").st_mode) == 0o700
    assert {stat.S_IMODE(os.lstat(folder / "history" / n).st_mode) for n in history_files(folder)} == {0o600}
    elsewhere = tmp_path / "elsewhere"
    os.rename(folder / "history", elsewhere)
    os.symlink(elsewhere, folder / "history")
    with pytest.raises(storage_module.UnsafePathError):
        Store.open(folder)


def test_each_history_file_keeps_its_version_before_the_last_change_and_older_ones_go(three_years: tuple[Path, dict[str, Any]]) -> None:
    folder, _ = three_years
    at(START.add(days=3 * 365))
    Store.open(folder)
    store = Store.open(folder)  # the backup now names generation 1
    for contact in [c for c in store.all(Contact) if c.when.year == 2024][:4]:
        store.remove(Contact, contact.id or 0)
    versions = sorted(n for n in history_files(folder) if n.startswith("contacts-2024."))
    assert versions == ["contacts-2024.g000001.json", "contacts-2024.g000004.json", "contacts-2024.g000005.json"]
    # generation 1 is what the backup needs; 4 is the version before the last change


def garble_newest(folder: Path, prefix: str) -> Path:
    newest = folder / "history" / max(n for n in history_files(folder) if n.startswith(prefix))
    newest.write_bytes(b"x" * newest.stat().st_size)  # the size it was written at: a start can't tell
    return newest


def test_a_history_file_garbled_at_its_own_size_is_named_when_read_and_mended(three_years: tuple[Path, dict[str, Any]]) -> None:
    folder, before = three_years
    at(START.add(days=3 * 365))
    store = Store.open(folder)
    edited = next(e for e in store.all(RitualEntry) if e.day.year == 2025)
    store.update(dataclasses.replace(edited, note="changed"))  # back in tend.json: 2025 at generation 2
    newest = garble_newest(folder, "ritual_entries-2025.g")
    reader = store  # the same session: a new start would roll the edited entry back, and find out then
    assert not reader.notices
    reader.all(RitualEntry)  # reading it finds out
    assert any("ritual entries from 2025" in label for label in reader.left_out)
    assert any("kept, untouched" in notice and "only that change may be missing" in notice for notice in reader.notices)
    assert any(n.startswith(newest.name + ".damaged-") for n in history_files(folder))
    # The version before the last change is back: all of 2025, and the edited entry only
    # where it now is, in tend.json, never in two files (that version still holds it).
    data = json.loads((folder / "tend.json").read_bytes())
    name, generation = "ritual_entries-2025", data["_meta"]["1"]["files"]["ritual_entries-2025"]
    year = json.loads((folder / "history" / f"{name}.g{generation:06d}.json").read_bytes())["ritual_entries"]
    assert str(edited.id) in data["ritual_entries"] and str(edited.id) not in year
    entries = reader.all(RitualEntry)
    assert sorted(e.id for e in entries) == [i for i, _ in before["ritual_entries"]]
    assert next(e for e in entries if e.id == edited.id).note == "changed"


def test_a_change_that_needs_a_garbled_history_file_is_refused_whole_and_the_file_mended(three_years: tuple[Path, dict[str, Any]]) -> None:
    folder, before = three_years
    at(START.add(days=3 * 365))
    store = Store.open(folder)
    entry = next(e for e in store.all(RitualEntry) if e.day.year == 2025)
    edited = store.update(dataclasses.replace(entry, note="changed"))  # back in tend.json; 2025 at generation 2
    garble_newest(folder, "ritual_entries-2025.g")
    # The next start's roll-over takes the edited entry back to 2025: it finds the file
    # garbled, refuses to build on it, sets it aside, puts generation 1 back, and rolls over.
    reopened = Store.open(folder)
    assert any("ritual entries from 2025" in notice for notice in reopened.notices)
    assert not reopened.backup_remarks
    entries = {e.id: e for e in Store.open(folder).all(RitualEntry)}
    assert set(entries) == {i for i, _ in before["ritual_entries"]}
    assert entries[entry.id or 0] == edited


def test_doctor_reads_every_history_file_and_names_a_missing_one(three_years: tuple[Path, dict[str, Any]]) -> None:
    from app.doctor import run_doctor

    folder, before = three_years
    at(START.add(days=3 * 365))
    Store.open(folder)
    report, code = run_doctor(folder, environ={"TERM": "xterm-256color"})
    moved = sum(len(docs) for docs in before.values()) - sum(
        len(t) for n, t in json.loads((folder / "tend.json").read_bytes()).items() if not n.startswith("_") and n not in ("settings", "drafts")
    )
    assert code == 0 and f"Older history: {len(history_files(folder))} yearly files, {moved:,} entries." in report
    (folder / "history" / "contacts-2025.g000001.json").unlink()
    report, code = run_doctor(folder, environ={"TERM": "xterm-256color"})
    assert code == 1 and "The history file for contacts from 2025 is missing" in report


def test_doctor_checks_every_copy_in_the_history_folder_and_fix_makes_it_private(three_years: tuple[Path, dict[str, Any]]) -> None:
    # A history file's version from before its last change holds the same entries as the
    # current one; only the current ones were checked, so a copy opened to others (a
    # restore from a tarball, a hand chmod) went unseen.
    from app.doctor import run_doctor

    folder, _ = three_years
    at(START.add(days=3 * 365))
    Store.open(folder)
    current = sorted((folder / "history").iterdir())[0]
    older = current.with_name(current.name.replace(".g000001.", ".g000000."))
    older.write_bytes(current.read_bytes())
    os.chmod(older, 0o644)
    report, code = run_doctor(folder, environ={"TERM": "xterm-256color"})
    assert code == 1 and f"{older.name} is 0644, so others may read it" in report
    report, code = run_doctor(folder, fix=True, environ={"TERM": "xterm-256color"})
    assert f"{older.name} was 0644; now private (0600)" in report
    assert stat.S_IMODE(os.stat(older).st_mode) == 0o600
    assert run_doctor(folder, environ={"TERM": "xterm-256color"})[1] == 0
