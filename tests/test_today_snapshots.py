"""How Today looks on an empty first day and on a full one, at 80x24 and 120x40."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from app.models import BodyScan, Colleague, Contact, Ritual
from app.storage import Store
from app.tui import TendApp

NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    pendulum.travel_to(NOW, freeze=True)
    yield
    pendulum.travel_back()


def full_day(folder: Path) -> None:
    store = Store.open(folder)
    store.update_settings(welcomed=True)
    for name, role, days in [("Ann Okafor", "supervisor", 40), ("Ben [/] Silva", "peer", 20), ("Cat Nguyen", "mentor", 16), ("Dev Haddad", "peer", 2)]:
        person = store.add(Colleague(name=name, role=role, ideal_days=14))
        store.add(Contact(colleague_id=person.id, when=NOW.subtract(days=days)))  # type: ignore[arg-type]
    for name, schedule in [("Team check-in", {"kind": "weekdays"}), ("Supervision", {"kind": "days_of_week", "weekdays": [2], "every": 1}), ("Walk at lunch", {"kind": "daily"})]:
        store.add(Ritual(name=name, schedule=schedule, created=NOW.subtract(days=10)))
    for days, neck in [(9, 1), (8, 2), (3, 3), (0.2, 2)]:
        store.add(BodyScan(when=NOW.subtract(hours=days * 24), ratings={"neck": neck, "jaw": 1, "chest": 2, "sleep": 2}))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_an_empty_first_day(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path / "d")
    store.update_settings(welcomed=True)
    assert snap_compare(TendApp(store), terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_a_full_day_with_a_session_in_twelve_minutes(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    full_day(tmp_path / "d")
    app = TendApp(Store.open(tmp_path / "d"), start_options={"until": "12m"})
    assert snap_compare(app, terminal_size=size)
