"""The Today screen (a placeholder until its own issue lands)."""

from __future__ import annotations

from screens.placeholder import PlaceholderScreen


class TodayScreen(PlaceholderScreen):
    MODE = "today"
    TITLE_TEXT = "Today"
    HELP = "What matters in the minutes before your next session will gather here: rituals that are due, colleagues you have not spoken to in a while, and your last body scan."
    PROMISE = "What matters in the minutes before your next session will gather here: rituals that are due, colleagues you have not spoken to in a while, and your last body scan. This part of Tend is still being built."
