"""What a running app shows, cell by cell: its text, and what a click there would do.

Used by the hostile-input tests. ``screen_lines`` is the text of every row as the terminal
would get it (dialogs over their screen, notifications included); ``sweep_clicks`` clicks a
grid of cells with the widgets' own click behaviour switched off, so any change it sees can
only come from text acting as markup (``[@click=...]``). The cells clicked are those where
something is drawn, on every row.
"""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Iterator
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import App
from textual.widget import Widget

CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b\u200e\u200f"
    "\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
)
"""Any character that must never reach the terminal from user text (ESC included)."""

_CLICK_HANDLERS = ("_on_click", "on_click", "_on_mouse_down", "on_mouse_down", "_on_mouse_up", "on_mouse_up")


def screen_lines(app: App[Any]) -> list[str]:
    """The text of each row of the terminal, with dialogs drawn over the screen beneath.

    Textual 8.2 has no public way to read this but ``App.export_screenshot()`` (an SVG), which
    gives the same rows but takes some 15 times as long (0.15 s a read, and the hostile tours
    read hundreds of screens); so this one place reads the compositor, as that method does."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return ["".join(segment.text for strip in line for segment in strip) for line in update.strips]  # type: ignore[union-attr]


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
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    found = []
    for y, line in enumerate(update.strips):  # type: ignore[union-attr]
        for strip in line:
            for segment in strip:
                meta = segment.style.meta if segment.style else {}
                for key, action in meta.items():
                    if str(key).startswith("@") and not (key == "@mouse.down" and action in SCROLLBAR_ACTIONS):
                        found.append((y, f"{key}={action}"))
    return found


def _widget_classes() -> Iterator[type]:
    seen: set[type] = set()
    stack = [Widget]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
                yield sub


@contextlib.contextmanager
def designed_clicks_off() -> Iterator[None]:
    """Switch off what every widget class does with a click (select a row, press a button,
    focus a field), keeping only Textual's handling of ``@click`` in the text's style."""
    saved: list[tuple[type, str, Any]] = []

    async def ignore(self: Any, event: Any) -> None:
        return None

    for cls in _widget_classes():
        for name in _CLICK_HANDLERS:
            if name in cls.__dict__:
                saved.append((cls, name, cls.__dict__[name]))
                setattr(cls, name, ignore)
    try:
        yield
    finally:
        for cls, name, method in saved:
            setattr(cls, name, method)


async def sweep_clicks(pilot: Any, *, step: int = 2) -> int:
    """Click every ``step``-th drawn (non-blank) cell of every row; after each row, check that
    the app still runs the same mode on the same screen. Returns the number of clicks.

    Only the click itself is sent: ``@click`` acts on it, and :func:`click_actions` has
    already looked for any other mouse action in every cell."""
    app = pilot.app
    screen, mode = app.screen, app.current_mode
    clicks = 0
    with designed_clicks_off():
        for y, line in enumerate(screen_lines(app)):
            drawn = [x for x, char in enumerate(line) if not char.isspace()][::step]
            for x in drawn:
                common = dict(widget=screen, x=x, y=y, delta_x=0, delta_y=0, button=1,
                              shift=False, meta=False, ctrl=False, screen_x=x, screen_y=y)  # fmt: skip
                app.post_message(events.Click(**common, chain=1))  # as the terminal's click would arrive
                clicks += 1
            if drawn:
                await pilot.pause()
            assert app.is_running, f"a click on row {y} closed Tend"
            assert app.current_mode == mode, f"a click on row {y} switched to {app.current_mode}"
            assert app.screen is screen, f"a click on row {y} opened or closed {app.screen}"
    return clicks
