"""Make or change a breathing pattern of your own (errors beside each field)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static

from app.breathing import CUSTOM_SLOTS, NAME_MAX, Pattern, format_seconds, parse_seconds, validate_pattern
from app.models import BreathingPattern
from app.textclean import clean_text
from screens.base import key_hints
from screens.dialogs import DraftForm

EDITOR_DRAFT = "pattern-editor"


def custom_id(pattern: Pattern) -> int:
    """The record id behind a pattern of the user's own (key ``custom-<id>``)."""
    return int(pattern.key.removeprefix("custom-"))


class PatternEditor(DraftForm[dict[str, Any] | None]):
    """Make or change a pattern of your own. Dismisses with ``{"name", "phases"}`` or None."""

    CSS_PATH = "breathe.tcss"
    DEFAULT_CLASSES = "css-breathe"
    DRAFT_KEY = EDITOR_DRAFT
    DRAFT_RECORD = BreathingPattern
    GONE_NOTE = "The pattern you were changing was deleted in the meantime, so your changes are back as a new one."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="editor.cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "save", "Save", id="editor.save", tooltip="Save the pattern"),
        Binding("tab", "app.focus_next", "Next field", id="editor.next", tooltip="Go to the next field", show=False),
    ]

    def __init__(self, pattern: Pattern | None = None, *, taken_names: Sequence[str] = ()) -> None:
        super().__init__()
        self.pattern = pattern
        self.taken_names = [name for name in taken_names if not pattern or name != pattern.name]
        self.draft_for = custom_id(pattern) if pattern and pattern.custom else None

    def _initial_seconds(self) -> list[str]:
        """The four fields' values: in, hold after in, out, hold after out."""
        if self.pattern is None:
            return ["4", "0", "6", "0"]
        values = [0.0, 0.0, 0.0, 0.0]
        breathed_out = False
        for kind, seconds in self.pattern.phases:
            if kind == "inhale":
                values[0] += seconds
            elif kind == "exhale":
                values[2] += seconds
                breathed_out = True
            else:
                values[3 if breathed_out else 1] += seconds
        return [format_seconds(min(value, 20.0)) for value in values]

    def compose(self) -> ComposeResult:
        title = "Your own pattern" if self.pattern is None else "Change your pattern"
        with Vertical(id="editor", classes="dialog"):
            yield Static(Content.styled(title, "bold"), classes="dialog-title")
            with Horizontal(classes="field-row"):
                yield Label("Name", classes="field-label")
                yield Input(
                    self.pattern.name if self.pattern else "",
                    placeholder="e.g. Before supervision",
                    max_length=NAME_MAX * 2,
                    id="field-name",
                    compact=True,
                )
            yield Static("", id="error-name", classes="field-error below", markup=False)
            for index, ((_, label), value) in enumerate(zip(CUSTOM_SLOTS, self._initial_seconds(), strict=True)):
                with Horizontal(classes="field-row"):
                    yield Label(label, classes="field-label")
                    yield Input(value, max_length=6, id=f"field-phase-{index}", classes="seconds", compact=True)
                    yield Label("s", classes="field-unit")
                    yield Static("", id=f"error-phase-{index}", classes="field-error", markup=False)
            yield Static("", id="error-phases", classes="field-error below", markup=False)
            yield Static(
                Content("Each part 0 to 20 seconds, in half seconds. 0 leaves a hold out."),
                classes="dialog-hint",
            )
            yield Static(key_hints(self, "save", "focus_next", "cancel"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.restore_draft()

    # Drafts: an SSH drop (SIGHUP) or quit while the editor is open keeps what was typed.

    def draft_fields(self) -> dict[str, Any]:
        name, phases = self._values()
        return {"name": name, "phases": [value for _, value in phases]}

    def fill_draft(self, draft: dict[str, Any]) -> None:
        self.refill("#field-name", draft.get("name"))
        phases = draft.get("phases")
        if isinstance(phases, list) and len(phases) == len(CUSTOM_SLOTS):
            for index, value in enumerate(phases):
                self.refill(f"#field-phase-{index}", value)

    def _values(self) -> tuple[str, list[tuple[str, object]]]:
        name = self.query_one("#field-name", Input).value
        phases: list[tuple[str, object]] = [
            (kind, self.query_one(f"#field-phase-{index}", Input).value)
            for index, (kind, _) in enumerate(CUSTOM_SLOTS)
        ]
        return name, phases

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        # The message next to a field goes once the field is changed.
        if event.input.id:
            self._say(event.input.id.removeprefix("field-"), "")

    def _say(self, field: str, message: str) -> None:
        """Show ``message`` beside ``field`` (lines under a field take no room when empty)."""
        error = self.query_one(f"#error-{field}", Static)
        error.update(Content(message))
        if error.has_class("below"):
            error.display = bool(message)

    def action_save(self) -> None:
        name, phases = self._values()
        errors = validate_pattern(name, phases, taken_names=self.taken_names)
        for field in ["name", "phases", *(f"phase-{i}" for i in range(len(CUSTOM_SLOTS)))]:
            self._say(field, errors.get(field, ""))
        if errors:
            first = next(iter(errors))
            if first != "phases":
                self.query_one(f"#field-{first}", Input).focus()
            return
        kept = [[kind, parse_seconds(value)] for kind, value in phases if parse_seconds(value) > 0]
        self.submit({"name": clean_text(name, limit=NAME_MAX), "phases": kept})
