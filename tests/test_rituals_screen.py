"""The rituals screen, driven with the Pilot: mark, skip, undo, another day, linked colleagues,
the starter offer, add/edit/delete and hostile names."""

from __future__ import annotations

import pendulum
import pytest

from app.models import Colleague, Contact, Ritual, RitualEntry
from app.schedule import Schedule
from tests.conftest import HOSTILE
from tests.screentext import screenshot_lines

SIZE = (80, 24)
TODAY = pendulum.date(2026, 11, 25)  # the `frozen` fixture's Wednesday


def seed(store, *rituals: Ritual) -> list[Ritual]:
    store.update_settings(starters_offered=True)
    return [store.add(r) for r in rituals]


def entries(store) -> list[RitualEntry]:
    return store.all(RitualEntry)


def screen_text(app) -> str:
    return "\n".join(line.rstrip() for line in screenshot_lines(app))


async def test_space_marks_the_highlighted_ritual_done_today(make_app, frozen) -> None:
    app = make_app("rituals")
    seed(app.store, Ritual(name="Team check-in", schedule=Schedule.daily().to_dict()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "due today" in screen_text(app)
        await pilot.press("space")
        await pilot.pause()
        [entry] = entries(app.store)
        assert (entry.day, entry.status) == (TODAY, "done")
        assert "# Team check-in" in screen_text(app)
        assert "Nothing due right now." in screen_text(app)
        # Pressing it again does not add a second entry for the day.
        await pilot.press("space")
        await pilot.pause()
        assert len(entries(app.store)) == 1


async def test_skip_with_a_reason_then_undo(make_app, frozen) -> None:
    app = make_app("rituals")
    seed(app.store, Ritual(name="Supervision", schedule=Schedule.daily().to_dict()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        await pilot.press(*"away", "enter")
        await pilot.pause()
        [entry] = entries(app.store)
        assert (entry.status, entry.note) == ("skipped", "away")
        assert app.screen.query_one("#rituals-list") is not None
        assert "/ Supervision" in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert entries(app.store) == []
        assert "due today" in screen_text(app)


async def test_skip_names_the_ritual_and_over_a_done_day_asks_first_and_esc_keeps_the_done(make_app, frozen) -> None:
    from screens.dialogs import TextPrompt

    app = make_app("rituals")
    seed(app.store, Ritual(name="Supervision [/]", schedule=Schedule.daily().to_dict()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt) and app.screen.question.plain.startswith("Skip Supervision [/] today.")
        await pilot.press("escape", "space")  # not skipped after all: done instead
        await pilot.pause()
        await pilot.press("k")  # a slip of the finger on the same row
        await pilot.pause()
        assert app.screen.question.plain.startswith("Supervision [/] is marked done for today. Skip it instead?")
        await pilot.press("escape")
        await pilot.pause()
        assert [(e.day, e.status) for e in entries(app.store)] == [(TODAY, "done")]  # kept
        await pilot.press("k", "enter")  # asked, and meant: the skip takes its place
        await pilot.pause()
        assert [(e.day, e.status) for e in entries(app.store)] == [(TODAY, "skipped")]


async def test_s_always_goes_to_the_body_scan(make_app, frozen) -> None:
    app = make_app("rituals")
    seed(app.store, Ritual(name="Supervision", schedule=Schedule.daily().to_dict()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert app.current_mode == "scan"


async def test_undo_takes_back_a_done_and_then_the_one_before(make_app, frozen) -> None:
    app = make_app("rituals")
    seed(app.store, Ritual(name="A", schedule=Schedule.daily().to_dict()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.press(*"yesterday", "enter")
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert sorted(e.day for e in entries(app.store)) == [TODAY.subtract(days=1), TODAY]
        await pilot.press("u")
        await pilot.pause()
        assert [e.day for e in entries(app.store)] == [TODAY.subtract(days=1)]
        await pilot.press("u")
        await pilot.pause()
        assert entries(app.store) == []


@pytest.mark.parametrize(("typed", "expected"), [("yesterday", 1), ("3 days ago", 3), ("2026-11-20", 5)])
async def test_done_on_another_day(make_app, frozen, typed: str, expected: int) -> None:
    app = make_app("rituals")
    seed(app.store, Ritual(name="Debrief", schedule=Schedule.daily().to_dict()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await pilot.press(*typed, "enter")
        await pilot.pause()
        [entry] = entries(app.store)
        assert (entry.day, entry.status) == (TODAY.subtract(days=expected), "done")


async def test_a_day_in_the_future_is_refused_kindly(make_app, frozen) -> None:
    app = make_app("rituals")
    seed(app.store, Ritual(name="Debrief", schedule=Schedule.daily().to_dict()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await pilot.press(*"tomorrow", "enter")
        await pilot.pause()
        assert "has not happened yet" in screen_text(app)
        assert entries(app.store) == []
        await pilot.press("escape")


async def test_done_logs_a_contact_with_linked_colleagues(make_app, frozen) -> None:
    app = make_app("rituals")
    sam = app.store.add(Colleague(name="Sam", role="supervisor"))
    ann = app.store.add(Colleague(name="Ann", role="peer"))
    seed(app.store, Ritual(name="Supervision", schedule=Schedule.daily().to_dict(), colleague_ids=[sam.id]),
         Ritual(name="Walk with Ann", schedule=Schedule.on_days("fri").to_dict(), colleague_ids=[ann.id],
                contact_kind="coffee"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("space")  # Supervision: due now, highlighted first
        await pilot.pause()
        [contact] = app.store.all(Contact)
        assert (contact.colleague_id, contact.kind, contact.when) == (sam.id, "supervision", frozen)
        # A skip logs no contact; a done on another day logs one at noon that day.
        app.screen.query_one("#rituals-list").highlighted = next(
            i for i in range(app.screen.query_one("#rituals-list").option_count)
            if app.screen.query_one("#rituals-list").get_option_at_index(i).id.endswith("-2"))
        await pilot.press("d", *"2026-11-20", "enter")
        await pilot.pause()
        later = [c for c in app.store.all(Contact) if c.colleague_id == ann.id]
        assert [(c.kind, c.when.date(), c.when.hour) for c in later] == [("coffee", pendulum.date(2026, 11, 20), 12)]
        await pilot.press("u")
        await pilot.pause()
        assert [c.colleague_id for c in app.store.all(Contact)] == [sam.id]


async def test_starters_are_offered_once_and_only_chosen_ones_are_added(make_app, frozen) -> None:
    from tests.notices import Notices

    app = make_app("rituals")
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert "A few rituals to begin with" in screen_text(app)
        await pilot.press("enter")  # nothing picked yet: nothing added
        await pilot.pause()
        assert app.store.all(Ritual) == []
        await pilot.press("space", "down", "down", "space", "enter")
        await pilot.pause()
        names = sorted(r.name for r in app.store.all(Ritual))
        assert names == ["Supervision", "Team check-in"]
        assert notices.said("Added 2 rituals. u undoes it.")
        # The highlight is on the one nearer the top (due sooner), whichever was picked first.
        listing = app.screen.query_one("#rituals-list")
        rows = [listing.get_option_at_index(i) for i in range(listing.option_count)]
        first = next(o for o in rows if not o.disabled)
        assert listing.highlighted == rows.index(first)
        assert "Supervision" in str(first.prompt)
        assert app.store.settings().starters_offered
        supervision = next(r for r in app.store.all(Ritual) if r.name == "Supervision")
        assert Schedule.from_dict(supervision.schedule).start == pendulum.date(2026, 11, 26)


async def test_declining_the_starters_adds_nothing_and_does_not_ask_again(make_app, frozen) -> None:
    app = make_app("rituals")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.store.all(Ritual) == []
        assert app.store.settings().starters_offered
        assert "No rituals yet" in screen_text(app)


async def test_the_starters_can_be_asked_for_again_later_and_only_missing_ones_are_offered(make_app, frozen) -> None:  # type: ignore[no-untyped-def]
    app = make_app("rituals")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        await pilot.press("n")  # declined on the first visit
        await pilot.pause()
        assert "or i for a few ideas" in screen_text(app)
        await pilot.press("i")  # changed their mind
        await pilot.pause()
        assert "A few rituals to begin with" in screen_text(app)
        await pilot.press("space", "enter")  # the first: Team check-in
        await pilot.pause()
        assert [r.name for r in app.store.all(Ritual)] == ["Team check-in"]
        await pilot.press("i")
        await pilot.pause()
        assert "A few rituals to begin with" in screen_text(app)
        assert "Team check-in" not in screen_text(app)  # already there, so not offered
        await pilot.press("escape")  # "later" when asked for: back to the list, not to Today
        await pilot.pause()
        assert app.current_mode == "rituals" and "A few rituals to begin with" not in screen_text(app)
        assert len(app.store.all(Ritual)) == 1


async def test_a_starter_can_be_edited_before_it_is_added(make_app, frozen) -> None:
    from tests.notices import Notices

    app = make_app("rituals")
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        name = app.screen.query_one("#form-name")
        name.value = "Monday huddle"
        app.screen.query_one("#form-schedule").value = "mon and thu"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "[x] Monday huddle" in screen_text(app)
        # An edit picks it, and says so: space here would unpick it again.
        assert "Monday huddle is changed and picked. Enter adds what is picked." in notices.messages()
        await pilot.press("enter")
        await pilot.pause()
        [ritual] = app.store.all(Ritual)
        assert ritual.name == "Monday huddle"
        assert Schedule.from_dict(ritual.schedule) == Schedule.on_days("mon", "thu")


def rituals_offer_made(make_app):  # type: ignore[no-untyped-def]
    """The rituals screen with the starter offer already made (so a opens the form at once)."""
    app = make_app("rituals")
    app.store.update_settings(starters_offered=True)
    return app


async def open_new_form(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("a")
    await pilot.pause()


async def test_add_edit_and_delete_with_confirmation(make_app, frozen) -> None:
    app = rituals_offer_made(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await open_new_form(pilot)
        await pilot.press(*"Peer circle", "tab", *"every 2nd tuesday", "enter")
        await pilot.pause()
        [ritual] = app.store.all(Ritual)
        schedule = Schedule.from_dict(ritual.schedule)
        assert (ritual.name, schedule.every, schedule.weekdays, schedule.start) == ("Peer circle", 2, (1,), TODAY)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#form-schedule").value = "whenever"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "could not read that as a schedule" in screen_text(app)
        app.screen.query_one("#form-schedule").value = "monthly on the 31st"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Schedule.from_dict(app.store.get(Ritual, ritual.id).schedule) == Schedule.monthly_on_day(31, start=TODAY)
        app.store.add(RitualEntry(ritual_id=ritual.id, day=TODAY, status="done"))
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("n")  # keep it
        await pilot.pause()
        assert len(app.store.all(Ritual)) == 1
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.store.all(Ritual) == [] and entries(app.store) == []
        await pilot.press("u")
        await pilot.pause()
        [back] = app.store.all(Ritual)
        assert back.name == "Peer circle" and [e.ritual_id for e in entries(app.store)] == [back.id]


async def test_detail_shows_heatmap_history_and_acts_on_the_ritual(make_app, frozen) -> None:
    app = make_app("rituals")
    [ritual] = seed(app.store, Ritual(name="Supervision", schedule=Schedule.daily().to_dict(),
                                      created=pendulum.datetime(2026, 9, 1, tz="UTC")))
    app.store.add(RitualEntry(ritual_id=ritual.id, day=TODAY.subtract(days=1), status="skipped", note="ill"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "# done  / skipped  o not logged" in text
        assert "Mon" in text and "Score" in text and "ill" in text
        await pilot.press("space")
        await pilot.pause()
        assert [e.status for e in entries(app.store) if e.day == TODAY] == ["done"]
        assert "Wed 25 Nov 2026  done" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "# Supervision" in screen_text(app)


async def test_quarterly_is_answered_as_it_is_typed_with_the_weeks_that_come_close(make_app, frozen) -> None:
    """The form reads the schedule as it is typed; "quarterly" is complete, so what Tend
    offers instead shows at once (not "keep typing"), whole at 80x24, and saving adds nothing."""
    app = rituals_offer_made(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await open_new_form(pilot)
        await pilot.press(*"Case review", "tab", *"quarterly")
        await pilot.pause()
        shown = " ".join(line.strip(" │") for line in screenshot_lines(app))
        assert "keep typing" not in shown
        assert "Close to it: every 13 weeks, or 13 weeks after the last time." in " ".join(shown.split())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store.all(Ritual) == []


async def test_the_streak_can_be_hidden(make_app, frozen) -> None:
    app = make_app("rituals")
    seed(app.store, Ritual(name="A", schedule=Schedule.daily().to_dict()))
    app.store.update_settings(show_streak=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Streak" not in screen_text(app)


async def test_hostile_names_are_shown_as_plain_text(make_app, frozen) -> None:
    app = make_app("rituals")
    seed(app.store, *(Ritual(name=text or "x", schedule=Schedule.daily().to_dict(), note=text) for text in HOSTILE))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.is_running
        await pilot.press("space", "enter")
        await pilot.pause()
        await pilot.press("escape", "down", "down", "enter")
        await pilot.pause()
        assert app.is_running


async def test_a_day_before_the_ritual_was_made_still_counts(make_app, frozen) -> None:
    app = make_app("rituals")
    seed(app.store, Ritual(name="Message Ann", schedule=Schedule.every_n_days(7).to_dict()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "due today" in screen_text(app)
        await pilot.press("d", *"3 days ago", "enter")
        await pilot.pause()
        assert "in 4 days" in screen_text(app)


async def test_leaving_the_offer_is_not_declining_it(make_app, frozen) -> None:
    app = make_app("rituals")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_mode == "today" and not app.store.settings().starters_offered
        await pilot.press("r")
        await pilot.pause()
        await pilot.pause()
        assert "A few rituals to begin with" in screen_text(app)
        await pilot.press("b")  # the other screens stay one key away
        await pilot.pause()
        assert app.current_mode == "breathe"
        assert app.store.all(Ritual) == []


@pytest.fixture
def footer_rebuilds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Grows by one each time a footer rebuilds its keys."""
    from textual.widgets import Footer

    rebuilt: list[int] = []
    original = Footer.recompose

    async def counting(self):  # type: ignore[no-untyped-def]
        rebuilt.append(1)
        return await original(self)

    monkeypatch.setattr(Footer, "recompose", counting)
    return rebuilt


async def test_the_footer_is_rebuilt_only_when_its_keys_change(make_app, store, frozen, footer_rebuilds) -> None:  # type: ignore[no-untyped-def]
    """Moving along the list keeps the same keys, so the footer is left alone (Textual
    rebuilds every key on each refresh); marking one done makes Undo work, and it shows."""
    seed(store, Ritual(name="Walk", schedule={"kind": "daily"}), Ritual(name="Write", schedule={"kind": "daily"}))
    app = make_app("rituals")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        footer = lambda: " ".join(k.description for k in app.screen.query("FooterKey") if not k.disabled)  # noqa: E731
        assert "Undo" not in footer() and "Done" in footer()
        before = len(footer_rebuilds)
        await pilot.press("down", "down", "up")
        await pilot.pause()
        assert len(footer_rebuilds) == before
        await pilot.press("space")
        await pilot.pause()
        await pilot.pause()
        assert len(footer_rebuilds) > before and "Undo" in footer()


async def test_several_binding_changes_in_one_frame_rebuild_the_footer_once(make_app, store, frozen, footer_rebuilds) -> None:  # type: ignore[no-untyped-def]
    from screens.base import TendFooter
    from screens.rituals import Change

    seed(store, Ritual(name="Walk", schedule={"kind": "daily"}))
    app = make_app("rituals")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen.query_one(TendFooter), TendFooter)
        before = len(footer_rebuilds)
        for _ in range(3):  # told three times, nothing changed: nothing to rebuild
            app.screen.bindings_updated_signal.publish(app.screen)
        await pilot.pause()
        assert len(footer_rebuilds) == before
        app.screen.undo_stack.append(Change("a change", lambda: None))  # Undo now works,
        app.screen.refresh_bindings()  # and the screen says so
        for _ in range(2):  # as focus and the stack would, in the same frame
            app.screen.bindings_updated_signal.publish(app.screen)
        await pilot.pause()
        await pilot.pause()
        assert len(footer_rebuilds) == before + 1
        assert "Undo" in " ".join(k.description for k in app.screen.query("FooterKey") if not k.disabled)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_detail_names_its_day_keys_in_one_piece_and_holds_still_as_the_day_moves(make_app, frozen, size) -> None:
    app = make_app("rituals")
    [ritual] = seed(app.store, Ritual(name="Team check-in", schedule=Schedule.daily().to_dict(), created=frozen.subtract(days=60)))
    app.store.add(RitualEntry(ritual_id=ritual.id or 0, day=TODAY.subtract(days=2), status="done"))
    keys = "arrows choose a day; space, k, backspace set it"
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        rows = []
        for step in ("", "left", "up", "left"):  # today, then days with longer words
            if step:
                await pilot.press(step)
                await pilot.pause()
            lines = [line.strip() for line in screen_text(app).splitlines()]
            chosen = next(i for i, line in enumerate(lines) if line.startswith("Chosen:"))
            together = lines[chosen].endswith(keys)
            assert together or lines[chosen + 1] == keys  # never "space, k," then "backspace set it"
            assert together == (size[0] >= 120)
            rows.append((chosen, lines.index("Recently")))
        assert len(set(rows)) == 1  # the lines below do not jump as the chosen day's words change


async def test_enter_opens_a_ritual_and_says_so_in_the_footer_the_help_and_the_palette(make_app, frozen) -> None:
    from app.tui import screen_commands
    from screens.help import describe_keys
    from screens.rituals.detail import RitualDetail

    app = make_app("rituals")
    seed(app.store, Ritual(name="Supervision", schedule=Schedule.daily().to_dict()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert screen_text(app).splitlines()[-1].lstrip().startswith("⏎ Open")
        assert ("⏎", "Open it: its heatmap, days and history") in describe_keys(app.screen)
        assert any(c.title == "Open it: its heatmap, days and history" and c.key == "⏎" for c in screen_commands(app.screen))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RitualDetail)


async def test_a_day_before_a_ritual_began_asks_first_in_plain_words(make_app, frozen) -> None:
    from screens.dialogs import ConfirmDialog

    app = make_app("rituals")
    seed(app.store, Ritual(name="Debrief", schedule=Schedule.daily().to_dict(), created=frozen))  # added today
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # its detail
        await pilot.pause()
        await pilot.press("left", "left", "space")  # two weeks back (a few days' grace ask nothing), done
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question.plain == "Debrief was added today. Mark it done for Wed 11 Nov anyway?"  # not "added on today"


async def test_one_ritual_added_is_named_in_the_note(make_app, frozen) -> None:
    from tests.notices import Notices

    app = make_app("rituals")
    seed(app.store, Ritual(name="Walk", schedule=Schedule.daily().to_dict()))
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Tea [/] break", "tab", *"every day", "enter")
        await pilot.pause()
        assert notices.said("Added Tea [/] break. u undoes it.")  # which one, not "Added it."


@pytest.mark.parametrize("width", [60, 80, 120])
async def test_the_legend_shows_whole_marks_only(make_app, frozen, width) -> None:
    app = make_app("rituals")
    seed(app.store, *(Ritual(name=f"Circle {n}", schedule=Schedule.on_days("thu").to_dict()) for n in range(3)))
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        line = screen_text(app).splitlines()[2].strip()
        assert line.startswith("Nothing due now · 3 coming up this week")
        legend = line.removeprefix("Nothing due now · 3 coming up this week").strip()
        whole = ["", "* due", "* due  # done today", "* due  # done today  / skipped", "* due  # done today  / skipped  = paused"]
        assert legend in whole, line  # never cut mid-mark, as "/ skipped  =" was at 80 columns
        assert ("= paused" in line) == (width >= 100)
