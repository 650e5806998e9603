"""Issue 17, the domain: overdue before due, snooze and archive (never due, history kept), a
cadence in words, dated notes, dates to remember, and a colleague stored without `created`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pendulum
import pytest

from app.models import Colleague, Contact
from app.people import (
    CadenceError,
    DayError,
    Status,
    add_dated_note,
    archive,
    cadence_in_words,
    dated_notes,
    dates_coming,
    describe_due,
    rank_colleagues,
    read_cadence,
    read_day,
    remove_dated_note,
    resting,
    snooze,
)
from app.storage import Store
from app.today import colleagues_due

NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")
TODAY = dt.date(2026, 11, 25)


def test_overdue_rows_come_before_due_rows_even_when_less_far_behind(store: Store) -> None:
    # Mo: every 30 days, matters after 31; 33 days ago: overdue, priority 0.1.
    # Ann: every 7 days, no limit; 14 days ago: due, priority 1.
    mo = store.add(Colleague(name="Mo", ideal_days=30, limit_days=31, created=NOW.subtract(years=1)))
    ann = store.add(Colleague(name="Ann", ideal_days=7, created=NOW.subtract(years=1)))
    contacts = [
        store.add(Contact(colleague_id=mo.id or 0, when=NOW.subtract(days=33))),
        store.add(Contact(colleague_id=ann.id or 0, when=NOW.subtract(days=14))),
    ]
    ranked = rank_colleagues(store.all(Colleague), contacts, NOW)
    assert [(r.colleague.name, r.where.status) for r in ranked] == [("Mo", Status.OVERDUE), ("Ann", Status.DUE)]
    assert [d.colleague.name for d in colleagues_due(store.all(Colleague), contacts, NOW)] == ["Mo", "Ann"]


def test_the_rest_rule_is_one_pure_predicate() -> None:
    assert not resting(Colleague(name="A"), TODAY)
    assert resting(Colleague(name="A", archived=True), TODAY)
    assert resting(Colleague(name="A", snoozed_until=pendulum.date(2026, 12, 12)), TODAY)
    # back on the day the snooze ends
    assert not resting(Colleague(name="A", snoozed_until=pendulum.date(2026, 12, 12)), dt.date(2026, 12, 12))
    assert not resting(Colleague(name="A", snoozed_until=pendulum.date(2026, 11, 1)), TODAY)


def test_snoozed_and_archived_people_are_never_due_and_keep_their_history(store: Store) -> None:
    long_ago = NOW.subtract(years=1)
    people = [store.add(Colleague(name=n, ideal_days=7, limit_days=10, created=long_ago)) for n in ("Bo", "Cy", "Di")]
    contacts = [store.add(Contact(colleague_id=p.id or 0, when=NOW.subtract(days=40))) for p in people]
    assert len(colleagues_due(store.all(Colleague), contacts, NOW)) == 3
    snooze(store, people[0].id or 0, dt.date(2026, 12, 12))
    archive(store, people[1].id or 0)
    ranked = rank_colleagues(store.all(Colleague), contacts, NOW)
    assert [(r.colleague.name, r.where.status) for r in ranked] == [
        ("Di", Status.OVERDUE), ("Bo", Status.SNOOZED), ("Cy", Status.ARCHIVED)
    ]  # fmt: skip
    assert [d.colleague.name for d in colleagues_due(store.all(Colleague), contacts, NOW)] == ["Di"]
    assert describe_due(ranked[1].where) == "Snoozed until Sat 12 Dec: nothing is due before then."
    assert "history" in describe_due(ranked[2].where)
    assert len(store.all(Contact)) == 3  # the history stays
    # The snooze runs out by itself; archive is undone by a key (bring back)
    later = NOW.add(days=17)
    assert {d.colleague.name for d in colleagues_due(store.all(Colleague), contacts, later)} == {"Bo", "Di"}
    archive(store, people[1].id or 0, archived=False)
    assert len(colleagues_due(store.all(Colleague), contacts, NOW)) == 2
    snooze(store, people[0].id or 0, None)
    assert len(colleagues_due(store.all(Colleague), contacts, NOW)) == 3
    assert snooze(store, 999, None) is None and archive(store, 999) is None


def test_old_data_without_the_new_fields_still_loads(data_dir: Path) -> None:
    doc = {"name": "Jo", "role": "peer", "ideal_days": 14, "created": NOW.isoformat()}
    loaded = Colleague.from_doc(doc, 1)
    assert (loaded.archived, loaded.snoozed_until, loaded.dated_notes, loaded.birthday, loaded.joined) == (
        False, None, [], None, None
    )  # fmt: skip


def test_someone_stored_without_created_is_not_new_for_ever(data_dir: Path, frozen: pendulum.DateTime) -> None:
    """A hand-edited colleague with no `created` used to read as added just now, every time:
    "new" for ever, never due. Now they read as added long ago."""
    Store.open(data_dir).add(Colleague(name="Hand Edited", ideal_days=7))
    data = json.loads((data_dir / "tend.json").read_text())
    for doc in data["colleagues"].values():
        del doc["created"]
    (data_dir / "tend.json").write_text(json.dumps(data))
    store = Store.open(data_dir)
    [ranked] = rank_colleagues(store.all(Colleague), [], frozen)
    assert ranked.where.status is Status.DUE
    assert [d.colleague.name for d in colleagues_due(store.all(Colleague), [], frozen)] == ["Hand Edited"]
    # and someone added now is still new
    store.add(Colleague(name="Fresh", ideal_days=7))
    fresh = next(r for r in rank_colleagues(store.all(Colleague), [], frozen) if r.colleague.name == "Fresh")
    assert fresh.where.status is Status.NEW


@pytest.mark.parametrize(
    ("ideal", "limit", "words"),
    [
        (14, 28, "keep in touch every 2 weeks; it starts to matter after 4"),
        (14, None, "keep in touch every 2 weeks"),
        (7, 7, "keep in touch every week"),
        (7, 14, "keep in touch every week; it starts to matter after 2"),
        (10, 15, "keep in touch every 10 days; it starts to matter after 15"),
        (1, 7, "keep in touch every day; it starts to matter after 1 week"),
        (1, 3, "keep in touch every day; it starts to matter after 3 days"),
        (14, 20, "keep in touch every 2 weeks; it starts to matter after 20 days"),
    ],
)
def test_the_cadence_in_words(ideal: int, limit: int | None, words: str) -> None:
    assert cadence_in_words(ideal, limit) == words


def test_no_cadence_message_calls_it_an_outer_limit() -> None:
    for ideal, limit in (("0", ""), ("7", "x"), ("7", "3"), ("7", "99999")):
        with pytest.raises(CadenceError) as caught:
            read_cadence(ideal, limit)
        assert "outer" not in str(caught.value).casefold()


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-12-12", dt.date(2026, 12, 12)),
        ("12 Dec", dt.date(2026, 12, 12)),
        ("Dec 12", dt.date(2026, 12, 12)),
        ("3 march", dt.date(2027, 3, 3)),  # the next 3 March
        ("14 Mar 1980", dt.date(1980, 3, 14)),
        ("2 weeks", dt.date(2026, 12, 9)),
        ("in 10 days", dt.date(2026, 12, 5)),
        ("1 month", dt.date(2026, 12, 25)),
    ],
)
def test_days_a_person_types(text: str, day: dt.date) -> None:
    assert read_day(text, TODAY) == day


@pytest.mark.parametrize("text", ["", "soon", "31 Feb", "2026-13-01", "0001-01-01", "99 weeks ago"])
def test_days_that_do_not_read_say_so(text: str) -> None:
    with pytest.raises(DayError):
        read_day(text, TODAY)


def test_dated_notes_are_kept_newest_first_and_can_be_removed(store: Store) -> None:
    jo = store.add(Colleague(name="Jo"))
    add_dated_note(store, jo.id or 0, "started a new job", dt.date(2026, 10, 1))
    add_dated_note(store, jo.id or 0, "back from leave on the 12th\x1b[2J", dt.date(2026, 11, 20))
    saved = store.get(Colleague, jo.id or 0)
    assert dated_notes(saved) == [
        (dt.date(2026, 11, 20), "back from leave on the 12th"), (dt.date(2026, 10, 1), "started a new job")
    ]  # fmt: skip
    with pytest.raises(ValueError):
        add_dated_note(store, jo.id or 0, "  ", TODAY)
    remove_dated_note(store, jo.id or 0, dt.date(2026, 10, 1), "started a new job")
    assert [text for _, text in dated_notes(store.get(Colleague, jo.id or 0))] == ["back from leave on the 12th"]
    # a hand-edited entry that does not read is left out, never fatal
    assert dated_notes(Colleague(name="x", dated_notes=[{"day": "soon", "text": "x"}, {"text": 3}])) == []


def test_dates_to_remember_show_a_few_days_before() -> None:
    people = [
        Colleague(name="Bday", birthday=pendulum.date(1980, 11, 28)),
        Colleague(name="Joined", joined=pendulum.date(2023, 11, 25)),
        Colleague(name="Far", birthday=pendulum.date(1990, 12, 25)),
        Colleague(name="Gone", birthday=pendulum.date(1990, 11, 26), archived=True),
        Colleague(name="Just joined", joined=pendulum.date(2026, 11, 25)),
        Colleague(name="Leap", birthday=pendulum.date(1988, 2, 29)),
    ]
    coming = dates_coming(people, TODAY)
    assert [(r.colleague.name, r.words) for r in coming] == [
        ("Joined", "team anniversary today"), ("Bday", "birthday in 3 days (Sat 28 Nov)")
    ]  # fmt: skip
    leap = dates_coming(people, dt.date(2027, 2, 27))
    assert [(r.colleague.name, r.day) for r in leap] == [("Leap", dt.date(2027, 2, 28))]
