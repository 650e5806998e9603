"""Small dialogs shared by every screen: confirm, notice, and a one-line prompt; and
:class:`DraftForm`, what every form that keeps a draft shares.

Each is a ``ModalScreen`` that dismisses with its result. Everything shown that could hold
user text is passed as :class:`~textual.content.Content` (see :func:`screens.base.safe`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, Static

from app.models import Record
from app.storage import StoreError
from app.textclean import NAME_LIMIT, clean_text, strip_controls
from screens.base import DismissOnTop

if TYPE_CHECKING:
    from app.storage import Store
    from app.tui import TendApp

ResultT = TypeVar("ResultT")
FoundT = TypeVar("FoundT")


def _as_content(text: str | Content) -> Content:
    return text if isinstance(text, Content) else Content(text)


class ConfirmDialog(DismissOnTop, ModalScreen[bool]):
    """Ask once: ``y``/enter confirms, ``n``/escape declines."""

    CSS_PATH = "dialogs.tcss"
    DEFAULT_CLASSES = "css-dialogs"
    BINDINGS = [
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


class NoticeDialog(DismissOnTop, ModalScreen[None]):
    """A message that must be read (damaged data, a restored backup). Enter or escape closes."""

    CSS_PATH = "dialogs.tcss"
    DEFAULT_CLASSES = "css-dialogs"
    BINDINGS = [
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
            yield Static(Content.from_markup("[b]enter[/b] close"), classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)


class TextPrompt(DismissOnTop, ModalScreen[str | None]):
    """Ask for one line of text. ``validate`` returns an error message or None.

    The error shows under the field; nothing is dismissed until the text is acceptable.
    """

    CSS_PATH = "dialogs.tcss"
    DEFAULT_CLASSES = "css-dialogs"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel", tooltip="Close without changing anything")]

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
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-text")
            yield Input(self.value, placeholder=self.placeholder, max_length=self.limit * 4, id="prompt-input")
            yield Static("", classes="dialog-error", id="prompt-error", markup=False)
            yield Static(Content.from_markup("[b]enter[/b] done   [b]escape[/b] cancel"), classes="dialog-hint")

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
    draft = screen.app.store.draft(key)  # type: ignore[attr-defined]
    if not draft or screen.app.screen is not screen:
        return
    record_id = draft_record_id(draft)
    open_form(None if record_id is None else find(record_id))


class DraftForm(DismissOnTop, ModalScreen[ResultT]):
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
    keeps_draft: bool = True
    _as_opened: dict[str, Any] | None = None
    """The fields as the form opened (None until it is mounted)."""

    @property
    def tend(self) -> TendApp:
        return self.app  # type: ignore[return-value]

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
        own = self._own_draft()
        if own is not None:
            draft, gone = own
            self.fill_draft(draft)
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
                self.tend.store.save_draft(self.DRAFT_KEY, {**kept, "id": self.draft_for})
        except (StoreError, NoMatches):
            pass

    save_with: Callable[[Any], bool] | None = None
    """Set by the screen that opens the form: saves a result and says whether that worked.
    The form closes only once it has; when a save fails (the app has said why: the disk is
    full, say), the form stays open with everything in it, to try again or copy out."""

    def submit(self, result: Any) -> None:
        """The form is filled in: save it (see :attr:`save_with`), then close."""
        if self.save_with is not None and not self.save_with(result):
            return
        self.clear_draft()
        self.dismiss(result)

    def clear_draft(self) -> None:
        """Saved, or cancelled on purpose: this form's draft is done with."""
        store = self.tend.store
        if not store.read_only and self._own_draft() is not None:
            with self.tend.saving():
                store.clear_draft(self.DRAFT_KEY)


def _is_there(store: Store, kind: type[Record], record_id: int | None) -> bool:
    return record_id is not None and store.get(kind, record_id) is not None
