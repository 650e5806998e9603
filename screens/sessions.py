"""The working-pattern form: when sessions usually start, said once (``w`` on Today).

It shows, as the person types, how Tend reads the pattern (:func:`app.sessions.describe`) or
what it could not read, and asks for an optional notice some minutes before each session
(and whether the bell rings with it: Tend's one bell setting). Saved in ``Settings``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, Static

from app import sessions
from app.models import Settings
from app.textclean import clean_text
from screens.base import key_hints
from screens.dialogs import DraftForm

MAX_NOTICE = 60
"""The most minutes ahead a notice can come."""


def bell_words(on: bool) -> str:
    """The bell box's label, saying its state (space toggles it)."""
    return ("Bell on: it rings with the notice" if on else "Bell off") + " (Tend's one bell setting)"


class SessionsForm(DraftForm[tuple[str, int, bool] | None]):
    """Result: (pattern text, minutes of notice (0: none), bell)."""

    CSS_PATH = "sessions.tcss"
    DEFAULT_CLASSES = "css-sessions"
    DRAFT_KEY = "sessions"
    DRAFT_RECORD = Settings
    BINDINGS: ClassVar = [
        Binding("ctrl+s", "save", "Save", id="sessions.save", tooltip="Save your working pattern"),
        Binding("escape", "cancel", "Cancel", id="sessions.cancel", tooltip="Close without changing anything"),
        Binding("tab", "app.focus_next", "Next field", show=False, id="sessions.next", tooltip="Go to the next field"),
    ]

    def __init__(self, pattern: str, notice: int, bell: bool) -> None:
        super().__init__()
        self.start = (pattern, notice, bell)

    def compose(self) -> ComposeResult:
        pattern, notice, bell = self.start
        with Vertical(classes="sessions-dialog"):
            yield Static(Content.styled("When do your sessions start?", "bold"), classes="sessions-title")
            yield Input(pattern, id="sessions-pattern", compact=True, max_length=sessions.LIMIT,
                        placeholder="on the hour, 9 to 17, 50 minutes")  # fmt: skip
            yield Static("", id="sessions-read", classes="sessions-read")
            with Horizontal(classes="sessions-row"):
                yield Label("Notice, minutes before (0 for none)", classes="sessions-label")
                yield Input(str(notice), id="sessions-notice", compact=True, max_length=2, restrict=r"\d*", classes="sessions-minutes")
            yield Checkbox(bell_words(bell), bell, id="sessions-bell", compact=True)
            yield Static("", id="form-error", classes="sessions-error")
            yield Static(key_hints(self, "save", "app.focus_next", "cancel"), classes="sessions-hint")

    def on_mount(self) -> None:
        self.restore_draft()
        self._read(self.query_one("#sessions-pattern", Input).value)

    # -- drafts ----------------------------------------------------------------------------

    def draft_fields(self) -> dict[str, Any]:
        return {
            "pattern": self.query_one("#sessions-pattern", Input).value,
            "notice": self.query_one("#sessions-notice", Input).value,
            "bell": self.query_one("#sessions-bell", Checkbox).value,
        }

    def fill_draft(self, draft: dict[str, Any]) -> None:
        self.refill("#sessions-pattern", draft.get("pattern", ""))
        self.refill("#sessions-notice", draft.get("notice", ""))
        self.query_one("#sessions-bell", Checkbox).value = draft.get("bell") is True

    # -- reading ---------------------------------------------------------------------------

    @on(Input.Changed, "#sessions-pattern")
    def _changed(self, event: Input.Changed) -> None:
        self._read(event.value)

    def _read(self, text: str) -> None:
        """Say how the pattern reads (or what could not be read) under the field."""
        line = self.query_one("#sessions-read", Static)
        if not clean_text(text).strip():
            line.update(Content("No pattern: Today asks when your next session starts (n)."))
            return
        read = sessions.parse_pattern(text)
        if isinstance(read, str):
            line.update(Content.styled(read, "$error"))
        else:
            line.update(Content.assemble(("Read as: ", "bold"), sessions.describe(read)))

    @on(Checkbox.Changed, "#sessions-bell")
    def _bell_changed(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = bell_words(event.value)  # in words, not only the box's colour

    def build(self) -> tuple[str, int, bool] | str:
        text = clean_text(self.query_one("#sessions-pattern", Input).value, limit=sessions.LIMIT).strip()
        if text:
            read = sessions.parse_pattern(text)
            if isinstance(read, str):
                return read
        digits = self.query_one("#sessions-notice", Input).value.strip() or "0"
        notice = int(digits) if digits.isdigit() else -1
        if not 0 <= notice <= MAX_NOTICE:
            return f"A notice between 0 and {MAX_NOTICE} minutes before, please."
        return text, notice, self.query_one("#sessions-bell", Checkbox).value

    def action_save(self) -> None:
        result = self.build()
        if isinstance(result, str):
            self.query_one("#form-error", Static).update(Content(result))
            return
        self.submit(result)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()
