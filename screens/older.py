"""Older history read off the UI thread (issue 14, docs/storage.md section 9).

A view of a dated kind (the past scans, a summary's trends, the breathing history) draws at
once from what ``tend.json`` holds (``recent=True``), then hands an :class:`OlderRecords` a
function of every stored document of that kind (``compute``, pure: it reads them with
``among=``). A thread worker reads the history files (``Store.read_older``: they and
copies of ``tend.json``'s documents taken as the read began, ``Store.older_part``), runs
``compute`` there too (years of records are built off the UI thread as well), and the
widget posts :class:`OlderRecords.Loaded` with its result for the view to draw. The widget
itself is the one-line note ("Reading older scans...") shown only while a read takes longer
than :data:`NOTE_AFTER`.

* Keys keep working: the thread touches only the history files and the copies.
* Leaving the view calls :meth:`OlderRecords.stop`: the worker is cancelled, its result
  dropped; a thread cannot be stopped, but it only finishes its work and posts nothing.
* A change made meanwhile is never undone by the older result: when the result arrives and
  anything was saved since the read began (``Store.still_current``: a record removed here,
  an old one changed by another Tend, a roll-over), it is dropped and the read done again
  (the history files read are cached, so that is quick).
* A ``StoreError`` is told in its own plain words; anything else in one plain sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import Worker, WorkerState, get_current_worker

from app.storage import OlderPart, StoreError

if TYPE_CHECKING:
    from app.models import Record
    from app.storage import Store
    from screens.shell import TendShell

NOTE_AFTER = 0.5
"""Seconds of reading before the note shows (a quicker read shows none)."""

TRIES = 3
"""Reads in a row that may find the history changed under them before Tend says so."""


class OlderRecords(Static):
    """Reads the older records of one kind for its view, and is the note while it does."""

    DEFAULT_CSS = """
    OlderRecords {
        height: 1;
        color: $text-muted;
    }
    """

    class Loaded(Message):
        """What ``compute`` made of every record of the kind, as stored now."""

        def __init__(self, reader: OlderRecords, result: Any) -> None:
            super().__init__()
            self.reader = reader
            self.result = result

        @property
        def control(self) -> OlderRecords:
            return self.reader

    note_after: ClassVar[float] = NOTE_AFTER

    def __init__(self, kind: type[Record], note: str, *, id: str | None = None) -> None:
        super().__init__(Content(note), id=id, markup=False)
        self.kind = kind
        self.display = False
        self._worker: Worker[tuple[bool, Any]] | None = None
        self._part: OlderPart | None = None
        self._compute: Callable[[Mapping[str, Any]], Any] = dict
        self._from_year: int | None = None
        self._enough: Callable[[Any], bool] = lambda _: True
        self._newest: int | None = None
        self._timer: Timer | None = None
        self._tries = 0

    @property
    def store(self) -> Store:
        return cast("TendShell", self.app).store

    @property
    def reading(self) -> bool:
        """True from :meth:`read` until the records arrive, the read fails or is stopped."""
        return self._worker is not None

    def read(
        self,
        compute: Callable[[Mapping[str, Any]], Any],
        *,
        from_year: int | None = None,
        enough: Callable[[Any], bool] = lambda _: True,
        newest: int | None = None,
    ) -> bool:
        """Read every record of the kind in a worker and work ``compute`` out of them there
        (it gets the stored documents by id, for ``among=``; a read under way starts again);
        False when none of them are in history (nothing to read, nothing started).
        ``from_year``: only the history files of that year on (and ``tend.json``), unless
        ``enough`` says of what ``compute`` made of them that older ones are needed too.
        ``newest``: only the newest files that hold that many records (``OlderPart.newest``,
        chosen again at each read), and ``compute`` is called with ``unread=``, how many
        records the files left out hold."""
        self._tries, self._compute, self._from_year, self._enough = 0, compute, from_year, enough
        self._newest = newest
        return self._start()

    def _start(self) -> bool:
        self._cancel()
        part = self.store.older_part(self.kind)
        if part is None:
            self.display = False
            return False
        self._part = part
        self._tries += 1
        compute = self._compute
        if self._newest is not None:
            part, unread = part.newest(self._newest)
            counting: Callable[..., Any] = self._compute  # takes unread= (see read)
            compute = partial(counting, unread=unread)
        self._worker = self.run_worker(
            partial(self._read_in_thread, self.store, part, compute, self._from_year, self._enough),
            name=f"older-{self.kind.TABLE}",
            group=f"older-{self.kind.TABLE}",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )
        if self._timer is None:
            self._timer = self.set_timer(self.note_after, self._still_reading)
        return True

    @staticmethod
    def _read_in_thread(
        store: Store, part: OlderPart, compute: Callable[[Mapping[str, Any]], Any],
        from_year: int | None, enough: Callable[[Any], bool],
    ) -> tuple[bool, Any]:  # fmt: skip
        """(True, what ``compute`` made of the records read), or (False, None) when a history
        file had gone meanwhile (or the read was stopped)."""
        worker = get_current_worker()
        newer = part if from_year is None else part.from_year(from_year)
        docs = store.read_older(newer, cancelled=lambda: worker.is_cancelled)
        if docs is None or worker.is_cancelled:
            return False, None
        result = compute(docs)
        if newer != part and not enough(result):  # older records needed after all: every file
            docs = store.read_older(part, cancelled=lambda: worker.is_cancelled)
            if docs is None or worker.is_cancelled:
                return False, None
            result = compute(docs)
        return True, result

    def _still_reading(self) -> None:
        self._timer = None
        if self.reading:
            self.display = True

    def stop(self) -> None:
        """The view is left: drop the read under way, quietly."""
        self._cancel()
        self._done()

    def _cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None

    def _done(self) -> None:
        self._worker = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.display = False

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        event.stop()
        worker = event.worker
        if worker is not self._worker or worker.is_cancelled or not worker.is_finished:
            return  # an earlier read, stopped or replaced: its result is dropped
        part = self._part
        tend = cast("TendShell", self.app)
        self.store.mend_unread()  # a file found unreadable: set aside, its earlier version back
        if event.state is WorkerState.ERROR or part is None:
            self._done()
            error = worker.error
            what = self.kind.TABLE.replace("_", " ")
            text = str(error) if isinstance(error, StoreError) else f"Tend could not read your older {what} just now."
            self.notify(text, title="Older history", severity="warning", markup=False)
            return
        read, result = worker.result or (False, None)
        if not read or not self.store.still_current(part):  # saved meanwhile: read again
            if self._tries < TRIES:
                self._start()
                return
            self._done()
            self.notify("Your older history kept changing while Tend read it. Open it again in a moment.",
                        title="Older history", severity="warning", markup=False)  # fmt: skip
            return
        self._done()
        tend.report_left_out()  # a history file that could not be read, named once
        self.post_message(self.Loaded(self, result))
