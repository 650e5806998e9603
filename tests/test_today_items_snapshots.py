"""How issue 16's Today, working-pattern form and breathing history look at 80x24.

Update after a deliberate change with ``pytest tests/test_today_items_snapshots.py --snapshot-update``."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from app.models import BodyScan, BreathingSession, Colleague, Ritual
from app.storage import Store
from app.tui import TendApp

SIZE = (80, 24)
NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")


@pytest.fixture(autouse=True)
def frozen_time():  # type: ignore[no-untyped-def]
    pendulum.travel_to(NOW, freeze=True)
    yield
    pendulum.travel_back()


@pytest.fixture
def fixed_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path / ".local" / "share" / "tend"


def seeded(path: Path, mode: str = "today", **settings: object) -> TendApp:
    store = Store.open(path)
    store.update_settings(welcomed=True, **settings)
    with store.transaction():
        store.add(Ritual(name="Stretch between sessions", schedule={"kind": "daily"}, created=NOW.subtract(days=3)))
        store.add(Ritual(name="Walk at lunch", schedule={"kind": "daily"}, created=NOW.subtract(days=3)))
        store.add(Colleague(name="Jo Lee", want_to_reach_now=True))
        store.add(BodyScan(when=NOW.subtract(hours=38), ratings={"neck": 3, "jaw": 2, "sleep": 2}))
        for days, key, seconds in [(0, "box", 130), (1, "478", 240), (1, "box", 60), (9, "sigh", 300), (0, "sigh", 4)]:
            store.add(BreathingSession(when=NOW.subtract(days=days, hours=1), pattern=key, actual_seconds=seconds,
                                       cycles_done=0 if seconds < 10 else 6, planned_seconds=seconds))  # fmt: skip
    return TendApp(store, start_mode=mode)


def test_today_with_a_selected_ritual_and_a_working_pattern(snap_compare, fixed_dir: Path) -> None:  # type: ignore[no-untyped-def]
    app = seeded(fixed_dir, session_pattern="on the hour, 9 to 17, 50 minutes")
    assert snap_compare(app, terminal_size=SIZE)


def test_the_working_pattern_form(snap_compare, fixed_dir: Path) -> None:  # type: ignore[no-untyped-def]
    app = seeded(fixed_dir)
    assert snap_compare(app, press=["w", *"mon-thu 9:00 10:00 11:30 14:00; fri 9:00; wed off"], terminal_size=SIZE)


def test_breathing_with_its_history(snap_compare, fixed_dir: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(seeded(fixed_dir, "breathe"), terminal_size=SIZE)
