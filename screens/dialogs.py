"""Small dialogs shared by every screen: confirm, notice, and a one-line prompt.

Each is a ``ModalScreen`` that dismisses with its result. Everything shown that could hold
user text is passed as :class:`~textual.content.Content` (see :func:`screens.base.safe`).
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from app.textclean import NAME_LIMIT, clean_text


def _as_content(text: str | Content) -> Content:
    return text if isinstance(text, Content) else Content(text)


class ConfirmDialog(ModalScreen[bool]):
    """Ask once: ``y``/enter confirms, ``n``/escape declines."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Go ahead"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="Leave it as it is"),
    ]

    def __init__(self, question: str | Content, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = _as_content(question)
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content.assemble(("y", "underline"), f" {self.yes}"), id="yes", variant="primary")
                yield Button(Content.assemble(("n", "underline"), f" {self.no}"), id="no")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class NoticeDialog(ModalScreen[None]):
    """A message that must be read (damaged data, a restored backup). Enter or escape closes."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("enter,escape,space", "close", "Close", id="notice.close", tooltip="Close this message"),
    ]

    def __init__(self, title: str, message: str | Content) -> None:
        super().__init__()
        self.title_text = title
        self.message = _as_content(message)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.title_text), classes="dialog-title")
            with VerticalScroll(classes="dialog-scroll"):
                yield Static(self.message, classes="dialog-text")
            yield Static(Content.from_markup("[b]enter[/b] close"), classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text. ``validate`` returns an error message or None.

    The error shows under the field; nothing is dismissed until the text is acceptable.
    """

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel", tooltip="Close without changing anything")]

    def __init__(
        self,
        question: str | Content,
        *,
        value: str = "",
        placeholder: str = "",
        validate: Callable[[str], str | None] | None = None,
        limit: int = NAME_LIMIT,
    ) -> None:
        super().__init__()
        self.question = _as_content(question)
        self.value = value
        self.placeholder = placeholder
        self.check = validate
        self.limit = limit

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-text")
            yield Input(self.value, placeholder=self.placeholder, max_length=self.limit * 4, id="prompt-input")
            yield Static("", classes="dialog-error", id="prompt-error", markup=False)
            yield Static(Content.from_markup("[b]enter[/b] done   [b]escape[/b] cancel"), classes="dialog-hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = clean_text(event.value, limit=self.limit)
        problem = self.check(text) if self.check else None
        if problem:
            self.query_one("#prompt-error", Static).update(Content(problem))
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
