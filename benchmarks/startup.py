"""Cold start and peak memory: Tend's Today with three years of data vs a bare Textual app.

    python benchmarks/startup.py [--runs 7] [--scale 1]

Both run in a real pty at 80x24; the time is from process start until the footer of the
first frame has been written (Tend's first frame already shows the data: rituals due,
colleagues, the last scan). Peak RSS (VmHWM) is read 0.3 s later. Runs take turns (Tend, an
empty-folder Tend, the bare app) so that noise on the machine falls on all of them; each
figure is the median of --runs runs after a warm-up.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Figure, bare_cmd, data_folder, empty_folder, first_frame, interleaved, median, ratio_figure, table, tend_cmd  # noqa: E402

TIME_TARGET = 1.15
MEMORY_TARGET = 1.30


def measure(runs: int, data: Path, empty: Path) -> dict[str, tuple[float, float]]:
    """Median (seconds, peak kB) for Tend with data, Tend with an empty folder, the bare app."""
    results = interleaved(
        runs,
        {
            "tend": lambda: first_frame(tend_cmd("--data", str(data))),
            "empty": lambda: first_frame(tend_cmd("--data", str(empty))),
            "bare": lambda: first_frame(bare_cmd()),
        },
    )
    return {name: (median(r[0] for r in rs), median(r[1] for r in rs)) for name, rs in results.items()}


def figures(runs: int, data: Path | None = None) -> list[Figure]:
    data = data or data_folder(1)
    got = measure(runs, data, empty_folder("startup-empty"))
    (t_time, t_rss), (e_time, e_rss), (b_time, b_rss) = got["tend"], got["empty"], got["bare"]
    return [
        ratio_figure("cold start to first frame, 3y (s)", t_time, b_time, TIME_TARGET),
        ratio_figure("peak memory at start, 3y (MB)", t_rss / 1024, b_rss / 1024, MEMORY_TARGET, "{:.1f}"),
        Figure("  same, empty folder (s / MB)", f"{e_time:.3f} / {e_rss / 1024:.1f}", f"{b_time:.3f} / {b_rss / 1024:.1f}", e_time / b_time, "(for reference)", None),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scale", type=int, default=1, help="data set size (make_data.py --scale)")
    args = parser.parse_args()
    print(table(figures(args.runs, data_folder(args.scale))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
