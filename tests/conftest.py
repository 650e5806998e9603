"""Shared fixtures: a private data folder per test, the app around it, frozen time."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest

os.environ.setdefault("TZ", "UTC")
os.environ.pop("NO_COLOR", None)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
HOSTILE_FALLBACK = [
    "Bob [/]",
    "notes [/",
    "[bold]Ann[/bold]",
    "[@click=app.quit]click me[/]",
    "\x1b[2J\x1b[H cleared?",
    "\x1b]0;owned title\x07",
    "\x1b]52;c;aGVsbG8=\x07",
    "abc\u202egnp.exe",
    "{name} {0} %s %(name)s $name ${name}",
]


VENDORED = Path(__file__).resolve().parent / "hostile-strings.json"
"""A copy of the shared list kept with the tests, so a worktree or CI checkout (where
shared/ is not beside the repository) still tests every string, not only the fallback."""


def load_hostile_strings() -> list[str]:
    """The shared list of nasty inputs (our copy of it when shared/ is not beside us)."""
    for path in (SHARED / "hostile-strings.json", VENDORED):
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
    return list(HOSTILE_FALLBACK)


HOSTILE = load_hostile_strings()


WORKERS_PER_CORE = 2
"""Workers for ``-n auto``, per core. A third of a worker's time is spent waiting on real time
(a pty's output, a lock another process holds, a signal's three seconds), so one worker per
core left the cores idle that long: on 2 cores the whole suite took 601 s with 2 workers,
476 s with 3 and 435 s with 4 (CPU 136%, 170%, 185%). Tests that promise a time share one
worker (``xdist_group("timed")``), so they still never run beside each other."""


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto`` (the default, in pyproject.toml) means :data:`WORKERS_PER_CORE` workers per
    core (``PYTEST_XDIST_AUTO_NUM_WORKERS`` still sets a number), except:

    * for one test file (``pytest tests/test_x.py -k ...``), which starts faster without
      workers (pass ``-n 2`` to spread a heavy one);
    * with ``--snapshot-update``: syrupy finds and removes snapshots no test uses only in a
      serial run."""
    if config.getoption("--snapshot-update", default=False):
        return 0
    files = {arg.split("::")[0] for arg in config.args}
    if len(files) == 1 and Path(next(iter(files))).is_file():
        return 0
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    return WORKERS_PER_CORE * len(os.sched_getaffinity(0))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The heavy tests (marked ``slow``) first, the rest in their usual order after them: a
    worker handed a 30-second test near the end kept the run going while the others sat idle."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path):  # type: ignore[no-untyped-def]
    from app.storage import Store

    return Store.open(data_dir)


@pytest.fixture
def make_app(data_dir: Path) -> Callable[..., Any]:
    """Build a TendApp on the test's data folder. ``welcomed=False`` shows the first-run welcome;
    command-line options as ``options=StartOptions(...)`` or as its fields (``pattern="box"``)."""
    from app.storage import Store
    from app.tui import TendApp

    def build(mode: str = "today", *, welcomed: bool = True, options: Any = None, **fields: Any) -> TendApp:
        """``options``: a StartOptions (as ``app.cli.start_options`` makes); or its fields."""
        store = Store.open(data_dir)
        if welcomed and not store.settings().welcomed:
            store.update_settings(welcomed=True)
        return TendApp(store, start_mode=mode, start_options=options if options is not None else fields)

    return build


@pytest.fixture
def frozen() -> Iterator[pendulum.DateTime]:
    """Freeze time at a fixed Wednesday afternoon (UTC)."""
    moment = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")
    pendulum.travel_to(moment, freeze=True)
    try:
        yield moment
    finally:
        pendulum.travel_back()


async def wait_until(pilot: Any, condition: Callable[[], object], tries: int = 200) -> bool:
    """Let the app work (``pilot.pause()``: no sleeping, no clock) until ``condition()`` holds,
    at most ``tries`` pauses. One pause is enough on an idle machine; on a busy one (the suite
    runs on every core) a screen opened after a refresh may need a few more."""
    for _ in range(tries):
        if condition():
            return True
        await pilot.pause()
    return bool(condition())


def waiting_line_shown(app: Any) -> bool:
    """Whether the app shows the line that waits for another Tend's save (its lock)."""
    from screens.lockwait import LockWaitScreen

    return isinstance(app.screen, LockWaitScreen)
