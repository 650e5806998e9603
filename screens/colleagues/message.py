"""Check-in messages: pick a template, copy it filled in, offer to log it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, Static, TextArea

from app.models import Colleague, Contact, MessageTemplate, RitualEntry
from app.people import (
    Template,
    all_templates,
    fill_for,
    templates_for,
)
from app.rituals import tick_linked_rituals
from app.textclean import clean_text
from screens.base import TendModal
from screens.colleagues.rows import CSS_FILE, now
from screens.colleagues.templates import TemplatePicker

if TYPE_CHECKING:
    from screens.shell import TendShell


def send_check_in(
    app: TendShell,
    colleague: Colleague,
    *,
    start: int = 0,
    remember: Callable[[int], None] | None = None,
) -> None:
    """The check-in message flow, from any screen: pick a template, copy it with the name
    filled in (OSC 52), show the full text for selecting by hand, and offer to log it."""
    templates = templates_for(colleague, all_templates(app.store.all(MessageTemplate)))  # fit for them first
    picker = TemplatePicker(colleague, templates, min(start, len(templates) - 1))

    def copy(chosen: tuple[int, Template] | None) -> None:
        if chosen is None:
            return
        index, template = chosen
        if remember is not None:
            remember(index)
        text = fill_for(template.text, colleague)
        app.copy_to_clipboard(text)
        app.push_screen(MessageDialog(colleague, text), lambda log: logged(template, log))

    def logged(template: Template, log: bool | None) -> None:
        if not log or colleague.id is None:
            return
        ticked: list[RitualEntry] = []
        with app.saving() as attempt, app.store.transaction():  # the contact and its rituals, all or nothing
            app.store.add(Contact(colleague_id=colleague.id, when=now(), kind="message", note=template.name))
            ticked = tick_linked_rituals(app.store, colleague.id, "message", now().date())
        if not attempt.ok:  # if another Tend was saving, log it once it is done
            app.retry_when_free(lambda: logged(template, log))
        if attempt.ok:
            also = f" Ticked {len(ticked)} linked ritual{'s' if len(ticked) > 1 else ''} too." if ticked else ""
            app.notify(f"Logged: message with {colleague.name}.{also}", markup=False)

    app.push_screen(picker, copy)




class MessageDialog(TendModal[bool]):
    """The copied message in full, selectable by hand; ``l`` logs it as a message sent."""

    CSS_PATH = CSS_FILE
    DEFAULT_CLASSES = "css-colleagues"
    BINDINGS: ClassVar = [
        Binding("l", "log", "Log it", id="message.log",
                tooltip="Log it as a message to them (resets their cycle)"),
        Binding("c", "copy", "Copy again", id="message.copy", tooltip="Copy the message again"),
        Binding("escape,enter", "close", "Close", id="message.close", tooltip="Close"),
    ]  # fmt: skip

    def __init__(self, colleague: Colleague, text: str) -> None:
        super().__init__()
        self.colleague = colleague
        self.text = text

    def compose(self) -> ComposeResult:
        name = clean_text(self.colleague.name)
        with Vertical(classes="people-dialog", id="message"):
            yield Label("Copied to your clipboard", classes="people-dialog-title")
            yield TextArea(self.text, id="message-text", read_only=True, compact=True,
                           soft_wrap=True, show_cursor=False)  # fmt: skip
            yield Static(
                "If it did not arrive (some terminals ignore copying), select the text above "
                "with your mouse and copy it as you usually would.",
                classes="people-note",
                markup=False,
            )
            yield Static(
                Content.assemble(
                    ("l", "bold"), " log it as a message to ", (name, "bold"), "   ",
                    ("c", "bold"), " copy again   ", ("escape", "bold"), " close",
                ),
                classes="people-hint",
            )  # fmt: skip

    def action_log(self) -> None:
        self.dismiss(True)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify("Copied again.", markup=False)

    def action_close(self) -> None:
        self.dismiss(False)

