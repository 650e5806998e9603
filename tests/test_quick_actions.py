"""Quick actions from the shell: done, skip, log, next and undo; names by case-free prefix."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.cli import main
from app.models import Colleague, Contact, Ritual, RitualEntry
from app.next_session import set_next, stored_next
from app.quick import Candidate, Unmatched, match
from app.storage import Store

# --------------------------------------------------------------------------- names

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéÅ", min_size=1, max_size=8)
NAMES = st.lists(st.lists(WORDS, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=8, unique_by=str.casefold)


def _flip(text: str, flips: list[bool]) -> str:
    return "".join(c.swapcase() if flip else c for c, flip in zip(text, flips + [False] * len(text), strict=False))


@settings(max_examples=200, deadline=None)
@given(NAMES, st.data())
def test_a_unique_prefix_in_any_case_finds_its_name(names, data) -> None:
    candidates = [Candidate(i, name) for i, name in enumerate(names)]
    target = data.draw(st.sampled_from(candidates))
    length = data.draw(st.integers(1, len(target.name)))
    typed = _flip(target.name[:length], data.draw(st.lists(st.booleans(), max_size=length)))
    # Case and runs of spaces do not count (a trailing space in "A " is not part of a name).
    def norm(text: str) -> str:
        return " ".join(text.casefold().split())

    starting = [c for c in candidates if norm(c.name).startswith(norm(typed))]
    exact = [c for c in candidates if norm(c.name) == norm(typed)]
    if len(exact) == 1 or len(starting) == 1:
        assert match(typed, candidates, "ritual") == (exact or starting)[0]
    else:
        with pytest.raises(Unmatched) as raised:
            match(typed, candidates, "ritual")
        assert sorted(raised.value.candidates) == sorted(c.name for c in starting)


@settings(max_examples=100, deadline=None)
@given(NAMES, WORDS)
def test_an_unknown_name_lists_every_candidate(names, typed) -> None:
    candidates = [Candidate(i, name) for i, name in enumerate(names)]
    if any(word.casefold().startswith(typed.casefold()) for name in names for word in name.split()):
        return  # a name or a later word begins with it: found, not unknown
    with pytest.raises(Unmatched) as raised:
        match(typed, candidates, "colleague")
    assert sorted(raised.value.candidates) == sorted(names)


@settings(max_examples=200, deadline=None)
@given(NAMES, st.data())
def test_a_later_word_finds_its_name_when_no_name_begins_so(names, data) -> None:
    candidates = [Candidate(i, name) for i, name in enumerate(names)]
    target = data.draw(st.sampled_from(candidates))
    words = target.name.split()
    start = data.draw(st.integers(0, len(words) - 1))
    rest = " ".join(words[start:])
    typed = _flip(rest[: data.draw(st.integers(1, len(rest)))], data.draw(st.lists(st.booleans(), max_size=len(rest))))
    key = " ".join(typed.casefold().split())
    if any(" ".join(name.casefold().split()).startswith(key) for name in names):
        return  # a whole name begins so: the prefix test's ground
    later = [c for c in candidates if any(" ".join(c.name.casefold().split()[i:]).startswith(key)
                                          for i in range(1, len(c.name.split())))]  # fmt: skip
    assert target in later
    if len(later) == 1:
        assert match(typed, candidates, "colleague") == target
    else:
        with pytest.raises(Unmatched) as raised:
            match(typed, candidates, "colleague")
        assert "more than one colleague" in str(raised.value)
        assert sorted(raised.value.candidates) == sorted(c.name for c in later)


def test_a_surname_or_a_later_word_finds_the_name_but_a_first_word_wins() -> None:
    candidates = [Candidate(1, "Dr. Dana Okafor", ("Dana",)), Candidate(2, "Ben Silva"), Candidate(3, "Silvia Park")]
    assert match("okaf", candidates, "colleague").id == 1
    assert match("silv", candidates, "colleague").id == 3  # Silvia's name begins so; Ben's surname waits
    assert match("dana ok", candidates, "colleague").id == 1
    with pytest.raises(Unmatched):
        match("kafor", candidates, "colleague")  # the middle of a word is not a beginning


def test_a_full_name_wins_over_longer_names_it_begins() -> None:
    candidates = [Candidate(1, "Walk at lunch"), Candidate(2, "Walk")]
    assert match("WALK", candidates, "ritual").id == 2
    assert match("walk a", candidates, "ritual").id == 1


def test_a_call_name_finds_the_colleague() -> None:
    candidates = [Candidate(1, "Dr. Dana Okafor", ("Dana",)), Candidate(2, "Ben Silva", ("Ben",))]
    assert match("da", candidates, "colleague").id == 1


# --------------------------------------------------------------------------- the commands


@pytest.fixture
def seeded(data_dir, frozen):
    store = Store.open(data_dir)
    dana = store.add(Colleague(name="Dana Okafor", role="supervisor"))
    store.add(Colleague(name="Ben Silva"))
    store.add(Colleague(name="Bea Costa"))
    store.add(Ritual(name="Supervision", schedule={"kind": "daily"}, colleague_ids=[dana.id or 0]))
    store.add(Ritual(name="Stretch", schedule={"kind": "daily"}))
    store.add(Ritual(name="Walk at lunch", schedule={"kind": "daily"}))
    return store


def tend(data_dir, *argv: str) -> int:
    return main([argv[0], "--data", str(data_dir), *argv[1:]])


def test_done_marks_today_logs_linked_colleagues_and_undo_takes_it_all_back(data_dir, seeded, capsys) -> None:
    assert tend(data_dir, "done", "SUPER") == 0
    assert capsys.readouterr().out == "Supervision done for today, logged with Dana Okafor too.\n"
    store = Store.open(data_dir)
    [entry] = store.all(RitualEntry)
    assert (entry.day, entry.status) == (pendulum.date(2026, 11, 25), "done")
    [contact] = store.all(Contact)
    assert contact.kind == "supervision"  # as the rituals screen logs it for a supervisor
    assert tend(data_dir, "undo") == 0
    assert capsys.readouterr().out == "Undone: Supervision done for today.\n"  # the name as it is written
    store = Store.open(data_dir)
    assert store.all(RitualEntry) == [] and store.all(Contact) == []
    assert tend(data_dir, "undo") == 1  # the one action was undone; nothing else waits
    assert "Nothing to undo" in capsys.readouterr().err


def test_a_skip_over_a_done_day_says_so_and_undo_puts_the_done_back(data_dir, seeded, capsys) -> None:
    assert tend(data_dir, "done", "Supervision") == 0
    assert tend(data_dir, "skip", "Supervision", "--reason", "away") == 0
    said = capsys.readouterr().out.splitlines()[-1]
    assert said == "Supervision skipped for today (away); your streak is safe. It was marked done before; 'tend undo' puts that back."
    assert tend(data_dir, "undo") == 0
    assert capsys.readouterr().out == "Undone: Supervision skipped for today.\n"
    assert [e.status for e in Store.open(data_dir).all(RitualEntry)] == ["done"]


def test_done_on_another_day(data_dir, seeded, capsys) -> None:
    assert tend(data_dir, "done", "walk", "--day", "yesterday") == 0
    assert capsys.readouterr().out == "Walk at lunch done for yesterday.\n"
    assert [e.day for e in Store.open(data_dir).all(RitualEntry)] == [pendulum.date(2026, 11, 24)]


def test_a_day_more_than_a_year_ago_is_refused_as_the_rituals_screen_refuses_it(data_dir, seeded, capsys) -> None:
    assert tend(data_dir, "done", "walk", "--day", "2016-11-20") == 2  # 2026 typed as 2016
    err = capsys.readouterr().err
    assert err.startswith("tend done: 20 Nov 2016 is more than a year ago. Check the year?")
    assert len(err.strip().splitlines()) == 1
    assert Store.open(data_dir).all(RitualEntry) == []
    assert tend(data_dir, "done", "walk", "--day", "2025-11-26") == 0  # a year ago is still a correction


def test_a_day_before_the_ritual_was_added_is_marked_and_said(data_dir, seeded, capsys) -> None:
    assert tend(data_dir, "done", "walk", "--day", "2026-11-02") == 0
    assert capsys.readouterr().out == (
        "Walk at lunch done for Mon 2 Nov. It was added today, after that day; "
        "'tend undo' takes it back if the day was a slip.\n"
    )
    assert tend(data_dir, "done", "walk", "--day", "2026-11-19") == 0  # within the week's grace: nothing to say
    assert capsys.readouterr().out == "Walk at lunch done for Thu 19 Nov.\n"


def test_a_day_that_cannot_be_read_is_a_usage_error_and_changes_nothing(data_dir, seeded, capsys) -> None:
    assert tend(data_dir, "done", "walk", "--day", "next year") == 2
    assert "tend done:" in capsys.readouterr().err
    assert Store.open(data_dir).all(RitualEntry) == []


def test_skip_keeps_a_cleaned_reason_and_undo_brings_back_what_was_there(data_dir, seeded, capsys) -> None:
    store = Store.open(data_dir)
    stretch = next(r for r in store.all(Ritual) if r.name == "Stretch")
    store.add(RitualEntry(ritual_id=stretch.id or 0, day=pendulum.date(2026, 11, 25), status="done", note="morning"))
    assert tend(data_dir, "skip", "str", "--reason", "away\x1b]0;owned\x07 \u202etoday") == 0
    said = capsys.readouterr().out
    assert said.startswith("Stretch skipped for today") and "streak is safe" in said and "\x1b" not in said
    [entry] = Store.open(data_dir).all(RitualEntry)
    assert entry.status == "skipped" and "\x1b" not in entry.note and "\u202e" not in entry.note and "away" in entry.note
    assert tend(data_dir, "undo") == 0
    [entry] = Store.open(data_dir).all(RitualEntry)
    assert (entry.status, entry.note) == ("done", "morning")


def test_log_takes_a_kind_and_a_time_and_undo_removes_it(data_dir, seeded, capsys) -> None:
    assert tend(data_dir, "log", "ben", "--kind", "walk", "--when", "2 hours ago") == 0
    assert capsys.readouterr().out == "Logged a coffee / walk with Ben Silva, today at 12:30.\n"
    [contact] = Store.open(data_dir).all(Contact)
    assert (contact.kind, contact.when) == ("coffee", pendulum.datetime(2026, 11, 25, 12, 30, tz="UTC"))
    assert tend(data_dir, "undo") == 0
    assert Store.open(data_dir).all(Contact) == []


def test_log_without_a_kind_uses_the_one_for_their_role(data_dir, seeded, capsys) -> None:
    assert tend(data_dir, "log", "dana") == 0
    assert "supervision with Dana Okafor" in capsys.readouterr().out


def test_an_ambiguous_name_lists_the_candidates_and_exits_2(data_dir, seeded, capsys) -> None:
    assert tend(data_dir, "log", "b") == 2
    out, err = capsys.readouterr()
    assert out == "" and "more than one colleague" in err and "  Bea Costa" in err and "  Ben Silva" in err
    assert Store.open(data_dir).all(Contact) == []


def test_an_unknown_name_lists_every_ritual_and_exits_2(data_dir, seeded, capsys) -> None:
    assert tend(data_dir, "done", "yoga") == 2
    err = capsys.readouterr().err
    assert "no ritual called 'yoga'" in err
    assert [line.strip() for line in err.splitlines()[1:]] == ["Stretch", "Supervision", "Walk at lunch"]


def test_a_surname_logs_and_a_later_word_marks_a_ritual(data_dir, seeded, capsys) -> None:
    assert tend(data_dir, "log", "okafor") == 0
    assert "Dana Okafor" in capsys.readouterr().out
    assert tend(data_dir, "done", "lunch") == 0
    assert capsys.readouterr().out == "Walk at lunch done for today.\n"
    assert tend(data_dir, "log", "costa") == 0
    assert "Bea Costa" in capsys.readouterr().out


def test_an_unknown_kind_is_a_usage_error(data_dir, seeded, capsys) -> None:
    with pytest.raises(SystemExit) as raised:
        tend(data_dir, "log", "ben", "--kind", "telepathy")
    assert raised.value.code == 2
    assert Store.open(data_dir).all(Contact) == []


def test_next_sets_the_session_status_shows_it_and_undo_puts_back_the_one_before(data_dir, seeded, capsys) -> None:
    set_next(Store.open(data_dir), pendulum.datetime(2026, 11, 25, 15, 0, tz="UTC"))
    assert tend(data_dir, "next", "14:50") == 0
    assert capsys.readouterr().out == "Next session at 14:50, in 20 min.\n"
    assert stored_next(Store.open(data_dir)) == pendulum.datetime(2026, 11, 25, 14, 50, tz="UTC")
    assert main(["status", "--data", str(data_dir), "--format", "{next}"]) == 0
    assert capsys.readouterr().out == "14:50\n"
    assert tend(data_dir, "undo") == 0
    assert stored_next(Store.open(data_dir)) == pendulum.datetime(2026, 11, 25, 15, 0, tz="UTC")


def test_next_that_has_passed_is_refused_kindly(data_dir, seeded, capsys) -> None:
    assert tend(data_dir, "next", "9:00") == 2
    assert "already passed" in capsys.readouterr().err
    assert stored_next(Store.open(data_dir)) is None


def test_next_clear(data_dir, seeded, capsys) -> None:
    set_next(Store.open(data_dir), pendulum.datetime(2026, 11, 25, 15, 0, tz="UTC"))
    assert tend(data_dir, "next", "--clear") == 0
    assert capsys.readouterr().out == "Next session cleared.\n"
    assert stored_next(Store.open(data_dir)) is None


@pytest.mark.parametrize("word", ["clear", "None", "off"])
def test_next_clear_as_a_word_points_at_the_option_and_changes_nothing(data_dir, seeded, capsys, word) -> None:
    assert tend(data_dir, "next", "12m") == 0
    capsys.readouterr()
    assert tend(data_dir, "next", word) == 2
    assert "tend next --clear" in capsys.readouterr().err
    assert stored_next(Store.open(data_dir)) is not None


def test_undo_takes_back_only_what_is_still_there(data_dir, seeded, capsys) -> None:
    assert tend(data_dir, "done", "supervision") == 0
    store = Store.open(data_dir)
    [contact] = store.all(Contact)
    store.remove(Contact, contact.id or 0)  # removed in the app meanwhile
    assert tend(data_dir, "undo") == 0
    assert "already been changed elsewhere" in capsys.readouterr().out
    assert Store.open(data_dir).all(RitualEntry) == []


def test_a_quick_action_waits_for_the_lock_like_the_app(data_dir, seeded, capsys, monkeypatch) -> None:
    import fcntl

    monkeypatch.setenv("TEND_LOCK_WAIT", "0")
    with open(data_dir / "tend.lock", "rb+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert tend(data_dir, "done", "walk") == 1
    assert "Another Tend is saving" in capsys.readouterr().err
    assert Store.open(data_dir).all(RitualEntry) == []


async def test_today_counts_down_to_the_session_set_from_the_shell(data_dir, seeded, make_app, capsys) -> None:
    from tests.screentext import screenshot_lines

    assert tend(data_dir, "next", "14:50") == 0
    app = make_app("today")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert any("14:50" in line for line in screenshot_lines(app))
        await pilot.press("x")  # clear it on Today: the shell sees that too
        await pilot.pause()
    assert stored_next(Store.open(data_dir)) is None


def test_hostile_names_never_break_a_quick_action_or_the_status(data_dir, frozen, capsys) -> None:
    """Every shared nasty string as a ritual's and a colleague's name, and typed as a name:
    a plain answer or exit 2, never a traceback; nothing that acts reaches the terminal."""
    import json

    from tests.conftest import HOSTILE

    store = Store.open(data_dir)
    for text in HOSTILE:
        store.add(Ritual(name=text, schedule={"kind": "daily"}))
        store.add(Colleague(name=text, ideal_days=1, want_to_reach_now=True))
    for text in HOSTILE:
        for argv in (("done", text), ("log", text), ("skip", text, "--reason", text)):
            try:
                code = tend(data_dir, *argv)
            except SystemExit as leaving:  # argparse: an option-like name is a usage error
                code = int(leaving.code or 0)
            out, err = capsys.readouterr()
            assert code in (0, 2), (argv, err)
            assert "Traceback" not in err
            for shown in (out, err):
                assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown, (argv, shown)
            if code == 0:
                assert tend(data_dir, "undo") == 0
                capsys.readouterr()
    assert main(["status", "--data", str(data_dir)]) == 0
    line = capsys.readouterr().out
    assert "\x1b" not in line and "\u202e" not in line and line.count("\n") == 1
    assert main(["status", "--json", "--data", str(data_dir)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["rituals"]) == len(data["colleagues"]) == len(HOSTILE)


async def test_today_keeps_its_time_up_note_when_the_session_begins(data_dir, seeded, make_app) -> None:
    """A session set on Today that begins while Today is open still says it is time, even
    when Today reads its data again; only a change made elsewhere replaces it."""
    from tests.screentext import screenshot_lines

    app = make_app("today")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n", *"14:31", "enter")
        await pilot.pause()
        assert stored_next(Store.open(data_dir)) == pendulum.datetime(2026, 11, 25, 14, 31, tz="UTC")
        pendulum.travel_to(pendulum.datetime(2026, 11, 25, 14, 32, tz="UTC"), freeze=True)
        app.screen.refresh_data()
        await pilot.pause()
        assert any("time for your next session" in line for line in screenshot_lines(app))


def test_an_archived_name_is_said_to_be_archived_not_taken_for_a_longer_one(data_dir, seeded, capsys) -> None:
    seeded.add(Ritual(name="Tea", schedule={"kind": "daily"}, archived=True))
    seeded.add(Ritual(name="Tea time", schedule={"kind": "daily"}))
    assert tend(data_dir, "done", "tea") == 2  # as any name that fits no one
    err = capsys.readouterr().err
    assert "'Tea' is archived, so Tend leaves it be" in err
    assert Store.open(data_dir).all(RitualEntry) == []  # "Tea time" was not marked in its place
    assert tend(data_dir, "done", "tea t") == 0  # the longer one, when its name is given


def test_two_names_that_differ_only_in_case_are_told_apart_by_how_they_are_written(data_dir, seeded, capsys) -> None:
    walk = seeded.add(Ritual(name="walk", schedule={"kind": "daily"}))
    seeded.add(Ritual(name="Walk", schedule={"kind": "daily"}))
    assert tend(data_dir, "done", "walk") == 0
    assert [e.ritual_id for e in Store.open(data_dir).all(RitualEntry)] == [walk.id]
    assert tend(data_dir, "done", "WALK") == 2  # written as neither: still asks which
    assert "could be more than one" in capsys.readouterr().err


def test_a_note_longer_than_a_quick_log_keeps_is_cut_and_said_to_be(data_dir, seeded, capsys) -> None:
    long = " ".join(f"word{i}" for i in range(60))
    assert tend(data_dir, "log", "Ben", "--note", long) == 0
    said = capsys.readouterr().out
    assert "The note was cut to its first 240 characters; a longer one fits in Tend itself." in said
    [contact] = Store.open(data_dir).all(Contact)
    assert long.startswith(contact.note.rstrip("…").rstrip()) and len(contact.note) <= 240
    assert tend(data_dir, "skip", "Stretch", "--reason", "away") == 0
    assert "was cut" not in capsys.readouterr().out  # a short one is kept whole, without a word
