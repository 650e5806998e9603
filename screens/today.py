"""Today: what matters in the minutes before the next session.

Sections, each one key away: the break planner (``n``), rituals due (``d``), colleagues due
(``p``), the last body scan (``l``). Arrow keys and tab move between items; enter acts.

The next session is the time said with ``n`` or, with a working pattern (``w``, kept as text
in ``Settings.session_pattern``, read by :mod:`app.sessions`), the pattern's next start.

Cost when idle: one timer, set for the moment the countdown's text next changes (a minute
at a time, a second at a time in the last five minutes) or, with no session set, for the next
minute. On each new minute it also checks whether another Tend changed the data and redraws
the greeting and the last scan's "N minutes ago" if, and only if, their words changed.
Nothing else wakes it.
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

from app import breaks, sessions, today
from app.models import Colleague, Ritual
from app.next_session import next_session, set_next, stored_next
from app.modes import StartOptions
from app.people import latest_contacts
from app.rituals import AlreadyMarked, KeptViews, Marked, RitualView, due_now, load_views, mark_ritual, when_words
from screens.base import TendScreen, bound_key, safe
from screens.circle_today import CircleToday
from screens.dialogs import TextPrompt, reopen_draft
from screens.remember import DatesToRemember

GLANCE_LINE = 76
"""The longest last-scan line kept whole: 80 columns less the two margins and the row's mark."""

TIME_UP_HOLD = 10
"""Minutes "It's time for your next session" stays after a session from the pattern began."""

NOBODY_DUE = "Nobody is waiting on a check-in. c shows everyone you lean on."
NOBODY_YET = "No colleagues yet. c to add the people you lean on."


class Section(OptionList):
    """One list of Today's items; empty lists hide and their note shows instead.

    The selected row carries a mark (not colour alone): while the list has focus, and always
    in a list that a key acts on from anywhere (``marked``: the rituals, which space marks
    done)."""

    DEFAULT_CSS = """
    Section { height: auto; max-height: 6; border: none; padding: 0; background: $background; }
    Section:focus { background: $boost; border: none; }
    """
    MARK = "▶ "

    def __init__(self, *, id: str, marked: bool = False) -> None:  # id: Textual's own name
        super().__init__(id=id)
        self.always_marked = marked
        self.prompts: list[Content] = []

    def set_items(self, items: list[tuple[Content, str]]) -> None:
        """Show these (prompt, option id) pairs, keeping the selected row where it was."""
        highlighted = self.highlighted
        self.prompts = [prompt for prompt, _ in items]
        self.set_options([Option(self._marked(index, prompt, highlighted), id=key) for index, (prompt, key) in enumerate(items)])
        if items and (highlighted is not None or self.always_marked):
            self.highlighted = min(highlighted or 0, len(items) - 1)

    def replace_prompt(self, index: int, prompt: Content) -> None:
        """Change one row's words (the last scan's "N minutes ago") and nothing else."""
        if 0 <= index < len(self.prompts) and self.prompts[index] != prompt:
            self.prompts[index] = prompt
            self.replace_option_prompt_at_index(index, self._marked(index, prompt, self.highlighted))

    def _marked(self, index: int, prompt: Content, highlighted: int | None) -> Content:
        # The screen's focus, not has_focus: that turns only after this class's on_focus ran.
        shows = index == highlighted and (self.always_marked or (self.is_attached and self.screen.focused is self))
        return Content.assemble((self.MARK, "bold") if shows else " " * len(self.MARK), prompt)

    def remark(self) -> None:
        """Draw the mark where it belongs now (after a move, or focus coming or going)."""
        for index, prompt in enumerate(self.prompts):
            if index < self.option_count:
                option = self.get_option_at_index(index)
                wanted = self._marked(index, prompt, self.highlighted)
                if option.prompt != wanted:
                    self.replace_option_prompt_at_index(index, wanted)

    def on_option_list_option_highlighted(self) -> None:
        self.remark()

    def on_focus(self) -> None:
        self.remark()

    def on_blur(self) -> None:
        self.remark()


class TodayScreen(TendScreen):
    MODE = "today"
    CSS_PATH = "today.tcss"
    DEFAULT_CLASSES = "css-today"
    HELP = (
        "What matters before your next session: rituals due, colleagues to check in with, "
        "and your last body scan. Tell Tend when your next session starts (n), or when your "
        "sessions usually start (w), and it counts down and offers only what fits."
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
        Binding("i", "circle", "Circle", id="today.circle", tooltip="Go to check-ins and asks from your circle", show=False),
        Binding("w", "sessions", "Sessions", id="today.sessions", tooltip="Say when your sessions usually start"),
        Binding("f", "circle_status", "My status", id="today.circle_status", tooltip="Share your status with the circle", show=False),
        Binding("g", "circle_ask", "Debrief?", id="today.circle_ask", tooltip="Ask the circle for a debrief", show=False),
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
        self._anyone = False
        """Whether there is anyone at all among the colleagues (else "nobody due" would mislead)."""
        self._rituals: list[RitualView] = []
        self._kept_views = KeptViews()
        """Each ritual's status as last worked out: a refresh works out only what changed."""
        self._shown: dict[str, object] = {}
        self._stored_session: pendulum.DateTime | None = None
        """The next session as last read from or saved to the store (``tend next`` sets it too)."""
        self._glance: today.ScanGlance | None = None
        self._minute: pendulum.DateTime | None = None
        """The clock minute of the last once-a-minute refresh (greeting, "N minutes ago")."""
        self._pattern: sessions.Pattern | None = None
        """The working pattern (None: none, or one that no longer reads)."""
        self._notice_minutes = 0
        self._target: pendulum.DateTime | None = None
        """The session counted down to on the last redraw (its notice and time-up are said once)."""
        self._noticed = False

    # -- layout ----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="today-body"):
            yield Static("", id="greeting")
            with Horizontal(id="break-line"):
                yield Static("", id="countdown")
            yield Static("", id="offers")
            yield CircleToday(self.tend)
            yield Static(self._section_title("Rituals due", "rituals"), classes="section-title")
            yield Section(id="today-rituals", marked=True)
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
                self._keep_session(self.until)
            except breaks.UntilError as error:
                self.notify(str(error), title="Next session", severity="warning", markup=False)
        # refresh_data() runs once the screen is shown (TendScreen.showing).
        # The working-pattern form left half-typed (Tend closed, the connection dropped) opens again.
        self.call_after_refresh(reopen_draft, self, "sessions", lambda _id: None, lambda _none: self.action_sessions())

    # -- data ------------------------------------------------------------------------------

    def refresh_data(self) -> None:
        store = self.tend.store
        now = pendulum.now()
        stored = stored_next(store)
        if stored != self._stored_session:  # set or cleared elsewhere: `tend next`, another Tend
            self._stored_session = stored
            upcoming = next_session(store, now)  # one already begun is not counted down to
            if upcoming != self.until:
                self.until = upcoming
        settings = self.tend.preferences()  # the config file's pattern, if it has one, on top
        read = sessions.parse_pattern(settings.session_pattern) if settings.session_pattern else None
        self._pattern = read if isinstance(read, sessions.Pattern) else None
        notice = settings.session_notice_minutes
        self._notice_minutes = notice if isinstance(notice, int) and not isinstance(notice, bool) else 0
        self._show("greeting", Content(today.greeting(now)))
        colleagues, rituals = store.all(Colleague), store.all(Ritual)  # each kind read once
        self._colleagues = today.colleagues_due(colleagues, latest_contacts(store), now)
        self._anyone = bool(colleagues)
        self._fill(
            "people",
            [
                (
                    Content.assemble((f"{d.status:<10}", "bold"), safe(d.colleague.name, multiline=False), ("  " + d.detail, "dim")),
                    f"colleague-{d.colleague.id}",
                )
                for d in self._colleagues
            ],
            NOBODY_DUE if colleagues else NOBODY_YET,
        )
        day = now.date()
        self.query_one(DatesToRemember).show(colleagues, day)
        self._rituals = due_now(load_views(store, day, rituals=rituals, progress=False, kept=self._kept_views))
        self._fill(
            "rituals",
            [
                (
                    Content.assemble(("[ ] ", "bold"), safe(view.record.name, multiline=False), ("  " + when_words(view, day), "dim")),
                    f"ritual-{view.id}",
                )
                for view in self._rituals
            ],
            "Nothing due today. r shows all your rituals." if rituals else "No rituals yet. r to add one, or pick from a few starters.",
        )
        self._glance = glance = today.scan_glance(today.glance_scans(store, now), now)
        glance_items = [(self._glance_prompt(glance, now), "scan-last")] if glance else []
        self._fill("scan", glance_items, "No body scan yet. s for a one-minute check-in with your body.")
        self._update_countdown()

    @staticmethod
    def _counted_down(target: pendulum.DateTime | None, planned: bool, now: pendulum.DateTime) -> bool:
        """Whether Today counts down to ``target``: one later today, or one said with ``n``
        (at most 12 hours ahead, past midnight on a night shift); a pattern's next session on
        another day is named instead ("No more sessions today")."""
        if target is None:
            return False
        return not planned or target.in_timezone(now.timezone or "UTC").date() == now.date()

    def _with_keys(self, said: Content, keys: str) -> Content:
        """The countdown and its keys on one line, or the keys on the next when they would
        not fit whole ("w" at the end of one line, "pattern" at the start of the next)."""
        room = (self.size.width or 80) - 2
        if said.cell_length + len(keys) <= room:
            return Content.assemble(said, (keys, "dim"))
        return Content.assemble(said, "\n", (keys.strip(), "dim"))

    def _show(self, widget_id: str, content: Content | str) -> None:
        """Update a line only when what it says (or how) changed: an idle Today sends nothing."""
        key = (content.plain, tuple(content.spans)) if isinstance(content, Content) else content
        if self._shown.get(widget_id) != key:
            self._shown[widget_id] = key
            self.query_one(f"#{widget_id}", Static).update(content)

    @staticmethod
    def _glance_prompt(glance: today.ScanGlance, now: pendulum.DateTime) -> Content:
        where = ", ".join(glance.top) if glance.top else "nothing above none"
        when = today.ago_words(glance.when, now)
        # Lines of their own, under the text: a line the list wrapped would start under the
        # mark, in the first column. "When — where" stays one line if it fits in 80 columns.
        indent = "\n" + " " * len(Section.MARK)
        joint = " — " if len(when) + len(where) + 4 <= GLANCE_LINE else f" —{indent}"
        parts: list[Any] = [(when, "bold"), f"{joint}{where}."]
        if glance.trend:  # where things sit and what changed, never a score out of a maximum
            parts += [f"{indent}{glance.trend[:1].upper()}{glance.trend[1:]} ", (glance.week, "$accent")]
        return Content.assemble(*parts)

    def _refresh_glance(self, now: pendulum.DateTime) -> None:
        """The last scan's "N minutes ago", redrawn only when its words change."""
        if self._glance is not None:
            self.query_one("#today-scan", Section).replace_prompt(0, self._glance_prompt(self._glance, now))

    def _fill(self, section: str, options: list[tuple[Content, str]], empty: str) -> None:
        listing = self.query_one(f"#today-{section}", Section)
        listing.set_items(options)
        listing.display = bool(options)
        self._show(f"today-{section}-empty", Content(empty))
        self.query_one(f"#today-{section}-empty", Static).display = not options

    # -- the break planner -----------------------------------------------------------------

    def _session_target(self, now: pendulum.DateTime) -> tuple[pendulum.DateTime | None, bool]:
        """The session Today counts down to, and whether it comes from the working pattern:
        the time said with n (for today), else the pattern's next start (one that began under
        TIME_UP_HOLD minutes ago still counts: its "time for your session" stays a while)."""
        if self.until is not None:
            return self.until, False
        if self._pattern is not None:
            return sessions.next_session(self._pattern, now.subtract(minutes=TIME_UP_HOLD)), True
        return None, False

    def _update_countdown(self) -> None:
        now = pendulum.now()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        target, planned = self._session_target(now)
        if target != self._target:
            self._target, self._told_time_up, self._noticed = target, False, False
        later_day = target is not None and not self._counted_down(target, planned, now)
        if target is None:
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
            seconds = breaks.seconds_left(target, now)
            at = target.format("HH:mm")
            keys = (
                f"   {bound_key(self, 'next_session')} change for today  {bound_key(self, 'sessions')} pattern"
                if planned
                else f"   {bound_key(self, 'next_session')} change  {bound_key(self, 'clear_session')} clear"
            )
            if seconds <= 0:
                after = f"  {bound_key(self, 'clear_session')} clears" if not planned else ""
                self._show("countdown", Content.assemble((breaks.TIME_UP, "bold"), (after, "dim")))
                if not self._told_time_up:
                    self._told_time_up = True
                    self.notify(breaks.TIME_UP, title="Next session", markup=False)
                    if self.tend.preferences().bell:
                        self.app.bell()
            elif later_day:
                day = "tomorrow" if target.date() == now.date().add(days=1) else target.format("dddd")
                said = Content.assemble("No more sessions today. Next: ", (f"{day} at {at}", "bold"))
                self._show("countdown", self._with_keys(said, keys))
            else:
                said = Content.assemble("Next session in ", (breaks.describe_left(seconds), "bold"), f" (at {at})")
                self._show("countdown", self._with_keys(said, keys))
                self._maybe_notice(seconds, at)
            delay = breaks.redraw_delay(seconds) if seconds > 0 else 60.0
        self._show_offers(None if later_day else seconds)
        self.next_wake = max(delay + 0.005, 0.05)  # a hair past the change, to land after it
        self._timer = self.set_timer(self.next_wake, self._tick)

    def _maybe_notice(self, seconds: float, at: str) -> None:
        """The one-line notice (and the bell, if bells are on) the chosen minutes before."""
        minutes = self._notice_minutes
        if self._noticed or minutes <= 0 or seconds > minutes * 60:
            return
        self._noticed = True
        self.notify(f"Your next session starts in {breaks.describe_left(seconds)}, at {at}.", title="Next session", markup=False)
        if self.tend.store.settings().bell:
            self.app.bell()

    def wake(self) -> None:
        """Wake now, as the timer would: after the clock moved on, say (tests move it by hand).
        The timer that was waiting stops, so there is still only one."""
        if self._timer is not None:
            self._timer.stop()
        self._tick()

    def _tick(self) -> None:
        self._timer = None
        now = pendulum.now()
        if self.until is not None and self._pattern is not None and now >= self.until.add(minutes=TIME_UP_HOLD):
            self.until = None  # n was for one session: the working pattern takes over again
            return  # (watch_until has drawn the countdown)
        minute = now.set(second=0, microsecond=0)
        if self.until is None or minute != self._minute:
            # Once a minute: the greeting, the last scan's "N minutes ago", and changes made by
            # another Tend (each redrawn only if its words changed).
            self._minute = minute
            if not self.tend.check_external_changes():
                self._show("greeting", Content(today.greeting(now)))
                self._refresh_glance(now)
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
                self._keep_session(self.until)

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
        self._keep_session(None)

    def _keep_session(self, at: pendulum.DateTime | None) -> None:
        """Save the next session, so `tend status` and every other Tend know it too (data
        opened read-only keeps it on this screen only)."""
        if self.tend.store.read_only:
            return
        with self.tend.saving() as attempt:
            set_next(self.tend.store, at)
        if attempt.ok:
            self._stored_session = at

    def action_sessions(self) -> None:
        """The working-pattern form: when sessions usually start, and a notice before them."""
        from screens.sessions import SessionsForm

        settings = self.tend.store.settings()
        form = SessionsForm(settings.session_pattern, self._notice_minutes, settings.bell)

        def save(result: tuple[str, int, bool] | None) -> bool:
            if result is None:
                return True
            text, notice, bell = result
            with self.tend.saving() as attempt:
                self.tend.store.update_settings(session_pattern=text, session_notice_minutes=notice, bell=bell)
            return attempt.ok

        def saved(result: tuple[str, int, bool] | None) -> None:
            if result is not None:
                read = sessions.parse_pattern(result[0]) if result[0] else None
                said = sessions.describe(read) if isinstance(read, sessions.Pattern) else "No working pattern: n says when."
                in_effect = self.tend.preferences().session_pattern
                if in_effect != result[0]:  # the config file's [sessions] pattern comes first
                    said += f" Your config file says {in_effect!r}, and that one is used."
                self.notify(f"Saved. {said}", title="Your sessions", markup=False)

        form.save_with = save
        self.app.push_screen(form, saved)

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

    def action_circle(self) -> None:
        self.query_one(CircleToday).focus_list()

    def action_circle_status(self) -> None:
        self.query_one(CircleToday).share_status()

    def action_circle_ask(self) -> None:
        self.query_one(CircleToday).ask_debrief()

    def action_offer(self, action: str) -> None:
        now = pendulum.now()
        target, planned = self._session_target(now)
        seconds = breaks.seconds_left(target, now) if target is not None and self._counted_down(target, planned, now) else None
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
            self.notify(NOBODY_DUE if self._anyone else NOBODY_YET, markup=False)
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
        """Mark the selected ritual (the marked row of "Rituals due") done, wherever focus is."""
        ritual_id = self._highlighted_ritual()
        if ritual_id is None:
            self.action_focus_section("rituals")  # says why there is nothing to mark
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
            # Named: space marks the selected ritual from anywhere on Today.
            self.notify(f"{marked.ritual.name}: {marked.message(names)} u undoes it.", markup=False)

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
        if action in ("circle", "circle_status", "circle_ask"):
            return any(section.joined for section in self.query(CircleToday))
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
            self._open_last_scan()

    def _open_last_scan(self) -> None:
        """Open the scan "Last body scan" shows (its summary, as from the scan's history)."""
        from screens.scan import ScanScreen

        scan_id = self._glance.scan_id if self._glance else None
        self.tend.action_go("scan")
        scan = self.app.screen_stack[0] if self.app.current_mode == "scan" else None
        if scan_id is not None and isinstance(scan, ScanScreen):
            scan.show_stored(scan_id)
