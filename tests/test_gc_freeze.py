"""What Tend's start-up builds lives as long as Tend does, so ``tend`` freezes it out of the
cyclic collector's sight after the first frame (a full collection then walks only what came
after). Only the process's one app does: apps sharing a process (the tests) leave it alone."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app import cli
from app.storage import Store
from app.tui import TendApp
from tests.conftest import wait_until


@pytest.fixture(autouse=True)
def nothing_frozen() -> Iterator[None]:
    """Nothing frozen before the test (the run freezes what it built first, tests/conftest.py);
    afterwards, what was frozen before is again (whatever a test froze is collected first)."""
    frozen_before = gc.get_freeze_count()
    gc.unfreeze()
    yield
    gc.unfreeze()
    if frozen_before:
        gc.collect()
        gc.freeze()


async def test_the_process_own_tend_freezes_its_start_up_and_lets_go_when_it_ends(data_dir: Path) -> None:
    store = Store.open(data_dir)
    store.update_settings(welcomed=True)
    app = TendApp(store, owns_process=True)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_until(pilot, lambda: gc.get_freeze_count() > 0), "nothing frozen after the first frame"
        assert gc.get_freeze_count() > 10_000  # the modules, the data and Today, not a handful
    assert gc.get_freeze_count() == 0


async def test_an_app_sharing_its_process_freezes_nothing(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert app.current_mode == "rituals"
        assert gc.get_freeze_count() == 0


def test_tend_on_the_command_line_owns_its_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[TendApp] = []

    def run(app: TendApp, **_: Any) -> None:
        built.append(app)

    monkeypatch.setattr(cli, "terminal_problem", lambda: None)
    monkeypatch.setattr(TendApp, "run", run)
    assert cli.main(["--data", str(tmp_path / "d"), "rituals"]) == 0
    [app] = built
    assert app.owns_process and app.start_mode == "rituals"
