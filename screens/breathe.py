"""The Breathing reset screen (a placeholder until its own issue lands)."""

from __future__ import annotations

from screens.placeholder import PlaceholderScreen


class BreatheScreen(PlaceholderScreen):
    MODE = "breathe"
    TITLE_TEXT = "Breathing reset"
    HELP = "Paced breathing — box, 4-7-8, coherent, the physiological sigh and your own patterns — drawn lightly enough for a slow connection."
    PROMISE = "Paced breathing — box, 4-7-8, coherent, the physiological sigh and your own patterns — drawn lightly enough for a slow connection. This part of Tend is still being built."
