"""The Rituals screen (a placeholder until its own issue lands)."""

from __future__ import annotations

from screens.placeholder import PlaceholderScreen


class RitualsScreen(PlaceholderScreen):
    MODE = "rituals"
    TITLE_TEXT = "Rituals"
    HELP = "The practices that keep you going — check-ins, debriefs, supervision — with what is due and what is coming."
    PROMISE = "The practices that keep you going — check-ins, debriefs, supervision — with what is due and what is coming. This part of Tend is still being built."
