"""The body scan's pure logic: items, keys, the state machine, drafts, summary, next steps."""

from __future__ import annotations

import json
import re

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from app import bodyscan as bs
from app.bodyscan import ScanRecord, ScanState
from tests.conftest import HOSTILE

# The machine is shared: time limits would make these flaky, not stricter.
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

TZ = "Europe/London"
NOW = pendulum.datetime(2025, 3, 20, 15, 30, tz=TZ)


def hostile_strings() -> list[str]:
    """The shared list of nasty strings (tests.conftest.HOSTILE: shared/'s, else the copy kept
    with the tests, so a clone anywhere tests every one), plus a few of our own."""
    return [*HOSTILE, "Bob [/]", "\x1b]52;c;aGVsbG8=\x07", "abc\u202egnp.exe", "a\nb\rc\td", "x" * 500, ""]


def record(when: pendulum.DateTime, **ratings: int) -> ScanRecord:
    """A finished scan taken ``when`` with the given ratings."""
    return ScanRecord(taken_at=when.isoformat(), ratings=dict(ratings))


def all_user_text() -> list[str]:
    """Every fixed word of the scan a person can see."""
    texts: list[str] = []
    for item in bs.ITEMS:
        texts += [item.label, item.short, item.cue]
    for scale in (bs.LOAD_SCALE, bs.SLEEP_SCALE):
        texts += [level.word for level in scale.levels]
    texts += list(bs.SENSATION_WORDS)
    texts += [title for title, _, _ in bs._BREATHING.values()]
    texts += [text for _, text, _ in bs._BREATHING.values()]
    texts += [bs.REACH_OUT_TITLE, bs.REACH_OUT_TEXT, bs.reach_out_line(None), bs.reach_out_line("Sam")]
    texts += [c.word for c in bs.Change]
    return texts


# --------------------------------------------------------------------------- items, scales, words


def test_items_come_in_the_order_the_scan_asks_them() -> None:
    assert bs.ITEM_KEYS == (
        "jaw", "neck", "chest", "breath", "belly", "hands", "back", "legs",
        "sleep",
        "weight", "depletion", "rawness", "fog", "tension",
    )  # fmt: skip
    assert [i.group for i in bs.ITEMS] == ["body"] * 8 + ["sleep"] + ["signal"] * 5
    assert bs.ITEM_BY_KEY["sleep"].scale is bs.SLEEP_SCALE
    assert bs.MAX_TOTAL == 39


def test_every_item_has_a_label_a_short_label_and_a_cue_that_fit_80_columns() -> None:
    for item in bs.ITEMS:
        assert item.label and item.cue.strip() == item.cue
        assert 0 < len(item.short) <= 10
        assert len(item.cue) <= 2 * 76, item.key  # two lines of an 80-column panel
    assert len({i.short for i in bs.ITEMS}) == len(bs.ITEMS)


def test_cues_say_what_to_notice_not_what_to_feel() -> None:
    for item in bs.ITEMS:
        if item.group != "sleep":
            assert item.cue.startswith(("Notice", "Take in")), item.key
        assert "you should" not in item.cue.lower()


@pytest.mark.parametrize(
    "word",
    ["symptom*", "diagnos*", "disorder*", "patholog*", "clinical*", "abnormal", "normal", "risk*",
     "should", "must", "fail*", "burnout", "trauma*", "anxi*", "depress*", "!"],
)  # fmt: skip
def test_no_user_text_is_clinical_judging_or_shouting(word: str) -> None:
    if word.endswith("*"):  # a stem: any word starting with it
        pattern = re.compile(rf"\b{word[:-1]}")
    elif word.isalpha():  # a whole word ("shoulders" is fine, "should" is not)
        pattern = re.compile(rf"\b{word}\b")
    else:
        pattern = re.compile(re.escape(word))
    for text in all_user_text():
        assert not pattern.search(text.lower()), text


def test_every_symbol_reads_on_the_linux_console() -> None:
    symbols = "".join(level.symbol for s in (bs.LOAD_SCALE, bs.SLEEP_SCALE) for level in s.levels)
    symbols += bs.SPARK_UNICODE + bs.SPARK_ASCII + bs.SPARK_MISSING
    symbols += "".join(c.symbol for c in bs.Change) + bs.meter(2)
    symbols.encode("cp437")  # the Linux console's default font covers CP437
    assert bs.SPARK_ASCII.isascii() and "".join(c.symbol for c in bs.Change).isascii()
    assert "".join(all_user_text()).isascii()


def test_scale_levels_differ_in_word_and_symbol_not_only_colour() -> None:
    for scale in (bs.LOAD_SCALE, bs.SLEEP_SCALE):
        assert len({lv.word for lv in scale.levels}) == len(scale.levels)
        assert len({lv.symbol for lv in scale.levels}) == len(scale.levels)
    assert bs.LOAD_SCALE.hint() == "0 none  1 a little  2 noticeable  3 strong"
    assert bs.SLEEP_SCALE.hint() == "1 poor  2 ok  3 good"
    assert len(set(bs.SPARK_UNICODE)) == len(set(bs.SPARK_ASCII)) == 4


def test_scale_accepts_only_its_own_integers() -> None:
    assert bs.LOAD_SCALE.accepts(0) and bs.LOAD_SCALE.accepts(3)
    assert not bs.LOAD_SCALE.accepts(4)
    assert not bs.LOAD_SCALE.accepts(True)  # a bool is an int in Python, not a rating
    assert not bs.LOAD_SCALE.accepts("2")
    assert not bs.SLEEP_SCALE.accepts(0)
    assert bs.SLEEP_SCALE.level(3).word == "good"
    assert bs.LOAD_SCALE.level(9) is None


@pytest.mark.parametrize(("value", "bar"), [(None, "   "), (0, "..."), (1, "#.."), (3, "###"), (7, "###")])
def test_meter_draws_a_bar_of_three_cells(value: int | None, bar: str) -> None:
    assert bs.meter(value) == bar


def test_sensation_letters_are_unique_and_clash_with_no_scan_key() -> None:
    letters = [s.letter for s in bs.SENSATIONS]
    assert len(set(letters)) == len(letters)
    assert len(set(bs.SENSATION_WORDS)) == len(bs.SENSATIONS) >= 7
    for required in ("tight", "heavy", "restless", "numb", "buzzing", "warm", "calm"):
        assert required in bs.SENSATION_WORDS
    reserved = set("sdeg?0123456789") | bs.RESERVED_KEYS
    assert bs.RESERVED_KEYS >= set("tbcrq")  # other screens and quit, from anywhere
    assert not reserved & set(letters)
    assert not reserved & set(bs.KEYMAP) - set("sdeg0123")
    for s in bs.SENSATIONS:
        assert s.letter in s.word  # the key is a letter of its word
    for letter, word in bs.SENSATION_BY_LETTER.items():
        assert bs.KEYMAP[letter] == (bs.TOGGLE, word)


def test_keymap_covers_every_documented_key() -> None:
    assert bs.KEYMAP["left"] == bs.KEYMAP["backspace"] == (bs.BACK, None)
    assert bs.KEYMAP["right"] == (bs.NEXT, None)
    assert bs.KEYMAP["s"] == (bs.SKIP, None)
    assert bs.KEYMAP["d"] == (bs.FINISH, None)
    assert bs.KEYMAP["e"] == (bs.NOTE, None)
    assert bs.KEYMAP["space"] == (bs.HOLD, None)
    assert bs.KEYMAP["g"] == (bs.PACE, None)
    assert all(bs.KEYMAP[str(n)] == (bs.RATE, str(n)) for n in range(4))
    assert "4" not in bs.KEYMAP and "9" not in bs.KEYMAP


# --------------------------------------------------------------------------- the state machine


def press(state: ScanState, key: str) -> bs.Outcome:
    """What a key does on the scan screen: its action from KEYMAP, applied to the state."""
    return state.apply(*bs.KEYMAP[key]) if key in bs.KEYMAP else bs.Outcome.UNKNOWN


def keys(state: ScanState, presses: str | list[str]) -> list[bs.Outcome]:
    return [press(state, k) for k in presses]


def test_quick_scan_is_one_row_of_number_keys() -> None:
    state = ScanState.new(now=NOW)
    #            jaw neck chest breath belly hands back legs sleep weight depl raw fog tension
    outcomes = keys(state, "12301230" "2" "10203")
    assert set(outcomes) == {bs.Outcome.CHANGED}
    assert state.finished
    assert state.ratings == {
        "jaw": 1, "neck": 2, "chest": 3, "breath": 0, "belly": 1, "hands": 2, "back": 3,
        "legs": 0, "sleep": 2, "weight": 1, "depletion": 0, "rawness": 2, "fog": 0, "tension": 3,
    }  # fmt: skip


def test_guided_rating_stays_on_the_item_so_words_can_follow() -> None:
    state = ScanState.new(bs.GUIDED, now=NOW)
    assert keys(state, ["2", "i", "h"]) == [bs.Outcome.CHANGED] * 3
    assert state.index == 0
    assert state.rating("jaw") == 2 and state.words("jaw") == ("tight", "heavy")
    state.next()
    assert state.item.key == "neck"


def test_sleep_takes_one_to_three_and_ignores_zero() -> None:
    state = ScanState.new(now=NOW)
    keys(state, "00000000")
    assert state.item.key == "sleep"
    assert press(state, "0") is bs.Outcome.UNCHANGED
    assert state.item.key == "sleep" and state.rating() is None
    assert press(state, "1") is bs.Outcome.CHANGED
    assert state.ratings["sleep"] == 1 and state.item.key == "weight"


@pytest.mark.parametrize("key", ["4", "9", "x", "enter", "tab", "escape", "ctrl+c", "", "S"])
def test_keys_outside_the_keymap_change_nothing(key: str) -> None:
    state = ScanState.new(now=NOW)
    before = state.to_dict()
    assert press(state, key) is bs.Outcome.UNKNOWN
    assert state.to_dict() == before


def test_back_goes_to_the_previous_item_and_keeps_its_rating() -> None:
    state = ScanState.new(now=NOW)
    assert press(state, "left") is bs.Outcome.UNCHANGED  # nothing before the first
    keys(state, "21")
    assert state.item.key == "chest"
    assert keys(state, ["backspace", "left"]) == [bs.Outcome.CHANGED] * 2
    assert state.item.key == "jaw" and state.rating() == 2
    press(state, "3")  # re-rate and move on
    assert state.ratings["jaw"] == 3 and state.item.key == "neck"
    press(state, "right")
    assert state.item.key == "chest" and state.ratings["neck"] == 1


def test_skip_leaves_the_item_unrated_but_keeps_its_words_and_note() -> None:
    state = ScanState.new(bs.GUIDED, now=NOW)
    keys(state, ["3", "i"])
    state.set_note("after the 2pm session")
    assert press(state, "s") is bs.Outcome.CHANGED
    assert state.item.key == "neck"
    assert "jaw" not in state.ratings
    assert state.words("jaw") == ("tight",) and state.note("jaw") == "after the 2pm session"


def test_moving_past_the_last_item_finishes_and_a_finished_scan_ignores_every_key() -> None:
    state = ScanState.new(now=NOW)
    for _ in bs.ITEMS:
        press(state, "s")
    assert state.finished and state.ratings == {}
    before = state.to_dict()
    for key in [*bs.KEYMAP, "left", "e", "space"]:
        assert press(state, key) in (bs.Outcome.UNCHANGED,)
    assert not state.set_note("late")
    assert state.to_dict() == before


def test_done_finishes_early_with_the_rest_unrated() -> None:
    state = ScanState.new(now=NOW)
    keys(state, "12d")
    assert state.finished and state.ratings == {"jaw": 1, "neck": 2}
    assert bs.total(state.to_record(NOW)).unrated == bs.LOAD_KEYS[2:]


def test_sensations_toggle_on_and_off_and_keep_display_order() -> None:
    state = ScanState.new(now=NOW)
    keys(state, "mzi")
    assert state.words() == ("tight", "buzzing", "calm")
    press(state, "i")
    assert state.words() == ("buzzing", "calm")
    keys(state, "zm")
    assert "jaw" not in state.sensations  # no empty entries left behind
    assert not state.toggle("sparkly")


def test_note_and_hold_are_requests_for_the_screen() -> None:
    state = ScanState.new(now=NOW)
    assert press(state, "e") is bs.Outcome.NOTE
    assert press(state, "space") is bs.Outcome.HOLD
    assert state.index == 0 and state.is_empty


@pytest.mark.parametrize("text", hostile_strings())
def test_notes_are_cleaned_one_line_and_capped(text: str) -> None:
    state = ScanState.new(now=NOW)
    state.set_note(text)
    note = state.note()
    assert "\n" not in note and "\x1b" not in note and "\u202e" not in note
    assert len(note) <= bs.NOTE_LIMIT
    assert state.is_valid()
    assert ScanState.from_dict(json.loads(json.dumps(state.to_dict()))) == state


def test_an_empty_note_clears_it() -> None:
    state = ScanState.new(now=NOW)
    assert state.set_note("  jaw clenched in the last session ")
    assert state.note() == "jaw clenched in the last session"
    assert not state.set_note("jaw clenched in the last session")  # nothing new: no save
    assert state.set_note("   ")
    assert state.notes == {}


def test_progress_reads_as_words() -> None:
    state = ScanState.new(now=NOW)
    keys(state, "000")
    assert state.progress() == "4 of 14"


# ---- drafts


def test_a_half_done_scan_round_trips_through_json() -> None:
    state = ScanState.new(bs.GUIDED, seconds=12, now=NOW)
    keys(state, ["2", "i", "right", "3", "h", "right", "right", "left"])
    state.set_note("Ann's session")
    data = json.loads(json.dumps(state.to_dict()))
    again = ScanState.from_dict(data)
    assert again == state
    assert again.item.key == "chest" and again.note() == "Ann's session"
    assert again.mode == bs.GUIDED and again.seconds == 12
    assert again.started_at == NOW.isoformat()


@pytest.mark.parametrize(
    "damage",
    [
        {"index": 99},
        {"index": -3},
        {"index": True},
        {"index": "2"},
        {"mode": "turbo"},
        {"seconds": 0},
        {"seconds": -4},
        {"seconds": 10**9},
        {"seconds": float("nan")},
        {"ratings": {"jaw": 7, "sleep": 0, "elbow": 2, "neck": True, "back": "2"}},
        {"ratings": "lots"},
        {"sensations": {"jaw": ["tight", "sparkly", "tight"], "elbow": ["calm"], "neck": "calm"}},
        {"notes": {"jaw": "\x1b[2Jhi\nthere", "elbow": "x", "neck": 5}},
        {"started_at": "yesterday-ish"},
        {"finished": "yes"},
    ],
)
def test_a_damaged_draft_comes_back_valid(damage: dict) -> None:
    data = ScanState.new(now=NOW).to_dict() | damage
    state = ScanState.from_dict(data)
    assert state.is_valid(), state.problems()


def test_damaged_draft_keeps_whatever_was_good() -> None:
    data = {
        "index": 99,
        "ratings": {"jaw": 7, "neck": 2, "sleep": 3},
        "sensations": {"jaw": ["tight", "sparkly", "tight"]},
        "notes": {"jaw": "\x1b[2Jhi\nthere"},
    }
    state = ScanState.from_dict(data)
    assert state.index == len(bs.ITEMS) - 1
    assert state.ratings == {"neck": 2, "sleep": 3}
    assert state.sensations == {"jaw": ("tight",)}
    assert state.notes == {"jaw": "hi there"}
    assert not state.finished


@pytest.mark.parametrize("junk", [None, 3, "draft", [], ["index", 2]])
def test_a_draft_that_is_not_a_dict_starts_over(junk: object) -> None:
    state = ScanState.from_dict(junk)
    assert state.is_valid() and state.index == 0 and state.is_empty


scalars = (
    st.none() | st.booleans() | st.integers(-5, 20) | st.floats() | st.text(max_size=8)
    | st.sampled_from([*bs.ITEM_KEYS, *bs.SENSATION_WORDS, "quick", "guided", NOW.isoformat()])
)  # fmt: skip
json_values = scalars | st.lists(scalars, max_size=4) | st.dictionaries(
    st.sampled_from([*bs.ITEM_KEYS, "x"]), scalars | st.lists(scalars, max_size=3), max_size=5
)
draft_keys = st.sampled_from(
    ["version", "mode", "seconds", "index", "ratings", "sensations", "notes", "started_at", "finished"]
)


@RELAXED
@given(st.dictionaries(draft_keys, json_values))
def test_any_dict_gives_a_valid_state(data: dict) -> None:
    state = ScanState.from_dict(data)
    assert state.is_valid(), state.problems()
    assert ScanState.from_dict(state.to_dict()) == state


key_names = st.sampled_from([*bs.KEYMAP, "4", "9", "enter", "tab", "x", "escape"])


@RELAXED
@given(
    mode=st.sampled_from(bs.MODES),
    presses=st.lists(key_names, max_size=60),
    notes=st.lists(st.text(max_size=30) | st.sampled_from(hostile_strings()), max_size=3),
)
def test_any_key_sequence_leaves_a_valid_state_that_round_trips(
    mode: str, presses: list[str], notes: list[str]
) -> None:
    state = ScanState.new(mode, now=NOW)
    for i, key in enumerate(presses):
        outcome = press(state, key)
        if outcome is bs.Outcome.NOTE and notes:
            state.set_note(notes[i % len(notes)])
        assert state.is_valid(), (presses[: i + 1], state.problems())
        assert ScanState.from_dict(json.loads(json.dumps(state.to_dict()))) == state


class ScanMachine(RuleBasedStateMachine):
    """Drive the scan with every action in any order; it must always stay valid."""

    def __init__(self) -> None:
        super().__init__()
        self.state = ScanState.new(now=NOW)

    @rule(mode=st.sampled_from(bs.MODES))
    def restart(self, mode: str) -> None:
        self.state = ScanState.new(mode, now=NOW)

    @rule(value=st.integers(-2, 5))
    def rate(self, value: int) -> None:
        before = self.state.index
        was_finished = self.state.finished
        accepted = self.state.rate(value)
        assert accepted == (not was_finished and value in bs.ITEMS[before].scale.values)
        if accepted:
            key = bs.ITEMS[before].key
            assert self.state.ratings[key] == value
            if self.state.mode == bs.QUICK and not self.state.finished:
                assert self.state.index == before + 1
            if self.state.mode == bs.GUIDED:
                assert self.state.index == before

    @rule()
    def next(self) -> None:
        before, was_finished = self.state.index, self.state.finished
        self.state.next()
        if not was_finished:
            assert self.state.index == before + 1 or self.state.finished

    @rule()
    def back(self) -> None:
        before = self.state.index
        moved = self.state.back()
        assert self.state.index == (before - 1 if moved else before)

    @rule()
    def skip(self) -> None:
        key = self.state.item.key
        if self.state.skip():
            assert key not in self.state.ratings

    @rule(word=st.sampled_from(bs.SENSATION_WORDS))
    def toggle_twice_is_no_change(self, word: str) -> None:
        before = self.state.to_dict()
        self.state.toggle(word)
        self.state.toggle(word)
        assert self.state.to_dict() == before

    @rule(word=st.sampled_from(bs.SENSATION_WORDS))
    def toggle(self, word: str) -> None:
        self.state.toggle(word)

    @rule(text=st.text(max_size=200))
    def note(self, text: str) -> None:
        self.state.set_note(text)

    @rule(mode=st.sampled_from(bs.MODES))
    def set_mode(self, mode: str) -> None:
        before = self.state.to_dict()
        if self.state.set_mode(mode):
            assert self.state.mode == mode
            assert {k: v for k, v in self.state.to_dict().items() if k != "mode"} == {
                k: v for k, v in before.items() if k != "mode"
            }

    @rule()
    def finish(self) -> None:
        self.state.finish()
        assert self.state.finished

    @invariant()
    def valid(self) -> None:
        assert self.state.is_valid(), self.state.problems()

    @invariant()
    def round_trips(self) -> None:
        assert ScanState.from_dict(json.loads(json.dumps(self.state.to_dict()))) == self.state


TestScanMachine = ScanMachine.TestCase
TestScanMachine.settings = settings(
    RELAXED, max_examples=60, stateful_step_count=40
)


# --------------------------------------------------------------------------- records


def test_a_finished_scan_becomes_a_record_that_round_trips() -> None:
    state = ScanState.new(now=NOW)
    keys(state, ["2", "i", "s", "3"])
    rec = state.to_record(NOW.add(minutes=1))
    assert rec.taken_at == "2025-03-20T15:31:00+00:00"
    assert rec.ratings == {"jaw": 2, "chest": 3}
    assert rec.sensations == {"neck": ("tight",)}  # quick mode had moved on to neck
    assert ScanRecord.from_dict(json.loads(json.dumps(rec.to_dict()))) == rec


def test_a_record_goes_to_the_store_and_back(store) -> None:  # type: ignore[no-untyped-def]
    state = ScanState.new(now=NOW)
    keys(state, ["2", "i", "z", "s", "3", "d"])
    state_record = state.to_record(NOW)
    saved = store.add(bs.model_from_record(state_record))
    assert saved.skipped == [k for k in bs.ITEM_KEYS if k not in ("jaw", "chest")]
    [loaded] = store.all(type(saved))
    again = bs.record_from_model(loaded)
    assert again == state_record
    assert again.when(TZ) == NOW


def test_a_stored_scan_with_odd_values_still_reads() -> None:
    from app.models import BodyScan

    odd = BodyScan(when=NOW, ratings={"jaw": 9, "neck": 2}, sensations={"neck": ["calm", "??"]})
    rec = bs.record_from_model(odd)
    assert rec.ratings == {"neck": 2} and rec.sensations == {"neck": ("calm",)}


@pytest.mark.parametrize("taken_at", [None, "", "soon", 12])
def test_a_record_needs_a_real_time(taken_at: object) -> None:
    with pytest.raises(ValueError):
        ScanRecord.from_dict({"taken_at": taken_at, "ratings": {}})


def test_a_record_drops_bad_ratings() -> None:
    rec = ScanRecord.from_dict({"taken_at": NOW.isoformat(), "ratings": {"jaw": 9, "neck": 1}})
    assert rec.ratings == {"neck": 1}


# --------------------------------------------------------------------------- summary


def test_total_adds_body_and_signals_and_keeps_sleep_apart() -> None:
    rec = record(NOW, jaw=2, neck=3, chest=1, sleep=1, weight=2, fog=3)
    counted = bs.total(rec)
    assert (counted.body, counted.signals, counted.total) == (6, 5, 11)
    assert counted.sleep == 1
    assert counted.rated == 5 and counted.out_of == 15
    assert "sleep" not in counted.unrated and "back" in counted.unrated


@RELAXED
@given(st.dictionaries(st.sampled_from(bs.LOAD_KEYS), st.integers(0, 3)), st.integers(1, 3))
def test_total_never_includes_sleep_and_stays_within_bounds(ratings: dict, sleep: int) -> None:
    with_sleep = bs.total(record(NOW, **ratings, sleep=sleep))
    without = bs.total(record(NOW, **ratings))
    assert with_sleep.total == without.total == sum(ratings.values())
    assert 0 <= with_sleep.total <= with_sleep.out_of <= bs.MAX_TOTAL


def test_load_now_lists_the_highest_items_first_in_scan_order_within_a_tie() -> None:
    rec = record(NOW, jaw=1, neck=3, chest=2, back=3, sleep=1, fog=2, legs=0)
    assert [(i.key, v) for i, v in bs.load_now(rec)] == [("neck", 3), ("back", 3), ("chest", 2)]
    assert [i.key for i, _ in bs.load_now(rec, limit=5)] == ["neck", "back", "chest", "fog", "jaw"]


def test_load_now_is_empty_when_nothing_is_there() -> None:
    assert bs.load_now(record(NOW, jaw=0, neck=0, sleep=1)) == []


def test_comparison_with_the_previous_scan_per_item() -> None:
    before = record(NOW.subtract(days=1), jaw=1, neck=2, chest=3, sleep=2)
    now = record(NOW, jaw=2, neck=2, chest=1, sleep=3, fog=2)
    changes = bs.compare(now, before)
    assert changes == {"jaw": bs.Change.UP, "neck": bs.Change.SAME, "chest": bs.Change.DOWN, "sleep": bs.Change.UP}
    assert "fog" not in changes  # nothing to compare against
    assert bs.compare(now, None) == {}
    assert (bs.Change.UP.word, bs.Change.UP.symbol) == ("higher", "^")


def test_previous_scan_is_the_latest_before_this_one_whatever_the_offsets() -> None:
    a = record(pendulum.datetime(2025, 3, 20, 9, 0, tz="UTC"), jaw=1)
    b = record(pendulum.datetime(2025, 3, 20, 11, 0, tz="Asia/Tokyo"), jaw=2)  # 02:00 UTC
    current = record(pendulum.datetime(2025, 3, 20, 10, 0, tz="UTC"), jaw=3)
    later = record(pendulum.datetime(2025, 3, 21, 10, 0, tz="UTC"), jaw=0)
    assert bs.previous_scan(current, [b, later, a]) == a
    assert bs.previous_scan(b, [a, current]) is None


# ---- trends


def test_daily_values_take_each_days_highest_and_only_days_with_scans() -> None:
    recs = [
        record(NOW.subtract(days=2).at(9), jaw=1),
        record(NOW.subtract(days=2).at(17), jaw=3),
        record(NOW.subtract(days=2).at(12), jaw=2),
        record(NOW.subtract(days=5), neck=2),  # a scan day where jaw was skipped
        record(NOW, jaw=0),
    ]
    got = bs.daily_values(recs, "jaw", days=14, now=NOW, tz=TZ)
    assert got == [
        (NOW.subtract(days=5).date(), None),
        (NOW.subtract(days=2).date(), 3),
        (NOW.date(), 0),
    ]


def test_sleep_takes_the_days_latest_answer() -> None:
    recs = [record(NOW.at(9), sleep=3), record(NOW.at(11), sleep=1), record(NOW.at(8), sleep=2)]
    assert bs.daily_values(recs, "sleep", days=14, now=NOW, tz=TZ) == [(NOW.date(), 1)]


def test_days_are_local_days() -> None:
    # 23:30 in New York on the 19th is already the 20th in UTC.
    late = record(pendulum.datetime(2025, 3, 19, 23, 30, tz="America/New_York"), jaw=2)
    now = pendulum.datetime(2025, 3, 20, 12, tz="America/New_York")
    assert bs.daily_values([late], "jaw", days=14, now=now, tz="America/New_York")[0][0].day == 19
    assert bs.daily_values([late], "jaw", days=14, now=now, tz="UTC")[0][0].day == 20


def test_windows_include_today_and_exactly_n_days_back() -> None:
    recs = [record(NOW.subtract(days=d), jaw=1) for d in (0, 13, 14, 29, 30)]
    assert len(bs.daily_values(recs, "jaw", days=14, now=NOW, tz=TZ)) == 2
    assert len(bs.daily_values(recs, "jaw", days=30, now=NOW, tz=TZ)) == 4
    future = [record(NOW.add(days=1), jaw=3)]
    assert bs.daily_values(future, "jaw", days=14, now=NOW, tz=TZ) == []


def test_sparklines_draw_levels_and_gaps_in_both_charsets() -> None:
    assert bs.sparkline([0, 1, 2, 3, None, 3]) == "·░▒█ █"
    assert bs.sparkline([0, 1, 2, 3, None, 3], charset=bs.SPARK_ASCII) == ".-=# #"
    assert bs.sparkline([]) == ""
    assert bs.sparkline([0, 1, 20, 39], top=39, charset=bs.SPARK_ASCII) == ".-=#"


@RELAXED
@given(st.lists(st.none() | st.integers(0, 39), max_size=30), st.integers(1, 39))
def test_a_sparkline_has_one_cell_per_day_and_anything_above_zero_shows(values: list, top: int) -> None:
    line = bs.sparkline(values, top=top, charset=bs.SPARK_ASCII)
    assert len(line) == len(values)
    for value, cell in zip(values, line):
        if value is None:
            assert cell == " "
        else:
            assert (cell == ".") == (value == 0)


def test_trends_cover_every_item_and_the_total_in_14_and_30_days() -> None:
    recs = [record(NOW.subtract(days=d), jaw=d % 4, weight=3, sleep=2) for d in (0, 1, 3, 20)]
    got = bs.trends(recs, now=NOW, tz=TZ, charset=bs.SPARK_ASCII)
    assert set(got) == {*bs.ITEM_KEYS, "total", bs.OVERALL}
    assert got["jaw"].lines[14] == "#-."  # days -3, -1, 0 (oldest first): 3, 1, 0
    assert got["jaw"].values[14] == [3, 1, 0]
    assert got["jaw"].values[30] == [0, 3, 1, 0]
    assert got["jaw"].lines[30] == ".#-."
    assert got["back"].lines[14] == "   "  # days with scans, item never rated
    assert got["total"].values[14] == [6, 4, 3]


# --------------------------------------------------------------------------- next steps


def patterns(rec: ScanRecord) -> list[str | None]:
    return [s.pattern for s in bs.suggest(rec) if s.kind == bs.BREATHE]


@pytest.mark.parametrize("key", ["chest", "breath"])
def test_a_high_chest_or_breath_suggests_the_physiological_sigh_first(key: str) -> None:
    rec = record(NOW, **{key: 2}, jaw=3, back=3, belly=3)
    first = bs.suggest(rec)[0]
    assert (first.kind, first.pattern, first.because) == (bs.BREATHE, "sigh", (key,))
    assert patterns(rec) == ["sigh", "extended"]


@pytest.mark.parametrize("key", ["jaw", "neck", "back", "hands", "tension"])
def test_tension_suggests_the_longer_out_breath(key: str) -> None:
    suggestions = bs.suggest(record(NOW, **{key: 2}))
    assert [s.pattern for s in suggestions] == ["extended"]
    assert suggestions[0].because == (key,)


def test_fog_suggests_box_and_poor_sleep_suggests_478() -> None:
    assert patterns(record(NOW, fog=2)) == ["box"]
    assert patterns(record(NOW, sleep=1)) == ["478"]
    assert patterns(record(NOW, sleep=2)) == ["coherent"]


def test_low_ratings_still_offer_a_gentle_default_without_a_reason() -> None:
    [only] = bs.suggest(record(NOW, jaw=1, chest=1, sleep=3))
    assert (only.kind, only.pattern, only.because) == (bs.BREATHE, "coherent", ())


def test_at_most_two_breathing_patterns_in_priority_order() -> None:
    rec = record(NOW, chest=3, jaw=3, fog=3, belly=3, sleep=1)
    assert patterns(rec) == ["sigh", "extended"]


@pytest.mark.parametrize(
    ("signals", "high"),
    [
        ({}, False),
        ({"weight": 2}, False),
        ({"weight": 1, "depletion": 1, "rawness": 1, "fog": 1, "tension": 1}, False),
        ({"weight": 3}, True),
        ({"fog": 2, "tension": 2}, True),
        ({"rawness": 2, "depletion": 3}, True),
    ],
)
def test_high_signals_put_reaching_out_first(signals: dict, high: bool) -> None:
    rec = record(NOW, chest=3, **signals)
    suggestions = bs.suggest(rec)
    assert bs.signals_high(rec) is high
    assert (suggestions[0].kind == bs.REACH_OUT) is high
    assert sum(s.kind == bs.REACH_OUT for s in suggestions) == int(high)
    if high:
        assert suggestions[0].because == tuple(k for k in bs.SIGNAL_KEYS if signals.get(k, 0) >= 2)
        assert suggestions[0].pattern is None


def test_body_load_alone_never_asks_to_reach_out() -> None:
    rec = record(NOW, **{k: 3 for k in bs.BODY_KEYS}, sleep=1)
    assert not bs.signals_high(rec)
    assert all(s.kind == bs.BREATHE for s in bs.suggest(rec))


@RELAXED
@given(st.dictionaries(st.sampled_from(bs.ITEM_KEYS), st.integers(0, 3)))
def test_suggestions_always_fit_what_the_screen_can_act_on(ratings: dict) -> None:
    if ratings.get("sleep") == 0:
        ratings["sleep"] = 1
    rec = record(NOW, **ratings)
    suggestions = bs.suggest(rec)
    breathing = [s for s in suggestions if s.kind == bs.BREATHE]
    assert 1 <= len(breathing) <= bs.MAX_BREATHING
    assert all(s.pattern in bs.PATTERNS for s in breathing)
    assert len({s.pattern for s in breathing}) == len(breathing)
    assert len(suggestions) <= 3
    if (ratings.get("chest", 0) >= 2) or (ratings.get("breath", 0) >= 2):
        assert breathing[0].pattern == "sigh"
    assert any(s.kind == bs.REACH_OUT for s in suggestions) == bs.signals_high(rec)
    for s in suggestions:
        assert all(rec.value(k) is not None for k in s.because)


@pytest.mark.parametrize("name", hostile_strings())
def test_reach_out_line_shows_a_clean_name(name: str) -> None:
    line = bs.reach_out_line(name)
    assert "\x1b" not in line and "\n" not in line and "\u202e" not in line
    assert line.startswith(("Send ", "Add a colleague"))


def test_reach_out_line_reads_naturally() -> None:
    assert bs.reach_out_line("Sam") == "Send Sam a check-in"
    assert bs.reach_out_line(None).startswith("Add a colleague")


# --------------------------------------------------------------------------- history and summary


def test_history_rows_are_newest_first_in_local_time_with_top_items() -> None:
    older = record(pendulum.datetime(2025, 3, 18, 9, 5, tz="UTC"), jaw=1, neck=3, back=2)
    newer = record(pendulum.datetime(2025, 3, 19, 23, 30, tz="UTC"), chest=2)
    rows = bs.history_rows([older, newer], tz="Europe/Berlin")
    assert [r.record for r in rows] == [newer, older]
    assert rows[0].when == "Thu 20 Mar 2025  00:30"
    assert (rows[1].total, rows[1].out_of, rows[1].top) == (6, 9, ("shoulders", "back", "jaw"))


def test_summarise_brings_it_together_and_counts_the_current_scan_once() -> None:
    before = record(NOW.subtract(days=1), jaw=1, chest=1, weight=1)
    current = record(NOW, jaw=2, chest=3, weight=3)
    summary = bs.summarise(current, [before, current], now=NOW, tz=TZ)
    assert summary.previous == before
    assert summary.total.total == 8 and summary.total_change is bs.Change.UP
    assert summary.changes["chest"] is bs.Change.UP
    assert [i.key for i, _ in summary.load] == ["chest", "weight", "jaw"]
    assert summary.trends["chest"].values[14] == [1, 3]
    assert [(s.kind, s.pattern) for s in summary.suggestions] == [
        (bs.REACH_OUT, None),
        (bs.BREATHE, "sigh"),  # chest
        (bs.BREATHE, "extended"),  # jaw
    ]


def test_summarise_a_first_scan_has_no_comparison() -> None:
    summary = bs.summarise(record(NOW, jaw=1), [], now=NOW, tz=TZ)
    assert summary.previous is None and summary.total_change is None and summary.changes == {}


# --------------------------------------------------------------------------- guided pacing


def test_pacer_counts_down_holds_and_resumes_without_drift() -> None:
    pacer = bs.Pacer(seconds=8, started=100.0)
    assert pacer.countdown(100.0) == 8
    assert pacer.countdown(102.5) == 6
    assert pacer.hold(103.0) and pacer.held
    assert not pacer.hold(104.0)
    assert pacer.countdown(150.0) == 5 and not pacer.due(500.0)  # frozen while held
    assert pacer.resume(160.0) and not pacer.held
    assert pacer.remaining(160.0) == pytest.approx(5.0)
    assert not pacer.due(164.9) and pacer.due(165.0)
    assert pacer.remaining(1000.0) == 0.0


def test_pacer_restart_gives_full_time_and_keeps_a_hold() -> None:
    pacer = bs.Pacer(seconds=8, started=0.0)
    pacer.toggle(3.0)
    pacer.restart(10.0)
    assert pacer.held and pacer.countdown(20.0) == 8
    assert not pacer.toggle(20.0)
    pacer.restart(30.0, seconds=5)
    assert pacer.countdown(30.0) == 5 and pacer.due(35.0)


@RELAXED
@given(
    st.lists(
        st.tuples(st.sampled_from(["hold", "resume", "toggle", "tick"]), st.floats(0, 30)),
        max_size=20,
    )
)
def test_pacer_time_held_never_counts(steps: list) -> None:
    pacer = bs.Pacer(seconds=10, started=0.0)
    now, running = 0.0, 0.0
    for action, gap in steps:
        if not pacer.held:
            running += gap
        now += gap
        if action != "tick":
            getattr(pacer, action)(now)
        assert pacer.remaining(now) == pytest.approx(max(0.0, 10 - running), abs=1e-6)


@pytest.mark.parametrize(
    ("given_", "kept"),
    [(0, 2), (8, 8), (12.7, 12), (600, 120), (True, 8), ("5", 8), (float("inf"), 120)],
)
def test_seconds_per_item_stay_sensible(given_: object, kept: int) -> None:
    assert bs.clamp_seconds(given_) == kept
