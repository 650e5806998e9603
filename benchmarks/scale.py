"""Scale (issue 14): start, peak memory and a save at make_data.py --scale 1, 2, 4, 8 (3 years).

    python benchmarks/scale.py [--runs 5] [--scales 1 2 4 8] [--projected] [--years 24]

For each scale, and for the bare Textual app (Header, Static, Footer) and an empty folder in
the same rounds: the cold start to Today's settled first frame in a real 80x24 pty and the
peak RSS (VmHWM) 0.3 s later (as startup.py: ``_measure.first_frame``); the runs take turns
so noise on the machine falls on all of them. Then a save at each scale (mark a ritual done
through the Store API, as the app does: ``app.rituals.mark_ritual``, as save.py, warm store),
alternating with its orjson floor.

Every figure is a ratio, as the issue's targets are: each scale against x1 (target at x8:
start, memory and save <= 1.10x) and x1 against the bare app (start <= 1.30x, memory
<= 1.25x). Medians of --runs after a warm-up. The size beside each scale is the data in the
folder (backups and kept copies not counted).

``--years N`` adds the growth the product promises about most directly: the same people and
rituals (scale 1) with N years of history against 3 (the history is N/3 times larger; the
current file the same). Start, peak RSS and save as ratios to 3 years, target 1.10x.

``--projected`` measures copies of the same folders trimmed to what the split store's current
file would hold (docs/storage.md: the current set and the last six weeks of dated
records): a projection of the design's first frame and save, not a measurement of it.

Measured programs get a bytecode cache even where PYTHONDONTWRITEBYTECODE is set
(``_measure.child_env``), as an installed Tend would.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import save  # noqa: E402
from _measure import Figure, bare_cmd, data_folder, empty_folder, first_frame, interleaved, median, scratch_copy, table, tend_cmd  # noqa: E402

SCALES = (1, 2, 4, 8)
GROWTH_TARGET = 1.10
"""x8 vs x1: start, peak memory and save."""
BARE_START_TARGET = 1.30
BARE_MEMORY_TARGET = 1.25


def folder_size(folder: Path) -> int:
    """Bytes of the data in the folder (one file today; several in a split layout): every
    file but backups, copies kept aside, temp files and the lock."""
    aside = (".bak", ".damaged", ".schema1", ".lock")
    files = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]
    return sum(p.stat().st_size for p in files if not any(m in p.name for m in aside))


DATED = {"ritual_entries": "day", "contacts": "when", "scans": "when", "breathing": "when"}
"""The kinds that grow with the years, and the field that dates them (docs/storage.md)."""
WINDOW_DAYS = 42
"""The recent window the split store's current file holds (docs/storage.md, section 2)."""


def window_only(folder: Path) -> Path:
    """A copy of ``folder`` holding what the split layout's current file would hold: every
    record of the current set, and of the dated kinds only those of the last six weeks
    (docs/storage.md, section 2; the summaries it would also hold are a few hundred bytes a
    ritual or colleague, left out). A projection of the design, for ``--projected``: the
    first frame of a store that reads no history."""
    import orjson
    import pendulum

    target = scratch_copy(folder, f"{folder.name}-window")
    data = orjson.loads((target / "tend.json").read_bytes())
    since = pendulum.today().subtract(days=WINDOW_DAYS).to_date_string()
    for kind, field in DATED.items():
        data[kind] = {key: doc for key, doc in (data.get(kind) or {}).items() if str(doc.get(field, ""))[:10] >= since}
    (target / "tend.json").write_bytes(orjson.dumps(data))
    (target / "tend.json.bak").unlink(missing_ok=True)
    return target


def figures(runs: int, scales: tuple[int, ...] = SCALES, *, projected: bool = False) -> list[Figure]:
    folders = {n: data_folder(n) for n in scales}
    if projected:
        folders = {n: window_only(folder) for n, folder in folders.items()}
    sizes = {n: folder_size(folder) for n, folder in folders.items()}
    empty = empty_folder("scale-empty")
    measures = {f"x{n}": (lambda f=folder: first_frame(tend_cmd("--data", str(f)))) for n, folder in folders.items()}
    measures["empty"] = lambda: first_frame(tend_cmd("--data", str(empty)))
    measures["bare"] = lambda: first_frame(bare_cmd())
    got = interleaved(runs, measures)
    start = {name: median(r[0] for r in rs) for name, rs in got.items()}
    rss = {name: median(r[1] for r in rs) / 1024 for name, rs in got.items()}
    saves = {n: save.measure(max(3 * runs, 11), folder) for n, folder in folders.items()}

    base = f"x{scales[0]}"
    rows = [
        Figure(
            f"scale {base} vs bare: start (s)",
            f"{start[base]:.3f}",
            f"{start['bare']:.3f}",
            start[base] / start["bare"],
            f"<= {BARE_START_TARGET:.2f}x",
            start[base] / start["bare"] <= BARE_START_TARGET,
        ),
        Figure(
            f"scale {base} vs bare: peak RSS (MB)",
            f"{rss[base]:.1f}",
            f"{rss['bare']:.1f}",
            rss[base] / rss["bare"],
            f"<= {BARE_MEMORY_TARGET:.2f}x",
            rss[base] / rss["bare"] <= BARE_MEMORY_TARGET,
        ),
        Figure(
            "  empty folder: start s / MB",
            f"{start['empty']:.3f} / {rss['empty']:.1f}",
            f"{start['bare']:.3f} / {rss['bare']:.1f}",
            start["empty"] / start["bare"],
            "(for reference)",
            None,
        ),
    ]
    first_save = saves[scales[0]][0]
    for n in scales[1:]:
        name = f"x{n}"
        last = n == scales[-1]
        target = f"<= {GROWTH_TARGET:.2f}x" if last else "(on the way)"
        for what, value, of_base, fmt in (
            ("start (s)", start[name], start[base], "{:.3f}"),
            ("peak RSS (MB)", rss[name], rss[base], "{:.1f}"),
            ("save (ms)", saves[n][0] * 1000, first_save * 1000, "{:.1f}"),
        ):
            ratio = value / of_base
            rows.append(
                Figure(
                    f"scale {name} ({sizes[n] / 1e6:.1f} MB) vs {base}: {what}",
                    fmt.format(value),
                    fmt.format(of_base),
                    ratio,
                    target,
                    ratio <= GROWTH_TARGET if last else None,
                )
            )
    rows.append(
        Figure(
            "  save floor (orjson+fsync) by scale (ms)",
            "/".join(f"{saves[n][1] * 1000:.1f}" for n in scales),
            f"{base} {sizes[scales[0]] / 1e6:.1f} MB",
            None,
            "(for reference)",
            None,
        )
    )
    return rows


def years_figures(runs: int, years: int) -> list[Figure]:
    """Start, peak RSS and save with ``years`` of history against 3, the same people."""
    folders = {3: data_folder(1), years: data_folder(1, years=years)}
    sizes = {n: folder_size(folder) for n, folder in folders.items()}
    got = interleaved(runs, {n: (lambda f=folder: first_frame(tend_cmd("--data", str(f)))) for n, folder in folders.items()})
    start = {n: median(r[0] for r in rs) for n, rs in got.items()}
    rss = {n: median(r[1] for r in rs) / 1024 for n, rs in got.items()}
    saves = {n: save.measure(max(3 * runs, 11), folder)[0] for n, folder in folders.items()}
    rows = []
    for what, value, of_base, fmt in (
        ("start (s)", start[years], start[3], "{:.3f}"),
        ("peak RSS (MB)", rss[years], rss[3], "{:.1f}"),
        ("save (ms)", saves[years] * 1000, saves[3] * 1000, "{:.1f}"),
    ):
        ratio = value / of_base
        rows.append(
            Figure(
                f"{years} years ({sizes[years] / 1e6:.1f} MB) vs 3: {what}",
                fmt.format(value),
                fmt.format(of_base),
                ratio,
                f"<= {GROWTH_TARGET:.2f}x",
                ratio <= GROWTH_TARGET,
            )
        )
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
    parser.add_argument(
        "--projected",
        action="store_true",
        help="measure copies trimmed to the recent window (what docs/storage.md's current file holds), a projection of the split store",
    )
    parser.add_argument("--years", type=int, default=0, help="also compare N years of history with 3, at scale 1")
    args = parser.parse_args()
    figures_ = figures(args.runs, tuple(args.scales), projected=args.projected)
    if args.years:
        figures_ += years_figures(args.runs, args.years)
    print(table(figures_))
    return 1 if any(f.ok is False for f in figures_) else 0


if __name__ == "__main__":
    raise SystemExit(main())
