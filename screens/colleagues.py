"""The Trusted colleagues screen (a placeholder until its own issue lands)."""

from __future__ import annotations

from screens.placeholder import PlaceholderScreen


class ColleaguesScreen(PlaceholderScreen):
    MODE = "colleagues"
    TITLE_TEXT = "Trusted colleagues"
    HELP = "The people you lean on, who is due for a check-in, and a message ready to send."
    PROMISE = "The people you lean on, who is due for a check-in, and a message ready to send. This part of Tend is still being built."
