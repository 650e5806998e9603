"""Breathing history (issue 16, item 10): this week per pattern and minutes in all, from the
stored fields alone, with sessions opened and closed at once left out."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import Static

from app.breathing_history import MIN_SECONDS, counts, load_history, minutes_text, summarise
from app.models import BreathingPattern, BreathingSession
from app.storage import Store

NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")  # a Wednesday; the week began Monday 23rd


@pytest.fixture(autouse=True)
def frozen_now():  # type: ignore[no-untyped-def]
    pendulum.travel_to(NOW, freeze=True)
    yield
    pendulum.travel_back()


def session(when: pendulum.DateTime, pattern: str = "box", seconds: float = 120, cycles: int = 8, name: str = "") -> BreathingSession:
    return BreathingSession(
        when=when, pattern=pattern, pattern_name=name, actual_seconds=seconds, cycles_done=cycles, planned_seconds=seconds
    )


def seed(store: Store) -> None:
    with store.transaction():
        store.add(session(NOW.subtract(hours=2), "box", 130))
        store.add(session(NOW.subtract(days=1), "box", 60))
        store.add(session(NOW.subtract(days=2, hours=14), "478", 240))  # Monday 00:30
        store.add(session(NOW.subtract(days=3), "478", 300))  # Sunday: last week
        store.add(session(NOW.subtract(minutes=5), "sigh", 4, cycles=0))  # opened and closed
        store.add(session(NOW.subtract(minutes=3), "sigh", 8, cycles=1))  # a few seconds


def test_only_real_sessions_count() -> None:
    assert counts(MIN_SECONDS, 1) and counts(300.0, 8)
    assert not counts(300, 0)  # no whole cycle
    assert not counts(MIN_SECONDS - 1, 1)
    assert not counts("300", 8) and not counts(None, 8) and not counts(300, True)


def test_this_week_per_pattern_and_in_all(store) -> None:  # type: ignore[no-untyped-def]
    seed(store)
    history = load_history(store, NOW)
    assert [(p.key, p.sessions, p.seconds) for p in history.week] == [("478", 1, 240), ("box", 2, 190)]
    assert (history.week_sessions, history.week_seconds) == (3, 430)
    assert (history.all_sessions, history.all_seconds, history.left_out) == (4, 730, 2)


def test_rows_that_do_not_read_are_left_out_not_fatal() -> None:
    rows = [("not a date", "box", "", 60, 4), (None, None, None, 60, 4), ("2026-11-24T10:00:00", "box", "", 60, 4)]
    history = summarise(rows, NOW)
    assert history.all_sessions == 3 and history.week_sessions == 0  # counted in all; no readable time this week


def test_minutes_text() -> None:
    assert [minutes_text(s) for s in (40, 60, 14 * 60 + 59, 3600, 3725)] == ["40 s", "1 min", "14 min", "1 h", "1 h 2 min"]


def test_reads_stored_fields_not_records(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seed(store)
    monkeypatch.setattr(store, "all", lambda cls: pytest.fail(f"all({cls.__name__}) read every record"))
    assert load_history(store, NOW).week_sessions == 3


moments = st.integers(min_value=0, max_value=60 * 24 * 30).map(lambda minutes: NOW.subtract(minutes=minutes))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(moments, st.sampled_from(["box", "478", "custom-1"]), st.floats(0, 900), st.integers(0, 20)), max_size=30))
def test_the_fast_path_agrees_with_the_records(tmp_path_factory, rows) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path_factory.mktemp("data") / "tend")
    with store.transaction():
        for when, key, seconds, cycles in rows:
            store.add(session(when, key, seconds, cycles))
    history = load_history(store, NOW)
    records = [r for r in store.all(BreathingSession) if r.cycles_done >= 1 and r.actual_seconds >= MIN_SECONDS]
    week = [r for r in records if r.when >= NOW.start_of("week")]
    assert history.all_sessions == len(records) and history.week_sessions == len(week)
    assert history.week_seconds == pytest.approx(sum(r.actual_seconds for r in week))
    assert history.all_seconds == pytest.approx(sum(r.actual_seconds for r in records))


# -- on the breathing screen -----------------------------------------------------------------


def history_text(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#breathe-history", Static).render())


async def test_the_breathing_screen_shows_this_week_and_in_all(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    seed(Store.open(data_dir))
    app = make_app("breathe")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert history_text(app) == (
            "This week: 3 sessions, 7 min   In all: 4 sessions, 12 min\n4-7-8 breathing 4 min · Box breathing 3 min"
        )


async def test_no_history_before_the_first_session(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("breathe")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#breathe-history", Static).display is False


async def test_a_deleted_pattern_shows_by_its_stored_name_cleaned_and_a_long_week_fits(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(data_dir)
    mine = store.add(BreathingPattern(name="Evening", phases=[["inhale", 4.0], ["exhale", 6.0]]))
    with store.transaction():
        store.add(session(NOW.subtract(hours=1), "custom-99", 600, name="Gone \x1b[2J[/] pattern"))
        store.add(session(NOW.subtract(hours=1), f"custom-{mine.id}", 500))
        for key in ("box", "478", "coherent", "sigh", "extended"):
            store.add(session(NOW.subtract(hours=3), key, 90))
    app = make_app("breathe")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        _first, second = history_text(app).split("\n")
        assert second.startswith("Gone [/] pattern 10 min · Evening 8 min · ")  # the escape cleaned away, [/] literal
        assert second.endswith(" more") and len(second) <= 76
