"""Issue 13's gate: no module in screens/ over 600 lines, so a newcomer finds a room of its
own for each part (as screens/colleagues/rest.py, screens/scan/rest.py and
screens/rituals/rest.py were split out) rather than a module that holds everything."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 600

MODULES = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "screens").rglob("*.py"))


def lines_in(module: str) -> int:
    return len((ROOT / module).read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("module", MODULES)
def test_no_module_in_screens_is_over_600_lines(module: str) -> None:
    assert lines_in(module) <= LIMIT, (
        f"{module} has {lines_in(module)} lines (at most {LIMIT}): move a part that belongs together "
        "into a module of its own beside it (as screens/colleagues/rest.py was)"
    )
