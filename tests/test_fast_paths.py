"""Quicker ways to the same answers: each is checked against the slower original."""

from __future__ import annotations

import datetime as dt

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

from app.bodyscan import _parse_time, _stamp
from app.progress import _begin, score, standing, streak
from app.schedule import DONE, MISSED, Schedule, normalise_entries, occasions, status
from tests.ritual_strategies import dates, entry_states, schedules


def streak_the_long_way(schedule: Schedule, entries: dict, today: dt.date, since: dt.date | None) -> int:
    """The streak as first written: from every occasion, as date objects."""
    ent = normalise_entries(entries)
    first = pendulum.Date.fromordinal(_begin(schedule, ent, today.toordinal(), since))
    count = 0
    for occasion in reversed(occasions(schedule, entries, first, today, today=today, since=since)):
        if occasion.outcome == DONE:
            count += 1
        elif occasion.outcome == MISSED:
            break
    return count


@settings(max_examples=300, deadline=None)
@given(schedules(), st.dictionaries(dates, entry_states, max_size=60), dates, st.none() | dates)
def test_the_streak_is_what_every_occasion_says(schedule: Schedule, entries: dict, today: dt.date, since: dt.date | None) -> None:
    assert streak(schedule, entries, today, since=since) == streak_the_long_way(schedule, entries, today, since)


def score_series_the_long_way(schedule: Schedule, entries: dict, today: dt.date, since: dt.date | None) -> list[float]:
    """The score series as first written: two binary searches per day."""
    import bisect

    from app.progress import multiplier
    from app.schedule import SKIPPED, frequency

    ent = normalise_entries(entries)
    now = today.toordinal()
    begin = _begin(schedule, ent, now, since)
    end = schedule.end.toordinal() if schedule.end else now
    need, span = frequency(schedule)
    keep = multiplier(schedule)
    dones = sorted(day for day, state in ent.items() if state == DONE and begin <= day <= now)
    skips = sorted(day for day, state in ent.items() if state == SKIPPED and begin <= day <= now)
    value, series = 0.0, []
    for day in range(begin, now + 1):
        if day <= end:
            lo = max(begin, day - span + 1)
            kept = bisect.bisect_right(dones, day) - bisect.bisect_left(dones, lo)
            excused = bisect.bisect_right(skips, day) - bisect.bisect_left(skips, lo)
            if kept >= need:
                value = value * keep + (1 - keep)
            elif kept + excused >= need or (day == now and day not in ent):
                pass
            else:
                value = value * keep + (kept / need) * (1 - keep)
        series.append(value)
    return series


@settings(max_examples=300, deadline=None)
@given(schedules(), st.dictionaries(dates, entry_states, max_size=60), dates, st.none() | dates)
def test_the_score_series_is_what_a_search_per_day_says(schedule: Schedule, entries: dict, today: dt.date, since: dt.date | None) -> None:
    from app.progress import score_series

    assert score_series(schedule, entries, today, since=since) == score_series_the_long_way(schedule, entries, today, since)


@settings(max_examples=300, deadline=None)
@given(schedules(), st.dictionaries(dates, entry_states, max_size=60), dates, st.none() | dates)
def test_standing_is_status_score_and_streak_at_once(schedule: Schedule, entries: dict, today: dt.date, since: dt.date | None) -> None:
    found = standing(schedule, entries, today, since=since)
    assert found.status == status(schedule, entries, today, since=since)
    assert found.score == score(schedule, entries, today, since=since)
    assert found.streak == streak_the_long_way(schedule, entries, today, since)


@given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)), st.sampled_from(["UTC", "Europe/London", "America/St_Johns", "Asia/Kolkata"]))
def test_history_dates_read_as_pendulum_writes_them(moment: dt.datetime, zone: str) -> None:
    when = pendulum.instance(moment, tz=zone)
    assert _stamp(when) == when.format("ddd D MMM YYYY  HH:mm")


@given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)), st.integers(-14 * 60, 14 * 60), st.booleans())
def test_scan_times_parse_as_pendulum_parses_them(moment: dt.datetime, offset_minutes: int, with_offset: bool) -> None:
    text = moment.replace(tzinfo=dt.timezone(dt.timedelta(minutes=offset_minutes))).isoformat() if with_offset else moment.isoformat()
    quick, slow = _parse_time.__wrapped__(text), pendulum.parse(text)
    assert quick == slow and quick.utcoffset() == slow.utcoffset()  # type: ignore[union-attr]


def test_scan_times_that_are_not_times_are_none() -> None:
    assert _parse_time.__wrapped__("not a time") is None


# --------------------------------------------------------------------------- loading records

from app.models import RECORD_TYPES, Record, RecordError, Settings, _load_checked, load_record  # noqa: E402

ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["", "Ann", "done", "2026-11-25", "2026-11-25T14:30:00+00:00", "2026-11-25T14:30", "not a date"]),
    st.lists(st.sampled_from(["a", 1, None]), max_size=3),
    st.dictionaries(st.sampled_from(["jaw", "neck", "kind"]), st.sampled_from([0, 2, "x", ["tight"]]), max_size=3),
)


def outcome(load, cls: type[Record], doc: dict, copy: bool | None = None):  # type: ignore[no-untyped-def]
    try:
        return load(cls, doc, 7) if copy is None else load(cls, doc, 7, copy=copy)
    except RecordError as error:
        return ("refused", str(error))


@settings(max_examples=400, deadline=None)
@given(st.sampled_from([*RECORD_TYPES, Settings]), st.data())
def test_records_load_as_the_dataclass_checks_them(cls: type[Record], data: st.DataObject) -> None:
    names = [f for f in cls.__dataclass_fields__ if f != "id"]
    doc = data.draw(st.dictionaries(st.sampled_from(names), ODD_VALUES, max_size=len(names)))
    pendulum.travel_to(pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC"), freeze=True)  # defaults of "now"
    try:
        expected = outcome(_load_checked, cls, doc)
        assert outcome(load_record, cls, doc) == expected
        assert outcome(load_record, cls, doc, copy=False) == expected
    finally:
        pendulum.travel_back()


def test_records_loaded_with_copies_share_nothing_with_the_document() -> None:
    from app.models import BodyScan, Ritual

    doc = {"when": "2026-11-25T14:30:00+00:00", "ratings": {"jaw": 2}, "sensations": {"neck": ["tight"]}}
    scan = load_record(BodyScan, doc)
    scan.sensations["neck"].append("numb")
    scan.ratings["jaw"] = 3
    assert doc["sensations"] == {"neck": ["tight"]} and doc["ratings"] == {"jaw": 2}
    ritual_doc = {"name": "Walk", "schedule": {"kind": "days_of_week", "weekdays": [0]}}
    Ritual.from_doc(ritual_doc).schedule["weekdays"].append(3)
    assert ritual_doc["schedule"]["weekdays"] == [0]


# --------------------------------------------------------------------------- ritual states


ENTRY_FIELD_VALUES = {
    "ritual_id": st.sampled_from([1, 2, True, "1", None, 2.0]),
    "day": st.sampled_from(["2026-11-20", "2026-11-21", "2026-02-30", "21/11/2026", "", None, 20261121]),
    "status": st.sampled_from(["done", "skipped", "missed", "DONE", "", None, 1]),
    "note": st.sampled_from(["", "kind words"]),
}
"""Odd values in the fields load_states reads. (A broken note would make the store refuse
the whole entry, while the mark still counts for load_states: it reads only these three.)"""


@settings(max_examples=150, deadline=None)
@given(st.lists(st.fixed_dictionaries({}, optional=ENTRY_FIELD_VALUES), max_size=12))
def test_ritual_states_read_from_fields_match_the_records(tmp_path_factory, docs: list[dict]) -> None:  # type: ignore[no-untyped-def]
    """load_states skips building records; it must still read exactly what they hold."""
    import orjson

    from app.models import RitualEntry
    from app.rituals import load_states
    from app.storage import Store

    folder = tmp_path_factory.mktemp("states")
    raw = {"_meta": {"1": {"schema": 1}}, "ritual_entries": {str(i + 1): doc for i, doc in enumerate(docs)}}
    (folder / "tend.json").write_bytes(orjson.dumps(raw))
    store = Store.open(folder)
    expected: dict[int, dict] = {}
    for entry in store.all(RitualEntry):  # what the records say, the later entry winning
        if entry.status in ("done", "skipped"):
            expected.setdefault(entry.ritual_id, {})[entry.day] = entry.status
    assert load_states(store) == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60 * 24 * 40), st.sampled_from(["+00:00", "-05:00", "+05:30", ""])), max_size=8))
def test_today_reads_only_the_scans_its_glance_needs(tmp_path_factory, ages: list[tuple[int, str]]) -> None:  # type: ignore[no-untyped-def]
    """glance_scans picks the last fortnight's scans (or the latest): the glance is the same
    as from every scan."""
    from app.models import BodyScan
    from app.storage import Store
    from app.today import glance_scans, scan_glance

    now = pendulum.datetime(2026, 11, 25, 14, 30, tz="Europe/London")
    store = Store.open(tmp_path_factory.mktemp("scans"))
    for minutes, offset in ages:
        when = now.subtract(minutes=minutes).in_timezone("UTC").naive().isoformat()
        if offset:  # the same moment written with another offset
            hours, mins = int(offset[1:3]), int(offset[4:])
            shift = (hours * 60 + mins) * (1 if offset[0] == "+" else -1)
            when = (now.subtract(minutes=minutes).in_timezone("UTC").naive() + dt.timedelta(minutes=shift)).isoformat() + offset
        store.add(BodyScan.from_doc({"when": when, "ratings": {"jaw": minutes % 4}}))
    picked = glance_scans(store, now)
    assert len(picked) <= len(ages)
    assert scan_glance(picked, now) == scan_glance(store.all(BodyScan), now)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 4), st.integers(0, 60 * 24 * 90), st.sampled_from(["+00:00", "+05:30", "-08:00"])), max_size=10))
def test_ranking_from_the_latest_contacts_is_ranking_from_all(tmp_path_factory, logged: list[tuple[int, int, str]]) -> None:  # type: ignore[no-untyped-def]
    """latest_contacts reads one contact per colleague; who is due, and their last contact,
    come out as from every contact (ties in time included)."""
    from app.models import Colleague, Contact
    from app.people import latest_contacts, rank_colleagues
    from app.storage import Store

    now = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")
    store = Store.open(tmp_path_factory.mktemp("contacts"))
    for n in range(1, 5):
        store.add(Colleague(name=f"Colleague {n}", ideal_days=7 * n, limit_days=14 * n))
    for colleague_id, minutes, offset in logged:
        when = now.subtract(minutes=minutes).in_timezone(pendulum.FixedTimezone(_seconds(offset)))
        store.add(Contact(colleague_id=colleague_id, when=when, kind="call", note=f"{minutes}"))
    colleagues = store.all(Colleague)
    quick = rank_colleagues(colleagues, latest_contacts(store), now)
    full = rank_colleagues(colleagues, store.all(Contact), now)
    assert [(r.colleague.id, r.where, r.last and r.last.id) for r in quick] == [(r.colleague.id, r.where, r.last and r.last.id) for r in full]


def _seconds(offset: str) -> int:
    return (int(offset[1:3]) * 3600 + int(offset[4:]) * 60) * (1 if offset[0] == "+" else -1)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 24 * 120), min_size=1, max_size=8, unique=True), st.data())
def test_a_summary_from_the_scans_it_needs_is_the_summary_from_all(tmp_path_factory, hours: list[int], data: st.DataObject) -> None:  # type: ignore[no-untyped-def]
    """scans_for_summary reads the trend windows and the scan before; the summary of any
    scan is the same as from every scan up to it."""
    from app import bodyscan as bs
    from app.models import BodyScan
    from app.storage import Store

    now = pendulum.datetime(2026, 11, 25, 14, 30, tz="Europe/London")
    store = Store.open(tmp_path_factory.mktemp("summary"))
    for n, h in enumerate(hours):
        store.add(BodyScan(when=now.subtract(hours=h), ratings={"jaw": n % 4, "neck": h % 4, "sleep": 1 + n % 3}))
    everything = [bs.record_from_model(scan) for scan in store.all(BodyScan)]
    record = data.draw(st.sampled_from(everything))
    taken = record.when("UTC")
    earlier = [r for r in everything if r.when("UTC") <= taken]
    at = record.when()
    assert bs.summarise(record, bs.scans_for_summary(store, record), now=at) == bs.summarise(record, earlier, now=at)
    newest, total = bs.newest_scans(store, 3)
    assert total == len(hours) and len(newest) == min(3, len(hours))
    assert {r.taken_at for r in newest} == {r.taken_at for r in sorted(everything, key=lambda r: r.when("UTC"))[-3:]}


# --------------------------------------------------------------------------- views kept between refreshes

KEPT_SCHEDULES = [
    {"kind": "daily"},
    {"kind": "days_of_week", "weekdays": [0, 3]},
    {"kind": "every_n_days", "every": 3},
    {"kind": "every_n_days", "every": True},  # equal to 1 in Python, and no schedule Tend reads
    {"kind": "times_per_week", "times": 2},
    {"kind": "monthly_weekday", "nth": 2, "weekdays": [1]},
    {"kind": "days_of_week", "weekdays": [1], "every": 2},  # no start: counted from the first day
    {"kind": "fortnightly"},
]
VIEW_CHANGES = st.one_of(
    st.tuples(st.just("mark"), st.integers(1, 3), st.integers(-20, 3), entry_states),
    st.tuples(st.just("clear"), st.integers(1, 3), st.integers(-20, 3)),
    st.tuples(st.just("schedule"), st.integers(1, 3), st.sampled_from(range(len(KEPT_SCHEDULES)))),
    st.tuples(st.just("pause"), st.integers(1, 3), st.integers(-10, 5), st.integers(0, 10)),
    st.tuples(st.just("made"), st.integers(1, 3), st.sampled_from(["UTC", "+05:30", "-08:00"]), st.integers(-40, 0)),
    st.tuples(st.just("rename"), st.integers(1, 3), st.sampled_from(["Walk", "Journal", "walk"])),
    st.tuples(st.just("archive"), st.integers(1, 3), st.booleans()),
    st.tuples(st.just("day"), st.integers(0, 9)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(VIEW_CHANGES, max_size=14), st.booleans())
def test_views_kept_between_refreshes_are_the_views_worked_out_afresh(tmp_path_factory, changes: list[tuple], progress: bool) -> None:  # type: ignore[no-untyped-def]
    """A screen that keeps its ritual views (KeptViews, Today) shows after every change what
    a fresh read shows: entries marked and cleared, schedules (one equal to another in Python
    but not to Tend), pauses, the day made (the same moment in another zone is another day),
    names, archiving and the day moving on."""
    from dataclasses import replace

    from app.models import Ritual, RitualEntry
    from app.rituals import KeptViews, clear_ritual_day, load_views
    from app.storage import Store

    store = Store.open(tmp_path_factory.mktemp("kept"))
    made = pendulum.datetime(2026, 10, 1, 23, 30, tz="UTC")
    for n, name in enumerate(["Walk", "Journal", "Supervision"]):
        store.add(Ritual(name=name, schedule=KEPT_SCHEDULES[n], created=made))
    kept = KeptViews()
    today = pendulum.Date(2026, 11, 20)
    assert load_views(store, today, progress=progress, kept=kept) == load_views(store, today, progress=progress)
    for change in changes:
        what, ritual_id = change[0], change[1]
        record = store.get(Ritual, ritual_id) if what != "day" else None
        if what == "day":
            today = today.add(days=change[1])
        elif record is None:
            raise AssertionError(change)
        elif what == "mark":
            day = today.add(days=change[2])
            found = store.find(RitualEntry, ritual_id=ritual_id, day=day)
            if found:
                store.update(replace(found[0], status=change[3]))
            else:
                store.add(RitualEntry(ritual_id=ritual_id, day=day, status=change[3]))
        elif what == "clear":
            clear_ritual_day(store, ritual_id, today.add(days=change[2]))
        elif what == "schedule":
            store.update(replace(record, schedule=KEPT_SCHEDULES[change[2]]))
        elif what == "pause":
            first = today.add(days=change[2])
            store.update(replace(record, pauses=[[first, first.add(days=change[3])]]))
        elif what == "made":
            moment = made.add(days=change[3]).in_timezone(pendulum.timezone(change[2]) if change[2] == "UTC" else pendulum.FixedTimezone(_seconds(change[2])))
            store.update(replace(record, created=moment))
        elif what == "rename":
            store.update(replace(record, name=change[2]))
        else:
            store.update(replace(record, archived=change[2]))
        assert load_views(store, today, progress=progress, kept=kept) == load_views(store, today, progress=progress), change
