"""Issue 15, items 2-8: unreadable schedules, the list at any width, everyday phrases,
correcting the past, pauses and archive, no early score, and rituals ticked by a message.

Pure logic first (no Textual), then the screens driven with the Pilot.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import glyphs
from app.doctor import run_doctor
from app.models import Colleague, Contact, Ritual, RitualEntry
from app.progress import LEGEND_ORDER, SCORE_AFTER, Cell, heatmap, legend_text, standing
from app.rituals import (
    ARCHIVED,
    PAUSED,
    ACTIVE,
    Marked,
    add_pause,
    clear_ritual_day,
    day_words,
    effective_states,
    end_pause,
    load_lists,
    load_views,
    pause_spans,
    read_schedule,
    ritual_state,
    set_archived,
    stored_words,
    tick_linked_rituals,
    too_far_back,
    view_from_states,
)
from app.schedule import (
    DAYS_OF_WEEK,
    EVERY_N_DAYS,
    MISSED,
    MONTHLY_DAY,
    TIMES_IN_DAYS,
    TIMES_PER_WEEK,
    Schedule,
    ScheduleError,
    describe,
    occasions,
    parse_schedule,
)
from app.storage import Store
from app.when import WhenError, parse_day, parse_day_ahead
from screens.rituals.rows import fit, row
from screens.rituals.screen import read_pause
from tests.screentext import screenshot_lines

TODAY = pendulum.date(2026, 11, 25)  # the `frozen` fixture's Wednesday
CREATED = pendulum.datetime(2026, 6, 1, 9, tz="UTC")
D = pendulum.date


def text_of(app) -> str:
    return "\n".join(line.rstrip() for line in screenshot_lines(app))


# --------------------------------------------------------------------------- item 2


def supervision(created: pendulum.DateTime = CREATED) -> Ritual:
    """As benchmarks/make_data.py stores it: every 2 weeks on Tuesday, no start date."""
    return Ritual(name="Supervision", schedule={"kind": "days_of_week", "weekdays": [1], "every": 2}, created=created)


def test_every_2nd_week_with_no_start_is_counted_from_its_first_day_and_says_so() -> None:
    schedule, note = read_schedule(supervision())
    assert schedule is not None
    assert describe(schedule) == "every 2nd Tuesday"
    assert schedule.start == CREATED.date()
    assert "first day, 1 Jun 2026" in note
    # An older entry is the first day, when there is one.
    schedule, note = read_schedule(supervision(), {D(2026, 5, 19): "done"})
    assert schedule is not None and schedule.start == D(2026, 5, 19)


def test_a_schedule_tend_cannot_read_keeps_its_history_and_is_never_read_as_a_default() -> None:
    ritual = Ritual(name="Odd", schedule={"kind": "every blue moon", "every": 3}, created=CREATED)
    view = view_from_states(ritual, {D(2026, 11, 20): "done"}, TODAY)
    assert view.schedule is None
    assert view.states == {D(2026, 11, 20): "done"}
    assert "every blue moon" in view.reading
    words = stored_words(ritual.schedule)
    assert "every blue moon" in words and "every day" not in words
    with pytest.raises(ScheduleError):
        parse_schedule(words)  # saving it unchanged is refused, never turned into something else


def test_doctor_names_an_unreadable_schedule(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "data")
    store.add(supervision())
    store.add(Ritual(name="Odd one", schedule={"kind": "every blue moon"}, created=CREATED))
    store.add(Ritual(name="Fine", schedule=Schedule.daily().to_dict(), created=CREATED))
    report, code = run_doctor(tmp_path / "data", environ={"TERM": "xterm", "LANG": "C.UTF-8"})
    assert "All is well" not in report and code == 1
    assert '"Supervision" says "every 2nd Tuesday" with no start date' in report
    assert '"Odd one" has a schedule Tend cannot read' in report
    assert '"Fine"' not in report


# --------------------------------------------------------------------------- item 4

EVERYDAY = [
    ("monthly", MONTHLY_DAY, {"day": 25}),
    ("once a month", MONTHLY_DAY, {"day": 25}),
    ("Every month", MONTHLY_DAY, {"day": 25}),
    ("twice a month", TIMES_IN_DAYS, {"times": 2, "window": 30}),
    ("3 times a month", TIMES_IN_DAYS, {"times": 3, "window": 30}),
    ("every two weeks", EVERY_N_DAYS, {"every": 14}),
    ("biweekly", EVERY_N_DAYS, {"every": 14}),
    ("every three weeks", EVERY_N_DAYS, {"every": 21}),
    ("every other week on Thursday", DAYS_OF_WEEK, {"weekdays": (3,), "every": 2}),
    ("fortnightly on fri", DAYS_OF_WEEK, {"weekdays": (4,), "every": 2}),
    ("every 2 weeks on tue and thu", DAYS_OF_WEEK, {"weekdays": (1, 3), "every": 2}),
    ("thursdays every other week", DAYS_OF_WEEK, {"weekdays": (3,), "every": 2}),
    ("every second Thursday", DAYS_OF_WEEK, {"weekdays": (3,), "every": 2}),
    ("every Thursday at 4pm", DAYS_OF_WEEK, {"weekdays": (3,), "time": dt.time(16, 0)}),
    ("every thursday at 4:30 pm", DAYS_OF_WEEK, {"weekdays": (3,), "time": dt.time(16, 30)}),
    ("every day at noon", "daily", {"time": dt.time(12, 0)}),
    ("twice weekly", TIMES_PER_WEEK, {"times": 2}),
    ("weekly on monday", DAYS_OF_WEEK, {"weekdays": (0,)}),
    ("3x a week", TIMES_PER_WEEK, {"times": 3}),
    ("2 x weekly", TIMES_PER_WEEK, {"times": 2}),
    ("2x a month", TIMES_IN_DAYS, {"times": 2, "window": 30}),
]


@pytest.mark.parametrize(("phrase", "kind", "fields"), EVERYDAY, ids=[p for p, _, _ in EVERYDAY])
def test_everyday_phrases_are_read(phrase: str, kind: str, fields: dict) -> None:
    schedule = parse_schedule(phrase, start=TODAY, today=TODAY)
    assert schedule.kind == kind
    for name, value in fields.items():
        assert getattr(schedule, name) == value, name


@pytest.mark.parametrize(("phrase", "weeks"), [("quarterly", 13), ("every 3 months", 13), ("Every other month", 9),
                                              ("every six months", 26), ("yearly", 52), ("twice a year", 26)])
def test_a_schedule_of_several_months_is_refused_with_the_weeks_closest_to_it(phrase: str, weeks: int) -> None:
    """Tend has no every-N-months kind; a helper typing "quarterly" (a case review, say) is
    told so and offered what comes close, and what is offered reads as that many weeks."""
    with pytest.raises(ScheduleError) as refused:
        parse_schedule(phrase, start=TODAY, today=TODAY)
    said = str(refused.value)
    assert said.startswith(f"Tend counts months one at a time, so {phrase!r} can't be a schedule yet.")
    assert said.endswith(f"Close to it: every {weeks} weeks, or {weeks} weeks after the last time.")
    for offered in (f"every {weeks} weeks", f"{weeks} weeks after the last time"):
        schedule = parse_schedule(offered, start=TODAY, today=TODAY)
        assert (schedule.kind, schedule.every) == (EVERY_N_DAYS, 7 * weeks)


def test_a_time_that_is_no_time_is_refused_in_words() -> None:
    with pytest.raises(ScheduleError, match="4pm"):
        parse_schedule("every thursday at 13pm")


@settings(max_examples=60, deadline=None)
@given(hour=st.integers(1, 12), minute=st.integers(0, 59), pm=st.booleans(), space=st.booleans(),
       shout=st.booleans())
def test_any_clock_time_reads_as_the_same_moment_in_24_hours(hour: int, minute: int, pm: bool, space: bool,
                                                             shout: bool) -> None:
    said = f"every thursday at {hour}:{minute:02d}{' ' if space else ''}{'pm' if pm else 'am'}"
    schedule = parse_schedule(said.upper() if shout else said)
    assert schedule.time == dt.time(hour % 12 + (12 if pm else 0), minute)
    again = parse_schedule(describe(schedule))  # what the form shows reads back the same
    assert again == schedule


@settings(max_examples=40, deadline=None)
@given(start=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2028, 12, 31)),
       phrase=st.sampled_from(["monthly", "once a month", "every month", "each month"]))
def test_monthly_comes_round_on_the_start_day_every_month(start: dt.date, phrase: str) -> None:
    first = pendulum.Date(start.year, start.month, start.day)
    schedule = parse_schedule(phrase, start=first)
    dates = [o.date for o in occasions(schedule, {}, first, first.add(months=6), today=first)]
    assert dates[0] == first
    assert len(dates) in (6, 7) and all(d.day == min(first.day, d.days_in_month) for d in dates)


@settings(max_examples=40, deadline=None)
@given(phrase=st.sampled_from([p for p, _, _ in EVERYDAY]), spaces=st.integers(1, 3), trailing=st.sampled_from(["", ".", " "]))
def test_everyday_phrases_read_the_same_whatever_the_spacing_and_case(phrase: str, spaces: int, trailing: str) -> None:
    typed = (" " * spaces).join(phrase.split()).upper() + trailing
    assert parse_schedule(typed, start=TODAY, today=TODAY) == parse_schedule(phrase, start=TODAY, today=TODAY)


# --------------------------------------------------------------------------- item 5


@pytest.mark.parametrize(("typed", "expected"), [
    ("28/11", D(2025, 11, 28)), ("28 Nov", D(2025, 11, 28)), ("Nov 28", D(2025, 11, 28)),
    ("20/11", D(2026, 11, 20)), ("20th of November", D(2026, 11, 20)), ("1 nov 2025", D(2025, 11, 1)),
    ("yesterday", D(2026, 11, 24)), ("2026-11-01", D(2026, 11, 1)),
])
def test_the_day_prompt_reads_the_usual_short_forms(typed: str, expected: pendulum.Date) -> None:
    assert parse_day(typed, TODAY) == expected


def test_a_day_off_the_calendar_is_refused_in_words() -> None:
    with pytest.raises(WhenError, match="not a date on the calendar"):
        parse_day("31/11", TODAY)


def test_more_than_a_year_back_is_refused_gently_and_messages_name_the_year() -> None:
    assert too_far_back(D(2020, 1, 1), TODAY) is not None
    assert "Check the year" in (too_far_back(D(2020, 1, 1), TODAY) or "")
    assert too_far_back(D(2025, 11, 28), TODAY) is None
    assert day_words(D(2025, 11, 28), TODAY) == "Fri 28 Nov 2025"
    assert day_words(D(2026, 11, 20), TODAY) == "Fri 20 Nov"


def test_clearing_a_day_sets_it_back_to_nothing_and_undo_brings_it_back(store: Store) -> None:
    ritual = store.add(Ritual(name="Walk", created=CREATED))
    store.add(RitualEntry(ritual_id=ritual.id, day=D(2026, 11, 20), status="done", note="by the canal"))
    cleared = clear_ritual_day(store, ritual.id, D(2026, 11, 20))
    assert cleared is not None and store.all(RitualEntry) == []
    assert clear_ritual_day(store, ritual.id, D(2026, 11, 20)) is None
    cleared.undo(store)
    [entry] = store.all(RitualEntry)
    assert (entry.day, entry.note) == (D(2026, 11, 20), "by the canal")


# --------------------------------------------------------------------------- item 6


def weekly_history(first: pendulum.Date, last: pendulum.Date) -> dict[pendulum.Date, str]:
    """Done every Monday in [first, last]."""
    out = {}
    day = first
    while day <= last:
        if day.weekday() == 0:
            out[day] = "done"
        day = day.add(days=1)
    return out


@pytest.mark.parametrize("schedule", [
    Schedule.on_days("mon"), Schedule.daily(), Schedule.every_n_days(7), Schedule.times_per_week(2),
    Schedule.monthly_on_day(9),
], ids=["weekly", "daily", "every-7-from-done", "twice-a-week", "monthly"])
def test_a_pause_is_neither_due_nor_missed_and_leaves_the_score_alone(schedule: Schedule) -> None:
    leave = (D(2026, 10, 12), D(2026, 11, 29))  # six weeks of leave, still on today
    ritual = Ritual(name="Team check-in", created=CREATED, schedule=schedule.to_dict(), pauses=[list(leave)])
    states = weekly_history(CREATED.date(), leave[0].subtract(days=1))
    if schedule.kind == "daily":
        states = {d: "done" for d in (CREATED.date().add(days=i) for i in range((leave[0] - CREATED.date()).days))}
    view = view_from_states(ritual, states, TODAY)
    assert view.state not in ("due", "overdue")
    assert view.paused_until == leave[1]
    counted = effective_states(view.schedule, ritual, states, TODAY)
    missed = [o for o in occasions(view.schedule, counted, leave[0], TODAY, today=TODAY, since=CREATED.date())
              if o.outcome == MISSED]
    assert missed == []
    before = standing(view.schedule, counted, leave[0], since=CREATED.date()).score
    assert view.score >= before  # the leave did not lower it
    unpaused = view_from_states(Ritual(name="x", created=CREATED, schedule=schedule.to_dict()), states, TODAY)
    assert unpaused.score < view.score  # ... where six weeks away without a pause would have


def test_after_the_pause_it_asks_again(store: Store) -> None:
    ritual = store.add(Ritual(name="Team check-in", created=CREATED, schedule=Schedule.on_days("mon").to_dict(),
                              pauses=[[D(2026, 10, 12), D(2026, 11, 22)]]))
    [view] = load_views(store, TODAY)
    assert view.paused_until is None and view.state == "overdue"  # Monday 23 Nov, after the pause
    assert ritual_state(ritual, D(2026, 11, 1)) == PAUSED
    assert ritual_state(ritual, TODAY) == ACTIVE


def test_pausing_ending_a_pause_and_archiving(store: Store) -> None:
    ritual = store.add(Ritual(name="Walk", created=CREATED))
    _, saved = add_pause(store, ritual.id, TODAY, D(2026, 12, 9)) or (None, None)
    assert pause_spans(saved) == [(TODAY, D(2026, 12, 9))] and ritual_state(saved, TODAY) == PAUSED
    _, ended = end_pause(store, ritual.id, D(2026, 11, 30)) or (None, None)
    assert pause_spans(ended) == [(TODAY, D(2026, 11, 29))]
    set_archived(store, ritual.id, True)
    assert load_views(store, TODAY) == []
    [archived] = load_lists(store, TODAY, archived=True)[1]
    assert ritual_state(archived.record, TODAY) == ARCHIVED
    set_archived(store, ritual.id, False)
    assert [v.record.name for v in load_views(store, TODAY)] == ["Walk"]


def test_a_stored_pause_that_does_not_fit_is_left_out() -> None:
    ritual = Ritual(name="x", pauses=[[D(2026, 5, 2), D(2026, 5, 1)], [D(2026, 1, 1)], [D(2026, 2, 1), D(2026, 2, 3)]])
    assert pause_spans(ritual) == [(D(2026, 2, 1), D(2026, 2, 3))]


def test_a_pause_is_read_as_its_last_day_or_a_stretch() -> None:
    assert read_pause("in 2 weeks", TODAY) == (TODAY, D(2026, 12, 9))
    assert read_pause("21/12 to 4/1", TODAY) == (D(2026, 12, 21), D(2027, 1, 4))
    assert read_pause("16 Nov to 20 Nov", TODAY) == (D(2026, 11, 16), D(2026, 11, 20))
    with pytest.raises(WhenError):
        read_pause("last year", TODAY)
    assert parse_day_ahead("12/1", TODAY) == D(2027, 1, 12)
    for nothing in ("", "   ", "\x1b[2J"):  # enter alone (the grey "in 2 weeks" is only an example) is no day
        with pytest.raises(WhenError, match="Until which day"):
            read_pause(nothing, TODAY)


# --------------------------------------------------------------------------- item 7


def test_no_score_until_it_has_come_round_a_few_times() -> None:
    ritual = Ritual(name="Walk", created=pendulum.datetime(2026, 11, 24, tz="UTC"), schedule=Schedule.daily().to_dict())
    view = view_from_states(ritual, {D(2026, 11, 24): "done"}, TODAY)
    assert view.asked < SCORE_AFTER
    assert "new" in row(view, TODAY, True).plain and "%" not in row(view, TODAY, True).plain
    older = view_from_states(Ritual(name="Walk", created=CREATED, schedule=Schedule.daily().to_dict()), {}, TODAY)
    assert older.asked >= SCORE_AFTER and "0%" in row(older, TODAY, True).plain


def test_the_heatmap_legend_never_says_missed() -> None:
    assert "missed" not in legend_text()
    assert Cell.PAUSED in LEGEND_ORDER
    hm = heatmap(Schedule.daily(), {}, TODAY, weeks=2, since=D(2026, 11, 16), paused=[D(2026, 11, 18)])
    assert hm.rows[2][0] is Cell.PAUSED  # Wednesday 18 Nov


# --------------------------------------------------------------------------- item 3


def test_cut_names_end_in_an_ellipsis_and_ascii_terminals_get_three_dots(monkeypatch: pytest.MonkeyPatch) -> None:
    glyphs.use_unicode.cache_clear()
    monkeypatch.setenv("TEND_ASCII", "0")
    assert fit("Check-in message to a colleague", 12) == "Check-in me\u2026"
    glyphs.use_unicode.cache_clear()
    monkeypatch.setenv("TEND_ASCII", "1")
    try:
        assert fit("Check-in message to a colleague", 12) == "Check-in... "
        assert fit("Short", 12) == "Short       "
    finally:
        glyphs.use_unicode.cache_clear()


# --------------------------------------------------------------------------- item 8


def linked(store: Store) -> tuple[Colleague, Ritual, Ritual]:
    ann = store.add(Colleague(name="Ann", role="peer", created=CREATED))
    message = store.add(Ritual(name="Check in with Ann", colleague_ids=[ann.id], contact_kind="message", created=CREATED))
    walk = store.add(Ritual(name="Walk with Ann", colleague_ids=[ann.id], contact_kind="walk", created=CREATED))
    return ann, message, walk


def test_a_message_ticks_linked_message_rituals_once_a_day(store: Store) -> None:
    ann, message, walk = linked(store)
    other = store.add(Ritual(name="Message Bo", contact_kind="message", created=CREATED))
    [entry] = tick_linked_rituals(store, ann.id, "message", TODAY)
    assert (entry.ritual_id, entry.day, entry.status) == (message.id, TODAY, "done")
    assert tick_linked_rituals(store, ann.id, "message", TODAY) == []  # never twice on a day
    assert [e.ritual_id for e in store.all(RitualEntry)] == [message.id]
    assert walk.id != other.id and store.all(Contact) == []  # it logs no second contact


def test_a_skip_that_day_becomes_done_and_archived_rituals_are_left_alone(store: Store) -> None:
    ann, message, _ = linked(store)
    store.add(RitualEntry(ritual_id=message.id, day=TODAY, status="skipped"))
    [entry] = tick_linked_rituals(store, ann.id, "message", TODAY)
    assert entry.status == "done"
    set_archived(store, message.id, True)
    assert tick_linked_rituals(store, ann.id, "message", TODAY.subtract(days=1)) == []


def test_the_contact_and_the_tick_are_saved_together_or_not_at_all(store: Store) -> None:
    ann, _, _ = linked(store)
    with pytest.raises(RuntimeError), store.transaction():
        store.add(Contact(colleague_id=ann.id, when=pendulum.now(), kind="message"))
        tick_linked_rituals(store, ann.id, "message", TODAY)
        raise RuntimeError("the disk filled up")
    assert store.all(Contact) == [] and store.all(RitualEntry) == []


def test_a_done_message_for_another_year_names_the_year(store: Store, frozen) -> None:
    ritual = store.add(Ritual(name="Walk", created=CREATED))
    entry = store.add(RitualEntry(ritual_id=ritual.id, day=D(2025, 11, 28)))
    marked = Marked(ritual, D(2025, 11, 28), "done", entry, None)
    assert marked.message(lambda ids: []) == "Done for Fri 28 Nov 2025."


# --------------------------------------------------------------------------- item 6, as properties

from tests.ritual_strategies import entry_states, schedules  # noqa: E402


@settings(max_examples=80, deadline=None)
@given(schedule=schedules(), data=st.data())
def test_no_occasion_inside_a_pause_is_ever_missed_or_due(schedule: Schedule, data: st.DataObject) -> None:
    created = pendulum.Date(2026, 6, 1)
    today = created.add(days=data.draw(st.integers(20, 200), label="today"))
    first = created.add(days=data.draw(st.integers(0, (today - created).days), label="pause from"))
    last = first.add(days=data.draw(st.integers(0, 60), label="pause days"))
    logged = data.draw(st.dictionaries(st.integers(0, (today - created).days).map(lambda n: created.add(days=n)),
                                       entry_states, max_size=30), label="entries")
    ritual = Ritual(name="x", created=pendulum.datetime(created.year, created.month, created.day, tz="UTC"),
                    schedule=schedule.to_dict(), pauses=[[first, last]])
    counted = effective_states(schedule, ritual, logged, today)
    inside = [o for o in occasions(schedule, counted, first, min(last, today), today=today, since=created)
              if o.outcome in (MISSED, "overdue") and o.date != today]
    assert inside == []
    view = view_from_states(ritual, logged, today)
    if first <= today <= last:
        assert view.state not in ("due", "overdue")
