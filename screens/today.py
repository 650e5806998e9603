"""Today: what matters in the minutes before the next session.

Sections, each one key away: the break planner (``n``), rituals due (``d``), colleagues due
(``p``), the last body scan (``l``). Arrow keys and tab move between items; enter acts.

Cost when idle: one timer, set for the moment the countdown's text next changes (a minute
at a time, a second at a time in the last five minutes) or, with no session set, for the next
minute, when it also checks whether another Tend changed the data. Nothing else wakes it.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pendulum
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import var
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from app import breaks, today
from app.models import Colleague, Ritual
from app.modes import StartOptions
from app.people import latest_contacts
from app.rituals import AlreadyMarked, Marked, RitualView, due_now, load_views, mark_ritual, when_words
from screens.base import TendScreen, bound_key, safe
from screens.dialogs import TextPrompt
from screens.remember import DatesToRemember


class Section(OptionList):
    """One list of Today's items; empty lists hide and their note shows instead."""

    DEFAULT_CSS = """
    Section { height: auto; max-height: 6; border: none; padding: 0; background: $background; }
    Section:focus { background: $boost; border: none; }
    """


class TodayScreen(TendScreen):
    MODE = "today"
    CSS_PATH = "today.tcss"
    DEFAULT_CLASSES = "css-today"
    HELP = (
        "What matters before your next session: rituals due, colleagues to check in with, "
        "and your last body scan. Tell Tend when your next session starts (n) and it offers "
        "only what fits."
    )
    BINDINGS: ClassVar = [
        Binding("n", "next_session", "Next session", id="today.next", tooltip="Say when your next session starts"),
        Binding("x", "clear_session", "Clear time", id="today.clear", tooltip="Forget the next session's time", show=False),
        Binding("d", "focus_section('rituals')", "Rituals due", id="today.rituals", tooltip="Go to the rituals due", show=False),
        Binding("p", "focus_section('people')", "People", id="today.people", tooltip="Go to the colleagues due", show=False),
        Binding("l", "focus_section('scan')", "Last scan", id="today.scan", tooltip="Go to your last body scan", show=False),
        Binding("1", "offer('breathe:1')", "1 min breathe", id="today.breathe1", tooltip="A one-minute breathing reset", show=False),
        Binding("3", "offer('breathe:3')", "3 min", id="today.breathe3", tooltip="A three-minute breathing reset", show=False),
        Binding("5", "offer('breathe:5')", "5 min", id="today.breathe5", tooltip="A five-minute breathing reset", show=False),
        Binding("m", "offer('message')", "Message", id="today.message", tooltip="A check-in message for the colleague most due"),
        Binding("space", "done", "Done", id="today.done", tooltip="Mark the selected ritual done today", show=False),
        Binding("u", "undo", "Undo", id="today.undo", tooltip="Undo the ritual just marked done"),
    ]

    until: var[pendulum.DateTime | None] = var(None, always_update=True, bindings=True, init=False)
    """When the next session starts (None: not said); x works only while there is one."""
    marked: var[Marked | None] = var(None, bindings=True, init=False)
    """The ritual just marked done, which u undoes (None: nothing to undo)."""

    def __init__(self, options: StartOptions | None = None) -> None:
        super().__init__()
        self.options = options or StartOptions()
        """What the command line asked (``tend --until 14:50``)."""
        self._timer: Timer | None = None
        self.next_wake: float | None = None
        """Seconds the screen waits, from its last redraw, before it wakes to redraw again."""
        self._told_time_up = False
        self._colleagues: list[today.ColleagueDue] = []
        self._rituals: list[RitualView] = []
        self._shown: dict[str, object] = {}

    # -- layout ----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="today-body"):
            yield Static("", id="greeting")
            with Horizontal(id="break-line"):
                yield Static("", id="countdown")
            yield Static("", id="offers")
            yield Static(self._section_title("Rituals due", "rituals"), classes="section-title")
            yield Section(id="today-rituals")
            yield Static("", id="today-rituals-empty", classes="empty")
            yield Static(self._section_title("Colleagues to check in with", "people"), classes="section-title")
            yield Section(id="today-people")
            yield Static("", id="today-people-empty", classes="empty")
            yield DatesToRemember(id="today-dates")
            yield Static(self._section_title("Last body scan", "scan"), classes="section-title")
            yield Section(id="today-scan")
            yield Static("", id="today-scan-empty", classes="empty")

    def _section_title(self, title: str, section: str) -> Content:
        """A section's heading and the key that goes to it."""
        return Content.assemble((title, "bold"), ("  " + bound_key(self, f"focus_section('{section}')"), "dim"))

    def on_mount(self) -> None:
        if self.options.until:
            try:
                self.until = breaks.parse_until(self.options.until)
            except breaks.UntilError as error:
                self.notify(str(error), title="Next session", severity="warning", markup=False)
        # refresh_data() runs once the screen is shown (TendScreen.showing).

    # -- data ------------------------------------------------------------------------------

    def refresh_data(self) -> None:
        store = self.tend.store
        now = pendulum.now()
        self._show("greeting", Content(today.greeting(now)))
        colleagues, rituals = store.all(Colleague), store.all(Ritual)  # each kind read once
        self._colleagues = today.colleagues_due(colleagues, latest_contacts(store), now)
        self._fill(
            "people",
            [
                Option(
                    Content.assemble((f"{d.status:<10}", "bold"), safe(d.colleague.name, multiline=False), ("  " + d.detail, "dim")),
                    id=f"colleague-{d.colleague.id}",
                )
                for d in self._colleagues
            ],
            "Nobody is waiting on a check-in. c shows everyone you lean on."
            if colleagues
            else "No colleagues yet. c to add the people you lean on.",
        )
        day = now.date()
        self.query_one(DatesToRemember).show(colleagues, day)
        self._rituals = due_now(load_views(store, day, rituals=rituals, progress=False))
        self._fill(
            "rituals",
            [
                Option(
                    Content.assemble(("[ ] ", "bold"), safe(view.record.name, multiline=False), ("  " + when_words(view, day), "dim")),
                    id=f"ritual-{view.id}",
                )
                for view in self._rituals
            ],
            "Nothing due today. r shows all your rituals." if rituals else "No rituals yet. r to add one, or pick from a few starters.",
        )
        glance = today.scan_glance(today.glance_scans(store, now), now)
        self._fill("scan", [self._glance_option(glance)] if glance else [], "No body scan yet. s for a one-minute check-in with your body.")
        self._update_countdown()

    def _show(self, widget_id: str, content: Content | str) -> None:
        """Update a line only when what it says (or how) changed: an idle Today sends nothing."""
        key = (content.plain, tuple(content.spans)) if isinstance(content, Content) else content
        if self._shown.get(widget_id) != key:
            self._shown[widget_id] = key
            self.query_one(f"#{widget_id}", Static).update(content)

    @staticmethod
    def _glance_option(glance: today.ScanGlance) -> Option:
        where = ", ".join(glance.top) if glance.top else "nothing above none"
        parts: list[Any] = [
            (glance.when.diff_for_humans(), "bold"),
            f": {where}. Total {glance.total} of {glance.out_of}",
        ]
        if glance.trend:
            parts += [f"; {glance.trend} ", (glance.week, "$accent")]
        return Option(Content.assemble(*parts), id="scan-last")

    def _fill(self, section: str, options: list[Option], empty: str) -> None:
        listing = self.query_one(f"#today-{section}", Section)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options(options)
        if options and highlighted is not None:
            listing.highlighted = min(highlighted, len(options) - 1)
        listing.display = bool(options)
        self._show(f"today-{section}-empty", Content(empty))
        self.query_one(f"#today-{section}-empty", Static).display = not options

    # -- the break planner -----------------------------------------------------------------

    def _update_countdown(self) -> None:
        now = pendulum.now()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.until is None:
            self._show(
                "countdown",
                Content.assemble(
                    "When does your next session start? ",
                    (bound_key(self, "next_session"), "bold $accent"),
                    " to say, and Tend offers what fits.",
                ),
            )
            seconds: float | None = None
            delay = 60 - now.second - now.microsecond / 1e6
        else:
            seconds = breaks.seconds_left(self.until, now)
            at = self.until.format("HH:mm")
            if seconds <= 0:
                self._show("countdown", Content.assemble((breaks.TIME_UP, "bold"), (f"  {bound_key(self, 'clear_session')} clears", "dim")))
                if not self._told_time_up:
                    self._told_time_up = True
                    self.notify(breaks.TIME_UP, title="Next session", markup=False)
                    if self.tend.store.settings().bell:
                        self.app.bell()
            else:
                self._show(
                    "countdown",
                    Content.assemble(
                        "Next session in ",
                        (breaks.describe_left(seconds), "bold"),
                        f" (at {at})",
                        (f"   {bound_key(self, 'next_session')} change  {bound_key(self, 'clear_session')} clear", "dim"),
                    ),
                )
            delay = breaks.redraw_delay(seconds) if seconds > 0 else 60.0
        self._show_offers(seconds)
        self.next_wake = max(delay, 0.05)
        self._timer = self.set_timer(self.next_wake, self._tick)

    def wake(self) -> None:
        """Wake now, as the timer would: after the clock moved on, say (tests move it by hand).
        The timer that was waiting stops, so there is still only one."""
        if self._timer is not None:
            self._timer.stop()
        self._tick()

    def _tick(self) -> None:
        self._timer = None
        if self.until is None:
            # The once-a-minute wake-up: the greeting, and changes made by another Tend.
            if not self.tend.check_external_changes():
                self._show("greeting", Content(today.greeting(pendulum.now())))
            self._update_countdown()
        else:
            self._update_countdown()

    def _show_offers(self, seconds: float | None) -> None:
        fits = breaks.offers(seconds)
        if seconds is not None and seconds <= 0:
            self._show("offers", "")
            return
        if not fits:
            self._show("offers", Content("Just a breath or two: there is not much time left."))
            return
        parts: list[Any] = ["Fits now:" if seconds is not None else "One key away:"]
        breathe = [offer for offer in fits if offer.action.startswith("breathe:")]
        if breathe:
            parts.append("  breathe")
            for offer in breathe:
                parts += [" ", (offer.key, "bold $accent")]
            parts.append(" min")
        for offer in fits:
            if not offer.action.startswith("breathe:"):
                parts += ["  ", (offer.key, "bold $accent"), f" {offer.label}"]
        self._show("offers", Content.assemble(*parts))

    def action_next_session(self) -> None:
        def chosen(text: str | None) -> None:
            if text:
                self.until = breaks.parse_until(text)

        def check(text: str) -> str | None:
            try:
                breaks.parse_until(text)
            except breaks.UntilError as error:
                return str(error)
            return None

        self.app.push_screen(
            TextPrompt(
                "When does your next session start?",
                placeholder=breaks.EXAMPLES,
                validate=check,
                limit=40,
            ),
            chosen,
        )

    def action_clear_session(self) -> None:
        self.until = None

    def watch_until(self) -> None:
        self._told_time_up = False
        self._update_countdown()

    # -- acting on items -------------------------------------------------------------------

    def action_focus_section(self, section: str) -> None:
        listing = self.query_one(f"#today-{section}", Section)
        if listing.display:
            listing.focus()
            if listing.highlighted is None and listing.option_count:
                listing.highlighted = 0
        else:
            self.notify(str(self.query_one(f"#today-{section}-empty", Static).render()), markup=False)

    def action_offer(self, action: str) -> None:
        seconds = breaks.seconds_left(self.until) if self.until else None
        if action not in {offer.action for offer in breaks.offers(seconds)}:
            self.notify("That one needs a little more time than is left.", markup=False)
            return
        if action.startswith("breathe:"):
            self.tend.open_breathing("box", int(action.split(":")[1]))
        elif action == "scan":
            self.tend.action_go("scan")
        elif action == "message":
            self._message(self._colleagues[0].colleague if self._colleagues else None)

    def _message(self, colleague: Colleague | None) -> None:
        """The check-in message flow for ``colleague``, without leaving Today."""
        if colleague is None:
            self.notify("Nobody is due a check-in just now. c shows everyone you lean on.", markup=False)
            return
        from screens.colleagues import send_check_in

        send_check_in(self.tend, colleague)

    def _highlighted_ritual(self) -> int | None:
        listing = self.query_one("#today-rituals", Section)
        if listing.highlighted is None or not listing.display:
            return None
        option_id = listing.get_option_at_index(listing.highlighted).id or ""
        return int(option_id.split("-", 1)[1]) if option_id.startswith("ritual-") else None

    def action_done(self) -> None:
        ritual_id = self._highlighted_ritual()
        if ritual_id is None:
            if self._rituals:
                self.action_focus_section("rituals")
            return
        self._mark_done(ritual_id)

    def _mark_done(self, ritual_id: int) -> None:
        marked = None
        with self.tend.saving() as attempt:
            try:
                marked = mark_ritual(self.tend.store, ritual_id, pendulum.today().date(), "done")
            except AlreadyMarked:
                self.notify("Already done today.", markup=False)
                return
        if attempt.ok and marked is not None:
            self.marked = marked
            names = lambda ids: [c.name for c in self.tend.store.all(Colleague) if c.id in ids]  # noqa: E731
            self.notify(marked.message(names) + " u undoes it.", markup=False)

    def action_undo(self) -> None:
        marked, self.marked = self.marked, None
        if marked is None:
            return
        with self.tend.saving() as attempt:
            marked.undo(self.tend.store)
        if attempt.ok:
            self.notify(f"Undone: {marked.ritual.name} is back on the list.", markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return self.marked is not None
        if action == "clear_session":
            return self.until is not None
        return True

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id.startswith("ritual-"):
            self._mark_done(int(option_id.split("-", 1)[1]))
        elif option_id.startswith("colleague-"):
            wanted = int(option_id.split("-", 1)[1])
            colleague = next((d.colleague for d in self._colleagues if d.colleague.id == wanted), None)
            self._message(colleague)
        elif option_id == "scan-last":
            self.tend.action_go("scan")
