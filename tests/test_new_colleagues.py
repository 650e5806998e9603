"""Someone just added or imported, with no contact yet, is "new", not due, until their first
cadence has passed, unless the person wants to reach out now (issue 17: "An import fills
Today")."""

from __future__ import annotations

from pathlib import Path

import pendulum

from app.models import Colleague, Contact
from app.people import Status, describe_due, rank_colleagues, reach_out_now
from app.storage import Store
from app.today import colleagues_due
from app.vcard import import_vcard_file

NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")


def test_an_address_book_import_does_not_fill_today(store: Store, tmp_path: Path, frozen: pendulum.DateTime) -> None:
    cards = "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nEND:VCARD\r\n" for n in range(12))
    (tmp_path / "book.vcf").write_text(cards)
    assert len(import_vcard_file(store, tmp_path / "book.vcf").added) == 12
    assert colleagues_due(store.all(Colleague), store.all(Contact), frozen) == []
    statuses = {item.where.status for item in rank_colleagues(store.all(Colleague), [], frozen)}
    assert statuses == {Status.NEW}


def test_someone_new_is_due_once_their_first_cadence_has_passed(store: Store) -> None:
    store.add(Colleague(name="Ngozi", ideal_days=7, created=NOW))
    people = store.all(Colleague)
    [six] = rank_colleagues(people, [], NOW.add(days=6))
    assert six.where.status is Status.NEW
    assert describe_due(six.where) == "New here. A first hello tomorrow, or sooner if you like."
    assert describe_due(rank_colleagues(people, [], NOW.add(days=2))[0].where).endswith("in about 5 days, or sooner if you like.")
    [seven] = rank_colleagues(people, [], NOW.add(days=7))
    assert seven.where.status is Status.DUE
    assert [d.colleague.name for d in colleagues_due(people, [], NOW.add(days=7))] == ["Ngozi"]


def test_wanting_to_reach_out_now_makes_someone_new_due_at_once(store: Store) -> None:
    jo = store.add(Colleague(name="Jo", ideal_days=14, created=NOW))
    assert colleagues_due(store.all(Colleague), [], NOW) == []
    saved = reach_out_now(store, jo.id or 0)
    assert saved is not None and saved.want_to_reach_now
    assert [d.colleague.name for d in colleagues_due(store.all(Colleague), [], NOW)] == ["Jo"]
    assert reach_out_now(store, 999) is None


def test_someone_already_in_touch_is_ranked_by_their_last_contact_alone(store: Store) -> None:
    ann = store.add(Colleague(name="Ann", ideal_days=7, created=NOW))
    contact = store.add(Contact(colleague_id=ann.id or 0, when=NOW.subtract(days=10)))
    [ranked] = rank_colleagues(store.all(Colleague), [contact], NOW)
    assert ranked.where.status is Status.DUE and ranked.where.days_since == 10


def test_new_people_sit_with_those_on_track_below_anyone_due(store: Store) -> None:
    store.add(Colleague(name="Zed", ideal_days=7, created=NOW.subtract(days=30)))  # never in touch, long ago
    store.add(Colleague(name="Amy", ideal_days=7, created=NOW))  # new today
    ranked = rank_colleagues(store.all(Colleague), [], NOW)
    assert [(r.colleague.name, r.where.status) for r in ranked] == [("Zed", Status.DUE), ("Amy", Status.NEW)]
