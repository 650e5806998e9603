"""What Tend's start-up builds lives as long as Tend does, so it is frozen out of the cyclic
collector's sight after the first frame (a full collection then walks only what came after),
and let go when Tend ends. ``tend`` collects the garbage of start-up first; apps sharing a
process (the tests) do not, as that collection would walk everything the process ever made."""

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


@pytest.fixture
def collections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Full collections asked for by name (``gc.collect()``) while the test runs."""
    asked: list[int] = []
    collect = gc.collect

    def counted(generation: int = 2) -> int:
        asked.append(generation)
        return collect(generation)

    gc.unfreeze()
    monkeypatch.setattr(gc, "collect", counted)
    yield asked
    gc.unfreeze()


@pytest.mark.parametrize("owns_process", [True, False])
async def test_start_up_is_frozen_after_the_first_frame_and_let_go_at_the_end(
    data_dir: Path, collections: list[int], owns_process: bool
) -> None:
    store = Store.open(data_dir)
    store.update_settings(welcomed=True)
    app = TendApp(store, owns_process=owns_process)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_until(pilot, lambda: gc.get_freeze_count() > 0), "nothing frozen after the first frame"
        assert gc.get_freeze_count() > 10_000  # the modules, the data and Today, not a handful
        await pilot.press("r")
        await pilot.pause()
        assert app.current_mode == "rituals"
    assert gc.get_freeze_count() == 0
    assert collections == ([2] if owns_process else [])


def test_tend_on_the_command_line_owns_its_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[TendApp] = []

    def run(app: TendApp, **_: Any) -> None:
        built.append(app)

    monkeypatch.setattr(cli, "terminal_problem", lambda *_: None)
    monkeypatch.setattr(TendApp, "run", run)
    try:
        assert cli.main(["--data", str(tmp_path / "d"), "rituals"]) == 0
    finally:
        gc.unfreeze()  # the command line freezes its imports before the app is built
    [app] = built
    assert app.owns_process and app.start_mode == "rituals"
