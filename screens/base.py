"""What every main screen of Tend shares: the navigation line, the footer, safe text.

A main screen subclasses :class:`TendScreen`, composes its body in ``compose_body`` and
refreshes itself in ``refresh_data`` (called when it is first shown, whenever it is shown
again, and when data changes in this Tend or in another one of the same user).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual.app import App, ComposeResult, ScreenStackError
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.content import Content
from textual.dom import DOMNode
from textual.reactive import Reactive, var
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from app import modes
from app.glyphs import KEY_WORDS
from app.textclean import clean_text

if TYPE_CHECKING:
    from screens.shell import TendShell

def safe(text: object, *, multiline: bool = True) -> Content:
    """User text as a Content that is never parsed as markup, cleaned once more for display."""
    return Content(clean_text(text, multiline=multiline, limit=100_000))


def _bindings_of(node: DOMNode) -> list[Binding]:
    """The bindings ``node``'s classes declare, the subclass's first (as Textual merges them)."""
    found: list[Binding] = []
    for cls in type(node).__mro__:
        declared = cls.__dict__.get("BINDINGS")
        if declared:
            found.extend(Binding.make_bindings(declared))
    return found


def _in_app(action: str) -> str:
    return action if "." in action.split("(", 1)[0] else f"app.{action}"


def _find_binding(screen: DOMNode, action: str) -> tuple[Binding, App[Any] | None]:
    """The binding ``screen`` answers ``action`` with (its own, the app's, Textual's Screen's),
    and the app (None outside one). ValueError when none does."""
    candidates = [(binding.action, binding) for binding in _bindings_of(screen)]
    try:
        app: App[Any] | None = screen.app
    except RuntimeError:  # Textual's NoActiveAppError: built outside an app, keys as bound
        app = None
    if app is not None:  # the app's own actions, as a screen names them: "app.help"
        candidates.extend((_in_app(binding.action), binding) for binding in _bindings_of(app))
    candidates.extend((binding.action, binding) for binding in Binding.make_bindings(Screen.BINDINGS))
    found = next((binding for name, binding in candidates if name == action), None)
    if found is None and "." not in action:
        found = next((binding for name, binding in candidates if name.split(".", 1)[-1] == action), None)
    if found is None:
        raise ValueError(f"key_hints: {type(screen).__name__} has no binding for the action {action!r}")
    from screens.shell import TendShell

    moved = app.keymap_key(found.id) if isinstance(app, TendShell) and found.id else None
    if moved is not None:  # the config file's [keys] gave it another key: that is the one that works
        found = dataclasses.replace(found, key=moved, key_display=None)
    return found, app


def spoken_key(screen: Screen | DOMNode, action: str) -> str:
    """:func:`bound_key` for the middle of a sentence: "backspace", not "⌫"."""
    shown = bound_key(screen, action)
    return KEY_WORDS.get(shown, shown)


def bound_key(screen: Screen | DOMNode, action: str) -> str:
    """The key that does ``action`` on ``screen``, as the footer shows it (``"n"``, ``"^s"``):
    for a sentence that names a key ("n to say")."""
    binding, app = _find_binding(screen, action)
    return app.get_key_display(binding) if app is not None else binding.key_display or binding.key


def key_hints(
    screen: Screen | DOMNode,
    *actions: str,
    style: str = "bold",
    separator: str = "   ",
    use_tooltip: bool = False,
) -> Content:
    """A line of key hints ("^s Save   esc Cancel") built from the bindings of ``screen``.

    Each of ``actions`` names an action as its binding does (``"save"``, ``"app.help"``,
    ``"choose('rituals')"``; a name without a namespace also finds ``app.``/``screen.``
    ones, so ``"focus_next"`` finds Textual's tab). The hint shows that binding's first key
    the way the footer shows it (``app.get_key_display``) and its description (or, with
    ``use_tooltip``, its tooltip), so a hint can never disagree with the key that really
    works. Looks in the screen's own bindings, then the app's, then Textual's ``Screen``
    (tab, shift+tab). Can be called in ``compose``, before the screen is mounted. An action
    with no binding is a mistake: ValueError.
    """
    parts: list[Content | str | tuple[str, str]] = []
    for action in actions:
        binding, _ = _find_binding(screen, action)
        if parts:
            parts.append(separator)
        words = (binding.tooltip or binding.description) if use_tooltip else binding.description
        parts.extend([(bound_key(screen, action), style), " ", words])
    return Content.assemble(*parts)


class KeyHints(Static):
    """A dialog's line of key hints (:func:`key_hints`) that names only the keys that work
    now: drawn again whenever its screen's bindings are refreshed, as the footer is, without
    an action the screen's ``check_action`` says no to (False; None, greyed in the footer,
    still shows). An action of another namespace ("app.focus_next") always shows."""

    def __init__(self, *actions: str, classes: str | None = None, id: str | None = None) -> None:
        super().__init__("", classes=classes, id=id, markup=False)
        self.actions = actions

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._draw)
        self._draw(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _draw(self, screen: Screen[Any]) -> None:
        works = [a for a in self.actions if "." in a or "(" in a or screen.check_action(a, ()) is not False]
        self.update(key_hints(screen, *works))


if TYPE_CHECKING:
    _OnTopBase = Screen[Any]  # what DismissOnTop is mixed into
else:
    _OnTopBase = object


class DismissOnTop(_OnTopBase):
    """For a screen that closes itself: it does so only while it is the screen on top.

    Textual's ``dismiss`` pops whatever screen is on top. Keys that arrive together (enter and
    ``c`` in a list, a held key, any key twice on the quick-hide screen) are all queued to the
    screen before it handles the first, so it can be asked to close twice: the second time it
    would close the screen under it too (ending a breathing session), or fail with
    ``ScreenStackError`` on the last one. Put it first in the bases:
    ``class Picker(DismissOnTop, ModalScreen[int])``.
    """

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if not self.is_active:
            return AwaitComplete.nothing()
        return super().dismiss(result)


class NavBar(Static):
    """The top line: where you are, and the key to each main screen."""

    DEFAULT_CSS = """
    NavBar {
        dock: top;
        height: 1;
        width: 1fr;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    def __init__(self, current: str) -> None:
        super().__init__(self.build(current), markup=False)

    @staticmethod
    def build(current: str) -> Content:
        parts: list[Content | str | tuple[str, str]] = [("Tend", "bold"), "  "]
        for mode in modes.MODES:  # read now: the one list, as it is when drawn
            if mode.name == current:
                parts.append((f"[{mode.key}] {mode.label}", "reverse bold"))
            else:
                parts.append((mode.key, "bold $accent"))
                parts.append(f" {mode.label}")
            parts.append("  ")
        return Content.assemble(*parts)


def shown_bindings(screen: Screen) -> tuple[Any, ...] | None:
    """What a footer shows for ``screen`` (each key, its binding, whether it works), or None
    when that cannot be known just now (not mounted, not on show, between screens)."""
    try:
        if not (screen.is_mounted and screen.app.app_focus and screen.is_current):
            return None
        return tuple((key, active.binding, active.enabled, active.tooltip) for key, active in screen.active_bindings.items())
    except ScreenStackError:
        return None


class TendFooter(Footer):
    """Textual's footer, rebuilt only when what it shows changes, at most once per frame.

    Textual's footer rebuilds every key each time the screen's bindings are refreshed, one
    rebuild per refresh, and a list refreshes them on every highlight (to enable or dim its
    keys): filling a screen's lists rebuilt the footer three or four times over, ~10 ms each,
    to show the same keys. The keys are built from the screen's active bindings, so the same
    bindings need no rebuild.
    """

    _rebuild_due = False
    _changed_meanwhile = False
    _told = False
    """Whether the screen has told this footer its bindings yet (before that, Textual's footer
    shows no keys)."""
    _built_from: tuple[Any, ...] | None = None
    """The bindings the keys on show were built from (None: not known)."""

    def bindings_changed(self, screen: Screen) -> None:
        self._told = True
        if screen is self.screen:
            if self._rebuild_due:
                self._changed_meanwhile = True  # the rebuild asked for will most likely show it
                return
            if self._built_from is not None and shown_bindings(screen) == self._built_from:
                return
        super().bindings_changed(screen)
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            self._rebuild_due = True
            self.call_after_refresh(self._rebuilt)

    def compose(self) -> ComposeResult:
        self._built_from = shown_bindings(self.screen) if self._told else None
        for widget in super().compose():
            # Each key starts compact and is then bound to the footer's (not compact): two
            # restyles per key on every rebuild. Starting it as the footer is saves both. The
            # palette's key is not bound (it stays compact, as Textual draws it).
            compact = getattr(type(widget), "compact", None)
            if isinstance(compact, Reactive) and not widget.has_class("-command-palette"):
                widget.set_reactive(compact, self.compact)
            yield widget

    def _rebuilt(self) -> None:
        """Runs just after the rebuild the footer scheduled before it: if the bindings
        changed since the keys were built (or cannot be told), build them again."""
        self._rebuild_due = False
        if self._changed_meanwhile and self.is_attached:
            self._changed_meanwhile = False
            now = shown_bindings(self.screen)
            if now is None or now != self._built_from:
                self.bindings_changed(self.screen)


class TendScreen(Screen[None]):
    """Base of the five main screens (one per mode)."""

    MODE: ClassVar[str] = ""
    TITLE_TEXT: ClassVar[str] = ""
    HELP: ClassVar[str] = ""
    """A sentence or two for the help screen about what this screen is for."""

    @property
    def tend(self) -> TendShell:
        return cast("TendShell", self.app)

    def compose(self) -> ComposeResult:
        yield NavBar(self.MODE)
        yield from self.compose_body()
        yield TendFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    showing: var[bool] = var(False, init=False)
    """True while this screen is the one on show, from a ScreenResume to the next ScreenSuspend.

    Its watcher reads the data when it becomes True: once per showing, though Textual 8.2.8
    posts ScreenResume twice when a mode is first opened (``App._init_mode`` posts one and
    ``App.switch_mode`` another; the second sets True again, which changes nothing). Textual
    calls ``on_*`` handlers along the class hierarchy by itself, so a subclass's handler never
    calls ``super()``'s (that ran these twice).
    """

    def on_mount(self) -> None:
        self.tend.data_changed.subscribe(self, self._on_data_changed)
        self.tend.draft_keepers.add(self)

    def on_unmount(self) -> None:
        self.tend.draft_keepers.discard(self)

    def on_screen_resume(self) -> None:
        self.showing = True

    def on_screen_suspend(self) -> None:
        self.showing = False

    def watch_showing(self, showing: bool) -> None:
        if showing:
            self.tend.check_external_changes()
            self.refresh_data()
            self.tend.report_left_out()

    def _on_data_changed(self, _: Any) -> None:
        if self.is_current:
            self.refresh_data()
            self.tend.report_left_out()

    def refresh_data(self) -> None:
        """Re-read what this screen shows from the store. Override."""

    def save_draft(self) -> None:
        """Save anything half-done (called on quit, SIGHUP and SIGTERM). Override if needed."""


ModalResultT = TypeVar("ModalResultT")


class TendModal(DismissOnTop, ModalScreen[ModalResultT]):
    """Base of Tend's dialogs: ``?`` lists the dialog's own keys, and a footer under it shows
    them, not the keys of the screen beneath (which do nothing while the dialog is open).
    It closes itself only while it is on top (:class:`DismissOnTop`).

    A modal screen does not pass keys to the app's bindings, so ``?``, ``ctrl+b`` (hide
    at once) and ``ctrl+p`` are bound here again.
    """

    BINDINGS: ClassVar[list[Any]] = [
        Binding("question_mark,f1", "app.help", "Keys", id="dialog.help", tooltip="Show the keys of this dialog"),
        Binding("ctrl+b", "app.hide", "Hide", id="dialog.hide", tooltip="Hide the screen at once", show=False),
        Binding("ctrl+p", "app.command_palette", "palette", id="dialog.palette", tooltip="Search this dialog's actions", show=False),
    ]

    def on_mount(self) -> None:
        # Textual calls this for every class in the hierarchy; a subclass may call it too.
        if not self.query(TendFooter):
            self.mount(TendFooter())
