"""What Today shows, worked out from the records (no Textual here).

Today gathers, for one moment: a greeting, the colleagues most due for a check-in, the rituals
due (today and overdue), and a glance at the last body scan. Each function takes the records
and ``now`` so it can be tested with any data at any time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from pendulum import DateTime

import pendulum

from app.models import BodyScan, Colleague, Contact
from app.people import Standing, Status, describe_last, rank_colleagues, role_label

if TYPE_CHECKING:  # the store is only passed in: no import of it (or TinyDB) at run time
    from app.storage import Store

COLLEAGUES_SHOWN = 3


def greeting(now: DateTime) -> str:
    """A short greeting by the time of day, and today's date."""
    hour = now.hour
    if 5 <= hour < 12:
        hello = "Good morning"
    elif 12 <= hour < 17:
        hello = "Good afternoon"
    elif 17 <= hour < 22:
        hello = "Good evening"
    else:
        hello = "Hello"  # late at night: a plain greeting, no remark on the hour
    return f"{hello}. {now.format('dddd D MMMM')}"


@dataclass(frozen=True)
class ColleagueDue:
    colleague: Colleague
    standing: Standing

    @property
    def status(self) -> str:
        """Symbol and word, e.g. ``» due``."""
        return self.standing.status.badge

    @property
    def detail(self) -> str:
        """Role and how long since the last contact."""
        role = role_label(self.colleague.role).lower()
        last = describe_last(self.standing.days_since)
        return f"{role}, last in touch {last}" if last != "never" else f"{role}, no contact logged yet"


def colleagues_due(
    colleagues: Iterable[Colleague],
    contacts: Iterable[Contact],
    now: DateTime | None = None,
    limit: int = COLLEAGUES_SHOWN,
) -> list[ColleagueDue]:
    """Colleagues due or overdue for a check-in, most due first, at most ``limit``."""
    ranked = rank_colleagues(list(colleagues), list(contacts), now)
    return [
        ColleagueDue(item.colleague, item.where)
        for item in ranked
        if item.where.status in (Status.DUE, Status.OVERDUE)  # not on track, not new
    ][:limit]


# --------------------------------------------------------------------------- the last body scan


@dataclass(frozen=True)
class ScanGlance:
    """The last body scan at a glance, and how the total moved over the last week."""

    when: DateTime
    top: list[str]
    """Where the load sat, e.g. ["neck and shoulders (strong)", "jaw and face (noticeable)"]."""
    total: int
    out_of: int
    week: str
    """This week's daily totals as a sparkline, oldest first (only days with a scan)."""
    trend: str
    """The week's total against the week before, in words."""
    scan_id: int | None = None
    """The stored id of that last scan (what enter on it opens)."""


def glance_scans(store: Store, now: DateTime) -> list[BodyScan]:
    """The scans :func:`scan_glance` needs: the last fortnight's, or else the latest one.

    Only those are read in full (years of scans are thousands of records, and Today shows
    one line about them)."""
    moments = store.moments(BodyScan, "when", recent=True)  # the latest is always among them
    if not moments:
        return []
    fortnight = now.subtract(days=14)
    # The fortnight is always in the recent window, and the latest scan is always at hand:
    # no history file is read for Today.
    return store.between(BodyScan, "when", fortnight if max(moments) >= fortnight else max(moments), recent=True)


def scan_glance(scans: Iterable[BodyScan], now: DateTime | None = None) -> ScanGlance | None:
    """The last scan, its top items and the trend of the total; None with no scans."""
    from app import bodyscan

    now = pendulum.now() if now is None else now
    scans = list(scans)
    recent = now.subtract(days=14)
    records = [bodyscan.record_from_model(scan) for scan in scans if scan.when >= recent]
    latest_scan = max(scans, key=lambda scan: scan.when, default=None) if not records else None
    if latest_scan is not None:
        records = [bodyscan.record_from_model(latest_scan)]
    if not records:
        return None
    last = max(records, key=lambda record: record.when("UTC"))
    totals = bodyscan.total(last)
    top = [f"{item.label.lower()} ({_level_word(bodyscan, value)})" for item, value in bodyscan.load_now(last, 2)]
    # One pass over the fortnight's days; this week is its last seven (as daily_values counts
    # them: by the local calendar, today included).
    both_weeks = [(day, v) for day, v in bodyscan.daily_values(records, "total", days=14, now=now) if v is not None]
    week_from = now.in_timezone(pendulum.local_timezone()).date().subtract(days=6)
    this_week = [v for day, v in both_weeks if day >= week_from]
    before = [v for day, v in both_weeks if day < week_from]
    return ScanGlance(
        when=last.when(now.timezone or "UTC"),
        top=top,
        total=totals.total,
        out_of=totals.out_of,
        week=bodyscan.sparkline(this_week, top=bodyscan.MAX_TOTAL),
        trend=_trend_words(this_week, before),
        scan_id=max(scans, key=lambda scan: scan.when).id,
    )


def _trend_words(this_week: list[int], before: list[int]) -> str:
    if not this_week or not before:
        return ""
    now, then = sum(this_week) / len(this_week), sum(before) / len(before)
    if now < then - 1:
        return "lighter than the week before"
    if now > then + 1:
        return "heavier than the week before"
    return "about the same as the week before"


def _level_word(bodyscan: ModuleType, value: int) -> str:
    level = bodyscan.LOAD_SCALE.level(value)
    return level.word if level else str(value)


def ago_words(when: DateTime, now: DateTime) -> str:
    """How long ago ``when`` was, in words that stay true on the calendar.

    By the clock's minutes under an hour ("just now", "1 minute ago", "25 minutes ago"), then by
    calendar day: "today at 09:10", "yesterday at 09:10" (a scan 38 hours ago is yesterday or
    the day before, never "1 day ago"), "2 days ago" up to 13, then the date ("on 3 November",
    with the year when it is not this one). The words change only on a minute's turn, so a
    screen that redraws them once a minute is always right."""
    zone = now.timezone or pendulum.UTC
    when = pendulum.instance(when).in_timezone(zone)
    minutes = int((now.set(second=0, microsecond=0) - when.set(second=0, microsecond=0)).total_seconds() // 60)
    if minutes < 1:
        return "just now"  # also a time ahead of this clock (another machine's)
    if minutes < 60:
        return "1 minute ago" if minutes == 1 else f"{minutes} minutes ago"
    days = (now.date() - when.date()).days
    if days == 0:
        return f"today at {when.format('HH:mm')}"
    if days == 1:
        return f"yesterday at {when.format('HH:mm')}"
    if days < 14:
        return f"{days} days ago"
    return "on " + when.format("D MMMM" if when.year == now.year else "D MMMM YYYY")
