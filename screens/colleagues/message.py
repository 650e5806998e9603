"""Check-in messages: pick a template, copy it filled in, offer to log it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, Static, TextArea

from app import circle as circles
from app.models import Colleague, Contact, MessageTemplate, RitualEntry
from app.people import (
    Template,
    all_templates,
    fill_for,
    templates_for,
)
from app.rituals import tick_linked_rituals
from app.textclean import clean_text
from screens.base import TendModal, key_hints
from screens.colleagues.rows import CSS_FILE, now
from screens.colleagues.templates import TemplatePicker
from screens.dialogs import tend_of

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

    def logged(template: Template, log: bool | str | None) -> None:
        if log == SENT_IN_CIRCLE:
            sent(template)
            return
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

    def sent(template: Template) -> None:
        """Sent through the circle: logged as a message with them, linked rituals ticked."""
        with app.saving() as attempt:
            circles.after_checkin_sent(app.store, colleague, note=f"{template.name} (through the circle)")
        if not attempt.ok:  # if another Tend was saving, log it once it is done
            app.retry_when_free(lambda: sent(template))
            return
        app.notify(f"Sent to {colleague.name} through the circle, and logged.", markup=False)

    app.push_screen(picker, copy)




SENT_IN_CIRCLE = "sent in circle"
"""What the message dialog closes with when it sent the message through the circle."""


class MessageDialog(TendModal[bool | str]):
    """The copied message in full, selectable by hand; ``l`` logs it as a message sent, and
    for a colleague linked to a member of the joined circle, ``s`` sends it there."""

    CSS_PATH = CSS_FILE
    DEFAULT_CLASSES = "css-colleagues"
    BINDINGS: ClassVar = [
        Binding("l", "log", "Log it", id="message.log",
                tooltip="Log it as a message to them (resets their cycle)"),
        Binding("c", "copy", "Copy again", id="message.copy", tooltip="Copy the message again"),
        Binding("escape,enter", "close", "Close", id="message.close", tooltip="Close"),
        Binding("s", "circle_send", "Send in the circle", id="message.circle",
                tooltip="Send it to them through the circle on this server (and log it)"),
    ]  # fmt: skip

    def __init__(self, colleague: Colleague, text: str) -> None:
        super().__init__()
        self.colleague = colleague
        self.text = text
        self.circle_dir = ""
        self.sent = False

    def _circle_line(self) -> Content:
        """The circle's key and what it does now ("" when it does not apply)."""
        settings = tend_of(self).store.settings()
        self.circle_dir = settings.circle_dir if self.colleague.circle_user else ""
        if not self.circle_dir:
            return Content("")
        hint = key_hints(self, "circle_send")
        if not settings.circle_share_checkins:
            return Content.assemble(hint, f" (sending check-ins is off: {SHARE_CHECKINS} turns it on)")
        return Content.assemble(hint, " to ", (clean_text(self.colleague.circle_user), "bold"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "circle_send":
            return bool(self.circle_dir)
        return True

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
            yield Static(  # keys and words from the bindings; the name after them, as data
                Content.assemble(key_hints(self, "log"), " as a message to ", (name, "bold"), "   ",
                                 key_hints(self, "copy", "close")),
                classes="people-hint",
            )  # fmt: skip
            circle = self._circle_line()
            if circle.plain:
                yield Static(circle, classes="people-hint", id="message-circle")

    def on_mount(self) -> None:
        self.refresh_bindings()  # s, known once composed

    def action_log(self) -> None:
        self.dismiss(True)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify("Copied again.", markup=False)

    def action_close(self) -> None:
        self.dismiss(False)

    def action_circle_send(self) -> None:
        """Write the message into the circle for them; say plainly when that is off or fails."""
        if not self.circle_dir or self.sent:  # a second s queued behind the first sends nothing more
            return
        if not tend_of(self).store.settings().circle_share_checkins:
            self.notify(f"Sending check-ins is off. {SHARE_CHECKINS} turns it on.", markup=False)
            return
        try:
            circles.send_checkin(self.circle_dir, self.colleague.circle_user, self.text)
        except (circles.CircleError, OSError) as error:
            self.notify(str(error), markup=False, severity="warning")
            return
        self.sent = True
        self.dismiss(SENT_IN_CIRCLE)


SHARE_CHECKINS = "tend circle share checkins on"
