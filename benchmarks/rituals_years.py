"""The rituals list's reads at 24 years of history against 3 (issue 14).

    python benchmarks/rituals_years.py [--runs 3] [--years 24]

Each run is a scratch copy of a ``make_data.py --years N`` folder and two processes on it,
as two starts of Tend. Each opens the store and works out the list as its first frame does
(``load_lists(progress=False)``: ``tend.json`` alone), then as the list's worker does for
scores and streaks (``app.carried_years.read_lists``), then a refresh after a save
(``lists_from_kept``, the mean of twenty), then the first ritual's detail as its worker reads
it (``app.carried_years.read_detail``, or every entry when what was kept does not hold). The first start has nothing kept from before, so
its worker reads every year (and writes ``history/rituals-carried.json``); the next start's
worker reads this year's file and what was kept. Reported: CPU seconds of each step, the
history files read, and resident memory (VmRSS) after the first frame's read and the peak
(VmHWM) after the worker's. Medians of --runs; the ratios are N years against 3.
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
from app import carried_years
from app.models import Ritual, RitualEntry
from app.rituals import lists_from_kept, load_lists, load_states
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
# The worker's read (screens/rituals/older.py read_lists): what it takes on the event loop,
# then the rest as in its thread
started = time.process_time()
found = carried_years.read_lists(store, store.older_part(RitualEntry), store.all(Ritual),
                                 load_states(store, recent=True), today, archived=False)
full = time.process_time() - started
peak = status("VmHWM")
started = time.process_time()
for _ in range(20):  # a few milliseconds each: the mean of twenty
    assert lists_from_kept(store, today, found.progress) is not None
after = (time.process_time() - started) / 20
# A ritual's detail as its worker reads it (screens/rituals/older.py read_detail): from what
# was kept, or every entry when that does not hold
record = store.all(Ritual)[0]
read_from = []
original = Store.read_older
Store.read_older = lambda self, part, *a: read_from.append(len(part.versions)) or original(self, part, *a)
started = time.process_time()
part = store.older_part(RitualEntry)
view = carried_years.read_detail(store, part, record, load_states(store, recent=True).get(record.id, {}), today)
if view is None:
    docs = store.read_older(part)
    store.select(RitualEntry, lambda doc: doc.get("ritual_id") == record.id, among=docs)
detail = time.process_time() - started
print(json.dumps({"first": first, "rss": rss, "full": full, "files": len(found.files_read), "kept": after,
                  "peak": peak, "detail": detail, "detail_files": read_from[-1], "detail_peak": status("VmHWM")}))
"""


def one_run(folder: Path) -> dict[str, float]:
    done = subprocess.run([PYTHON, "-c", CHILD, str(folder)], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


STEPS = (
    ("first", "first frame's read (tend.json)", "s CPU"),
    ("rss", "resident after it", "MB"),
    ("full", "worker's read", "s CPU"),
    ("files", "history files it read", "files"),
    ("kept", "a refresh after a save", "s CPU"),
    ("peak", "peak resident after the worker", "MB"),
    ("detail", "then a ritual's detail: its read", "s CPU"),
    ("detail_files", "history files it read", "files"),
    ("detail_peak", "peak resident after it", "MB"),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--years", type=int, default=24)
    args = parser.parse_args()
    folders = {3: data_folder(1, years=3), args.years: data_folder(1, years=args.years)}
    got: dict[tuple[int, str], list[dict[str, float]]] = {(y, start): [] for y in folders for start in ("first", "next")}
    for _ in range(args.runs):
        for years, source in folders.items():
            copy = scratch_copy(source, f"rituals-{years}y")
            got[years, "first"].append(one_run(copy))  # nothing kept yet: every year
            got[years, "next"].append(one_run(copy))  # what the first start kept, and this year
    rows = {key: {step: median(run[step] for run in runs) for step in runs[0]} for key, runs in got.items()}
    print(f"medians of {args.runs} runs; {args.years} years against 3")
    for start, title in (("first", "A first start (nothing kept yet)"), ("next", "The next start")):
        print(title)
        base, many = rows[3, start], rows[args.years, start]
        for key, label, unit in STEPS:
            print(f"  {label:<38} {base[key]:8.3f} {many[key]:8.3f} {unit:<6} {many[key] / base[key]:5.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
