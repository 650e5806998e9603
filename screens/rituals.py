"""Rituals: what is due now, what is coming up, and every ritual with its gentle progress.

The list has three sections (due now, coming up in the next seven days, all rituals). The
keys act on the highlighted ritual: space marks it done today, ``d`` done another day, ``k``
skip with a reason (``s`` stays the body scan's key everywhere), ``n`` a note, ``u`` undo, ``a``/``e``/``x`` add, edit and delete; enter
opens its detail (heatmap and history). Rituals linked to colleagues log a contact with them
when done. On a first visit with no rituals, Tend offers a few starters; nothing is added
unless the person picks it.

The schedule and progress rules live in :mod:`app.schedule` and :mod:`app.progress`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pendulum
from pendulum import Date
from rich.cells import set_cell_size
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from app.models import Colleague, Ritual, RitualEntry
from app.people import CONTACT_KINDS
from app.progress import SYMBOLS, Cell, explain_score, heatmap, max_weeks
from app.schedule import (
    DUE,
    OVERDUE,
    SCHEDULE_EXAMPLES,
    Schedule,
    ScheduleError,
    describe,
    parse_schedule,
)
from app.rituals import AlreadyMarked, Marked, RitualView, load_view, load_views, mark_ritual, when_words
from app.starters import Starter, starter_rituals
from app.textclean import NAME_LIMIT, NOTE_LIMIT, clean_text
from app.when import DAY_EXAMPLES, WhenError, parse_day
from screens.base import DismissOnTop, NavBar, TendScreen, safe
from screens.dialogs import ConfirmDialog, DraftForm, TextPrompt, reopen_draft

CELL_STYLES = {
    Cell.DONE: "bold $success",
    Cell.SKIPPED: "$accent",
    Cell.MISSED: "$warning",
    Cell.DUE: "bold $accent",
    Cell.NOT_DUE: "$text-muted",
    Cell.FUTURE: "$text-muted",
    Cell.OUTSIDE: "",
}

NAME_WIDTH = 22
WORDS_WIDTH = 26
WHEN_WIDTH = 13
HEADER = Content.styled(
    "  " + "Ritual".ljust(NAME_WIDTH + 1) + "How often".ljust(WORDS_WIDTH + 1) + "Next".ljust(WHEN_WIDTH)
    + "Score" + "  Streak", "$text-muted")
HEADER_NO_STREAK = Content.styled(
    "  " + "Ritual".ljust(NAME_WIDTH + 1) + "How often".ljust(WORDS_WIDTH + 1) + "Next".ljust(WHEN_WIDTH)
    + "Score", "$text-muted")
FORM_DRAFT = "ritual-form"
SHORT_EXAMPLES = "weekdays, tue and thu, every 2nd Tuesday, 3 times a week, monthly on the 15th"


def marker(view: RitualView, today: Date) -> tuple[str, str]:
    """A symbol and its style for the row: due now, done today, skipped today, or nothing."""
    state = view.states.get(today)
    if state == "done":
        return SYMBOLS[Cell.DONE], CELL_STYLES[Cell.DONE]
    if view.state in (DUE, OVERDUE):
        return SYMBOLS[Cell.DUE], CELL_STYLES[Cell.DUE]
    if state == "skipped":
        return SYMBOLS[Cell.SKIPPED], CELL_STYLES[Cell.SKIPPED]
    return " ", ""


def row(view: RitualView, today: Date, show_streak: bool) -> Content:
    """One line of the list, fitted to 78 cells."""
    symbol, style = marker(view, today)
    name = set_cell_size(clean_text(view.record.name), NAME_WIDTH)
    words = describe(view.schedule, short=True) if view.schedule else "(schedule unclear)"
    if len(words) > WORDS_WIDTH:
        words = words[: WORDS_WIDTH - 3].rstrip() + "..."
    parts: list[Any] = [
        (symbol, style),
        " ",
        (name, "bold" if view.state in (DUE, OVERDUE) else ""),
        " ",
        (set_cell_size(words, WORDS_WIDTH), "$text-muted"),
        " ",
        set_cell_size(when_words(view, today), WHEN_WIDTH),
        f"{view.score:>4}%",
    ]
    if show_streak:
        parts.append((f"{view.streak:>8}" if view.streak else "       -", "$text-muted"))
    return Content.assemble(*parts)


def read_calendar_day(text: str, today: Date) -> Date | None:
    """A start or end date: empty, "today", "tomorrow", 2026-12-01, or a past day."""
    cleaned = clean_text(text).strip().lower()
    if not cleaned:
        return None
    if cleaned == "tomorrow":
        return today.add(days=1)
    try:
        return Date.fromisoformat(cleaned)
    except ValueError:
        pass
    return parse_day(cleaned, today)


# --------------------------------------------------------------------------- a list to pick from


class PickList(OptionList):
    """An option list where space picks and unpicks; "[x]" and "[ ]" show it without colour."""

    BINDINGS = [Binding("space", "toggle", "Pick", id="picklist.toggle", tooltip="Pick or unpick this one")]

    def __init__(self, labels: list[Content], picked: set[int] | None = None, **kwargs: Any) -> None:
        self.labels = labels
        self.picked: set[int] = set(picked or ())
        super().__init__(*(Option(self._prompt(i), id=str(i)) for i in range(len(labels))), **kwargs)

    def _prompt(self, index: int) -> Content:
        box = ("[x] ", "bold $accent") if index in self.picked else ("[ ] ", "$text-muted")
        return Content.assemble(box, self.labels[index])

    def set_label(self, index: int, label: Content) -> None:
        """Change one label (keeping whether it is picked)."""
        self.labels[index] = label
        self.replace_option_prompt_at_index(index, self._prompt(index))

    def set_picked(self, index: int, picked: bool) -> None:
        """Pick or unpick one entry."""
        (self.picked.add if picked else self.picked.discard)(index)
        self.replace_option_prompt_at_index(index, self._prompt(index))

    def action_toggle(self) -> None:
        if self.highlighted is not None:
            self.set_picked(self.highlighted, self.highlighted not in self.picked)

    @property
    def selected(self) -> list[int]:
        """Indexes of the picked entries, in order."""
        return sorted(self.picked)


# --------------------------------------------------------------------------- the form


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
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="ritualform.cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "save", "Save", id="ritualform.save", tooltip="Save this ritual"),
    ]

    def __init__(
        self,
        title: str,
        draft: RitualDraft | None,
        colleagues: list[Colleague],
        *,
        ritual_id: int | None = None,
        keep_draft: bool = True,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.draft = draft
        self.colleagues = colleagues
        self.today = pendulum.today().date()
        self.draft_for = ritual_id
        self.keeps_draft = keep_draft

    def compose(self) -> ComposeResult:
        draft = self.draft
        schedule = draft.schedule if draft else None
        with Vertical(id="form-box", classes="ritual-dialog"):
            yield Static(Content.styled(self.title_text, "bold"), classes="dialog-title")
            with VerticalScroll(id="form-fields", can_focus=False):
                yield from self._field("Name", "name", draft.name if draft else "", "Supervision with Sam")
                yield from self._field("When", "schedule", describe(schedule) if schedule else "",
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
            yield Static(Content.from_markup("[b]enter[/b] or [b]ctrl+s[/b] save   [b]tab[/b] next   [b]escape[/b] cancel"),
                         classes="dialog-hint")

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
            reads.update(Content(f"Reads as: {describe(parse_schedule(text, start=self.today))}"))
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
            schedule = parse_schedule(text, start=start, end=end)
        except ScheduleError as error:
            if start is None and "start date" in str(error):
                schedule = parse_schedule(text, start=self.today, end=end)
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

    def action_cancel(self) -> None:
        self.clear_draft()
        self.dismiss(None)


# --------------------------------------------------------------------------- starter offer


LATER = "later"


class StarterOffer(DismissOnTop, Screen["list[RitualDraft] | str | None"]):
    """The first-run offer. Dismisses with the picked drafts, None when declined, or
    :data:`LATER` when the person just goes back (asked again next time).

    A full screen rather than a modal, so the keys to the other screens still work: leaving
    is not declining, and the offer is still there on coming back.
    """

    CSS_PATH = "rituals.tcss"
    DEFAULT_CLASSES = "css-rituals"
    BINDINGS = [
        Binding("enter", "add", "Add picked", id="starters.add", tooltip="Add the rituals you picked", priority=True),
        Binding("e", "edit", "Edit", id="starters.edit", tooltip="Change this one before adding it"),
        Binding("n", "decline", "No thanks", id="starters.decline", tooltip="Add none of these (not asked again)"),
        Binding("escape", "later", "Later", id="starters.later", tooltip="Go back; ask again next time", show=False),
    ]

    def __init__(self, starters: list[Starter], colleagues: list[Colleague]) -> None:
        super().__init__()
        self.drafts = [RitualDraft.from_starter(s) for s in starters]
        self.colleagues = colleagues

    def compose(self) -> ComposeResult:
        yield NavBar("rituals")
        yield Footer()
        with Vertical(id="starters-box", classes="ritual-dialog"):
            yield Static(Content.styled("A few rituals to begin with", "bold"), classes="dialog-title")
            yield Static(Content(
                "Pick any that fit your week; nothing is added unless you choose it, "
                "and you can change or remove them later."), classes="dialog-text")
            yield PickList([self._label(d) for d in self.drafts], id="starters-list")
            yield Static("", id="starters-about", classes="form-note", markup=False)
            yield Static(Content.from_markup(
                "[b]space[/b] pick   [b]e[/b] edit   [b]enter[/b] add picked   [b]n[/b] no thanks"),
                classes="dialog-hint")

    @staticmethod
    def _label(draft: RitualDraft) -> Content:
        name = set_cell_size(clean_text(draft.name), 31)
        return Content.assemble(name, " ", (describe(draft.schedule), "$text-muted"))

    def on_mount(self) -> None:
        self._about()

    @on(OptionList.OptionHighlighted, "#starters-list")
    def _about(self) -> None:
        listing = self.query_one("#starters-list", PickList)
        index = listing.highlighted if listing.highlighted is not None else 0
        self.query_one("#starters-about", Static).update(safe(self.drafts[index].note))

    def action_add(self) -> None:
        picked = self.query_one("#starters-list", PickList).selected
        if not picked:
            self.notify("Pick one or more with space first, or press n for none.", markup=False)
            return
        self.dismiss([self.drafts[index] for index in picked])

    def action_edit(self) -> None:
        listing = self.query_one("#starters-list", PickList)
        index = listing.highlighted
        if index is None:
            return

        def edited(draft: RitualDraft | None) -> None:
            if draft is None:
                return
            self.drafts[index] = draft
            listing.set_label(index, self._label(draft))
            listing.set_picked(index, True)
            self._about()

        form = RitualForm("Change this starter", self.drafts[index], self.colleagues, keep_draft=False)
        self.app.push_screen(form, edited)

    def action_decline(self) -> None:
        self.dismiss(None)

    def action_later(self) -> None:
        self.dismiss(LATER)


# --------------------------------------------------------------------------- detail


class RitualDetail(DismissOnTop, Screen[None]):
    """One ritual: its schedule, score, streak, a heatmap and its history."""

    CSS_PATH = "rituals.tcss"
    DEFAULT_CLASSES = "css-rituals"
    BINDINGS = [
        Binding("space", "done", "Done", id="ritual.detail.done", tooltip="Mark it done today"),
        Binding("d", "other_day", "Another day", id="ritual.detail.other", tooltip="Mark it done on another day"),
        Binding("k", "skip", "Skip", id="ritual.detail.skip", tooltip="Skip it today, with a reason if you like"),
        Binding("n", "note", "Note", id="ritual.detail.note", tooltip="Add a note to today's entry", show=False),
        Binding("u", "undo", "Undo", id="ritual.detail.undo", tooltip="Undo the last change"),
        Binding("e", "edit", "Edit", id="ritual.detail.edit", tooltip="Change this ritual"),
        Binding("escape", "close", "Back", id="ritual.detail.back", tooltip="Back to the list"),
    ]

    def __init__(self, owner: RitualsScreen, ritual_id: int) -> None:
        super().__init__()
        self.owner = owner
        self.ritual_id = ritual_id

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail"):
            yield Static("", id="detail-title")
            yield Static("", id="detail-facts")
            yield Static("", id="detail-explain", classes="muted")
            yield Static("", id="detail-heatmap")
            yield Static("", id="detail-history")
        yield Footer()

    def on_mount(self) -> None:
        self.app.data_changed.subscribe(self, lambda _: self.refresh_view())  # type: ignore[attr-defined]
        self.refresh_view()

    def on_resize(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        view = self.owner.view(self.ritual_id)
        if view is None:
            self.query_one("#detail-title", Static).update(Content("This ritual is no longer here."))
            return
        today = pendulum.today().date()
        show_streak = self.owner.show_streak
        title = Content.assemble(safe(view.record.name, multiline=False).stylize("bold"), "  ",
                                 (when_words(view, today), "$text-muted"))
        facts: list[Any] = [
            "When: ", describe(view.schedule, with_dates=True) if view.schedule else "(schedule unclear)", "\n",
        ]
        names = self.owner.colleague_names(view.record.colleague_ids)
        if names:
            facts += ["With: ", safe(", ".join(names), multiline=False), "\n"]
        facts += [("Score ", "bold"), f"{view.score}%"]
        if show_streak:
            facts += ["   ", ("Streak ", "bold"), f"{view.streak} in a row"]
        if view.record.note:
            facts += ["\n", safe(view.record.note).stylize("italic")]
        self.query_one("#detail-title", Static).update(title)
        self.query_one("#detail-facts", Static).update(Content.assemble(*facts))
        if view.schedule is None:
            return
        self.query_one("#detail-explain", Static).update(Content(explain_score(view.schedule)))
        weeks = max(12, min(max_weeks(max(self.size.width, 80) - 2), 36))
        hm = heatmap(view.schedule, view.states, today, weeks=weeks, since=view.since_created)
        self.query_one("#detail-heatmap", Static).update(heatmap_content(hm))
        self.query_one("#detail-history", Static).update(history_content(view))

    def action_done(self) -> None:
        self.owner.mark(self.ritual_id, pendulum.today().date(), "done")

    def action_other_day(self) -> None:
        self.owner.ask_other_day(self.ritual_id)

    def action_skip(self) -> None:
        self.owner.ask_skip(self.ritual_id)

    def action_note(self) -> None:
        self.owner.ask_note(self.ritual_id)

    def action_undo(self) -> None:
        self.owner.action_undo()

    def action_edit(self) -> None:
        self.owner.edit(self.ritual_id)

    def action_close(self) -> None:
        self.dismiss(None)


def heatmap_content(hm: Any) -> Content:
    """The heatmap with a symbol per day (and colour only as an extra)."""
    lines = [Content.styled(hm.month_line(), "$text-muted")]
    for weekday, cells in enumerate(hm.rows):
        label = pendulum.Date(2024, 1, 1).add(days=weekday).format("ddd")
        parts: list[Any] = [(label, "$text-muted")]
        for cell in cells:
            parts += [" ", (SYMBOLS[cell], CELL_STYLES[cell])]
        lines.append(Content.assemble(*parts))
    legend: list[Any] = []
    for cell in (Cell.DONE, Cell.SKIPPED, Cell.MISSED, Cell.DUE, Cell.NOT_DUE, Cell.FUTURE):
        legend += [(SYMBOLS[cell], CELL_STYLES[cell]), f" {cell.value}  "]
    lines.append(Content.assemble(*legend))
    return Content("\n").join(lines)


def history_content(view: RitualView, limit: int = 8) -> Content:
    """The latest entries, newest first."""
    entries = sorted(view.entries.values(), key=lambda e: e.day, reverse=True)[:limit]
    if not entries:
        return Content.styled("Nothing logged yet. Space marks it done today.", "$text-muted")
    lines = [Content.styled("Recently", "bold")]
    for entry in entries:
        word = "done" if entry.status == "done" else "skipped"
        parts: list[Any] = [entry.day.format("ddd D MMM YYYY"), "  ",
                            (word.ljust(8), CELL_STYLES[Cell.DONE if word == "done" else Cell.SKIPPED])]
        if entry.note:
            parts.append(safe(entry.note, multiline=False))
        lines.append(Content.assemble(*parts))
    return Content("\n").join(lines)


# --------------------------------------------------------------------------- the screen


@dataclass
class Change:
    """One change that ``u`` can take back."""

    label: str
    undo: Callable[[], None]


class RitualsScreen(TendScreen):
    MODE = "rituals"
    CSS_PATH = "rituals.tcss"
    DEFAULT_CLASSES = "css-rituals"
    TITLE_TEXT = "Rituals"
    HELP = (
        "The practices that keep you going, with what is due now and what is coming. "
        "A skip never breaks a streak, and the score eases down slowly rather than dropping."
    )
    BINDINGS = [
        Binding("space", "done", "Done", id="rituals.done", tooltip="Mark the highlighted ritual done today"),
        Binding("enter", "details", "Details", id="rituals.details", tooltip="Open its heatmap and history", show=False),
        Binding("d", "other_day", "Another day", id="rituals.other_day", tooltip="Mark it done on another day"),
        Binding("k", "skip", "Skip", id="rituals.skip", tooltip="Skip it, with a reason if you like"),
        Binding("n", "note", "Note", id="rituals.note", tooltip="Add a note to today's entry", show=False),
        Binding("u", "undo", "Undo", id="rituals.undo", tooltip="Undo the last change"),
        Binding("a", "add", "Add", id="rituals.add", tooltip="Add a ritual"),
        Binding("i", "ideas", "Ideas", id="rituals.ideas", tooltip="Pick from a few starter rituals", show=False),
        Binding("e", "edit", "Edit", id="rituals.edit", tooltip="Change the highlighted ritual", show=False),
        Binding("x", "delete", "Delete", id="rituals.delete", tooltip="Delete the highlighted ritual", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.views: dict[int, RitualView] = {}
        self.undo_stack: list[Change] = []
        self.show_streak = True
        self._offering = False
        self._draft_offered = False
        self._colleagues: dict[int, Colleague] = {}

    def compose_body(self) -> ComposeResult:
        with Vertical(id="rituals-body"):
            yield Static("", id="rituals-summary")
            yield Static(HEADER, id="rituals-header")
            yield OptionList(id="rituals-list")

    # -- data

    @property
    def store(self) -> Any:
        return self.tend.store

    def refresh_data(self) -> None:
        today = pendulum.today().date()
        settings = self.store.settings()
        self.show_streak = settings.show_streak
        self._colleagues = {c.id or 0: c for c in self.store.all(Colleague)}
        views = load_views(self.store, today)
        self.views = {v.id: v for v in views}
        self._fill(views, today)
        self.refresh_bindings()
        if not self._draft_offered:
            # A form left half-typed (Tend closed, or the connection dropped) opens again as
            # it was, the first time this screen is shown (before any starter offer).
            self._draft_offered = True
            self.call_after_refresh(reopen_draft, self, FORM_DRAFT, self._ritual, self._open_form)
        if not views and not settings.starters_offered and not self.store.read_only:
            self.call_after_refresh(self.offer_starters)

    def _fill(self, views: list[RitualView], today: Date) -> None:
        listing = self.query_one("#rituals-list", OptionList)
        keep = self.current_id()
        due = sorted((v for v in views if v.state in (DUE, OVERDUE)), key=lambda v: (v.since or today, v.record.name))
        soon = sorted(
            (v for v in views if v.state not in (DUE, OVERDUE) and v.next_due and (v.next_due - today).days <= 7),
            key=lambda v: (v.next_due, v.record.name),
        )
        options: list[Option | None] = []
        for title, group, key in (("Due now", due, "due"), ("Coming up: next 7 days", soon, "soon"),
                                  ("All rituals", views, "all")):
            options.append(Option(Content.styled(title, "bold $accent"), id=f"head-{key}", disabled=True))
            if not group:
                empty = {"due": "Nothing due right now.", "soon": "Nothing in the next week.",
                         "all": "No rituals yet. Press a to add one, or i for a few ideas."}[key]
                options.append(Option(Content.styled(f"  {empty}", "$text-muted"), id=f"empty-{key}", disabled=True))
            for view in group:
                options.append(Option(row(view, today, self.show_streak), id=f"{key}-{view.id}"))
        listing.set_options(options)
        self.query_one("#rituals-summary", Static).update(self._summary(due, soon, views))
        self.query_one("#rituals-header", Static).update(HEADER if self.show_streak else HEADER_NO_STREAK)
        self.query_one("#rituals-header", Static).display = bool(views)
        self._restore_highlight(listing, keep)

    def _summary(self, due: list[RitualView], soon: list[RitualView], views: list[RitualView]) -> Content:
        if not views:
            return Content.styled("Rituals are the steady practices that keep you going.", "$text-muted")
        parts = [f"{len(due)} due now" if due else "Nothing due now", f"{len(soon)} coming up this week"]
        legend = f"   {SYMBOLS[Cell.DUE]} due  {SYMBOLS[Cell.DONE]} done today  {SYMBOLS[Cell.SKIPPED]} skipped"
        return Content.assemble((" · ".join(parts), "bold"), (legend, "$text-muted"))

    def _restore_highlight(self, listing: OptionList, keep: int | None) -> None:
        target = None
        for index in range(listing.option_count):
            option = listing.get_option_at_index(index)
            if option.disabled:
                continue
            if target is None:
                target = index
            if keep is not None and option.id and option.id.endswith(f"-{keep}"):
                target = index
                break
        listing.highlighted = target

    def current_id(self) -> int | None:
        """The id of the highlighted ritual, if any."""
        try:
            listing = self.query_one("#rituals-list", OptionList)
        except Exception:
            return None
        option = listing.highlighted_option
        if option is None or option.disabled or not option.id:
            return None
        ritual_id = int(option.id.rsplit("-", 1)[1])
        return ritual_id if ritual_id in self.views else None

    def view(self, ritual_id: int) -> RitualView | None:
        """A fresh view of one ritual (re-read from the store)."""
        return load_view(self.store, ritual_id, pendulum.today().date())

    def colleague_names(self, ids: list[int]) -> list[str]:
        return [self._colleagues[i].name for i in ids if i in self._colleagues]

    # -- keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("done", "details", "other_day", "skip", "note", "edit", "delete"):
            return self.current_id() is not None
        if action == "undo":
            return bool(self.undo_stack)
        if action == "ideas":
            return not self.store.read_only
        return True

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self.refresh_bindings()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_details()

    def action_details(self) -> None:
        ritual_id = self.current_id()
        if ritual_id is not None:
            self.app.push_screen(RitualDetail(self, ritual_id))

    def action_done(self) -> None:
        ritual_id = self.current_id()
        if ritual_id is not None:
            self.mark(ritual_id, pendulum.today().date(), "done")

    def action_other_day(self) -> None:
        ritual_id = self.current_id()
        if ritual_id is not None:
            self.ask_other_day(ritual_id)

    def action_skip(self) -> None:
        ritual_id = self.current_id()
        if ritual_id is not None:
            self.ask_skip(ritual_id)

    def action_note(self) -> None:
        ritual_id = self.current_id()
        if ritual_id is not None:
            self.ask_note(ritual_id)

    def _ritual(self, ritual_id: int) -> Ritual | None:
        return self.store.get(Ritual, ritual_id)

    def _open_form(self, ritual: Ritual | None) -> None:
        """The form for ``ritual``, or for a new one."""
        if ritual is None or ritual.id is None:
            self.action_add()
        else:
            self.edit(ritual.id)

    def action_add(self) -> None:
        form = RitualForm("A new ritual", None, list(self._colleagues.values()))
        form.save_with = lambda draft: self.add_drafts([draft])
        self.app.push_screen(form)

    def action_edit(self) -> None:
        ritual_id = self.current_id()
        if ritual_id is not None:
            self.edit(ritual_id)

    def action_delete(self) -> None:
        ritual_id = self.current_id()
        view = self.views.get(ritual_id or -1)
        if view is None:
            return
        question = Content.assemble("Delete ", safe(view.record.name, multiline=False).stylize("bold"),
                                    " and its history? (u brings it back)")

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete(view.id)

        self.app.push_screen(ConfirmDialog(question, yes="Delete", no="Keep"), answered)

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo just now.", markup=False)
            return
        change = self.undo_stack.pop()
        with self.tend.saving() as attempt:
            with self.store.transaction():
                change.undo()
        if attempt.ok:
            self.notify(f"Undone: {change.label}", markup=False)
        else:
            self.undo_stack.append(change)
        self.refresh_bindings()

    # -- changes (also used by the detail view)

    def _push(self, label: str, undo: Callable[[], None]) -> None:
        self.undo_stack.append(Change(label, undo))
        del self.undo_stack[:-50]
        self.refresh_bindings()

    def mark(self, ritual_id: int, day: Date, state: str, note: str = "") -> bool:
        """Record done or skipped on ``day``; done also logs contacts with linked colleagues."""
        when = "today" if day == pendulum.today().date() else day.format("ddd D MMM")
        marked: Marked | None = None
        with self.tend.saving() as attempt:
            try:
                marked = mark_ritual(self.store, ritual_id, day, state, note)
            except AlreadyMarked:
                self.notify(f"Already marked {state} for {when}.", markup=False)
                return False
        if not attempt.ok or marked is None:
            return False
        self._push(f"{clean_text(marked.ritual.name)} {state} for {when}", lambda: marked.undo(self.store))
        self.notify(marked.message(self.colleague_names), markup=False)
        return True

    def ask_other_day(self, ritual_id: int) -> None:
        today = pendulum.today().date()

        def check(text: str) -> str | None:
            try:
                parse_day(text, today)
            except WhenError as error:
                return str(error)
            return None

        def chosen(text: str | None) -> None:
            if text is not None:
                self.mark(ritual_id, parse_day(text, today), "done")

        self.app.push_screen(TextPrompt(f"Which day did you do it? ({DAY_EXAMPLES})",
                                        placeholder="yesterday", validate=check), chosen)

    def ask_skip(self, ritual_id: int) -> None:
        def chosen(reason: str | None) -> None:
            if reason is not None:
                self.mark(ritual_id, pendulum.today().date(), "skipped", reason)

        self.app.push_screen(TextPrompt("Skip it today. A reason, if you'd like one (enter to skip without):",
                                        placeholder="away, unwell, moved to next week"), chosen)

    def ask_note(self, ritual_id: int) -> None:
        today = pendulum.today().date()
        existing = next(iter(self.store.find(RitualEntry, ritual_id=ritual_id, day=today)), None)

        def chosen(note: str | None) -> None:
            if note is None:
                return
            if existing is None:
                self.mark(ritual_id, today, "done", note)
            else:
                self.mark(ritual_id, today, existing.status, note)

        question = "A note for today's entry:" if existing else "Mark it done today, with a note:"
        self.app.push_screen(TextPrompt(question, value=existing.note if existing else "",
                                        limit=NOTE_LIMIT), chosen)

    def add_drafts(self, drafts: list[RitualDraft]) -> bool:
        """Add rituals from the form or the starter offer; False if they could not be saved."""
        with self.tend.saving() as attempt:
            with self.store.transaction():
                added = [self.store.add(Ritual(name=d.name, schedule=d.schedule.to_dict(),
                                               colleague_ids=d.colleague_ids, contact_kind=d.contact_kind,
                                               note=d.note)) for d in drafts]
        if attempt.ok:
            def undo() -> None:
                for record in added:
                    self.store.remove(Ritual, record.id or 0)

            label = f"added {len(added)} rituals" if len(added) > 1 else f"added {clean_text(added[0].name)}"
            self._push(label, undo)
            self.notify("Added " + (f"{len(added)} rituals." if len(added) > 1 else "it."), markup=False)
            self.refresh_data()
            self._highlight(added[0].id or 0)
        return attempt.ok

    def _highlight(self, ritual_id: int) -> None:
        listing = self.query_one("#rituals-list", OptionList)
        for index in range(listing.option_count):
            option = listing.get_option_at_index(index)
            if option.id == f"all-{ritual_id}":
                listing.highlighted = index

    def edit(self, ritual_id: int) -> None:
        record = self.store.get(Ritual, ritual_id)
        if record is None:
            return
        try:
            schedule = Schedule.from_dict(record.schedule)
        except ScheduleError:
            schedule = Schedule.daily()

        def edited(draft: RitualDraft) -> bool:
            before = record
            with self.tend.saving() as attempt:  # merged with changes made elsewhere meanwhile
                saved = form.save_edit(self.store, replace(record, name=draft.name, schedule=draft.schedule.to_dict(),
                                                           colleague_ids=draft.colleague_ids,
                                                           contact_kind=draft.contact_kind, note=draft.note))
            if attempt.ok:
                # Undo takes back this edit only: what another window changed meanwhile stays.
                self._push(f"changes to {clean_text(before.name)}", lambda: self.store.update(before, base=saved))
                self.notify("Saved.", markup=False)
            return attempt.ok

        form = RitualForm("Change this ritual", RitualDraft.from_record(record, schedule),
                          list(self._colleagues.values()), ritual_id=ritual_id)
        form.base = record
        form.save_with = edited
        self.app.push_screen(form)

    def delete(self, ritual_id: int) -> None:
        record = self.store.get(Ritual, ritual_id)
        if record is None:
            return
        entries = self.store.find(RitualEntry, ritual_id=ritual_id)
        with self.tend.saving() as attempt:
            with self.store.transaction():
                for entry in entries:
                    self.store.remove(RitualEntry, entry.id or 0)
                self.store.remove(Ritual, ritual_id)
        if attempt.ok:
            def undo() -> None:
                restored = self.store.restore(record)
                for entry in entries:
                    self.store.restore(replace(entry, ritual_id=restored.id or 0))

            self._push(f"deleted {clean_text(record.name)}", undo)
            self.notify("Deleted. Press u to bring it back.", markup=False)

    # -- first run

    def offer_starters(self, *, asked: bool = False) -> None:
        """The starter rituals: offered by themselves on a first visit with none, or when
        asked for (``i``), then only those not already on the list."""
        if self._offering or not self.is_current or (self.views and not asked):
            return
        have = {view.record.name.casefold() for view in self.views.values()}
        starters = [s for s in starter_rituals(pendulum.today().date()) if s.name.casefold() not in have]
        if not starters:
            self.notify("You have every one of the starter rituals already.", markup=False)
            return
        self._offering = True

        def answered(drafts: list[RitualDraft] | str | None) -> None:
            self._offering = False
            if drafts == LATER:
                if not asked:
                    self.tend.action_back()
                return
            if not self.store.settings().starters_offered:
                with self.tend.saving():
                    self.store.update_settings(starters_offered=True)
            if isinstance(drafts, list) and drafts:
                self.add_drafts(drafts)
            else:
                self.notify("No starters added. Press a to add a ritual of your own, or i for these ideas again.", markup=False)

        self.app.push_screen(StarterOffer(starters, list(self._colleagues.values())), answered)

    def action_ideas(self) -> None:
        self.offer_starters(asked=True)
