"""How the shell looks at 80x24: one snapshot per screen and state.

Update after a deliberate change with ``pytest tests/test_snapshots.py --snapshot-update``
and look at the report before committing.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pendulum
import pytest

from app.storage import Store
from app.tui import MODE_NAMES, TendApp

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def frozen_time():  # type: ignore[no-untyped-def]
    """Every snapshot is taken on the same Wednesday afternoon."""
    pendulum.travel_to(pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC"), freeze=True)
    yield
    pendulum.travel_back()


@pytest.fixture
def fixed_dir() -> Path:
    """A data folder whose path is the same on every run (it shows in the welcome)."""
    path = Path(tempfile.gettempdir()) / "tend-snapshot-data"
    shutil.rmtree(path, ignore_errors=True)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def app_for(path: Path, mode: str = "today", *, welcomed: bool = True) -> TendApp:
    store = Store.open(path)
    if welcomed:
        store.update_settings(welcomed=True)
    return TendApp(store, start_mode=mode)


@pytest.mark.parametrize("mode", MODE_NAMES)
def test_each_screen(snap_compare, fixed_dir: Path, mode: str) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(fixed_dir, mode), terminal_size=SIZE)


def test_first_run_welcome(snap_compare, fixed_dir: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(fixed_dir, welcomed=False), terminal_size=SIZE)


def test_help(snap_compare, fixed_dir: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(fixed_dir), press=["question_mark"], terminal_size=SIZE)
