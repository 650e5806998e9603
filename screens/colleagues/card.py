"""A colleague's card: their details and contact history."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from pendulum import DateTime
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from app.circle import card_line
from app.models import Colleague, Contact, Record
from app.people import (
    NOTE_LINE_LIMIT,
    Status,
    add_dated_note,
    cadence_in_words,
    dated_notes,
    describe_due,
    describe_last,
    Removal,
    kind_label,
    role_label,
    NoteTaken,
    take_dated_note,
)
from app.textclean import clean_text
from screens.base import KeyHints, TendModal, safe
from screens.colleagues.notes import Note, NotePicker, note_words
from screens.colleagues.rows import CSS_FILE, Row, build_rows, now, when_text
from screens.dialogs import ConfirmDialog, TextPrompt, tend_of
from screens.older import OlderRecords

if TYPE_CHECKING:
    from app.storage import Store



class CardOwner(Protocol):
    """What a card asks of the screen that opened it (the colleagues screen)."""

    def log_contact(self, colleague: Colleague) -> None: ...
    def send_message(self, colleague: Colleague) -> None: ...
    def edit(self, colleague: Colleague) -> None: ...
    def remember_removal(self, what: str, records: list[Record] | Removal | NoteTaken) -> None: ...
    def reach_now(self, colleague: Colleague) -> None: ...
    def snooze_or_wake(self, colleague: Colleague) -> None: ...
    def archive_or_bring_back(self, colleague: Colleague) -> None: ...
    def can_undo(self, colleague_id: int | None = None) -> bool: ...
    def action_undo(self) -> None: ...


class ColleagueCard(TendModal[None]):
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
        Binding("n", "note", "Note", id="card.note",
                tooltip="Add a short dated note (started a new job, back from leave...)"),
        Binding("w", "reach_now", "Reach out now", id="card.reach_now",
                tooltip="They are new: count them as due now, not after their first cadence"),
        Binding("z", "snooze", "Snooze", id="card.snooze", show=False,
                tooltip="Snooze them until a day (on leave, say), or wake them if snoozed"),
        Binding("A", "archive", "Archive", id="card.archive", show=False,
                tooltip="Archive them (moved on; the history stays), or bring them back"),
        Binding("S", "toggle_suggest", "Suggest after a scan", id="card.suggest", show=False,
                tooltip="Would you want them suggested after a heavy body scan? (on/off)"),
        Binding("N", "delete_note", "Delete note", id="card.delete_note", show=False,
                tooltip="Delete one of their dated notes (asks first; u brings it back)"),
        Binding("u", "undo", "Undo", id="card.undo", show=False,
                tooltip="Bring back what you just deleted or removed"),
    ]  # fmt: skip

    def __init__(self, owner: CardOwner, colleague_id: int) -> None:
        super().__init__()
        self.owner = owner
        self.colleague_id = colleague_id
        self.colleague: Colleague | None = None
        self.history: list[Contact] = []
        self.status: Status | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="people-dialog", id="card"):
            with Horizontal(id="card-head"):
                yield Static("", id="card-name", markup=False)
                yield Static("", id="card-status", markup=False)
            yield Static("", id="card-details", markup=False)
            yield Label("Contact history, newest first", classes="card-section")
            yield OptionList(id="card-history", compact=True)
            yield OlderRecords(Contact, "Reading older contacts...", id="card-older")
            yield Static("", id="card-empty", classes="people-note", markup=False)
            yield KeyHints("log", "message", "note", "edit", "delete_entry", "close", id="card-hint", classes="people-hint")

    def on_mount(self) -> None:
        tend_of(self).data_changed.subscribe(self, lambda _: self.refresh_card())
        self.refresh_card()
        self.query_one("#card-history", OptionList).focus()

    def refresh_card(self) -> None:
        """Re-read this colleague and their history: with contacts in history files, those
        ``tend.json`` holds at once (their latest among them) and the rest from a worker."""
        store = tend_of(self).store
        self.colleague = store.get(Colleague, self.colleague_id)
        if self.colleague is None:
            self.dismiss(None)
            return
        reading = self.query_one("#card-older", OlderRecords).read(partial(_contacts_of, store, self.colleague_id))
        self.history = _contacts_of(store, self.colleague_id, recent=reading)
        self._draw()

    @on(OlderRecords.Loaded, "#card-older")
    def _older_contacts(self, event: OlderRecords.Loaded) -> None:
        self.history = event.result
        self._draw()

    def _draw(self) -> None:
        if self.colleague is None:
            return
        at = now()
        [row] = build_rows([self.colleague], self.history[:1], at)
        self.status = row.where.status
        self._show(row, at)
        self.refresh_bindings()

    def _show(self, row: Row, at: DateTime) -> None:
        c, where = row.colleague, row.where
        self.query_one("#card-name", Static).update(Content.styled(clean_text(c.name), "bold"))
        self.query_one("#card-status", Static).update(where.status.badge)
        self.query_one("#card-status", Static).set_classes(f"-{where.status.name.lower()}")
        lines = [
            Content(f"{role_label(c.role)}: {cadence_in_words(c.ideal_days, c.limit_days)}. "
                    f"Last contact: {describe_last(where.days_since)}."),
            Content(describe_due(where)),
        ]  # fmt: skip
        if c.suggest_after_scan:
            lines.append(Content("Suggested after a heavy body scan (S to stop)."))
        label_width = 14
        if circle := card_line(tend_of(self).store, c):
            lines.append(Content.assemble(("Circle".ljust(label_width), "dim"), safe(circle, multiline=False)))
        remember = [f"birthday {c.birthday:%-d %b}" if c.birthday else "",
                    f"joined the team {c.joined:%-d %b %Y}" if c.joined else ""]  # fmt: skip
        if any(remember):
            lines.append(Content.assemble(("Remember".ljust(label_width), "dim"), "; ".join(w for w in remember if w)))
        for index, (day, text) in enumerate(dated_notes(c)[:3]):
            lines.append(Content.assemble((("Noted" if index == 0 else "").ljust(label_width), "dim"),
                                          (f"{day:%-d %b %Y}  ", "dim"), safe(text, multiline=False)))  # fmt: skip
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
        empty.display = not self.history and not self.query_one("#card-older", OlderRecords).reading
        empty.update("Nothing logged yet. Press l to log a contact.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete_entry":
            return bool(self.history)
        if action == "reach_now":
            return self.status is Status.NEW
        if action == "delete_note":
            return bool(dated_notes(self.colleague))
        if action == "undo":  # this person's last change only
            return self.owner.can_undo(self.colleague_id)
        return True

    def action_note(self) -> None:
        colleague = self.colleague
        if colleague is None:
            return
        self.app.push_screen(
            TextPrompt(
                Content.assemble("A short note for ", (clean_text(colleague.name), "bold"),
                                 f", dated today ({now():%-d %b}). Just for you; client details never belong here."),
                placeholder="e.g. started a new job",
                limit=NOTE_LINE_LIMIT,
            ),
            self._add_note,
        )  # fmt: skip

    def _add_note(self, text: str | None) -> None:
        if not text:
            return
        with tend_of(self).saving() as attempt:
            try:
                add_dated_note(tend_of(self).store, self.colleague_id, text, now().date())
            except ValueError:  # nothing left after cleaning
                attempt.ok = False
        if attempt.ok:
            self.notify("Noted.", markup=False)

    def action_reach_now(self) -> None:
        if self.colleague is not None:
            self.owner.reach_now(self.colleague)

    def action_snooze(self) -> None:
        if self.colleague is not None:
            self.owner.snooze_or_wake(self.colleague)

    def action_archive(self) -> None:
        if self.colleague is not None:
            self.owner.archive_or_bring_back(self.colleague)

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
        with tend_of(self).saving() as attempt:
            tend_of(self).store.remove(Contact, contact.id or 0)
        if attempt.ok:
            self.owner.remember_removal("the contact", [contact])
            self.notify("Deleted. Press u to bring it back.", markup=False)
            self.refresh_bindings()

    def action_delete_note(self) -> None:
        """Delete a dated note: asks which when there are several, else asks once."""
        notes = dated_notes(self.colleague)
        if self.colleague is None or not notes:
            return
        if len(notes) > 1:
            self.app.push_screen(NotePicker(self.colleague.name, notes), self._delete_note)
            return
        question = Content.assemble("Delete the note ", note_words(notes[0]), "?")
        self.app.push_screen(
            ConfirmDialog(question, yes="Delete", no="Keep"),
            lambda yes: self._delete_note(notes[0]) if yes else None,
        )

    def _delete_note(self, note: Note | None) -> None:
        if note is None:
            return
        taken = None
        with tend_of(self).saving() as attempt:
            taken = take_dated_note(tend_of(self).store, self.colleague_id, *note)
        if attempt.ok and taken is not None:
            self.owner.remember_removal("the note", taken)
            self.notify("Note deleted. Press u to bring it back.", markup=False)
            self.refresh_bindings()

    def action_undo(self) -> None:
        if self.owner.can_undo(self.colleague_id):
            self.owner.action_undo()
        self.refresh_bindings()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_toggle_suggest(self) -> None:
        """Mark (or unmark) them as someone to suggest after a heavy body scan."""
        store = tend_of(self).store
        with tend_of(self).saving() as attempt, store.transaction():
            current = store.get(Colleague, self.colleague_id)
            if current is None:
                return
            current.suggest_after_scan = not current.suggest_after_scan
            store.update(current)
        if attempt.ok and current is not None:
            said = "will be suggested" if current.suggest_after_scan else "will no longer be suggested"
            self.notify(f"{clean_text(current.name)} {said} after a heavy scan.", markup=False)
            self.refresh_card()


def _contacts_of(store: Store, colleague_id: int, among: Mapping[str, Any] | None = None, *, recent: bool = False) -> list[Contact]:
    """A colleague's contacts, newest first: every one, those ``tend.json`` holds (``recent``),
    or those among stored documents read by a worker (``among``)."""
    found = store.select(Contact, lambda doc: doc.get("colleague_id") == colleague_id, recent=recent, among=among)
    return sorted(found, key=lambda contact: contact.when, reverse=True)
