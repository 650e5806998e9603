"""Today's refresh (``TodayScreen.refresh_data``): its CPU time at ``make_data.py --years 3
--scale 1`` and ``--scale 8`` (8 times the rituals and colleagues), and what it shows.

    python benchmarks/today_refresh.py [--runs 5] [--refreshes 15] [--scales 1 8] [--data-1 DIR --data-8 DIR]

Each run is a new process, headless at 80x24, on a scratch copy of the folder; once Today
has drawn its first frame it times (``time.process_time``, so CPU, not the wall clock):

* **first**: the refresh behind that first frame (the store read and parsed just before);
* **refresh**: ``refresh_data()`` again, nothing changed, the store warm (every showing of
  the screen);
* **saved**: ``refresh_data()`` after a ritual due was marked done (through
  ``app.rituals.mark_ritual``, as space on Today does; undone, untimed, before the next);
* **reread**: ``refresh_data()`` after ``tend.json`` changed on disk (another Tend saved),
  so the store parses it again.

Figures are medians over the runs (refresh, saved and reread: the median of each run's medians).
``shows`` is a digest of the rows Today shows (rituals due, colleagues, the last scan but
its "N minutes ago", which moves with the clock): the same digest before and after a change
to the code, on the same folder and day, means the same screen.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import PYTHON, child_env, data_folder, interleaved, median, scratch_copy

CHILD = r"""
import hashlib, json, os, statistics, sys, time
import pendulum
from app.rituals import mark_ritual
from app.storage import Store
from app.tui import TendApp
import screens.today as today

folder, refreshes = sys.argv[1], int(sys.argv[2])
first = []
real = today.TodayScreen.refresh_data


def timed(self):
    began = time.process_time()
    real(self)
    first.append(time.process_time() - began)


today.TodayScreen.refresh_data = timed
out = {}


async def settle(pilot):
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, today.TodayScreen), screen
    warm, reread = [], []
    for _ in range(refreshes):
        began = time.process_time()
        real(screen)
        warm.append(time.process_time() - began)
    store = screen.tend.store
    day = pendulum.today().date()
    saved = []
    for index in range(refreshes):
        ritual = screen._rituals[index % len(screen._rituals)] if screen._rituals else None
        marked = mark_ritual(store, ritual.id, day, "done") if ritual else None
        began = time.process_time()
        real(screen)
        saved.append(time.process_time() - began)
        if marked is not None:
            marked.undo(store)
        real(screen)
    data = os.path.join(folder, "tend.json")
    for index in range(refreshes):
        stamp = time.time_ns() + 1_000_000 * (index + 1)
        os.utime(data, ns=(stamp, stamp))
        began = time.process_time()
        real(screen)
        reread.append(time.process_time() - began)
    rows = [
        [prompt.plain for prompt in screen.query_one(f"#today-{name}", today.Section).prompts]
        for name in ("rituals", "people", "scan")
    ]
    rows[2] = [row.split("—", 1)[-1] for row in rows[2]]  # not "N minutes ago": it moves with the clock
    out.update(
        first=first[0],
        refresh=statistics.median(warm),
        saved=statistics.median(saved),
        reread=statistics.median(reread),
        shows=hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:12],
        due=len(rows[0]),
    )
    pilot.app.exit()


TendApp(Store.open(folder), owns_process=True).run(headless=True, size=(80, 24), auto_pilot=settle)
print(json.dumps(out))
"""


def measure(source: Path, scale: int, refreshes: int) -> dict[str, float | str]:
    folder = scratch_copy(source, f"today-refresh-x{scale}")
    done = subprocess.run(
        [PYTHON, "-c", CHILD, str(folder), str(refreshes)], env=child_env(), capture_output=True, text=True, check=True
    )
    result: dict[str, float | str] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--refreshes", type=int, default=15)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--data-1", type=Path, help="a make_data.py --scale 1 folder (else one is made)")
    parser.add_argument("--data-8", type=Path, help="a make_data.py --scale 8 folder (else one is made)")
    args = parser.parse_args()
    given = {1: args.data_1, 8: args.data_8}
    folders = {scale: given.get(scale) or data_folder(scale) for scale in args.scales}
    results = interleaved(args.runs, {f"x{s}": (lambda s=s: measure(folders[s], s, args.refreshes)) for s in args.scales})
    print(f"{'scale':5}  {'first ms':>8}  {'refresh ms':>10}  {'saved ms':>8}  {'reread ms':>9}  {'due':>3}  shows")
    for name, runs in results.items():
        digests = sorted({str(r["shows"]) for r in runs})
        print(
            f"{name:5}  {1000 * median(float(r['first']) for r in runs):8.2f}  {1000 * median(float(r['refresh']) for r in runs):10.2f}"
            f"  {1000 * median(float(r['saved']) for r in runs):8.2f}"
            f"  {1000 * median(float(r['reread']) for r in runs):9.2f}  {runs[0]['due']:>3}  {' '.join(digests)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
