"""Trusted colleagues: who to lean on, who is due, and a check-in message ready to send.

The list is ordered by who is most due (see :mod:`app.people`). From it, one key each:
``l`` logs a contact, ``m`` copies a check-in message, ``enter`` opens a card with the
history, ``a``/``e`` add and edit, ``d`` removes (asks once; ``u`` brings it back until Tend
closes), ``/`` filters as you type, ``i`` imports an address book (.vcf).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import pendulum
from pendulum import DateTime
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from app.models import Colleague, Contact, MessageTemplate, Record
from app.people import (
    CONTACT_KINDS,
    NOTES_REMINDER,
    ROLES,
    CadenceError,
    Ranked,
    Status,
    Template,
    all_templates,
    describe_cadence,
    describe_due,
    describe_last,
    fill_template,
    kind_label,
    latest_contacts,
    make_template,
    matches,
    rank_colleagues,
    read_cadence,
    role_label,
)
from app.textclean import NAME_LIMIT, NOTE_LIMIT, clean_lines, clean_text
from app.when import WhenError, parse_when
from screens.base import DismissOnTop, TendScreen, safe
from screens.dialogs import ConfirmDialog, DraftForm, NoticeDialog, TextPrompt, reopen_draft

if TYPE_CHECKING:
    from app.tui import TendApp

CSS_FILE = "colleagues.tcss"
FORM_DRAFT = "colleague-form"
TEMPLATE_DRAFT = "template-editor"


def now() -> DateTime:
    """The current local time (one place, so tests can fix it)."""
    return pendulum.now()


def short_cadence(ideal: int, limit: int | None) -> str:
    """The cadence for a narrow column: "every 7 days" or "every 7-14 days"."""
    if limit is None or limit <= ideal:
        return "every day" if ideal == 1 else f"every {ideal} days"
    return f"every {ideal}-{limit} days"


def when_text(moment: DateTime, today: DateTime) -> str:
    """A contact's time in local time: "Wed 25 Nov 14:30" (with the year if not this one)."""
    local = moment.in_timezone(today.timezone or "UTC")
    pattern = "ddd D MMM HH:mm" if local.year == today.year else "ddd D MMM YYYY HH:mm"
    return local.format(pattern)


Row = Ranked[Colleague, Contact]
"""One colleague as the list shows them: the record, their standing, their last contact."""


def build_rows(colleagues: Iterable[Colleague], contacts: Iterable[Contact], at: DateTime) -> list[Row]:
    """Every colleague with their standing and last contact, most due first."""
    return rank_colleagues(colleagues, contacts, at)


def row_matches(row: Row, query: str) -> bool:
    colleague = row.colleague
    return matches(
        query, name=colleague.name, role=colleague.role, tags=colleague.tags, notes=colleague.notes
    )


def default_kind(role: str) -> str:
    """The kind of contact most likely with someone in this role."""
    return {"supervisor": "supervision", "consultation": "consultation"}.get(role, "message")


# The list ---------------------------------------------------------------------------------------


class ColleagueTable(DataTable[Any]):
    """The list of colleagues; enter opens the highlighted one's card."""

    BINDINGS: ClassVar = [
        Binding("enter", "select_cursor", "Card", id="colleagues.card", key_display="enter",
                tooltip="Open their card: details and contact history"),
    ]  # fmt: skip

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor":
            return self.row_count > 0 and self.display
        return super().check_action(action, parameters)


class ColleaguesScreen(TendScreen):
    """The people the user leans on, most due first."""

    MODE = "colleagues"
    TITLE_TEXT = "Trusted colleagues"
    CSS_PATH = CSS_FILE
    DEFAULT_CLASSES = "css-colleagues"
    HELP = (
        "The people you lean on, most due for a catch-up first. Logging any contact resets "
        "their cycle; a check-in message is one key away."
    )
    BINDINGS: ClassVar = [
        Binding("l", "log", "Log", id="colleagues.log",
                tooltip="Log a contact with them (resets their cycle)"),
        Binding("m", "message", "Message", id="colleagues.message",
                tooltip="Copy a check-in message for them"),
        Binding("a", "add", "Add", id="colleagues.add", tooltip="Add a colleague"),
        Binding("e", "edit", "Edit", id="colleagues.edit", tooltip="Edit their details",
                show=False),
        Binding("slash", "filter", "Filter", id="colleagues.filter",
                tooltip="Filter by name, role, tag or note as you type"),
        Binding("escape", "clear_filter", "Clear filter", id="colleagues.clear_filter",
                tooltip="Clear the filter"),
        Binding("d,delete", "delete", "Remove", id="colleagues.delete",
                tooltip="Remove them (asks first; u brings them back)", show=False),
        Binding("u", "undo", "Undo", id="colleagues.undo",
                tooltip="Bring back what you just removed"),
        Binding("i", "import", "Import", id="colleagues.import",
                tooltip="Import colleagues from an address book (.vcf)", show=False),
        Binding("down", "to_list", "To the list", id="colleagues.to_list", show=False),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self.shown: list[Row] = []
        self.query_text = ""
        self.undo_stack: list[tuple[str, list[Record]]] = []
        self.last_template = 0
        self._draft_offered = False

    # -- layout ---------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Vertical(id="people"):
            with Horizontal(id="people-head"):
                yield Static("Trusted colleagues", id="people-title", markup=False)
                yield Static("", id="people-summary", markup=False)
            with Horizontal(id="people-filter-row"):
                yield Label("Filter", id="people-filter-label")
                yield Input(placeholder="name, role, tag or note", id="people-filter",
                            compact=True)  # fmt: skip
            yield ColleagueTable(id="people-table", cursor_type="row", zebra_stripes=False)
            yield Static("", id="people-empty", markup=False)
            yield Static("", id="people-detail", markup=False)

    NAME_SPARE = 53
    """Columns used by everything but the name (other columns, cell padding, scrollbar)."""

    def on_mount(self) -> None:
        self._name_width = 0
        self._columns(self.app.size.width)
        self.query_one(ColleagueTable).focus()
        self.app.theme_changed_signal.subscribe(self, lambda _: self.refresh_data())

    def _columns(self, width: int) -> None:
        """(Re)build the columns so the name gets the room that is left."""
        name_width = max(12, width - self.NAME_SPARE)
        if name_width == self._name_width:
            return
        self._name_width = name_width
        table = self.query_one(ColleagueTable)
        table.clear(columns=True)
        table.add_column("Status", key="status", width=10)
        table.add_column("Name", key="name", width=name_width)
        table.add_column("Last contact", key="last", width=13)
        table.add_column("Keep in touch", key="cadence", width=16)

    def on_resize(self) -> None:
        before = self._name_width
        self._columns(self.size.width)
        if before != self._name_width:
            self._redraw()

    # -- data -----------------------------------------------------------------------------

    def refresh_data(self, keep: str | None = None) -> None:
        """Re-read colleagues and contacts and redraw the list, keeping the cursor on ``keep``
        (a colleague's id) or else on the person it was on."""
        store = self.tend.store
        self.rows = build_rows(store.all(Colleague), latest_contacts(store), now())
        self._redraw(keep)
        if not self._draft_offered:
            self._draft_offered = True
            self.call_after_refresh(self._reopen_draft)

    def _reopen_draft(self) -> None:
        """A form left half-typed (Tend closed, or the connection dropped) opens again as it
        was, the first time this screen is shown: leaving mid-way loses nothing."""
        store = self.tend.store
        reopen_draft(self, FORM_DRAFT, lambda record_id: store.get(Colleague, record_id), self.open_form)

    def _redraw(self, keep: str | None = None) -> None:
        table = self.query_one(ColleagueTable)
        if keep is None and self.shown and 0 <= table.cursor_row < len(self.shown):
            keep = str(self.shown[table.cursor_row].colleague.id)
        self.shown = [row for row in self.rows if row_matches(row, self.query_text)]
        table.clear()
        for row in self.shown:
            table.add_row(*self._cells(row), key=str(row.colleague.id))
        keys = [str(row.colleague.id) for row in self.shown]
        if keep in keys:
            table.move_cursor(row=keys.index(keep), animate=False)
        self._show_state()
        self._show_detail()
        self.refresh_bindings()

    def _status_style(self, status: Status) -> Style:
        """Bold and the theme's accent (due) or warning (overdue) colour; dim when on track."""
        if status is Status.ON_TRACK:
            return Style(dim=True)
        theme = self.app.current_theme
        colour = theme.warning if status is Status.OVERDUE else theme.accent
        try:
            return Style(bold=True, color=colour or None)
        except Exception:  # a theme colour Rich cannot read: the word and symbol still say it
            return Style(bold=True)

    def _cells(self, row: Row) -> tuple[Text, Text, Text, Text]:
        colleague, where = row.colleague, row.where
        return (
            Text(where.status.badge, style=self._status_style(where.status)),
            Text(clean_text(colleague.name), overflow="ellipsis", no_wrap=True),
            Text(describe_last(where.days_since)),
            Text(short_cadence(where.ideal_days, where.limit_days)),
        )

    def _show_state(self) -> None:
        table = self.query_one(ColleagueTable)
        empty = self.query_one("#people-empty", Static)
        summary = self.query_one("#people-summary", Static)
        counts = {status: 0 for status in Status}
        for row in self.rows:
            counts[row.where.status] += 1
        if not self.rows:
            summary.update("")
            empty.update(
                "No one here yet.\n\n"
                "The people you lean on can live here: a peer, a supervisor, a mentor, your "
                "consultation group. Tend keeps track of when you were last in touch and "
                "nudges gently when it has been a while.\n\n"
                "Press a to add someone, or i to bring them in from an address book (.vcf)."
            )
        elif not self.shown:
            empty.update(Content.assemble(
                "No one matches ", (f'"{clean_text(self.query_text)}"', "bold"),
                ". Press escape to clear the filter.",
            ))  # fmt: skip
        if self.query_text:
            summary.update(f"{len(self.shown)} of {len(self.rows)} shown")
        elif self.rows:
            summary.update(self._summary(counts))
        table.display = bool(self.shown)
        empty.display = not self.shown

    @staticmethod
    def _summary(counts: dict[Status, int]) -> str:
        due, overdue = counts[Status.DUE], counts[Status.OVERDUE]
        if not due and not overdue:
            return f"{Status.ON_TRACK.symbol} everyone is on track"
        parts = []
        if overdue:
            parts.append(f"{Status.OVERDUE.symbol} {overdue} overdue")
        if due:
            parts.append(f"{Status.DUE.symbol} {due} due")
        return "  ".join(parts)

    def _show_detail(self) -> None:
        detail = self.query_one("#people-detail", Static)
        row = self.current_row()
        detail.display = row is not None
        if row is None:
            return
        colleague, where = row.colleague, row.where
        last = "No contact logged yet."
        if row.last is not None:
            last = f"Last: {kind_label(row.last.kind).lower()}, {describe_last(where.days_since)}."
        lines = [
            Content.assemble(
                (clean_text(colleague.name), "bold"),
                f"  {role_label(colleague.role)}, "
                f"{describe_cadence(colleague.ideal_days, colleague.limit_days)}",
            ),
            Content(f"{last} {describe_due(where)}" if row.last else describe_due(where)),
        ]
        if colleague.reach:
            lines.append(Content.assemble(("Reach: ", "dim"), safe(" · ".join(colleague.reach))))
        detail.update(Content("\n").join(lines))

    def current_row(self) -> Row | None:
        """The highlighted colleague's row, if any."""
        table = self.query_one(ColleagueTable)
        if not self.shown or not table.display:
            return None
        index = table.cursor_row
        return self.shown[index] if 0 <= index < len(self.shown) else None

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_card()

    # -- keys -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("log", "message", "edit", "delete", "card"):
            return self.current_row() is not None
        if action == "clear_filter":
            return bool(self.query_text) or self._filter_shown()
        if action == "undo":
            return bool(self.undo_stack)
        if action == "filter":
            return bool(self.rows)
        if action == "to_list":
            return self.query_one("#people-filter", Input).has_focus
        return True

    def action_to_list(self) -> None:
        self.query_one(ColleagueTable).focus()

    def _filter_shown(self) -> bool:
        return self.query_one("#people-filter-row").has_class("-shown")

    def action_filter(self) -> None:
        self.query_one("#people-filter-row").add_class("-shown")
        self.query_one("#people-filter", Input).focus()
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        field = self.query_one("#people-filter", Input)
        field.value = ""
        self.query_one("#people-filter-row").remove_class("-shown")
        self.query_text = ""
        self._redraw()
        self.query_one(ColleagueTable).focus()

    @on(Input.Changed, "#people-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self._redraw()

    @on(Input.Submitted, "#people-filter")
    def _filter_done(self) -> None:
        self.query_one(ColleagueTable).focus()

    def action_card(self) -> None:
        row = self.current_row()
        if row is not None:
            self.app.push_screen(ColleagueCard(self, row.colleague.id or 0))

    def action_add(self) -> None:
        self.open_form(None)

    def action_edit(self) -> None:
        row = self.current_row()
        if row is not None:
            self.edit(row.colleague)

    def edit(self, colleague: Colleague) -> None:
        """Open the form for ``colleague``."""
        self.open_form(colleague)

    def open_form(self, colleague: Colleague | None) -> None:
        """The form for ``colleague``, or for someone new."""
        form = ColleagueForm(colleague)
        form.save_with = self._save_colleague
        self.app.push_screen(form)

    def _save_colleague(self, result: Colleague) -> bool:
        store = self.tend.store
        with self.app.saving() as attempt:
            saved = store.update(result) if result.id is not None else store.add(result)
        if attempt.ok:
            self.notify(f"Saved {saved.name}.", markup=False)
            # The form is on top as the save is announced, so the list has not re-read yet:
            # read it now, with the cursor on the person just saved.
            self.refresh_data(keep=str(saved.id))
        return attempt.ok

    def action_log(self) -> None:
        row = self.current_row()
        if row is not None:
            self.log_contact(row.colleague)

    def log_contact(self, colleague: Colleague) -> None:
        """Ask what kind of contact, when, and a note; then save it."""
        self.app.push_screen(LogContactDialog(colleague), self._save_contact)

    def _save_contact(self, contact: Contact | None) -> None:
        if contact is None:
            return
        colleague = self.tend.store.get(Colleague, contact.colleague_id)
        with self.app.saving() as attempt:
            self.tend.store.add(contact)
        if attempt.ok and colleague is not None:
            self.notify(
                f"Logged: {kind_label(contact.kind).lower()} with {colleague.name}.",
                markup=False,
            )

    def action_message(self) -> None:
        row = self.current_row()
        if row is not None:
            self.send_message(row.colleague)

    def send_message(self, colleague: Colleague) -> None:
        """Pick a template; copy it filled in; show it; offer to log it as a message."""
        send_check_in(self.tend, colleague, start=self.last_template, remember=self._remember_template)

    def _remember_template(self, index: int) -> None:
        self.last_template = index

    def action_delete(self) -> None:
        row = self.current_row()
        if row is None:
            return
        colleague = row.colleague
        question = Content.assemble(
            "Remove ", (clean_text(colleague.name), "bold"),
            " and their contact history? You can bring them back with u until Tend closes.",
        )  # fmt: skip
        self.app.push_screen(
            ConfirmDialog(question, yes="Remove", no="Keep"),
            lambda yes: self._delete(colleague) if yes else None,
        )

    def _delete(self, colleague: Colleague) -> None:
        if colleague.id is None:
            return
        store = self.tend.store
        history = store.find(Contact, colleague_id=colleague.id)
        with self.app.saving() as attempt, store.transaction():
            for contact in history:
                store.remove(Contact, contact.id or 0)
            store.remove(Colleague, colleague.id)
        if attempt.ok:
            self.remember_removal(f"{colleague.name}", [colleague, *history])
            self.notify(f"Removed {colleague.name}. Press u to bring them back.", markup=False)

    def remember_removal(self, what: str, records: list[Record]) -> None:
        """Keep removed records so ``u`` can put them back (until Tend closes)."""
        self.undo_stack.append((what, records))
        self.refresh_bindings()

    def action_undo(self) -> None:
        if not self.undo_stack:
            return
        what, records = self.undo_stack[-1]
        store = self.tend.store
        with self.app.saving() as attempt, store.transaction():
            restored_ids: dict[int, int] = {}
            for record in records:
                if isinstance(record, Colleague):
                    back = store.restore(record)
                    restored_ids[record.id or 0] = back.id or 0
            for record in records:
                if isinstance(record, Contact):
                    cid = restored_ids.get(record.colleague_id, record.colleague_id)
                    store.restore(replace(record, colleague_id=cid))
        if attempt.ok:
            self.undo_stack.pop()
            self.notify(f"Brought back {what}.", markup=False)
            self.refresh_bindings()

    def action_import(self) -> None:
        self.app.push_screen(
            TextPrompt(
                "Import colleagues from an address book. The path to a .vcf file:",
                placeholder="~/contacts.vcf",
                validate=_check_vcard_path,
                limit=1000,
            ),
            self._import,
        )

    def _import(self, path: str | None) -> None:
        if not path:
            return
        from app.exchange import ExchangeError
        from app.vcard import import_vcard_file

        report = None
        with self.app.saving() as attempt:
            try:
                report = import_vcard_file(self.tend.store, Path(path).expanduser())
            except ExchangeError as error:
                attempt.ok = False
                self.notify(str(error), title="Not imported", severity="error", markup=False)
        if attempt.ok and report is not None:
            self.app.push_screen(NoticeDialog("Address book", Content(report.summary())))


def send_check_in(
    app: TendApp,
    colleague: Colleague,
    *,
    start: int = 0,
    remember: Callable[[int], None] | None = None,
) -> None:
    """The check-in message flow, from any screen: pick a template, copy it with the name
    filled in (OSC 52), show the full text for selecting by hand, and offer to log it."""
    templates = all_templates(app.store.all(MessageTemplate))
    picker = TemplatePicker(colleague, templates, min(start, len(templates) - 1))

    def copy(chosen: tuple[int, Template] | None) -> None:
        if chosen is None:
            return
        index, template = chosen
        if remember is not None:
            remember(index)
        text = fill_template(template.text, colleague.name)
        app.copy_to_clipboard(text)
        app.push_screen(MessageDialog(colleague, text), lambda log: logged(template, log))

    def logged(template: Template, log: bool | None) -> None:
        if not log or colleague.id is None:
            return
        with app.saving() as attempt:
            app.store.add(Contact(colleague_id=colleague.id, when=now(), kind="message", note=template.name))
        if attempt.ok:
            app.notify(f"Logged: message with {colleague.name}.", markup=False)

    app.push_screen(picker, copy)


def _check_vcard_path(text: str) -> str | None:
    """Why the file at ``text`` cannot be imported, or None when it can."""
    from app.vcard import VcardError, read_vcard_file

    if not text:
        return "Type the path to a .vcf file, or press escape."
    try:
        read_vcard_file(Path(text).expanduser())
    except VcardError as error:
        return str(error)
    return None


# Add and edit ------------------------------------------------------------------------------------


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
    ]  # fmt: skip

    def __init__(self, colleague: Colleague | None) -> None:
        super().__init__()
        self.colleague = colleague
        self.draft_for = colleague.id if colleague else None

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
            yield Static(
                Content.from_markup("[b]ctrl+s[/b] save   [b]tab[/b] next field   "
                                    "[b]escape[/b] cancel"),
                classes="people-hint",
            )  # fmt: skip

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


# Logging a contact --------------------------------------------------------------------------------


class LogContactDialog(DismissOnTop, ModalScreen[Contact | None]):
    """What kind of contact, when (parsed kindly), and an optional note. Enter saves."""

    CSS_PATH = CSS_FILE
    DEFAULT_CLASSES = "css-colleagues"
    BINDINGS: ClassVar = [
        Binding("ctrl+s", "save", "Save", id="log_contact.save", tooltip="Save this contact"),
        Binding("escape", "cancel", "Cancel", id="log_contact.cancel",
                tooltip="Close without logging"),
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
            yield Static(
                Content.from_markup("[b]1-7[/b] kind   [b]enter[/b] save   [b]tab[/b] next field"
                                    "   [b]escape[/b] cancel"),
                classes="people-hint",
            )  # fmt: skip

    def on_mount(self) -> None:
        kinds = self.query_one("#log-kind", OptionList)
        wanted = default_kind(self.colleague.role)
        kinds.highlighted = [key for key, _ in CONTACT_KINDS].index(wanted)
        kinds.focus()

    def on_key(self, event: Any) -> None:
        """Number keys pick a kind while the list has focus."""
        kinds = self.query_one("#log-kind", OptionList)
        if kinds.has_focus and event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(CONTACT_KINDS):
                kinds.highlighted = index
                event.stop()

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


# The card -------------------------------------------------------------------------------------------


class ColleagueCard(DismissOnTop, ModalScreen[None]):
    """One colleague: details, where things stand, and every contact, newest first."""

    CSS_PATH = CSS_FILE
    DEFAULT_CLASSES = "css-colleagues"
    BINDINGS: ClassVar = [
        Binding("l", "log", "Log contact", id="card.log",
                tooltip="Log a contact with them (resets their cycle)"),
        Binding("m", "message", "Message", id="card.message",
                tooltip="Copy a check-in message for them"),
        Binding("e", "edit", "Edit", id="card.edit", tooltip="Edit their details"),
        Binding("x,delete", "delete_entry", "Delete entry", id="card.delete_entry",
                tooltip="Delete the highlighted contact (asks first)"),
        Binding("escape", "close", "Back", id="card.close", tooltip="Back to the list"),
    ]  # fmt: skip

    def __init__(self, owner: ColleaguesScreen, colleague_id: int) -> None:
        super().__init__()
        self.owner = owner
        self.colleague_id = colleague_id
        self.colleague: Colleague | None = None
        self.history: list[Contact] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="people-dialog", id="card"):
            with Horizontal(id="card-head"):
                yield Static("", id="card-name", markup=False)
                yield Static("", id="card-status", markup=False)
            yield Static("", id="card-details", markup=False)
            yield Label("Contact history, newest first", classes="card-section")
            yield OptionList(id="card-history", compact=True)
            yield Static("", id="card-empty", classes="people-note", markup=False)
            yield Static(
                Content.from_markup("[b]l[/b] log   [b]m[/b] message   [b]e[/b] edit   "
                                    "[b]x[/b] delete entry   [b]escape[/b] back"),
                classes="people-hint",
            )  # fmt: skip

    def on_mount(self) -> None:
        self.app.data_changed.subscribe(self, lambda _: self.refresh_card())  # type: ignore[attr-defined]
        self.refresh_card()
        self.query_one("#card-history", OptionList).focus()

    def refresh_card(self) -> None:
        """Re-read this colleague and their history."""
        store = self.app.store  # type: ignore[attr-defined]
        self.colleague = store.get(Colleague, self.colleague_id)
        if self.colleague is None:
            self.dismiss(None)
            return
        at = now()
        self.history = sorted(
            store.find(Contact, colleague_id=self.colleague_id),
            key=lambda c: c.when,
            reverse=True,
        )
        [row] = build_rows([self.colleague], self.history[:1], at)
        self._show(row, at)
        self.refresh_bindings()

    def _show(self, row: Row, at: DateTime) -> None:
        c, where = row.colleague, row.where
        self.query_one("#card-name", Static).update(Content.styled(clean_text(c.name), "bold"))
        self.query_one("#card-status", Static).update(where.status.badge)
        self.query_one("#card-status", Static).set_classes(f"-{where.status.name.lower()}")
        lines = [
            Content(f"{role_label(c.role)}, {describe_cadence(c.ideal_days, c.limit_days)}. "
                    f"Last contact: {describe_last(where.days_since)}."),
            Content(describe_due(where)),
        ]  # fmt: skip
        label_width = 14
        for label, values in (("How to reach", c.reach), ("Tags", [", ".join(c.tags)] if c.tags else [])):
            for index, value in enumerate(values):
                head = label if index == 0 else ""
                lines.append(Content.assemble((head.ljust(label_width), "dim"), safe(value)))
        if c.notes:
            notes = c.notes.split("\n")
            for index, value in enumerate(notes[:4]):
                head = "Notes" if index == 0 else ""
                lines.append(Content.assemble((head.ljust(label_width), "dim"), safe(value)))
            if len(notes) > 4:
                lines.append(Content.assemble(("".ljust(label_width), "dim"), ("...", "dim")))
        self.query_one("#card-details", Static).update(Content("\n").join(lines))
        history = self.query_one("#card-history", OptionList)
        keep = history.highlighted
        history.clear_options()
        for contact in self.history:
            prompt = Content.assemble(
                (when_text(contact.when, at).ljust(22), "dim"),
                kind_label(contact.kind).ljust(15),
                safe(contact.note, multiline=False),
            )
            history.add_option(Option(prompt, id=str(contact.id)))
        if self.history:
            history.highlighted = min(keep or 0, len(self.history) - 1)
        history.display = bool(self.history)
        empty = self.query_one("#card-empty", Static)
        empty.display = not self.history
        empty.update("Nothing logged yet. Press l to log a contact.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete_entry":
            return bool(self.history)
        return True

    def action_log(self) -> None:
        if self.colleague is not None:
            self.owner.log_contact(self.colleague)

    def action_message(self) -> None:
        if self.colleague is not None:
            self.owner.send_message(self.colleague)

    def action_edit(self) -> None:
        if self.colleague is not None:
            self.owner.edit(self.colleague)

    def action_delete_entry(self) -> None:
        history = self.query_one("#card-history", OptionList)
        if not self.history or history.highlighted is None:
            return
        contact = self.history[history.highlighted]
        question = Content(
            f"Delete the {kind_label(contact.kind).lower()} on {when_text(contact.when, now())}"
            " from the history?"
        )
        self.app.push_screen(
            ConfirmDialog(question, yes="Delete", no="Keep"),
            lambda yes: self._delete_entry(contact) if yes else None,
        )

    def _delete_entry(self, contact: Contact) -> None:
        with self.app.saving() as attempt:  # type: ignore[attr-defined]
            self.app.store.remove(Contact, contact.id or 0)  # type: ignore[attr-defined]
        if attempt.ok:
            self.owner.remember_removal("the contact", [contact])
            self.notify("Deleted. Press u on the list to bring it back.", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)


# Messages ---------------------------------------------------------------------------------------------


class TemplatePicker(DismissOnTop, ModalScreen[tuple[int, Template] | None]):
    """Choose a check-in message; enter copies it. The user's own can be added and edited."""

    CSS_PATH = CSS_FILE
    DEFAULT_CLASSES = "css-colleagues"
    BINDINGS: ClassVar = [
        Binding("c", "choose", "Copy", id="templates.copy", tooltip="Copy this message"),
        Binding("n", "new", "New", id="templates.new", tooltip="Write a message of your own"),
        Binding("e", "edit", "Edit", id="templates.edit", tooltip="Edit one of your messages"),
        Binding("d,delete", "delete", "Delete", id="templates.delete",
                tooltip="Delete one of your messages (asks first)"),
        Binding("escape", "close", "Close", id="templates.close", tooltip="Close"),
    ]  # fmt: skip

    def __init__(self, colleague: Colleague, templates: list[Template], start: int = 0) -> None:
        super().__init__()
        self.colleague = colleague
        self.templates = templates
        self.start = max(start, 0)

    def compose(self) -> ComposeResult:
        with Vertical(classes="people-dialog", id="templates"):
            yield Label(
                Content.assemble("A check-in message for ", (clean_text(self.colleague.name), "bold")),
                classes="people-dialog-title",
            )
            yield OptionList(id="templates-list", compact=True)
            yield Static(
                Content.from_markup("[b]enter[/b] copy   [b]n[/b] new   [b]e[/b] edit yours   "
                                    "[b]d[/b] delete yours   [b]escape[/b] close"),
                classes="people-hint",
            )  # fmt: skip

    def on_mount(self) -> None:
        self._fill(self.start)
        self.query_one("#templates-list", OptionList).focus()
        # A message of one's own left half-written (Tend closed, or the connection dropped)
        # opens again as it was, the next time the messages are opened.
        self.call_after_refresh(reopen_draft, self, TEMPLATE_DRAFT, self._template, self.open_editor)

    def _fill(self, highlight: int) -> None:
        options = self.query_one("#templates-list", OptionList)
        options.clear_options()
        for index, template in enumerate(self.templates):
            mark = "" if template.builtin else "  (yours)"
            prompt = Content.assemble(
                (clean_text(template.name), "bold"), (mark, "dim"), "\n",
                (fill_template(template.text, self.colleague.name), "dim"),
            )  # fmt: skip
            options.add_option(Option(prompt, id=str(index)))
        if self.templates:
            options.highlighted = min(highlight, len(self.templates) - 1)
        self.refresh_bindings()

    def current(self) -> Template | None:
        index = self.query_one("#templates-list", OptionList).highlighted
        return self.templates[index] if index is not None and index < len(self.templates) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "delete"):
            template = self.current()
            return template is not None and not template.builtin
        return True

    @on(OptionList.OptionHighlighted)
    def _moved(self) -> None:
        self.refresh_bindings()

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_choose()

    def action_choose(self) -> None:
        index = self.query_one("#templates-list", OptionList).highlighted
        if index is not None:
            self.dismiss((index, self.templates[index]))

    def action_new(self) -> None:
        self.open_editor(None)

    def action_edit(self) -> None:
        template = self.current()
        if template is not None and not template.builtin:
            self.open_editor(template)

    def open_editor(self, template: Template | None) -> None:
        """The editor for one of the user's own messages, or for a new one."""
        editor = TemplateEditor(template, self.colleague.name)
        editor.save_with = self._save_template
        self.app.push_screen(editor)

    def _template(self, record_id: int) -> Template | None:
        return next((t for t in self.templates if t.record_id == record_id), None)

    def _save_template(self, template: Template) -> bool:
        store = self.app.store  # type: ignore[attr-defined]
        record = MessageTemplate(name=template.name, text=template.text, id=template.record_id)
        with self.app.saving() as attempt:  # type: ignore[attr-defined]
            saved = store.update(record) if record.id is not None else store.add(record)
        if attempt.ok:
            self._reload(str(saved.id))
        return attempt.ok

    def _reload(self, record_id: str | None = None) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        self.templates = all_templates(store.all(MessageTemplate))
        ids = [str(t.record_id) for t in self.templates]
        self._fill(ids.index(record_id) if record_id in ids else 0)

    def action_delete(self) -> None:
        template = self.current()
        if template is None or template.builtin or template.record_id is None:
            return
        question = Content.assemble(
            "Delete your message ", (clean_text(template.name), "bold"), "?"
        )
        self.app.push_screen(
            ConfirmDialog(question, yes="Delete", no="Keep"),
            lambda yes: self._delete(template) if yes else None,
        )

    def _delete(self, template: Template) -> None:
        with self.app.saving() as attempt:  # type: ignore[attr-defined]
            self.app.store.remove(MessageTemplate, template.record_id or 0)  # type: ignore[attr-defined]
        if attempt.ok:
            self._reload()

    def action_close(self) -> None:
        self.dismiss(None)


class TemplateEditor(DraftForm[Template | None]):
    """Write or change a message of one's own; ``{name}`` becomes the colleague's name."""

    CSS_PATH = CSS_FILE
    DEFAULT_CLASSES = "css-colleagues"
    DRAFT_KEY = TEMPLATE_DRAFT
    DRAFT_RECORD = MessageTemplate
    GONE_NOTE = "The message you were changing was deleted in the meantime, so your words are back as a new one."
    BINDINGS: ClassVar = [
        Binding("ctrl+s", "save", "Save", id="template_editor.save", tooltip="Save this message"),
        Binding("escape", "cancel", "Cancel", id="template_editor.cancel",
                tooltip="Close without saving"),
    ]  # fmt: skip

    def __init__(self, template: Template | None, example_name: str) -> None:
        super().__init__()
        self.template = template
        self.example_name = example_name
        self.draft_for = template.record_id if template else None

    def compose(self) -> ComposeResult:
        t = self.template
        with Vertical(classes="people-dialog", id="template-editor"):
            yield Label("Edit your message" if t else "A message of your own",
                        classes="people-dialog-title")  # fmt: skip
            with Horizontal(classes="form-row"):
                yield Label("Title", classes="form-label")
                yield Input(t.name if t else "", id="template-name", compact=True,
                            max_length=NAME_LIMIT, placeholder="e.g. Lunch?")  # fmt: skip
            yield TextArea(t.text if t else "Hi {name}, ", id="template-text", compact=True)
            yield Static(
                "Write {name} where their name should go.", classes="people-note", markup=False
            )
            yield Static("", id="template-preview", classes="people-preview", markup=False)
            yield Static("", id="template-error", classes="people-error", markup=False)
            yield Static(
                Content.from_markup("[b]ctrl+s[/b] save   [b]escape[/b] cancel"),
                classes="people-hint",
            )

    def on_mount(self) -> None:
        self.restore_draft()
        self._preview()
        self.query_one("#template-name", Input).focus()

    # Drafts: an SSH drop (SIGHUP) or quit while the editor is open keeps what was typed.

    def draft_fields(self) -> dict[str, Any]:
        return {
            "name": self.query_one("#template-name", Input).value,
            "text": self.query_one("#template-text", TextArea).text,
        }

    def fill_draft(self, draft: dict[str, Any]) -> None:
        self.refill("#template-name", draft.get("name"))
        self.refill("#template-text", draft.get("text"))

    @on(TextArea.Changed)
    def _preview(self) -> None:
        text = self.query_one("#template-text", TextArea).text
        self.query_one("#template-preview", Static).update(
            Content(fill_template(text, self.example_name))
        )

    def action_save(self) -> None:
        try:
            template = make_template(
                self.query_one("#template-name", Input).value,
                self.query_one("#template-text", TextArea).text,
                record_id=self.template.record_id if self.template else None,
            )
        except ValueError as error:
            self.query_one("#template-error", Static).update(str(error))
            return
        self.submit(template)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#template-text", TextArea).focus()

    def action_cancel(self) -> None:
        self.clear_draft()
        self.dismiss(None)


class MessageDialog(DismissOnTop, ModalScreen[bool]):
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


__all__ = [
    "ColleaguesScreen", "ColleagueForm", "ColleagueCard", "LogContactDialog",
    "TemplatePicker", "TemplateEditor", "MessageDialog", "build_rows", "short_cadence",
    "when_text", "Row", "now",
]  # fmt: skip
