"""Scale: cold start and save with make_data.py --scale 1, 2, 4, 8 (3 years each).

    python benchmarks/scale.py [--runs 5] [--scales 1 2 4 8]

For each scale: the cold start to Today's first frame (real pty, as startup.py) and a save
(mark a ritual done, as save.py, with its floor). How each grows with the data file is the
exponent k of the best fit time = c * size^k over all the scales: the target is k <= 1 (no
faster than the file). The "data part" of the cold start (minus the start with an empty
folder) is shown beside it in milliseconds for each scale: at x1 it is within the noise of
zero (Today reads only what it shows), so an exponent fitted to it would mean nothing.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import save  # noqa: E402
from _measure import Figure, data_folder, empty_folder, file_size, first_frame, interleaved, median, table, tend_cmd  # noqa: E402

SCALES = (1, 2, 4, 8)


def figures(runs: int, scales: tuple[int, ...] = SCALES) -> list[Figure]:
    folders = {n: data_folder(n) for n in scales}
    sizes = {n: file_size(folder) for n, folder in folders.items()}
    empty = empty_folder("scale-empty")
    starts = {f"x{n}": (lambda f=folder: first_frame(tend_cmd("--data", str(f)))[0]) for n, folder in folders.items()}
    starts["empty"] = lambda: first_frame(tend_cmd("--data", str(empty)))[0]
    start = {name: median(values) for name, values in interleaved(runs, starts).items()}
    saves = {n: save.measure(max(3 * runs, 11), folder) for n, folder in folders.items()}

    rows = []
    for n in scales:
        tend, floor = saves[n]
        rows.append(
            Figure(
                f"scale x{n} ({sizes[n] / 1e6:.1f} MB): start s, save ms",
                f"{start[f'x{n}']:.3f}, {tend * 1000:.1f}",
                f"floor {floor * 1000:.1f}",
                tend / floor,
                "(save/floor)",
                None,
            )
        )
    size_list = [sizes[n] for n in scales]
    start_k = growth([start[f"x{n}"] for n in scales], size_list)
    data_ms = "/".join(f"{1000 * (start[f'x{n}'] - start['empty']):.0f}" for n in scales)
    save_k = growth([saves[n][0] for n in scales], size_list)
    floor_k = growth([saves[n][1] for n in scales], size_list)
    rows.append(Figure("scale: cold start grows as size^k", f"k={start_k:.2f}", f"data part ms {data_ms}", None, "k <= 1.00", start_k <= 1.0))
    rows.append(Figure("scale: save grows as size^k", f"k={save_k:.2f}", f"floor k={floor_k:.2f}", None, "k <= 1.00", save_k <= 1.0))
    return rows


def growth(values: list[float], sizes: list[int]) -> float:
    """The exponent k of the best fit ``value = c * size ** k`` (least squares on logs).

    k = 1 grows as fast as the file, k < 1 slower; one number from all the scales is steadier
    than any single ratio on a noisy machine.
    """
    xs = [math.log(size) for size in sizes]
    ys = [math.log(max(value, 1e-9)) for value in values]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / spread if spread else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scales", type=int, nargs="+", default=list(SCALES))
    args = parser.parse_args()
    print(table(figures(args.runs, tuple(args.scales))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
