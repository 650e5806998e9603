"""The template picker as Today's circle section uses it: choosing a message sends it
through the circle (it is not copied), so its key says "Send"."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding

from screens.colleagues.rows import CSS_FILE
from screens.colleagues.templates import TemplatePicker


class CircleReplyPicker(TemplatePicker):
    """A reply to a circle member: the chosen message goes straight to their folder."""

    CSS_PATH = CSS_FILE  # read from this package's folder, as the picker's is
    BINDINGS: ClassVar = [
        Binding("c", "choose", "Send", id="templates.send", tooltip="Send this message through the circle"),
    ]
