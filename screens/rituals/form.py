"""Add or edit a ritual."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import pendulum
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Select, Static

from app.models import Colleague, Ritual
from app.people import CONTACT_KINDS
from app.schedule import (
    SCHEDULE_EXAMPLES,
    Schedule,
    ScheduleError,
    SeveralMonths,
    describe,
    parse_schedule,
)
from app.starters import Starter
from app.textclean import NAME_LIMIT, NOTE_LIMIT, clean_text
from app.when import WhenError
from screens.base import key_hints, safe
from screens.dialogs import DraftForm
from screens.rituals.rows import SHORT_EXAMPLES, read_calendar_day
from screens.rituals.widgets import PickList

FORM_DRAFT = "ritual-form"


@dataclass
class RitualDraft:
    """What the add/edit form returns."""

    name: str
    schedule: Schedule
    colleague_ids: list[int] = field(default_factory=list)
    contact_kind: str = ""
    note: str = ""

    @classmethod
    def from_starter(cls, starter: Starter) -> RitualDraft:
        return cls(starter.name, starter.schedule, [], starter.contact_kind or "", starter.description)

    @classmethod
    def from_record(cls, record: Ritual, schedule: Schedule) -> RitualDraft:
        return cls(record.name, schedule, list(record.colleague_ids), record.contact_kind, record.note)


class RitualForm(DraftForm[RitualDraft | None]):
    """Add or edit a ritual: a name, a schedule in words, dates, colleagues and a note.

    What is typed is kept as a draft (see :class:`DraftForm`) unless ``keep_draft`` is False:
    a starter changed before it is added has no ritual to come back to.
    """

    CSS_PATH = "rituals.tcss"
    DEFAULT_CLASSES = "css-rituals"
    DRAFT_KEY = FORM_DRAFT
    DRAFT_RECORD = Ritual
    GONE_NOTE = "The ritual you were changing was deleted in the meantime, so your changes are back as a new one."
    TEXT_FIELDS = ("name", "schedule", "start", "end", "note")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="ritualform.cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "save", "Save", id="ritualform.save", tooltip="Save this ritual"),
        Binding("tab", "app.focus_next", "Next field", show=False, id="ritualform.next", tooltip="Go to the next field"),
    ]

    def __init__(
        self,
        title: str,
        draft: RitualDraft | None,
        colleagues: list[Colleague],
        *,
        ritual_id: int | None = None,
        keep_draft: bool = True,
        schedule_text: str | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.draft = draft
        self.colleagues = colleagues
        self.today = pendulum.today().date()
        self.draft_for = ritual_id
        self.keeps_draft = keep_draft
        self.schedule_text = schedule_text
        """What is stored as the schedule when Tend cannot read it: the "When" field opens
        with it (and the draft's schedule, a stand-in, is not shown)."""

    def compose(self) -> ComposeResult:
        draft = self.draft
        schedule = draft.schedule if draft and self.schedule_text is None else None
        with Vertical(id="form-box", classes="ritual-dialog"):
            yield Static(Content.styled(self.title_text, "bold"), classes="dialog-title")
            with VerticalScroll(id="form-fields", can_focus=False):
                yield from self._field("Name", "name", draft.name if draft else "", "Supervision with Sam")
                yield from self._field("When", "schedule", describe(schedule) if schedule else (self.schedule_text or ""),
                                       "every 2nd Tuesday, 3 times a week")
                yield Static("", id="form-reads", classes="form-note", markup=False)
                yield from self._field("Starts", "start", schedule.start.isoformat() if schedule and schedule.start else "",
                                       "optional: today, 2026-12-01")
                yield from self._field("Ends", "end", schedule.end.isoformat() if schedule and schedule.end else "",
                                       "optional")
                yield from self._field("Note", "note", draft.note if draft else "", "optional")
                if self.colleagues:
                    yield Static("With (space picks; done logs a contact with them)", classes="form-label-wide")
                    chosen = set(draft.colleague_ids if draft else [])
                    yield PickList(
                        [safe(c.name, multiline=False) for c in self.colleagues],
                        {i for i, c in enumerate(self.colleagues) if c.id in chosen},
                        id="form-colleagues",
                    )
                    kinds = [("Match their role", "")] + [(label, key) for key, label in CONTACT_KINDS]
                    with Horizontal(classes="form-row"):
                        yield Static("Log as", classes="form-label")
                        yield Select(kinds, value=draft.contact_kind if draft else "", allow_blank=False,
                                     id="form-kind", compact=True)
            yield Static("", id="form-error", classes="dialog-error", markup=False)
            yield Static(key_hints(self, "save", "app.focus_next", "cancel"), classes="dialog-hint")

    def _field(self, label: str, name: str, value: str, placeholder: str) -> ComposeResult:
        with Horizontal(classes="form-row", id=f"row-{name}"):
            yield Static(label, classes="form-label", markup=False)
            yield Input(clean_text(value, limit=NOTE_LIMIT), placeholder=placeholder, id=f"form-{name}",
                        compact=True, max_length=NOTE_LIMIT if name == "note" else NAME_LIMIT * 2)

    def on_mount(self) -> None:
        self.restore_draft()
        self._show_reading()
        self.query_one("#form-name", Input).focus()

    # Drafts: an SSH drop (SIGHUP) or quit while the form is open keeps what was typed.

    def draft_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {name: self._value(name) for name in self.TEXT_FIELDS}
        if self.colleagues:
            picked = self.query_one("#form-colleagues", PickList).selected
            fields["colleague_ids"] = [self.colleagues[i].id for i in picked]
            fields["kind"] = str(self.query_one("#form-kind", Select).value or "")
        return fields

    def fill_draft(self, draft: dict[str, Any]) -> None:
        for name in self.TEXT_FIELDS:
            self.refill(f"#form-{name}", draft.get(name))
        if not self.colleagues:
            return
        chosen = draft.get("colleague_ids")
        picks = self.query_one("#form-colleagues", PickList)
        for index, colleague in enumerate(self.colleagues):
            picks.set_picked(index, isinstance(chosen, list) and colleague.id in chosen)
        if draft.get("kind") in {"", *(key for key, _ in CONTACT_KINDS)}:
            self.query_one("#form-kind", Select).value = draft["kind"]

    @on(Input.Changed, "#form-schedule")
    def _show_reading(self) -> None:
        text = self.query_one("#form-schedule", Input).value
        reads = self.query_one("#form-reads", Static)
        if not text.strip():
            reads.update(Content(f"For example: {SHORT_EXAMPLES}."))
            return
        try:
            reads.update(Content(f"Reads as: {describe(parse_schedule(text, start=self.today, today=self.today))}"))
        except SeveralMonths as error:  # complete as typed: no point in typing on
            reads.update(Content(str(error)))
        except ScheduleError:
            reads.update(Content("Not sure how to read that yet; keep typing, or try 'tue and thu'."))

    def _value(self, name: str) -> str:
        return self.query_one(f"#form-{name}", Input).value

    def build(self) -> RitualDraft:
        """The draft from the fields; raises ScheduleError or WhenError with a plain message."""
        name = clean_text(self._value("name"))
        if not name:
            raise ScheduleError("Give it a name, so you know it when it comes round.")
        try:
            start = read_calendar_day(self._value("start"), self.today)
            end = read_calendar_day(self._value("end"), self.today)
        except WhenError as error:
            raise ScheduleError(str(error)) from None
        text = self._value("schedule")
        if not clean_text(text):
            raise ScheduleError(f"Say how often, for example: {SCHEDULE_EXAMPLES}.")
        try:
            schedule = parse_schedule(text, start=start, end=end, today=self.today)
        except ScheduleError as error:
            if start is None and "start date" in str(error):
                schedule = parse_schedule(text, start=self.today, end=end, today=self.today)
            else:
                raise
        colleague_ids: list[int] = []
        kind = ""
        if self.colleagues:
            picked = self.query_one("#form-colleagues", PickList).selected
            colleague_ids = [self.colleagues[i].id or 0 for i in picked]
            kind = str(self.query_one("#form-kind", Select).value or "")
        note = clean_text(self._value("note"), multiline=True, limit=NOTE_LIMIT)
        return RitualDraft(name, schedule, colleague_ids, kind, note)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        try:
            draft = self.build()
        except ScheduleError as error:
            self.query_one("#form-error", Static).update(Content(str(error)))
            return
        self.submit(draft)
