"""Issue 14 on the rituals screens: with older entries in yearly history files, the list and a
ritual's heatmap draw at once from the recent ones, and a worker thread reads the rest.

Every read of a history file by a worker is held (a patched ``Store._read_version`` waits on
an event), so each test sees the first frame before any history file is read, presses keys
while the worker is held, then lets it go; a read on the UI thread is noted, never held.
"""

from __future__ import annotations

import dataclasses
import random
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest

from app.models import Ritual, RitualEntry
from app.progress import heatmap
from app.rituals import load_view, load_views
from app.schedule import Schedule
from app.storage import Store, StoreError
from screens.rituals import RitualDetail, RitualsScreen, older
from screens.rituals.detail import heatmap_content
from screens.rituals.rows import row
from screens.today import TodayScreen
from tests.conftest import wait_until
from tests.notices import Notices
from tests.screentext import screenshot_lines

SIZE = (80, 24)
TALL = (80, 40)  # the whole heatmap and the history under it, without scrolling
TODAY = pendulum.date(2026, 11, 25)  # the `frozen` fixture's Wednesday
BEGAN = pendulum.datetime(2025, 1, 6, 9, tz="UTC")
OLD_DONE = pendulum.date(2026, 7, 1)
"""A Wednesday 21 weeks back: in a history file, and not among the copies kept in tend.json."""
KNOWN_FROM = TODAY.subtract(days=42)
HEATMAP_WEEKS = 36  # what the detail draws at 80 columns


class Hold:
    """Holds each worker thread's reads of history files until released (each worker runs in
    a thread of its own); notes any on the UI thread."""

    def __init__(self) -> None:
        self.original = Store._read_version
        self.stores: list[threading.Thread] = []
        """The worker threads whose reads were held, in the order their first read arrived."""
        self.gates: list[threading.Event] = []
        self.reads_done: list[int] = []
        self.on_ui: list[str] = []
        self.fail: StoreError | None = None
        self.open = False
        self.lock = threading.Lock()

    def read(self, store: Store, name: str, generation: int, **options: Any) -> dict[str, Any]:
        if threading.current_thread() is threading.main_thread():
            self.on_ui.append(name)
            return self.original(store, name, generation, **options)
        with self.lock:
            thread = threading.current_thread()
            index = next((i for i, held in enumerate(self.stores) if held is thread), None)
            if index is None:
                index = len(self.stores)
                self.stores.append(thread)
                self.gates.append(threading.Event())
                self.reads_done.append(0)
                if self.open:
                    self.gates[index].set()
        self.gates[index].wait(timeout=30)
        try:
            if self.fail is not None:
                raise self.fail
            return self.original(store, name, generation, **options)
        finally:
            self.reads_done[index] += 1

    def release(self, index: int) -> None:
        self.gates[index].set()

    def release_all(self) -> None:
        with self.lock:
            self.open = True
            for gate in self.gates:
                gate.set()


@pytest.fixture
def hold(monkeypatch: pytest.MonkeyPatch) -> Iterator[Hold]:
    holding = Hold()
    monkeypatch.setattr(Store, "_read_version", lambda store, name, generation, **options: holding.read(store, name, generation, **options))
    yield holding
    holding.release_all()  # never leave a worker thread waiting


@pytest.fixture
def history(data_dir: Path, frozen: pendulum.DateTime) -> dict[str, int]:
    """Two rituals kept for nearly two years, the older entries rolled into history files."""
    store = Store.open(data_dir)
    store.update_settings(welcomed=True, starters_offered=True)
    rng = random.Random(14)
    with store.transaction():
        walk = store.add(Ritual(name="Walk", schedule=Schedule.daily().to_dict(), created=BEGAN))
        review = store.add(Ritual(name="Case review", schedule=Schedule.on_days("thu").to_dict(), created=BEGAN))
        day = BEGAN.date()
        while day < TODAY:
            if day == OLD_DONE or rng.random() < 0.8:
                status = "skipped" if day != OLD_DONE and rng.random() < 0.05 else "done"
                store.add(RitualEntry(ritual_id=walk.id or 0, day=day, status=status, note=f"walked {day}"))
            if day.weekday() == 3 and rng.random() < 0.85:
                store.add(RitualEntry(ritual_id=review.id or 0, day=day, status="done"))
            day = day.add(days=1)
    assert store.roll_over(TODAY) > 0 and store.has_history(RitualEntry)
    kept = {e.day for e in store.find(RitualEntry, ritual_id=walk.id, recent=True)}
    assert OLD_DONE not in kept  # so only a read of every entry shows it
    return {"walk": walk.id or 0, "review": review.id or 0}


def text_of(app: Any) -> str:
    return "\n".join(line.rstrip() for line in screenshot_lines(app))


def heatmap_lines(view: Any, chosen: pendulum.Date, known_from: pendulum.Date | None = None) -> list[str]:
    """The heatmap's rows as the detail draws them at 80 columns."""
    hm = heatmap(view.schedule, view.states, TODAY, weeks=HEATMAP_WEEKS, since=view.since_created)
    return [line.rstrip() for line in heatmap_content(hm, chosen, known_from=known_from).plain.splitlines()]


def shows(app: Any, lines: list[str]) -> bool:
    shown = text_of(app)
    return all(line in shown for line in lines)


async def highlight(pilot: Any, app: Any, ritual_id: int) -> None:
    for _ in range(6):
        if app.screen.current_id() == ritual_id:
            return
        await pilot.press("down")
    assert app.screen.current_id() == ritual_id


async def test_the_list_draws_at_once_and_the_scores_follow_from_a_worker(make_app, data_dir, history, hold) -> None:
    expected = {v.id: v for v in load_views(Store.open(data_dir), TODAY)}  # as the list read them synchronously
    app = make_app("rituals")
    hold.on_ui.clear()  # opening the store is not the screen's first frame
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        try:
            assert await wait_until(pilot, lambda: hold.stores)  # the worker is reading, and held
            shown = text_of(app)
            quick = {v.id: v for v in load_views(app.store, TODAY, progress=False)}
            for ritual_id in history.values():  # state and next date at once; score and streak wait
                assert row(quick[ritual_id], TODAY, True, waiting=True).plain.rstrip() in shown
            assert "\u2026" in shown and hold.on_ui == [] and hold.reads_done == [0]  # drawn before any history read
            # keys work while it reads: move the highlight, open the detail and come back
            first = app.screen.current_id()
            await pilot.press("down")
            moved = app.screen.current_id()
            assert moved is not None and moved != first
            await pilot.press("enter")
            assert await wait_until(pilot, lambda: isinstance(app.screen, RitualDetail))
            await pilot.press("escape")
            assert await wait_until(pilot, lambda: isinstance(app.screen, RitualsScreen))
            assert app.screen.current_id() == moved
            hold.release_all()
            full = [row(expected[i], TODAY, True).plain.rstrip() for i in history.values()]
            assert await wait_until(pilot, lambda: shows(app, full))
            assert "\u2026" not in text_of(app)
            assert app.screen.current_id() == moved  # the highlight stays where it was
            assert hold.on_ui == []  # no history file was read on the UI thread
            assert not notices.raised
        finally:
            hold.release_all()


async def test_the_heatmap_shows_recent_weeks_at_once_and_the_older_ones_after(make_app, data_dir, history, hold, monkeypatch) -> None:
    monkeypatch.setattr(older, "NOTE_AFTER", 0.01)  # not the half second: the note itself is what is tested
    full_view = load_view(Store.open(data_dir), history["walk"], TODAY)
    assert full_view is not None and full_view.states[OLD_DONE] == "done"
    app = make_app("rituals")
    hold.on_ui.clear()
    async with app.run_test(size=TALL) as pilot:
        try:
            assert await wait_until(pilot, lambda: hold.stores)
            await highlight(pilot, app, history["walk"])
            await pilot.press("enter")
            assert await wait_until(pilot, lambda: isinstance(app.screen, RitualDetail))
            # the first frame: the last six weeks as they are, the older weeks blank, the note
            assert await wait_until(pilot, lambda: shows(app, heatmap_lines(full_view, TODAY, KNOWN_FROM)))
            assert await wait_until(pilot, lambda: "Reading older entries\u2026" in text_of(app))
            shown = text_of(app)
            assert "Score \u2026" in shown and "Streak \u2026" in shown
            assert hold.on_ui == [] and not any(hold.reads_done)  # no history file read yet
            # the arrows work meanwhile
            await pilot.press("up")
            assert await wait_until(pilot, lambda: "Chosen: Tue 24 Nov" in text_of(app))
            await pilot.press("down", *["left"] * 21)  # back to today, then 21 weeks back
            assert await wait_until(pilot, lambda: "Chosen: Wed 1 Jul, still being read" in text_of(app))
            assert shows(app, heatmap_lines(full_view, OLD_DONE, KNOWN_FROM))
            hold.release_all()
            assert await wait_until(pilot, lambda: shows(app, heatmap_lines(full_view, OLD_DONE)))
            shown = text_of(app)
            assert "Chosen: Wed 1 Jul, done" in shown
            assert f"Score {full_view.score}%" in shown and f"Streak {full_view.streak} in a row" in shown
            assert "Reading older entries" not in shown
            assert hold.on_ui == []
        finally:
            hold.release_all()


async def test_a_day_corrected_while_older_entries_are_read_is_never_undone_by_that_read(
    make_app, data_dir, history, hold
) -> None:
    """The read begun before the correction holds the day as done; it ends last, and is not drawn."""
    app = make_app("rituals")
    notices = Notices()
    async with app.run_test(size=TALL, message_hook=notices) as pilot:
        try:
            assert await wait_until(pilot, lambda: hold.stores)  # 0: the list's read
            await highlight(pilot, app, history["walk"])
            await pilot.press("enter")
            assert await wait_until(pilot, lambda: len(hold.stores) == 2)  # 1: the detail's
            await pilot.press(*["left"] * 21)
            assert await wait_until(pilot, lambda: "Chosen: Wed 1 Jul, still being read" in text_of(app))
            await pilot.press("backspace")  # set it back to nothing logged
            assert await wait_until(pilot, lambda: notices.said("Cleared Wed 1 Jul"))
            assert await wait_until(pilot, lambda: len(hold.stores) == 3)  # 2: read again after the change
            hold.release(2)
            assert await wait_until(pilot, lambda: "Chosen: Wed 1 Jul, nothing logged" in text_of(app)
                                    and "Score \u2026" not in text_of(app))
            hold.release(1)  # the read from before the change ends last
            assert await wait_until(pilot, lambda: hold.reads_done[1] >= 2)
            for _ in range(10):
                await pilot.pause()
            shown = text_of(app)
            assert "Chosen: Wed 1 Jul, nothing logged" in shown and "Reading older entries" not in shown
            await pilot.press("u")  # and undo brings it back, drawn from a fresh read
            hold.release_all()
            assert await wait_until(pilot, lambda: "Chosen: Wed 1 Jul, done" in text_of(app))
        finally:
            hold.release_all()
    kept = Store.open(data_dir).find(RitualEntry, ritual_id=history["walk"], day=OLD_DONE)
    assert [e.status for e in kept] == ["done"]


async def test_leaving_while_older_entries_are_read_is_quiet(make_app, data_dir, history, hold) -> None:
    expected = {v.id: v for v in load_views(Store.open(data_dir), TODAY)}
    app = make_app("rituals")
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        try:
            assert await wait_until(pilot, lambda: hold.stores)
            await pilot.press("enter")
            assert await wait_until(pilot, lambda: len(hold.stores) == 2)  # the detail reads, held
            await pilot.press("escape")
            assert await wait_until(pilot, lambda: isinstance(app.screen, RitualsScreen))
            assert await wait_until(pilot, lambda: len(hold.stores) == 3)  # the list again
            await pilot.press("t")
            assert await wait_until(pilot, lambda: isinstance(app.screen, TodayScreen))
            hold.release_all()  # the reads left behind finish, and are let go
            assert await wait_until(pilot, lambda: all(done >= 1 for done in hold.reads_done))
            for _ in range(10):
                await pilot.pause()
            assert isinstance(app.screen, TodayScreen) and app.is_running
            assert not [n for n in notices if n.title == "Older entries" or n.severity == "error"]
            await pilot.press("r")  # back: read again, and drawn
            full = [row(expected[i], TODAY, True).plain.rstrip() for i in history.values()]
            assert await wait_until(pilot, lambda: shows(app, full))
        finally:
            hold.release_all()


async def test_a_store_error_in_the_worker_is_told_plainly_and_keys_still_work(make_app, history, hold) -> None:
    hold.fail = StoreError("Part of Tend's older history changed while it was being read. Try again.")
    hold.release_all()
    app = make_app("rituals")
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        assert await wait_until(pilot, lambda: notices.said("older history changed while it was being read"))
        [told] = [n for n in notices if n.title == "Older entries"]
        assert told.markup is False
        assert isinstance(app.screen, RitualsScreen) and app.is_running
        assert "\u2026" in text_of(app)  # the figures wait, the list is all there
        first = app.screen.current_id()
        await pilot.press("down")
        assert app.screen.current_id() not in (None, first)
        for _ in range(5):
            await pilot.pause()
        assert len([n for n in notices if n.title == "Older entries"]) == 1  # told once, not again and again


async def test_without_history_the_list_is_whole_at_once_with_no_worker(make_app, store, frozen, hold) -> None:
    store.update_settings(starters_offered=True)
    walk = store.add(Ritual(name="Walk", schedule=Schedule.daily().to_dict(), created=BEGAN))
    store.add(RitualEntry(ritual_id=walk.id or 0, day=TODAY.subtract(days=1)))
    assert not store.has_history(RitualEntry)
    [view] = load_views(store, TODAY)
    app = make_app("rituals")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert row(view, TODAY, True).plain.rstrip() in text_of(app)
        assert "\u2026" not in text_of(app) and not hold.stores and not len(app.workers)


def test_the_quiet_mark_is_ascii_where_the_terminal_is(monkeypatch: pytest.MonkeyPatch) -> None:
    import screens.rituals.rows as rows

    view = load_views_of_one()
    monkeypatch.setattr(rows, "use_unicode", lambda: False)
    line = row(view, TODAY, True, waiting=True).plain
    assert line.rstrip().endswith("  ...     ...") and "\u2026" not in line
    monkeypatch.setattr(rows, "use_unicode", lambda: True)
    assert row(view, TODAY, True, waiting=True).plain.rstrip().endswith("    \u2026       \u2026")


def load_views_of_one() -> Any:
    from app.rituals import view_from_states

    return view_from_states(Ritual(id=1, name="Walk", schedule=Schedule.daily().to_dict(), created=BEGAN), {}, TODAY, progress=False)


async def test_after_a_save_the_scores_come_from_what_the_full_read_kept_not_a_new_read(make_app, data_dir, history, hold) -> None:
    # Every save made on the list used to read every year again in a worker (0.24 s of CPU
    # and twice the memory at 24 years). The full read now keeps, per ritual, the score and
    # streak up to its older entries (app.progress.Carried); a save is worked out from
    # tend.json and that, the same as from every entry, with no history file read.
    app = make_app("rituals")
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        hold.release_all()
        store = app.store

        def full_rows() -> list[str]:
            every = {v.id: v for v in load_views(Store.open(data_dir), TODAY)}
            return [row(every[i], TODAY, True).plain.rstrip() for i in history.values()]

        assert await wait_until(pilot, lambda: shows(app, full_rows()))
        reads = sum(hold.reads_done)  # the history files read by the one full read so far
        assert reads > 0
        await highlight(pilot, app, history["walk"])
        await pilot.press("space")  # Walk done today
        assert await wait_until(pilot, lambda: store.find(RitualEntry, ritual_id=history["walk"], day=TODAY, recent=True))
        expected = full_rows()  # read here, on this thread, from a store of its own
        hold.on_ui.clear()
        assert await wait_until(pilot, lambda: shows(app, expected))
        assert "\u2026" not in text_of(app) and not app.screen.waiting
        assert sum(hold.reads_done) == reads and hold.on_ui == []  # no history file read again, anywhere
        # A change to what was carried (here the schedule, from another Tend) reads again.
        other = Store.open(data_dir)
        review = other.get(Ritual, history["review"])
        assert review is not None
        other.update(dataclasses.replace(review, schedule=Schedule.on_days("thu", "fri").to_dict()))
        assert app.check_external_changes()  # what its once-a-while look at the file finds
        assert await wait_until(pilot, lambda: sum(hold.reads_done) > reads)
        assert await wait_until(pilot, lambda: shows(app, full_rows()))
        # So does a change inside a history file that leaves tend.json's entries as they were
        # (an old day cleared, by another Tend), even one too far back to move a figure.
        reads = sum(hold.reads_done)
        [old] = other.find(RitualEntry, ritual_id=history["walk"], day=OLD_DONE)
        other.remove(RitualEntry, old.id or 0)
        assert app.check_external_changes()
        assert await wait_until(pilot, lambda: sum(hold.reads_done) > reads)
        assert await wait_until(pilot, lambda: shows(app, full_rows()))
        assert [n.message for n in notices.raised] == ["Done for today."]  # no read failed


async def test_the_next_start_reads_only_this_years_file_for_the_scores(make_app, data_dir, history, hold) -> None:
    # The first start reads every year once and keeps what the years before this one sum up
    # to (history/rituals-carried.json); the next start reads this year's file alone, and
    # shows the same scores and streaks as every entry gives.
    expected = [row(v, TODAY, True).plain.rstrip() for v in load_views(Store.open(data_dir), TODAY)]
    every_year = len(Store.open(data_dir).history_versions(RitualEntry))
    assert every_year == 2  # 2025 and 2026
    for reads in (every_year, 1):
        hold.reads_done.clear()
        hold.stores.clear()
        hold.gates.clear()
        app = make_app("rituals")
        async with app.run_test(size=SIZE) as pilot:
            hold.release_all()
            assert await wait_until(pilot, lambda: shows(app, expected))
            assert sum(hold.reads_done) == reads
