"""How often a screen's start restyles the whole app: calls to ``App.update_styles`` (each
restyles every node) and to ``Stylesheet.apply`` (one node styled), for a start on an empty
folder and four keys (j j k k), headless at 80x24. Counts, not times: they do not move with
the machine's load, so one run says it.

    python benchmarks/restyles.py [today rituals ...] [--root DIR]

``--root`` counts another checkout's code (an older commit's worktree) with this one's
environment, to compare: Tend's footer built its keys compact and then restyled them
(14 whole-app restyles for Today before, 4 after).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path
from unittest import mock


async def count(mode: str) -> tuple[int, int]:
    from textual.app import App
    from textual.css.stylesheet import Stylesheet

    from app.storage import Store
    from app.tui import TendApp

    store = Store.open(Path(tempfile.mkdtemp()) / "d")
    store.update_settings(welcomed=True, starters_offered=True)
    app = TendApp(store, start_mode=mode)
    with (
        mock.patch.object(App, "update_styles", autospec=True, side_effect=App.update_styles) as restyled,
        mock.patch.object(Stylesheet, "apply", autospec=True, side_effect=Stylesheet.apply) as applied,
    ):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("j", "j", "k", "k")
            await pilot.pause()
        return restyled.call_count, applied.call_count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modes", nargs="*", default=["today", "rituals", "colleagues", "breathe", "scan"])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1], help="the checkout to count")
    args = parser.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    print(f"{'screen':<12} {'App.update_styles':>18} {'Stylesheet.apply':>17}   ({args.root})")
    for mode in args.modes:
        restyled, applied = asyncio.run(count(mode))
        print(f"{mode:<12} {restyled:>18} {applied:>17}")


if __name__ == "__main__":
    main()
