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

import pendulum

from app.circle import member_problem
from app.models import Colleague
from app.people import (
    BIRTHDAY_YEAR,
    NOTES_REMINDER,
    ROLES,
    CadenceError,
    cadence_in_words,
    derived_call_name,
    read_cadence,
    read_day,
)
from app.textclean import NAME_LIMIT, NOTE_LIMIT, clean_lines, clean_text
from screens.base import key_hints
from screens.colleagues.rows import CSS_FILE, FORM_DRAFT
from screens.dialogs import DraftForm, tend_of


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
                yield Static("", id="form-name-error", classes="people-error form-field-error", markup=False)
                with Horizontal(classes="form-row"):
                    yield Label("Called", classes="form-label")
                    yield Input(c.call_name, id="form-called", compact=True, max_length=NAME_LIMIT,
                                placeholder=self._called_placeholder(c.name, c.role))  # fmt: skip
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
                    yield Label("Keep in touch", classes="form-label")
                    yield Label("every", classes="form-between")
                    yield Input(str(c.ideal_days), id="form-ideal", compact=True, max_length=4,
                                restrict=r"[0-9]*")  # fmt: skip
                    yield Label("days; starts to matter after", classes="form-between")
                    yield Input("" if c.limit_days is None else str(c.limit_days),
                                id="form-limit", compact=True, max_length=4,
                                restrict=r"[0-9]*", placeholder="-")  # fmt: skip
                    yield Label("days", classes="form-between")
                yield Static("", id="form-cadence-words", classes="form-words", markup=False)
                with Horizontal(classes="form-row form-row-tall"):
                    yield Label("Notes", classes="form-label")
                    yield TextArea(c.notes, id="form-notes", compact=True)
                yield Static(NOTES_REMINDER, classes="form-reminder", markup=False)
                with Horizontal(classes="form-row"):
                    yield Label("Tags", classes="form-label")
                    yield Input(", ".join(c.tags), id="form-tags", compact=True,
                                placeholder="comma-separated, e.g. tuesday, group")  # fmt: skip
                with Horizontal(classes="form-row"):
                    yield Label("Birthday", classes="form-label")
                    yield Input(_day_text(c.birthday), id="form-birthday", compact=True, max_length=20,
                                placeholder="e.g. 14 Mar (optional)")  # fmt: skip
                    yield Label("Joined the team", classes="form-between")
                    yield Input(_day_text(c.joined, year=True), id="form-joined", compact=True, max_length=20,
                                placeholder="e.g. 2023-09-01")  # fmt: skip
                yield Static("", id="form-dates-error", classes="people-error form-field-error", markup=False)
                with Horizontal(classes="form-row", id="form-circle-row"):
                    yield Label("Circle user", classes="form-label")
                    yield Input(c.circle_user, id="form-circle", compact=True, max_length=64,
                                placeholder="their user name on this server (optional)")  # fmt: skip
                yield Static("", id="form-circle-error", classes="people-error form-field-error", markup=False)
            yield Static("", id="form-error", classes="people-error", markup=False)
            yield Static(key_hints(self, "save", "app.focus_next", "cancel"), classes="people-hint")

    def on_mount(self) -> None:
        self.query_one("#form-circle-row").display = self._circle_dir() != ""  # only in a circle
        self.restore_draft()
        self._show_cadence()
        self.query_one("#form-name", Input).focus()

    @staticmethod
    def _called_placeholder(name: str, role: Any) -> str:
        called = derived_call_name(name, role if isinstance(role, str) else "")
        return f"{called} (in messages; type another name to change it)" if called else "the name messages use"

    @on(Input.Changed, "#form-name")
    @on(Select.Changed, "#form-role")
    def _name_changed(self) -> None:
        """The Called field's placeholder follows the name: what messages will call them."""
        fields = self.draft_fields()
        self.query_one("#form-called", Input).placeholder = self._called_placeholder(fields["name"], fields["role"])
        if clean_text(fields["name"]):
            self._say("name", "")

    @on(Input.Changed, "#form-ideal, #form-limit")
    def _show_cadence(self) -> None:
        """The cadence in words as it is typed, or what to fix, just under it."""
        fields = self.draft_fields()
        words = self.query_one("#form-cadence-words", Static)
        try:
            ideal, limit = read_cadence(fields["ideal"], fields["limit"])
        except CadenceError as error:
            words.update(str(error))
            words.add_class("-problem")
            return
        words.update(cadence_in_words(ideal, limit).capitalize() + ".")
        words.remove_class("-problem")

    def _say(self, field: str, problem: str) -> None:
        """Show (or clear) what to fix beside the field it is about."""
        line = self.query_one(f"#form-{field}-error", Static)
        line.update(problem)
        line.display = bool(problem)

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
            "called": self.query_one("#form-called", Input).value,
            "birthday": self.query_one("#form-birthday", Input).value,
            "joined": self.query_one("#form-joined", Input).value,
            "circle_user": self.query_one("#form-circle", Input).value,
        }

    def fill_draft(self, draft: dict[str, Any]) -> None:
        for key in ("name", "ideal", "limit", "tags", "reach", "notes"):
            self.refill(f"#form-{key}", draft.get(key))
        for key in ("called", "birthday", "joined"):  # a draft from before these fields leaves them as they are
            if key in draft:
                self.refill(f"#form-{key}", draft[key])
        if "circle_user" in draft:
            self.refill("#form-circle", draft["circle_user"])
        if draft.get("role") in dict(ROLES):
            self.query_one("#form-role", Select).value = draft["role"]

    # Saving

    def build(self) -> Colleague | str:
        """The colleague from the form, or what needs fixing (also shown beside its field)."""
        fields = self.draft_fields()
        name = clean_text(fields["name"], limit=NAME_LIMIT)
        if not name:
            self._say("name", "A name, please (a first name is plenty).")
            self.query_one("#form-name", Input).focus()
            return "A name, please (a first name is plenty)."
        try:
            ideal, limit = read_cadence(fields["ideal"], fields["limit"])
        except CadenceError as error:
            self._show_cadence()
            self.query_one("#form-ideal", Input).focus()
            return str(error)
        today = pendulum.today().date()
        days: dict[str, pendulum.Date | None] = {}
        for key, words in (("birthday", "The birthday"), ("joined", "The day they joined")):
            text = clean_text(fields[key])
            if not text:
                days[key] = None
                continue
            try:
                day = read_day(text, today, relative=False, year=BIRTHDAY_YEAR if key == "birthday" else None)
            except ValueError as error:
                problem = f"{words}: {error}"
                self._say("dates", problem)
                self.query_one(f"#form-{key}", Input).focus()
                return problem
            days[key] = pendulum.Date(day.year, day.month, day.day)
        self._say("dates", "")
        circle_user = clean_text(fields["circle_user"], limit=64)
        base = self.colleague or Colleague(name=name)
        if self._circle_dir() and circle_user != base.circle_user:  # a link kept as it was is not checked again
            problem = member_problem(self._circle_dir(), circle_user)
            self._say("circle", problem)
            if problem:
                self.query_one("#form-circle", Input).focus()
                return problem
        tags = clean_lines([t for t in fields["tags"].split(",")])
        return replace(
            base,
            name=name,
            role=fields["role"] if fields["role"] in dict(ROLES) else "other",
            reach=clean_lines(fields["reach"]),
            ideal_days=ideal,
            limit_days=limit,
            notes=clean_text(fields["notes"], multiline=True, limit=NOTE_LIMIT),
            tags=list(dict.fromkeys(tags)),
            call_name=clean_text(fields["called"], limit=NAME_LIMIT),
            birthday=days["birthday"],
            joined=days["joined"],
            circle_user=circle_user,
        )

    def _circle_dir(self) -> str:
        """The circle joined on this server ("" = none: the Circle user field is hidden)."""
        return tend_of(self).store.settings().circle_dir

    def action_save(self) -> None:
        result = self.build()
        if isinstance(result, str):  # said beside its field by build()
            return
        self.submit(result)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()



def _day_text(day: pendulum.Date | None, *, year: bool = False) -> str:
    """A stored day as the form shows it: "14 Mar" (a birthday), "2023-09-01" (a joining day)."""
    if day is None:
        return ""
    if year:
        return day.isoformat()
    return f"{day.day} {day:%b}" + ("" if day.year == BIRTHDAY_YEAR else f" {day.year}")

