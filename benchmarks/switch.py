"""Screen switch: Today -> Rituals -> Colleagues -> Body scan history, 3-year data vs an empty folder.

    python benchmarks/switch.py [--runs 7]

Driven with the Pilot (headless, 80x24) in this process. Each run builds a new app on its
folder (so every screen is built and filled for the first time, as after a start), waits
until Today is drawn, then times the three switches: ``r``, ``c``, ``s`` followed by the
scan screen's history (what ``h`` shows; the key itself only works from a scan's summary).
Keys are sent as the terminal driver sends them; after each step the time includes handling
every message the switch caused and drawing the new screen (layout and render of the
compositor), but no idle wait. The empty folder has
settings only (welcomed, starters already offered), so both runs show the same screens.
The second figure runs the same switches on the 3-year data with Textual's own stylesheet
put back, against Tend's ``KeptStylesheet``, which parses only each new screen's CSS.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Figure, data_folder, empty_folder, interleaved, median, ratio_figure, table  # noqa: E402

TARGET = 1.30


async def _settle(pilot, done=lambda: True) -> None:  # type: ignore[no-untyped-def]
    """Until ``done()``, handle every pending message (handlers post more); then draw a frame.

    No idle waits: the Pilot's own key presses wait until the CPU has been quiet for 20 ms,
    which would add a constant (and noisy) delay to both sides of the ratio.
    """
    for _ in range(10_000):
        await pilot._wait_for_screen()
        if done():
            break
        await asyncio.sleep(0)
    for _ in range(3):  # what the new screen's handlers posted in turn
        await pilot._wait_for_screen()
    pilot.app.screen._on_timer_update()  # what the screen's refresh timer does: layout + render


async def _press(pilot, key: str, mode: str) -> None:  # type: ignore[no-untyped-def]
    """Send ``key`` as a terminal would, and wait until ``mode``'s screen is shown and filled."""
    from textual import events

    app = pilot.app
    event = events.Key(key, key)
    event.set_sender(app)
    app._driver.send_message(event)
    await _settle(pilot, lambda: app.current_mode == mode and app.screen.is_mounted)


async def _switch_once(folder: Path, *, textuals_stylesheet: bool = False) -> float:
    from app.tui import TendApp

    app = TendApp.open(folder, owns_process=True)  # as `tend` runs it: frozen after the first frame
    if textuals_stylesheet:  # the baseline of the stylesheet figure: what Tend kept before KeptStylesheet
        from textual.css.stylesheet import Stylesheet

        app.stylesheet = Stylesheet(variables=app.get_css_variables())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        start = time.perf_counter()
        await _press(pilot, "r", "rituals")
        await _press(pilot, "c", "colleagues")
        await _press(pilot, "s", "scan")
        app.screen.show_history()  # type: ignore[attr-defined]
        await _settle(pilot)
        took = time.perf_counter() - start
        assert app.screen.query_one("#history-list").display
    return took


def switch_once(folder: Path, *, textuals_stylesheet: bool = False) -> float:
    return asyncio.run(_switch_once(folder, textuals_stylesheet=textuals_stylesheet))


STYLESHEET_TARGET = 0.90
"""KeptStylesheet (app/tui.py) against Textual's own on the same switches: it exists to make
first visits cheaper, so it must, by a margin the noise of one run does not hide."""


def figures(runs: int, data: Path | None = None) -> list[Figure]:
    data = data or data_folder(1)
    empty = empty_folder("switch-empty")
    results = interleaved(runs, {
        "tend": lambda: switch_once(data),
        "empty": lambda: switch_once(empty),
        "textual": lambda: switch_once(data, textuals_stylesheet=True),
    })  # fmt: skip
    return [
        ratio_figure("screen switch x3, 3y vs empty (s)", median(results["tend"]), median(results["empty"]), TARGET),
        ratio_figure("  kept vs Textual's stylesheet (s)", median(results["tend"]), median(results["textual"]), STYLESHEET_TARGET),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(table(figures(args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
