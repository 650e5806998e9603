"""The rituals list's read of every entry at 24 years of history against 3 (issue 14, what is left).

    python benchmarks/rituals_years.py [--runs 3] [--years 24]

Each run is a new process on a scratch copy of a ``make_data.py --years N`` folder. It opens
the store and works out the list as its first frame does (``load_lists(progress=False)``:
``tend.json`` alone), then as the list's worker does for scores and streaks (``older_part``,
``read_older``, ``keep_progress`` for each ritual, the lists from what was kept), then the
read as it was before (``load_lists`` of every entry) without keeping (what every save made on the list cost before the full read kept each
ritual's score and streak), then a refresh after a save as it is now, from ``tend.json`` and
what was kept (``lists_from_kept``, the mean of twenty). Reported: CPU seconds of each step, and resident memory
(VmRSS) after the first frame's read and the peak (VmHWM) after the worker's. Medians of
--runs; the ratios are N years against 3. Nothing here reads a history file for the first
frame; the worker reads all of them, which is what docs/storage.md section 9 says is left.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import PYTHON, ROOT, data_folder, median, scratch_copy

CHILD = """
import json, sys, time
from pathlib import Path
import pendulum
from app.models import RitualEntry
from app.models import Ritual
from app.rituals import keep_progress, lists_from_kept, load_lists, load_states
from app.storage import Store

def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024

store = Store.open(Path(sys.argv[1]))
today = pendulum.today().date()
started = time.process_time()
load_lists(store, today, progress=False)
first = time.process_time() - started
rss = status("VmRSS")
# The worker's full read as it is now (screens/rituals/older.py read_lists): every entry,
# the lists, and what each ritual keeps for the refreshes after it
started = time.process_time()
recent = load_states(store, recent=True)
rituals = store.all(Ritual)
every = load_states(store, among=store.read_older(store.older_part(RitualEntry)))
kept = {r.id: keep_progress(r, every.get(r.id, {}), recent.get(r.id, {}), today) for r in rituals}
assert lists_from_kept(store, today, kept, recent=recent, rituals=rituals, every=every) is not None
full = time.process_time() - started
# what every save made on the list cost before: the same read again, without keeping
started = time.process_time()
load_lists(store, today, among=store.read_older(store.older_part(RitualEntry)))
again = time.process_time() - started
peak = status("VmHWM")
started = time.process_time()
for _ in range(20):  # a few milliseconds each: the mean of twenty
    assert lists_from_kept(store, today, kept) is not None
after = (time.process_time() - started) / 20
print(json.dumps({"first": first, "rss": rss, "full": full, "again": again, "kept": after, "peak": peak}))
"""


def one_run(folder: Path) -> dict[str, float]:
    done = subprocess.run([PYTHON, "-c", CHILD, str(folder)], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--years", type=int, default=24)
    args = parser.parse_args()
    folders = {3: data_folder(1, years=3), args.years: data_folder(1, years=args.years)}
    got: dict[int, list[dict[str, float]]] = {years: [] for years in folders}
    for _ in range(args.runs):
        for years, source in folders.items():
            got[years].append(one_run(scratch_copy(source, f"rituals-{years}y")))
    rows = {years: {key: median(run[key] for run in runs) for key in runs[0]} for years, runs in got.items()}
    base, many = rows[3], rows[args.years]
    print(f"medians of {args.runs} runs; {args.years} years against 3")
    for key, label, unit in (
        ("first", "first frame's read (tend.json)", "s CPU"),
        ("rss", "resident after it", "MB"),
        ("full", "worker: every entry, and what it keeps", "s CPU"),
        ("again", "worker: again (before: each save)", "s CPU"),
        ("kept", "after a save, from what it kept", "s CPU"),
        ("peak", "peak resident after the worker", "MB"),
    ):
        print(f"{label:<40} {base[key]:8.3f} {many[key]:8.3f} {unit:<6} {many[key] / base[key]:5.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
