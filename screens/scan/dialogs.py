"""The scan's dialogs: the half-done scan offered again, and the check-in with a colleague."""

from __future__ import annotations

from typing import ClassVar

import pendulum
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from app import bodyscan as bs
from app.bodyscan import ScanState
from app.models import Colleague, Contact, parse_datetime
from app.people import Standing, Template, describe_due, fill_for
from app.rituals import tick_linked_rituals
from screens.base import TendModal, key_hints, safe
from screens.dialogs import DIALOGS_CSS, tend_of

HEAVY_DAY_TEMPLATE = "After a heavy day"


class ResumeDialog(TendModal[bool]):
    """Offer the scan left half-done. Enter carries on, ``n`` starts fresh; escape keeps it."""

    CSS_PATH = DIALOGS_CSS
    DEFAULT_CLASSES = "css-dialogs css-scan scan-dialog"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y,escape", "answer(True)", "Carry on", id="scan.resume.yes", tooltip="Carry on where you left off"),
        Binding("n", "answer(False)", "Start fresh", id="scan.resume.no", tooltip="Put the unfinished scan away and start again"),
    ]

    def __init__(self, state: ScanState) -> None:
        super().__init__()
        self.state = state

    def compose(self) -> ComposeResult:
        started = parse_datetime(self.state.started_at).in_timezone(pendulum.local_timezone())
        text = (
            f"You started a scan on {started.format('ddd D MMM')} at {started.format('HH:mm')} "
            f"and got as far as {self.state.item.label.lower()} ({self.state.progress()}). "
            "Carry on from there?"
        )
        with Vertical(classes="dialog"):
            yield Static(Content("A scan is waiting"), classes="dialog-title")
            yield Static(Content(text), classes="dialog-text")
            yield Static(key_hints(self, "answer(True)", "answer(False)"), classes="dialog-hint")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class CheckInDialog(TendModal[None]):
    """The trusted colleague suggested after a heavy scan, with a check-in message ready to copy (the heavy-day one first)."""

    CSS_PATH = DIALOGS_CSS
    DEFAULT_CLASSES = "css-dialogs css-scan scan-dialog"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,c,enter", "copy", "Copy", id="scan.checkin.copy", tooltip="Copy the message"),
        Binding("n", "another", "Another message", id="scan.checkin.next", tooltip="Show another message"),
        Binding("l", "log", "Log as sent", id="scan.checkin.log", tooltip="Log it as a message to them (resets their cycle)"),
        Binding("escape", "close", "Close", id="scan.checkin.close", tooltip="Close"),
    ]

    def __init__(self, colleague: Colleague, where: Standing, templates: list[Template]) -> None:
        super().__init__()
        self.colleague = colleague
        self.where = where
        self.templates = templates
        names = [t.name for t in templates]
        self.index = names.index(HEAVY_DAY_TEMPLATE) if HEAVY_DAY_TEMPLATE in names else 0

    @property
    def template(self) -> Template:
        """The message template on show."""
        return self.templates[self.index]

    @property
    def message(self) -> str:
        """The message as it will be copied, with the name filled in."""
        return fill_for(self.template.text, self.colleague)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                Content.assemble(("Check in with ", "bold"), safe(self.colleague.name, multiline=False).stylize("bold")),
                classes="dialog-title",
            )
            yield Static(Content(bs.REACH_OUT_TEXT), classes="dialog-text")
            yield Static(Content(describe_due(self.where)), classes="dialog-text", id="checkin-due")
            yield Static(safe(self.message), classes="dialog-text checkin-message", id="checkin-message")
            yield Static(key_hints(self, "copy", "another", "log", "close"), classes="dialog-hint")

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.message)
        self.notify("Copied. It is also on screen, to select by hand if your terminal needs it.", markup=False)

    def action_another(self) -> None:
        self.index = (self.index + 1) % len(self.templates)
        self.query_one("#checkin-message", Static).update(safe(self.message))

    def action_log(self) -> None:
        tend = tend_of(self)
        now = pendulum.now()
        with tend.saving("contacts") as attempt, tend.store.transaction():  # the contact and the linked ritual: both or neither
            tend.store.add(Contact(colleague_id=self.colleague.id or 0, when=now, kind="message", note=self.template.name))
            tick_linked_rituals(tend.store, self.colleague.id or 0, "message", now.date())
        if attempt.ok:
            self.notify("Logged. Their cycle starts again from today.", markup=False)
            self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
