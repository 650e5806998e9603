"""app.modes.MODES is the one list of main screens: a screen added there (and nowhere else)
gets its key, its place on the navigation line, its palette entry, its ``tend`` subcommand and
help line, its line in ``?``, and the body scan leaves its key alone.

The screen is added in a fresh Python (``MODES`` is read when the app's modules are imported,
as in ``tend`` itself), the way docs/developing.md says: one Mode entry, one module with the
screen, one stylesheet (tests/throwaway_mode.py and .tcss).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from app.modes import MODE_BY_NAME, MODES

ROOT = Path(__file__).resolve().parents[1]

ADD_THE_GARDEN = """
import asyncio, json, sys
import app.modes as modes
from tests.throwaway_mode import GARDEN

# Step 1 of "Adding a screen": one entry in MODES (and the names derived from it).
modes.MODES = (*modes.MODES, GARDEN)
modes.MODE_BY_NAME = {mode.name: mode for mode in modes.MODES}
modes.MODE_NAMES = tuple(mode.name for mode in modes.MODES)
modes.MODE_KEYS = frozenset(mode.key for mode in modes.MODES)

from app.bodyscan import RESERVED_KEYS
from app.cli import build_parser, epilog
from app.storage import Store
from app.tui import TendApp
from screens.base import NavBar
from screens.help import HelpScreen

found = {}
binding = next((b for b in TendApp.BINDINGS if getattr(b, "id", None) == "go.garden"), None)
found["binding"] = binding and [binding.key, binding.action, binding.tooltip]
found["nav"] = NavBar.build("today").plain
found["reserved"] = "j" in RESERVED_KEYS
found["subcommand"] = build_parser().parse_args(["garden"]).command
found["epilog"] = [line for line in epilog().splitlines() if "garden" in line]


async def drive():
    store = Store.open(sys.argv[1])
    store.update_settings(welcomed=True)
    app = TendApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        found["help"] = [list(pair) for pair in app.screen.keys] if isinstance(app.screen, HelpScreen) else None
        await pilot.press("escape")
        await pilot.press("j")
        await pilot.pause()
        found["key"] = [app.current_mode, app.screen.query_one(NavBar).render().plain]
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"go to quiet garden")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        found["palette"] = app.current_mode
    app = TendApp(store, start_mode="garden")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        found["start"] = [app.current_mode, app.screen.query_one("#garden-note").render().plain]

asyncio.run(drive())
print(json.dumps(found))
"""


def test_a_screen_added_to_modes_is_found_everywhere(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", ADD_THE_GARDEN, str(tmp_path / "data")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["binding"] == ["j", "go('garden')", "Go to the quiet garden"]
    assert "j Garden" in found["nav"]
    assert found["reserved"] is True
    assert found["subcommand"] == "garden"
    assert any("tend garden" in line and "a quiet corner to sit in" in line for line in found["epilog"])
    assert ["j", "Go to the quiet garden"] in found["help"]
    assert found["key"][0] == "garden" and "[j] Garden" in found["key"][1]
    assert found["palette"] == "garden"
    assert found["start"] == ["garden", "Nothing to do here."]


def test_every_list_of_screens_is_the_declared_one() -> None:
    """Without the throwaway: what the app, the nav line and the command line offer is MODES."""
    from app.bodyscan import RESERVED_KEYS
    from app.cli import build_parser
    from app.tui import TendApp
    from screens.base import NavBar

    go = [b for b in TendApp.BINDINGS if getattr(b, "id", "") and b.id.startswith("go.")]
    assert [(b.key, b.id, b.tooltip) for b in go] == [(m.key, f"go.{m.name}", m.tooltip) for m in MODES]
    nav = NavBar.build("").plain
    assert [nav.index(f"{m.key} {m.label}") for m in MODES] == sorted(nav.index(f"{m.key} {m.label}") for m in MODES)
    parser = build_parser()
    for mode in MODES:
        assert parser.parse_args([mode.name]).command == mode.name
    assert {m.key for m in MODES} - {MODE_BY_NAME["scan"].key} | {"q"} == RESERVED_KEYS
