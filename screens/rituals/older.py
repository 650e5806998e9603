"""Older ritual entries, read off the UI thread (issue 14, docs/storage.md section 9).

When some ritual entries live in yearly history files (``Store.has_history``), the list and a
ritual's detail draw at once from what ``tend.json`` holds (``recent=True``: the state, since
and next date are exact; the score and streak need every entry, so they show a quiet mark),
and a thread worker reads every entry for the rest.

The worker never touches the app's store, which is not made for threads (a save on the UI
thread may be half way through a transaction): it opens a look-only store of its own
(:meth:`Store.open_to_read`, as ``tend status`` does: no lock, nothing written, and a reader
that never sees half a change). What it read is drawn only while the data is still as it
was when it started (:meth:`Store.token`, and the day): after any change meanwhile (a day
corrected on the heatmap, another Tend's save) everything is read again, never drawn stale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pendulum import Date
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from app.rituals import RitualView, load_archived, load_view, load_views
from app.storage import Store, StoreError
from screens.dialogs import tend_of

LIST_WORKER = "rituals-older-entries"
DETAIL_WORKER = "ritual-detail-older-entries"
NOTE_AFTER = 0.5
"""Seconds of reading before a ritual's detail says it is reading older entries."""
COULD_NOT_READ = "Tend could not read the older entries just now, so scores and streaks wait. Try again in a moment."

NOT_YET: Any = object()
"""What :meth:`FullRead.get` returns while the full read is still under way."""


@dataclass
class Lists:
    """The rituals list worked out from every entry (in the worker)."""

    views: list[RitualView]
    archived: list[RitualView]
    left_out: dict[str, str] = field(default_factory=dict)


@dataclass
class Detail:
    """One ritual's view worked out from every entry (None: it was removed)."""

    view: RitualView | None
    left_out: dict[str, str] = field(default_factory=dict)


def look(root: Path) -> Store:
    """A look-only store of the data folder, for one worker's own use."""
    store = Store.open_to_read(root)
    if store is None:
        raise StoreError("Tend's data file is not there just now.")
    return store


def read_lists(root: Path, today: Date, archived: bool) -> Lists | StoreError:
    """Every active ritual (and the archived ones, if shown) with score and streak. Runs in
    the worker thread; what went wrong comes back as the result, to be told in words."""
    try:
        store = look(root)
        views = load_views(store, today)
        return Lists(views, load_archived(store, today) if archived else [], dict(store.left_out))
    except StoreError as error:
        return error


def read_detail(root: Path, ritual_id: int, today: Date) -> Detail | StoreError:
    """One ritual with every entry (its whole heatmap, its notes, score and streak); in the
    worker thread, as :func:`read_lists`."""
    try:
        store = look(root)
        return Detail(load_view(store, ritual_id, today), dict(store.left_out))
    except StoreError as error:
        return error


class FullRead:
    """The full read for one screen: started once for a state of the data (its ``key``),
    kept while that state holds, read again after a change, stopped when the screen is left."""

    def __init__(self, screen: Screen[Any], group: str) -> None:
        self.screen = screen
        self.group = group
        self.key: object = None
        self.result: Any = NOT_YET
        self.worker: Worker[Any] | None = None
        self.failed: object = None
        """The key a read failed for: not tried again until the data changes."""

    @property
    def reading(self) -> bool:
        return self.worker is not None

    def get(self, key: object, work: Callable[[], Any], *, start: bool = True) -> Any:
        """What was read for ``key``, or :data:`NOT_YET` (a read is started if none is under
        way for it, unless ``start`` is False; one under way for an older key is replaced)."""
        if key == self.key and self.result is not NOT_YET:
            return self.result
        if key == self.failed or not start:
            return NOT_YET
        if key != self.key or self.worker is None:
            self.key, self.result, self.failed = key, NOT_YET, None
            self.worker = self.screen.run_worker(
                work, name=self.group, group=self.group, thread=True, exclusive=True, exit_on_error=False
            )
        return NOT_YET

    def stop(self) -> None:
        """Leave off reading, quietly (the screen was left); it starts again when wanted."""
        if self.worker is not None:
            self.worker.cancel()
            self.worker = None
            self.key = None

    def finished(self, event: Worker.StateChanged, key: object) -> bool:
        """Take the end of this read's worker (``key``: the state of the data now). True when
        the screen should draw again: with what was read, or to read again after a change.
        A read that failed is told in plain words, once."""
        worker = event.worker
        if worker is not self.worker or not worker.is_finished:
            return False  # another screen's, or one this replaced or stopped
        self.worker = None
        if worker.state == WorkerState.CANCELLED:
            self.key = None
            return False
        if key != self.key:  # the data changed while it was read: read it again
            return True
        result = worker.result if worker.state == WorkerState.SUCCESS else None
        if isinstance(result, (Lists, Detail)):
            self.result = result
            if result.left_out:  # never silent: named by the app, as its own reads are
                tend = tend_of(self.screen)
                for label, why in result.left_out.items():
                    tend.store.left_out.setdefault(label, why)
                tend.report_left_out()
            return True
        self.failed = self.key
        said = str(result) if isinstance(result, StoreError) else COULD_NOT_READ
        self.screen.notify(said, title="Older entries", markup=False)
        return False
