"""What a running app shows, cell by cell: its text, and what a click there would do.

Used by the hostile-input tests. ``screen_lines`` is the text of every row as the terminal
would get it (dialogs over their screen, notifications included); ``click_actions`` finds
every cell whose style would run an action when clicked, the one way text acting as markup
(``[@click=...]``) could do something.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.app import App
from textual.errors import NoWidget
from textual.screen import Screen
from textual.widget import Widget

CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b\u200e\u200f"
    "\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
)
"""Any character that must never reach the terminal from user text (ESC included)."""

def visible_screens(app: App[Any]) -> list[Screen[Any]]:
    """The screens the terminal shows, bottom first: the current one, and beneath a modal
    dialog the screens it lies over, down to the first full screen."""
    shown: list[Screen[Any]] = []
    for screen in reversed(app.screen_stack):
        shown.append(screen)
        if not screen.is_modal:
            break
    return shown[::-1]


def screen_cells(app: App[Any]) -> tuple[list[list[str]], list[list[Style | None]]]:
    """Every cell of the terminal, row by row: its character ("" after a wide one) and its style.

    Textual 8 has no public call that returns the composed screen but ``App.export_screenshot()``
    (an SVG, some 15 times slower: the hostile tours read hundreds of screens), so this paints
    it from public parts: each visible widget's ``render_lines()`` at the place and in the
    painting order ``Screen.find_widget()`` gives, clipped to its container, the screens under
    a dialog first. Scrollbars are not widgets in the DOM and are left out."""
    width, height = app.size
    chars: list[list[str]] = [[" "] * width for _ in range(height)]
    styles: list[list[Style | None]] = [[None] * width for _ in range(height)]
    for screen in visible_screens(app):
        placed = []
        for widget in [screen, *screen.walk_children(Widget)]:
            try:
                geometry = screen.find_widget(widget)
            except NoWidget:
                continue  # hidden, or not on screen
            placed.append((geometry.order, widget, geometry))
        placed.sort(key=lambda item: item[0])
        for _, widget, geometry in placed:
            region, visible = geometry.region, geometry.visible_region
            if not visible:
                continue
            for row, strip in enumerate(widget.render_lines(visible.translate(-region.offset)), start=visible.y):
                if 0 <= row < height:
                    _paint(chars[row], styles[row], visible.x, strip)
    return chars, styles


def _paint(chars: list[str], styles: list[Style | None], x: int, segments: Iterable[Segment]) -> None:
    """Paint one line of segments into a row of cells from column ``x``."""
    width = len(chars)
    for text, style, control in segments:
        if control or not text:
            continue
        if text.isascii():  # one cell a character: paint at once
            start, stop = max(x, 0), min(x + len(text), width)
            if start < stop:
                chars[start:stop] = text[start - x : stop - x]
                styles[start:stop] = [style] * (stop - start)
            x += len(text)
            continue
        for char in text:
            wide = cell_len(char)
            if not wide:  # a joiner or a combining mark: it belongs with the character before
                if 0 < x <= width:
                    chars[x - 1] += char
                continue
            for cell in range(x, x + wide):
                if 0 <= cell < width:
                    chars[cell], styles[cell] = (char if cell == x else ""), style
            x += wide


def screen_lines(app: App[Any]) -> list[str]:
    """The text of each row of the terminal, with dialogs drawn over the screen beneath."""
    return ["".join(row) for row in screen_cells(app)[0]]


_SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([0-9.]+)" y="[0-9.]+" textLength="([0-9.]+)" '
    r'clip-path="url\(#[\w-]+-line-(\d+)\)">(.*?)</text>',
    re.DOTALL,
)
"""One run of text in Rich's SVG: where it starts, how wide it is drawn, its row, the text.
Runs of spaces are left out; their place is kept."""


def screenshot_lines(app: App[Any]) -> list[str]:
    """The same rows as :func:`screen_lines`, read from the app's public screenshot
    (``App.export_screenshot``, what ``save_screenshot`` writes): slower, so for tests that
    read a screen now and then, not for sweeps."""
    width, height = app.size
    rows: list[list[tuple[int, str]]] = [[] for _ in range(height)]
    for x, length, row, escaped in _SVG_TEXT.findall(app.export_screenshot()):
        # Rich writes a space as &#160; (a no-break space in the text stays as it is).
        text = html.unescape(escaped.replace("&#160;", " ")).replace("\n", "")
        if text and int(row) < height:
            rows[int(row)].append((round(float(x) * len(text) / float(length)), text))  # x = column * cell width
    lines = []
    for runs in rows:
        line, at = "", 0
        for column, text in runs:
            if column < width:
                line += " " * (column - at) + text
                at = column + cell_len(text)
        lines.append(line + " " * (width - at))
    return lines


def screen_text(app: App[Any]) -> str:
    return "\n".join(screen_lines(app))


def squash(text: str) -> str:
    """Runs of spaces as one, so a name split across padded cells still matches."""
    return re.sub(r"\s+", " ", text)


def assert_no_controls(app: App[Any], where: str) -> None:
    for number, line in enumerate(screen_lines(app)):
        found = CONTROL.search(line)
        assert found is None, f"{where}: row {number} holds {found.group()!r}: {line!r}"


SCROLLBAR_ACTIONS = frozenset({"grab", "scroll_up", "scroll_down", "scroll_left", "scroll_right"})


def click_actions(app: App[Any]) -> list[tuple[int, str]]:
    """Every (row, action) where a cell's style carries a mouse action (``@click`` and the
    like), scrollbars' own grab and scroll aside. Reads every cell of the terminal."""
    found: list[tuple[int, str]] = []
    for y, row in enumerate(screen_cells(app)[1]):
        for style in dict.fromkeys(row):  # each style once a row
            for key, action in (style.meta if style else {}).items():
                acts = str(key).startswith("@") and not (key == "@mouse.down" and action in SCROLLBAR_ACTIONS)
                if acts and (y, f"{key}={action}") not in found:
                    found.append((y, f"{key}={action}"))
    return found
