"""Add or edit a colleague."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Label, Select, Static, TextArea

from app.models import Colleague
from app.people import (
    NOTES_REMINDER,
    ROLES,
    CadenceError,
    read_cadence,
)
from app.textclean import NAME_LIMIT, NOTE_LIMIT, clean_lines, clean_text
from screens.base import key_hints
from screens.colleagues.rows import CSS_FILE, FORM_DRAFT
from screens.dialogs import DraftForm


class ColleagueForm(DraftForm[Colleague | None]):
    """Add or edit a colleague. ctrl+s (or enter in a one-line field) saves."""

    CSS_PATH = CSS_FILE
    DEFAULT_CLASSES = "css-colleagues"
    DRAFT_KEY = FORM_DRAFT
    DRAFT_RECORD = Colleague
    GONE_NOTE = (
        "The person you were editing was removed in the meantime, so your changes are back "
        "as someone new."
    )
    BINDINGS: ClassVar = [
        Binding("ctrl+s", "save", "Save", id="colleague_form.save", tooltip="Save"),
        Binding("escape", "cancel", "Cancel", id="colleague_form.cancel",
                tooltip="Close without saving"),
        Binding("tab", "app.focus_next", "Next field", show=False, id="colleague_form.next", tooltip="Go to the next field"),
    ]  # fmt: skip

    def __init__(self, colleague: Colleague | None) -> None:
        super().__init__()
        self.colleague = colleague
        self.draft_for = colleague.id if colleague else None
        self.base = colleague

    def compose(self) -> ComposeResult:
        c = self.colleague or Colleague(name="")
        title = f"Edit {clean_text(c.name)}" if self.colleague else "Add a colleague"
        with Vertical(classes="people-dialog", id="form"):
            yield Label(Content(title), classes="people-dialog-title")
            with VerticalScroll(id="form-fields"):
                with Horizontal(classes="form-row"):
                    yield Label("Name", classes="form-label")
                    yield Input(c.name, id="form-name", compact=True, max_length=NAME_LIMIT)
                with Horizontal(classes="form-row"):
                    yield Label("Role", classes="form-label")
                    yield Select(
                        [(label, key) for key, label in ROLES],
                        value=c.role if c.role in dict(ROLES) else "other",
                        allow_blank=False,
                        compact=True,
                        id="form-role",
                    )
                with Horizontal(classes="form-row form-row-tall"):
                    yield Label("How to reach", classes="form-label")
                    yield TextArea("\n".join(c.reach), id="form-reach", compact=True,
                                   placeholder="One per line: phone, email, chat")  # fmt: skip
                with Horizontal(classes="form-row"):
                    yield Label("Every", classes="form-label")
                    yield Input(str(c.ideal_days), id="form-ideal", compact=True, max_length=4,
                                restrict=r"[0-9]*")  # fmt: skip
                    yield Label("days, at most", classes="form-between")
                    yield Input("" if c.limit_days is None else str(c.limit_days),
                                id="form-limit", compact=True, max_length=4,
                                restrict=r"[0-9]*", placeholder="-")  # fmt: skip
                    yield Label("(optional)", classes="form-between muted")
                with Horizontal(classes="form-row form-row-tall"):
                    yield Label("Notes", classes="form-label")
                    yield TextArea(c.notes, id="form-notes", compact=True)
                yield Static(NOTES_REMINDER, classes="form-reminder", markup=False)
                with Horizontal(classes="form-row"):
                    yield Label("Tags", classes="form-label")
                    yield Input(", ".join(c.tags), id="form-tags", compact=True,
                                placeholder="comma-separated, e.g. tuesday, group")  # fmt: skip
            yield Static("", id="form-error", classes="people-error", markup=False)
            yield Static(key_hints(self, "save", "app.focus_next", "cancel"), classes="people-hint")

    def on_mount(self) -> None:
        self.restore_draft()
        self.query_one("#form-name", Input).focus()

    # Drafts: an SSH drop (SIGHUP) or quit while the form is open keeps what was typed.

    def draft_fields(self) -> dict[str, Any]:
        return {
            "name": self.query_one("#form-name", Input).value,
            "role": self.query_one("#form-role", Select).value,
            "reach": self.query_one("#form-reach", TextArea).text,
            "ideal": self.query_one("#form-ideal", Input).value,
            "limit": self.query_one("#form-limit", Input).value,
            "notes": self.query_one("#form-notes", TextArea).text,
            "tags": self.query_one("#form-tags", Input).value,
        }

    def fill_draft(self, draft: dict[str, Any]) -> None:
        for key in ("name", "ideal", "limit", "tags", "reach", "notes"):
            self.refill(f"#form-{key}", draft.get(key))
        if draft.get("role") in dict(ROLES):
            self.query_one("#form-role", Select).value = draft["role"]

    # Saving

    def build(self) -> Colleague | str:
        """The colleague from the form, or what needs fixing."""
        fields = self.draft_fields()
        name = clean_text(fields["name"], limit=NAME_LIMIT)
        if not name:
            return "A name, please (a first name is plenty)."
        try:
            ideal, limit = read_cadence(fields["ideal"], fields["limit"])
        except CadenceError as error:
            return str(error)
        tags = clean_lines([t for t in fields["tags"].split(",")])
        base = self.colleague or Colleague(name=name)
        return replace(
            base,
            name=name,
            role=fields["role"] if fields["role"] in dict(ROLES) else "other",
            reach=clean_lines(fields["reach"]),
            ideal_days=ideal,
            limit_days=limit,
            notes=clean_text(fields["notes"], multiline=True, limit=NOTE_LIMIT),
            tags=list(dict.fromkeys(tags)),
        )

    def action_save(self) -> None:
        result = self.build()
        if isinstance(result, str):
            self.query_one("#form-error", Static).update(result)
            return
        self.submit(result)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_cancel(self) -> None:
        self.clear_draft()
        self.dismiss(None)


