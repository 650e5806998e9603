"""Rituals, one room: the list (:mod:`.screen`) and its rows (:mod:`.rows`), the form
(:mod:`.form`), the starter offer (:mod:`.starters`), a ritual's detail (:mod:`.detail`), pause
and archive (:mod:`.rest`), the pick list they share (:mod:`.widgets`) and older entries read
off the UI thread (:mod:`.older`)."""

from screens.rituals.detail import RitualDetail, heatmap_content, history_content
from screens.rituals.form import FORM_DRAFT, RitualDraft, RitualForm
from screens.rituals.rows import marker, read_calendar_day, row
from screens.rituals.screen import Change, RitualsScreen
from screens.rituals.starters import LATER, StarterOffer
from screens.rituals.widgets import PickList

__all__ = [
    "FORM_DRAFT", "LATER", "Change", "PickList", "RitualDetail", "RitualDraft", "RitualForm", "RitualsScreen",
    "StarterOffer", "heatmap_content", "history_content", "marker", "read_calendar_day", "row",
]  # fmt: skip
