"""Importing Tend's own export adds nothing: records carry a uid, and an import matches on it
first, then (for exports made before uids) on what the record says.

Issue 17: "importing your own JSON export into the same folder doubles everything".
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.exchange import export_json, import_json
from app.models import (
    BodyScan,
    BreathingPattern,
    BreathingSession,
    Colleague,
    Contact,
    MessageTemplate,
    Record,
    Ritual,
    RitualEntry,
)
from app.storage import Store
from tests.conftest import HOSTILE

texts = st.sampled_from(HOSTILE) | st.text(max_size=30)
WHEN = pendulum.datetime(2026, 11, 20, 9, 15, tz="UTC")


def counts(store: Store) -> dict[str, int]:
    kinds: list[type[Record]] = [Colleague, Contact, Ritual, RitualEntry, BodyScan, BreathingSession, BreathingPattern, MessageTemplate]
    return {cls.TABLE: len(store.all(cls)) for cls in kinds}


def seed(store: Store, words: list[str]) -> None:
    """One or more of every kind of record, their text taken from ``words``."""
    for index, word in enumerate(words):
        person = store.add(Colleague(name=word, reach=[word, f"Signal: @{index}"], notes=word, tags=[word], call_name=word))
        store.add(Contact(colleague_id=person.id or 0, when=WHEN.add(days=index), note=word))
        ritual = store.add(Ritual(name=word, colleague_ids=[person.id or 0], note=word))
        store.add(RitualEntry(ritual_id=ritual.id or 0, day=WHEN.date().add(days=index), note=word))
        store.add(BodyScan(when=WHEN.add(hours=index), notes={"head": word}, sensations={"head": [word]}))
        store.add(BreathingSession(when=WHEN.add(hours=index), pattern_name=word))
        store.add(BreathingPattern(name=word, phases=[["in", 4], ["out", 4]]))
        store.add(MessageTemplate(name=word, text=f"Hi {{name}}, {word}", fits=["peer"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=3))
def test_a_round_trip_into_the_same_folder_adds_nothing(words: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "data")
        seed(store, words)
        before = counts(store)
        export_json(store, Path(tmp) / "a.json")
        report = import_json(store, Path(tmp) / "a.json")
        assert counts(store) == before
        assert sum(report.added.values()) == 0 and report.updated == 0


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=3))
def test_importing_the_same_file_twice_adds_nothing_the_second_time(words: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        one = Store.open(Path(tmp) / "one")
        seed(one, words)
        export_json(one, Path(tmp) / "a.json")
        two = Store.open(Path(tmp) / "two")
        first = import_json(two, Path(tmp) / "a.json")
        after_first = counts(two)
        assert after_first == counts(one)
        second = import_json(two, Path(tmp) / "a.json")
        assert counts(two) == after_first
        assert sum(second.added.values()) == 0 and second.updated == 0
        assert second.duplicates == sum(first.added.values())
        # ...and the second folder's own export goes back into the first adding nothing.
        export_json(two, Path(tmp) / "b.json")
        back = import_json(one, Path(tmp) / "b.json")
        assert sum(back.added.values()) == 0
        assert counts(one) == after_first


def test_every_record_gets_a_uid_that_an_edit_keeps(store: Store) -> None:
    ann = store.add(Colleague(name="Ann"))
    bob = store.add(Colleague(name="Bob"))
    assert ann.uid and bob.uid and ann.uid != bob.uid
    edited = store.update(Colleague(id=ann.id, version=ann.version, name="Ann Lee"))  # built without its uid
    assert edited.uid == ann.uid
    assert store.get(Colleague, ann.id or 0).uid == ann.uid  # type: ignore[union-attr]


def _strip(path: Path, *names: str) -> None:
    """Take fields out of every stored record (data written before those fields existed)."""
    document = json.loads(path.read_text())
    for table in ("colleagues", "contacts"):
        for doc in document.get(table, {}).values():
            for name in names:
                doc.pop(name, None)
    path.write_text(json.dumps(document))


def test_data_from_before_uids_round_trips_and_is_not_rewritten_at_start(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "data")
    for name in ("Jo Lee", "Sam", "Priya", "Ade", "Kim", "Lu"):
        person = store.add(Colleague(name=name, reach=["Signal: @jolee"]))
        store.add(Contact(colleague_id=person.id or 0, when=WHEN))
    # Old data: no uids, and no `created` (which then reads as the moment it is loaded).
    _strip(tmp_path / "data" / "tend.json", "uid", "created")
    raw = (tmp_path / "data" / "tend.json").read_bytes()
    store = Store.open(tmp_path / "data")
    assert (tmp_path / "data" / "tend.json").read_bytes() == raw  # opening rewrites nothing

    export_json(store, tmp_path / "a.json")
    exported = json.loads((tmp_path / "a.json").read_text())["data"]["colleagues"]
    assert all(doc["uid"] for doc in exported.values())
    export_json(Store.open(tmp_path / "data"), tmp_path / "b.json")  # another run: the same uids
    again = json.loads((tmp_path / "b.json").read_text())["data"]["colleagues"]
    assert {key: doc["uid"] for key, doc in again.items()} == {key: doc["uid"] for key, doc in exported.items()}

    report = import_json(Store.open(tmp_path / "data"), tmp_path / "a.json")
    store = Store.open(tmp_path / "data")
    assert len(store.all(Colleague)) == 6 and len(store.all(Contact)) == 6
    assert "Added 0 entries" in report.summary() and "12 already here" in report.summary()


def test_an_export_made_before_uids_still_imports_without_doubling(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "data")
    for name in ("Jo Lee", "Sam"):
        store.add(Colleague(name=name, reach=["Signal: @jolee"]))
    export_json(store, tmp_path / "old.json")
    document = json.loads((tmp_path / "old.json").read_text())
    for doc in document["data"]["colleagues"].values():
        del doc["uid"]
        del doc["created"]  # an old export of old data
    (tmp_path / "old.json").write_text(json.dumps(document))
    report = import_json(store, tmp_path / "old.json")
    assert len(store.all(Colleague)) == 2
    assert report.duplicates == 2


def test_a_newer_copy_in_the_file_updates_the_record_and_says_so(tmp_path: Path) -> None:
    here = Store.open(tmp_path / "here")
    jo = here.add(Colleague(name="Jo Lee", reach=["Signal: @jolee"]))
    export_json(here, tmp_path / "a.json")
    there = Store.open(tmp_path / "there")
    import_json(there, tmp_path / "a.json")
    copy = there.all(Colleague)[0]
    for days in (9, 8, 7):  # edited three times there: version 3
        copy = there.update(Colleague(id=copy.id, version=copy.version, uid=copy.uid, name="Jo Lee", reach=["Signal: @jolee"], ideal_days=days, created=copy.created))
    export_json(there, tmp_path / "b.json")

    report = import_json(here, tmp_path / "b.json")
    people = here.all(Colleague)
    assert len(people) == 1 and people[0].ideal_days == 7 and people[0].uid == jo.uid
    assert "1 updated" in report.summary()
    # The same file again: nothing more to do.
    assert import_json(here, tmp_path / "b.json").updated == 0
    assert len(here.all(Colleague)) == 1
    # An edit made here after taking the file's copy is newer than the file: kept.
    taken = here.all(Colleague)[0]
    here.update(Colleague(id=taken.id, version=taken.version, uid=taken.uid, name="Jo Lee", ideal_days=10, created=taken.created))
    again = import_json(here, tmp_path / "b.json")
    assert (again.updated, again.kept) == (0, 1)
    assert [c.ideal_days for c in here.all(Colleague)] == [10]


def test_a_change_made_here_since_is_kept_and_reported(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "data")
    jo = store.add(Colleague(name="Jo Lee"))
    export_json(store, tmp_path / "a.json")
    store.update(Colleague(id=jo.id, version=jo.version, uid=jo.uid, name="Jo Lee", notes="likes walks", created=jo.created))
    report = import_json(store, tmp_path / "a.json")
    people = store.all(Colleague)
    assert len(people) == 1 and people[0].notes == "likes walks"
    assert "1 changed here since, so yours were kept" in report.summary()


def test_a_card_copied_by_hand_with_its_uid_stays_its_own_person_through_an_export(tmp_path: Path) -> None:
    from app.models import Contact
    from app.vcard import export_vcf

    store = Store.open(tmp_path / "data")
    dana = store.add(Colleague(name="Dana Reyes"))
    danny = store.add(Colleague(name="Danny Ortiz"))
    raw = json.loads((tmp_path / "data" / "tend.json").read_bytes())
    raw["colleagues"][str(danny.id)]["uid"] = dana.uid  # a hand copy of Dana's card, edited into Danny
    (tmp_path / "data" / "tend.json").write_bytes(json.dumps(raw).encode())
    store = Store.open(tmp_path / "data")
    store.add(Contact(colleague_id=danny.id or 0, when=pendulum.datetime(2026, 11, 20, tz="UTC"), note="n1"))

    export_json(store, tmp_path / "all.json")
    fresh = Store.open(tmp_path / "fresh")
    import_json(fresh, tmp_path / "all.json")
    people = {c.id: c.name for c in fresh.all(Colleague)}
    assert sorted(people.values()) == ["Dana Reyes", "Danny Ortiz"]  # two people, not one
    [contact] = fresh.all(Contact)
    assert people[contact.colleague_id] == "Danny Ortiz"  # and his contact is still his
    assert sum(import_json(fresh, tmp_path / "all.json").added.values()) == 0  # again: nothing doubles
    export_json(store, tmp_path / "again.json")  # the same uids every time
    uids = lambda path: sorted(d["uid"] for d in json.loads(path.read_text())["data"]["colleagues"].values())  # noqa: E731
    assert uids(tmp_path / "all.json") == uids(tmp_path / "again.json") and len(set(uids(tmp_path / "all.json"))) == 2
    export_vcf(store, tmp_path / "people.vcf")
    assert (tmp_path / "people.vcf").read_text().count("UID:") == 2 and len(set(store.uids(Colleague))) == 2
