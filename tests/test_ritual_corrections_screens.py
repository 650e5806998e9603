"""Issue 15, items 2-8 on the screens: what a person sees and does, driven with the Pilot."""

from __future__ import annotations

import pendulum
from textual.widgets import Input

from app.models import Colleague, Contact, Ritual, RitualEntry
from app.schedule import Schedule
from screens.colleagues.message import MessageDialog
from screens.rituals.detail import RitualDetail
from screens.rituals.form import RitualForm
from tests.conftest import wait_until
from tests.notices import Notices
from tests.screentext import screenshot_lines

SIZE = (80, 24)
TODAY = pendulum.date(2026, 11, 25)  # the `frozen` fixture's Wednesday
CREATED = pendulum.datetime(2026, 6, 1, 9, tz="UTC")
LONG = "Peer consultation circle for the north team"


def seed(store, *rituals: Ritual) -> list[Ritual]:
    store.update_settings(starters_offered=True)
    return [store.add(r) for r in rituals]


def text_of(app) -> str:
    return "\n".join(line.rstrip() for line in screenshot_lines(app))


async def test_the_list_names_each_ritual_once_and_uses_the_width(make_app, frozen) -> None:
    app = make_app("rituals")
    seed(app.store,
         Ritual(name=LONG, schedule=Schedule.daily().to_dict(), created=CREATED),
         Ritual(name="Walk", schedule=Schedule.on_days("thu").to_dict(), created=CREATED),
         Ritual(name="Case review", schedule=Schedule.monthly_on_day(20).to_dict(), created=CREATED))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        wide = text_of(app)
        assert LONG in wide  # the whole name at 120 columns
        for name in (LONG, "Walk", "Case review"):
            assert wide.count(name) == 1
    app = make_app("rituals")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        narrow = text_of(app)
        assert LONG not in narrow
        assert "Peer consultation cir\u2026 every day" in narrow  # cut, and the cut is marked
        assert narrow.count("Walk") == 1 and "All rituals" not in narrow


async def test_an_unreadable_schedule_shows_its_history_and_opens_as_stored(make_app, frozen) -> None:
    app = make_app("rituals")
    [odd] = seed(app.store, Ritual(name="Odd", schedule={"kind": "every blue moon"}, created=CREATED))
    app.store.add(RitualEntry(ritual_id=odd.id, day=pendulum.date(2026, 11, 20), note="full moon"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RitualDetail))
        shown = text_of(app)
        assert "Fri 20 Nov 2026  done" in shown and "full moon" in shown
        assert "cannot read this schedule" in shown
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, RitualForm))
        when = app.screen.query_one("#form-schedule", Input).value
        assert "every blue moon" in when and when != "every day"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RitualForm)  # saving it unchanged is refused...
    assert app.store.get(type(odd), odd.id).schedule == {"kind": "every blue moon"}  # ...and nothing changed


async def test_moving_along_the_heatmap_sets_any_past_day(make_app, frozen) -> None:
    app = make_app("rituals")
    [walk] = seed(app.store, Ritual(name="Walk", schedule=Schedule.daily().to_dict(), created=CREATED))
    app.store.add(RitualEntry(ritual_id=walk.id, day=pendulum.date(2026, 11, 17), status="done"))
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RitualDetail))
        await pilot.press("up", "up", "space")  # Monday 23 Nov
        await pilot.pause()
        await pilot.press("left", "backspace")  # Monday 16 Nov: nothing there, nothing changes
        await pilot.pause()
        await pilot.press("down", "backspace")  # Tuesday 17 Nov: cleared
        await pilot.pause()
        assert [(e.day, e.status) for e in app.store.all(RitualEntry)] == [(pendulum.date(2026, 11, 23), "done")]
        assert "Chosen: Tue 17 Nov, nothing logged" in text_of(app)
        await pilot.press("k")
        await pilot.pause()
        await pilot.press("enter")  # skip it, no reason
        await pilot.pause()
        assert {e.day: e.status for e in app.store.all(RitualEntry)}[pendulum.date(2026, 11, 17)] == "skipped"
        await pilot.press("u")
        await pilot.pause()
        assert pendulum.date(2026, 11, 17) not in {e.day for e in app.store.all(RitualEntry)}
        await pilot.press("right", "right")  # never past today
        await pilot.pause()
        assert notices.said("That day has not come yet.")


async def test_another_day_reads_short_dates_names_the_year_and_refuses_long_ago(make_app, frozen) -> None:
    app = make_app("rituals")
    seed(app.store, Ritual(name="Walk", schedule=Schedule.daily().to_dict(), created=pendulum.datetime(2025, 1, 1, tz="UTC")))
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        await pilot.press("d", *"2020-01-01", "enter")
        await pilot.pause()
        assert "more than a year ago" in text_of(app)  # the prompt says why and stays open
        assert app.store.all(RitualEntry) == []
        await pilot.press("escape", "d", *"28/11", "enter")
        await pilot.pause()
        [entry] = app.store.all(RitualEntry)
        assert entry.day == pendulum.date(2025, 11, 28)
        assert notices.said("Fri 28 Nov 2025")


async def test_pause_archive_and_restore_from_the_list(make_app, frozen) -> None:
    app = make_app("rituals")
    seed(app.store,
         Ritual(name="Team check-in", schedule=Schedule.daily().to_dict(), created=CREATED),
         Ritual(name="Walk", schedule=Schedule.daily().to_dict(), created=CREATED))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("p", *"in 2 weeks", "enter")  # Team check-in, the first listed
        await pilot.pause()
        [team] = [r for r in app.store.all(Ritual) if r.name == "Team check-in"]
        assert team.pauses == [[TODAY, pendulum.date(2026, 12, 9)]]
        shown = text_of(app)
        assert "paused" in shown and "1 due now" in shown  # only Walk is due
        await pilot.press("down", "z")  # archive Walk
        await pilot.pause()
        assert "Walk" not in text_of(app)
        assert [r.archived for r in app.store.all(Ritual) if r.name == "Walk"] == [True]
        await pilot.press("v")
        await pilot.pause()
        assert "Archived (z restores)" in text_of(app) and "Walk" in text_of(app)
        await pilot.press("end", "z")
        await pilot.pause()
        assert [r.archived for r in app.store.all(Ritual) if r.name == "Walk"] == [False]


async def test_no_score_yet_is_said_gently_in_the_detail(make_app, frozen) -> None:
    app = make_app("rituals")
    seed(app.store, Ritual(name="Walk", schedule=Schedule.daily().to_dict(), created=pendulum.datetime(2026, 11, 24, tz="UTC")))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert " new " in text_of(app) and "0%" not in text_of(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RitualDetail))
        shown = text_of(app)
        assert "Score shows once this has come round 3 more times." in shown
        assert "missed" not in shown


async def test_a_message_sent_from_the_colleagues_screen_ticks_the_linked_ritual(make_app, frozen) -> None:
    app = make_app("colleagues")
    ann = app.store.add(Colleague(name="Ann", role="peer", created=CREATED))
    [ritual] = seed(app.store, Ritual(name="Check in with Ann", colleague_ids=[ann.id], contact_kind="message",
                                      schedule=Schedule.on_days("wed").to_dict(), created=CREATED))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MessageDialog))
        await pilot.press("l")
        await pilot.pause()
        [contact] = app.store.all(Contact)
        [entry] = app.store.all(RitualEntry)
        assert contact.kind == "message"
        assert (entry.ritual_id, entry.day, entry.status) == (ritual.id, TODAY, "done")
        await pilot.press("m", "enter")  # a second message the same day ticks nothing more
        await wait_until(pilot, lambda: isinstance(app.screen, MessageDialog))
        await pilot.press("l")
        await pilot.pause()
        assert len(app.store.all(Contact)) == 2 and len(app.store.all(RitualEntry)) == 1


async def test_the_form_shows_what_an_everyday_phrase_was_read_as(make_app, frozen) -> None:
    app = make_app("rituals")
    seed(app.store, Ritual(name="Walk", schedule=Schedule.daily().to_dict(), created=CREATED))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, RitualForm))
        await pilot.press(*"Supervision", "tab", *"every other week on Thursday at 4pm")
        await pilot.pause()
        assert "Reads as: every 2nd Thursday at 16:00" in text_of(app)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, RitualForm))
    [saved] = [r for r in app.store.all(Ritual) if r.name == "Supervision"]
    schedule = Schedule.from_dict(saved.schedule)
    assert (schedule.weekdays, schedule.every, str(schedule.time)) == ((3,), 2, "16:00:00")


async def test_later_rituals_are_listed_soonest_first(make_app, frozen) -> None:  # type: ignore[no-untyped-def]
    """Beyond the next seven days the list goes by date, not by name (the 3-year data listed
    "Case review, in 4 weeks" above "Supervision, in 1 week")."""
    app = make_app("rituals")
    seed(app.store,
         Ritual(name="A monthly review", schedule=Schedule.monthly_on_day(20).to_dict(), created=frozen),
         Ritual(name="B on the 10th", schedule=Schedule.monthly_on_day(10).to_dict(), created=frozen),
         Ritual(name="C paused", schedule=Schedule.daily().to_dict(), created=CREATED,
                pauses=[[TODAY.subtract(days=1), TODAY.add(days=20)]]))  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = [line for line in text_of(app).splitlines() if line.strip().startswith(("A monthly", "B on", "= C paused"))]
        assert [row.split()[0 if not row.startswith("=") else 1] for row in rows] == ["B", "A", "C"]
