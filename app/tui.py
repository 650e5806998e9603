"""The Textual application: modes, global keys, help, palette, quick-hide, signals.

This is the only module in ``app/`` that imports Textual. Screens are imported lazily, inside
the mode factories, so starting Tend builds only the screen it opens.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.driver import Driver
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Button, Input, OptionList

from app.paths import display_path
from app.storage import Store, StoreError
from app.textclean import NOTE_LIMIT, strip_controls

MODE_NAMES: tuple[str, ...] = ("today", "scan", "breathe", "colleagues", "rituals")

MODE_TITLES: dict[str, str] = {
    "today": "Today",
    "scan": "Body scan",
    "breathe": "Breathing reset",
    "colleagues": "Trusted colleagues",
    "rituals": "Rituals",
}


def _mode_factory(mode: str) -> Callable[[], Screen]:
    def build() -> Screen:
        import importlib

        module = importlib.import_module(f"screens.{mode}")
        return getattr(module, f"{mode.capitalize()}Screen")()

    return build


@dataclass
class SaveAttempt:
    """Result of :meth:`TendApp.saving`: ``ok`` is False when the save failed."""

    ok: bool = True
    error: StoreError | None = field(default=None)


class TendCommands(Provider):
    """Command palette entries for every screen and app action."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app: TendApp = self.app  # type: ignore[assignment]
        commands: list[tuple[str, str, Callable[[], Any]]] = [
            (f"Go to {MODE_TITLES[mode]}", f"Open the {MODE_TITLES[mode].lower()} screen", partial(app.action_go, mode))
            for mode in MODE_NAMES
        ]
        commands += [
            ("Hide the screen", "Blank the screen at once; any key brings Tend back", app.action_hide),
            ("Show keys", "List the keys of the current screen", app.action_help),
            ("Quit Tend", "Close Tend; everything is already saved", app.action_quit),
        ]
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


class TendPalette(CommandPalette):
    """Textual's command palette, made safe for keys that arrive together (Textual 8.2.8):

    * it closes only while it is on top, and once closed it takes no more typing or choosing
      (escape and enter in one burst closed it, then closed the screen under it too, or started
      a search in a palette already gone: ``NoMatches``);
    * it pages through its list with public calls only (Textual's own pageup/pagedown fail
      with ``KeyError`` when the list has options it has not laid out yet).
    """

    _INPUT = (Input.Changed, Input.Submitted, OptionList.OptionSelected, Button.Pressed)

    BINDINGS = [
        Binding("pagedown", "page(1)", "Next page", id="palette.page_down", tooltip="A page further down the list", show=False),
        Binding("pageup", "page(-1)", "Previous page", id="palette.page_up", tooltip="A page further up the list", show=False),
    ]

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if not self.is_active:
            return AwaitComplete.nothing()
        return super().dismiss(result)

    def check_message_enabled(self, message: Message) -> bool:
        if isinstance(message, self._INPUT) and not self.is_active:
            return False
        return super().check_message_enabled(message)

    def action_page(self, direction: int) -> None:
        commands = self.query_one(CommandList)
        if not commands.option_count:
            return
        step = max(1, commands.scrollable_content_region.height) * direction
        start = commands.highlighted if commands.highlighted is not None else (-1 if direction > 0 else commands.option_count)
        commands.highlighted = min(max(start + step, 0), commands.option_count - 1)


def fit_paste(field: object, text: str) -> str:
    """What of a paste a one-line field with a length limit can take: its first line, cut to
    the room left (Textual's Input refuses the whole paste when it is too long)."""
    if not isinstance(field, Input) or not field.max_length:
        return text
    lines = text.splitlines()
    start, end = sorted(field.selection)
    room = field.max_length - len(field.value) + (end - start)
    return (lines[0] if lines else "")[: max(room, 0)]


PASTE_LIMIT = NOTE_LIMIT
"""The most a paste brings into a field with no length of its own (a note, a message): the
longest note. Textual's TextArea took ~112 s to take in a 1 MB paste."""


def paste_room(field: object) -> int:
    """How many characters a paste into ``field`` can add: the room left in a one-line field
    with a limit, or up to :data:`PASTE_LIMIT` in a text area (and anywhere else)."""
    if isinstance(field, Input):
        if not field.max_length:
            return PASTE_LIMIT
        start, end = sorted(field.selection)
        return max(field.max_length - len(field.value) + (end - start), 0)
    from textual.widgets import TextArea  # kept off Today's start (see test_import_hygiene)

    if isinstance(field, TextArea):
        return max(PASTE_LIMIT - len(field.text) + len(field.selected_text), 0)
    return PASTE_LIMIT


def trim_paste(field: object, text: str) -> str:
    """A paste cleaned of controls and cut to what ``field`` can take, the raw text cut first,
    so a 1 MB paste costs no more than a short one (cleaning a megabyte took seconds)."""
    room = paste_room(field)
    # Controls and escape sequences are taken out after the cut, so keep generous room for them.
    text = strip_controls(text[: room * 4 + 64])
    if isinstance(field, Input):
        return fit_paste(field, text)
    return text[:room]


class TendApp(App[None]):
    """Tend. Build it with a data folder; ``start_mode`` picks the first screen."""

    TITLE = "Tend"
    CSS_PATH = "tend.tcss"
    MODES: ClassVar[dict[str, str | Callable[[], Screen]]] = {
        mode: _mode_factory(mode) for mode in MODE_NAMES
    }
    COMMANDS = App.COMMANDS | {TendCommands}
    BINDINGS = [
        Binding("t", "go('today')", "Today", id="go.today", tooltip="Go to Today", show=False),
        Binding("s", "go('scan')", "Scan", id="go.scan", tooltip="Go to the body scan", show=False),
        Binding("b", "go('breathe')", "Breathe", id="go.breathe", tooltip="Go to the breathing reset", show=False),
        Binding("c", "go('colleagues')", "Colleagues", id="go.colleagues", tooltip="Go to trusted colleagues", show=False),
        Binding("r", "go('rituals')", "Rituals", id="go.rituals", tooltip="Go to rituals", show=False),
        Binding("question_mark,f1", "help", "Keys", id="app.help", tooltip="Show the keys of this screen"),
        Binding("ctrl+b", "hide", "Hide", id="app.hide", tooltip="Hide the screen at once", show=False),
        Binding("escape", "back", "Back", id="app.back", tooltip="Go back", show=False),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit Tend (everything is saved)"),
    ]

    def __init__(
        self,
        store: Store,
        *,
        start_mode: str = "today",
        start_options: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.start_mode = start_mode if start_mode in MODE_NAMES else "today"
        self.start_options: dict[str, Any] = dict(start_options or {})
        """Options from the command line for the first screen (e.g. a breathing pattern)."""
        self.data_changed: Signal[str] = Signal(self, "data-changed")
        """Published (with a table name or "") after this app saves, or when another Tend did."""
        self._seen_token: object = None
        self._exiting = False
        self._quitting = False

    # -- start -----------------------------------------------------------------------------

    def get_driver_class(self) -> type[Driver]:
        """Textual's Linux driver, made safe against input that is not UTF-8 and keeping
        drafts on any exit (``app.terminal``); any other driver as Textual picks it."""
        driver_class = super().get_driver_class()
        if driver_class.__name__ == "LinuxDriver":
            from app.terminal import TendDriver

            return TendDriver
        return driver_class

    @classmethod
    def open(cls, data_dir: Path, **kwargs: Any) -> TendApp:
        """Open the store in ``data_dir`` and build the app around it."""
        return cls(Store.open(data_dir), **kwargs)

    def on_mount(self) -> None:
        self._apply_saved_theme()
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._install_signal_handlers()
        self._seen_token = self.store.token()
        self.switch_mode(self.start_mode)
        self.call_after_refresh(self._greet)

    def _greet(self) -> None:
        """After the first frame: refresh the backup, then anything to say about the data."""
        from screens.dialogs import NoticeDialog

        try:
            self.store.write_backup()
        except StoreError as error:
            self.notify(
                f"The backup copy of your data could not be refreshed: {error}",
                title="Backup",
                severity="warning",
                markup=False,
                timeout=12,
            )

        for warning in self.store.warnings:
            self.notify(warning, title="Privacy", severity="warning", markup=False, timeout=8)
        for notice in self.store.notices:
            self.push_screen(NoticeDialog("About your data", notice))
        if self.store.read_only:
            self.sub_title = "read-only"
        settings = self.store.settings()
        if not settings.welcomed and not self.store.read_only and self.start_mode == "today":
            from screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen(display_path(self.store.paths.root)), self._welcomed)
        self._freeze_start_objects()

    @staticmethod
    def _freeze_start_objects() -> None:
        """Move what start-up built (modules, the data, Today) out of the collector's sight.

        These objects live as long as Tend does; left in the collector's oldest generation,
        every full collection walks all of them again (about 60 ms with three years of data,
        several times while the next screens are built). Garbage is collected first, so
        nothing unreachable is kept; memory is still freed by reference counting.
        """
        gc.collect()
        gc.freeze()

    def on_unmount(self) -> None:
        gc.unfreeze()  # all of it may be garbage now (tests run many apps in one process)

    def _welcomed(self, mode: str | None) -> None:
        with self.saving():
            self.store.update_settings(welcomed=True)
        if mode:
            self.action_go(mode)

    def _apply_saved_theme(self) -> None:
        saved = self.store.settings().theme
        if not saved:
            return
        if saved in self.available_themes:
            self.theme = saved
        else:
            self.notify(
                f"The theme you chose before ({saved}) is not available now, so Tend is using "
                "its usual one. Pick another with ctrl+p.",
                title="Theme",
                markup=False,
            )

    def _remember_theme(self, theme: Any) -> None:
        name = getattr(theme, "name", None)
        if name and name != self.store.settings().theme and not self.store.read_only:
            with self.saving():
                self.store.update_settings(theme=name)

    # -- saving ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def saving(self, what: str = "") -> Iterator[SaveAttempt]:
        """Run a change to the store; on failure tell the user plainly and carry on.

        Use as ``with self.app.saving() as attempt: ...`` and check ``attempt.ok``.
        """
        attempt = SaveAttempt()
        try:
            yield attempt
        except StoreError as error:
            attempt.ok, attempt.error = False, error
            self.notify(str(error), title="Not saved", severity="error", markup=False, timeout=12)
        else:
            self._seen_token = self.store.token()
            self.data_changed.publish(what)

    def check_external_changes(self) -> bool:
        """If another Tend changed the data file, tell the screens. Returns True if it did."""
        token = self.store.token()
        if token != self._seen_token:
            self._seen_token = token
            self.data_changed.publish("")
            return True
        return False

    # -- text from outside: pastes and notifications ---------------------------------------

    async def on_event(self, event: events.Event) -> None:
        # A paste arrives here before the focused field gets it: take out escape sequences and
        # control characters, which a field would otherwise draw straight to the terminal.
        if isinstance(event, events.Paste) and not event.is_forwarded:
            event.text = trim_paste(self.focused, event.text)
        if (self._quitting or self._exiting) and isinstance(event, (events.Key, events.Paste)):
            return  # keys typed after q (one burst: "qs") would open screens while Tend closes
        await super().on_event(event)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a notification; its text, which often holds a name, is cleaned of controls."""
        super().notify(
            strip_controls(str(message)),
            title=strip_controls(str(title)),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def on_app_focus(self) -> None:
        self.check_external_changes()

    def on_resize(self, event: events.Resize) -> None:
        """Below the smallest usable size, a calm note instead of a squashed layout."""
        from screens.toosmall import TooSmallScreen, too_small

        showing = isinstance(self.screen, TooSmallScreen)
        if too_small(event.size.width, event.size.height):
            if not showing:
                self.push_screen(TooSmallScreen())
        elif showing:
            self.pop_screen()

    # -- actions ---------------------------------------------------------------------------

    def action_go(self, mode: str) -> None:
        """Open a main screen (closing dialogs on top of the current one)."""
        if mode not in MODE_NAMES:
            return
        if self.current_mode == mode:
            while len(self.screen_stack) > 1:
                self.pop_screen()
            return
        self.switch_mode(mode)

    def action_back(self) -> None:
        """Escape: close what is on top, or return to Today."""
        if len(self.screen_stack) > 1:
            self.pop_screen()
        elif self.current_mode != "today":
            self.switch_mode("today")

    def action_help(self) -> None:
        from screens.help import HelpScreen

        if isinstance(self.screen, (HelpScreen, CommandPalette)):
            return  # over the palette, a screen key would close the palette mid-search
        about = getattr(self.screen, "HELP", "")
        self.push_screen(HelpScreen(self.screen, about))

    def action_command_palette(self) -> None:
        """One palette at a time, and without Textual's fixed id: a new one opened while the
        last is still being taken down (escape and ctrl+p in one burst) failed with
        ``DuplicateIds '--command-palette'`` (found by the key fuzz; nothing looks the id up)."""
        if self.use_command_palette and not any(isinstance(s, CommandPalette) for s in self.screen_stack):
            self.push_screen(TendPalette())

    def action_hide(self) -> None:
        from screens.hide import HideScreen

        if not isinstance(self.screen, HideScreen):
            self.push_screen(HideScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        from screens.hide import HideScreen

        from screens.toosmall import TooSmallScreen

        if isinstance(self.screen, (HideScreen, TooSmallScreen)) and action != "quit":
            return False
        return True

    async def action_quit(self) -> None:
        self._quitting = True
        self.save_drafts()
        self.exit()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title in {"Quit", "Keys"}:
                continue  # ours say more
            yield command

    # -- drafts and signals ----------------------------------------------------------------

    def save_drafts(self) -> None:
        """Ask every screen that is alive to save anything half-done."""
        for stack in self._screen_stacks.values():
            for screen in stack:
                saver = getattr(screen, "save_draft", None)
                if callable(saver):
                    try:
                        saver()
                    except StoreError:
                        pass

    def _install_signal_handlers(self) -> None:
        try:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(signum, partial(self._on_hangup, signum))
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread (tests) or not a POSIX loop

    def _on_hangup(self, signum: int) -> None:
        """SIGHUP (the SSH connection dropped) or SIGTERM: save drafts, leave within 3 s."""
        if self._exiting:
            return
        self._exiting = True
        self.save_drafts()
        # The terminal may be gone, so restoring it could block: never wait more than ~2 s.
        timer = threading.Timer(2.0, os._exit, args=(0,))
        timer.daemon = True
        timer.start()
        self.exit()
