"""Rituals: what is due now, what is coming up, and every ritual with its gentle progress.

The list names each ritual once, in three sections (due now, coming up in the next seven
days, later), at the width the terminal has. The keys act on the highlighted ritual: space
marks it done today, ``d`` done another day, ``k`` skip with a reason (``s`` stays the body
scan's key everywhere), ``n`` a note, ``u`` undo, ``a``/``e``/``x`` add, edit and delete,
``p`` pause (leave) or end a pause, ``z`` archive or restore, ``v`` show the archived ones;
enter opens its detail (heatmap and history, where the arrows choose any past day to set).
Rituals linked to colleagues log a contact with them when done. On a first
visit with no rituals, Tend offers a few starters; nothing is added
unless the person picks it.

The schedule and progress rules live in :mod:`app.schedule` and :mod:`app.progress`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, ClassVar

import pendulum
from pendulum import Date
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from app.models import Colleague, Ritual, RitualEntry
from app.rituals import (
    AlreadyMarked,
    Marked,
    RitualView,
    before_it_began,
    clear_ritual_day,
    day_words,
    load_view,
    load_lists,
    mark_ritual,
    read_schedule,
    stored_words,
    too_far_back,
)
from app.schedule import (
    DUE,
    OVERDUE,
    Schedule,
)
from app.starters import starter_rituals
from app.textclean import NOTE_LIMIT, clean_text
from app.when import DAY_EXAMPLES, WhenError, parse_day
from screens.base import TendScreen, safe
from screens.dialogs import ConfirmDialog, TextPrompt, reopen_draft
from screens.rituals import rest
from screens.rituals.detail import RitualDetail
from screens.rituals.form import FORM_DRAFT, RitualDraft, RitualForm
from screens.rituals.older import LIST_WORKER, NOT_YET, FullRead, read_lists
from screens.rituals.rest import read_pause as read_pause  # still importable from here
from screens.rituals.rows import LIST_WIDTH, header, row, summary_line
from screens.rituals.starters import LATER, StarterOffer


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
    BINDINGS: ClassVar[list[BindingType]] = [
        # enter is the list's own key too (select): priority, so the footer, ? and the palette
        # name it as Tend's "Open" rather than leave it to a list key with no words.
        Binding("enter", "details", "Open", id="rituals.details", tooltip="Open it: its heatmap, days and history",
                priority=True),
        Binding("space", "done", "Done", id="rituals.done", tooltip="Mark the highlighted ritual done today"),
        Binding("d", "other_day", "Another day", id="rituals.other_day", tooltip="Mark it done on another day",
                show=False),
        Binding("k", "skip", "Skip", id="rituals.skip", tooltip="Skip it, with a reason if you like"),
        Binding("n", "note", "Note", id="rituals.note", tooltip="Add a note to today's entry", show=False),
        Binding("u", "undo", "Undo", id="rituals.undo", tooltip="Undo the last change"),
        Binding("a", "add", "Add", id="rituals.add", tooltip="Add a ritual"),
        Binding("i", "ideas", "Ideas", id="rituals.ideas", tooltip="Pick from a few starter rituals", show=False),
        Binding("e", "edit", "Edit", id="rituals.edit", tooltip="Change the highlighted ritual", show=False),
        Binding("x", "delete", "Delete", id="rituals.delete", tooltip="Delete the highlighted ritual", show=False),
        Binding("p", "pause", "Pause", id="rituals.pause", tooltip="Pause it for a while (leave), or end its pause", show=False),
        Binding("z", "archive", "Archive", id="rituals.archive", tooltip="Archive it (its history is kept), or restore it",
                show=False),
        Binding("v", "show_archived", "Archived", id="rituals.show_archived", tooltip="Show or hide archived rituals", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.views: dict[int, RitualView] = {}
        self.undo_stack: list[Change] = []
        self.show_streak = True
        self._offering = False
        self._draft_offered = False
        self._colleagues: dict[int, Colleague] = {}
        self.show_archived = False
        self._listed: list[RitualView] = []
        self._archived: list[RitualView] = []
        self.older = FullRead(self, LIST_WORKER)
        """Scores and streaks from every entry, read by a worker when some are in history files."""
        self.waiting = False
        """True while the list shows a quiet mark for scores and streaks still being read."""

    def compose_body(self) -> ComposeResult:
        with Vertical(id="rituals-body"):
            yield Static("", id="rituals-summary")
            yield Static(header(), id="rituals-header")
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
        views, archived = self._load(today)
        self.views = {v.id: v for v in views + archived}
        self._listed = views
        self._archived = archived
        self._fill(views, today)
        self.refresh_bindings()
        if not self._draft_offered:
            # A form left half-typed (Tend closed, or the connection dropped) opens again as
            # it was, the first time this screen is shown (before any starter offer).
            self._draft_offered = True
            self.call_after_refresh(reopen_draft, self, FORM_DRAFT, self._ritual, self._open_form)
        if not views and not settings.starters_offered and not self.store.read_only:
            self.call_after_refresh(self.offer_starters)

    def _load(self, today: Date) -> tuple[list[RitualView], list[RitualView]]:
        """The rituals (and the archived ones, if shown). With older entries in history files,
        at once from the recent ones (scores and streaks wait) while a worker reads them all
        (screens/rituals/older.py); without, as always, every entry here."""
        self.waiting = False
        if not self.store.has_history(RitualEntry):
            return load_lists(self.store, today, archived=self.show_archived)
        key = (self.store.token(), today, self.show_archived)
        kept = self.older.kept(key)
        if kept is not None:  # a save since the last full read: what it kept gives scores and streaks
            lists = kept.lists(self.store, today, self.show_archived)
            if lists is not None:
                return lists
        # Under the detail (a change made there), only the recent part: read all when back.
        full = self.older.get(key, partial(read_lists, self.store, today, self.show_archived), start=self.showing)
        if full is not NOT_YET:
            return full.views, full.archived
        self.waiting = True
        return load_lists(self.store, today, archived=self.show_archived, progress=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if self.older.finished(event, (self.store.token(), pendulum.today().date(), self.show_archived)):
            self.refresh_data()

    def on_screen_suspend(self) -> None:
        self.older.stop()  # left (another screen, a dialog, the detail): read again when back

    def _fill(self, views: list[RitualView], today: Date) -> None:
        """Each ritual once: due now, coming up in the next seven days, then later (and the
        archived ones when shown), at the width the list has."""
        listing = self.query_one("#rituals-list", OptionList)
        keep = self.current_id()
        total = max(LIST_WIDTH, listing.size.width - 2 if listing.size.width else self.size.width - 2)
        due = sorted((v for v in views if v.state in (DUE, OVERDUE)), key=lambda v: (v.since or today, v.record.name))
        soon = sorted(
            (v for v in views if v.state not in (DUE, OVERDUE) and v.next_due and (v.next_due - today).days <= 7
             and v.paused_until is None),
            key=lambda v: (v.next_due, v.record.name),
        )
        listed = {v.id for v in due + soon}
        later = sorted(  # soonest first; then the paused, then those with no next date (ended, unreadable)
            (v for v in views if v.id not in listed),
            key=lambda v: (v.paused_until is not None, v.next_due is None, v.next_due or today, v.record.name),
        )
        groups = [("Due now", due, "due"), ("Coming up: next 7 days", soon, "soon"), ("Later", later, "later")]
        if self.show_archived:
            groups.append(("Archived (z restores)", self._archived, "archived"))
        options: list[Option | None] = []
        for title, group, key in groups:
            if key == "later" and not group and views:
                continue
            options.append(Option(Content.styled(title, "bold $accent"), id=f"head-{key}", disabled=True))
            if not group:
                empty = {"due": "Nothing due right now.", "soon": "Nothing in the next week.",
                         "later": "No rituals yet. Press a to add one, or i for a few ideas.",
                         "archived": "Nothing archived."}[key]
                options.append(Option(Content.styled(f"  {empty}", "$text-muted"), id=f"empty-{key}", disabled=True))
            for view in group:
                options.append(Option(row(view, today, self.show_streak, total, waiting=self.waiting), id=f"{key}-{view.id}"))
        listing.set_options(options)
        self.query_one("#rituals-summary", Static).update(self._summary(due, soon, views))
        self.query_one("#rituals-header", Static).update(header(total, self.show_streak))
        self.query_one("#rituals-header", Static).display = bool(views) or bool(self._archived)
        self._restore_highlight(listing, keep)

    def on_resize(self) -> None:
        if self._listed or self.show_archived:
            self._fill(self._listed, pendulum.today().date())

    def _summary(self, due: list[RitualView], soon: list[RitualView], views: list[RitualView]) -> Content:
        return summary_line(len(due), len(soon), bool(views), self.size.width or 80)

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
        if action in ("done", "other_day", "skip", "note", "pause"):
            current = self.current_id()
            return current is not None and not self.views[current].record.archived
        if action in ("details", "edit", "delete", "archive"):
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
        with self.tend.saving() as attempt, self.store.transaction():
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
        when = day_words(day, pendulum.today().date())
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

    def mark_checked(self, ritual_id: int, day: Date, state: str, note: str = "") -> None:
        """:meth:`mark`, after the sanity checks on how far back: more than a year ago is
        refused gently (nearly always a typo for the year); before the ritual was made is
        asked about first."""
        today = pendulum.today().date()
        refused = too_far_back(day, today)
        if refused:
            self.notify(refused, markup=False)
            return
        record = self.store.get(Ritual, ritual_id)
        if record is None:
            return
        if not before_it_began(record, day):
            self.mark(ritual_id, day, state, note)
            return
        question = Content.assemble(
            safe(record.name, multiline=False).stylize("bold"),
            f" was added {'today' if record.created.date() == today else 'on ' + day_words(record.created.date(), today)}."
            f" Mark it {state} for {day_words(day, today)} anyway?")

        def answered(yes: bool | None) -> None:
            if yes:
                self.mark(ritual_id, day, state, note)

        self.app.push_screen(ConfirmDialog(question, yes="Mark it", no="Leave it"), answered)

    def clear_day(self, ritual_id: int, day: Date) -> None:
        """Set ``day`` back to nothing logged (``u`` brings the entry back)."""
        today = pendulum.today().date()
        with self.tend.saving() as attempt:
            cleared = clear_ritual_day(self.store, ritual_id, day)
        if not attempt.ok:
            return
        if cleared is None:
            self.notify(f"Nothing was logged for {day_words(day, today)}.", markup=False)
            return
        self._push(f"cleared {day_words(day, today)}", lambda: cleared.undo(self.store))
        self.notify(f"Cleared {day_words(day, today)}: nothing logged now. u brings it back.", markup=False)

    def ask_other_day(self, ritual_id: int) -> None:
        today = pendulum.today().date()

        def check(text: str) -> str | None:
            try:
                day = parse_day(text, today)
            except WhenError as error:
                return str(error)
            return too_far_back(day, today)

        def chosen(text: str | None) -> None:
            if text is not None:
                self.mark_checked(ritual_id, parse_day(text, today), "done")

        self.app.push_screen(TextPrompt(f"Which day did you do it? ({DAY_EXAMPLES})",
                                        placeholder="yesterday", validate=check), chosen)

    def ask_skip(self, ritual_id: int, day: Date | None = None) -> None:
        today = pendulum.today().date()
        when = day or today

        def chosen(reason: str | None) -> None:
            if reason is not None:
                self.mark_checked(ritual_id, when, "skipped", reason)

        record = self._ritual(ritual_id)
        name = safe(record.name if record is not None else "this ritual", multiline=False).stylize("bold")
        said = "today" if when == today else day_words(when, today)
        done = any(entry.status == "done" for entry in self.store.find(RitualEntry, ritual_id=ritual_id, day=when))
        if done:  # a skip would take the place of the done: say so, and esc keeps it
            lead = Content.assemble(name, f" is marked done for {said}. Skip it instead? A reason, if you'd like one "
                                    "(esc keeps it done):")
        else:
            lead = Content.assemble("Skip ", name, f" {'today' if when == today else 'for ' + said}. A reason, if you'd "
                                    "like one (enter to skip without):")
        self.app.push_screen(TextPrompt(lead, placeholder="away, unwell, moved to next week"), chosen)

    # -- pause and archive (screens/rituals/rest.py)

    def action_pause(self) -> None:
        ritual_id = self.current_id()
        if ritual_id is not None:
            self.ask_pause(ritual_id)

    def ask_pause(self, ritual_id: int) -> None:
        """Pause from today (or "12/12 to 5/1") until a day; on a paused ritual, end the pause."""
        rest.ask_pause(self.tend, ritual_id, self._push)

    def action_archive(self) -> None:
        view = self.views.get(self.current_id() or -1)
        if view is not None:
            rest.archive_or_restore(self.tend, view, self._push)

    def action_show_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.refresh_data()
        if self.show_archived and not self._archived:
            self.notify("Nothing is archived. z on a ritual archives it.", markup=False)

    def ask_note(self, ritual_id: int) -> None:
        today = pendulum.today().date()
        existing = next(iter(self.store.find(RitualEntry, ritual_id=ritual_id, day=today, recent=True)), None)  # today is recent

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
        with self.tend.saving() as attempt, self.store.transaction():
            added = [self.store.add(Ritual(name=d.name, schedule=d.schedule.to_dict(),
                                           colleague_ids=d.colleague_ids, contact_kind=d.contact_kind,
                                           note=d.note)) for d in drafts]
        if attempt.ok:
            def undo() -> None:
                for record in added:
                    self.store.remove(Ritual, record.id or 0)

            label = f"added {len(added)} rituals" if len(added) > 1 else f"added {clean_text(added[0].name)}"
            self._push(label, undo)
            said = f"{len(added)} rituals" if len(added) > 1 else clean_text(added[0].name, multiline=False)
            self.notify(f"Added {said}. u undoes it.", markup=False)
            self.refresh_data()
            self._highlight({record.id or 0 for record in added})
        return attempt.ok

    def _highlight(self, ritual_ids: set[int]) -> None:
        """Highlight the first row (from the top, the soonest due) of any of these rituals."""
        listing, wanted = self.query_one("#rituals-list", OptionList), {str(i) for i in ritual_ids}
        for index in range(listing.option_count):
            option_id = listing.get_option_at_index(index).id or ""
            if not option_id.startswith(("head-", "empty-")) and option_id.rpartition("-")[2] in wanted:
                listing.highlighted = index
                return

    def edit(self, ritual_id: int) -> None:
        record = self.store.get(Ritual, ritual_id)
        if record is None:
            return
        # recent=True: what is kept of older entries holds each ritual's first one, all this needs
        schedule, _ = read_schedule(record, {e.day: e.status for e in self.store.find(RitualEntry, ritual_id=ritual_id, recent=True)})
        # A schedule Tend cannot read opens with what is stored, never a default that saving
        # would quietly turn into something else.
        stored = None if schedule is not None else stored_words(record.schedule)

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

        form = RitualForm("Change this ritual", RitualDraft.from_record(record, schedule or Schedule.daily()),
                          list(self._colleagues.values()), ritual_id=ritual_id, schedule_text=stored)
        form.base = record
        form.save_with = edited
        self.app.push_screen(form)

    def delete(self, ritual_id: int) -> None:
        record = self.store.get(Ritual, ritual_id)
        if record is None:
            return
        entries = self.store.find(RitualEntry, ritual_id=ritual_id)
        with self.tend.saving() as attempt, self.store.transaction():
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

