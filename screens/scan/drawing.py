"""What the scan screen draws, as Content built from the scan's state and summaries.

Pure functions of :mod:`app.bodyscan` data: the screen decides when, these decide what.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Mapping

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


def words_block(state: ScanState, letters: Mapping[str, str] | None = None) -> Content:
    """The sensation words with their letters (``letters``: word -> the key shown, where the
    config file moved it), the marked ones marked."""
    on = set(state.words())
    parts: list[Content | str | tuple[str, str]] = [("Words ", "bold"), ("(optional)\n", "dim")]
    per_line = 6
    for i, s in enumerate(bs.SENSATIONS):
        parts.append(((letters or {}).get(s.word, s.letter), "bold $accent"))
        parts.append(" ")
        if s.word in on:
            parts.append((f"[{s.word}]", "bold reverse"))
        else:
            parts.append(f" {s.word} ")
        parts.append("\n" if (i + 1) % per_line == 0 and i + 1 < len(bs.SENSATIONS) else "  ")
    return Content.assemble(*parts)


def note_line(state: ScanState, note_key: str = "e") -> Content:
    """The current item's note, or how to add one (``note_key``: the key shown for it)."""
    note = state.note()
    if note:
        return Content.assemble(("Note: ", "bold"), safe(note, multiline=False), (f"   {note_key} to change", "dim"))
    return Content.assemble((note_key, "bold"), " add a note (optional)")


def pace_line(state: ScanState, pacer: bs.Pacer, now: float, hold_key: str = "space", pace_key: str = "g") -> Content:
    """The line under the item: the countdown in guided mode, the rule in quick mode (with
    the keys shown for holding and for the pace)."""
    if state.mode != bs.GUIDED:
        return Content(f"Quick: a number rates and moves on.  {pace_key} for a guided pace.")
    left = pacer.countdown(now)
    if pacer.held:
        return Content.assemble(("|| held", "bold"), f"  at {left} s.  {hold_key} to go on.  {pace_key} for quick.")
    return Content.assemble((f"> next in {left} s", "bold"), f"   {hold_key} holds.  {pace_key} for quick.")


# --------------------------------------------------------------------------- the summary


def load_line(summary: bs.Summary, *, past: bool = False) -> Content:
    """Where the scan sat: "now" for the one just taken, "then" for one opened from history."""
    if not summary.record.ratings:
        return Content("Nothing was rated this time, so nothing was saved. n starts again.")
    where = "Where it sat then: " if past else "Where it sits now: "
    if not summary.load:
        return Content(f"{where}nothing stood out.")
    parts = [f"{item.short} ({word})" for item, value in summary.load for word in [_word(item, value)]]
    return Content.assemble((where, "bold"), ", ".join(parts))


def _word(item: bs.Item, value: int) -> str:
    level = item.scale.level(value)
    return level.word if level else str(value)


CHANGE_WORDS = {bs.Change.UP: "heavier", bs.Change.DOWN: "lighter", bs.Change.SAME: "about the same"}
"""Overall change in plain words: load is heavier or lighter, never a score."""


def change_line(summary: bs.Summary) -> Content:
    """What changed since the last scan, in words, compared like with like (only what was
    rated both times), and last night's sleep. Nothing about change when there is too little
    to compare; never a total or a maximum."""
    parts: list[Content | str | tuple[str, str]] = []
    overall = summary.total_change
    if summary.record.ratings and summary.previous is None:
        parts.append("Your first scan: next time this shows what changed.")
    elif overall is not None and summary.previous is not None:
        parts += [("Since last time: ", "bold"), f"{CHANGE_WORDS[overall]} overall."]
        eased = [bs.ITEM_BY_KEY[k].short for k, c in summary.changes.items() if c is bs.Change.DOWN and k in bs.LOAD_KEYS]
        heavier = [bs.ITEM_BY_KEY[k].short for k, c in summary.changes.items() if c is bs.Change.UP and k in bs.LOAD_KEYS]
        if eased:
            parts.append(f"  Eased: {', '.join(eased)}.")
        if heavier:
            parts.append(f"  Heavier: {', '.join(heavier)}.")
    if summary.record.ratings:
        sleep = bs.SLEEP_SCALE.level(summary.record.sleep)
        if sleep is not None:
            parts.append(f"{'  ' if parts else ''}Sleep: {sleep.word}.")
    return Content.assemble(*parts)


def total_line(summary: bs.Summary) -> Content:
    """Kept for callers from before: the change line (there is no total on show)."""
    return change_line(summary)


def steps_block(summary: bs.Summary, colleague_name: str | None, *, anyone: bool = False, width: int = 78) -> Content:
    """The next steps, numbered; ``colleague_name``: who a "reach out" step would go to
    (``anyone``: there are colleagues, none of them to suggest). A step too long for
    ``width`` has its words on the lines under its title, indented, never back at the edge."""
    lines: list[Content] = []
    indent = " " * 4  # under the title: past " 1 " and its space
    for n, suggestion in enumerate(summary.suggestions, start=1):
        if suggestion.kind == bs.REACH_OUT:
            detail = safe(bs.reach_out_line(colleague_name, anyone=anyone), multiline=False)
        elif suggestion.because:
            shorts = ", ".join(bs.ITEM_BY_KEY[k].short for k in suggestion.because)
            detail = Content(f"for {shorts}")
        else:
            detail = Content("nothing stood out; an easy rhythm")
        head = Content.assemble((f" {n} ", "bold reverse"), " ", (suggestion.title, "bold"))
        if head.cell_length + 2 + detail.cell_length <= width:
            lines.append(Content.assemble(head, "  ", detail))
            continue
        lines.append(head)
        lines += [Content(indent + part) for part in textwrap.wrap(detail.plain, max(20, width - len(indent)))]
    return Content("\n").join(lines)


TREND_ORDER: tuple[str, ...] = (bs.OVERALL, *bs.SIGNAL_KEYS, "sleep", *bs.BODY_KEYS)
"""Trend rows, the overall and the signals first: at 80x24 they sit above the fold."""


def support_line(line: str, key: str) -> Content:
    """The person's own support line (shown when every signal is high), or how to add one."""
    if line:
        return Content.assemble(("Your support line: ", "bold"), safe(line, multiline=False))
    return Content.styled(f"{key} adds a support line of your own, to find here on days like this.", "$text-muted")


def trend_table(summary: bs.Summary, long_days: int = 30) -> Content:
    """Per row: now, the change since last time, 14 days, and the longer window
    ``long_days`` (one of :data:`app.bodyscan.LONG_SPANS`); at most 78 cells wide."""
    heading = dict(bs.LONG_SPANS).get(long_days, f"{long_days} days")
    header = Content.styled(f"{'':10} {'now':3}  {'vs last':8}  {'14 days':14}  {heading}", "bold")
    lines = [header]
    for key in TREND_ORDER:
        trend = summary.trends[key]
        if key == bs.OVERALL:
            mean = bs.average(summary.record)
            now_cell = bs.meter(round(mean)) if mean is not None else " - "
            change = summary.total_change
            label = "overall"
        else:
            item = bs.ITEM_BY_KEY[key]
            value = summary.record.value(key)
            now_cell = bs.meter(value) if value is not None else " - "
            change = summary.changes.get(key)
            label = f"{item.short} (+)" if item.group == bs.SLEEP else item.short
        moved = f"{change.symbol} {change.word}" if change else ""
        row = f"{label:10} {now_cell:3}  {moved:8}  {trend.lines[14]:14}  {trend.lines[long_days]}"
        lines.append(Content.styled(row, "bold") if key == bs.OVERALL else Content(row))
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
        options.append(Option(Content.assemble(f"{stamp}   ", top)))
    more = total - len(rows)
    if more > 0:
        options.append(Option(Content.styled(f"Older scans: {more:,} more. Enter shows them all.", "$text-muted"), id="history-more"))
    return options


def off_the_scale(state: ScanState, arg: str | None) -> str | None:
    """What to say when a number is not on the current item's scale (0 on sleep), else None."""
    if state.finished or arg is None or not arg.isdigit() or state.item.scale.accepts(int(arg)):
        return None
    values = state.item.scale.values
    return f"{state.item.label} is rated {values[0]} to {values[-1]}."
