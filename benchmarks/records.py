"""The record layer's share of the work (issue 14: "where a maintained library makes the
record layer simpler and faster ... msgspec Structs, for one, measure it and take it").

    python benchmarks/records.py [--runs 5] [--scales 1 8]

Before swapping ``app.models`` (its generated loaders and converters) for another library,
this measures the most any record layer could save: the time spent turning stored
documents into records (``app.models.load_record``, every route the store and the doctor
take) as a share of the whole, for

* **start**: a cold Tend in a new process, headless at 80x24, its first screen (Today)
  settled, then exit; the process's own clock from its first line;
* **rituals read**: the rituals list's read of every entry, old years included (what its
  worker does after the first frame, ``screens.rituals.older.read_lists``), in the same
  process, files cached.

Each figure is a median share (a ratio measured in one run), at ``make_data.py --years 3
--scale N``. A library that loaded records for nothing would take that share off, no more.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import PYTHON, Figure, child_env, data_folder, interleaved, median, scratch_copy, table

CHILD = r"""
import json, sys, time
started = time.perf_counter()
import app.models as models

spent = [0.0, 0]
real = models.load_record


def timed(*args, **kwargs):
    began = time.perf_counter()
    try:
        return real(*args, **kwargs)
    finally:
        spent[0] += time.perf_counter() - began
        spent[1] += 1


models.load_record = timed
import app.doctor, app.storage
app.storage.load_record = app.doctor.load_record = timed

import pendulum
from app.storage import Store
from app.tui import TendApp


async def settle(pilot):
    await pilot.pause()
    pilot.app.exit()


TendApp(Store.open(sys.argv[1]), owns_process=True).run(headless=True, size=(80, 24), auto_pilot=settle)
start, start_records, start_count = time.perf_counter() - started, spent[0], spent[1]

from screens.rituals.older import read_lists

spent[0] = 0.0
began = time.perf_counter()
read_lists(Store.open(sys.argv[1]), pendulum.today().date(), False)()
lists = time.perf_counter() - began
print(json.dumps({"start": start, "start_records": start_records, "count": start_count,
                  "lists": lists, "lists_records": spent[0]}))
"""


def measure(folder: Path) -> dict[str, float]:
    done = subprocess.run([PYTHON, "-c", CHILD, str(folder)], env=child_env(), capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 8])
    args = parser.parse_args()
    folders = {scale: scratch_copy(data_folder(scale), f"records-x{scale}") for scale in args.scales}
    results = interleaved(args.runs, {str(scale): (lambda f=folder: measure(f)) for scale, folder in folders.items()})
    figures: list[Figure] = []
    for scale in args.scales:
        runs = results[str(scale)]
        start = median(r["start"] for r in runs)
        share = median(r["start_records"] / r["start"] for r in runs)
        count = int(median(r["count"] for r in runs))
        figures.append(Figure(f"x{scale} start: loading {count} records", f"{share:.1%}", f"{start:.3f} s", None, "-", None))
        lists = median(r["lists"] for r in runs)
        lists_share = median(r["lists_records"] / r["lists"] for r in runs)
        figures.append(Figure(f"x{scale} rituals read: loading records", f"{lists_share:.1%}", f"{lists:.3f} s", None, "-", None))
    print("share of the whole spent loading records (Tend column) / the whole (baseline column)")
    print(table(figures))


if __name__ == "__main__":
    main()
