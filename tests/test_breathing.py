"""The breathing timeline, patterns and figure: pure logic, no Textual."""

from __future__ import annotations

import json
import math

import pendulum
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.breathing import (
    CUSTOM_SLOTS,
    FIGURE_STEPS,
    MAX_CYCLES,
    PRESETS,
    BreathingRun,
    Pattern,
    PatternInvalid,
    Phase,
    SessionLength,
    build_custom_pattern,
    closing_line,
    custom_key,
    figure_lines,
    figure_step,
    figure_width,
    find_pattern,
    format_clock,
    get_preset,
    load_custom_patterns,
    next_change,
    parse_length,
    parse_seconds,
    pattern_from_record,
    plan_cycles,
    progress_dots,
    state_at,
    unknown_pattern_message,
    validate_cycles,
    validate_minutes,
    validate_pattern,
)
from app.textclean import is_clean
from tests.conftest import HOSTILE

BOX = get_preset("box")
assert BOX is not None


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def half_seconds(low: float = 0.0, high: float = 20.0) -> st.SearchStrategy[float]:
    return st.integers(int(low * 2), int(high * 2)).map(lambda n: n / 2)


@st.composite
def patterns(draw: st.DrawFn) -> Pattern:
    """Presets and arbitrary valid custom patterns."""
    if draw(st.booleans()):
        return draw(st.sampled_from(PRESETS))
    values = [
        draw(half_seconds(0.5)),
        draw(half_seconds()),
        draw(half_seconds(0.5)),
        draw(half_seconds()),
    ]
    return build_custom_pattern("Mine", [(kind, v) for (kind, _), v in zip(CUSTOM_SLOTS, values)])


# --- presets --------------------------------------------------------------------------------


def test_presets_have_the_fixed_keys_in_order() -> None:
    assert [p.key for p in PRESETS] == ["box", "478", "coherent", "sigh", "extended"]


@pytest.mark.parametrize(
    ("key", "rhythm", "cycle", "pace"),
    [
        ("box", "4-4-4-4", 16, "3.8 breaths/min"),
        ("478", "4-7-8", 19, "3.2 breaths/min"),
        ("coherent", "5.5-5.5", 11, "5.5 breaths/min"),
        ("sigh", "2-1-7", 10, "6 breaths/min"),
        ("extended", "4-6", 10, "6 breaths/min"),
    ],
)
def test_preset_rhythm_and_pace(key: str, rhythm: str, cycle: float, pace: str) -> None:
    pattern = get_preset(key)
    assert pattern is not None
    assert pattern.rhythm == rhythm
    assert pattern.cycle_seconds == cycle
    assert pattern.breaths_per_minute == pytest.approx(60 / cycle)
    assert pattern.pace == pace


def test_every_preset_has_a_one_sentence_blurb() -> None:
    for pattern in PRESETS:
        assert pattern.blurb.endswith(".")
        assert pattern.blurb.count(". ") == 0
        assert 20 < len(pattern.blurb) <= 70  # one line in the list at 80 columns


def test_sigh_has_a_second_short_inhale_and_says_so() -> None:
    sigh = get_preset("sigh")
    assert sigh is not None
    assert [kind for kind, _ in sigh.phases] == ["inhale", "inhale", "exhale"]
    assert sigh.phases[1].seconds < sigh.phases[0].seconds < sigh.phases[2].seconds
    assert [sigh.phase_label(i) for i in range(3)] == ["Breathe in", "A little more in", "Breathe out"]
    # The first inhale fills most of the way; the second tops it up.
    assert 0.5 < state_at(sigh, 1, 1.999).size < 0.7
    assert state_at(sigh, 1, 2.999).size == pytest.approx(1, abs=0.01)


def test_pattern_rejects_impossible_cycles() -> None:
    with pytest.raises(ValueError):
        Pattern("x", "X", (Phase("inhale", 4),))
    with pytest.raises(ValueError):
        Pattern("x", "X", (Phase("inhale", 4), Phase("exhale", 0)))
    with pytest.raises(ValueError):
        Pattern("x", "X", (Phase("inhale", 4), Phase("sneeze", 1), Phase("exhale", 4)))


# --- stored custom patterns -----------------------------------------------------------------


def test_custom_pattern_round_trips_through_stored_data() -> None:
    pattern = build_custom_pattern("Evening", [("inhale", "4"), ("hold", "0"), ("exhale", "7.5"), ("hold", "1")])
    assert pattern.rhythm == "4-7.5-1"  # the empty hold is left out
    assert pattern.custom
    again = Pattern.from_dict(json.loads(json.dumps(pattern.to_dict())))
    assert again == pattern


@pytest.mark.parametrize("text", HOSTILE)
def test_stored_pattern_names_come_back_clean(text: str) -> None:
    data = {"key": "custom-x", "name": text, "phases": [["inhale", 4], ["exhale", 4]]}
    try:
        pattern = Pattern.from_dict(data)
    except ValueError:
        assert not text.strip() or not is_clean(text)  # only empty-after-cleaning names fail
        return
    assert is_clean(pattern.name)
    assert "\n" not in pattern.name and "\x1b" not in pattern.name


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"key": "k", "name": "N"},
        {"key": "k", "name": "N", "phases": "4-4"},
        {"key": "k", "name": "N", "phases": [["inhale", "4"], ["exhale", 4]]},
        {"key": "k", "name": "N", "phases": [["inhale", 4]]},
        {"key": "k", "name": "N", "phases": [["inhale", float("nan")], ["exhale", 4]]},
        {"key": "k", "name": "N", "phases": [["inhale", True], ["exhale", 4]]},
        {"key": "", "name": "N", "phases": [["inhale", 4], ["exhale", 4]]},
    ],
)
def test_unreadable_stored_patterns_are_skipped_not_fatal(data: object) -> None:
    good = {"key": "custom-ok", "name": "Fine", "phases": [{"kind": "inhale", "seconds": 3}, ["exhale", 5]]}
    loaded = load_custom_patterns([data, good])
    assert [p.key for p in loaded] == ["custom-ok"]
    assert loaded[0].rhythm == "3-5"


def test_custom_keys_are_unique_and_never_shadow_a_preset() -> None:
    assert custom_key("Box") == "custom-box"
    assert custom_key("Evening", ["custom-evening"]) == "custom-evening-2"
    assert custom_key("\x1b[2JEve") == "custom-eve"  # the escape is cleaned away first
    assert custom_key("李小龍", ["custom-pattern"]) == "custom-pattern-2"
    assert custom_key("李小龍") == "custom-pattern"
    assert all(custom_key(name).startswith("custom-") for name in HOSTILE)


# --- validation -----------------------------------------------------------------------------


def slots(*values: object) -> list[tuple[str, object]]:
    return [(kind, value) for (kind, _), value in zip(CUSTOM_SLOTS, values)]


@given(
    half_seconds(0.5),
    half_seconds(),
    half_seconds(0.5),
    half_seconds(),
)
def test_any_half_second_pattern_with_breath_in_and_out_is_valid(a: float, b: float, c: float, d: float) -> None:
    assert validate_pattern("Mine", slots(a, b, c, d)) == {}
    pattern = build_custom_pattern("Mine", slots(str(a), str(b), str(c), str(d)))
    assert pattern.cycle_seconds == a + b + c + d


@given(st.floats(allow_nan=True, allow_infinity=True), st.integers(0, 3))
def test_out_of_range_or_uneven_seconds_are_named_next_to_their_field(value: float, slot: int) -> None:
    acceptable = math.isfinite(value) and 0 <= value <= 20 and (value * 2).is_integer()
    assume(not acceptable)
    values: list[object] = [4, 2, 4, 2]
    values[slot] = value
    errors = validate_pattern("Mine", slots(*values))
    assert f"phase-{slot}" in errors
    assert set(errors) == {f"phase-{slot}"}
    assert "Traceback" not in errors[f"phase-{slot}"] and errors[f"phase-{slot}"].endswith(".")


@given(st.text(max_size=12))
def test_typed_seconds_never_raise_anything_but_a_friendly_error(text: str) -> None:
    try:
        value = parse_seconds(text)
    except ValueError as error:
        assert str(error)[0].isupper() and str(error).endswith(".")
    else:
        assert 0 <= value <= 20 and (value * 2).is_integer()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("4", 4.0), (" 4.5 ", 4.5), ("4,5", 4.5), ("", 0.0), ("3s", 3.0), (7, 7.0)],
)
def test_seconds_are_read_the_way_people_type_them(typed: object, expected: float) -> None:
    assert parse_seconds(typed) == expected


def test_messages_say_what_to_do() -> None:
    errors = validate_pattern("", slots("0", "4", "", "x"))
    assert errors == {
        "name": "Give it a name, so you can find it again.",
        "phase-0": "Give the breath in some time: half a second or more.",
        "phase-2": "Give the breath out some time: half a second or more.",
        "phase-3": "Use a number of seconds, like 4 or 5.5.",
    }
    assert validate_pattern("Box breathing", slots(4, 4, 4, 4), taken_names=["box BREATHING"]) == {
        "name": "You already have a pattern with this name; try another."
    }
    assert validate_pattern("x" * 41, slots(4, 4, 4, 4)) == {"name": "Keep the name to 40 characters or fewer."}
    assert validate_pattern("Solo", [("inhale", 4)]) == {"phases": "Add a breath out."}


def test_a_typing_error_is_not_doubled_by_a_missing_breath_message() -> None:
    assert validate_pattern("Mine", slots("four", 0, 4, 0)) == {"phase-0": "Use a number of seconds, like 4 or 5.5."}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_are_cleaned_or_refused_never_stored_raw(name: str) -> None:
    try:
        pattern = build_custom_pattern(name, slots(4, 0, 4, 0))
    except PatternInvalid as invalid:
        assert set(invalid.errors) == {"name"}
        return
    assert is_clean(pattern.name) and pattern.name.strip() == pattern.name
    assert 0 < len(pattern.name) <= 40


# --- length ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "minutes", "cycles"),
    [("box", 1, 4), ("box", 2, 8), ("478", 1, 3), ("coherent", 2, 11), ("sigh", 5, 30), ("box", 0.1, 1)],
)
def test_minutes_become_the_nearest_whole_number_of_cycles(key: str, minutes: float, cycles: int) -> None:
    pattern = get_preset(key)
    assert pattern is not None
    assert plan_cycles(pattern, minutes=minutes) == cycles


@given(patterns(), st.floats(0.05, 60))
def test_a_session_by_minutes_ends_on_a_whole_cycle_within_half_a_cycle(pattern: Pattern, minutes: float) -> None:
    cycles = plan_cycles(pattern, minutes=minutes)
    assert cycles >= 1
    if cycles > 1 and cycles < MAX_CYCLES:
        assert abs(cycles * pattern.cycle_seconds - minutes * 60) <= pattern.cycle_seconds / 2 + 1e-9


def test_length_by_cycles_and_bad_arguments() -> None:
    assert plan_cycles(BOX, cycles=6) == 6
    assert plan_cycles(BOX, cycles=0) == 1
    with pytest.raises(ValueError):
        plan_cycles(BOX)
    with pytest.raises(ValueError):
        plan_cycles(BOX, minutes=2, cycles=3)
    with pytest.raises(ValueError):
        plan_cycles(BOX, minutes=float("nan"))


def test_remembered_length_round_trips_and_falls_back_to_two_minutes() -> None:
    for length in (SessionLength(minutes=3), SessionLength(minutes=None, cycles=6)):
        assert SessionLength.from_dict(length.to_dict()) == length
    assert SessionLength(minutes=None, cycles=6).label == "6 cycles"
    assert SessionLength(minutes=1.5).label == "1.5 min"
    for junk in (None, "2", {"minutes": -1}, {"cycles": True}, {"minutes": float("inf")}, {"cycles": 10**6}):
        assert SessionLength.from_dict(junk) == SessionLength(minutes=2)


def test_typed_lengths() -> None:
    assert validate_minutes("4") == (4.0, None)
    assert validate_minutes("1,5") == (1.5, None)
    assert validate_minutes("0")[1] == "Type a number of minutes, like 4 or 1.5."
    assert validate_minutes("600")[1] == "Up to 60 minutes at a time."
    assert validate_cycles("6") == (6, None)
    assert validate_cycles("6.5")[1] == "Type a whole number of cycles, like 6."
    assert validate_cycles("999")[1] == "Up to 200 cycles at a time."


# --- the timeline ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("t", "label", "countdown", "size", "cycle"),
    [
        (0, "Breathe in", 4, 0.0, 1),
        (2, "Breathe in", 2, 0.5, 1),
        (3.2, "Breathe in", 1, 0.8, 1),
        (4, "Hold", 4, 1.0, 1),
        (9, "Breathe out", 3, 0.75, 1),
        (15.5, "Hold", 1, 0.0, 1),
        (16, "Breathe in", 4, 0.0, 2),
        (63.9, "Hold", 1, 0.0, 4),
    ],
)
def test_box_phase_and_countdown_at_any_moment(t: float, label: str, countdown: int, size: float, cycle: int) -> None:
    state = state_at(BOX, 4, t)
    assert (state.label, state.countdown, state.cycle) == (label, countdown, cycle)
    assert state.size == pytest.approx(size)
    assert not state.finished


def test_the_session_ends_after_the_last_whole_cycle() -> None:
    just_before = state_at(BOX, 4, 63.999)
    assert not just_before.finished and just_before.cycles_done == 3 and just_before.seconds_left == 1
    end = state_at(BOX, 4, 64)
    assert end.finished and end.cycles_done == 4 and end.countdown == 0 and end.seconds_left == 0
    assert state_at(BOX, 4, 500) == end


@given(patterns(), st.integers(1, 12), st.floats(0, 1))
def test_timeline_accounts_for_every_second(pattern: Pattern, cycles: int, share: float) -> None:
    total = pattern.cycle_seconds * cycles
    t = share * total
    state = state_at(pattern, cycles, t)
    if state.finished:
        assert t >= total
        return
    assert state.phase_elapsed + state.phase_remaining == pytest.approx(state.phase_seconds)
    start = sum(s for _, s in pattern.phases[: state.phase_index])
    assert state.cycles_done * pattern.cycle_seconds + start + state.phase_elapsed == pytest.approx(t)
    assert state.total_remaining == pytest.approx(total - t)
    assert 0 <= state.size <= 1 and 0 <= state.fraction <= 1
    assert 1 <= state.countdown <= math.ceil(state.phase_seconds)
    assert state.kind == pattern.phases[state.phase_index].kind


@given(patterns(), st.floats(0, 1), st.floats(0, 1))
def test_figure_grows_on_inhale_holds_still_and_shrinks_on_exhale(pattern: Pattern, a: float, b: float) -> None:
    early, late = sorted((a, b))
    for index, (kind, seconds) in enumerate(pattern.phases):
        start = sum(s for _, s in pattern.phases[:index])
        first = state_at(pattern, 1, start + early * seconds * 0.999)
        second = state_at(pattern, 1, start + late * seconds * 0.999)
        assert first.phase_index == second.phase_index == index
        if kind == "inhale":
            assert second.size >= first.size
        elif kind == "exhale":
            assert second.size <= first.size
        else:
            assert second.size == first.size


# --- a running session ----------------------------------------------------------------------


def test_run_keeps_time_against_the_clock_not_against_frames() -> None:
    clock = FakeClock()
    run = BreathingRun(BOX, 2, clock=clock)
    assert run.state().elapsed == 0 and not run.finished
    run.start()
    clock.advance(5.25)
    assert run.state().label == "Hold" and run.state().phase_elapsed == pytest.approx(1.25)
    clock.advance(26.75)
    assert run.finished and run.completed
    assert run.state().finished


def test_pausing_shifts_the_rest_of_the_schedule() -> None:
    clock = FakeClock()
    run = BreathingRun(BOX, 2, clock=clock)
    run.start()
    clock.advance(6)
    before = run.state()
    assert run.toggle_pause() is True
    clock.advance(45)
    assert run.state() == before  # nothing moves while paused
    assert run.next_change() is None
    assert run.toggle_pause() is False
    assert run.state() == before
    clock.advance(26)  # 6 + 26 = 32 s of breathing: exactly the end
    assert run.finished
    summary = run.summary()
    assert summary["actual_seconds"] == 32 and summary["completed"]


def test_cycles_can_be_added_and_removed_but_never_below_the_one_in_progress() -> None:
    clock = FakeClock()
    run = BreathingRun(BOX, 3, clock=clock)
    run.start()
    clock.advance(20)  # in cycle 2
    assert run.remove_cycle() and run.cycles == 2
    assert not run.remove_cycle() and run.cycles == 2
    assert run.add_cycle() and run.cycles == 3
    assert run.state().seconds_left == 48 - 20
    clock.advance(28)
    assert run.finished
    assert not run.add_cycle()


def test_removing_a_cycle_never_ends_the_session_under_you() -> None:
    clock = FakeClock()
    run = BreathingRun(BOX, 1, clock=clock)
    run.start()
    assert not run.remove_cycle()
    assert run.cycles == 1


def test_ending_early_keeps_the_partial_session() -> None:
    clock = FakeClock()
    run = BreathingRun(BOX, 4, clock=clock)
    started = pendulum.datetime(2025, 3, 4, 10, 0, tz="Europe/London")
    run.start(now=started)
    clock.advance(37.5)
    assert run.end_early()
    clock.advance(100)
    summary = run.summary(now=started.add(seconds=40))
    assert summary == {
        "pattern_key": "box",
        "pattern_name": "Box breathing",
        "rhythm": "4-4-4-4",
        "planned_seconds": 64,
        "actual_seconds": 37.5,
        "cycles_planned": 4,
        "cycles_done": 2,
        "completed": False,
        "ended_early": True,
        "started_at": "2025-03-04T10:00:00+00:00",
        "ended_at": "2025-03-04T10:00:40+00:00",
    }
    assert not run.end_early()  # a second escape changes nothing
    assert closing_line(summary).startswith("2 full breaths")


def test_ending_while_paused_counts_only_breathing_time() -> None:
    clock = FakeClock()
    run = BreathingRun(BOX, 4, clock=clock)
    run.start()
    clock.advance(10)
    run.pause()
    clock.advance(300)
    run.end_early()
    assert run.summary()["actual_seconds"] == 10


def test_closing_lines_are_kind_whatever_happened() -> None:
    lines = {
        closing_line({"completed": True, "cycles_done": 4}),
        closing_line({"completed": False, "cycles_done": 0}),
        closing_line({"completed": False, "cycles_done": 1}),
    }
    assert len(lines) == 3
    for line in lines:
        assert line.endswith(".") and "fail" not in line and "only" not in line


# --- next_change ----------------------------------------------------------------------------


@settings(max_examples=400)
@given(patterns(), st.integers(1, 4), st.floats(0, 1), st.integers(0, 400), st.booleans(), st.booleans())
def test_next_change_is_exactly_the_next_visible_change(
    pattern: Pattern, cycles: int, share: float, sixteenths: int, on_grid: bool, figure: bool
) -> None:
    total = pattern.cycle_seconds * cycles
    # Moments on a 1/16 s grid land exactly on step and phase boundaries: the hard cases.
    t = min(total, sixteenths / 16) if on_grid else share * total
    moment = next_change(pattern, cycles, t, figure=figure)
    now = state_at(pattern, cycles, t).visible(figure=figure)
    if t >= total:
        assert moment is None
        return
    assert moment is not None and moment > t
    assert state_at(pattern, cycles, moment).visible(figure=figure) != now
    # Nothing visible changes before it (checked on a fine grid up to a microsecond before).
    for i in range(50):
        probe = t + (moment - 1e-6 - t) * i / 49
        if probe >= t:
            assert state_at(pattern, cycles, probe).visible(figure=figure) == now


@pytest.mark.parametrize("pattern", PRESETS, ids=lambda p: p.key)
def test_walking_next_change_visits_every_state_once_and_in_order(pattern: Pattern) -> None:
    t, moments = 0.0, []
    while (moment := next_change(pattern, 2, t)) is not None:
        assert moment > t
        moments.append(moment)
        t = moment
    assert t == pytest.approx(2 * pattern.cycle_seconds, abs=1e-5)
    # Far fewer wake-ups than a 10 fps animation, and the figure takes every step.
    assert len(moments) < 2 * pattern.cycle_seconds * 3
    steps = {state_at(pattern, 2, m).step for m in moments}
    assert steps == set(range(FIGURE_STEPS + 1))


def test_reduced_motion_wakes_only_on_whole_seconds() -> None:
    t, moments = 0.0, []
    while (moment := next_change(BOX, 1, t, figure=False)) is not None:
        moments.append(moment)
        t = moment
    assert moments == pytest.approx([float(n) for n in range(1, 17)], abs=1e-6)


def test_run_reports_the_delay_to_the_next_change() -> None:
    clock = FakeClock()
    run = BreathingRun(BOX, 1, clock=clock)
    assert run.next_change() is None  # not started
    run.start()
    delay = run.next_change()
    assert delay == pytest.approx(4 / FIGURE_STEPS / 2, abs=1e-6)  # first figure step
    assert run.next_change(figure=False) == pytest.approx(1.0, abs=1e-6)
    clock.advance(3.5)
    assert run.next_change(figure=False) == pytest.approx(0.5, abs=1e-6)


# --- the figure -----------------------------------------------------------------------------


def ink(lines: list[str]) -> int:
    return sum(1 for line in lines for char in line if char != " ")


@given(st.floats(0, 1), st.integers(0, 120), st.integers(0, 40))
def test_figure_always_fills_exactly_the_area_it_is_given(size: float, width: int, height: int) -> None:
    lines = figure_lines(size, width, height)
    assert len(lines) == height
    assert all(len(line) == width for line in lines)
    assert set("".join(lines)) <= set(" ░▒▓")


def test_figure_has_a_few_discrete_sizes_and_grows_with_the_breath() -> None:
    drawings = [figure_lines(step / FIGURE_STEPS, 60, 15) for step in range(FIGURE_STEPS + 1)]
    counts = [ink(d) for d in drawings]
    assert counts == sorted(counts) and len(set(counts)) == FIGURE_STEPS + 1
    assert counts[0] > 0  # empty lungs still show a small seed
    # Sizes between two steps draw the same picture: nothing to send.
    assert figure_lines(0.51, 60, 15) == figure_lines(0.49, 60, 15) == drawings[4]
    assert figure_step(0.51) == 4


def test_figure_is_round_and_centred_on_screen() -> None:
    lines = figure_lines(1, 78, 15)
    assert lines == lines[::-1]  # top and bottom mirror
    assert all(line == line[::-1] for line in lines)  # left and right mirror
    widest = max(len(line.strip()) for line in lines)
    assert 2 * 15 - 4 <= widest <= 2 * 15 + 2  # about twice as wide as tall: round to the eye


def test_progress_dots_for_reduced_motion() -> None:
    assert progress_dots(state_at(BOX, 1, 0)) == ". . . ."
    assert progress_dots(state_at(BOX, 1, 2.5)) == "# # . ."
    coherent = get_preset("coherent")
    assert coherent is not None
    assert progress_dots(state_at(coherent, 1, 0)) == ". . . . . ."


def test_clock_format() -> None:
    assert format_clock(64) == "1:04"
    assert format_clock(0.2) == "0:01"
    assert format_clock(0) == "0:00"


@pytest.mark.parametrize(
    ("typed", "length"),
    [
        ("4", SessionLength(minutes=4)),
        (" 1,5 MIN ", SessionLength(minutes=1.5)),
        ("6 cycles", SessionLength(minutes=None, cycles=6)),
        ("6c", SessionLength(minutes=None, cycles=6)),
        ("3 breaths", SessionLength(minutes=None, cycles=3)),
    ],
)
def test_a_typed_length_can_be_minutes_or_cycles(typed: str, length: SessionLength) -> None:
    assert parse_length(typed) == (length, None)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Type minutes, like 4 or 1.5, or cycles, like 6 cycles."),
        ("4 hours", "Type minutes, like 4 or 1.5, or cycles, like 6 cycles."),
        ("90", "Up to 60 minutes at a time."),
        ("6.5 cycles", "Type a whole number of cycles, like 6."),
    ],
)
def test_a_length_that_cannot_work_says_why(typed: str, message: str) -> None:
    assert parse_length(typed) == (None, message)


@given(st.text(max_size=20))
def test_typed_lengths_never_raise(text: str) -> None:
    length, problem = parse_length(text)
    assert (length is None) != (problem is None)


# --- finding a pattern by name (the command line) -------------------------------------------


class Record:
    def __init__(self, id: int, name: str, phases: list) -> None:  # noqa: A002
        self.id, self.name, self.phases = id, name, phases


def test_patterns_are_found_by_key_or_name_loosely() -> None:
    mine = pattern_from_record(Record(3, "Evening wind-down", [["inhale", 4], ["exhale", 8]]))
    assert mine is not None and mine.key == "custom-3" and mine.custom
    everything = [*PRESETS, mine]
    assert find_pattern("box", everything) is BOX
    assert find_pattern("4-7-8", everything).key == "478"
    assert find_pattern("PHYSIOLOGICAL SIGH", everything).key == "sigh"
    assert find_pattern("evening wind down", everything) is mine
    assert find_pattern("custom-3", everything) is mine
    assert find_pattern("nope", everything) is None
    assert find_pattern("", everything) is None
    assert pattern_from_record(Record(4, "Broken", [["inhale", "x"]])) is None


def test_an_unknown_pattern_lists_the_valid_ones_without_echoing_controls() -> None:
    message = unknown_pattern_message("\x1b]0;owned\x07boxx", PRESETS)
    assert "\x1b" not in message and "\x07" not in message
    assert "boxx" in message
    for pattern in PRESETS:
        assert pattern.key in message


@pytest.mark.parametrize("height", [3, 9, 15, 22, 40])
def test_figure_width_holds_the_full_figure_without_cropping(height: int) -> None:
    width = figure_width(height)
    lines = figure_lines(1, width, height)
    assert all(line[0] == " " and line[-1] == " " for line in lines)  # a blank column each side
    assert max(len(line.strip()) for line in lines) >= width - 3
