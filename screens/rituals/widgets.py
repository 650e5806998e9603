"""A list to pick from: space picks and unpicks."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class PickList(OptionList):
    """An option list where space picks and unpicks; "[x]" and "[ ]" show it without colour."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "pick", "Pick", id="picklist.toggle", tooltip="Pick or unpick this one")]

    def __init__(self, labels: list[Content], picked: set[int] | None = None, **kwargs: Any) -> None:
        self.labels = labels
        self.picked: set[int] = set(picked or ())
        super().__init__(*(Option(self._prompt(i), id=str(i)) for i in range(len(labels))), **kwargs)

    def _prompt(self, index: int) -> Content:
        box = ("[x] ", "bold $accent") if index in self.picked else ("[ ] ", "$text-muted")
        return Content.assemble(box, self.labels[index])

    def set_label(self, index: int, label: Content) -> None:
        """Change one label (keeping whether it is picked)."""
        self.labels[index] = label
        self.replace_option_prompt_at_index(index, self._prompt(index))

    def set_picked(self, index: int, picked: bool) -> None:
        """Pick or unpick one entry."""
        (self.picked.add if picked else self.picked.discard)(index)
        self.replace_option_prompt_at_index(index, self._prompt(index))

    def action_pick(self) -> None:
        """Pick or unpick the highlighted entry (not ``toggle``: that is DOMNode's own action)."""
        if self.highlighted is not None:
            self.set_picked(self.highlighted, self.highlighted not in self.picked)

    @property
    def selected(self) -> list[int]:
        """Indexes of the picked entries, in order."""
        return sorted(self.picked)


