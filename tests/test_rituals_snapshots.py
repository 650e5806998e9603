"""How the rituals screen looks at 80x24, with time frozen and a seeded history.

Update after a deliberate change with
``pytest tests/test_rituals_snapshots.py --snapshot-update`` and look at the report first.
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

SIZE = (80, 24)
NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")
CREATED = pendulum.datetime(2026, 6, 1, 9, tz="UTC")


@pytest.fixture
def frozen_time():
    pendulum.travel_to(NOW, freeze=True)
    yield NOW
    pendulum.travel_back()


def seeded(path: Path, *, rituals: bool = True) -> TendApp:
    store = Store.open(path)
    store.update_settings(welcomed=True, starters_offered=rituals)
    if rituals:
        sam = store.add(Colleague(name="Sam", role="supervisor", created=CREATED))
        made = [
            store.add(Ritual(name="Supervision with Sam", colleague_ids=[sam.id], created=CREATED,
                             schedule=Schedule.on_days("wed", every=2, start=pendulum.date(2026, 6, 3)).to_dict(),
                             note="Bring one case and one question about me.")),
            store.add(Ritual(name="Team check-in", schedule=Schedule.on_days("mon").to_dict(), created=CREATED)),
            store.add(Ritual(name="Message a colleague", schedule=Schedule.every_n_days(7).to_dict(), created=CREATED)),
            store.add(Ritual(name="Walk after clinic", schedule=Schedule.times_per_week(3).to_dict(), created=CREATED)),
            store.add(Ritual(name="Consultation circle", created=CREATED,
                             schedule=Schedule.monthly_on_weekday(1, "thu").to_dict())),
        ]
        chance = random.Random(7)
        for ritual in made:
            schedule = Schedule.from_dict(ritual.schedule)
            history: dict[pendulum.Date, str] = {}
            day = CREATED.date()
            while day < NOW.date():
                if is_due(schedule, history, day, since=CREATED.date()) and chance.random() < 0.8:
                    history[day] = chance.choice(["done", "done", "done", "skipped"])
                    note = "moved to Friday" if history[day] == "skipped" and chance.random() < 0.5 else ""
                    store.add(RitualEntry(ritual_id=ritual.id, day=day, status=history[day], note=note))
                day = day.add(days=1)
    return TendApp(store, start_mode="rituals")


def test_list(snap_compare, tmp_path: Path, frozen_time) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(seeded(tmp_path / "data"), terminal_size=SIZE)


def test_detail_with_heatmap(snap_compare, tmp_path: Path, frozen_time) -> None:  # type: ignore[no-untyped-def]
    # Rows: Walk (due now), then Team check-in, Message, Supervision (coming up).
    assert snap_compare(seeded(tmp_path / "data"), press=["down", "down", "down", "enter"], terminal_size=SIZE)


def test_starter_offer(snap_compare, tmp_path: Path, frozen_time) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(seeded(tmp_path / "data", rituals=False), press=["space", "down", "down", "space"],
                        terminal_size=SIZE)
