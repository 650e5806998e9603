"""Save: mark a ritual done (app.rituals.mark_ritual) with the 3-year data vs the storage floor.

    python benchmarks/save.py [--runs 9] [--scale 1]

The floor is what the storage design cannot avoid: ``orjson.dumps`` of the same data, write,
fsync and ``os.replace`` in the same folder. Tend's save does that too (plus an fsync of the
folder, so the rename itself survives a crash), and on top of it takes the lock, checks the
file has not changed, finds the ritual and the day's entry, adds the entry and the contacts
of linked colleagues and cleans their text.

The store is warm, as in the running app: it has shown Today (every kind of record read
once) before the first save. Each timed mark is followed, untimed, by its undo and by the
re-read Today does after a save. Runs alternate with the floor; medians after a warm-up.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Figure, data_folder, interleaved, median, ratio_figure, scratch_copy, table  # noqa: E402

TARGET = 1.5


def _warm(store) -> None:  # type: ignore[no-untyped-def]
    """Read what Today reads, as the running app has done before anyone saves."""
    import pendulum

    from app.models import Colleague
    from app.people import latest_contacts
    from app.rituals import load_views
    from app.today import glance_scans

    store.all(Colleague)
    latest_contacts(store)
    load_views(store, pendulum.today().date(), progress=False)
    glance_scans(store, pendulum.now())


def floor_once(folder: Path, *, folder_fsync: bool = False) -> float:
    """orjson.dumps of the whole data + write + fsync + os.replace, in the data folder
    (``folder_fsync``: and an fsync of the folder, which durability needs after a rename)."""
    import orjson

    from app.storage import fsync_dir, read_bytes_nofollow

    data = orjson.loads(read_bytes_nofollow(folder / "tend.json"))
    target = folder / "floor.json"
    start = time.perf_counter()
    raw = orjson.dumps(data)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".floor-")
    try:
        os.write(fd, raw)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, target)
    if folder_fsync:
        fsync_dir(folder)
    took = time.perf_counter() - start
    os.unlink(target)
    return took


class Marker:
    """Marks rituals done on days in the future (never marked before), one per call."""

    def __init__(self, folder: Path) -> None:
        import pendulum

        from app.models import Ritual
        from app.storage import Store

        self.store = Store.open(folder)
        _warm(self.store)
        rituals = [r for r in self.store.all(Ritual) if not r.archived]
        # A ritual linked to a colleague, so the save also logs a contact (the full path).
        linked = [r for r in rituals if r.colleague_ids] or rituals
        self.ritual_id = linked[0].id or 0
        self.day = pendulum.today().date().add(years=1)

    def __call__(self) -> float:
        from app.rituals import mark_ritual

        self.day = self.day.add(days=1)
        start = time.perf_counter()
        marked = mark_ritual(self.store, self.ritual_id, self.day, "done")
        took = time.perf_counter() - start
        assert marked is not None and marked.contacts
        marked.undo(self.store)
        _warm(self.store)
        return took


def measure(runs: int, folder: Path, *, folder_fsync: bool = False) -> tuple[float, ...]:
    """Median seconds of (a mark, the floor[, the floor with the folder's fsync]) on a
    scratch copy of ``folder``."""
    work = scratch_copy(folder, f"save-{folder.name}")
    mark = Marker(work)
    measures = {"tend": mark, "floor": lambda: floor_once(work)}
    if folder_fsync:
        measures["durable"] = lambda: floor_once(work, folder_fsync=True)
    results = interleaved(runs, measures, warmup=2)
    return tuple(median(values) for values in results.values())


def figures(runs: int, data: Path | None = None) -> list[Figure]:
    tend, floor, durable = measure(runs, data or data_folder(1), folder_fsync=True)
    return [
        ratio_figure("save: mark a ritual done, 3y (ms)", tend * 1000, floor * 1000, TARGET, "{:.1f}"),
        Figure("  vs floor + fsync of the folder (ms)", f"{tend * 1000:.1f}", f"{durable * 1000:.1f}", tend / durable, "(for reference)", None),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    print(table(figures(args.runs, data_folder(args.scale))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
