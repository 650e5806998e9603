"""Past scans: the ``history`` view of :class:`~screens.scan.screen.ScanScreen` (newest first,
older ones on request), deleting one (``x``) and bringing it back (``u``), and the longer
trend column's span (``v``) on a summary.

With scans in history files (``Store.has_history``), the list is drawn at once from
``tend.json`` (the last six weeks and the latest scan before them) and the rest fills in
from a worker (:class:`screens.older.OlderRecords`, ``#history-older``), the highlight kept
on the same scan.

:class:`PastScans` keeps the list and the scan deleted last; the screen holds one
(``screen.history``) and switches to it."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

import pendulum
from textual.content import Content
from textual.widgets import OptionList, Static

from app import bodyscan as bs
from app.bodyscan import ScanRecord
from app.models import BodyScan
from screens.base import TendScreen
from screens.older import OlderRecords
from screens.scan import drawing

if TYPE_CHECKING:
    from app.storage import Store


def next_span(days: int) -> int:
    """The longer trend column after ``days``: 30 days, a quarter, a year, and round again."""
    spans = [span for span, _ in bs.LONG_SPANS]
    at = spans.index(days) if days in spans else -1
    return spans[(at + 1) % len(spans)]


class PastScans:
    """The past scans listed on ``screen`` and the one deleted last."""

    def __init__(self, screen: TendScreen) -> None:
        self.screen = screen
        self.rows: list[bs.HistoryRow] = []
        """The past scans listed, newest first."""
        self.total: int | None = 0
        """How many scans there are in all (the list starts with the newest ones); None
        while the older ones are being read."""
        self.show_all = False
        self.deleted: BodyScan | None = None
        """The scan deleted last from history, kept for ``u`` (undo) while on this screen."""

    @property
    def reader(self) -> OlderRecords:
        """What reads the older scans (and says so when that takes a while)."""
        return self.screen.query_one("#history-older", OlderRecords)

    def _read_rest(self) -> bool:
        """With scans in history, read the rest in the reader's worker (:meth:`fill`): for the
        first page only the newest years' files that hold it, the older ones counted from
        the manifest (so a page costs the same at 24 years as at 3); every scan to show all."""
        store = self.screen.tend.store
        if self.show_all:
            return self.reader.read(partial(_rows_among, store, None))
        return self.reader.read(partial(_rows_among, store, bs.HISTORY_PAGE), newest=bs.HISTORY_PAGE)

    def load(self) -> None:
        """The newest scans; with scans in history, those in ``tend.json`` now and the rest
        from the reader (:meth:`fill`)."""
        store, limit = self.screen.tend.store, None if self.show_all else bs.HISTORY_PAGE
        if self._read_rest():
            records, self.total = bs.newest_scans(store, limit, recent=True)[0], None
        else:
            records, self.total = bs.newest_scans(store, limit)
        self.rows = bs.history_rows(records)

    def fill(self, rows: list[bs.HistoryRow], total: int) -> None:
        """Every scan has been read: the whole list, the same scan highlighted."""
        index = self.screen.query_one("#history-list", OptionList).highlighted
        keep = self.rows[index].record.id if index is not None and 0 <= index < len(self.rows) else None
        self.rows, self.total = rows, total
        self.render(keep=keep)

    def render(self, *, keep: int | None = None) -> None:
        """Fill the history list, newest first (``keep``: highlight the scan with that id)."""
        rows = self.rows
        option_list = self.screen.query_one("#history-list", OptionList)
        highlighted = option_list.highlighted
        total = len(rows) if self.total is None else self.total
        option_list.set_options(drawing.history_options(rows, total))  # one update for the whole list
        if rows:
            ids = [row.record.id for row in rows]
            option_list.highlighted = ids.index(keep) if keep in ids else min(highlighted or 0, len(rows) - 1)
        empty = self.screen.query_one("#history-empty", Static)
        empty.display = not rows and not self.reader.reading
        empty.update(Content("No scans yet. n starts your first."))

    def picked(self, event: OptionList.OptionSelected) -> ScanRecord | None:
        """Enter on the list: the scan to open, or None (the way to older scans shows them all)."""
        if event.option.id == "history-more":
            self.show_all = True
            if not self._read_rest():  # with history: the list stays until every scan is read
                self.load()
                self.render()
            return None
        index = event.option_index
        return self.rows[index].record if 0 <= index < len(self.rows) else None

    def delete(self) -> bs.HistoryRow | None:
        """Delete the highlighted past scan (``u`` brings it back); the row deleted, if one was."""
        screen = self.screen
        index = screen.query_one("#history-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.rows):
            return None
        row = self.rows[index]
        store = screen.tend.store
        stored = store.get(BodyScan, row.record.id) if row.record.id is not None else None
        if stored is None:
            return None
        with screen.tend.saving("scans") as attempt:
            store.remove(BodyScan, row.record.id or 0)
        if not attempt.ok:
            return None
        self.deleted = stored
        listed = [other for other in self.rows if other.record.id != row.record.id]  # gone at once
        if len(listed) < len(self.rows) and self.total is not None:  # (unless already read afresh)
            self.total -= 1
        self.rows = listed
        self._changed(f"Deleted the scan from {row.when}. u brings it back.")
        return row

    def undo_delete(self) -> None:
        """Put back the scan deleted last, under its old id."""
        if self.deleted is None:
            return
        with self.screen.tend.saving("scans") as attempt:
            self.screen.tend.store.restore(self.deleted)
        if not attempt.ok:
            return
        self.deleted = None
        self._changed("The scan is back.")

    def _changed(self, message: str) -> None:
        if not self._read_rest():  # with history, the list as it is until the reader has it all
            self.load()
        self.render()
        self.screen.refresh_bindings()
        self.screen.notify(message, markup=False)


def _rows_among(
    store: Store, limit: int | None, docs: Mapping[str, Any], *, unread: int = 0
) -> tuple[list[bs.HistoryRow], int]:
    """(In the reader's worker) the newest ``limit`` scans' rows of ``docs``, and the count
    with the ``unread`` scans of the history files not read."""
    records, total = bs.newest_scans(store, limit, among=docs)
    return bs.history_rows(records), total + unread


def summary_of(screen: TendScreen, record: ScanRecord, *, from_history: bool) -> bs.Summary:
    """The summary of ``record`` against the scans before it; with scans in history, from
    those in ``tend.json`` now, and the reader ``#summary-older`` works out the whole one."""
    store, charset = screen.tend.store, drawing.spark_charset()
    now = record.when() if from_history else pendulum.now()

    def summarise(among: Mapping[str, Any] | None = None, *, recent: bool = False) -> bs.Summary:
        return bs.summarise(record, bs.scans_for_summary(store, record, recent=recent, among=among), now=now, charset=charset)

    # The trends look back a year from the scan: the history files from then on will do,
    # unless the scan before it is older still (then every file is read).
    back = record.when("UTC").subtract(days=max(bs.TREND_DAYS) + 4).year
    reading = screen.query_one("#summary-older", OlderRecords).read(
        summarise, from_year=back, enough=lambda summary: summary.previous is not None
    )
    return summarise(recent=reading)
