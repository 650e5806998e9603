"""The store's speed-ups keep its promises: cached records, found records, the deferred backup.

Records are parsed once and kept by the store; these tests check that what a caller gets can
never change what the store holds, that the cache follows every change (this store's, a
rolled-back one, a failed one, another process's), and that the backup is still refreshed on
every good start when it is written after the first frame.
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import storage as storage_module
from app.models import BodyScan, Colleague, Contact, Ritual, RitualEntry
from app.storage import SaveError, Store


def test_changing_a_record_handed_out_never_changes_the_stored_one(store: Store) -> None:
    store.add(Colleague(name="Ann", reach=["07700 900123"], tags=["peer"]))
    store.add(BodyScan(ratings={"jaw": 2}, sensations={"neck": ["tight"]}, notes={"jaw": "clenched"}))
    store.add(Ritual(name="Walk", schedule={"kind": "days_of_week", "weekdays": [0, 2]}))
    ann = store.all(Colleague)[0]
    ann.name = "Changed"
    ann.reach.append("someone else's number")
    ann.tags.clear()
    scan = store.all(BodyScan)[0]
    scan.ratings["jaw"] = 3
    scan.sensations["neck"].append("numb")
    walk = store.get(Ritual, 1)
    assert walk is not None
    walk.schedule["weekdays"].append(6)
    assert store.all(Colleague)[0].name == "Ann"
    assert store.all(Colleague)[0].reach == ["07700 900123"]
    assert store.get(Colleague, 1).tags == ["peer"]  # type: ignore[union-attr]
    assert store.all(BodyScan)[0].ratings == {"jaw": 2}
    assert store.all(BodyScan)[0].sensations == {"neck": ["tight"]}
    assert store.all(Ritual)[0].schedule == {"kind": "days_of_week", "weekdays": [0, 2]}
    assert Store.open(store.paths.root).all(Colleague)[0].reach == ["07700 900123"]


def test_a_record_returned_by_add_or_update_is_the_callers_own(store: Store) -> None:
    ann = store.add(Colleague(name="Ann", tags=["peer"]))
    store.all(Colleague)  # parsed and kept
    ann.tags.append("changed after saving")
    ann = store.update(ann)
    ann.tags.append("changed after updating")
    assert store.all(Colleague)[0].tags == ["peer", "changed after saving"]


def test_a_warm_store_sees_another_processes_writes(data_dir: Path) -> None:
    mine, theirs = Store.open(data_dir), Store.open(data_dir)
    mine.add(Colleague(name="Ann"))
    assert [c.name for c in mine.all(Colleague)] == ["Ann"]  # now kept in memory
    theirs.add(Colleague(name="Ben"))
    theirs.remove(Colleague, 1)
    assert [(c.id, c.name) for c in mine.all(Colleague)] == [(2, "Ben")]
    assert mine.get(Colleague, 1) is None
    assert mine.find(Colleague, name="Ben")[0].id == 2


def test_a_rolled_back_transaction_leaves_nothing_behind_in_memory(store: Store) -> None:
    store.add(Colleague(name="Ann"))
    store.all(Colleague)
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.add(Colleague(name="Ben"))
            ann = store.get(Colleague, 1)
            assert ann is not None
            ann.name = "Ann changed"
            store.update(ann)
            assert [c.name for c in store.all(Colleague)] == ["Ann changed", "Ben"]
            raise RuntimeError("changed my mind")
    assert [c.name for c in store.all(Colleague)] == ["Ann"]
    assert store.get(Colleague, 2) is None


def test_a_failed_save_leaves_nothing_behind_in_memory(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    store.add(Colleague(name="Ann"))
    store.all(Colleague)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage_module.os, "replace", full)
    with pytest.raises(SaveError):
        store.add(Colleague(name="Ben"))
    with pytest.raises(SaveError):
        store.remove(Colleague, 1)
    monkeypatch.undo()
    assert [c.name for c in store.all(Colleague)] == ["Ann"]
    assert store.add(Colleague(name="Ben")).id == 2


OPERATIONS = st.lists(
    st.tuples(st.sampled_from(["add", "update", "remove", "restore", "read"]), st.integers(1, 6), st.text(max_size=8)),
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(OPERATIONS)
def test_what_a_warm_store_returns_is_what_a_fresh_one_reads(tmp_path: Path, operations: list[tuple[str, int, str]]) -> None:
    folder = tmp_path / f"data-{len(list(tmp_path.iterdir()))}"
    store = Store.open(folder)
    removed: dict[int, Colleague] = {}
    for action, number, text in operations:
        if action == "add":
            store.add(Colleague(name=text or "x", tags=[text] if text else []))
        elif action == "update" and (found := store.get(Colleague, number)) is not None:
            found.name, found.ideal_days = (text or "y"), number
            store.update(found)
        elif action == "remove" and (found := store.get(Colleague, number)) is not None:
            removed[number] = found
            store.remove(Colleague, number)
        elif action == "restore" and number in removed:
            store.restore(removed.pop(number))
        else:
            store.all(Colleague)
        fresh = Store.open(folder)
        assert store.all(Colleague) == fresh.all(Colleague)
        assert [store.get(Colleague, n) for n in range(1, 8)] == [fresh.get(Colleague, n) for n in range(1, 8)]


def test_find_matches_stored_values_and_skips_bad_entries(store: Store) -> None:
    day = pendulum.date(2026, 11, 25)
    with store.transaction():
        store.add(RitualEntry(ritual_id=1, day=day))
        store.add(RitualEntry(ritual_id=2, day=day, status="skipped"))
        store.add(RitualEntry(ritual_id=1, day=day.add(days=1)))
    data = json.loads(store.paths.database.read_text())
    data["ritual_entries"]["9"] = {"ritual_id": 1, "day": "2026-11-25", "status": 7}
    store.paths.database.write_text(json.dumps(data))
    [found] = store.find(RitualEntry, ritual_id=1, day=day)
    assert (found.id, found.day, found.status) == (1, day, "done")
    assert [e.id for e in store.find(RitualEntry, day=day)] == [1, 2]
    assert store.find(RitualEntry, ritual_id=3) == []
    assert store.find(Contact) == []


def test_ids_keep_counting_from_the_file_after_another_process_added(data_dir: Path) -> None:
    mine, theirs = Store.open(data_dir), Store.open(data_dir)
    with mine.transaction():
        mine.add(Contact(colleague_id=1, when=pendulum.now()))
        mine.add(Contact(colleague_id=1, when=pendulum.now()))
    theirs.add(Contact(colleague_id=2, when=pendulum.now()))
    assert mine.add(Contact(colleague_id=1, when=pendulum.now())).id == 4


# --------------------------------------------------------------------------- the backup


def test_a_deferred_backup_is_written_once_when_asked_and_holds_the_start(data_dir: Path) -> None:
    first = Store.open(data_dir)
    first.add(Colleague(name="Ann"))
    old_backup = first.paths.backup.read_bytes()
    at_start = first.paths.database.read_bytes()
    store = Store.open(data_dir, defer_backup=True)
    assert store.paths.backup.read_bytes() == old_backup  # not yet
    store.write_backup()
    assert store.paths.backup.read_bytes() == at_start  # the data as checked at start
    store.add(Colleague(name="Ben"))
    store.write_backup()  # only once
    assert store.paths.backup.read_bytes() == at_start


async def test_the_app_refreshes_the_backup_after_its_first_frame(data_dir: Path) -> None:
    from app.tui import TendApp

    Store.open(data_dir).update_settings(welcomed=True)
    Store.open(data_dir).add(Colleague(name="Ann"))
    before = (data_dir / "tend.json.bak").read_bytes()
    at_start = (data_dir / "tend.json").read_bytes()
    assert before != at_start
    app = TendApp(Store.open(data_dir, defer_backup=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert (data_dir / "tend.json.bak").read_bytes() == at_start


@pytest.mark.parametrize(
    ("cls", "doc"),
    [
        (Colleague, {"name": True}),
        (Colleague, {"name": 3}),
        (Colleague, {"name": "Ann", "ideal_days": True}),
        (Colleague, {"name": "Ann", "ideal_days": "14"}),
        (Colleague, {"name": None}),
        (RitualEntry, {"ritual_id": 1, "day": "not a day"}),
        (RitualEntry, {"ritual_id": 1.5, "day": "2026-11-25"}),
        (Contact, {"colleague_id": 1, "when": "not a time"}),
        (Contact, {"colleague_id": 1, "when": 1700000000}),
    ],
)
def test_loading_fast_still_refuses_the_wrong_types(store: Store, cls: type, doc: dict) -> None:
    data = json.loads(store.paths.database.read_text())
    data[cls.TABLE] = {"1": doc}
    store.paths.database.write_text(json.dumps(data))
    assert store.all(cls) == []
    assert store.find(cls) == []


def test_a_deferred_backup_never_copies_a_file_damaged_meanwhile(data_dir: Path) -> None:
    Store.open(data_dir).add(Colleague(name="Ann"))
    good_backup = (data_dir / "tend.json.bak").read_bytes()
    store = Store.open(data_dir, defer_backup=True)
    (data_dir / "tend.json").write_bytes(b"{half a file")
    store.write_backup()
    assert (data_dir / "tend.json.bak").read_bytes() == good_backup


def test_a_deferred_backup_after_a_save_holds_good_data(data_dir: Path) -> None:
    store = Store.open(data_dir, defer_backup=True)
    store.add(Colleague(name="Ann"))
    store.write_backup()
    backup = json.loads((data_dir / "tend.json.bak").read_text())
    assert backup["colleagues"]["1"]["name"] == "Ann"
