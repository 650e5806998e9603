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
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, Final, cast

from textual import events, on
from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.driver import Driver
from textual.keys import REPLACED_KEYS, Keys, key_to_character
from textual.message import Message
from textual.messages import Prune
from textual.notifications import SeverityLevel
from textual.markup import escape as escape_markup
from textual.screen import ModalScreen, Screen
from textual.signal import Signal
from textual.widgets import Button, Input, OptionList

from app.config import APP_SCOPE, Config, KeyPlace
from app.models import Settings
from app.modes import DEFAULT_MODE, MODE_BY_NAME, MODES, Mode, StartOptions
from app.modes import MODE_NAMES as MODE_NAMES  # where tests and tools have always found it
from app.paths import shown_path
from app.storage import LockBusy, Store, StoreError, lock_wait_limit
from app.textclean import NOTE_LIMIT, strip_controls, visible_message
from screens.shell import SaveAttempt as SaveAttempt  # where tests and screens have found it
from screens.shell import TendShell

QUIT_LOCK_WAIT = 2.0
"""Seconds ``q`` waits for another Tend's save so drafts can be kept, before leaving anyway."""
SIGNAL_LOCK_WAIT = 0.5
"""The same after SIGHUP/SIGTERM, which must leave within 3 s."""
SIGNAL_EXIT_AFTER = 2.5
"""After SIGHUP/SIGTERM, Tend ends here at the latest, whatever is still going on."""


def mode_screen(mode: Mode, options: StartOptions | None = None) -> Screen:
    """Build ``mode``'s screen, importing its module only now (``Mode.screen``,
    ``module:Class``). ``options`` (what the command line asked) go to the first screen only;
    a screen that takes none is built without."""
    import importlib

    module_name, _, class_name = mode.screen.partition(":")
    screen_class = getattr(importlib.import_module(module_name), class_name)
    screen: Screen = screen_class(options) if options is not None else screen_class()
    return screen


def _binding_classes() -> list[Any]:
    """The app, the palette and every class of the screen modules (screens, dialogs, the
    widgets in them, and the Textual widgets they import). Imports every screen module, so
    only asked for when a config file has [keys] (or for ``tend config --keys``)."""
    import importlib
    import inspect
    import pkgutil

    import screens

    classes: list[Any] = [TendApp, TendPalette]
    for info in pkgutil.walk_packages(screens.__path__, "screens."):
        module = importlib.import_module(info.name)
        classes += [member for _, member in inspect.getmembers(module, inspect.isclass)]
    return classes


def _bindings_of(cls: type) -> Iterator[Binding]:
    """The bindings with an id that work on ``cls``: its own and, as Textual merges them,
    those of the classes it inherits from (unless one says ``inherit_bindings = False``)."""
    for base in cls.__mro__:
        for binding in base.__dict__.get("BINDINGS", None) or ():
            if isinstance(binding, Binding) and binding.id:
                yield binding
        if base.__dict__.get("inherit_bindings", True) is False:
            break


def known_bindings() -> dict[str, Binding]:
    """Every binding id of Tend's app, screens and dialogs (and the Textual widgets they
    use), what a config file's [keys] can name, each with its binding (usual keys, tooltip)."""
    found: dict[str, Binding] = {}
    for cls in _binding_classes():
        for binding in _bindings_of(cls):
            found.setdefault(binding.id or "", binding)
    return found


def binding_places() -> dict[str, KeyPlace]:
    """Every binding id with its usual keys, what it does and where it works: everywhere for
    the app's own, else the classes that have it (for :meth:`app.config.Config.keymap`)."""
    scopes: dict[str, set[str]] = {}
    found: dict[str, Binding] = {}
    for cls in _binding_classes():
        scope = APP_SCOPE if issubclass(cls, App) else f"{cls.__module__}.{cls.__qualname__}"
        for binding in _bindings_of(cls):
            binding_id = binding.id or ""
            found.setdefault(binding_id, binding)
            scopes.setdefault(binding_id, set()).add(scope)
    return {
        binding_id: KeyPlace(binding.key, binding.description or binding.tooltip or binding_id, frozenset(scopes[binding_id]))
        for binding_id, binding in found.items()
    }


KEY_NAMES: Final = frozenset(key.value for key in Keys)


def spelled_key(key: str) -> str | None:
    """A key of a config file's [keys] (already shaped, :func:`app.config.key_shape`) as
    one press: the character it types where it types one ("question_mark" is "?", so both
    spellings are the same key), else the name; None when Textual has no key of that name."""
    *modifiers, name = key.split("+") if len(key) > 1 else [key]
    if len(name) == 1:
        return key
    character = key_to_character(name)
    if character is not None and character.isprintable():
        return key if modifiers else character
    known = name in KEY_NAMES or name in REPLACED_KEYS or key in KEY_NAMES
    return key if known else None


def keymap_listing() -> str:
    """``tend config --keys``: every binding id, its usual keys and what it does."""
    rows = [f"{'id':<28} {'keys':<16} what it does"]
    for binding_id, binding in sorted(known_bindings().items()):
        rows.append(f"{binding_id:<28} {binding.key:<16} {binding.tooltip or binding.description}")
    return "\n".join(rows)


def go_bindings(modes: Iterable[Mode]) -> list[Binding]:
    """The key to each main screen, from anywhere (``go.<name>``, its Mode's tooltip)."""
    return [
        Binding(mode.key, f"go('{mode.name}')", mode.label, id=f"go.{mode.name}", tooltip=mode.tooltip, show=False)
        for mode in modes
    ]


EXPORT_HOW = (
    "Tend writes an export from the command line, so you choose the file and see where it "
    "goes. In a shell, type:\n\n"
    "  tend export tend.json      everything\n"
    "  tend export rituals.ics    your rituals as a calendar\n"
    "  tend export people.vcf     colleagues as an address book\n"
    "  tend export sheets --format csv   a folder of CSV files\n\n"
    "The file is readable only by you. 'tend import FILE' brings an export back."
)


@dataclass(frozen=True)
class PaletteCommand:
    """One palette entry: its words, what it does, the key that does the same, and the call."""

    title: str
    help: str
    key: str
    run: Callable[[], Any]
    words: str = ""
    """More words it answers to (a binding's short label, say), besides its title."""

    def display(self) -> Content:
        if not self.key:
            return Content(self.title)
        return Content.assemble(self.title, "  ", (self.key, "bold $accent"))


def screen_commands(screen: Screen) -> list[PaletteCommand]:
    """A palette entry for every key the screen answers to now, in the words its help uses.

    Built from the screen's live bindings (Tend's own: they carry an id and a tooltip), so
    what the footer and ``?`` offer, the palette offers too; keys that do not apply just now
    are left out. The app's own keys are listed by :class:`TendCommands` itself.
    """
    app = screen.app
    found: dict[tuple[int, str], PaletteCommand] = {}
    for active in screen.active_bindings.values():
        binding, node = active.binding, active.node
        if node is app or not (binding.id and binding.tooltip) or not active.enabled:
            continue
        shown = app.get_key_display(binding)
        slot = (id(node), binding.action)
        if slot in found:
            earlier = found[slot]
            found[slot] = PaletteCommand(earlier.title, earlier.help, f"{earlier.key} / {shown}", earlier.run, earlier.words)
            continue
        run = partial(app.run_action, binding.action, node)
        found[slot] = PaletteCommand(binding.tooltip, "", shown, run, binding.description)
    return list(found.values())


class TendCommands(Provider):
    """Command palette entries: every screen, the app's actions, and every action of the
    screen the palette was opened on, each with its key beside it."""

    def _commands(self) -> list[PaletteCommand]:
        app = cast("TendApp", self.app)
        commands = [
            PaletteCommand(f"Go to {mode.title}", f"Open the {mode.title.lower()} screen", mode.key, partial(app.action_go, mode.name))
            for mode in MODES
        ]
        commands += screen_commands(self.screen)
        commands += [
            PaletteCommand("Show keys", "List the keys of the current screen", "?", app.action_help, "help"),
            PaletteCommand("Hide the screen", "Blank the screen at once; any key brings Tend back", "ctrl+b", app.action_hide),
            PaletteCommand(
                "Export your data", "How to write your data to a file you choose", "", app.action_export_how, "save backup file"
            ),
            PaletteCommand("Quit Tend", "Close Tend; everything is already saved", "q", app.action_quit, "exit"),
        ]
        return commands

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.display(), command.run, help=command.help or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = max(matcher.match(command.title), matcher.match(command.words) * 0.9 if command.words else 0)
            if score > 0:
                shown = matcher.highlight(command.title)
                if command.key:
                    shown = Content.assemble(shown, "  ", (command.key, "bold $accent"))
                yield Hit(score, shown, command.run, text=command.title, help=command.help or None)


CALM_KEYS = (
    "primary", "secondary", "accent", "warning", "footer-key-foreground", "border",
    "text-primary", "text-secondary", "text-accent", "text-warning",
)
"""Theme variables drawn as text or lines (headings, key hints, borders), and their
lighter and darker shades. Error colours keep their red: that is what red is for."""


def _alarm_red(colour: Any, system: str) -> bool:
    """Whether ``colour`` shows as a red on a terminal with this colour system."""
    from rich.color import ColorSystem

    reduced = colour.rich_color.downgrade(ColorSystem.STANDARD if system == "standard" else ColorSystem.EIGHT_BIT)
    if reduced.number is not None and system == "standard":
        return reduced.number in (1, 9)  # red, bright red
    triplet = reduced.get_truecolor()
    return triplet.red > 2 * max(triplet.green, triplet.blue, 20)


def calm_variables(variables: dict[str, str], *, dark: bool, system: str | None) -> dict[str, str]:
    """The theme's variables, with every heading, key-hint and border colour that a 16- or
    256-colour terminal would show as red replaced by a calm colour (cyan on dark, blue on
    light, yellow for warnings). Red reads as an alarm; Tend keeps it for errors.

    With true colour (or no colour) the theme is left exactly as it is.
    """
    from textual.color import Color, ColorParseError

    if system not in ("standard", "256"):
        return variables
    calm = dict(variables)
    for name, value in variables.items():
        if not name.startswith(CALM_KEYS) or "muted" in name or "background" in name:
            continue
        try:
            colour = Color.parse(value)
        except ColorParseError:
            continue
        if colour.a < 1 or not _alarm_red(colour, system):
            continue
        # Plain RGB that every terminal reduces to the calm colour meant (Textual turns
        # ANSI colour names into its own palette's RGB first).
        if "warning" in name:
            calm[name] = "#FFFF00" if dark else "#808000"  # bright yellow / yellow
        else:
            calm[name] = "#5FD7FF" if dark else "#0000AA"  # bright cyan / blue
    return calm


class TendPalette(CommandPalette):
    """Textual's command palette, made safe for keys that arrive together (Textual 8.2.8):

    * it closes only while it is on top, and once closed it takes no more typing or choosing
      (escape and enter in one burst closed it, then closed the screen under it too, or started
      a search in a palette already gone: ``NoMatches``);
    * taken down without being closed (Tend quitting with it open), it stops its search first;
    * it pages through its list with public calls only (Textual's own pageup/pagedown fail
      with ``KeyError`` when the list has options it has not laid out yet).
    """

    _INPUT = (Input.Changed, Input.Submitted, OptionList.OptionSelected, Button.Pressed)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pagedown", "page(1)", "Next page", id="palette.page_down", tooltip="A page further down the list", show=False),
        Binding("pageup", "page(-1)", "Previous page", id="palette.page_up", tooltip="A page further up the list", show=False),
    ]

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if not self.is_active:
            return AwaitComplete.nothing()
        # A search started by the last key typed must not run on a palette that is closing:
        # it looks for the list the closing takes away (NoMatches, found by the key fuzz).
        self.workers.cancel_node(self)
        return super().dismiss(result)

    def on_screen_suspend(self) -> None:
        self.workers.cancel_node(self)  # closed another way (a screen key, escape from the app)

    @on(Prune)
    def stop_searching(self) -> None:
        # Taken down without being closed (Tend quitting with the palette open): a search still
        # running went on to draw into a list already removed (NoMatches, found by the key fuzz
        # under load). Stopped as the removal begins, before any of its parts go.
        self.workers.cancel_node(self)

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


class KeptStylesheet(Stylesheet):
    """Textual's stylesheet, parsing again only what is new when the variables are the same.

    On the first visit to a screen Textual parses every stylesheet of the app from scratch
    three times (loading the screen's CSS, then refreshing for the new mode twice), and
    ``set_variables`` drops what was parsed even when it is given the same variables: about
    0.3 s before the screen shows, every first visit. Here ``set_variables`` keeps the parsed
    rules when nothing changed, and ``reparse`` is ``parse``, which reuses the rules of every
    source parsed before and parses only the new ones. New variables (a theme change) go
    through Textual's own ``set_variables``, which drops every parsed rule, so the next
    ``parse`` reads everything again with them, as Textual's ``reparse`` would.
    """

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._kept_variables = dict(variables or {})
        self._styled: weakref.WeakKeyDictionary[DOMNode, tuple[object, ...]] = weakref.WeakKeyDictionary()
        """Per node given to :meth:`update`, what it was last styled with."""

    def set_variables(self, variables: dict[str, str]) -> None:
        if variables == self._kept_variables:
            return
        self._kept_variables = dict(variables)
        super().set_variables(variables)

    def reparse(self) -> None:
        self.parse()

    def update(self, root: DOMNode, animate: bool = False) -> None:
        """Style ``root`` and everything in it again, unless nothing it depends on changed
        since it was last done here: the same sources and variables (so the same rules),
        and ``root``'s own classes and pseudo-classes. (A change of class anywhere below
        restyles that part at once, through ``App.update_styles``, and a widget mounted since
        was styled as it mounted.) Textual does this for the whole app two more times
        after loading a new screen's CSS, with nothing changed in between."""
        state = (tuple(self.source.items()), tuple(self._kept_variables.items()), root.classes, root.pseudo_classes)
        if self._styled.get(root) == state:
            return
        super().update(root, animate=animate)
        self._styled[root] = state


class TendApp(TendShell):
    """Tend. Build it with a data folder; ``start_mode`` picks the first screen and
    ``start_options`` (what the command line asked of it) are given to that screen.

    Its modes are :data:`app.modes.MODES`, each added when the app is built (Textual's
    ``add_mode``) with a factory that imports the screen's module only when first opened.
    """

    TITLE = "Tend"
    CSS_PATH = "tend.tcss"
    COMMANDS = App.COMMANDS | {TendCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        *go_bindings(MODES),
        Binding("question_mark,f1", "help", "Keys", id="app.help", tooltip="Show the keys of this screen"),
        Binding("ctrl+b", "hide", "Hide", id="app.hide", tooltip="Hide the screen at once", show=False),
        Binding("escape", "back", "Back", id="app.back", tooltip="Go back", show=False),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit Tend (everything is saved)"),
    ]

    def __init__(
        self,
        store: Store,
        *,
        start_mode: str = DEFAULT_MODE,
        start_options: StartOptions | Mapping[str, Any] | None = None,
        config: Config | None = None,
        owns_process: bool = False,
    ) -> None:
        # The first screen is Textual's default mode, composed with the app: no blank screen
        # first and no switch to it (a switch re-parses every stylesheet three times).
        start_mode = start_mode if start_mode in MODE_BY_NAME else DEFAULT_MODE
        self.DEFAULT_MODE = start_mode  # type: ignore[misc]  # per app: Textual reads it once, in App.__init__
        super().__init__()
        self.stylesheet = KeptStylesheet(variables=self.get_css_variables())
        self.store = store
        self.config = config or Config(path=Path())
        """The config file's choices (app.config); they win over the settings saved with the data."""
        self.keys_moved: dict[str, str] = {}
        """The config file's [keys] as applied (those that could be: see ``keymap_problems``)."""
        self.keymap_problems: list[str] = []
        if self.config.keys:
            self.keys_moved, self.keymap_problems = self.config.keymap(binding_places(), spelled_key)
            self.set_keymap(self.keys_moved)
        self.start_mode = start_mode
        self.owns_process = owns_process
        """Tend is the one app of this process (``tend`` on the command line, not a test): the
        garbage of start-up is collected before what it built is frozen (see
        :meth:`_freeze_start_objects`)."""
        if start_options is not None and not isinstance(start_options, StartOptions):
            start_options = StartOptions(**start_options)
        asked = start_options if start_options != StartOptions() else None
        for mode in MODES:
            self.add_mode(mode.name, partial(mode_screen, mode, asked if mode.name == self.start_mode else None))
        self.data_changed: Signal[str] = Signal(self, "data-changed")
        """Published (with a table name or "") after this app saves, or when another Tend did."""
        self._seen_token: object = store.token()
        """The data as this app last saw it: a different token is another Tend's save. Taken
        here, before the first screen shows (it is composed with the app and would otherwise
        take the data as changed and read it twice)."""
        self._exiting = False
        self._lock_wait: LockBusy | None = None
        """Set when a save found another Tend saving; the waiting line is on its way."""
        self._lock_retries: list[Callable[[], object]] = []
        """What to do again once the other Tend has finished (see :meth:`retry_when_free`)."""
        self._last_save_busy = False
        self._named_left_out: set[str] = set()
        self._quitting = False
        self.draft_keepers: set[Any] = set()
        """Screens on show or in a stack that keep drafts (main screens, forms): each adds
        itself when mounted and leaves when unmounted, so a closed form is never asked again."""

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
        self.call_after_refresh(self._greet)

    def _greet(self) -> None:
        """After the first frame: refresh the backup, then anything to say about the data."""
        from screens.dialogs import NoticeDialog

        try:
            with self.store.lock_waits_at_most(0):  # never wait on the event loop
                self.store.write_backup()
        except LockBusy:
            pass  # another Tend is saving: the next start refreshes the backup
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
        problems = self.config.problems + self.keymap_problems
        if len(problems) == 1:
            self.notify(visible_message(problems[0]), title="Config file", severity="warning", markup=False, timeout=12)
        elif problems:  # one note, not a screen of them: the lines are a command away
            self.notify(
                f"{len(problems)} lines of {shown_path(self.config.path)} were left out; each keeps its usual "
                "setting. In a shell, 'tend config' says which and why.",
                title="Config file", severity="warning", markup=False, timeout=12,
            )
        for remark in self.store.backup_remarks:
            self.notify(remark, title="Backup", severity="warning", markup=False, timeout=12)
        for notice in self.store.notices:
            self.push_screen(NoticeDialog("About your data", visible_message(notice)))  # it may quote a path
        if self.store.read_only:
            self.sub_title = "read-only"
        settings = self.store.settings()
        welcome = not settings.welcomed and not self.store.read_only and not self.store.recovered
        if welcome and self.start_mode == "today":
            from screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen(shown_path(self.store.paths.root)), self._welcomed)
        self._freeze_start_objects()

    def _freeze_start_objects(self) -> None:
        """Move what start-up built (modules, the data, Today) out of the collector's sight.

        These objects live as long as Tend does; left in the collector's oldest generation,
        every full collection walks all of them again (about 60 ms with three years of data,
        several times while the next screens are built). Memory is still freed by reference
        counting. When Tend owns the process, garbage is collected first, so nothing
        unreachable is kept; where many apps share one (the tests), that collection would
        walk everything the process ever made (0.2 s a start, late in a test worker), and
        what is frozen is let go when the app ends.
        """
        if self.owns_process:
            gc.collect()
        gc.freeze()

    def on_unmount(self) -> None:
        gc.unfreeze()  # all of it may be garbage now (tests run many apps in one process)

    def _welcomed(self, mode: str | None) -> None:
        with self.saving():
            self.store.update_settings(welcomed=True)
        if mode:
            self.action_go(mode)
        if mode == "colleagues":  # the welcome's "c Add a colleague": the form, not an empty list
            from screens.colleagues import ColleaguesScreen

            colleagues = self.screen_stack[0]
            if isinstance(colleagues, ColleaguesScreen):
                colleagues.action_add()

    def preferences(self) -> Settings:
        """The settings as they apply now: those saved with the data, with the config file's on top."""
        return self.config.over(self.store.settings())

    def _apply_saved_theme(self) -> None:
        wanted = self.config.theme
        if wanted and wanted in self.available_themes:
            self.theme = wanted
            return
        if wanted:
            self.notify(
                f"{self.config.where('theme')}: there is no theme called {wanted!r}, so Tend is using "
                "the one you chose before (ctrl+p lists them).",
                title="Config file",
                severity="warning",
                markup=False,
                timeout=12,
            )
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

        The event loop never waits for another Tend here: if another Tend is saving (an
        import, say), the change raises :class:`LockBusy` at once, changing nothing, and a
        waiting line appears instead (see :meth:`retry_when_free`).
        """
        attempt = SaveAttempt()
        self._last_save_busy = False
        try:
            with self.store.lock_waits_at_most(0):
                yield attempt
        except LockBusy as error:
            attempt.ok, attempt.error = False, error
            self._last_save_busy = True
            self._wait_for_other_tend(error)
        except StoreError as error:
            attempt.ok, attempt.error = False, error
            self.notify(str(error), title="Not saved", severity="error", markup=False, timeout=12)
        else:
            self._seen_token = self.store.token()
            self.data_changed.publish(what)

    def _wait_for_other_tend(self, error: LockBusy) -> None:
        if self._lock_wait is not None or self._exiting:
            return  # already waiting
        self._lock_wait = error
        # After the caller has had its say (a form asks to be saved again): then the line.
        self.call_later(self._show_lock_wait)

    def retry_when_free(self, again: Callable[[], object]) -> None:
        """Right after a save that failed: if it failed because another Tend was saving, call
        ``again`` once that Tend has finished (a form submits itself again). Otherwise nothing."""
        if self._last_save_busy and self._lock_wait is not None and not self._exiting:
            self._lock_retries.append(again)

    def _show_lock_wait(self) -> None:
        from screens.lockwait import LockWaitScreen

        screen = LockWaitScreen(lock_wait_limit())
        self.push_screen(screen, partial(self._lock_wait_over, screen))

    def _lock_wait_over(self, screen: Any, free: bool | None) -> None:
        retries, self._lock_retries, self._lock_wait = self._lock_retries, [], None
        if free:
            for again in retries:
                again()
            if not retries:
                self.notify("The other Tend has finished saving. Please try that again.", markup=False)
        elif screen.stopped:
            self.notify("Stopped waiting for the other Tend, so that was not saved.", title="Not saved", markup=False)
        else:
            self.notify(str(LockBusy(screen.seconds)), title="Not saved", severity="error", markup=False, timeout=12)

    def report_left_out(self) -> None:
        """Name, once each, the entries the store left out because they do not fit (a date
        in year 1 typed into the file by hand, say): never fatal, never silent."""
        new = [(label, why) for label, why in self.store.left_out.items() if label not in self._named_left_out]
        if not new:
            return
        self._named_left_out.update(label for label, _ in new)
        shown = "; ".join(f"{label} ({why})" for label, why in new[:3])
        more = f" and {len(new) - 3} more" if len(new) > 3 else ""
        self.notify(
            f"Tend left out {len(new)} {'entry' if len(new) == 1 else 'entries'} it could not read: "
            f"{shown}{more}. {'It stays' if len(new) == 1 else 'They stay'} in the file, unchanged; "
            "'tend doctor' lists every one.",
            title="Left out",
            severity="warning",
            markup=False,
            timeout=12,
        )

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
        """Show a notification; its text, which often holds a name, is cleaned of controls.
        Over a dialog it is one line on the footer's row (``tend.tcss``), title and all."""
        message, title = strip_controls(str(message)), strip_controls(str(title))
        if self.screen_stack and isinstance(self.screen, ModalScreen):
            lead = f"{escape_markup(title) if markup else title}: " if title else ""
            message = lead + " ".join(message.splitlines())
            title = ""
        super().notify(
            message,
            title=title,
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
        if mode not in MODE_BY_NAME:
            return
        if self.current_mode == mode:
            while len(self.screen_stack) > 1:
                self.pop_screen()
            return
        self.switch_mode(mode)

    def open_breathing(self, pattern: str, minutes: float | None = None) -> None:
        """Open the breathing reset and start ``pattern`` there (about ``minutes`` long, or
        the length chosen last): Today's quick breathe, the scan's suggestion. A session
        running there ends (and is logged as it stands) first."""
        from screens.breathe import BreatheScreen

        self.action_go("breathe")
        breathe = self.screen_stack[0]  # the mode's own screen, under anything open on it
        if isinstance(breathe, BreatheScreen):
            breathe.start(pattern, minutes)

    def action_back(self) -> None:  # type: ignore[override]  # Textual's is async; screens call this one directly
        """Escape: close what is on top, or return to Today."""
        if len(self.screen_stack) > 1:
            self.pop_screen()
        elif self.current_mode != DEFAULT_MODE:
            self.switch_mode(DEFAULT_MODE)

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

        return not (isinstance(self.screen, (HideScreen, TooSmallScreen)) and action != "quit")

    async def action_quit(self) -> None:
        self._quitting = True
        with self.store.lock_waits_at_most(QUIT_LOCK_WAIT):  # another Tend saving holds quit back briefly only
            self.save_drafts()
        self.exit()

    headless_colours: str | None = None
    """The colour system a headless run (tests, snapshots) calms its theme for: None, so
    snapshots look the same whatever the developer's TERM; a test may set "standard"."""

    def keymap_key(self, binding_id: str) -> str | None:
        keys = self.keys_moved.get(binding_id)
        return (keys.split(",")[0].strip() or None) if keys else None

    def get_key_display(self, binding: Binding) -> str:
        """Textual's key names, with words for its symbols where the terminal cannot show
        Unicode (see :mod:`app.glyphs`): "enter", not a lone "e" for "⏎" (and "backspace" for "⌫")."""
        from app.glyphs import KEY_WORDS, use_unicode

        shown = super().get_key_display(binding)
        if not use_unicode():
            for symbol in ("⏎", "⌫"):
                shown = shown.replace(symbol, KEY_WORDS[symbol])
        return shown

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables, calmed for 16- and 256-colour terminals (TERM=linux turned
        every heading and key hint bright red): see :func:`calm_variables`."""
        system = self.headless_colours if self.is_headless else self.console.color_system
        variables = calm_variables(super().get_css_variables(), dark=self.current_theme.dark, system=system)
        self.theme_variables = variables
        return variables

    def action_export_how(self) -> None:
        from screens.dialogs import NoticeDialog

        self.push_screen(NoticeDialog("Export your data", EXPORT_HOW))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Of Textual's own commands, only the theme: Tend's commands say the rest in its own
        words, and the others (maximize, a screenshot written world-readable to ~/Downloads)
        are not Tend's to offer."""
        for command in super().get_system_commands(screen):
            if command.title == "Theme":
                yield SystemCommand("Theme", "Change Tend's colours", command.callback)

    # -- drafts and signals ----------------------------------------------------------------

    def save_drafts(self) -> None:
        """Ask every screen that is alive to save anything half-done."""
        for screen in list(self.draft_keepers):
            with contextlib.suppress(StoreError):
                screen.save_draft()

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
        # The terminal may be gone, so restoring it could block; another Tend may be saving:
        # whatever happens, leave within 3 s.
        timer = threading.Timer(SIGNAL_EXIT_AFTER, os._exit, args=(0,))
        timer.daemon = True
        timer.start()
        with self.store.lock_waits_at_most(SIGNAL_LOCK_WAIT):  # drafts: best effort, briefly
            self.save_drafts()
        self.exit()
