"""Two windows editing one record never lose an edit, and an id is never given twice.

Each record has a version the store bumps on every change. An edit of an older copy (another
Tend saved in between) is merged field by field with what is stored; a field both changed
differently is refused, with both values, and nothing is saved. Ids stay above a high-water
mark kept in the file, so removing the newest person and adding someone never hands out
their id again, in this Tend or another.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from app.models import Colleague, Contact, Ritual
from app.people import bring_back, remove_colleague
from app.storage import ConflictError, SaveError, Store


@pytest.fixture
def two(tmp_path: Path) -> tuple[Store, Store]:
    """Two Tends open on the same folder."""
    folder = tmp_path / "d"
    return Store.open(folder), Store.open(folder)


def test_edits_of_different_fields_in_two_windows_are_both_kept(two: tuple[Store, Store]) -> None:
    first, second = two
    alice = first.add(Colleague(name="Alice", notes=""))
    mine, theirs = first.get(Colleague, alice.id or 0), second.get(Colleague, alice.id or 0)
    assert mine is not None and theirs is not None
    first.update(replace(mine, name="Alice Rahman"), base=mine)
    saved = second.update(replace(theirs, notes="Prefers calls after 4"), base=theirs)
    for store in (first, second, Store.open(first.paths.root)):
        now = store.get(Colleague, alice.id or 0)
        assert now is not None and (now.name, now.notes) == ("Alice Rahman", "Prefers calls after 4")
    assert saved.version == 2


def test_the_same_field_changed_in_both_windows_is_refused_with_both_values(two: tuple[Store, Store]) -> None:
    first, second = two
    alice = first.add(Colleague(name="Alice", ideal_days=14))
    mine, theirs = first.get(Colleague, alice.id or 0), second.get(Colleague, alice.id or 0)
    assert mine is not None and theirs is not None
    first.update(replace(mine, name="Alicia", ideal_days=7), base=mine)
    with pytest.raises(ConflictError) as refused:
        second.update(replace(theirs, name="Ali", notes="new note"), base=theirs)
    message = str(refused.value)
    assert "another Tend window" in message and '"Alicia"' in message and '"Ali"' in message
    assert "\n" not in message and "[" not in message
    stored = second.get(Colleague, alice.id or 0)
    assert stored is not None and (stored.name, stored.notes, stored.ideal_days) == ("Alicia", "", 7)  # nothing saved
    # Saving again on purpose keeps what was typed, and the other window's other change.
    saved = second.update(replace(theirs, name="Ali", notes="new note"), base=refused.value.retry_base)
    assert (saved.name, saved.notes, saved.ideal_days) == ("Ali", "new note", 7)


def test_a_third_change_after_a_refusal_is_refused_again(two: tuple[Store, Store]) -> None:
    first, second = two
    alice = first.add(Colleague(name="Alice"))
    theirs = second.get(Colleague, alice.id or 0)
    assert theirs is not None
    first.update(replace(alice, name="Alicia"), base=alice)
    with pytest.raises(ConflictError) as refused:
        second.update(replace(theirs, name="Ali"), base=theirs)
    latest = first.get(Colleague, alice.id or 0)
    assert latest is not None
    first.update(replace(latest, name="Alice R."), base=latest)  # changed yet again, unseen
    with pytest.raises(ConflictError, match="Alice R"):
        second.update(replace(theirs, name="Ali"), base=refused.value.retry_base)


def test_an_update_of_an_old_copy_without_a_base_is_refused_not_written_over(two: tuple[Store, Store]) -> None:
    first, second = two
    alice = first.add(Colleague(name="Alice"))
    old = second.get(Colleague, alice.id or 0)
    assert old is not None
    first.update(replace(alice, notes="from the first"))
    with pytest.raises(ConflictError):
        second.update(replace(old, notes="from the second"))
    stored = first.get(Colleague, alice.id or 0)
    assert stored is not None and stored.notes == "from the first"
    # Re-read and changed: saved as usual, the version one up each time.
    fresh = second.get(Colleague, alice.id or 0)
    assert fresh is not None and fresh.version == 1
    assert second.update(replace(fresh, notes="from the second")).version == 2


def test_data_from_before_versions_loads_and_saves(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    store = Store.open(folder)
    alice = store.add(Colleague(name="Alice"))
    data = orjson.loads(store.paths.database.read_bytes())
    del data["colleagues"][str(alice.id)]["version"]
    data["_meta"]["1"].pop("last_ids", None)
    store.paths.database.write_bytes(orjson.dumps(data))
    again = Store.open(folder)
    old = again.get(Colleague, alice.id or 0)
    assert old is not None and old.version == 0
    assert again.update(replace(old, name="Alicia"), base=old).version == 1
    # ...and an id from such a file is not given again once that person is removed.
    again.remove(Colleague, alice.id or 0)
    assert Store.open(folder).add(Colleague(name="Zed")).id != alice.id


def test_removing_the_newest_person_never_frees_their_id(two: tuple[Store, Store]) -> None:
    first, second = two
    first.add(Colleague(name="Ann"))
    zed = first.add(Colleague(name="Zed"))
    first.remove(Colleague, zed.id or 0)
    newcomer = first.add(Colleague(name="Zed Newcomer"))
    assert newcomer.id != zed.id
    second.remove(Colleague, newcomer.id or 0)  # removed in the other window
    later = first.add(Colleague(name="Someone later"))
    from_elsewhere = second.add(Colleague(name="From the other window"))
    reopened = Store.open(first.paths.root).add(Colleague(name="After a restart"))
    ids = [zed.id, newcomer.id, later.id, from_elsewhere.id, reopened.id]
    assert len(set(ids)) == len(ids)


def test_drafts_from_two_windows_never_collide(two: tuple[Store, Store]) -> None:
    first, second = two
    first.save_draft("one", {"x": 1})
    second.save_draft("two", {"x": 2})
    first.save_draft("three", {"x": 3})
    second.clear_draft("one")
    first.save_draft("two", {"x": 22})
    store = Store.open(first.paths.root)
    assert (store.draft("one"), store.draft("two"), store.draft("three")) == (None, {"x": 22}, {"x": 3})


def linked_world(store: Store) -> tuple[Colleague, Colleague, Ritual]:
    ann = store.add(Colleague(name="Ann"))
    zed = store.add(Colleague(name="Zed"))
    store.add(Contact(colleague_id=zed.id or 0, when=zed.created, kind="call"))
    ritual = store.add(Ritual(name="Peer circle", colleague_ids=[zed.id or 0, ann.id or 0]))
    return ann, zed, ritual


def test_removing_someone_unlinks_their_rituals_and_undo_puts_both_sides_back(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "d")
    ann, zed, ritual = linked_world(store)
    removal = remove_colleague(store, zed.id or 0)
    assert removal is not None
    newcomer = store.add(Colleague(name="Zed Newcomer"))
    circle = store.get(Ritual, ritual.id or 0)
    assert circle is not None and circle.colleague_ids == [ann.id]  # never the newcomer
    assert newcomer.id not in circle.colleague_ids and store.all(Contact) == []
    # The ritual is changed in another window meanwhile; undo keeps that change.
    other = Store.open(tmp_path / "d")
    other.update(replace(circle, note="Thursdays now"))
    back = bring_back(store, removal)
    assert back.id == zed.id
    circle = store.get(Ritual, ritual.id or 0)
    assert circle is not None and circle.colleague_ids == [zed.id, ann.id] and circle.note == "Thursdays now"
    assert [c.colleague_id for c in store.all(Contact)] == [zed.id]


def test_removing_someone_is_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open(tmp_path / "d")
    _, zed, ritual = linked_world(store)
    before = store.paths.database.read_bytes()

    def full_disk(*args: object, **kwargs: object) -> None:
        raise SaveError("the disk is full")

    monkeypatch.setattr("app.storage.atomic_write", full_disk)
    with pytest.raises(SaveError):
        remove_colleague(store, zed.id or 0)
    monkeypatch.undo()
    assert store.paths.database.read_bytes() == before
    circle = store.get(Ritual, ritual.id or 0)
    assert store.get(Colleague, zed.id or 0) is not None and circle is not None and zed.id in circle.colleague_ids


def test_an_id_a_ritual_still_names_from_before_is_not_given_to_someone_new(tmp_path: Path) -> None:
    """A file from before the high-water marks, where a removed person's id is still on a ritual."""
    folder = tmp_path / "d"
    store = Store.open(folder)
    ann = store.add(Colleague(name="Ann"))
    store.add(Ritual(name="Peer circle", colleague_ids=[(ann.id or 0) + 1]))  # Zed, removed back then
    data = orjson.loads(store.paths.database.read_bytes())
    data["_meta"]["1"].pop("last_ids", None)
    store.paths.database.write_bytes(orjson.dumps(data))
    newcomer = Store.open(folder).add(Colleague(name="Zed Newcomer"))
    assert newcomer.id == (ann.id or 0) + 2
