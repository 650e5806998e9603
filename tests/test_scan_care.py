"""Body scan, issue 16 items 2-7: dialogs over their screen, like-with-like comparisons, plain
words instead of scores, a trusted person after a heavy scan, history a person can manage,
and the unrated rest scan."""

from __future__ import annotations

import pendulum
import pytest

from app import bodyscan as bs
from app.models import BodyScan, Colleague, Contact
from screens.scan import CheckInDialog, ResumeDialog, ScanScreen
from tests.notices import Notices
from tests.test_scan_screen import FakeClock, screen_text

SIZE = (80, 24)
WIDE = (120, 40)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(ScanScreen, "clock", staticmethod(fake))
    return fake


def waiting_draft(store) -> None:  # type: ignore[no-untyped-def]
    store.save_draft("scan", {**bs.ScanState.new().to_dict(), "index": 5, "ratings": {"jaw": 3}})


# --------------------------------------------------------------------------- 3: dialogs sit over the scan


@pytest.mark.parametrize("size", [SIZE, WIDE], ids=["80x24", "120x40"])
async def test_the_waiting_scan_dialog_sits_centred_over_the_scan(make_app, store, size) -> None:  # type: ignore[no-untyped-def]
    waiting_draft(store)
    app = make_app("scan")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeDialog)
        lines = screen_text(app).splitlines()
        assert "Body scan" in lines[0]  # the scan's own navigation line shows around it
        box = next(i for i, line in enumerate(lines) if "A scan is waiting" in line)
        assert 2 < box < size[1] - 4  # not stuck to the top
        column = lines[box].index("A scan is waiting")
        assert column > 6  # nor to the left edge


@pytest.mark.parametrize("size", [SIZE, WIDE], ids=["80x24", "120x40"])
async def test_the_check_in_dialog_sits_centred_over_the_summary(make_app, store, frozen, size) -> None:  # type: ignore[no-untyped-def]
    ann = store.add(Colleague(name="Ann", ideal_days=30))
    store.add(Contact(colleague_id=ann.id, when=frozen.subtract(days=3)))
    app = make_app("scan")
    async with app.run_test(size=size) as pilot:
        await pilot.press(*"00000000", "2", "3", "3", "d")
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, CheckInDialog)
        lines = screen_text(app).splitlines()
        assert "Body scan" in lines[0]
        box = next(i for i, line in enumerate(lines) if "Check in with Ann" in line)
        assert box > 1 and lines[box].index("Check in with Ann") > 6


def test_snapshot_the_waiting_scan(snap_compare, make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    waiting_draft(store)
    assert snap_compare(make_app("scan"), terminal_size=SIZE)


def test_snapshot_the_check_in(snap_compare, make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    ann = store.add(Colleague(name="Ann", ideal_days=30))
    store.add(Contact(colleague_id=ann.id, when=frozen.subtract(days=3)))
    assert snap_compare(make_app("scan"), press=[*"00000000", "2", "3", "3", "d", "1"], terminal_size=SIZE)


# --------------------------------------------------------------------------- 2: like with like

NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")


def rec(when: pendulum.DateTime, **ratings: int) -> bs.ScanRecord:
    return bs.ScanRecord(taken_at=when.isoformat(), ratings=ratings)


def test_overall_change_compares_only_what_was_rated_both_times() -> None:
    before = rec(NOW.subtract(days=1), **{k: 1 for k in bs.LOAD_KEYS})  # every item, a little
    now = rec(NOW, jaw=2, neck=2, chest=2)  # three rated, the rest skipped
    assert bs.in_common(now, before) == ("jaw", "neck", "chest")
    assert bs.overall_change(now, before) is bs.Change.UP  # a sum would have said "lower"
    assert bs.overall_change(rec(NOW, jaw=1, neck=1, chest=1), before) is bs.Change.SAME


@pytest.mark.parametrize("ratings", [{}, {"jaw": 0}, {"jaw": 3, "weight": 3}], ids=["none", "one", "two"])
def test_too_little_in_common_says_nothing_about_overall_change(ratings) -> None:  # type: ignore[no-untyped-def]
    before = rec(NOW.subtract(days=1), **{k: 3 for k in bs.LOAD_KEYS})
    assert bs.overall_change(rec(NOW, sleep=2, **ratings), before) is None
    assert bs.overall_change(rec(NOW, jaw=1, neck=1, chest=1), None) is None


async def test_skip_then_done_says_nothing_about_last_time(make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    store.add(BodyScan(when=frozen.subtract(days=1), ratings={k: 3 for k in bs.LOAD_KEYS}))
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "d")  # jaw only
        await pilot.pause()
        text = screen_text(app)
        assert "Your scan," in text
        assert "Since last time" not in text and "lower" not in text.split("now  vs last")[0]
        assert "skipped" not in text and "Total" not in text


# --------------------------------------------------------------------------- 4: plain words, no scores


async def test_signals_are_asked_without_a_screening_label(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"00000000", "2")  # on to the first signal
        await pilot.pause()
        text = screen_text(app)
        assert "Weight of clients' pain" in text
        assert "Signal to reach out" not in text


async def test_the_history_shows_where_things_sat_not_a_score(make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    store.add(BodyScan(when=frozen.subtract(days=1), ratings={"neck": 3, "back": 2, "sleep": 2}))
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d", "h")
        await pilot.pause()
        text = screen_text(app)
        row = next(line for line in text.splitlines() if "Tue 24 Nov 2026" in line)
        assert row.split("12:", 1)[0] and "shoulders, back" in row
        assert " of " not in row


# --------------------------------------------------------------------------- 6: history a person can manage


async def test_the_signal_rows_of_the_trend_table_sit_above_the_fold(make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"12301230", "2", *"10203")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        for label in ("overall", "weight", "depleted", "raw", "fog", "tension"):
            assert any(line.startswith(f" {label} ") for line in lines), label


def test_longer_windows_are_drawn_by_week_and_fortnight_and_fit_80_columns() -> None:
    records = [rec(NOW.subtract(days=d), jaw=d % 4) for d in range(0, 360, 3)]
    got = bs.trends(records, now=NOW, tz="UTC", charset=bs.SPARK_ASCII)
    assert len(got["jaw"].lines[30]) == 10  # days with a scan
    assert len(got["jaw"].lines[91]) == 13  # weeks with a scan
    assert len(got["jaw"].lines[364]) == 26  # fortnights with a scan
    # A week's cell is its heaviest day: days 0 and 3 are this week, rated 0 and 3.
    assert got["jaw"].values[91][-1] == 3
    sleepy = [rec(NOW.subtract(days=d), sleep=s) for d, s in ((1, 3), (2, 1))]
    assert bs.trends(sleepy, now=NOW, tz="UTC")["sleep"].values[91] == [3]  # sleep: the latest answer


async def test_v_steps_the_longer_trend_through_a_quarter_and_a_year(make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    store.add(BodyScan(when=frozen.subtract(days=200), ratings={"jaw": 3, "neck": 3, "chest": 3}))
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"12301230", "2", *"10203")
        await pilot.pause()
        assert "30 days (days with a scan)" in screen_text(app)
        await pilot.press("v")
        await pilot.pause()
        assert "a quarter (weeks with a scan)" in screen_text(app)
        await pilot.press("v")
        await pilot.pause()
        text = screen_text(app)
        assert "a year (fortnights with a scan)" in text
        jaw = next(line for line in text.splitlines() if line.startswith(" jaw "))
        assert jaw.rstrip().endswith("█░")  # 200 days ago, and today
        assert max(len(line.rstrip()) for line in text.splitlines()[:-1]) <= 80
        await pilot.press("v")
        await pilot.pause()
        assert "30 days (days with a scan)" in screen_text(app)


async def test_a_scan_deleted_from_history_comes_back_with_u(make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    for days in (1, 2, 3):
        store.add(BodyScan(when=frozen.subtract(days=days), ratings={"neck": days}))
    ids = sorted(s.id for s in store.all(BodyScan))
    app = make_app("scan")
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.press("d", "h", "down")  # nothing rated, so the history holds the three
        await pilot.pause()
        assert "Mon 23 Nov 2026" in screen_text(app)
        await pilot.press("x")
        await pilot.pause()
        assert "Mon 23 Nov 2026" not in screen_text(app)
        assert notices.said("u brings it back")
        assert "u Undo" in screen_text(app)  # the footer offers it
        assert len(store.all(BodyScan)) == 2
        await pilot.press("u")
        await pilot.pause()
        assert "Mon 23 Nov 2026" in screen_text(app)
    assert sorted(s.id for s in store.all(BodyScan)) == ids  # the same scan, the same id
    assert next(s for s in store.all(BodyScan) if s.when.day == 23).ratings == {"neck": 2}


def test_snapshot_the_summary_over_a_year(snap_compare, make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    from tests.test_scan_screen import QUICK_ROW, seed_history

    seed_history(store, frozen)
    store.add(BodyScan(when=frozen.subtract(days=200), ratings={"jaw": 3, "weight": 3, "fog": 2}))
    assert snap_compare(make_app("scan"), press=[*QUICK_ROW, "v", "v"], terminal_size=SIZE)


# --------------------------------------------------------------------------- 5: a trusted person


def person(store, name: str, role: str = "peer", days_ago: int | None = None, **fields):  # type: ignore[no-untyped-def]
    colleague = store.add(Colleague(name=name, role=role, created=NOW.subtract(days=400), **fields))
    if days_ago is not None:
        store.add(Contact(colleague_id=colleague.id, when=NOW.subtract(days=days_ago)))
    return colleague


def trusted(store) -> str | None:  # type: ignore[no-untyped-def]
    found = bs.trusted_after_heavy_scan(store.all(Colleague), store.all(Contact), NOW)
    return found[0].name if found else None


def test_a_supervisor_reached_lately_comes_before_whoever_is_most_overdue(store) -> None:  # type: ignore[no-untyped-def]
    person(store, "Long gone peer", days_ago=300)  # the most overdue
    person(store, "Group", role="consultation", days_ago=2)
    person(store, "Supervisor", role="supervisor", days_ago=10)
    assert trusted(store) == "Supervisor"


def test_someone_brand_new_with_no_contact_is_never_suggested(store) -> None:  # type: ignore[no-untyped-def]
    store.add(Colleague(name="Just added", role="supervisor", created=NOW.subtract(days=1)))
    assert trusted(store) is None
    person(store, "Old friend", role="other", days_ago=500)
    assert trusted(store) == "Old friend"  # reached once, long ago: still better than nobody


def test_the_person_marked_to_suggest_comes_first(store) -> None:  # type: ignore[no-untyped-def]
    person(store, "Supervisor", role="supervisor", days_ago=1)
    person(store, "Chosen", role="other", days_ago=90, suggest_after_scan=True)
    assert trusted(store) == "Chosen"


def test_among_fitting_roles_the_one_reached_most_recently_is_the_easiest_ask(store) -> None:  # type: ignore[no-untyped-def]
    person(store, "Peer", days_ago=20)
    person(store, "Team", role="team", days_ago=4)
    assert trusted(store) == "Team"


async def test_a_heavy_scan_offers_the_trusted_person(make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    person(store, "Overdue Olly", days_ago=300)
    person(store, "Brand new Bea", role="supervisor")
    store.add(Colleague(name="Fresh Fay", role="supervisor", created=frozen.subtract(days=2)))
    person(store, "Supervisor Sue", role="supervisor", days_ago=6)
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"00000000", "2", "3", "3", "3", "d")
        await pilot.pause()
        assert "Send Supervisor Sue a check-in" in screen_text(app)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, CheckInDialog) and app.screen.colleague.name == "Supervisor Sue"


def test_someone_snoozed_or_archived_is_never_suggested(store) -> None:  # type: ignore[no-untyped-def]
    person(store, "On leave", role="supervisor", days_ago=2, snoozed_until=NOW.date().add(days=10), suggest_after_scan=True)
    person(store, "Moved on", role="supervisor", days_ago=1, archived=True)
    person(store, "Peer Pat", days_ago=20)
    assert trusted(store) == "Peer Pat"


async def test_logging_the_check_in_after_a_scan_ticks_the_linked_message_ritual(make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    from app.models import Ritual, RitualEntry

    sue = person(store, "Supervisor Sue", role="supervisor", days_ago=6)
    ritual = store.add(Ritual(name="Check in with Sue", colleague_ids=[sue.id or 0], contact_kind="message"))
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"00000000", "2", "3", "3", "3", "d")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, CheckInDialog)
        await pilot.press("l")
        await pilot.pause()
    assert [c.colleague_id for c in store.all(Contact)].count(sue.id) == 2
    assert [(e.ritual_id, e.day, e.status) for e in store.all(RitualEntry)] == [(ritual.id, frozen.date(), "done")]


async def test_capital_s_on_the_card_marks_someone_to_suggest(make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    from screens.colleagues.card import ColleagueCard

    ann = person(store, "Ann", days_ago=3)
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ColleagueCard)
        await pilot.press("S")
        await pilot.pause()
        assert "Suggested after a heavy body scan" in screen_text(app)
        assert store.get(Colleague, ann.id).suggest_after_scan is True
        await pilot.press("S")
        await pilot.pause()
        assert store.get(Colleague, ann.id).suggest_after_scan is False


# --------------------------------------------------------------------------- 7: the rest scan


def test_a_rest_walk_goes_through_every_body_region_and_logs_as_a_breathing_session() -> None:
    walk = bs.RestWalk()
    seen = [walk.item.key]
    while walk.next() and not walk.done:
        seen.append(walk.item.key)
    assert seen == list(bs.BODY_KEYS) and walk.done
    assert all(bs.REST_CUES[k] and "?" not in bs.REST_CUES[k] for k in bs.BODY_KEYS)  # nothing to answer
    session = bs.rest_session(walk, NOW, walk.seconds_spent(0))
    assert session is not None and session.pattern == bs.REST_PATTERN and session.pattern_name == "Rest scan"
    assert session.completed and session.cycles_done == 8 and session.actual_seconds == 8 * bs.REST_SECONDS
    assert bs.rest_session(bs.RestWalk(), NOW, 5) is None  # a few seconds is not a session


async def test_j_walks_the_body_at_a_gentle_pace_and_logs_it(make_app, store, frozen, clock) -> None:  # type: ignore[no-untyped-def]
    from app.models import BreathingSession

    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        await pilot.pause()
        text = screen_text(app)
        assert "Rest scan" in text and "1 of 8" in text and "Jaw and face" in text
        assert "Let your jaw loosen" in text and "next in 30 s" in text
        assert "0-3" not in text  # nothing to rate
        clock.advance(10)
        app.screen.tick()
        await pilot.pause()
        assert "next in 20 s" in screen_text(app)
        await pilot.press("space")  # hold
        clock.advance(100)
        app.screen.tick()
        await pilot.pause()
        assert "held" in screen_text(app) and "Jaw and face" in screen_text(app)
        await pilot.press("space")
        for _ in range(8):
            clock.advance(bs.REST_SECONDS)
            app.screen.tick()
            await pilot.pause()
        text = screen_text(app)
        words = " ".join(text.split())
        assert "That is the whole body" in words and "n goes on to rate how it sits now" in words
        [session] = store.all(BreathingSession)
        assert session.pattern == bs.REST_PATTERN and session.completed and session.cycles_done == 8
        assert store.all(BodyScan) == []  # nothing rated, no scan
        await pilot.press("n")  # then, if wanted, the quick ratings
        await pilot.pause()
        assert "Body scan  ·  quick" in screen_text(app) and "1 of 14" in screen_text(app)


async def test_d_ends_a_rest_scan_early_and_logs_what_was_rested(make_app, store, clock) -> None:  # type: ignore[no-untyped-def]
    from app.models import BreathingSession

    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        await pilot.pause()
        await pilot.press("right", "right")  # on to the chest
        clock.advance(12)
        await pilot.press("d")
        await pilot.pause()
        assert "That is the whole body" in screen_text(app) or "rates how it sits now" in screen_text(app)
    [session] = store.all(BreathingSession)
    assert not session.completed and session.cycles_done == 2 and session.actual_seconds == 2 * bs.REST_SECONDS + 12


async def test_the_rest_key_is_in_the_footer_and_help(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "j Rest" in screen_text(app).splitlines()[-1]
        from screens.help import describe_keys

        assert ("j", "A slow rest scan: each body region in turn, nothing to rate") in describe_keys(app.screen)
        await pilot.press("1")  # a scan under way: j waits until it is done
        await pilot.pause()
        assert "j Rest" not in screen_text(app).splitlines()[-1]


def test_snapshot_the_rest_scan(snap_compare, make_app, clock) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("j", "right")
        clock.advance(7)
        pilot.app.screen.tick()
        await pilot.pause()

    assert snap_compare(make_app("scan"), run_before=run_before, terminal_size=SIZE)


# --------------------------------------------------------------------------- 5: a support line of one's own

ALL_HIGH = [*"00000000", "2", "2", "3", "2", "2", "3"]  # body quiet, sleep ok, every signal high


def test_the_support_line_is_for_days_when_every_signal_is_high() -> None:
    assert bs.all_signals_high(rec(NOW, weight=2, depletion=3, rawness=2, fog=2, tension=3))
    assert not bs.all_signals_high(rec(NOW, weight=3, depletion=3, rawness=3, fog=3))  # one unrated
    assert not bs.all_signals_high(rec(NOW, weight=3, depletion=3, rawness=3, fog=3, tension=1))


async def test_a_support_line_typed_once_shows_only_when_every_signal_is_high(make_app, store) -> None:  # type: ignore[no-untyped-def]
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*ALL_HIGH)
        await pilot.pause()
        assert "y adds a support line of your own" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        await pilot.press(*"EAP [/] 0800 123", "enter")
        await pilot.pause()
        assert "Your support line: EAP [/] 0800 123" in screen_text(app)
        assert store.settings().support_line == "EAP [/] 0800 123"
        await pilot.press("n", *"00000000", "2", "3", "3", "3", "3", "1")  # one signal low
        await pilot.pause()
        assert app.screen.view == "summary"
        assert "support line" not in screen_text(app)


def test_snapshot_every_signal_high_with_a_support_line(snap_compare, make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    store.update_settings(support_line="EAP 0800 000 000, any time")
    assert snap_compare(make_app("scan"), press=ALL_HIGH, terminal_size=SIZE)


async def test_quitting_mid_rest_logs_what_was_rested(make_app, store, clock) -> None:  # type: ignore[no-untyped-def]
    from app.models import BreathingSession

    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        await pilot.pause()
        clock.advance(bs.REST_SECONDS)
        app.screen.tick()
        clock.advance(15)
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    [session] = store.all(BreathingSession)
    assert session.pattern == bs.REST_PATTERN and session.cycles_done == 1 and not session.completed
    assert session.actual_seconds == bs.REST_SECONDS + 15
