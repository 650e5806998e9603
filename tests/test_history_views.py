"""Older history off the UI thread (issue 14): the past scans, a scan summary's trends and
the breathing history draw at once from ``tend.json`` and fill in from a thread worker.

The worker is held on a ``threading.Event`` inside ``Store._read_version`` (every read of a
history file passes there), so each test sees the screen while the older part is still
being read, then after it has been. Time is frozen; nothing sleeps.
"""

from __future__ import annotations

import dataclasses
import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest
from textual.widgets import OptionList, Static

from app import bodyscan as bs
from app.breathing_history import load_history, minutes_text
from app.history import newest_holding
from app.models import BodyScan, BreathingSession
from app.storage import Store, StoreError
from screens.older import OlderRecords
from tests.conftest import wait_until
from tests.notices import Notices
from tests.screentext import screenshot_lines

SIZE = (80, 24)
NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")
START = NOW.subtract(days=600).start_of("day")
QUICK_ROW = "12301230" "2" "10203"  # a whole quick scan, one key an item


def text(app: Any) -> str:
    return "\n".join(screenshot_lines(app))


@pytest.fixture
def frozen_now() -> Iterator[pendulum.DateTime]:
    pendulum.travel_to(NOW, freeze=True)
    try:
        yield NOW
    finally:
        pendulum.travel_back()


@pytest.fixture
def with_history(data_dir: Path, frozen_now: pendulum.DateTime) -> Path:
    """600 days of a scan and a breathing session a day, written as the one-file Tend
    stored them; opening the store now moves all but the last six weeks to history files."""
    return write_history(data_dir, 600)


def write_history(data_dir: Path, days: int, *, gap: range = range(0)) -> Path:
    """``days`` up to today of a scan and a breathing session a day (none on the days of
    ``gap``, counted back from today), as the one-file Tend stored them, then opened."""
    tables: dict[str, dict[str, Any]] = {"scans": {}, "breathing": {}}
    first = NOW.subtract(days=days).start_of("day")
    for day in range(days):
        if days - day in gap:
            continue
        moment = first.add(days=day)
        scan = BodyScan(when=moment.add(hours=12, minutes=15), ratings={"neck": day % 4, "jaw": (day // 7) % 4, "sleep": 1 + day % 3})
        breath = BreathingSession(when=moment.add(hours=8), pattern="box", actual_seconds=60.0 + day % 5, cycles_done=4)
        for record, table in ((scan, "scans"), (breath, "breathing")):
            key = str(len(tables[table]) + 1)
            tables[table][key] = dataclasses.replace(record, uid=f"u-{table}-{key}").to_doc()
    marks = {table: len(docs) for table, docs in tables.items()}
    data = {"_meta": {"1": {"schema": 1, "created": first.isoformat(), "last_ids": marks}}, **tables}
    data_dir.mkdir(mode=0o700)
    (data_dir / "tend.json").write_bytes(json.dumps(data).encode())
    os.chmod(data_dir / "tend.json", 0o600)
    store = Store.open(data_dir)
    assert store.has_history(BodyScan) and store.has_history(BreathingSession)
    return data_dir


class Held:
    """Every read of a history file from a worker thread waits for :meth:`release`; a read on
    the UI thread (the test's own thread, the event loop's) is noted and goes through."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.go = threading.Event()
        self.waiting: list[str] = []
        self.done: list[str] = []
        self.on_ui: list[str] = []
        original = Store._read_version

        def read(store: Store, name: str, generation: int, **how: Any) -> dict[str, Any]:
            if threading.current_thread() is threading.main_thread():
                self.on_ui.append(name)
                return original(store, name, generation, **how)
            self.waiting.append(name)
            if not self.go.wait(30):
                raise StoreError("held too long")
            found = original(store, name, generation, **how)
            self.done.append(name)
            return found

        monkeypatch.setattr(Store, "_read_version", read)
        monkeypatch.setattr(OlderRecords, "note_after", 0.001)  # the note's 0.5 s, at once (Textual refuses 0)

    def release(self) -> None:
        self.go.set()


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[Held]:
    holder = Held(monkeypatch)
    try:
        yield holder
    finally:
        holder.release()  # never leave a thread waiting


def listed(app: Any) -> list[str]:
    """The dates of the past scans listed, newest first (the rows of the list's records)."""
    return [row.when for row in app.screen.history.rows]


def expected_scans(folder: Path) -> tuple[list[str], int]:
    """The first page of past scans and the count, read synchronously from a fresh store."""
    records, total = bs.newest_scans(Store.open(folder))
    return [row.when for row in bs.history_rows(records)], total


# --------------------------------------------------------------------------- past scans


async def test_past_scans_show_the_recent_ones_at_once_then_the_rest_keeping_the_highlight(
    make_app: Callable[..., Any], with_history: Path, held: Held
) -> None:
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        try:
            await pilot.press(*QUICK_ROW, "h")
            await pilot.pause()
            screen = app.screen
            # the first frame: the newest scans, from tend.json, while every history read waits
            assert await wait_until(pilot, lambda: held.waiting)
            assert not held.done and not held.on_ui
            shown = text(app)
            assert "Past scans" in shown and "Wed 25 Nov 2026  14:30" in shown and "Tue 24 Nov 2026  12:15" in shown
            assert "Older scans:" not in shown
            recent = listed(app)
            assert 42 <= len(recent) < 60
            assert await wait_until(pilot, lambda: "Reading older scans..." in text(app))
            # keys work meanwhile
            await pilot.press("down", "down", "down")
            listing = screen.query_one("#history-list", OptionList)
            assert listing.highlighted == 3
            kept = screen.history.rows[3].record.id
            held.release()
            assert await wait_until(pilot, lambda: screen.history.total is not None)
            await pilot.pause()
            assert not held.on_ui  # the app never read a history file on the UI thread
            first_page, total = expected_scans(with_history)
            assert listed(app) == first_page and screen.history.total == total == 601
            assert listing.highlighted == 3 and screen.history.rows[3].record.id == kept
            assert "Older scans: 501 more. Enter shows them all." in "\n".join(str(o.prompt) for o in listing.options)
            assert "Reading older scans..." not in text(app)
        finally:
            held.release()


async def test_past_scans_read_only_the_newest_years_that_hold_the_page_and_count_the_rest(
    make_app: Callable[..., Any], data_dir: Path, frozen_now: pendulum.DateTime, held: Held
) -> None:
    # A scan a day for four years: the first page (the newest 100) is all in this year's
    # file, so that is the one file read; the count of the years before comes from the
    # manifest. The list and the count are what reading every scan gives; "show all" reads
    # every file.
    write_history(data_dir, 4 * 365)
    store = Store.open(data_dir)
    counts = store.history_counts(BodyScan)
    assert counts is not None and sorted(counts) == ["scans-2022", "scans-2023", "scans-2024", "scans-2025", "scans-2026"]
    part = store.older_part(BodyScan)
    assert part is not None and part.counts == counts
    assert sum(counts.values()) + len(part.current) == len(store.moments(BodyScan, "when")) == 4 * 365
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        held.release()
        await pilot.press(*QUICK_ROW)  # the summary reads the year its trends need
        screen = app.screen
        assert await wait_until(pilot, lambda: held.done and not screen.query_one("#summary-older", OlderRecords).reading)
        held.done.clear()
        await pilot.press("h")
        assert await wait_until(pilot, lambda: screen.history.total is not None)
        assert sorted({name for name in held.done if name.startswith("scans-")}) == ["scans-2026"]
        first_page, total = expected_scans(data_dir)
        assert listed(app) == first_page and screen.history.total == total == 4 * 365 + 1
        listing = screen.query_one("#history-list", OptionList)
        assert f"Older scans: {total - 100:,} more." in "\n".join(str(o.prompt) for o in listing.options)
        held.done.clear()
        listing.highlighted = listing.option_count - 1  # the way to the older scans
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: len(screen.history.rows) == total)
        assert sorted({name for name in held.done if name.startswith("scans-")}) == sorted(counts)
        assert listed(app) == [row.when for row in bs.history_rows(bs.newest_scans(Store.open(data_dir), None)[0])]


def test_the_newest_files_holding_a_page_are_the_fewest_that_do() -> None:
    counts = {"scans-2023": 300, "scans-2024": 40, "scans-2025": 50, "scans-2026": 20}
    assert newest_holding(counts, 100) == (2024, 300)  # 20 + 50 + 40 >= 100; 2023's 300 unread
    assert newest_holding(counts, 110) == (2024, 300)
    assert newest_holding(counts, 111) == (None, 0)  # every file
    assert newest_holding(counts, 20) == (2026, 390)
    assert newest_holding({}, 100) == (None, 0)
    assert newest_holding({"scans-2026": 500}, 100) == (None, 0)  # one file: it is every file


async def test_leaving_while_the_older_scans_are_read_drops_the_read_quietly(
    make_app: Callable[..., Any], with_history: Path, held: Held
) -> None:
    notices = Notices()
    app = make_app("scan")
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        try:
            await pilot.press(*QUICK_ROW, "h")
            await pilot.pause()
            screen = app.screen
            recent = listed(app)
            reader = screen.query_one("#history-older", OlderRecords)
            assert reader.reading
            await pilot.press("escape")  # back to the summary: the list's read is dropped
            await pilot.pause()
            assert screen.view == "summary" and not reader.reading and not reader.display
            await pilot.press("escape")  # and away from the scan altogether
            await pilot.pause()
            assert app.current_mode == "today"
            held.release()
            assert await wait_until(pilot, lambda: len(held.done) >= len(held.waiting))
            for _ in range(5):
                await pilot.pause()
            assert screen.history.total is None and [row.when for row in screen.history.rows] == recent  # nothing filled in
            assert not [n for n in notices if n.severity != "information"]
            assert app.current_mode == "today"
        finally:
            held.release()


async def test_a_scan_deleted_while_the_older_ones_are_read_stays_deleted(
    make_app: Callable[..., Any], with_history: Path, held: Held
) -> None:
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        try:
            await pilot.press(*QUICK_ROW, "h")
            await pilot.pause()
            screen = app.screen
            await pilot.press("down", "x")  # yesterday's scan, in tend.json
            await pilot.pause()
            assert "Tue 24 Nov 2026  12:15" not in text(app)
            # meanwhile another Tend deletes the newest scan in history: its file changes
            other = Store.open(with_history)
            oldest = min(bs.newest_scans(other, None)[0], key=lambda r: r.when("UTC"))
            with other.transaction():
                other.remove(BodyScan, oldest.id or 0)
            held.release()
            assert await wait_until(pilot, lambda: screen.history.total is not None)
            assert "Tue 24 Nov 2026  12:15" not in listed(app)
            first_page, total = expected_scans(with_history)
            assert listed(app) == first_page and screen.history.total == total == 599
            await pilot.press("u")  # and it comes back
            assert await wait_until(pilot, lambda: "Tue 24 Nov 2026  12:15" in listed(app))
            assert screen.history.total == 600
        finally:
            held.release()


async def test_the_summary_draws_at_once_and_its_year_trend_fills_in(
    make_app: Callable[..., Any], with_history: Path, held: Held
) -> None:
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        try:
            await pilot.press(*QUICK_ROW)
            await pilot.pause()
            screen = app.screen
            summary = screen.summary
            assert await wait_until(pilot, lambda: held.waiting)
            assert summary is not None and not held.done
            assert "Your scan, Wed 25 Nov, 14:30" in text(app)
            assert summary.previous is not None  # yesterday's, from tend.json
            year_cells = len(summary.trends["overall"].values[364])
            await pilot.press("v", "v")  # keys work: the year column
            assert screen.trend_days == 364
            held.release()
            assert await wait_until(pilot, lambda: len(screen.summary.trends["overall"].values[364]) > year_cells)
            expected = bs.summarise(summary.record, bs.scans_for_summary(Store.open(with_history), summary.record), now=NOW)
            assert screen.summary.trends["overall"].values == expected.trends["overall"].values
            assert not screen.query_one("#summary-older", OlderRecords).display
        finally:
            held.release()


@pytest.mark.parametrize(("gap", "years_read"), [(range(0), [2025, 2026]), (range(1, 700), [2023, 2024])])
async def test_a_new_scans_summary_reads_the_year_its_trends_need_not_every_year(
    make_app: Callable[..., Any], data_dir: Path, frozen_now: pendulum.DateTime, held: Held, gap: range, years_read: list[int]
) -> None:
    # Finishing a scan each day must not read every year of scans: the trends look back a
    # year, so the files from then on do; only when the scan before it is older still (a
    # long gap) is every file read. Either way the summary is the one every scan gives.
    write_history(data_dir, 3 * 365 + 40, gap=gap)
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        held.release()
        await pilot.press(*QUICK_ROW)
        screen = app.screen
        assert await wait_until(pilot, lambda: held.done and not screen.query_one("#summary-older", OlderRecords).reading)
        assert sorted({int(name.rpartition("-")[2]) for name in held.done if name.startswith("scans-")}) == years_read
        summary = screen.summary
        expected = bs.summarise(summary.record, bs.scans_for_summary(Store.open(data_dir), summary.record), now=NOW)
        assert summary.previous is not None and summary.previous.taken_at == expected.previous.taken_at
        assert summary.trends == expected.trends and summary.changes == expected.changes


async def test_a_store_error_while_reading_is_said_plainly_and_the_recent_part_stays(
    make_app: Callable[..., Any], with_history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: Any, **__: Any) -> None:
        raise StoreError("Tend could not read part of its older history just now.")

    monkeypatch.setattr(Store, "read_older", broken)
    notices = Notices()
    app = make_app("scan")
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.press(*QUICK_ROW, "h")
        assert await wait_until(pilot, lambda: notices.said("could not read part of its older history"))
        assert "Tue 24 Nov 2026  12:15" in text(app) and "Traceback" not in text(app)
        assert not app.screen.query_one("#history-older", OlderRecords).reading
        await pilot.press("down")
        assert app.screen.query_one("#history-list", OptionList).highlighted == 1


# --------------------------------------------------------------------------- breathing


def strip_tallies(folder: Path) -> None:
    """Make ``tend.json`` as a Tend from before tallies wrote it: history files named, no
    tally beside them."""
    path = folder / "tend.json"
    data = json.loads(path.read_bytes())
    for meta in data["_meta"].values():
        for info in meta["history"]["files"].values():
            info.pop("tally", None)
    path.write_bytes(json.dumps(data).encode())


async def test_breathing_counts_the_older_years_from_their_tallies_without_reading_a_file(
    make_app: Callable[..., Any], with_history: Path, held: Held
) -> None:
    expected = load_history(Store.open(with_history))
    held.on_ui.clear()  # that read was the test's own
    app = make_app("breathe")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        line = str(app.screen.query_one("#breathe-history", Static).render())
        assert line.startswith("This week: 2 sessions, 2 min") and expected.all_sessions == 600
        assert f"In all: {expected.all_sessions:,} sessions, {minutes_text(expected.all_seconds)}" in line
        assert not app.screen.query_one("#breathe-older", OlderRecords).reading
    assert held.waiting == [] and held.on_ui == []  # no history file was read, in a thread or not


async def test_breathing_shows_this_week_at_once_and_the_minutes_in_all_after_a_file_without_its_tally(
    make_app: Callable[..., Any], with_history: Path, held: Held
) -> None:
    expected = load_history(Store.open(with_history))
    held.on_ui.clear()  # that read was the test's own
    app = make_app("breathe")
    strip_tallies(with_history)  # an older Tend saved meanwhile: this Tend reads the files
    async with app.run_test(size=SIZE) as pilot:
        try:
            await pilot.pause()
            line = app.screen.query_one("#breathe-history", Static)
            assert await wait_until(pilot, lambda: held.waiting)
            assert not held.done and not held.on_ui
            first = str(line.render())
            assert expected.week_sessions == 2 and first.startswith("This week: 2 sessions, 2 min") and "In all" not in first
            assert await wait_until(pilot, lambda: "Reading older sessions" in text(app))
            patterns = app.screen.query_one("#patterns", OptionList)
            before = patterns.highlighted
            await pilot.press("down")
            assert patterns.highlighted == (before or 0) + 1
            held.release()
            assert await wait_until(pilot, lambda: "In all" in str(line.render()))
            assert f"In all: {expected.all_sessions:,} sessions" in str(line.render()) and expected.all_sessions == 600
            assert "Reading older sessions" not in text(app)
            assert patterns.highlighted == (before or 0) + 1
        finally:
            held.release()


async def test_without_history_the_views_read_at_once_as_before(
    make_app: Callable[..., Any], data_dir: Path, frozen_now: pendulum.DateTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(data_dir)
    store.add(BodyScan(when=NOW.subtract(days=2), ratings={"neck": 2}))
    store.add(BreathingSession(when=NOW.subtract(days=1), actual_seconds=120.0, cycles_done=8))
    monkeypatch.setattr(Store, "read_older", lambda *_: pytest.fail("read in a worker without history"))
    app = make_app("breathe")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "In all: 1 sessions, 2 min" in str(app.screen.query_one("#breathe-history", Static).render())
        assert not app.screen.query_one("#breathe-older", OlderRecords).reading
        await pilot.press("s", *QUICK_ROW, "h")
        await pilot.pause()
        assert app.current_mode == "scan" and len(app.screen.history.rows) == 2 and app.screen.history.total == 2
        assert not app.screen.query_one("#history-older", OlderRecords).reading


async def test_a_history_file_found_unreadable_by_the_worker_is_named_set_aside_and_the_rest_shown(
    make_app: Callable[..., Any], with_history: Path
) -> None:
    newest = max((with_history / "history").glob("scans-2026.g*.json"))
    newest.write_bytes(b"x" * newest.stat().st_size)  # the size it was written at: only a read can tell
    notices = Notices()
    app = make_app("scan")
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.press(*QUICK_ROW, "h")
        screen = app.screen
        assert await wait_until(pilot, lambda: screen.history.total is not None)
        assert notices.said("scans from 2026")  # named, once, in plain words
        assert [p.name for p in (with_history / "history").iterdir() if p.name.startswith(newest.name + ".damaged-")]
        assert screen.history.total == expected_scans(with_history)[1] and "Tue 24 Nov 2026  12:15" in listed(app)
        assert not [n for n in notices if n.severity == "error"]


# --------------------------------------------------------------------------- a colleague's card


async def test_a_colleagues_card_shows_recent_contacts_at_once_and_the_older_ones_after(
    make_app: Callable[..., Any], data_dir: Path, frozen_now: pendulum.DateTime, held: Held
) -> None:
    # Three years of weekly coffees with Ann: the card used to read every year's contacts on
    # the UI thread before it drew (growing with the years). It draws those tend.json holds
    # (her latest among them) at once, keys working, and the rest arrive from a worker.
    from app.models import Colleague, Contact
    from screens.colleagues.card import ColleagueCard

    store = Store.open(data_dir)
    store.update_settings(welcomed=True)
    with store.transaction():
        ann = store.add(Colleague(name="Ann", ideal_days=7))
        for week in range(3 * 52):
            store.add(Contact(colleague_id=ann.id or 0, kind="coffee", when=NOW.subtract(weeks=week + 1), note=f"week {week}"))
    assert store.roll_over(NOW.date()) > 0 and store.has_history(Contact)
    every = sorted(store.find(Contact, colleague_id=ann.id), key=lambda c: c.when, reverse=True)
    held.on_ui.clear()
    app = make_app("colleagues")
    async with app.run_test(size=(80, 40)) as pilot:
        try:
            await pilot.pause()
            await pilot.press("enter")
            assert await wait_until(pilot, lambda: isinstance(app.screen, ColleagueCard))
            card = app.screen
            assert await wait_until(pilot, lambda: held.waiting)  # the worker reads, and is held
            shown = [c.id for c in card.history]
            assert 0 < len(shown) < len(every) and shown == [c.id for c in every[: len(shown)]]  # the newest, at once
            assert "Last contact: 7 days ago" in text(app) and held.on_ui == []
            await pilot.press("down")  # keys work meanwhile
            highlighted = card.query_one("#card-history", OptionList).highlighted
            held.release()
            assert await wait_until(pilot, lambda: len(card.history) == len(every))
            assert [c.id for c in card.history] == [c.id for c in every]
            assert card.query_one("#card-history", OptionList).highlighted == highlighted  # the same row
            assert held.on_ui == []  # no history file read on the UI thread
        finally:
            held.release()
