"""The breath's two drawing widgets: rows of text that repaint only the cells that changed.

Over SSH every frame costs bytes, so the exercise never ticks at a frame rate: it asks the
timeline (:func:`app.breathing.next_change`) when anything visible will next change, and
these widgets compare the new lines with the old and repaint only the cells that differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from app.breathing import figure_lines, figure_width


def _plain(text: str) -> bool:
    """True when every character takes exactly one cell (so an index is a column)."""
    return cell_len(text) == len(text)


class QuietLines(Widget):
    """Rows of plain text that repaint only the cells that changed.

    Each row is ``(text, component_class)``. Rows are centred. When a row changes, only the
    span from its first to its last changed cell is marked dirty, so a countdown going from
    3 to 2 sends one character, not the screen.
    """

    DEFAULT_CSS = """
    QuietLines { height: auto; }
    QuietLines > .quiet--figure { color: $primary; }
    QuietLines > .quiet--phase { color: $foreground; text-style: bold; }
    QuietLines > .quiet--info { color: $foreground; }
    QuietLines > .quiet--note { color: $text-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"quiet--figure", "quiet--phase", "quiet--info", "quiet--note"}

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._wanted: list[tuple[str, str]] = []
        self._rows: list[tuple[str, str]] = []

    def show(self, rows: Sequence[tuple[str, str]]) -> None:
        """Show these rows, repainting only what differs from what is on screen."""
        self._wanted = list(rows)
        self._apply()

    @property
    def rows(self) -> list[str]:
        """The text of each row as drawn (for tests)."""
        return [text for text, _ in self._rows]

    def _layout(self) -> list[tuple[str, str]]:
        width, height = self.size.width, self.size.height
        rows: list[tuple[str, str]] = []
        for text, style in self._wanted[:height]:
            cells = cell_len(text)
            if cells > width:
                text = text[:width]
                cells = cell_len(text)
            left = (width - cells) // 2
            rows.append((" " * left + text + " " * (width - cells - left), style))
        while len(rows) < height:
            rows.append((" " * width, ""))
        return rows

    def _apply(self) -> None:
        new = self._layout()
        old, self._rows = self._rows, new
        if len(old) != len(new) or any(len(a) != len(b) for (a, _), (b, _) in zip(old, new, strict=True)):
            self.refresh()
            return
        for y, ((before, old_style), (after, new_style)) in enumerate(zip(old, new, strict=True)):
            if before == after and old_style == new_style:
                continue
            if old_style != new_style or not (_plain(before) and _plain(after)):
                self.refresh(Region(0, y, self.size.width, 1))
                continue
            changed = [x for x, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
            self.refresh(Region(changed[0], y, changed[-1] - changed[0] + 1, 1))

    def on_resize(self) -> None:
        self._rows = self._layout()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        text, component = self._rows[y]
        style = self.get_component_rich_style(component) if component else self.rich_style
        return Strip([Segment(text, style)], cell_len(text)).adjust_cell_length(width, self.rich_style)


class BreathFigure(QuietLines):
    """The breath drawn as a disc: small when empty, full when full (see ``figure_lines``)."""

    DEFAULT_CSS = """
    BreathFigure { width: 31; height: 15; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._breath = 0.0

    def show_size(self, size: float) -> None:
        """Draw the figure at ``size`` (0..1); nothing is sent unless its step changed."""
        self._breath = size
        self._apply()

    def _layout(self) -> list[tuple[str, str]]:
        lines = figure_lines(self._breath, self.size.width, self.size.height)
        return [(line, "quiet--figure") for line in lines]

    def on_resize(self) -> None:
        # Exactly as wide as the full disc, so no empty columns are ever sent.
        wanted = figure_width(self.size.height)
        if self.size.width != wanted and self.size.height:
            self.styles.width = wanted
        super().on_resize()
