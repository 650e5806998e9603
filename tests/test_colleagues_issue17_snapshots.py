"""How issue 17's views look at 80x24: the form (Called, the cadence in words, dates to
remember), its Role list open, a card with dated notes, and a list with someone snoozed.

Update after a deliberate change with
``pytest tests/test_colleagues_issue17_snapshots.py --snapshot-update`` and look at the report.
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
    monkeypatch.setattr(pendulum, "today", lambda tz=None: NOW.start_of("day"))
    store = Store.open(tmp_path / "data")
    store.update_settings(welcomed=True)
    long_ago = NOW.subtract(years=1)
    amara = store.add(Colleague(
        name="Dr. Amara Okonkwo-Fitzgerald", role="supervisor", ideal_days=14, limit_days=28, created=long_ago,
        birthday=pendulum.date(1904, 11, 28), joined=pendulum.date(2021, 3, 1),
        dated_notes=[{"day": "2026-11-20", "text": "back from leave on the 12th"},
                     {"day": "2026-10-01", "text": "started a new job"}],
    ))  # fmt: skip
    mo = store.add(Colleague(name="Mo Said", ideal_days=30, limit_days=31, created=long_ago))
    store.add(Colleague(name="Jo Lee", ideal_days=7, created=long_ago, snoozed_until=pendulum.date(2026, 12, 12)))
    store.add(Colleague(name="Kit Moved-On", created=long_ago, archived=True))
    store.add(Colleague(name="Ngozi New", ideal_days=14))
    store.add(Contact(colleague_id=mo.id or 0, when=NOW.subtract(days=33)))
    store.add(Contact(colleague_id=amara.id or 0, when=NOW.subtract(days=20), kind="supervision"))
    return TendApp(store, start_mode="colleagues")


def test_list_with_someone_snoozed_and_someone_archived(snap_compare: Any, app: TendApp) -> None:
    assert snap_compare(app, terminal_size=SIZE)


def test_list_showing_the_archived(snap_compare: Any, app: TendApp) -> None:
    assert snap_compare(app, press=["v"], terminal_size=SIZE)


def test_form_with_called_cadence_words_and_dates(snap_compare: Any, app: TendApp) -> None:
    assert snap_compare(app, press=["down", "e"], terminal_size=SIZE)


def test_form_role_list_open(snap_compare: Any, app: TendApp) -> None:
    assert snap_compare(app, press=["down", "e", "tab", "tab", "enter"], terminal_size=SIZE)


def test_card_with_dated_notes_and_dates_to_remember(snap_compare: Any, app: TendApp) -> None:
    assert snap_compare(app, press=["down", "enter"], terminal_size=SIZE)


def test_today_with_a_date_to_remember(snap_compare: Any, app: TendApp) -> None:
    assert snap_compare(app, press=["t"], terminal_size=SIZE)
