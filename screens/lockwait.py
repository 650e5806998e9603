"""Shown while another Tend (an import, perhaps) holds the lock and a save here has to wait.

The wait happens in a thread worker, never on the event loop, so keys, redraws and signals
carry on. The screen dismisses with True once the other Tend has finished (the app then tries
the save again), or False when the person stops waiting with escape or the wait runs out.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, ClassVar, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from screens.base import key_hints

if TYPE_CHECKING:
    from screens.shell import TendShell

WAITING_TEXT = "Waiting for another Tend to finish saving (an import, perhaps)..."


class LockWaitScreen(ModalScreen[bool]):
    """A visible, cancellable wait for another Tend's save, with a time limit."""

    CSS_PATH = "lockwait.tcss"
    DEFAULT_CLASSES = "css-lockwait"
    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stop", "Stop waiting", id="lockwait.stop", tooltip="Stop waiting and leave this change unsaved"),
        # A modal screen hides the app's keys: quick-hide must still work while waiting.
        Binding("ctrl+b", "app.hide", "Hide", id="lockwait.hide", tooltip="Hide the screen at once", show=False),
    ]

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds
        self.stopped = False
        """True when the person stopped the wait (escape), rather than it running out."""
        self._cancelled = threading.Event()
        self._outcome: bool | None = None

    @property
    def tend(self) -> TendShell:
        return cast("TendShell", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="lockwait"):
            yield Static(Content(WAITING_TEXT), id="lockwait-text")
            yield Static(
                key_hints(self, "stop", use_tooltip=True),
                id="lockwait-hint",
            )

    def on_mount(self) -> None:
        self._wait()

    @work(thread=True, exit_on_error=False)
    def _wait(self) -> None:
        try:
            free = self.tend.store.wait_until_free(self.seconds, self._cancelled)
        except Exception:  # the lock file could not be opened: the save will say why
            free = True
        if not self._cancelled.is_set():
            self.app.call_from_thread(self._finish, free)

    def _finish(self, free: bool) -> None:
        if self.is_attached and not self._cancelled.is_set():
            self._cancelled.set()
            self._outcome = free
            if self.app.screen is self:
                self.dismiss(free)
            # else: hidden (ctrl+b) or too small for now; dismissed when shown again

    def on_screen_resume(self) -> None:
        if self._outcome is not None:
            self.dismiss(self._outcome)

    def action_stop(self) -> None:
        if not self._cancelled.is_set():
            self._cancelled.set()
            self.stopped = True
            self.dismiss(False)

    def on_unmount(self) -> None:
        self._cancelled.set()
