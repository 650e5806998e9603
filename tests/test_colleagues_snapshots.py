"""How the colleagues screen looks at 80x24: the list, a card, and the message dialog.

Update after a deliberate change with
``pytest tests/test_colleagues_snapshots.py --snapshot-update`` and look at the report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pendulum
import pytest

from app.models import Colleague, Contact
from app.storage import Store
from app.tui import TendApp

NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")
SIZE = (80, 24)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TendApp:
    monkeypatch.setattr(pendulum, "now", lambda tz=None: NOW.in_timezone(tz) if tz else NOW)
    store = Store.open(tmp_path / "data")
    store.update_settings(welcomed=True)
    people: dict[str, Any] = {}
    for name, role, ideal, limit, reach in [
        ("Ann Lee", "supervisor", 14, 21, ["07700 900123", "ann@example.org"]),
        ("Ngozi Okafor", "peer", 7, None, ["ngozi@example.org"]),
        ("Tuesday consultation group", "consultation", 7, 10, []),
        ("Sam [/] O'Brien", "mentor", 30, None, ["Signal @sam"]),
        ("Jo", "peer", 7, None, []),
    ]:
        people[name] = store.add(
            Colleague(name=name, role=role, ideal_days=ideal, limit_days=limit, reach=reach,
                      notes="Tuesdays at 9.\nPrefers a call to a message." if name == "Ann Lee" else "",
                      tags=["supervision"] if name == "Ann Lee" else [])
        )  # fmt: skip
    for name, days, kind, note in [
        ("Ann Lee", 16, "supervision", "case load, and the move"),
        ("Ann Lee", 30, "call", ""),
        ("Ann Lee", 44, "debrief", "after the hard week"),
        ("Ngozi Okafor", 2, "coffee", "walk by the river"),
        ("Tuesday consultation group", 12, "consultation", ""),
        ("Sam [/] O'Brien", 40, "message", ""),
    ]:
        store.add(Contact(colleague_id=people[name].id, when=NOW.subtract(days=days), kind=kind, note=note))
    return TendApp(store, start_mode="colleagues")


def test_list(snap_compare: Any, app: TendApp) -> None:
    assert snap_compare(app, terminal_size=SIZE)


def test_card(snap_compare: Any, app: TendApp) -> None:
    assert snap_compare(app, press=["down", "down", "enter"], terminal_size=SIZE)


def test_message_dialog(snap_compare: Any, app: TendApp) -> None:
    assert snap_compare(app, press=["down", "down", "m", "enter"], terminal_size=SIZE)
