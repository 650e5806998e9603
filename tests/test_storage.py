"""The store keeps its promises: private, atomic, safe for two writers, never overwrites damage."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import stat
from pathlib import Path

import pytest

from app import storage as storage_module
from app.models import Colleague, Contact, RitualEntry, Settings, now
from app.storage import (
    SCHEMA_VERSION,
    MissingRecordError,
    ReadOnlyError,
    SaveError,
    Store,
    StoreError,
    UnsafePathError,
)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def temp_files(folder: Path) -> list[str]:
    return [name for name in os.listdir(folder) if name.endswith(".tmp")]


# --------------------------------------------------------------------------- records


def test_records_round_trip_with_ids_and_times(store: Store) -> None:
    ann = store.add(Colleague(name="Ann", reach=["07700 900123"], tags=["peer"]))
    assert ann.id == 1
    store.add(Contact(colleague_id=ann.id, when=now(), kind="call"))
    [back] = store.all(Colleague)
    assert back == ann
    [contact] = store.all(Contact)
    assert contact.when.utcoffset() is not None  # stored with its offset


def test_saving_cleans_text_whatever_the_screen_did(store: Store) -> None:
    saved = store.add(Colleague(name="\x1b]0;owned\x07Ann\u202e", notes="line one\nline two\x1b[2J", tags=["", " a "]))
    assert saved.name == "Ann"
    assert saved.notes == "line one\nline two"
    assert saved.tags == ["a"]
    assert store.all(Colleague)[0].name == "Ann"


def test_update_and_remove(store: Store) -> None:
    ann = store.add(Colleague(name="Ann"))
    ann.name = "Ann B"
    store.update(ann)
    assert store.get(Colleague, ann.id).name == "Ann B"  # type: ignore[union-attr,arg-type]
    store.remove(Colleague, ann.id)  # type: ignore[arg-type]
    assert store.all(Colleague) == []
    with pytest.raises(MissingRecordError):
        store.update(ann)


def test_restore_puts_a_removed_record_back_under_its_id(store: Store) -> None:
    ann = store.add(Colleague(name="Ann"))
    store.remove(Colleague, ann.id)  # type: ignore[arg-type]
    back = store.restore(ann)
    assert back.id == ann.id
    assert store.get(Colleague, ann.id) == ann  # type: ignore[arg-type]


def test_a_transaction_is_one_write_and_rolls_back_whole(store: Store) -> None:
    before = store.paths.database.read_bytes()
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.add(Colleague(name="Ann"))
            store.add(Colleague(name="Ben"))
            raise RuntimeError("changed my mind")
    assert store.paths.database.read_bytes() == before
    assert store.all(Colleague) == []
    with store.transaction():
        store.add(Colleague(name="Ann"))
        store.add(Colleague(name="Ben"))
    assert [c.name for c in store.all(Colleague)] == ["Ann", "Ben"]


def test_settings_keep_each_others_changes(data_dir: Path) -> None:
    one, two = Store.open(data_dir), Store.open(data_dir)
    one.update_settings(theme="nord")
    two.update_settings(bell=True)
    assert one.settings() == Settings(id=1, theme="nord", bell=True)


def test_drafts(store: Store) -> None:
    assert store.draft("scan") is None
    store.save_draft("scan", {"item": 3})
    store.save_draft("scan", {"item": 4})
    assert store.draft("scan") == {"item": 4}
    store.clear_draft("scan")
    assert store.draft("scan") is None


# --------------------------------------------------------------------------- atomic writes


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failed_save_leaves_the_old_file_and_no_temp_file(
    store: Store, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    store.add(Colleague(name="Ann"))
    before = store.paths.database.read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage_module.os, failing, broken)
    with pytest.raises(SaveError, match="disk is full"):
        store.add(Colleague(name="Ben"))
    monkeypatch.undo()
    assert store.paths.database.read_bytes() == before
    assert temp_files(store.paths.root) == []
    assert [c.name for c in store.all(Colleague)] == ["Ann"]  # the failed change is not kept
    store.add(Colleague(name="Ben"))  # and the store carries on
    assert [c.name for c in store.all(Colleague)] == ["Ann", "Ben"]


def test_stale_temp_files_are_removed_at_start(data_dir: Path) -> None:
    Store.open(data_dir)
    leftover = data_dir / ".tend-abc123.tmp"
    leftover.write_text("half a save")
    Store.open(data_dir)
    assert not leftover.exists()


# --------------------------------------------------------------------------- two writers


def _insert_many(folder: str, worker: int, count: int) -> None:
    store = Store.open(Path(folder))
    for n in range(count):
        store.add(Contact(colleague_id=worker, when=now(), note=f"{worker}-{n}"))


def test_two_processes_never_lose_each_others_records(data_dir: Path) -> None:
    Store.open(data_dir)
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_insert_many, args=(str(data_dir), w, 200)) for w in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    contacts = Store.open(data_dir).all(Contact)
    assert len(contacts) == 400
    assert len({c.id for c in contacts}) == 400
    assert {c.note for c in contacts} == {f"{w}-{n}" for w in (1, 2) for n in range(200)}


def test_an_open_store_sees_another_processes_writes_and_ids_do_not_collide(data_dir: Path) -> None:
    mine, theirs = Store.open(data_dir), Store.open(data_dir)
    mine.add(Colleague(name="Ann"))
    theirs.add(Colleague(name="Ben"))  # its id counter must not reuse 1
    mine.add(Colleague(name="Cat"))
    assert [(c.id, c.name) for c in mine.all(Colleague)] == [(1, "Ann"), (2, "Ben"), (3, "Cat")]
    assert theirs.all(Colleague) == mine.all(Colleague)


# --------------------------------------------------------------------------- privacy


def test_everything_is_private_whatever_the_umask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen_temp_modes: list[int] = []
    real_replace = os.replace

    def spying_replace(src: str, dst: str) -> None:
        seen_temp_modes.append(mode_of(Path(src)))
        real_replace(src, dst)

    monkeypatch.setattr(storage_module.os, "replace", spying_replace)
    old = os.umask(0)
    try:
        store = Store.open(tmp_path / "fresh" / "tend")
        store.add(Colleague(name="Ann"))
    finally:
        os.umask(old)
    paths = store.paths
    assert mode_of(paths.root) == 0o700
    for path in (paths.database, paths.lock, paths.backup):
        assert mode_of(path) == 0o600, path
    assert seen_temp_modes and set(seen_temp_modes) == {0o600}


def test_a_too_open_folder_and_file_are_tightened_with_a_warning(data_dir: Path) -> None:
    Store.open(data_dir)
    os.chmod(data_dir, 0o755)
    os.chmod(data_dir / "tend.json", 0o644)
    store = Store.open(data_dir)
    assert mode_of(data_dir) == 0o700
    assert mode_of(data_dir / "tend.json") == 0o600
    assert len(store.warnings) == 2


def test_a_folder_of_other_things_is_left_as_it_is(tmp_path: Path) -> None:
    """--data ~ (or any folder already holding other files and none of Tend's): Tend would
    have made it 0700 (shutting out what others were let in to) and written beside the rest."""
    home = tmp_path / "home"
    (home / "public_html").mkdir(parents=True)
    (home / "notes.txt").write_text("mine")
    home.chmod(0o711)
    with pytest.raises(UnsafePathError, match=r"already holds other files, and none of them are Tend's.*--data .*home/tend\.$"):
        Store.open(home)
    assert mode_of(home) == 0o711 and sorted(p.name for p in home.iterdir()) == ["notes.txt", "public_html"]
    (home / "tend").mkdir()  # a folder of that name already there (a clone of Tend, say): another is offered
    with pytest.raises(UnsafePathError, match=r"--data .*home/tend-data\.$"):
        Store.open(home)
    (home / "tend").rmdir()
    store = Store.open(home / "tend")  # the folder it offers works
    store.add(Colleague(name="Ann"))
    assert mode_of(home) == 0o711 and mode_of(home / "tend") == 0o700


@pytest.mark.parametrize("names", [[], ["tend.json.bak"], ["history"], ["tend.json.damaged-20260101-000000", "notes.txt"],
                                   [".tend-abc.tmp"]])
def test_a_new_empty_or_tend_folder_opens_as_before(tmp_path: Path, names: list[str]) -> None:
    """Only Tend's names (a backup left alone, what was kept aside, a save cut short) make it
    Tend's folder; an empty one is taken as new."""
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    for name in names:
        (folder / name).mkdir() if name == "history" else (folder / name).write_bytes(b"")
    Store.open(folder).add(Colleague(name="Ann"))
    assert [c.name for c in Store.open(folder).all(Colleague)] == ["Ann"]


def test_a_file_on_the_way_to_the_folder_is_named(tmp_path: Path) -> None:
    """--data notes.txt/tend: the OS says only "File exists"; the message names the file."""
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match=r"notes\.txt is a file, not a folder\.$"):
        Store.open(tmp_path / "notes.txt" / "tend")
    assert (tmp_path / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("name", ["tend.json", "tend.lock"])
def test_a_symlink_in_place_of_our_files_is_refused(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    precious = tmp_path / "precious.txt"
    precious.write_text("do not touch")
    (folder / name).symlink_to(precious)
    with pytest.raises(UnsafePathError, match="symbolic link"):
        Store.open(folder)
    assert precious.read_text() == "do not touch"


def test_a_backup_that_is_a_link_is_set_aside_never_followed_and_a_fresh_one_made(tmp_path: Path) -> None:
    from app.cli import main
    from app.models import Colleague

    folder = tmp_path / "data"
    Store.open(folder).add(Colleague(name="Sam"))
    precious = tmp_path / "precious.txt"
    precious.write_text("do not touch")
    precious.chmod(0o644)
    (folder / "tend.json.bak").unlink()
    (folder / "tend.json.bak").symlink_to(precious)
    assert main(["status", "--data", str(folder)]) == 0  # a prompt's status line keeps working (it only looks)
    store = Store.open(folder)  # a start: the link itself goes aside, a fresh copy is made
    assert [c.name for c in store.all(Colleague)] == ["Sam"]
    assert "was a link to somewhere else" in store.backup_remarks[0]
    [aside] = folder.glob("tend.json.bak.damaged-*")
    assert aside.is_symlink() and os.readlink(aside) == str(precious)
    assert precious.read_text() == "do not touch" and mode_of(precious) == 0o644  # nothing done through the link
    assert not (folder / "tend.json.bak").is_symlink() and b"Sam" in (folder / "tend.json.bak").read_bytes()


def test_a_symlinked_data_folder_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(UnsafePathError, match="symbolic link"):
        Store.open(tmp_path / "link")
    assert list(real.iterdir()) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a folder to another user")
def test_a_folder_owned_by_someone_else_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "theirs"
    folder.mkdir(mode=0o700)
    os.chown(folder, 65534, 65534)
    with pytest.raises(UnsafePathError, match="another user"):
        Store.open(folder)


# --------------------------------------------------------------------------- damage


@pytest.mark.parametrize(
    "damage",
    [b"", b"   \n", b'{"_meta": {"1": {"schema": 1}}, "colleagues": {"1": {"na', b"[1, 2, 3]", b'{"colleagues": {}}', b'{"_meta": {"1": {"schema": 1}}} trailing'],
    ids=["empty", "blank", "truncated", "wrong-shape", "no-version", "trailing-garbage"],
)
def test_a_damaged_file_is_kept_aside_and_the_backup_restored(data_dir: Path, damage: bytes) -> None:
    first = Store.open(data_dir)
    first.add(Colleague(name="Ann"))
    Store.open(data_dir)  # a good start refreshes the backup, which now holds Ann
    first.paths.database.write_bytes(damage)

    store = Store.open(data_dir)

    kept = sorted(data_dir.glob("tend.json.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == damage
    assert mode_of(kept[0]) == 0o600
    assert [c.name for c in store.all(Colleague)] == ["Ann"]
    assert len(store.notices) == 1
    assert str(kept[0]) in store.notices[0] and "backup" in store.notices[0]


def test_damage_without_a_backup_starts_fresh_and_says_so(data_dir: Path) -> None:
    store = Store.open(data_dir)
    store.paths.backup.unlink()
    store.paths.database.write_bytes(b"not json")
    again = Store.open(data_dir)
    assert again.all(Colleague) == []
    assert "no backup" in again.notices[0]
    assert next(data_dir.glob("tend.json.damaged-*")).read_bytes() == b"not json"


def test_damage_while_running_is_never_overwritten(store: Store) -> None:
    store.add(Colleague(name="Ann"))
    store.paths.database.write_bytes(b"{oops")
    with pytest.raises(storage_module.DamagedFileError):
        store.add(Colleague(name="Ben"))
    assert store.paths.database.read_bytes() == b"{oops"


def test_a_newer_schema_opens_read_only_and_is_never_downgraded(data_dir: Path) -> None:
    data_dir.mkdir(mode=0o700)
    newer = {"_meta": {"1": {"schema": SCHEMA_VERSION + 1}}, "colleagues": {"1": {"name": "Ann"}}}
    raw = json.dumps(newer).encode()
    (data_dir / "tend.json").write_bytes(raw)
    os.chmod(data_dir / "tend.json", 0o600)
    store = Store.open(data_dir)
    assert store.read_only
    assert "newer version" in store.notices[0]
    assert [c.name for c in store.all(Colleague)] == ["Ann"]
    with pytest.raises(ReadOnlyError):
        store.add(Colleague(name="Ben"))
    with pytest.raises(ReadOnlyError):
        store.update_settings(theme="nord")
    assert (data_dir / "tend.json").read_bytes() == raw


def test_a_migration_hook_runs_for_older_data(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.open(data_dir).add(RitualEntry(ritual_id=1, day=now().date()))
    calls: list[int] = []
    monkeypatch.setattr(storage_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(storage_module.MIGRATIONS, SCHEMA_VERSION, lambda data: calls.append(1))
    Store.open(data_dir)
    assert calls == [1]
    assert json.loads((data_dir / "tend.json").read_text())["_meta"]["1"]["schema"] == SCHEMA_VERSION + 1


def test_entries_of_the_wrong_shape_are_skipped_not_fatal(store: Store) -> None:
    store.add(Colleague(name="Ann"))
    data = json.loads(store.paths.database.read_text())
    data["colleagues"]["2"] = {"name": 42}
    store.paths.database.write_text(json.dumps(data))
    assert [c.name for c in Store.open(store.paths.root).all(Colleague)] == ["Ann"]
