"""Logging a contact with a colleague."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from app.models import Colleague, Contact
from app.people import (
    CONTACT_KINDS,
)
from app.textclean import NAME_LIMIT, clean_text
from app.when import WhenError, parse_when
from screens.base import TendModal, key_hints
from screens.colleagues.rows import CSS_FILE, default_kind, now, when_text


class LogContactDialog(TendModal[Contact | None]):
    """What kind of contact, when (parsed kindly), and an optional note. Enter saves."""

    CSS_PATH = CSS_FILE
    DEFAULT_CLASSES = "css-colleagues"
    BINDINGS: ClassVar = [
        Binding("ctrl+s", "save", "Save", id="log_contact.save", tooltip="Save this contact"),
        Binding("escape", "cancel", "Cancel", id="log_contact.cancel",
                tooltip="Close without logging"),
        Binding("tab", "app.focus_next", "Next field", show=False, id="log_contact.next", tooltip="Go to the next field"),
        # A number picks the kind while the list has the focus (a field takes its digits first).
        Binding("1", "kind(1)", "Kind", key_display=f"1-{len(CONTACT_KINDS)}", id="log_contact.kind",
                tooltip="Choose what kind of contact by its number"),
        *(Binding(str(n), f"kind({n})", "Kind", show=False) for n in range(2, len(CONTACT_KINDS) + 1)),
    ]  # fmt: skip

    def __init__(self, colleague: Colleague) -> None:
        super().__init__()
        self.colleague = colleague

    def compose(self) -> ComposeResult:
        kinds = [Option(Content(f"{n}  {label}"), id=key)
                 for n, (key, label) in enumerate(CONTACT_KINDS, start=1)]  # fmt: skip
        with Vertical(classes="people-dialog", id="log"):
            yield Label(
                Content.assemble("Log a contact with ", (clean_text(self.colleague.name), "bold")),
                classes="people-dialog-title",
            )
            with Horizontal(classes="form-row form-row-kinds"):
                yield Label("What", classes="form-label")
                yield OptionList(*kinds, id="log-kind", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("When", classes="form-label")
                yield Input(id="log-when", compact=True, max_length=60,
                            placeholder="now (or yesterday, 3 days ago, 2026-11-20 14:30)")
            yield Static("", id="log-when-read", classes="people-note", markup=False)
            with Horizontal(classes="form-row"):
                yield Label("Note", classes="form-label")
                yield Input(id="log-note", compact=True, max_length=NAME_LIMIT * 2,
                            placeholder="optional, a few words")  # fmt: skip
            yield Static("", id="log-error", classes="people-error", markup=False)
            yield Static(key_hints(self, "kind(1)", "save", "app.focus_next", "cancel"), classes="people-hint")

    def on_mount(self) -> None:
        kinds = self.query_one("#log-kind", OptionList)
        wanted = default_kind(self.colleague.role)
        kinds.highlighted = [key for key, _ in CONTACT_KINDS].index(wanted)
        kinds.focus()

    def action_kind(self, number: int) -> None:
        """Choose the kind numbered ``number`` in the list."""
        if 1 <= number <= len(CONTACT_KINDS):
            self.query_one("#log-kind", OptionList).highlighted = number - 1

    @on(Input.Changed, "#log-when")
    def _when_changed(self, event: Input.Changed) -> None:
        read = self.query_one("#log-when-read", Static)
        self.query_one("#log-error", Static).update("")
        if not event.value.strip():
            read.update("")
            return
        try:
            moment = parse_when(event.value, now=now())
        except WhenError as error:
            read.update(str(error))
            read.add_class("-problem")
        else:
            read.update(f"= {when_text(moment, now())}")
            read.remove_class("-problem")

    def build(self) -> Contact | str:
        """The contact from the dialog, or what needs fixing."""
        kinds = self.query_one("#log-kind", OptionList)
        index = kinds.highlighted if kinds.highlighted is not None else 0
        kind = CONTACT_KINDS[index][0]
        try:
            when = parse_when(self.query_one("#log-when", Input).value, now=now())
        except WhenError as error:
            return str(error)
        note = clean_text(self.query_one("#log-note", Input).value, limit=NAME_LIMIT * 2)
        return Contact(colleague_id=self.colleague.id or 0, when=when, kind=kind, note=note)

    def action_save(self) -> None:
        result = self.build()
        if isinstance(result, str):
            self.query_one("#log-error", Static).update(result)
            self.query_one("#log-when", Input).focus()
            return
        self.dismiss(result)

    @on(OptionList.OptionSelected, "#log-kind")
    def _kind_chosen(self) -> None:
        self.action_save()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)


