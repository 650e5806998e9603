"""The rest scan (``j``): one body region at a time, a gentle countdown, nothing to rate.

:class:`RestWalkView` keeps the walk, its countdown and when it started, draws the ``rest``
view of :class:`~screens.scan.screen.ScanScreen` and logs the walk as a breathing-like
session; the screen holds one (``screen.rest``) and switches to it."""

from __future__ import annotations

from collections.abc import Callable

import pendulum
from textual.content import Content
from textual.widgets import Static

from app import bodyscan as bs
from screens.base import TendScreen, bound_key
from screens.shell import save_when_free

REST = "rest"
"""The rest scan's view: one body region at a time, a countdown, nothing to rate."""


class RestWalkView:
    """The rest scan on ``screen``: ``clock`` is the screen's monotonic clock, ``ended`` what
    the screen does once the walk is over (its timer and keys follow)."""

    def __init__(self, screen: TendScreen, clock: Callable[[], float], ended: Callable[[], None]) -> None:
        self.screen = screen
        self.clock = clock
        self.ended = ended
        self.walk = bs.RestWalk()
        """The rest scan on show (or last shown)."""
        self.pacer = bs.Pacer(float(bs.REST_SECONDS), 0.0)
        self.started: pendulum.DateTime | None = None
        """When the rest scan on show started; None once it is logged (or before one)."""
        self.shown_countdown: int | None = None

    @property
    def done(self) -> bool:
        """True once the walk is over (or ended)."""
        return self.walk.done

    def start(self) -> None:
        """A fresh walk from the first region, its countdown running."""
        self.walk = bs.RestWalk()
        self.started = pendulum.now()
        self.pacer = bs.Pacer(float(self.walk.seconds), self.clock())

    def key(self, action: str) -> None:
        """A scan key while resting: space holds, right moves on, ``d`` ends."""
        now = self.clock()
        if action == bs.HOLD:
            self.pacer.toggle(now)
        elif action == bs.NEXT:
            self.next()
            return
        elif action == bs.FINISH:
            self.walk.finish()
            self.end()
            return
        self.render()

    def next(self) -> None:
        if not self.walk.next():
            return
        if self.walk.done:
            self.end()
            return
        self.pacer.restart(self.clock(), float(self.walk.seconds))
        self.render()

    def end(self) -> None:
        """The walk is over (or ended): log it as a breathing-like session, say what is next."""
        self.log()
        self.render()
        self.ended()

    def stop(self) -> None:
        """Leaving mid-walk: end it where it is and log it."""
        if not self.walk.done:
            self.walk.finish()
            self.log()

    def log(self) -> None:
        if self.started is None:
            return
        left = self.pacer.remaining(self.clock())
        session = bs.rest_session(self.walk, self.started, self.walk.seconds_spent(left))
        self.started = None
        tend = self.screen.tend
        if session is None or tend.store.read_only:
            return
        store = tend.store
        save_when_free(tend, "breathing", lambda: store.add(session))

    def save_on_quit(self) -> None:
        """A walk under way when the app stops is logged as far as it went (no dialog: the
        app is on its way out)."""
        if self.walk.done or self.started is None:
            return
        self.walk.finish()
        left = self.pacer.remaining(self.clock())
        session = bs.rest_session(self.walk, self.started, self.walk.seconds_spent(left))
        self.started = None
        if session is not None and not self.screen.tend.store.read_only:
            self.screen.tend.store.add(session)

    def render(self) -> None:
        """Draw the rest scan: the region, its cue, the countdown (or what comes next)."""
        screen, walk, now = self.screen, self.walk, self.clock()
        screen.query_one("#rest-title", Static).update(
            Content.assemble(("Rest scan", "bold"), f"  ·  {walk.progress()}  ·  nothing to rate")
        )
        if walk.done:
            screen.query_one("#rest-label", Static).update(Content.styled("That is the whole body.", "bold"))
            screen.query_one("#rest-cue", Static).update(
                Content.assemble(
                    "Take a moment before you move on. If you like, ",
                    (bound_key(screen, "new"), "bold"),
                    " goes on to rate how it sits now; ",
                    (bound_key(screen, "leave"), "bold"),
                    " leaves it there.",
                )
            )
            screen.query_one("#rest-pace", Static).update(Content(""))
            return
        screen.query_one("#rest-label", Static).update(Content.styled(walk.item.label, "bold"))
        screen.query_one("#rest-cue", Static).update(Content(walk.cue))
        left = self.pacer.countdown(now)
        if self.pacer.held:
            pace = Content.assemble(("|| held", "bold"), f"  at {left} s.  space to go on.  d ends.")
        else:
            pace = Content.assemble((f"> next in {left} s", "bold"), "   space holds.  right moves on.  d ends.")
        screen.query_one("#rest-pace", Static).update(pace)
        self.shown_countdown = left

    def tick(self) -> None:
        """Move on when the region's time is up; otherwise refresh the countdown."""
        if self.walk.done:
            return
        if self.pacer.due(self.clock()):
            self.next()
        elif self.pacer.countdown(self.clock()) != self.shown_countdown:
            self.render()
