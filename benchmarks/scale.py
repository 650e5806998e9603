"""Scale: cold start and save with make_data.py --scale 1, 2, 4, 8 (3 years each).

    python benchmarks/scale.py [--runs 5] [--scales 1 2 4 8]

For each scale: the cold start to Today's first frame (real pty, as startup.py) and a save
(mark a ritual done, as save.py, with its floor). Each is compared with scale 1; the target
is to grow no faster than the data file. The "data part" of the cold start (minus the start
with an empty folder) is shown for reference: it is the part that depends on the data.
"""

from __future__ import annotations

import argparse
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
    saves = {n: save.measure(max(runs, 5), folder) for n, folder in folders.items()}

    base = scales[0]
    rows = [
        Figure(
            f"scale x{base}: {sizes[base] / 1e6:.1f} MB file",
            f"start {start[f'x{base}']:.3f} s, save {saves[base][0] * 1000:.1f} ms",
            f"floor {saves[base][1] * 1000:.1f} ms",
            saves[base][0] / saves[base][1],
            "(save/floor)",
            None,
        )
    ]
    data_base = start[f"x{base}"] - start["empty"]
    for n in scales[1:]:
        grow = sizes[n] / sizes[base]
        t = start[f"x{n}"]
        ratio = t / start[f"x{base}"]
        data_part = (t - start["empty"]) / data_base if data_base > 0 else float("nan")
        rows.append(
            Figure(f"scale x{n}: cold start (s), data part {data_part:.1f}x", f"{t:.3f}", f"{start[f'x{base}']:.3f}", ratio, f"<= {grow:.2f}x (file)", ratio <= grow)
        )
        tend, floor = saves[n]
        ratio = tend / saves[base][0]
        rows.append(
            Figure(f"scale x{n}: save (ms), {tend / floor:.2f}x its floor", f"{tend * 1000:.1f}", f"{saves[base][0] * 1000:.1f}", ratio, f"<= {grow:.2f}x (file)", ratio <= grow)
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scales", type=int, nargs="+", default=list(SCALES))
    args = parser.parse_args()
    print(table(figures(args.runs, tuple(args.scales))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
