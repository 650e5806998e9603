"""Where Tend's cold start goes: the same first-frame measurement as startup.py, for steps
from the bare Textual app up to Tend with three years of data.

    python benchmarks/breakdown.py [--runs 7]

Each step adds one thing to the one before, so the differences say what each costs:

1. bare:            the baseline app (Header, Static, Footer).
2. + imports:       the same app, after importing what Tend's start imports (its modules,
                    pendulum, tinydb, orjson, platformdirs) without using any of it.
3. shell:           Tend with an empty data folder, Today cut down to one line of text (the
                    app shell: the store, the theme, the bar of screens, Tend's footer).
4. empty Today:     Tend with an empty data folder.
5. 3-year Today:    Tend with make_data.py's three years.

Steps 3 and 4 change Tend in the child process only (a small script that replaces Today's
body before starting), nothing in the code base.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import PYTHON, ROOT, bare_cmd, data_folder, empty_folder, first_frame, interleaved, median, tend_cmd  # noqa: E402

IMPORTS = """
import runpy
import app.cli, app.tui, app.storage, app.today, app.rituals, app.people, app.bodyscan, screens.today
runpy.run_path({bare!r}, run_name="__main__")
"""

SHELL = """
import sys
from textual.widgets import Static
import screens.today as today

def compose_body(self):
    yield Static("Today")

today.TodayScreen.compose_body = compose_body
today.TodayScreen.refresh_data = lambda self: None
from app.cli import main
sys.exit(main(["--data", {folder!r}]))
"""


def steps(runs: int) -> list[tuple[str, float, float]]:
    empty = empty_folder("breakdown-empty")
    scripts = Path(tempfile.mkdtemp(prefix="tend-breakdown-"))
    (scripts / "imports.py").write_text(IMPORTS.format(bare=str(ROOT / "benchmarks" / "bare_app.py")))
    (scripts / "shell.py").write_text(SHELL.format(folder=str(empty)))
    commands = {
        "bare": bare_cmd(),
        "+ imports": [PYTHON, str(scripts / "imports.py")],
        "shell": [PYTHON, str(scripts / "shell.py")],
        "empty Today": tend_cmd("--data", str(empty)),
        "3-year Today": tend_cmd("--data", str(data_folder(1))),
    }
    results = interleaved(runs, {name: (lambda c=cmd: first_frame(c)) for name, cmd in commands.items()})
    return [(name, median(r[0] for r in rs), median(r[1] for r in rs) / 1024) for name, rs in results.items()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    rows = steps(args.runs)
    base_time, base_mb = rows[0][1], rows[0][2]
    print(f"{'step':14}  {'first frame':>11}  {'vs bare':>7}  {'step adds':>9}  {'peak MB':>7}  {'vs bare':>7}  {'step adds':>9}")
    previous = rows[0]
    for name, seconds, mb in rows:
        print(
            f"{name:14}  {seconds:10.3f}s  {seconds / base_time:6.2f}x  {1000 * (seconds - previous[1]):+7.0f}ms"
            f"  {mb:7.1f}  {mb / base_mb:6.2f}x  {mb - previous[2]:+7.1f}MB"
        )
        previous = (name, seconds, mb)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
