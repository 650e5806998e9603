#!/usr/bin/env python3
"""Make the README's pictures: SVG screenshots of Tend at 80x24, from made-up demo data.

    python3 docs/make_pictures.py              # writes docs/pictures/*.svg
    python3 docs/make_pictures.py --out DIR    # somewhere else

Reproducible and private: time is frozen at a Wednesday afternoon (2026-11-25 14:30 UTC,
as in the snapshot tests), the breathing runs on a fake clock, and every picture is taken
from a fresh data folder inside a temporary home made for this run. ``HOME``, the XDG
folders and ``TEND_DATA_DIR`` are pointed there before Tend is imported, so no real data
and no config file of yours is ever read, and nothing of yours is written.

Run it again after a change to how a screen looks, and commit the pictures it makes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SIZE = (80, 24)
PICTURES = ("today", "scan-summary", "breathing", "rituals")
"""The pictures made, each ``<name>.svg``."""


def private_environment(home: Path) -> None:
    """Point every place Tend could look (home, XDG folders, data folder) into ``home``."""
    for name in ("TEND_DATA_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "NO_COLOR"):
        os.environ.pop(name, None)
    os.environ["HOME"] = str(home)
    os.environ["XDG_DATA_HOME"] = str(home / ".local" / "share")
    os.environ["XDG_CONFIG_HOME"] = str(home / ".config")
    os.environ["TEND_ASCII"] = "0"  # the pictures show Unicode, whatever this shell's locale
    os.environ["TZ"] = "UTC"
    time.tzset()


class FakeClock:
    """The monotonic clock the breathing follows, moved by hand."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def take(folder: Path, make: Callable[[Path], Any], before: Callable[[Any, Any], Awaitable[None]] | None = None) -> str:
    """Build an app on ``folder`` with ``make``, run ``before`` on it, return its SVG."""

    async def run() -> str:
        app = make(folder)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            if before is not None:
                await before(app, pilot)
            await pilot.pause()
            return str(app.export_screenshot(title="Tend"))

    return asyncio.run(run())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make the README's pictures from demo data.")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "pictures", help="where the SVGs go")
    args = parser.parse_args(argv)
    out: Path = args.out.absolute()
    with tempfile.TemporaryDirectory(prefix="tend-pictures-") as scratch:
        home = Path(scratch)
        private_environment(home)
        sys.path.insert(0, str(ROOT))
        pictures = make_pictures(home)
    out.mkdir(parents=True, exist_ok=True)
    for name, svg in pictures.items():
        (out / f"{name}.svg").write_text(svg, encoding="utf-8")
        print(f"wrote {out / name}.svg")
    return 0


def make_pictures(home: Path) -> dict[str, str]:
    """Every picture, by name. Imports Tend only now, once the environment is private."""
    import pendulum

    from app.models import BodyScan, Colleague, Contact, Ritual, RitualEntry
    from app.schedule import Schedule, is_due
    from app.storage import Store
    from app.tui import TendApp
    from screens.breathe import BreatheScreen

    now = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")
    created = pendulum.datetime(2026, 6, 1, 9, tz="UTC")
    pendulum.travel_to(now, freeze=True)

    def opened(folder: Path, **settings: Any) -> Store:
        store = Store.open(folder)
        store.update_settings(welcomed=True, starters_offered=True, **settings)
        return store

    def colleagues(store: Store) -> None:
        for name, role, days in [("Ann Okafor", "supervisor", 40), ("Ben Silva", "peer", 20),
                                 ("Cat Nguyen", "mentor", 16), ("Dev Haddad", "peer", 2)]:
            person = store.add(Colleague(name=name, role=role, ideal_days=14, created=created))
            store.add(Contact(colleague_id=person.id, when=now.subtract(days=days)))  # type: ignore[arg-type]  # the id is set once added

    def rituals(store: Store) -> None:
        ann = store.all(Colleague)[0]
        made = [
            store.add(Ritual(name="Supervision with Ann", colleague_ids=[ann.id], created=created,  # type: ignore[list-item]  # set once added
                             schedule=Schedule.on_days("wed", every=2, start=pendulum.date(2026, 6, 3)).to_dict(),
                             note="Bring one case and one question about me.")),
            store.add(Ritual(name="Team check-in", schedule=Schedule.on_days("mon").to_dict(), created=created)),
            store.add(Ritual(name="Message a colleague", schedule=Schedule.every_n_days(7).to_dict(), created=created)),
            store.add(Ritual(name="Walk after clinic", schedule=Schedule.times_per_week(3).to_dict(), created=created)),
            store.add(Ritual(name="Consultation circle", created=created, schedule=Schedule.monthly_on_weekday(1, "thu").to_dict())),
            store.add(Ritual(name="Two quiet minutes", schedule=Schedule.daily().to_dict(), created=created)),
        ]
        chance = random.Random(7)
        for ritual in made:
            schedule = Schedule.from_dict(ritual.schedule)
            history: dict[Any, str] = {}
            day = created.date()
            while day < now.date():
                if is_due(schedule, history, day, since=created.date()) and chance.random() < 0.8:
                    history[day] = chance.choice(["done", "done", "done", "skipped"])
                    store.add(RitualEntry(ritual_id=ritual.id, day=day, status=history[day]))  # type: ignore[arg-type]  # set once added
                day = day.add(days=1)

    def scans(store: Store) -> None:
        for i, days_ago in enumerate([1, 2, 4, 6, 9, 12, 15, 20, 27]):
            store.add(BodyScan(when=now.subtract(days=days_ago).at(12, 15), ratings={
                "jaw": i % 3, "neck": min(3, 3 - i // 3), "chest": 1 + i % 2, "breath": i % 2,
                "sleep": 1 + i % 3, "weight": i % 4, "fog": 1,
            }))

    def today(folder: Path) -> TendApp:
        store = opened(folder)
        colleagues(store)
        rituals(store)
        scans(store)
        return TendApp(store, start_options={"until": "12m"})

    def scan(folder: Path) -> TendApp:
        store = opened(folder)
        colleagues(store)
        scans(store)
        return TendApp(store, start_mode="scan")

    async def rate_every_item(app: Any, pilot: Any) -> None:
        await pilot.press(*"12301230" "2" "10203")

    clock = FakeClock()
    BreatheScreen.clock = clock  # type: ignore[assignment]  # the screen's clock is meant to be replaced (tests do too)

    def breathing(folder: Path) -> TendApp:
        return TendApp(opened(folder), start_mode="breathe", start_options={"pattern": "box", "minutes": 2})

    async def mid_breath(app: Any, pilot: Any) -> None:
        clock.now += 2.6
        app.screen.tick()

    def ritual_list(folder: Path) -> TendApp:
        store = opened(folder)
        colleagues(store)
        rituals(store)
        return TendApp(store, start_mode="rituals")

    try:
        return {
            "today": take(home / "today", today),
            "scan-summary": take(home / "scan", scan, rate_every_item),
            "breathing": take(home / "breathing", breathing, mid_breath),
            "rituals": take(home / "rituals", ritual_list),
        }
    finally:
        pendulum.travel_back()


if __name__ == "__main__":
    sys.exit(main())
