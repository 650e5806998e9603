"""The starter rituals offered on a first visit."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import set_cell_size
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static

from app.models import Colleague
from app.schedule import (
    describe,
)
from app.starters import Starter
from app.textclean import clean_text
from screens.base import DismissOnTop, NavBar, key_hints, safe
from screens.rituals.form import RitualDraft, RitualForm
from screens.rituals.widgets import PickList

LATER = "later"


class StarterPicks(PickList):
    """The starters: enter on the list adds the picked ones, shown in the footer as such."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Add picked", id="starters.add_picked", tooltip="Add the rituals you picked"),
    ]


class StarterOffer(DismissOnTop, Screen["list[RitualDraft] | str | None"]):
    """The first-run offer. Dismisses with the picked drafts, None when declined, or
    :data:`LATER` when the person just goes back (asked again next time).

    A full screen rather than a modal, so the keys to the other screens still work: leaving
    is not declining, and the offer is still there on coming back.
    """

    CSS_PATH = "rituals.tcss"
    DEFAULT_CLASSES = "css-rituals"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Not a priority binding: enter reaches the list like every key before it, so keys that
        # arrive together ("space down space enter") are picked before they are added.
        Binding("enter", "add", "Add picked", id="starters.add", tooltip="Add the rituals you picked"),
        Binding("e", "edit", "Edit", id="starters.edit", tooltip="Change this one before adding it"),
        Binding("n", "decline", "No thanks", id="starters.decline", tooltip="Add none of these (not asked again)"),
        Binding("escape", "later", "Later", id="starters.later", tooltip="Go back; ask again next time", show=False),
    ]

    def __init__(self, starters: list[Starter], colleagues: list[Colleague]) -> None:
        super().__init__()
        self.drafts = [RitualDraft.from_starter(s) for s in starters]
        self.colleagues = colleagues

    def compose(self) -> ComposeResult:
        yield NavBar("rituals")
        yield Footer()
        with Vertical(id="starters-box", classes="ritual-dialog"):
            yield Static(Content.styled("A few rituals to begin with", "bold"), classes="dialog-title")
            yield Static(Content(
                "Pick any that fit your week; nothing is added unless you choose it, "
                "and you can change or remove them later."), classes="dialog-text")
            picks = StarterPicks([self._label(d) for d in self.drafts], id="starters-list")
            yield picks
            yield Static("", id="starters-about", classes="form-note", markup=False)
            yield Static(Content.assemble(key_hints(picks, "pick"), "   ", key_hints(self, "edit", "add", "decline")),
                         classes="dialog-hint")

    @staticmethod
    def _label(draft: RitualDraft) -> Content:
        name = set_cell_size(clean_text(draft.name), 31)
        return Content.assemble(name, " ", (describe(draft.schedule), "$text-muted"))

    def on_mount(self) -> None:
        self._about()

    @on(OptionList.OptionHighlighted, "#starters-list")
    def _about(self) -> None:
        listing = self.query_one("#starters-list", PickList)
        index = listing.highlighted if listing.highlighted is not None else 0
        self.query_one("#starters-about", Static).update(safe(self.drafts[index].note))

    @on(OptionList.OptionSelected, "#starters-list")
    def _enter_on_the_list(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_add()

    def action_add(self) -> None:
        picked = self.query_one("#starters-list", PickList).selected
        if not picked:
            self.notify("Pick one or more with space first, or press n for none.", markup=False)
            return
        self.dismiss([self.drafts[index] for index in picked])

    def action_edit(self) -> None:
        listing = self.query_one("#starters-list", PickList)
        index = listing.highlighted
        if index is None:
            return

        def edited(draft: RitualDraft | None) -> None:
            if draft is None:
                return
            self.drafts[index] = draft
            listing.set_label(index, self._label(draft))
            listing.set_picked(index, True)
            self._about()
            # Said, because picking is what space does here too: a habit of "space" after an
            # edit would otherwise quietly unpick what was just changed.
            self.notify(f"{clean_text(draft.name)} is changed and picked. Enter adds what is picked.", markup=False)

        form = RitualForm("Change this starter", self.drafts[index], self.colleagues, keep_draft=False)
        self.app.push_screen(form, edited)

    def action_decline(self) -> None:
        self.dismiss(None)

    def action_later(self) -> None:
        self.dismiss(LATER)


