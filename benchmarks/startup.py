"""Cold start and peak memory: Tend's Today with three years of data vs a bare Textual app.

    python benchmarks/startup.py [--runs 7] [--data DIR]

Both run in a real pty at 80x24; the time is from process start until the footer of the
first frame has been written. Medians of --runs runs after a warm-up.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import ROOT, bare_cmd, first_frame, table, tend_cmd  # noqa: E402

FOOTER_TEND = b"palette"  # the last thing the footer draws
FOOTER_BARE = b"palette"


def ensure_data(folder: Path, scale: int = 1) -> Path:
    if not (folder / "tend.json").exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_data.py"), "--data", str(folder), "--years", "3", "--scale", str(scale), "--force"], check=True, capture_output=True)
    return folder


def measure(cmd: list[str], marker: bytes, runs: int) -> tuple[float, float]:
    first_frame(cmd, marker)  # warm-up (file cache, bytecode)
    results = [first_frame(cmd, marker) for _ in range(runs)]
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


def run(runs: int, data: Path) -> list[tuple[str, str, str, str, str, str]]:
    tend_time, tend_rss = measure(tend_cmd("--data", str(data)), FOOTER_TEND, runs)
    bare_time, bare_rss = measure(bare_cmd(), FOOTER_BARE, runs)
    t_ratio, m_ratio = tend_time / bare_time, tend_rss / bare_rss
    return [
        ("cold start to first frame (s)", f"{tend_time:.3f}", f"{bare_time:.3f}", f"{t_ratio:.2f}x", "<= 1.15x", "pass" if t_ratio <= 1.15 else "MISS"),
        ("peak memory at start (MB)", f"{tend_rss / 1024:.1f}", f"{bare_rss / 1024:.1f}", f"{m_ratio:.2f}x", "<= 1.30x", "pass" if m_ratio <= 1.3 else "MISS"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "tend-bench-3y")
    args = parser.parse_args()
    print(table(run(args.runs, ensure_data(args.data))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
