"""Trusted colleagues: who to lean on, who is due, and a check-in message ready to send.

The list is ordered by who is most due (see :mod:`app.people`). From it, one key each:
``l`` logs a contact, ``m`` copies a check-in message, ``enter`` opens a card with the
history, ``a``/``e`` add and edit, ``d`` removes (asks once; ``u`` brings it back until Tend
closes), ``/`` filters as you type, ``i`` imports an address book (.vcf). ``w`` makes someone
new due now, ``z`` snoozes (or wakes), ``A`` archives (or brings back), ``v`` shows the archived.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Label, Static
from textual.worker import Worker

from app.models import Colleague, Contact, Record
from app.paths import PathError, expand_home
from app.people import (
    Removal,
    Status,
    bring_back,
    cadence_in_words,
    describe_due,
    describe_last,
    kind_label,
    latest_contacts,
    remove_colleague,
    rituals_with,
    role_label,
    NoteTaken,
    put_back_dated_note,
)
from app.textclean import clean_text
from screens.base import TendScreen, bound_key, safe
from screens.colleagues.card import ColleagueCard
from screens.colleagues.form import ColleagueForm
from screens.colleagues.importing import IMPORT_WORKER, check_vcard_path, finish_import, read_address_book
from screens.colleagues.log import LogContactDialog
from screens.colleagues import rest
from screens.colleagues.message import send_check_in
from screens.colleagues.rows import (
    CSS_FILE,
    FORM_DRAFT,
    Row,
    build_rows,
    now,
    row_matches,
    short_cadence,
)
from screens.colleagues.widgets import ColleagueTable
from screens.dialogs import ConfirmDialog, ProgressDialog, TextPrompt, reopen_draft


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
        Binding("w", "reach_now", "Reach out now", id="colleagues.reach_now",
                tooltip="They are new: count them as due now, not after their first cadence"),
        Binding("z", "snooze", "Snooze", id="colleagues.snooze", show=False,
                tooltip="Snooze them until a day (on leave, say), or wake them if snoozed"),
        Binding("A", "archive", "Archive", id="colleagues.archive", show=False,
                tooltip="Archive them (moved on; the history stays), or bring them back"),
        Binding("v", "toggle_archived", "Archived", id="colleagues.archived", show=False,
                tooltip="Show or hide the people you archived"),
    ]  # fmt: skip

    filter_open: reactive[bool] = reactive(False, bindings=True, init=False)
    """Whether the filter field is on show (escape then clears and hides it)."""
    show_archived: reactive[bool] = reactive(False, bindings=True, init=False)
    """Whether archived people are listed too (they never are due)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self.shown: list[Row] = []
        self.query_text = ""
        self.undo_stack: list[tuple[str, list[Record] | Removal | NoteTaken]] = []
        self.last_template = 0
        self._draft_offered = False
        self._import_dialog: ProgressDialog | None = None

    # -- layout ---------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Vertical(id="people"):
            with Horizontal(id="people-head"):
                yield Static("Trusted colleagues", id="people-title", markup=False)
                yield Static("", id="people-summary", markup=False)
            with Horizontal(id="people-filter-row"):
                yield Label("Filter", id="people-filter-label")
                yield Input(placeholder="name, role, tag or note", id="people-filter",
                            compact=True, disabled=True)  # fmt: skip
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
        self.shown = [
            row for row in self.rows
            if row_matches(row, self.query_text) and (self.show_archived or row.where.status is not Status.ARCHIVED)
        ]  # fmt: skip
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
        if status.rank <= 0 and status is not Status.NEW:  # on track, snoozed, archived
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
        listed = [row for row in self.rows if self.show_archived or row.where.status is not Status.ARCHIVED]
        if not self.rows:
            summary.update("")
            empty.update(
                "No one here yet.\n\n"
                "The people you lean on can live here: a peer, a supervisor, a mentor, your "
                "consultation group. Tend keeps track of when you were last in touch and "
                "nudges gently when it has been a while.\n\n"
                "Press a to add someone, or i to bring them in from an address book (.vcf)."
            )
        elif not listed:
            empty.update(f"Everyone here is archived. Press {bound_key(self, 'toggle_archived')} to see them.")
        elif not self.shown:
            empty.update(Content.assemble(
                "No one matches ", (f'"{clean_text(self.query_text)}"', "bold"),
                ". Press escape to clear the filter.",
            ))  # fmt: skip
        if self.query_text:
            summary.update(f"{len(self.shown)} of {len(listed)} shown")
        elif self.rows:
            summary.update(self._summary(counts, bound_key(self, "toggle_archived") if not self.show_archived else ""))
        table.display = bool(self.shown)
        empty.display = not self.shown

    @staticmethod
    def _summary(counts: dict[Status, int], archived_key: str = "") -> str:
        due, overdue = counts[Status.DUE], counts[Status.OVERDUE]
        archived = f"  {counts[Status.ARCHIVED]} archived ({archived_key})" if counts[Status.ARCHIVED] and archived_key else ""
        if not due and not overdue:
            return f"{Status.ON_TRACK.symbol} everyone is on track{archived}"
        parts = []
        if overdue:
            parts.append(f"{Status.OVERDUE.symbol} {overdue} overdue")
        if due:
            parts.append(f"{Status.DUE.symbol} {due} due")
        return "  ".join(parts) + archived

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
                f"{cadence_in_words(colleague.ideal_days, colleague.limit_days).removeprefix('keep in touch ')}",
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
        if action in ("log", "message", "edit", "delete", "card", "snooze", "archive"):
            return self.current_row() is not None
        if action == "reach_now":
            row = self.current_row()
            return row is not None and row.where.status is Status.NEW
        if action == "toggle_archived":
            return self.show_archived or any(row.where.status is Status.ARCHIVED for row in self.rows)
        if action == "clear_filter":
            return bool(self.query_text) or self.filter_open
        if action == "undo":
            return bool(self.undo_stack)
        if action == "filter":
            return bool(self.rows)
        if action == "to_list":
            return self.query_one("#people-filter", Input).has_focus
        return True

    def watch_show_archived(self) -> None:
        self._redraw()

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived

    def action_reach_now(self) -> None:
        row = self.current_row()
        if row is not None:
            self.reach_now(row.colleague)

    def reach_now(self, colleague: Colleague) -> None:
        """Count someone new as due now (they asked, or you want to)."""
        rest.reach_now(self.tend, colleague)

    def action_snooze(self) -> None:
        row = self.current_row()
        if row is not None:
            self.snooze_or_wake(row.colleague)

    def snooze_or_wake(self, colleague: Colleague) -> None:
        """Ask until when to snooze them; if they are snoozed, wake them now."""
        rest.snooze_or_wake(self.tend, colleague)

    def action_archive(self) -> None:
        row = self.current_row()
        if row is not None:
            self.archive_or_bring_back(row.colleague)

    def archive_or_bring_back(self, colleague: Colleague) -> None:
        """Archive someone who moved on (history kept), or bring back someone archived."""
        rest.archive_or_bring_back(self.tend, colleague, archive_key=bound_key(self, "archive"),
                                   show_key=bound_key(self, "toggle_archived"))  # fmt: skip

    def action_to_list(self) -> None:
        self.query_one(ColleagueTable).focus()

    def watch_filter_open(self, shown: bool) -> None:
        self.query_one("#people-filter-row").set_class(shown, "-shown")
        # Hidden, it takes no focus: keys typed as the screen opens (c then r in one burst)
        # never land in a filter nobody opened.
        self.query_one("#people-filter", Input).disabled = not shown

    def action_filter(self) -> None:
        self.filter_open = True
        self.query_one("#people-filter", Input).focus()

    def action_clear_filter(self) -> None:
        field = self.query_one("#people-filter", Input)
        field.value = ""
        self.filter_open = False
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
        form.save_with = partial(self._save_colleague, form=form)
        self.app.push_screen(form)

    def _save_colleague(self, result: Colleague, form: ColleagueForm | None = None) -> bool:
        store = self.tend.store
        with self.tend.saving() as attempt:
            if result.id is None:
                saved = store.add(result)
            elif form is not None:  # merged with what another window changed since the form opened
                saved = form.save_edit(store, result)
            else:
                saved = store.update(result)
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
        with self.tend.saving() as attempt:
            self.tend.store.add(contact)
        if not attempt.ok:  # the dialog has closed: if another Tend was saving, log it once it is done
            self.tend.retry_when_free(lambda: self._save_contact(contact))
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
        rituals = [clean_text(r.name) for r in rituals_with(self.tend.store, colleague.id or 0)]
        linked: list[str | tuple[str, str]] = []
        if rituals:  # the rituals stay, without them: say so, and which
            shown = ", ".join(rituals[:3]) + (f" and {len(rituals) - 3} more" if len(rituals) > 3 else "")
            linked = [" They will also come off ", ("1 ritual" if len(rituals) == 1 else f"{len(rituals)} rituals", "bold"),
                      f" (the ritual{'s stay' if len(rituals) > 1 else ' stays'}): ", shown, "."]  # fmt: skip
        question = Content.assemble(
            "Remove ", (clean_text(colleague.name), "bold"), " and their contact history?", *linked,
            " You can bring them back" + (", links and all," if rituals else "") + " with u until Tend closes.",
        )  # fmt: skip
        self.app.push_screen(
            ConfirmDialog(question, yes="Remove", no="Keep"),
            lambda yes: self._delete(colleague) if yes else None,
        )

    def _delete(self, colleague: Colleague) -> None:
        if colleague.id is None:
            return
        removal = None
        with self.tend.saving() as attempt:  # the person, their contacts, their ritual links: one save
            removal = remove_colleague(self.tend.store, colleague.id)
        if attempt.ok and removal is not None:
            self.remember_removal(f"{colleague.name}", removal)
            self.notify(f"Removed {colleague.name}. Press u to bring them back.", markup=False)

    def remember_removal(self, what: str, records: list[Record] | Removal | NoteTaken) -> None:
        """Keep removed records so ``u`` can put them back (until Tend closes)."""
        self.undo_stack.append((what, records))
        self.refresh_bindings()

    def can_undo(self, colleague_id: int | None = None) -> bool:
        """Whether ``u`` has something to bring back (about ``colleague_id`` only, if given:
        a card undoes its own person's last change, never another's)."""
        if not self.undo_stack:
            return False
        if colleague_id is None:
            return True
        _, records = self.undo_stack[-1]
        if isinstance(records, Removal):
            return records.colleague.id == colleague_id
        if isinstance(records, NoteTaken):
            return records.colleague_id == colleague_id
        return all((r.colleague_id if isinstance(r, Contact) else r.id) == colleague_id for r in records)

    def action_undo(self) -> None:
        if not self.undo_stack:
            return
        what, records = self.undo_stack[-1]
        store = self.tend.store
        with self.tend.saving() as attempt, store.transaction():
            if isinstance(records, Removal):
                bring_back(store, records)
                records = []
            elif isinstance(records, NoteTaken):
                put_back_dated_note(store, records)
                records = []
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
                validate=check_vcard_path,
                limit=1000,
            ),
            self._import,
        )

    def _import(self, path: str | None) -> None:
        if not path:
            return
        try:
            file = expand_home(path)
        except PathError as error:  # ~name for a user who does not exist
            self.notify(str(error), title="Not imported", severity="error", markup=False)
            return
        self._import_in_background(file)

    def _import_in_background(self, file: Path) -> None:
        """Read the address book in a worker thread (any size), with its progress shown;
        escape stops it. The store is read (cheaply) before and written after, here."""
        from app.vcard import known_colleagues

        if self._import_dialog is not None:
            return
        dialog = ProgressDialog(Content.assemble("Importing ", file.name), "Reading cards")
        self._import_dialog = dialog
        self.app.push_screen(dialog)
        known = known_colleagues(self.tend.store)
        self.run_worker(
            partial(read_address_book, file, known, dialog),
            name=IMPORT_WORKER,
            group=IMPORT_WORKER,
            thread=True,
            exit_on_error=False,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.name != IMPORT_WORKER or not worker.is_finished:
            return
        dialog, self._import_dialog = self._import_dialog, None
        if dialog is not None:
            finish_import(self.tend, worker, dialog)
