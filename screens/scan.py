"""The Body scan screen (a placeholder until its own issue lands)."""

from __future__ import annotations

from screens.placeholder import PlaceholderScreen


class ScanScreen(PlaceholderScreen):
    MODE = "scan"
    TITLE_TEXT = "Body scan"
    HELP = "A short, guided check of where the work is sitting in your body, and a gentle next step."
    PROMISE = "A short, guided check of where the work is sitting in your body, and a gentle next step. This part of Tend is still being built."
