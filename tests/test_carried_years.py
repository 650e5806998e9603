"""What the rituals list keeps from one start to the next (issue 14, ``app/carried_years.py``):
a start reads only the newest year's history file and takes the years before from
``history/rituals-carried.json``, showing exactly what every entry shows; anything that makes
that file wrong (an old entry edited, a late entry, a schedule or pause changed, the file
changed by hand, damaged or a symlink) sends the list back to every year, never to a wrong
score."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import stat
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from app import carried_years
from app.carried_years import FILE_NAME, through_for
from app.history import stem_year
from app.models import Ritual, RitualEntry
from app.progress import heatmap
from app.rituals import RitualView, build_view, load_lists, load_states
from app.schedule import Schedule
from app.storage import Store
from tests.ritual_strategies import schedules

BEGAN = pendulum.datetime(2023, 2, 6, 9, tz="UTC")
TODAY = pendulum.date(2026, 11, 25)

SCHEDULES = [
    Schedule.daily(),
    Schedule.on_days("thu"),
    Schedule("times_per_week", times=3),
    Schedule("every_n_days", every=10),
    Schedule("times_in_days", times=2, window=7),
    Schedule("monthly_day", day=15),
    Schedule("monthly_weekday", nth=1, weekdays=(2,)),
    # Chains with an end date: one ending soon, one that ended last year.
    Schedule("every_n_days", every=7, start=BEGAN.date(), end=TODAY.add(days=20)),
    Schedule("times_in_days", times=2, window=7, start=BEGAN.date(), end=pendulum.date(2025, 6, 30)),
]


def fill(store: Store, rng: random.Random, rituals: list[Ritual], start: pendulum.Date, end: pendulum.Date) -> None:
    """Entries for each ritual from ``start`` to ``end`` (both included), kept most days."""
    with store.transaction():
        day = start
        while day <= end:
            for record in rituals:
                if rng.random() < 0.6:
                    status = "skipped" if rng.random() < 0.07 else "done"
                    store.add(RitualEntry(ritual_id=record.id or 0, day=day, status=status))
            day = day.add(days=1)


def years_of(store: Store, today: pendulum.Date) -> Store:
    rng = random.Random(14)
    with store.transaction():
        rituals = [store.add(Ritual(name=f"R{i}", schedule=s.to_dict(), created=BEGAN)) for i, s in enumerate(SCHEDULES)]
    fill(store, rng, rituals, BEGAN.date(), today.subtract(days=1))
    assert store.roll_over(today) > 0
    return store


def read(store: Store, today: pendulum.Date) -> carried_years.ListsRead:
    """The list's read as its worker does it (what is taken on the event loop, then the rest)."""
    part = store.older_part(RitualEntry)
    assert part is not None
    found = carried_years.read_lists(store, part, store.all(Ritual), load_states(store, recent=True), today, archived=True)
    assert found is not None
    return found


def rows(views: list) -> list[tuple]:
    return [(v.id, v.state, v.since, v.next_due, v.score, v.streak, v.asked) for v in views]


def same_as_every_entry(store: Store, found: carried_years.ListsRead, today: pendulum.Date) -> None:
    active, archived = load_lists(Store.open(store.paths.root), today, archived=True)
    assert rows(found.active) == rows(active)
    assert rows(found.archived) == rows(archived)


def newest_only(store: Store) -> tuple:
    versions = store.history_versions(RitualEntry)
    through = through_for(versions)
    assert through is not None
    return tuple(v for v in versions if stem_year(v[0]) > through.year)


@pytest.fixture
def kept(data_dir: Path) -> Store:
    pendulum.travel_to(pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC"), freeze=True)
    try:
        yield years_of(Store.open(data_dir), TODAY)
    finally:
        pendulum.travel_back()


def test_a_second_start_reads_only_the_newest_year_and_shows_what_every_entry_shows(kept: Store) -> None:
    every_file = kept.history_versions(RitualEntry)
    assert len(every_file) == 4  # 2023 to 2026
    first = read(kept, TODAY)
    assert first.files_read == every_file  # nothing kept yet: every year, once
    same_as_every_entry(kept, first, TODAY)
    path = kept.history_dir / FILE_NAME
    assert stat.S_IMODE(os.lstat(path).st_mode) == 0o600
    for today in (TODAY, TODAY.add(days=1), TODAY.add(days=30)):
        again = read(kept, today)
        assert again.files_read == newest_only(kept) and len(again.files_read) == 1
        same_as_every_entry(kept, again, today)
    # What a refresh after a save goes on from is the same as after a full read.
    assert {rid: p.carried.day if p and p.carried else None for rid, p in again.progress.items()} == {
        rid: p.carried.day if p and p.carried else None for rid, p in first.progress.items()
    }


def test_the_newest_year_being_rolled_into_keeps_what_was_kept(kept: Store) -> None:
    # A roll-over (about weekly) rewrites only this year's file: the years before still hold.
    read(kept, TODAY)
    later = TODAY.add(days=20)
    pendulum.travel_to(pendulum.datetime(later.year, later.month, later.day, 9, tz="UTC"), freeze=True)
    fill(kept, random.Random(1), kept.all(Ritual), TODAY, later.subtract(days=1))
    assert kept.roll_over(later) > 0
    found = read(kept, later)
    assert found.files_read == newest_only(kept)
    same_as_every_entry(kept, found, later)


def test_a_new_year_moves_what_was_kept_on_without_reading_the_years_before(kept: Store) -> None:
    read(kept, TODAY)  # kept to the end of 2025
    later = pendulum.date(2027, 3, 10)  # by now 2027's first weeks have been rolled into a file
    pendulum.travel_to(pendulum.datetime(2027, 3, 10, 9, tz="UTC"), freeze=True)
    fill(kept, random.Random(2), kept.all(Ritual), TODAY, later.subtract(days=1))
    assert kept.roll_over(later) > 0
    versions = kept.history_versions(RitualEntry)
    assert stem_year(versions[-1][0]) == 2027
    moved = read(kept, later)
    assert [stem_year(name) for name, _ in moved.files_read] == [2026, 2027]
    same_as_every_entry(kept, moved, later)
    again = read(kept, later)  # now kept to the end of 2026
    assert [stem_year(name) for name, _ in again.files_read] == [2027]
    same_as_every_entry(kept, again, later)


def _late_entry(store: Store) -> None:
    store.add(RitualEntry(ritual_id=store.all(Ritual)[0].id or 0, day=pendulum.date(2025, 12, 30), status="done"))


def _old_entry_cleared(store: Store) -> None:
    old = next(e for e in store.find(RitualEntry, ritual_id=store.all(Ritual)[1].id or 0) if e.day.year == 2024)
    store.remove(RitualEntry, old.id or 0)


def _schedule_changed(store: Store) -> None:
    record = store.all(Ritual)[2]
    store.update(dataclasses.replace(record, schedule=Schedule("times_per_week", times=2).to_dict()))


def _paused(store: Store) -> None:
    record = store.all(Ritual)[0]
    store.update(dataclasses.replace(record, pauses=[[pendulum.date(2024, 8, 1), pendulum.date(2024, 8, 20)]]))


@pytest.mark.parametrize("change", [_late_entry, _old_entry_cleared, _schedule_changed, _paused])
def test_a_change_to_what_was_kept_reads_every_year_again_and_keeps_anew(kept: Store, change) -> None:  # type: ignore[no-untyped-def]
    read(kept, TODAY)
    change(kept)
    found = read(kept, TODAY)
    assert found.files_read == kept.history_versions(RitualEntry)  # every year: nothing stale
    same_as_every_entry(kept, found, TODAY)  # (a start: a late entry is rolled into its year's file)
    again = read(kept, TODAY)
    if change is _late_entry:  # that file changed since: every year once more
        assert again.files_read == kept.history_versions(RitualEntry)
        again = read(kept, TODAY)
    assert again.files_read == newest_only(kept)
    same_as_every_entry(kept, again, TODAY)


def test_a_ritual_added_since_needs_no_full_read(kept: Store) -> None:
    read(kept, TODAY)
    new = kept.add(Ritual(name="New", schedule=Schedule.daily().to_dict()))
    kept.add(RitualEntry(ritual_id=new.id or 0, day=TODAY.subtract(days=3), status="done"))
    found = read(kept, TODAY)
    assert found.files_read == newest_only(kept)
    same_as_every_entry(kept, found, TODAY)


def test_a_file_changed_by_hand_damaged_or_a_symlink_is_not_used(kept: Store, tmp_path: Path) -> None:
    read(kept, TODAY)
    path = kept.history_dir / FILE_NAME
    doc = json.loads(path.read_bytes())
    first_ritual = next(iter(doc["rituals"].values()))
    first_ritual["carried"]["streak"] += 100  # a better streak, typed in
    path.write_text(json.dumps(doc))
    assert carried_years.read(kept.history_dir) is None
    found = read(kept, TODAY)
    assert found.files_read == kept.history_versions(RitualEntry)
    same_as_every_entry(kept, found, TODAY)
    assert carried_years.read(kept.history_dir) is not None  # written again, whole
    path.write_bytes(path.read_bytes()[:-40])  # cut short
    assert carried_years.read(kept.history_dir) is None
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(b"keep me")
    path.unlink()
    path.symlink_to(elsewhere)
    assert carried_years.read(kept.history_dir) is None
    found = read(kept, TODAY)
    same_as_every_entry(kept, found, TODAY)
    assert elsewhere.read_bytes() == b"keep me" and not path.is_symlink()  # replaced, never written through


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(st.binary(max_size=300), st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)))  # fmt: skip
def test_whatever_is_in_the_file_it_is_read_or_refused_never_a_crash(tmp_path_factory, content) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("history")
    data = content if isinstance(content, bytes) else json.dumps(content).encode()
    (folder / FILE_NAME).write_bytes(data)
    assert carried_years.read(folder) is None


def test_what_is_written_reads_back_the_same(kept: Store) -> None:
    read(kept, TODAY)
    back = carried_years.read(kept.history_dir)
    assert back is not None and back.through == pendulum.date(2025, 12, 31)
    assert carried_years.write(kept.history_dir, back)
    assert carried_years.read(kept.history_dir) == back
    assert set(back.rituals) == {r.id for r in kept.all(Ritual)}  # every kind of schedule was kept


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(schedules(), min_size=1, max_size=3),
    st.lists(st.tuples(st.integers(0, 1400), st.integers(0, 60)), max_size=2),
    st.floats(0.05, 0.9), st.integers(0, 2**16),
    st.lists(st.sampled_from(["read", "weeks", "late", "pause", "schedule", "new year"]), min_size=1, max_size=4),
)  # fmt: skip
def test_any_rituals_through_any_changes_show_what_every_entry_shows(tmp_path_factory, kinds, pauses, density, seed, steps) -> None:  # type: ignore[no-untyped-def]
    # Any schedule (a start, an end, a chain), pauses, entries before a ritual was made: after
    # each change and start, the list from what was kept is the list from every entry.
    rng = random.Random(seed)
    root = tmp_path_factory.mktemp("data")
    today = TODAY
    pendulum.travel_to(pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC"), freeze=True)
    try:
        store = Store.open(root)
        spans = [[BEGAN.date().add(days=a), BEGAN.date().add(days=a + n)] for a, n in pauses]
        with store.transaction():
            rituals = [store.add(Ritual(name=f"R{i}", schedule=s.to_dict(), created=BEGAN.add(days=30 * i), pauses=spans))
                       for i, s in enumerate(kinds)]  # fmt: skip
            day = BEGAN.date().subtract(days=10)  # a few entries from before it was made
            while day < today:
                for record in rituals:
                    if rng.random() < density:
                        store.add(RitualEntry(ritual_id=record.id or 0, day=day, status=rng.choice(["done"] * 8 + ["skipped"])))
                day = day.add(days=1)
        store.roll_over(today)
        for step in ["read", *steps]:
            if step == "weeks" or step == "new year":
                later = today.add(days=rng.randint(7, 30) if step == "weeks" else 120)
                pendulum.travel_to(pendulum.datetime(later.year, later.month, later.day, 9, tz="UTC"), freeze=True)
                fill(store, rng, store.all(Ritual), today, later.subtract(days=1))
                today = later
                store.roll_over(today)
            elif step == "late":
                store.add(RitualEntry(ritual_id=rituals[0].id or 0, day=pendulum.date(2025, rng.randint(1, 12), 3), status="done"))
            elif step == "pause":
                record = store.all(Ritual)[-1]
                store.update(dataclasses.replace(record, pauses=[*record.pauses, [today.subtract(days=400), today.subtract(days=380)]]))
            elif step == "schedule":
                record = store.all(Ritual)[0]
                store.update(dataclasses.replace(record, schedule=Schedule.on_days("mon", "fri").to_dict()))
            for _ in range(2):  # the start after the change, and the one after that
                found = read(store, today)
                event("from what was kept" if found.files_read != store.history_versions(RitualEntry) else "every year")
                same_as_every_entry(store, found, today)
    finally:
        pendulum.travel_back()


# --------------------------------------------------------------------------- a ritual's detail


def test_a_ritual_detail_reads_two_years_and_shows_what_every_entry_shows(kept: Store) -> None:
    read(kept, TODAY)  # a start: the list keeps the years before for the next
    part = kept.older_part(RitualEntry)
    assert part is not None
    recent = load_states(kept, recent=True)
    docs = kept.read_older(part)
    read_from: list[tuple] = []
    original = Store.read_older

    def counting(store: Store, older: Any, *args: Any) -> Any:
        read_from.append(older.versions)
        return original(store, older, *args)

    for record in kept.all(Ritual):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(Store, "read_older", counting)
            view = carried_years.read_detail(kept, part, record, recent.get(record.id or 0, {}), TODAY)
        assert isinstance(view, RitualView)
        assert [stem_year(name) for name, _ in read_from.pop()] == [2025, 2026]
        every = build_view(record, kept.select(RitualEntry, lambda d, rid=record.id: d.get("ritual_id") == rid, among=docs), TODAY)
        assert (view.state, view.since, view.next_due, view.score, view.streak, view.asked) == (
            every.state, every.since, every.next_due, every.score, every.streak, every.asked
        )  # fmt: skip
        assert view.entries_from == pendulum.date(2025, 1, 1) and view.heatmap_from is not None
        year = TODAY.subtract(days=TODAY.weekday() + 7 * 52)
        assert heatmap(view.schedule, view.states, TODAY, weeks=53, since=view.since_created, carried=view.heatmap_from) == heatmap(
            every.schedule, every.states, TODAY, weeks=53, since=every.since_created
        )  # a year of weeks, drawn the same
        assert {d: e for d, e in view.entries.items() if d >= year} == {d: e for d, e in every.entries.items() if d >= year}


async def test_the_detail_on_screen_is_the_one_every_entry_draws(kept: Store, make_app) -> None:  # type: ignore[no-untyped-def]
    from screens.rituals import RitualDetail, older
    from screens.rituals.detail import HEATMAP_MOST_WEEKS, heatmap_content, history_content
    from tests.conftest import wait_until
    from tests.screentext import screen_text

    kept.update_settings(welcomed=True, starters_offered=True)
    read(kept, TODAY)
    record = next(r for r in kept.all(Ritual) if r.name == "R1")  # Thursdays
    every = build_view(record, kept.find(RitualEntry, ritual_id=record.id), TODAY)
    hm = heatmap(every.schedule, every.states, TODAY, weeks=HEATMAP_MOST_WEEKS, since=every.since_created)
    expected = [line.rstrip() for line in heatmap_content(hm, TODAY).plain.splitlines()]
    expected += [line.rstrip() for line in history_content(every).plain.splitlines()]
    app = make_app("rituals")
    async with app.run_test(size=(124, 60)) as pilot:
        await pilot.pause()
        while app.screen.current_id() != record.id:
            await pilot.press("down")
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, RitualDetail)
                                and isinstance(app.screen.older.result, older.Detail))  # fmt: skip
        await pilot.pause()
        assert app.screen.older.result.view.entries_from == pendulum.date(2025, 1, 1)  # two years read, not four
        shown = [line.rstrip() for line in screen_text(app).splitlines()]
        for line in expected:
            assert any(line.strip() in row for row in shown), line
        assert f"Score {every.score}%" in screen_text(app)


def test_a_clock_set_back_reads_every_entry_rather_than_draw_weeks_it_did_not_read(kept: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The detail reads from the start of 2025; a clock set back to November 2025 would put
    # its widest heatmap's first week in 2024, before what it read: every entry is read then.
    read(kept, TODAY)
    part = kept.older_part(RitualEntry)
    assert part is not None
    record = kept.all(Ritual)[0]
    recent = load_states(kept, recent=True).get(record.id or 0, {})
    gone_on: list[object] = []
    monkeypatch.setattr(carried_years, "keep_from", lambda *args: gone_on.append(args))
    assert carried_years.read_detail(kept, part, record, recent, pendulum.date(2025, 11, 30)) is None
    assert gone_on == []
    carried_years.read_detail(kept, part, record, recent, TODAY)
    assert gone_on  # (a sensible day goes on from what was kept)


def test_a_read_only_store_keeps_nothing_and_an_oversized_or_foreign_file_is_not_read(kept: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = kept.history_dir / FILE_NAME
    kept.read_only = True  # a newer Tend's folder: Tend writes nothing there
    same_as_every_entry(kept, read(kept, TODAY), TODAY)
    assert not path.exists()
    kept.read_only = False
    read(kept, TODAY)
    assert carried_years.read(kept.history_dir) is not None
    monkeypatch.setattr(carried_years, "SIZE_LIMIT", path.stat().st_size - 1)
    assert carried_years.read(kept.history_dir) is None  # never read past the limit
    monkeypatch.undo()
    if os.geteuid() == 0:  # (CI runs as root) a file another user put there is not trusted
        os.chown(path, 65534, -1)
        assert carried_years.read(kept.history_dir) is None


def test_a_detail_with_nothing_in_what_it_read_says_since_when() -> None:
    from screens.rituals.detail import history_content

    view = RitualView(Ritual(id=1, name="Walk", schedule=Schedule.daily().to_dict()), Schedule.daily())
    assert history_content(view, since=pendulum.date(2025, 1, 1)).plain.startswith("Nothing logged since 1 Jan 2025.")
    assert history_content(view).plain.startswith("Nothing logged yet.")
