"""A throwaway main screen, added the way docs/developing.md says ("Adding a screen"), so
tests/test_one_declaration.py can check that one entry in app.modes.MODES is enough."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from app.modes import Mode
from screens.base import TendScreen

GARDEN = Mode(
    "garden", "j", "Quiet garden", "Garden", "a quiet corner to sit in", "tests.throwaway_mode:GardenScreen",
    place="the quiet garden", usage="--nothing needed",
)


class GardenScreen(TendScreen):
    MODE = "garden"
    CSS_PATH = "throwaway_mode.tcss"
    DEFAULT_CLASSES = "css-throwaway_mode"
    HELP = "A quiet corner, only here for a test."

    def compose_body(self) -> ComposeResult:
        yield Static("Nothing to do here.", id="garden-note")
