"""The circle on Today: check-ins and asks waiting from colleagues on this server (app.circle).

Hidden until a circle is joined. Focused (``i`` on Today, or tab), ``enter`` replies with a
template, ``a`` in one's own words, ``v`` marks the item seen and ``o`` opens the sender's
colleague card. ``f`` (my status) and ``g`` (could use a debrief) are Today's keys and work
whatever has focus; each refuses, naming the command, while that sharing is off.

Cost when idle: one ``stat`` per member folder every :data:`POLL_SECONDS` (their
modification times, :func:`app.circle.signature`); the files are read again only when one
changed (or a minute passed, for statuses that end), and the list is redrawn only when what
it shows changed, so an idle Today still sends nothing to the terminal.
"""

from __future__ import annotations

from typing import ClassVar

import pendulum
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from app import circle as circles
from app.models import Colleague, MessageTemplate
from screens.base import bound_key, safe
from screens.shell import TendShell

POLL_SECONDS = 20.0
"""How often the circle's folders are looked at while Tend is open (well within a minute)."""


class CircleList(OptionList):
    """The waiting items; its keys work while it has focus."""

    DEFAULT_CSS = """
    CircleList { height: auto; max-height: 6; border: none; padding: 0; background: $background; margin-left: 1; }
    CircleList:focus { background: $boost; border: none; }
    """
    BINDINGS: ClassVar = [
        Binding("enter", "select", "Reply", id="circle.reply", tooltip="Reply to this check-in or take this ask"),
        Binding("v", "seen", "Seen", id="circle.seen", tooltip="Mark it seen (it leaves Today)"),
        Binding("o", "open_card", "Card", id="circle.card", tooltip="Open the sender's colleague card"),
        Binding("a", "write", "Answer", id="circle.write", tooltip="Answer in a few lines of your own words"),
    ]

    def action_write(self) -> None:
        owner = self.parent
        if isinstance(owner, CircleToday):
            owner.write_back()

    def action_seen(self) -> None:
        owner = self.parent
        if isinstance(owner, CircleToday):
            owner.mark_seen()

    def action_open_card(self) -> None:
        owner = self.parent
        if isinstance(owner, CircleToday):
            owner.open_card()


class CircleToday(Vertical):
    """Today's circle section (see the module docstring)."""

    DEFAULT_CSS = """
    CircleToday { height: auto; display: none; }
    CircleToday.-joined { display: block; }
    CircleToday .circle-note { color: $text-muted; margin-left: 1; }
    """

    def __init__(self, tend: TendShell) -> None:
        super().__init__(id="today-circle-section")
        self.tend = tend
        self._read_key: object = None
        self._shown_key: object = None
        self.view: circles.CircleView | None = None
        self._items: list[circles.Message | circles.Ask] = []
        self._colleagues: list[Colleague] = []

    @property
    def joined(self) -> bool:
        """True while a circle is joined (the section shows, and ``i`` comes to it)."""
        return self.has_class("-joined")

    def compose(self) -> ComposeResult:
        yield Static("", id="today-circle-title", classes="section-title")
        yield CircleList(id="today-circle")
        yield Static("", id="today-circle-note", classes="circle-note")

    def on_mount(self) -> None:
        listing = self.query_one(CircleList)
        words = (("select", "reply"), ("write", "answer"), ("seen", "seen"), ("open_card", "card"))
        keys = f"  {bound_key(self.screen, 'circle')}   " + "  ".join(f"{bound_key(listing, action)} {word}" for action, word in words)
        shares = (("circle_status", "status"), ("circle_ask", "debrief?"))
        keys += "".join(f"  {bound_key(self.screen, action)} {word}" for action, word in shares)
        self.query_one("#today-circle-title", Static).update(Content.assemble(("Circle", "bold"), (keys, "dim")))
        self.poll()
        self.set_interval(POLL_SECONDS, self.poll)

    def poll(self, *, force: bool = False) -> None:
        """Look at the circle; read and redraw only what changed."""
        settings = self.tend.store.settings()
        folder = settings.circle_dir
        now = pendulum.now()
        signature = circles.signature(folder) if folder else ()
        key = (folder, signature, tuple(settings.circle_seen), settings.circle_expiry_days, now.format("YYYYMMDDHHmm"))
        if key == self._read_key and not force:
            return
        self._read_key = key
        if self.joined != bool(folder):
            self.set_class(bool(folder), "-joined")
            self.screen.refresh_bindings()  # i works only in a circle
        if not folder:
            self.view = None
            self._draw([], Content(""))
            return
        try:
            self.view = circles.read_circle(folder, expiry_days=settings.circle_expiry_days, now=now)
        except circles.CircleError as error:
            self.view = None
            self._draw([], Content(f"The circle is not safe to read: {error}"))
            return
        self._colleagues = self.tend.store.all(Colleague)
        self._items = self.view.waiting(settings.circle_seen)
        own = [a for a in self.view.asks if a.sender == self.view.me]
        notes: list[str] = [self._own_ask(a) for a in own]
        others = [status for member, status in sorted(self.view.statuses.items()) if member != self.view.me]
        notes += [f"{self._who(status.member)}: {circles.free_now(status, now)}" for status in others[:3]]
        if self.view.problems:
            notes.append(f"Skipped {len(self.view.problems)} file(s) in the circle: {self.view.problems[0]}")
        if not self._items and not own:
            notes.insert(0, "Nothing waiting in the circle.")
        self._draw(self._items, Content("\n".join(notes)))

    def _who(self, member: str) -> str:
        colleague = circles.linked_colleague(self._colleagues, member)
        return colleague.name if colleague else member

    def _own_ask(self, ask: circles.Ask) -> str:
        if ask.taken_by:
            return f"You asked for a debrief: {self._who(ask.taken_by)} took it ({ask.answer})."
        return "You asked for a debrief: nobody has answered yet."

    def _line(self, item: circles.Message | circles.Ask) -> Content:
        first = item.text.split("\n", 1)[0]
        at = item.when.in_timezone(pendulum.now().timezone or "UTC").format("HH:mm")
        said = " could use a debrief: " if isinstance(item, circles.Ask) else " checked in: "
        return Content.assemble((self._who(item.sender), "bold"), said, safe(first, multiline=False), (f"  {at}", "dim"))

    def _draw(self, items: list[circles.Message | circles.Ask], note: Content) -> None:
        lines = [self._line(item) for item in items]
        key = (tuple((line.plain, tuple(line.spans)) for line in lines), note.plain)
        if key == self._shown_key:
            return  # nothing changed: nothing is sent to the terminal
        self._shown_key = key
        listing = self.query_one(CircleList)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options([Option(line, id=f"circle-{index}") for index, line in enumerate(lines)])
        if lines and highlighted is not None:
            listing.highlighted = min(highlighted, len(lines) - 1)
        listing.display = bool(lines)
        self.query_one("#today-circle-note", Static).update(note)
        self.query_one("#today-circle-note", Static).display = bool(note.plain)

    def focus_list(self) -> None:
        listing = self.query_one(CircleList)
        if not self.joined:
            self.notify("You are not in a circle on this server. tend circle join DIR joins one.", markup=False)
        elif listing.option_count:
            listing.focus()
            if listing.highlighted is None:
                listing.highlighted = 0
        else:
            self.notify("Nothing waiting in the circle.", markup=False)

    def _current(self) -> circles.Message | circles.Ask | None:
        listing = self.query_one(CircleList)
        if listing.highlighted is None or listing.highlighted >= len(self._items):
            return None
        return self._items[listing.highlighted]

    def mark_seen(self, item: circles.Message | circles.Ask | None = None) -> None:
        item = item or self._current()
        if item is None:
            return
        with self.tend.saving() as attempt:
            circles.mark_seen(self.tend.store, [item.key], self.view)
        if attempt.ok:
            self.poll(force=True)

    def open_card(self) -> None:
        item = self._current()
        if item is None:
            return
        colleague = circles.linked_colleague(self._colleagues, item.sender)
        if colleague is None or colleague.id is None:
            self.notify(
                f"{item.sender} is not linked to one of your colleagues yet: "
                f"tend circle link {item.sender} NAME links them.", markup=False,
            )  # fmt: skip
            return
        from screens.colleagues import ColleagueCard

        wanted = colleague.id
        self.tend.action_go("colleagues")
        self.tend.call_after_refresh(lambda: self.tend.push_screen(ColleagueCard(self.tend.screen, wanted)))  # type: ignore[arg-type]  # the colleagues screen is the card's owner

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item = self._current()
        if item is None:
            return
        if isinstance(item, circles.Ask):
            self._take(item)
        else:
            self._reply(item)

    def _take(self, ask: circles.Ask) -> None:
        settings = self.tend.store.settings()
        if not settings.circle_share_asks:
            self.notify("Answering asks is off. tend circle share asks on turns it on.", markup=False)
            return
        try:
            circles.answer_ask(settings.circle_dir, ask.sender, ask.id)
        except (circles.CircleError, OSError) as error:
            self.notify(str(error), markup=False, severity="warning")
            self.poll(force=True)
            return
        self.notify(f"You took {self._who(ask.sender)}'s ask; they will see it.", markup=False)
        self.mark_seen(ask)

    def _reply(self, message: circles.Message) -> None:
        from app.people import all_templates, fill_for
        from screens.colleagues.circle_reply import CircleReplyPicker

        store = self.tend.store
        if not store.settings().circle_share_checkins:
            self.notify("Sending check-ins is off. tend circle share checkins on turns it on.", markup=False)
            return
        colleague = circles.linked_colleague(self._colleagues, message.sender) or Colleague(name=message.sender)
        picker = CircleReplyPicker(colleague, all_templates(store.all(MessageTemplate)))

        def chosen(choice: object) -> None:
            if isinstance(choice, tuple):
                self._send(message, fill_for(choice[1].text, colleague))

        self.tend.push_screen(picker, chosen)

    def write_back(self) -> None:
        """A few typed lines back to the sender of the highlighted check-in or ask."""
        from screens.dialogs import TextPrompt

        item = self._current()
        if item is None:
            return
        if not self.tend.store.settings().circle_share_checkins:
            self.notify("Sending check-ins is off. tend circle share checkins on turns it on.", markup=False)
            return
        prompt = TextPrompt(f"A few words back to {self._who(item.sender)}:", limit=300)
        self.tend.push_screen(prompt, lambda text: self._send(item, text) if text else None)

    def _send(self, item: circles.Message | circles.Ask, text: str) -> None:
        """Send ``text`` to the sender of ``item`` and log it with their colleague, if linked."""
        store = self.tend.store
        try:
            circles.send_checkin(store.settings().circle_dir, item.sender, text)
        except (circles.CircleError, OSError) as error:
            self.notify(str(error), markup=False, severity="warning")
            return
        with self.tend.saving() as attempt:
            circles.after_checkin_sent(store, circles.linked_colleague(self._colleagues, item.sender))
        if attempt.ok:
            self.notify(f"Sent to {self._who(item.sender)}.", markup=False)
        self.mark_seen(item)

    # Sharing from Today: f (my status) and g (could use a debrief), bound on Today.

    def _sharing_on(self, what: str, off: str) -> str:
        """The joined circle folder, or "" (having said why) when there is none or ``what`` is not shared."""
        settings = self.tend.store.settings()
        if not self.joined or not settings.circle_dir:
            self.notify("You are not in a circle on this server. tend circle join DIR joins one.", markup=False)
            return ""
        if not getattr(settings, f"circle_share_{what}"):
            self.notify(f"{off} is off. tend circle share {what} on turns it on.", markup=False)
            return ""
        return settings.circle_dir

    def share_status(self) -> None:
        """Ask for a status ("free for a debrief until 12:30") and share it with the circle."""
        from screens.dialogs import TextPrompt

        if not self._sharing_on("status", "Sharing your status"):
            return

        def problem(text: str) -> str | None:
            try:
                circles.read_status_words(text)
            except circles.CircleError as error:
                return str(error)
            return None

        prompt = TextPrompt(
            "Your status for the circle. Add 'until 12:30' or 'until 45m'; otherwise it lasts until the end of today.",
            placeholder="free for a debrief until 12:30", validate=problem, limit=200,
        )  # fmt: skip
        self.tend.push_screen(prompt, lambda text: self._set_status(text) if text else None)

    def _set_status(self, typed: str) -> None:
        circle = self._sharing_on("status", "Sharing your status")
        if not circle:
            return
        try:
            words, until = circles.read_status_words(typed)
            end = circles.set_status(circle, words, until)
        except (circles.CircleError, OSError) as error:
            self.notify(str(error), markup=False, severity="warning")
            return
        self.notify(f"Shared until {end.format('HH:mm')}; it goes by itself then.", markup=False)
        self.poll(force=True)

    def ask_debrief(self) -> None:
        """'Could use a debrief', to the whole circle, with a few words if the person likes."""
        from screens.dialogs import TextPrompt

        if not self._sharing_on("asks", "Asking for a debrief"):
            return
        prompt = TextPrompt(
            "Ask the whole circle for a debrief. A few words if you like; enter sends it.",
            placeholder="Could use a debrief.", limit=300,
        )  # fmt: skip
        self.tend.push_screen(prompt, lambda text: self._ask(text) if text is not None else None)

    def _ask(self, text: str) -> None:
        circle = self._sharing_on("asks", "Asking for a debrief")
        if not circle:
            return
        try:
            circles.send_ask(circle, text)
        except (circles.CircleError, OSError) as error:
            self.notify(str(error), markup=False, severity="warning")
            return
        self.notify("Asked the circle. The first to answer takes it.", markup=False)
        self.poll(force=True)
