"""Write a data folder like a heavy user's after a few years (seeded, deterministic).

    python benchmarks/make_data.py --years 3 --data /tmp/tend-heavy [--scale 2]

At ``--years 3 --scale 1``: 40 colleagues with about 2,000 contacts, 12 rituals with about
6,000 entries, about 1,500 body scans, about 2,000 breathing sessions, custom breathing
patterns and message templates. ``--scale N`` multiplies every count. The folder must not
exist yet (or pass ``--force`` to replace it).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

import pendulum

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.models import (  # noqa: E402
    BodyScan,
    BreathingPattern,
    BreathingSession,
    Colleague,
    Contact,
    MessageTemplate,
    Ritual,
    RitualEntry,
)
from app.storage import Store  # noqa: E402

FIRST = ["Ann", "Ben", "Cat", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lin", "Mo", "Nia", "Oli", "Pia", "Raj", "Sol", "Tam", "Uma"]
LAST = ["Okafor", "Nguyen", "Silva", "Kowalski", "Haddad", "Murphy", "Tanaka", "Larsen", "Costa", "Ahmed"]
ROLES = ["peer", "peer", "peer", "supervisor", "mentor", "team", "consultation", "other"]
KINDS = ["message", "call", "walk", "debrief", "supervision", "consultation", "other"]
SCHEDULES = [
    ("Team check-in", {"kind": "weekdays"}),
    ("Debrief after a hard session", {"kind": "times_in_days", "times": 2, "window": 7}),
    ("Supervision", {"kind": "days_of_week", "weekdays": [1], "every": 2}),
    ("Peer consultation circle", {"kind": "monthly_weekday", "weekdays": [3], "nth": 1}),
    ("Check-in message to a colleague", {"kind": "times_per_week", "times": 2}),
    ("Support group", {"kind": "monthly_day", "day": 15}),
    ("Walk at lunch", {"kind": "daily"}),
    ("Journal after the last client", {"kind": "days_of_week", "weekdays": [0, 2, 4], "every": 1}),
    ("Reading group", {"kind": "every_n_days", "every": 10, "anchor": "done"}),
    ("Case review", {"kind": "monthly_weekday", "weekdays": [4], "nth": -1}),
    ("Stretch between sessions", {"kind": "daily"}),
    ("Call a friend outside work", {"kind": "every_n_days", "every": 7, "anchor": "done"}),
]
SCAN_ITEMS = ["jaw", "neck", "chest", "breath", "belly", "hands", "back", "legs", "sleep", "weight", "depletion", "rawness", "fog", "tension"]
SENSATIONS = ["tight", "heavy", "restless", "numb", "buzzing", "warm", "calm"]


def build(store: Store, *, years: float, scale: int, seed: int = 1125) -> dict[str, int]:
    rng = random.Random(seed)
    end = pendulum.now()
    start = end.subtract(days=int(365 * years))
    span = (end - start).total_seconds()
    counts: dict[str, int] = {}

    def moment() -> pendulum.DateTime:
        return start.add(seconds=int(rng.random() * span))

    with store.transaction():
        colleagues = []
        for n in range(40 * scale):
            name = f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST) + n) % len(LAST)]}"
            colleagues.append(
                store.add(
                    Colleague(
                        name=name if n < len(FIRST) * len(LAST) else f"{name} {n}",
                        role=rng.choice(ROLES),
                        reach=[f"07700 9{n:05d}", f"{name.split()[0].lower()}{n}@example.org"],
                        ideal_days=rng.choice([7, 14, 14, 21, 30]),
                        limit_days=rng.choice([None, 30, 45]),
                        notes="Prefers mornings. Good at untangling knotty cases." if n % 3 == 0 else "",
                        tags=rng.sample(["team", "north", "peer group", "CPD", "mentor"], 2),
                        created=start,
                    )
                )
            )
        counts["colleagues"] = len(colleagues)
        for _ in range(int(2000 * years / 3) * scale):
            store.add(Contact(colleague_id=rng.choice(colleagues).id, when=moment(), kind=rng.choice(KINDS), note=rng.choice(["", "", "Talked through a hard week."])))
        counts["contacts"] = int(2000 * years / 3) * scale

        rituals = []
        for n in range(12 * scale):
            name, schedule = SCHEDULES[n % len(SCHEDULES)]
            linked = [rng.choice(colleagues).id] if "Supervision" in name or "circle" in name else []
            rituals.append(store.add(Ritual(name=name if n < len(SCHEDULES) else f"{name} ({n})", schedule=schedule, colleague_ids=linked, created=start)))
        counts["rituals"] = len(rituals)
        days = int(365 * years)
        entries = 0
        target = int(6000 * years / 3) * scale
        for ritual in rituals:
            taken: set[int] = set()
            share = target // len(rituals)
            while len(taken) < min(share, days):
                taken.add(rng.randrange(days))
            for offset in sorted(taken):
                store.add(RitualEntry(ritual_id=ritual.id, day=start.add(days=offset).date(), status="skipped" if rng.random() < 0.08 else "done", created=start.add(days=offset)))
                entries += 1
        counts["ritual_entries"] = entries

        for _ in range(int(1500 * years / 3) * scale):
            ratings = {key: rng.choice([0, 0, 1, 1, 2, 3]) for key in SCAN_ITEMS if rng.random() < 0.9}
            store.add(BodyScan(when=moment(), mode=rng.choice(["quick", "quick", "guided"]), ratings=ratings, sensations={"neck": rng.sample(SENSATIONS, 2)}, notes={"jaw": "clenched after the 2pm"} if rng.random() < 0.1 else {}))
        counts["scans"] = int(1500 * years / 3) * scale

        for _ in range(int(2000 * years / 3) * scale):
            completed = rng.random() < 0.85
            planned = rng.choice([60.0, 120.0, 180.0, 300.0])
            store.add(BreathingSession(when=moment(), pattern=rng.choice(["box", "478", "coherent", "sigh", "extended"]), pattern_name="", planned_seconds=planned, actual_seconds=planned if completed else planned * rng.random(), cycles_planned=8, cycles_done=8 if completed else rng.randrange(8), completed=completed))
        counts["breathing"] = int(2000 * years / 3) * scale

        for n in range(5 * scale):
            store.add(BreathingPattern(name=f"My pattern {n + 1}", phases=[["inhale", 4.0], ["hold", 2.0], ["exhale", 6.0 + n % 3], ["hold", 0.0]]))
            store.add(MessageTemplate(name=f"My note {n + 1}", text="Hi {name}, thinking of you after this week. Walk on Friday?"))
        counts["patterns"] = counts["templates"] = 5 * scale
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="the data folder to create")
    parser.add_argument("--years", type=float, default=3)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="replace the folder if it exists")
    args = parser.parse_args(argv)
    folder = Path(args.data)
    if folder.exists():
        if not args.force:
            print(f"{folder} exists; pass --force to replace it.", file=sys.stderr)
            return 2
        shutil.rmtree(folder)
    store = Store.open(folder)
    store.update_settings(welcomed=True)
    counts = build(store, years=args.years, scale=args.scale)
    moved = store.roll_over()  # as Tend's first start would: older records to their yearly files
    size = store.paths.database.stat().st_size
    history = sum(p.stat().st_size for p in store.history_dir.glob("*.json")) if store.history_dir.exists() else 0
    print(
        ", ".join(f"{k} {v}" for k, v in counts.items())
        + f"; {size / 1e6:.1f} MB in {store.paths.database}, {moved} older records ({history / 1e6:.1f} MB) in {store.history_dir}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
