"""What the scan screen draws, as Content built from the scan's state and summaries.

Pure functions of :mod:`app.bodyscan` data: the screen decides when, these decide what.
"""

from __future__ import annotations

import os

from textual.content import Content
from textual.widgets.option_list import Option

from app import bodyscan as bs
from app.bodyscan import ScanRecord, ScanState
from screens.base import safe

SLEEP_DIRECTION = "(+) for sleep a taller bar is a better night; on every other row, more load."
"""Under the trend table: sleep's bars grow with rest, every other row's with load."""


def spark_charset() -> str:
    """Block shades (they are in the Linux console font); plain ASCII where asked or needed.

    ASCII where the terminal cannot show Unicode (:mod:`app.glyphs`: the locale, or
    ``TEND_ASCII``), and on terminals that predate Unicode (vt100, vt220).
    """
    from app.glyphs import use_unicode

    if not use_unicode() or os.environ.get("TERM", "") in {"vt100", "vt220", "ansi"}:
        return bs.SPARK_ASCII
    return bs.SPARK_UNICODE


def when_text(record: ScanRecord) -> str:
    return record.when().format("ddd D MMM, HH:mm")


# --------------------------------------------------------------------------- the item


def strip(state: ScanState) -> Content:
    """Every item as a cell, grouped, the current one marked."""
    parts: list[Content | str | tuple[str, str]] = []
    last_group = None
    for i, item in enumerate(bs.ITEMS):
        if item.group != last_group:
            name = {"body": "body", "sleep": "sleep", "signal": "signals"}[item.group]
            parts.append(("" if last_group is None else "   ") + name + " ")
            last_group = item.group
        value = state.rating(item.key)
        level = item.scale.level(value)
        cell = level.symbol if level else "_"
        if i == state.index:
            parts.append((f"[{cell}]", "bold reverse"))
        else:
            parts.append(f" {cell} ")
    return Content.assemble(*parts)


def scale_line(state: ScanState) -> Content:
    """The current item's scale, the chosen level marked."""
    chosen = state.rating()
    parts: list[Content | str | tuple[str, str]] = []
    for level in state.item.scale.levels:
        text = f"{level.value} {level.word}"
        if level.value == chosen:
            parts.append((f"[{text}]", "bold reverse"))
        else:
            parts.append(f" {text} ")
        parts.append("  ")
    return Content.assemble(*parts)


def words_block(state: ScanState) -> Content:
    """The sensation words with their letters, the marked ones marked."""
    on = set(state.words())
    parts: list[Content | str | tuple[str, str]] = [("Words ", "bold"), ("(optional)\n", "dim")]
    per_line = 6
    for i, s in enumerate(bs.SENSATIONS):
        parts.append((s.letter, "bold $accent"))
        parts.append(" ")
        if s.word in on:
            parts.append((f"[{s.word}]", "bold reverse"))
        else:
            parts.append(f" {s.word} ")
        parts.append("\n" if (i + 1) % per_line == 0 and i + 1 < len(bs.SENSATIONS) else "  ")
    return Content.assemble(*parts)


def note_line(state: ScanState) -> Content:
    """The current item's note, or how to add one."""
    note = state.note()
    if note:
        return Content.assemble(("Note: ", "bold"), safe(note, multiline=False), ("   e to change", "dim"))
    return Content.assemble(("e", "bold"), " add a note (optional)")


def pace_line(state: ScanState, pacer: bs.Pacer, now: float) -> Content:
    """The line under the item: the countdown in guided mode, the rule in quick mode."""
    if state.mode != bs.GUIDED:
        return Content("Quick: a number rates and moves on.  g for a guided pace.")
    left = pacer.countdown(now)
    if pacer.held:
        return Content.assemble(("|| held", "bold"), f"  at {left} s.  space to go on.  g for quick.")
    return Content.assemble((f"> next in {left} s", "bold"), "   space holds.  g for quick.")


# --------------------------------------------------------------------------- the summary


def load_line(summary: bs.Summary) -> Content:
    if not summary.record.ratings:
        return Content("Nothing was rated this time, so nothing was saved. n starts again.")
    if not summary.load:
        return Content("Where it sits now: nothing stood out.")
    parts = [f"{item.short} ({word})" for item, value in summary.load for word in [_word(item, value)]]
    return Content.assemble(("Where it sits now: ", "bold"), ", ".join(parts))


def _word(item: bs.Item, value: int) -> str:
    level = item.scale.level(value)
    return level.word if level else str(value)


def total_line(summary: bs.Summary) -> Content:
    total = summary.total
    parts: list[Content | str | tuple[str, str]] = [("Total ", "bold"), f"{total.total} of {total.out_of}"]
    if total.unrated:
        parts.append(f" ({len(total.unrated)} skipped)")
    if summary.total_change is not None and summary.previous is not None:
        before = bs.total(summary.previous).total
        change = summary.total_change
        parts.append(f"   {change.symbol} {change.word} than last time ({before})")
    elif summary.previous is None:
        parts.append("   your first scan")
    sleep = bs.SLEEP_SCALE.level(total.sleep)
    parts.append(f"   sleep: {sleep.word if sleep else 'not rated'}")
    return Content.assemble(*parts)


def steps_block(summary: bs.Summary, colleague_name: str | None) -> Content:
    """The next steps, numbered; ``colleague_name``: who a "reach out" step would go to."""
    lines: list[Content] = []
    for n, suggestion in enumerate(summary.suggestions, start=1):
        if suggestion.kind == bs.REACH_OUT:
            detail = safe(bs.reach_out_line(colleague_name), multiline=False)
        elif suggestion.because:
            shorts = ", ".join(bs.ITEM_BY_KEY[k].short for k in suggestion.because)
            detail = Content(f"for {shorts}")
        else:
            detail = Content("nothing stood out; an easy rhythm")
        lines.append(Content.assemble((f" {n} ", "bold reverse"), " ", (suggestion.title, "bold"), "  ", detail))
    return Content("\n").join(lines)


def trend_table(summary: bs.Summary) -> Content:
    header = Content.styled(f"{'':10} {'now':3}  {'vs last':8}  {'14 days':14}  30 days (days with a scan)", "bold")
    lines = [header]
    for item in bs.ITEMS:
        value = summary.record.value(item.key)
        change = summary.changes.get(item.key)
        moved = f"{change.symbol} {change.word}" if change else ""
        trend = summary.trends[item.key]
        now_cell = bs.meter(value) if value is not None else " - "
        label = f"{item.short} (+)" if item.group == bs.SLEEP else item.short
        lines.append(Content(f"{label:10} {now_cell:3}  {moved:8}  {trend.lines[14]:14}  {trend.lines[30]}"))
    trend = summary.trends["total"]
    moved = f"{summary.total_change.symbol} {summary.total_change.word}" if summary.total_change else ""
    lines.append(
        Content.styled(f"{'total':10} {summary.total.total:>3}  {moved:8}  {trend.lines[14]:14}  {trend.lines[30]}", "bold")
    )
    lines.append(Content.styled(SLEEP_DIRECTION, "$text-muted"))
    return Content("\n").join(lines)


# --------------------------------------------------------------------------- history


def history_options(rows: list[bs.HistoryRow], total: int) -> list[Option]:
    """One option per past scan, newest first, and one for the older ones not listed."""
    options = []
    for row in rows:
        top = ", ".join(row.top) if row.top else "nothing stood out"
        day, _, clock = row.when.rpartition("  ")  # "ddd D MMM YYYY  HH:mm", local time
        stamp = f"{day:<15}  {clock}"
        options.append(Option(Content.assemble(f"{stamp}   ", (f"{row.total:>2} of {row.out_of:<2}", "bold"), f"   {top}")))
    more = total - len(rows)
    if more > 0:
        options.append(Option(Content.styled(f"Older scans: {more:,} more. Enter shows them all.", "$text-muted"), id="history-more"))
    return options
