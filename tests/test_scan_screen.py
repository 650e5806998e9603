"""The body scan screen, driven with the keyboard as a person would, plus its snapshots."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pendulum
import pytest
from textual.widgets import Input, OptionList

from app import bodyscan as bs
from app.models import BodyScan, Colleague, Contact
from screens.dialogs import CloseUnsavedDialog
from screens.scan import CheckInDialog, ResumeDialog, ScanScreen
from tests.conftest import HOSTILE
from tests.screentext import screenshot_lines

SIZE = (80, 24)
QUICK_ROW = "12301230" "2" "10203"  # every item, one key each
QUICK_RATINGS = dict(zip(bs.ITEM_KEYS, [1, 2, 3, 0, 1, 2, 3, 0, 2, 1, 0, 2, 0, 3]))


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """Everything on the terminal, as text (what a person reads)."""
    return "\n".join(screenshot_lines(app))


def scans(store) -> list[BodyScan]:  # type: ignore[no-untyped-def]
    return store.all(BodyScan)


def seed_history(store, now: pendulum.DateTime) -> None:  # type: ignore[no-untyped-def]
    """Three weeks of scans on some days, shoulders creeping up and sleep wobbling."""
    for i, days_ago in enumerate([1, 2, 4, 6, 9, 12, 15, 20, 27]):
        store.add(
            BodyScan(
                when=now.subtract(days=days_ago).at(12, 15),
                ratings={
                    "jaw": i % 3,
                    "neck": min(3, 3 - i // 3),
                    "chest": 1 + i % 2,
                    "breath": i % 2,
                    "sleep": 1 + i % 3,
                    "weight": i % 4,
                    "fog": 1,
                },
            )
        )


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(ScanScreen, "clock", staticmethod(fake))
    return fake


# --------------------------------------------------------------------------- quick scan


async def test_a_whole_quick_scan_is_one_row_of_key_presses(make_app, store) -> None:  # type: ignore[no-untyped-def]
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Jaw and face" in screen_text(app) and "1 of 14" in screen_text(app)
        await pilot.press(*QUICK_ROW)
        await pilot.pause()
        assert app.screen.view == "summary"
        text = screen_text(app)
        assert "Where it sits now: chest (strong), back (strong), tension (strong)" in text
        assert "Your first scan" in text and "Sleep: ok." in text
        assert "Total" not in text and " of 39" not in text  # where things sit, never a score
    [saved] = scans(store)
    assert saved.ratings == QUICK_RATINGS and saved.mode == "quick" and saved.skipped == []
    assert store.draft("scan") is None


async def test_words_are_marked_with_their_letter_and_saved(make_app, store) -> None:  # type: ignore[no-untyped-def]
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", "z", "h")
        await pilot.pause()
        assert "i [tight]" in screen_text(app) and "z [buzzing]" in screen_text(app)
        await pilot.press("h", "2", "d")
        await pilot.pause()
    [saved] = scans(store)
    assert saved.sensations == {"jaw": ["tight", "buzzing"]}
    assert saved.ratings == {"jaw": 2}


async def test_skip_and_back(make_app, store) -> None:  # type: ignore[no-untyped-def]
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "s", "3")  # jaw 2, skip the shoulders, chest 3
        await pilot.pause()
        assert "Breath" in screen_text(app) and "4 of 14" in screen_text(app)
        await pilot.press("left", "backspace")
        await pilot.pause()
        text = screen_text(app)
        assert "Neck and shoulders" in text and "2 of 14" in text
        assert "[_]" in text  # the shoulders are still unrated, and marked as where we are
        await pilot.press("left")
        await pilot.pause()
        assert "[2 noticeable]" in screen_text(app)  # going back shows what was said
        await pilot.press("left")  # nothing before the first item
        await pilot.press("right", "right", "right", "1", "d")
        await pilot.pause()
        assert app.screen.view == "summary"
    [saved] = scans(store)
    assert saved.ratings == {"jaw": 2, "chest": 3, "breath": 1}
    assert "neck" in saved.skipped and "sleep" in saved.skipped


async def test_zero_does_nothing_on_sleep_and_the_scale_says_so(make_app) -> None:  # type: ignore[no-untyped-def]
    from tests.notices import Notices

    app = make_app("scan")
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.press(*"00000000")
        await pilot.pause()
        assert "Last night's sleep" in screen_text(app)
        assert "1 poor" in screen_text(app) and "3 good" in screen_text(app)
        assert not notices.said("is rated")  # the body items took their 0s
        await pilot.press("0", "4", "9")
        await pilot.pause()
        assert "Last night's sleep" in screen_text(app)
        assert notices.said("Last night's sleep is rated 1 to 3.")  # why nothing happened
        await pilot.press("1")
        await pilot.pause()
        assert "Weight of clients' pain" in screen_text(app)


async def test_finishing_with_nothing_rated_saves_nothing(make_app, store) -> None:  # type: ignore[no-untyped-def]
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert "nothing was saved" in screen_text(app)
    assert scans(store) == []


async def test_the_app_keys_still_work_mid_scan_and_the_scan_waits(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "1")
        for key, mode in [("t", "today"), ("s", "scan"), ("b", "breathe"), ("s", "scan"), ("c", "colleagues"), ("s", "scan"), ("r", "rituals"), ("s", "scan")]:
            await pilot.press(key)
            await pilot.pause()
            assert app.current_mode == mode
        assert "Chest and heart" in screen_text(app)
        assert app.screen.state.ratings == {"jaw": 2, "neck": 1}
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_mode == "today"


# --------------------------------------------------------------------------- notes


async def test_a_note_is_typed_kept_and_cleaned(make_app, store) -> None:  # type: ignore[no-untyped-def]
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press(*"after 2pm", "enter")  # letters and digits go to the note, not the scan
        await pilot.pause()
        assert app.screen.state.index == 0 and app.screen.state.ratings == {}
        assert "Note: after 2pm" in screen_text(app)
        assert store.draft("scan")["notes"] == {"jaw": "after 2pm"}
        await pilot.press("e", "escape")  # nothing typed: escape closes at once
        await pilot.pause()
        assert not isinstance(app.focused, Input) and not isinstance(app.screen, CloseUnsavedDialog)
        await pilot.press("e", "end", *" and more", "escape")  # typed: escape asks first
        await pilot.pause()
        assert isinstance(app.screen, CloseUnsavedDialog)
        await pilot.press("n")  # keep editing: the typing is all there
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.value == "after 2pm and more"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")  # close without saving: the note is as it was
        await pilot.pause()
        assert app.screen.state.note() == "after 2pm"
        assert store.draft("scan")["notes"] == {"jaw": "after 2pm"}
        assert app.current_mode == "scan" and not isinstance(app.focused, Input)
        await pilot.press("2")  # keys belong to the scan again
        await pilot.pause()
        assert app.screen.state.ratings == {"jaw": 2}


async def test_any_note_is_stored_clean_and_shown_as_text(make_app, store) -> None:  # type: ignore[no-untyped-def]
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        for text in HOSTILE:
            await pilot.press("e")
            await pilot.pause()
            app.screen.query_one("#item-note-input", Input).value = text
            await pilot.press("enter")
            await pilot.pause()
            note = app.screen.state.note()
            assert "\x1b" not in note and "\n" not in note and len(note) <= bs.NOTE_LIMIT
            assert app.is_running and app.current_mode == "scan"
            assert (store.draft("scan") or {}).get("notes", {}).get("jaw", "") == note  # no draft when empty
        await pilot.press("2", "d")
        await pilot.pause()
        assert app.screen.view == "summary"
    [saved] = scans(store)
    assert saved.notes.get("jaw", "") == note


# --------------------------------------------------------------------------- drafts


async def test_leaving_mid_way_and_coming_back_resumes_the_draft(make_app, store) -> None:  # type: ignore[no-untyped-def]
    first = make_app("scan")
    async with first.run_test(size=SIZE) as pilot:
        await pilot.press("2", "i", "1", "3")
        await pilot.pause()
    # The app is gone (closed, or the connection dropped); the draft is on disk.
    assert store.draft("scan")["ratings"] == {"jaw": 2, "neck": 1, "chest": 3}

    again = make_app("scan")
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, ResumeDialog)
        assert "breath (4 of 14)" in screen_text(again)
        await pilot.press("enter")
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, ScanScreen)
        assert "Breath" in screen_text(again) and "4 of 14" in screen_text(again)
        assert screen.state.words("neck") == ("tight",)  # quick mode had moved on to neck
        await pilot.press(*"0123", "0", "2", *"10203")
        await pilot.pause()
    [saved] = scans(store)
    assert saved.ratings == {**QUICK_RATINGS, "jaw": 2, "neck": 1}
    assert saved.sensations == {"neck": ["tight"]}
    assert store.draft("scan") is None


async def test_starting_fresh_puts_the_draft_away(make_app, store) -> None:  # type: ignore[no-untyped-def]
    store.save_draft("scan", {**bs.ScanState.new().to_dict(), "index": 5, "ratings": {"jaw": 3}})
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.state.index == 0 and app.screen.state.ratings == {}
        assert "Jaw and face" in screen_text(app)
    assert store.draft("scan") is None


async def test_escape_on_the_offer_keeps_the_draft(make_app, store) -> None:  # type: ignore[no-untyped-def]
    store.save_draft("scan", {**bs.ScanState.new().to_dict(), "index": 2, "ratings": {"jaw": 3}})
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.state.ratings == {"jaw": 3} and app.screen.state.index == 2


async def test_a_damaged_or_empty_draft_is_not_offered(make_app, store) -> None:  # type: ignore[no-untyped-def]
    store.save_draft("scan", {"index": "lots", "ratings": {"jaw": 99}, "notes": 5})
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ScanScreen)
        assert "Jaw and face" in screen_text(app)


async def test_quitting_saves_the_draft(make_app, store) -> None:  # type: ignore[no-untyped-def]
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.pause()
        app.screen.state.toggle("calm")  # a change not yet written
        await pilot.press("q")
        await pilot.pause()
    assert store.draft("scan")["sensations"] == {"neck": ["calm"]}


@pytest.mark.slow
def test_a_dropped_ssh_connection_keeps_the_scan(tmp_path: Path) -> None:
    from tests.ptyrun import PtyProcess

    data = tmp_path / "d"
    process = PtyProcess.tend("--data", str(data), "scan")
    try:
        assert process.wait_for(b"Jaw and face"), process.output[-2000:]
        process.send(b"2")
        assert process.wait_for(b"Neck and shoulders")
        process.send(b"1")
        assert process.wait_for(b"Chest and heart")
        os.kill(process.pid, signal.SIGHUP)
        assert process.wait_exit(3.0) is not None
    finally:
        process.kill()
    drafts = json.loads((data / "tend.json").read_text())["drafts"]
    [draft] = [d["data"] for d in drafts.values() if d["key"] == "scan"]
    assert draft["ratings"] == {"jaw": 2, "neck": 1} and draft["index"] == 2

    process = PtyProcess.tend("--data", str(data), "scan")
    try:
        assert process.wait_for(b"A scan is waiting"), process.output[-2000:]
    finally:
        process.kill()


# --------------------------------------------------------------------------- guided


async def test_a_guided_scan_paces_itself_and_space_holds(make_app, store, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    app = make_app("scan", guided=True, seconds=5)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert "guided" in screen_text(app) and "next in 5 s" in screen_text(app)
        clock.advance(2)
        screen.tick()
        await pilot.pause()
        assert "next in 3 s" in screen_text(app)
        await pilot.press("2", "i")  # rating in guided mode stays on the item
        assert screen.state.index == 0
        clock.advance(3)
        screen.tick()
        await pilot.pause()
        assert screen.state.index == 1 and "Neck and shoulders" in screen_text(app)
        assert "next in 5 s" in screen_text(app)

        await pilot.press("space")
        clock.advance(600)
        screen.tick()
        await pilot.pause()
        assert screen.state.index == 1 and "held" in screen_text(app)
        await pilot.press("space")
        clock.advance(4)
        screen.tick()
        assert screen.state.index == 1
        clock.advance(1)
        screen.tick()
        assert screen.state.index == 2

        await pilot.press("left")  # going back gives the item its full time again
        await pilot.pause()
        assert screen.state.index == 1 and "next in 5 s" in screen_text(app)
        for _ in range(len(bs.ITEMS) - 1):
            clock.advance(5)
            screen.tick()
        await pilot.pause()
        assert screen.view == "summary"
    [saved] = scans(store)
    assert saved.mode == "guided" and saved.ratings == {"jaw": 2}
    assert saved.sensations == {"jaw": ["tight"]}


async def test_the_countdown_waits_while_something_covers_the_scan(make_app, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    app = make_app("scan", guided=True, seconds=5)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        clock.advance(2)
        await pilot.press("question_mark")  # the keys, read at leisure
        await pilot.pause()
        clock.advance(300)
        screen.tick()
        await pilot.press("escape")
        await pilot.pause()
        assert screen.state.index == 0 and "next in 3 s" in screen_text(app)
        await pilot.press("t")  # away to Today and back
        clock.advance(300)
        await pilot.press("s")
        await pilot.pause()
        screen.tick()
        assert screen.state.index == 0
        await pilot.press("space")  # a hold of one's own stays after a detour
        await pilot.press("question_mark", "escape")
        await pilot.pause()
        clock.advance(60)
        screen.tick()
        assert screen.state.index == 0 and screen.pacer.held
        await pilot.press("space")
        clock.advance(3)
        screen.tick()
        assert screen.state.index == 1


async def test_the_command_line_starts_a_guided_scan(make_app, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    from app.cli import build_parser, start_options

    options = start_options(build_parser().parse_args(["scan", "--guided", "--seconds", "6"]))
    app = make_app("scan", options=options)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.state.mode == "guided" and "next in 6 s" in screen_text(app)
    quick = make_app("scan", options=start_options(build_parser().parse_args(["scan"])))
    async with quick.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert quick.screen.state.mode == "quick" and "Quick: a number rates" in screen_text(quick)


async def test_g_switches_pace_mid_scan(make_app, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "g")
        await pilot.pause()
        screen = app.screen
        assert screen.state.mode == "guided" and "next in 8 s" in screen_text(app)
        await pilot.press("2")
        assert screen.state.index == 1  # guided: the number does not move on
        await pilot.press("g", "3")
        await pilot.pause()
        assert screen.state.mode == "quick" and screen.state.index == 2


# --------------------------------------------------------------------------- summary, next steps


async def test_summary_compares_with_the_last_scan_and_draws_trends(make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    seed_history(store, frozen)
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*QUICK_ROW)
        await pilot.pause()
        text = screen_text(app)
        # Like with like: the six items rated both times, in words.
        words = " ".join(text.split())
        assert "Since last time: heavier overall. Eased: shoulders, fog. Heavier: jaw, chest, weight." in words
        jaw = next(line for line in text.splitlines() if line.startswith(" jaw "))
        assert "#.." in jaw and "^ higher" in jaw
        # Days with a scan, oldest first, today last: 14 days, then 30.
        assert "▒░·▒░·░  " in jaw and jaw.rstrip().endswith("▒░·▒░·▒░·░")


async def test_high_signals_offer_the_colleague_most_due_with_a_message(make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    store.add(Colleague(name="Ann", ideal_days=30, role="other"))  # reached lately, a role less fit to ask
    sam = store.add(Colleague(name="Sam [/] O'Brien", ideal_days=7))
    ann = store.all(Colleague)[0]
    store.add(Contact(colleague_id=ann.id, when=frozen.subtract(days=2)))
    store.add(Contact(colleague_id=sam.id, when=frozen.subtract(days=20)))
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"00000000", "2", "3", "2")  # body quiet, sleep ok, strong weight
        await pilot.press("d")
        await pilot.pause()
        text = screen_text(app)
        assert " 1  Check in with someone  Send Sam [/] O'Brien a check-in" in text
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, CheckInDialog)
        assert "Hi Sam, today was a heavy one" in screen_text(app)  # the name he is called by
        await pilot.press("y")
        assert app.clipboard.startswith("Hi Sam, today was a heavy one")
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.message.startswith("Hi Sam, could we find a time")
        assert "Hi Sam, could we find a time" in screen_text(app)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, ScanScreen)
    logged = [c for c in store.all(Contact) if c.colleague_id == sam.id]
    assert len(logged) == 2 and logged[-1].when == frozen
    assert logged[-1].kind == "message" and logged[-1].note == "Time for supervision"


async def test_reaching_out_with_nobody_yet_opens_colleagues(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"00000000", "2", "3", "d")
        await pilot.pause()
        assert "Add a colleague you trust" in screen_text(app)
        await pilot.press("1")
        await pilot.pause()
        assert app.current_mode == "colleagues"


async def test_a_high_chest_offers_the_sigh_one_key_away(make_app) -> None:  # type: ignore[no-untyped-def]
    from app.tui import TendApp

    if not hasattr(TendApp, "open_breathing"):  # lands with the app-shell branch (issue 13)
        pytest.skip("TendApp.open_breathing is not here yet")
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("0", "0", "3", "d")
        await pilot.pause()
        text = screen_text(app)
        assert " 1  Physiological sigh  for chest" in text
        assert "Check in" not in text
        asked: list[str] = []
        go = app.open_breathing
        app.open_breathing = lambda pattern, minutes=None: (asked.append(pattern), go(pattern, minutes))
        await pilot.press("1")
        await pilot.pause()
        assert app.current_mode == "breathe" and asked == ["sigh"]


async def test_tension_offers_the_longer_out_breath(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "3", "d")
        await pilot.pause()
        assert " 1  Longer out-breath  for jaw, shoulders" in screen_text(app)
        await pilot.press("2")  # no second step: nothing happens
        await pilot.pause()
        assert app.current_mode == "scan"


# --------------------------------------------------------------------------- history


async def test_history_lists_past_scans_and_opens_one(make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    seed_history(store, frozen)
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*QUICK_ROW, "h")
        await pilot.pause()
        text = screen_text(app)
        assert "Past scans" in text
        lines = [line for line in text.splitlines() if " 2026  " in line]
        assert "Wed 25 Nov 2026  14:30   chest, back, tension" in lines[0]
        assert len(lines) == 10
        await pilot.press("down", "enter")
        await pilot.pause()
        assert "Your scan, Tue 24 Nov, 12:15  (from history)" in screen_text(app)
        assert "Where it sat then: " in screen_text(app) and "Where it sits now" not in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#history-list", OptionList).has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert "Your scan, Wed 25 Nov, 14:30" in screen_text(app)
        assert "Where it sits now: " in screen_text(app)  # the one just taken
        await pilot.press("n")
        await pilot.pause()
        assert "Jaw and face" in screen_text(app) and "1 of 14" in screen_text(app)


async def test_a_long_history_lists_the_newest_and_shows_the_rest_on_request(make_app, store, frozen, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(bs, "HISTORY_PAGE", 5)
    for days_ago in range(1, 13):  # twelve scans, one a day; the oldest is far from the rest
        when = frozen.subtract(days=days_ago if days_ago < 12 else 200).at(9, 0)
        store.add(BodyScan(when=when, ratings={"jaw": days_ago % 4, "neck": 1}))
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        app.screen.show_history()
        await pilot.pause()
        listing = app.screen.query_one("#history-list", OptionList)
        assert listing.option_count == 6  # the newest five, and the way to the rest
        assert "Older scans: 7 more. Enter shows them all." in screen_text(app)
        assert "Tue 24 Nov 2026" in screen_text(app)
        listing.highlighted = 5
        await pilot.press("enter")
        await pilot.pause()
        assert listing.option_count == 12 and listing.highlighted == 5
        assert "more. Enter" not in screen_text(app)
        listing.highlighted = 11  # the oldest, 200 days back: its summary has nothing before it
        await pilot.press("enter")
        await pilot.pause()
        assert "(from history)" in screen_text(app)
        assert app.screen.summary.previous is None
        await pilot.press("escape")
        await pilot.pause()
        listing.highlighted = 10  # the next oldest: compared with the one 200 days before it
        await pilot.press("enter")
        await pilot.pause()
        previous = app.screen.summary.previous
        assert previous is not None and previous.when("UTC") == frozen.subtract(days=200).at(9, 0).in_timezone("UTC")


async def test_a_summary_left_for_a_while_gives_way_to_a_new_scan(make_app, frozen) -> None:  # type: ignore[no-untyped-def]
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "d", "t")
        await pilot.pause()
        pendulum.travel_to(frozen.add(minutes=5), freeze=True)
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.view == "summary"
        await pilot.press("t")
        pendulum.travel_to(frozen.add(minutes=30), freeze=True)
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.view == "item" and "1 of 14" in screen_text(app)


# --------------------------------------------------------------------------- snapshots


def test_snapshot_an_item(snap_compare, make_app) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app("scan"), press=["2", "1", "i", "k"], terminal_size=SIZE)


def test_snapshot_a_guided_item_held(snap_compare, make_app, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        clock.advance(3)
        pilot.app.screen.tick()
        await pilot.press("space")

    assert snap_compare(make_app("scan", guided=True, seconds=10), run_before=run_before, terminal_size=SIZE)


def test_snapshot_the_summary_with_trends(snap_compare, make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    seed_history(store, frozen)
    store.add(Colleague(name="Sam", ideal_days=7))
    assert snap_compare(make_app("scan"), press=[*QUICK_ROW], terminal_size=SIZE)


def test_snapshot_the_history_list(snap_compare, make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    seed_history(store, frozen)
    assert snap_compare(make_app("scan"), press=[*QUICK_ROW, "h"], terminal_size=SIZE)
