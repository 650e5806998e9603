"""Small dialogs shared by every screen: confirm, notice, and a one-line prompt; and
:class:`DraftForm`, what every form that keeps a draft shares.

Each is a ``ModalScreen`` that dismisses with its result. Everything shown that could hold
user text is passed as :class:`~textual.content.Content` (see :func:`screens.base.safe`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from app.models import Record, RecordError, load_record
from app.storage import ConflictError, StoreError
from app.textclean import NAME_LIMIT, clean_text, strip_controls
from screens.base import TendModal, key_hints

if TYPE_CHECKING:
    from app.storage import Store
    from screens.shell import TendShell

DIALOGS_CSS = Path(__file__).resolve().with_name("dialogs.tcss")
"""The dialogs' stylesheet, for dialogs defined in other folders (a relative ``CSS_PATH`` is
read from the folder of the module that defines the screen)."""

ResultT = TypeVar("ResultT")
RecordT = TypeVar("RecordT", bound=Record)
FoundT = TypeVar("FoundT")


def tend_of(node: DOMNode) -> TendShell:
    """The running Tend, typed, for a dialog or widget (a main screen has ``self.tend``)."""
    return cast("TendShell", node.app)


def _as_content(text: str | Content) -> Content:
    return text if isinstance(text, Content) else Content(text)


class ConfirmDialog(TendModal[bool]):
    """Ask once: ``y``/enter confirms, ``n``/escape declines."""

    CSS_PATH = "dialogs.tcss"
    DEFAULT_CLASSES = "css-dialogs"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Go ahead"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="Leave it as it is"),
    ]

    def __init__(self, question: str | Content, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = _as_content(question)
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content.assemble(("y", "underline"), f" {self.yes}"), id="yes", variant="primary")
                yield Button(Content.assemble(("n", "underline"), f" {self.no}"), id="no")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class CloseUnsavedDialog(ConfirmDialog):
    """Asked by escape in a form that holds unsaved work: its footer says what each key does
    in the same words as its buttons."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Close without saving", id="unsaved.close",
                tooltip="Close the form; what was typed there is let go"),
        Binding("n,escape", "answer(False)", "Keep editing", id="unsaved.keep",
                tooltip="Back to the form, with everything in it"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__(
            "You have changed things here. Close without saving them?", yes="Close without saving", no="Keep editing"
        )


class NoticeDialog(TendModal[None]):
    """A message that must be read (damaged data, a restored backup). Enter or escape closes."""

    CSS_PATH = "dialogs.tcss"
    DEFAULT_CLASSES = "css-dialogs"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape,space", "close", "Close", id="notice.close", tooltip="Close this message"),
    ]

    def __init__(self, title: str, message: str | Content) -> None:
        super().__init__()
        self.title_text = title
        self.message = _as_content(message)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.title_text), classes="dialog-title")
            with VerticalScroll(classes="dialog-scroll"):
                yield Static(self.message, classes="dialog-text")
            yield Static(key_hints(self, "close"), classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)


class ProgressDialog(TendModal[None]):
    """How far a long job in a worker thread has got ("Reading cards: 1,200 of 5,000");
    escape asks it to stop by setting :attr:`cancel`, which the job checks as it goes.

    :meth:`report` may be called from any thread. The screen that started the job closes
    the dialog with :meth:`finish` when the job has ended.
    """

    CSS_PATH = "dialogs.tcss"
    DEFAULT_CLASSES = "css-dialogs"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stop", "Stop", id="progress.stop", tooltip="Stop; nothing is changed"),
    ]

    class Progress(Message):
        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done, self.total = done, total

    def __init__(self, title: str | Content, what: str) -> None:
        super().__init__()
        self.title_text = _as_content(title)
        self.what = what
        self.cancel = threading.Event()
        self.finished = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(f"{self.what}...", classes="dialog-text", id="progress-text", markup=False)
            yield Static(Content.assemble(key_hints(self, "stop"), " (nothing is changed)"), classes="dialog-hint")

    def report(self, done: int, total: int) -> None:
        """Thread-safe: show ``done`` of ``total``."""
        self.post_message(self.Progress(done, total))

    @on(Progress)
    def _progress(self, event: Progress) -> None:
        if not self.cancel.is_set():
            self.query_one("#progress-text", Static).update(f"{self.what}: {event.done:,} of {event.total:,}")

    def action_stop(self) -> None:
        if self.finished:
            self.dismiss(None)
            return
        self.cancel.set()
        self.query_one("#progress-text", Static).update("Stopping...")

    def finish(self) -> None:
        """The job has ended: close now if on top, else as soon as escape is pressed."""
        self.finished = True
        if self.is_active:
            self.dismiss(None)

    def on_unmount(self) -> None:
        self.cancel.set()  # closed with the app: the job stops too


class PromptInput(Input):
    """The prompt's field: enter is named "Done", as its hint says."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Done", id="prompt.done", tooltip="Use what is typed", show=False),
    ]


class TextPrompt(TendModal[str | None]):
    """Ask for one line of text. ``validate`` returns an error message or None.

    The error shows under the field; nothing is dismissed until the text is acceptable.
    """

    CSS_PATH = "dialogs.tcss"
    DEFAULT_CLASSES = "css-dialogs"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel", tooltip="Close without changing anything"),
    ]

    def __init__(
        self,
        question: str | Content,
        *,
        value: str = "",
        placeholder: str = "",
        validate: Callable[[str], str | None] | None = None,
        limit: int = NAME_LIMIT,
    ) -> None:
        super().__init__()
        self.question = _as_content(question)
        self.value = value
        self.placeholder = placeholder
        self.check = validate
        self.limit = limit

    def compose(self) -> ComposeResult:
        field = PromptInput(self.value, placeholder=self.placeholder, max_length=self.limit * 4, id="prompt-input")
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-text")
            yield field
            yield Static("", classes="dialog-error", id="prompt-error", markup=False)
            yield Static(Content.assemble(key_hints(field, "submit"), "   ", key_hints(self, "cancel")), classes="dialog-hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = clean_text(event.value, limit=self.limit)
        problem = self.check(text) if self.check else None
        if problem:
            self.query_one("#prompt-error", Static).update(Content(problem))
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


# --------------------------------------------------------------------------- drafts


def draft_record_id(draft: dict[str, Any]) -> int | None:
    """The id of the record a draft was typed for: None for a new one (or an id that is no id)."""
    value = draft.get("id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def reopen_draft(
    screen: Screen[Any], key: str, find: Callable[[int], FoundT | None], open_form: Callable[[FoundT | None], None]
) -> None:
    """Open again the form a draft was left in (Tend closed, or the connection dropped), on
    the screen that form belongs to, if nothing has been opened over it meanwhile (a
    breathing session asked for on the command line comes first; the draft waits):
    ``open_form(record)`` for an edit, ``open_form(None)`` for a new one, and for an edit
    whose record has gone since (the form then says so)."""
    draft = tend_of(screen).store.draft(key)
    if not draft or screen.app.screen is not screen:
        return
    record_id = draft_record_id(draft)
    open_form(None if record_id is None else find(record_id))


class DraftForm(TendModal[ResultT]):
    """A form that keeps what was typed in it when Tend closes or the connection drops.

    One draft is kept per kind of form (``DRAFT_KEY``), with the id of the record it edits
    (``draft_for``, None for a new one), so a draft only ever goes back into the form it came
    from, or into a new one when its record was deleted meanwhile. A subclass reads and
    refills its fields (:meth:`draft_fields`, :meth:`fill_draft`), calls :meth:`restore_draft`
    when mounted and :meth:`clear_draft` when it is saved or cancelled on purpose.
    """

    DRAFT_KEY: ClassVar[str] = ""
    DRAFT_RECORD: ClassVar[type[Record]]
    BACK_NOTE: ClassVar[str] = "Your unsaved changes are back."
    GONE_NOTE: ClassVar[str] = (
        "What you were changing was deleted in the meantime, so your changes are back as a new one."
    )

    draft_for: int | None = None
    """The id of the record being edited; None for a new one."""
    base: Record | None = None
    """The record being edited as the form opened it (None for a new one): what
    :meth:`save_edit` gives the store to merge this edit with changes made elsewhere since."""
    keeps_draft: bool = True
    _as_opened: dict[str, Any] | None = None
    """The fields as the form opened, with any draft put back (None until it is mounted)."""
    _pristine: dict[str, Any] | None = None
    """The fields as the form opened, before any draft was put back."""

    @property
    def tend(self) -> TendShell:
        return tend_of(self)

    def on_mount(self) -> None:
        self.tend.draft_keepers.add(self)  # saved on quit, SIGHUP and SIGTERM while open

    def on_unmount(self) -> None:
        self.tend.draft_keepers.discard(self)

    def action_cancel(self) -> None:
        """Escape: close, letting go of what was typed (a cancel on purpose keeps no draft).
        When something was changed, ask first: one stray escape between sessions should not
        cost a note typed with care. Escape again (or ``n``) goes back to the form."""
        if self.changed():
            self.app.push_screen(CloseUnsavedDialog(), self._cancel_answered)
            return
        self._let_go()

    def _cancel_answered(self, close: bool | None) -> None:
        if close:
            self._let_go()

    def _let_go(self) -> None:
        self.clear_draft()
        self.dismiss(None)

    def changed(self) -> bool:
        """Whether the fields hold anything unsaved: they differ from the record (or the empty
        form) as it opened, counting a draft that came back as unsaved."""
        if self._pristine is None:
            return False
        try:
            return self.draft_fields() != self._pristine
        except NoMatches:
            return False

    def draft_fields(self) -> dict[str, Any]:
        """What is in the fields now, JSON-ready. Override."""
        raise NotImplementedError

    def fill_draft(self, draft: dict[str, Any]) -> None:
        """Put a draft back into the fields, cleaned as typed text is. Override."""
        raise NotImplementedError

    def refill(self, selector: str, value: object) -> None:
        """Put ``value`` back into the Input or TextArea at ``selector``, cleaned as typed text
        is, and no longer than the field takes."""
        from textual.widgets import TextArea  # only forms with one need it: kept off Today's start

        widget = self.query_one(selector)
        if isinstance(widget, TextArea):
            widget.text = clean_text(value, multiline=True)
        elif isinstance(widget, Input):
            widget.value = clean_text(value, limit=widget.max_length or None)

    def _own_draft(self) -> tuple[dict[str, Any], bool] | None:
        """The draft kept for this form, and whether its record was deleted since."""
        store = self.tend.store
        draft = store.draft(self.DRAFT_KEY) if self.keeps_draft else None
        if not draft:
            return None
        record_id = draft_record_id(draft)
        if record_id == self.draft_for:
            return draft, False
        if self.draft_for is None and not _is_there(store, self.DRAFT_RECORD, record_id):
            return draft, True
        return None

    def restore_draft(self) -> None:
        """Put back what was typed here before Tend closed, with a word saying so."""
        self._pristine = self.draft_fields()
        own = self._own_draft()
        if own is not None:
            draft, gone = own
            self.fill_draft(draft)
            if not gone and isinstance(draft.get("base"), dict):
                # The draft was typed over the record as it was then: merge with that.
                with contextlib.suppress(RecordError):
                    self.base = load_record(self.DRAFT_RECORD, draft["base"], self.draft_for)
            self.notify(self.GONE_NOTE if gone else self.BACK_NOTE, markup=False)
        self._as_opened = self.draft_fields()

    def save_draft(self) -> None:
        """Called by the app on quit, SIGHUP and SIGTERM (so it never raises). Nothing typed,
        nothing kept: a form left as it opened leaves any older draft alone."""
        if not self.keeps_draft or self._as_opened is None:
            return
        try:
            fields = self.draft_fields()
            if fields != self._as_opened:
                kept = {name: strip_controls(value) if isinstance(value, str) else value
                        for name, value in fields.items()}  # fmt: skip
                base = {"base": self.base.to_doc()} if self.base is not None else {}
                self.tend.store.save_draft(self.DRAFT_KEY, {**kept, "id": self.draft_for, **base})
        except (StoreError, NoMatches):
            pass

    save_with: Callable[[Any], bool] | None = None
    """Set by the screen that opens the form: saves a result and says whether that worked.
    The form closes only once it has; when a save fails (the app has said why: the disk is
    full, say), the form stays open with everything in it, to try again or copy out."""

    def submit(self, result: Any) -> None:
        """The form is filled in: save it (see :attr:`save_with`), then close."""
        if self.save_with is not None and not self.save_with(result):
            # Another Tend was saving: once it has finished, save again (the form stays open
            # meanwhile, and if the person stops waiting).
            self.tend.retry_when_free(lambda: self._submit_again(result))
            return
        self.clear_draft()
        self.dismiss(result)

    def _submit_again(self, result: Any) -> None:
        if self.app.screen is self:
            self.submit(result)
        elif self.is_attached:
            self.notify("The other Tend has finished saving. Please save again.", markup=False)
    def save_edit(self, store: Store, record: RecordT) -> RecordT:
        """``store.update(record)``, merged with what changed elsewhere since the form opened
        (see :meth:`app.storage.Store.update`). When another window changed a field this
        edit changed too, the form says how each side has it, keeps everything typed, and
        takes the other side as its new starting point, so saving again keeps what is
        typed (and every other change made there); the error goes on to ``app.saving()``."""
        try:
            return store.update(record, base=cast("RecordT | None", self.base))  # the form's base is a record of its kind
        except ConflictError as error:
            self.base = error.retry_base
            self.show_conflict(error)
            raise

    def show_conflict(self, error: ConflictError) -> None:
        """Say in the form what clashed: in its ``#form-error`` line, if it has one."""
        text = " ".join(["Changed in another window meanwhile.", *error.differences(), "Save again to keep yours."])
        with contextlib.suppress(NoMatches):
            self.query_one("#form-error", Static).update(Content(text))

    def clear_draft(self) -> None:
        """Saved, or cancelled on purpose: this form's draft is done with."""
        store = self.tend.store
        if not store.read_only and self._own_draft() is not None:
            with self.tend.saving():
                store.clear_draft(self.DRAFT_KEY)


def _is_there(store: Store, kind: type[Record], record_id: int | None) -> bool:
    return record_id is not None and store.get(kind, record_id) is not None
