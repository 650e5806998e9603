"""Rituals with older history (issue 14): the list and a ritual's heatmap at make_data.py --scale 8.

    python benchmarks/rituals_history.py [--runs 5] [--scale 8]

Driven with the Pilot (headless, 80x24) in this process, a new app on a fresh copy of the
3-year folder each run (so no history file is cached). Each time is when the screen's draw
method returned (``refresh_data``, ``refresh_view``; the terminal gets it at the next
refresh): the rituals list's first frame after the app starts (the scores still a quiet
mark), then until every score and streak is in (a worker reads the history files,
screens/rituals/older.py); then from enter on the first ritual: its detail's first frame
(target: <= 0.5 s at x8) and until the heatmap's older weeks are in. Medians of --runs after
a warm-up.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _measure import data_folder, median, scratch_copy

TARGET = 0.5
"""Seconds from enter to the detail's first frame at x8."""


async def one_run(folder: Path) -> tuple[float, float, float, float]:
    """(list drawn after the app starts, scores in after that, detail drawn after enter,
    older weeks in after enter), in seconds: when each draw method returned."""
    from app.storage import Store
    from app.tui import TendApp
    from screens.rituals import RitualDetail, RitualsScreen

    drawn: dict[str, float] = {}
    originals = {(cls, name): getattr(cls, name) for cls, name in ((RitualsScreen, "refresh_data"), (RitualDetail, "refresh_view"))}

    def timed(cls: type, method: str, label: str, whole: Callable[[Any], bool]) -> None:
        original = originals[(cls, method)]

        def wrapper(self: Any) -> None:
            original(self)
            now = time.perf_counter()
            drawn.setdefault(label, now)
            if whole(self):
                drawn.setdefault(label + " whole", now)

        setattr(cls, method, wrapper)

    timed(RitualsScreen, "refresh_data", "list", lambda screen: not screen.waiting)
    timed(RitualDetail, "refresh_view", "detail", lambda screen: screen.known_from is None)
    try:
        store = Store.open(folder)
        store.update_settings(welcomed=True, starters_offered=True)
        app = TendApp(store, start_mode="rituals", start_options={}, owns_process=True)  # as `tend` runs it
        started = time.perf_counter()
        async with app.run_test(size=(80, 24)) as pilot:
            while "list whole" not in drawn:
                await pilot.pause()
            pressed = time.perf_counter()
            await pilot.press("enter")
            while "detail whole" not in drawn:
                await pilot.pause()
    finally:
        for (cls, name), original in originals.items():
            setattr(cls, name, original)
    return (drawn["list"] - started, drawn["list whole"] - drawn["list"],
            drawn["detail"] - pressed, drawn["detail whole"] - pressed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=8)
    args = parser.parse_args()
    source = data_folder(args.scale)
    got = []
    for run in range(args.runs + 1):
        figures = asyncio.run(one_run(scratch_copy(source, "rituals-history")))
        if run:  # the first is a warm-up
            got.append(figures)
    listed, scored, opened, filled = (median(column) for column in zip(*got, strict=True))
    print(f"x{args.scale}, medians of {args.runs} runs (s)")
    print(f"rituals list: drawn {listed:.3f} after the app starts, scores and streaks {scored:.3f} after that")
    print(f"a ritual's detail: drawn {opened:.3f} after enter (target <= {TARGET}), older weeks {filled:.3f} after enter")
    return 0 if opened <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
