"""Older ritual entries, read off the UI thread (issue 14, docs/storage.md section 9).

When some ritual entries live in yearly history files (``Store.has_history``), the list and a
ritual's detail draw at once from what ``tend.json`` holds (``recent=True``: the state, since
and next date are exact; the score and streak need every entry, so they show a quiet mark),
and a thread worker reads the rest: the history files since what the last start kept
(``app/carried_years.py``: this year's for the list, the last two years' for a detail), or
every entry when that does not hold.

The read is the store's one way of reading old history from a thread, as the scan and
breathing views do (``screens/older.py``): on the event loop, :meth:`Store.older_part` takes
the history files ``tend.json`` names and copies of its entries; in the thread,
:meth:`Store.read_older` reads only those files (never ``tend.json``, never the lock) and the
views are worked out from what it gives (``among=``). What it read is drawn only while the
data is still as it was when it started (:meth:`Store.token`, and the day): after any change
meanwhile (a day corrected on the heatmap, another Tend's save) everything is read again,
never drawn stale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pendulum import Date
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from app.models import Ritual, RitualEntry
from app import carried_years
from app.rituals import KeptProgress, RitualView, build_view, lists_from_kept, load_states
from app.storage import Store, StoreError
from screens.dialogs import tend_of

LIST_WORKER = "rituals-older-entries"
DETAIL_WORKER = "ritual-detail-older-entries"
NOTE_AFTER = 0.5
"""Seconds of reading before a ritual's detail says it is reading older entries."""
COULD_NOT_READ = "Tend could not read the older entries just now, so scores and streaks wait. Try again in a moment."

NOT_YET: Any = object()
"""What :meth:`FullRead.get` returns while the full read is still under way."""

GONE: Any = object()
"""What a read returns when a history file it was to read had been replaced meanwhile."""


@dataclass
class Lists:
    """The rituals list worked out from every entry (in the worker), and what later refreshes
    need to work out scores and streaks without reading the history files again."""

    views: list[RitualView]
    archived: list[RitualView]
    kept: Kept | None = None


@dataclass(frozen=True)
class Kept:
    """Per ritual, what a full read kept (:func:`app.rituals.keep_progress`), valid while the
    history files are the versions it read."""

    versions: tuple[tuple[str, int], ...]
    progress: dict[int, KeptProgress | None]

    def lists(self, store: Store, today: Date, archived: bool) -> tuple[list[RitualView], list[RitualView]] | None:
        """The lists from ``tend.json`` and what was kept; None when that no longer holds."""
        if store.history_versions(RitualEntry) != self.versions:
            return None
        return lists_from_kept(store, today, self.progress, archived=archived)


@dataclass
class Detail:
    """One ritual's view worked out from every entry (None: it was removed)."""

    view: RitualView | None


Work = Callable[[], Any]


def read_lists(store: Store, today: Date, archived: bool) -> Work:
    """On the event loop: the work, for the thread, of every active ritual (and the archived
    ones, if shown) with score and streak (:func:`app.carried_years.read_lists`: the newest
    year's history file and what the last start kept of the years before, or every file when
    that does not hold). What went wrong comes back as its result."""
    part = store.older_part(RitualEntry)
    rituals = store.all(Ritual)
    recent = load_states(store, recent=True)

    def work() -> Lists | StoreError | Any:
        try:
            if part is None:
                return GONE
            found = carried_years.read_lists(store, part, rituals, recent, today, archived=archived)
            if found is None:
                return GONE
            return Lists(found.active, found.archived, Kept(part.versions, found.progress))
        except StoreError as error:
            return error

    return work


def read_detail(store: Store, ritual_id: int, today: Date) -> Work:
    """On the event loop: the work, for the thread, of one ritual for its detail (its year of
    heatmap, its latest notes, score and streak): from the history files since the year
    before the one the last start kept (:func:`app.carried_years.read_detail`), or every
    entry when that does not hold, as :func:`read_lists`."""
    part = store.older_part(RitualEntry)
    record = store.get(Ritual, ritual_id)
    recent = load_states(store, recent=True).get(ritual_id, {})

    def work() -> Detail | StoreError | Any:
        try:
            if part is None:
                return GONE
            if record is None:
                return Detail(None)
            found = carried_years.read_detail(store, part, record, recent, today)
            if found == carried_years.GONE:
                return GONE
            if isinstance(found, RitualView):
                return Detail(found)
            docs = store.read_older(part)
            if docs is None:
                return GONE
            entries = store.select(RitualEntry, lambda doc: doc.get("ritual_id") == ritual_id, among=docs)
            return Detail(build_view(record, entries, today))
        except StoreError as error:
            return error

    return work


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
        self.last: Any = None
        """The last result read in full, whatever the data has done since."""

    def kept(self, key: object) -> Kept | None:
        """What the last full read of the lists kept (:class:`Kept`), for a state of the data
        other than the one it read (a save since); None for the state it read, or none kept."""
        if key == self.key and self.result is not NOT_YET:
            return None
        return self.last.kept if isinstance(self.last, Lists) else None

    @property
    def reading(self) -> bool:
        return self.worker is not None

    def get(self, key: object, prepare: Callable[[], Work], *, start: bool = True) -> Any:
        """What was read for ``key``, or :data:`NOT_YET` (a read is started if none is under
        way for it, unless ``start`` is False; one under way for an older key is replaced).
        ``prepare`` runs on the event loop, only when a read starts, and gives its work."""
        if key == self.key and self.result is not NOT_YET:
            return self.result
        if key == self.failed or not start:
            return NOT_YET
        if key != self.key or self.worker is None:
            self.key, self.result, self.failed = key, NOT_YET, None
            self.worker = self.screen.run_worker(
                prepare(), name=self.group, group=self.group, thread=True, exclusive=True, exit_on_error=False
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
        tend = tend_of(self.screen)
        tend.store.mend_unread()  # a file found unreadable: set aside, its earlier version back
        if result is GONE:  # another change committed meanwhile: read it again
            self.key = None
            return True
        if isinstance(result, (Lists, Detail)):
            self.result = self.last = result
            tend.report_left_out()  # never silent: what the read left out is named, once
            return True
        self.failed = self.key
        said = str(result) if isinstance(result, StoreError) else COULD_NOT_READ
        self.screen.notify(said, title="Older entries", markup=False)
        return False
