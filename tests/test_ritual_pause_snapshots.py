"""The rituals list and a detail with a paused stretch, at 80x24 and 120x40 (issue 15).

Update after a deliberate change with
``pytest tests/test_ritual_pause_snapshots.py --snapshot-update`` and look at the report first.
"""

from __future__ import annotations

import random
from pathlib import Path

import pendulum
import pytest

from app.models import Colleague, Ritual, RitualEntry
from app.schedule import Schedule, is_due
from app.storage import Store
from app.tui import TendApp

NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")
CREATED = pendulum.datetime(2026, 6, 1, 9, tz="UTC")
LEAVE = [pendulum.date(2026, 10, 5), pendulum.date(2026, 10, 25)]


@pytest.fixture
def frozen_time():
    pendulum.travel_to(NOW, freeze=True)
    yield NOW
    pendulum.travel_back()


def seeded(path: Path) -> TendApp:
    store = Store.open(path)
    store.update_settings(welcomed=True, starters_offered=True)
    sam = store.add(Colleague(name="Sam", role="supervisor", created=CREATED))
    made = [
        store.add(Ritual(name="Supervision with Sam", colleague_ids=[sam.id], created=CREATED, pauses=[LEAVE],
                         schedule=Schedule.on_days("wed", every=2, start=pendulum.date(2026, 6, 3)).to_dict())),
        store.add(Ritual(name="Team check-in", schedule=Schedule.on_days("mon").to_dict(), created=CREATED,
                         pauses=[LEAVE])),
        store.add(Ritual(name="Peer consultation circle for the north team", created=CREATED,
                         schedule=Schedule.monthly_on_weekday(1, "thu").to_dict())),
        store.add(Ritual(name="Walk after clinic", schedule=Schedule.times_per_week(3).to_dict(), created=CREATED,
                         pauses=[[pendulum.date(2026, 11, 23), pendulum.date(2026, 12, 6)]])),
        store.add(Ritual(name="Journal", schedule=Schedule.daily().to_dict(),
                         created=pendulum.datetime(2026, 11, 23, 9, tz="UTC"))),
        store.add(Ritual(name="Old reading group", schedule=Schedule.on_days("fri").to_dict(), created=CREATED,
                         archived=True)),
    ]
    chance = random.Random(15)
    for ritual in made:
        schedule = Schedule.from_dict(ritual.schedule)
        history: dict[pendulum.Date, str] = {}
        day = ritual.created.date()
        while day < NOW.date():
            away = any(a <= day <= b for a, b in ritual.pauses)
            if not away and is_due(schedule, history, day, since=CREATED.date()) and chance.random() < 0.8:
                history[day] = chance.choice(["done", "done", "done", "skipped"])
                store.add(RitualEntry(ritual_id=ritual.id, day=day, status=history[day]))
            day = day.add(days=1)
    return TendApp(store, start_mode="rituals")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_list(snap_compare, tmp_path: Path, frozen_time, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(seeded(tmp_path / "data"), terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_detail_with_a_paused_stretch(snap_compare, tmp_path: Path, frozen_time, size) -> None:  # type: ignore[no-untyped-def]
    # Team check-in, the first row (due since Monday), after three weeks of leave in October.
    assert snap_compare(seeded(tmp_path / "data"), press=["enter"], terminal_size=size)


def test_detail_while_paused(snap_compare, tmp_path: Path, frozen_time) -> None:  # type: ignore[no-untyped-def]
    # Walk after clinic, the last row, paused this week and next.
    assert snap_compare(seeded(tmp_path / "data"), press=["end", "enter"], terminal_size=(80, 24))
