"""Calendar export: parse it back with icalendar, expand the RRULEs with dateutil, and compare
with the schedule logic for a whole year."""

from __future__ import annotations

import datetime as dt

import icalendar
import pendulum
import pytest
from dateutil.rrule import rruleset, rrulestr
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.ics import CalendarRitual, series_for, to_ics
from app.schedule import FROM_START, Schedule, scheduled_dates
from tests.conftest import HOSTILE
from tests.ritual_strategies import dates, schedules

D = pendulum.date
NOW = pendulum.datetime(2026, 11, 25, 12, tz="UTC")


def moments_of(event: icalendar.Event, name: str) -> list[dt.datetime]:
    """The dates of an RDATE or EXDATE property (one line or several), as datetimes."""
    found = event.get(name, [])
    moments = [item.dt for group in (found if isinstance(found, list) else [found]) for item in group.dts]
    return [m if isinstance(m, dt.datetime) else dt.datetime(m.year, m.month, m.day) for m in moments]


def expand(ics: bytes, first: dt.date, days: int = 365) -> dict[str, list[dt.date]]:
    """Every event's dates in ``[first, first + days)``, grouped by UID before any "-n"."""
    cal = icalendar.Calendar.from_ical(ics)
    out: dict[str, list[dt.date]] = {}
    for event in cal.walk("VEVENT"):
        start = event.decoded("dtstart")
        if not isinstance(start, dt.datetime):
            start = dt.datetime(start.year, start.month, start.day)
        recurrence = rruleset()
        recurrence.rdate(start)  # every event happens on its DTSTART
        if "RRULE" in event:
            recurrence.rrule(rrulestr(event["RRULE"].to_ical().decode(), dtstart=start))
        for moment in moments_of(event, "RDATE"):
            recurrence.rdate(moment)
        for moment in moments_of(event, "EXDATE"):
            recurrence.exdate(moment)
        lo = start.replace(year=first.year, month=first.month, day=first.day, hour=0, minute=0)
        hi = lo + dt.timedelta(days=days) - dt.timedelta(seconds=1)
        uid = str(event["UID"]).split("@")[0]
        base = uid.rsplit("-", 1)[0] if uid.rsplit("-", 1)[-1].isdigit() else uid
        moments = recurrence.between(lo, hi, inc=True)
        found = sorted({m.date() for m in moments})
        out.setdefault(base, []).extend(found)
    return {uid: sorted(found) for uid, found in out.items()}


CASES = [
    Schedule.daily(),
    Schedule.on_weekdays(),
    Schedule.on_days("tue", "thu"),
    Schedule.on_days("tue", every=2, start=D(2026, 1, 6)),
    Schedule.on_days("mon", "fri", every=3, start=D(2026, 2, 4)),
    Schedule.every_n_days(10, FROM_START, start=D(2026, 2, 27)),
    Schedule.every_n_days(9),
    Schedule.times_in_days(3, 10),
    Schedule.times_per_week(3),
    Schedule.times_per_week(2, start=D(2026, 12, 3), end=D(2027, 2, 9)),
    Schedule.times_per_week(4, start=D(2026, 12, 3), end=D(2026, 12, 9), time="08:00"),
    Schedule.monthly_on_day(15),
    Schedule.monthly_on_day(29),
    Schedule.monthly_on_day(30),
    Schedule.monthly_on_day(31),
    Schedule.monthly_on_weekday(1, "tue"),
    Schedule.monthly_on_weekday(-1, "fri"),
    Schedule.on_days("wed", end=D(2027, 3, 3)),
    Schedule.monthly_on_day(31, end=D(2027, 6, 30), time="18:15"),
    Schedule.daily(time="09:00"),
    Schedule.on_days("sun", time="01:30", end=D(2027, 3, 28)),
    Schedule.daily(time="02:30", end=D(2027, 3, 14)),
]


@pytest.mark.parametrize("tz", ["Europe/London", "America/New_York"])
@pytest.mark.parametrize("schedule", CASES, ids=lambda s: s.kind)
def test_rrules_give_the_same_dates_as_the_schedule_for_a_year(schedule: Schedule, tz: str) -> None:
    first = D(2026, 11, 25)
    ics = to_ics([CalendarRitual("Ritual", schedule, first, uid="r1")], tz=tz, now=NOW)
    assert expand(ics, first)["r1"] == scheduled_dates(schedule, first, first.add(days=364))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedules(), dates, st.sampled_from(["Europe/London", "America/New_York"]))
def test_any_schedule_round_trips_through_a_calendar(schedule: Schedule, first, tz: str) -> None:
    ics = to_ics([CalendarRitual("Ritual", schedule, first, uid="r")], tz=tz, now=NOW)
    expected = scheduled_dates(schedule, first, first.add(days=364))
    assert expand(ics, first).get("r", []) == expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedules(), dates, st.lists(st.tuples(st.integers(-20, 300), st.integers(0, 60)), max_size=3),
       st.sampled_from(["Europe/London", "America/New_York"]))  # fmt: skip
@example(Schedule.every_n_days(2), D(2023, 1, 1), [(-1, 1)], "Europe/London")  # counted from the pause, it fell on other days
@example(Schedule.daily(time=dt.time(1, 0)), D(2023, 3, 1), [(0, 25)], "Europe/London")  # 01:00 skipped as the clocks went forward
def test_a_paused_ritual_has_no_dates_in_its_pauses_and_every_other_one(schedule: Schedule, first, spans, tz: str) -> None:
    pauses = tuple((first.add(days=start), first.add(days=start + length)) for start, length in spans)
    ritual = CalendarRitual("Ritual", schedule, first, uid="r", pauses=pauses)
    expected = [day for day in scheduled_dates(schedule, first, first.add(days=364)) if not any(lo <= day <= hi for lo, hi in pauses)]
    assert expand(to_ics([ritual], tz=tz, now=NOW), first).get("r", []) == expected


def test_a_pause_is_said_in_the_description() -> None:
    ritual = CalendarRitual("Walk", Schedule.daily(), D(2026, 12, 1), uid="w", pauses=((D(2026, 12, 21), D(2027, 1, 4)),))
    [event] = icalendar.Calendar.from_ical(to_ics([ritual], now=NOW)).walk("VEVENT")
    assert "Paused 21 Dec 2026 to 4 Jan 2027: no dates then." in str(event["DESCRIPTION"])
    assert expand(to_ics([ritual], now=NOW), D(2026, 12, 1), days=40)["w"][19:22] == [D(2026, 12, 20), D(2027, 1, 5), D(2027, 1, 6)]


def test_month_end_rules_are_written_the_careful_way() -> None:
    rules = {day: series_for(Schedule.monthly_on_day(day), D(2026, 1, 1))[0].rule for day in (15, 29, 30, 31)}
    assert rules[15] == {"FREQ": "MONTHLY", "BYMONTHDAY": [15]}
    assert rules[29] == {"FREQ": "MONTHLY", "BYMONTHDAY": [28, 29], "BYSETPOS": [-1]}
    assert rules[30] == {"FREQ": "MONTHLY", "BYMONTHDAY": [28, 29, 30], "BYSETPOS": [-1]}
    assert rules[31] == {"FREQ": "MONTHLY", "BYMONTHDAY": [-1]}


def test_the_file_is_a_proper_calendar() -> None:
    rituals = [
        CalendarRitual("Supervision", Schedule.on_days("thu", every=2, start=D(2026, 11, 26),
                                                       time="09:30", end=D(2027, 6, 30)),
                       D(2026, 11, 25), note="With Sam, room 4", uid="sup"),
        CalendarRitual("Peer consultation circle", Schedule.monthly_on_weekday(1, "wed"),
                       D(2026, 11, 25), uid="circle"),
        CalendarRitual("Debrief", Schedule.times_in_days(2, 7), D(2026, 11, 25), uid="debrief"),
    ]
    ics = to_ics(rituals, tz="Europe/London", now=NOW)
    text = ics.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    cal = icalendar.Calendar.from_ical(ics)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    events = list(cal.walk("VEVENT"))
    assert {str(e["UID"]) for e in events} == {
        "sup@tend.local", "circle@tend.local", "debrief-1@tend.local", "debrief-2@tend.local"}
    sup = next(e for e in events if str(e["UID"]) == "sup@tend.local")
    assert "DTSTART;TZID=Europe/London:20261126T093000" in text
    assert sup["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20270630T225959Z;INTERVAL=2;BYDAY=TH;WKST=MO"
    assert "With Sam" in str(sup["DESCRIPTION"]) and "every 2nd Thursday" in str(sup["DESCRIPTION"])
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    circle = next(e for e in events if str(e["UID"]) == "circle@tend.local")
    assert circle.decoded("dtstart") == dt.date(2026, 12, 2)
    assert circle.decoded("dtend") == dt.date(2026, 12, 3)
    assert circle["RRULE"].to_ical() == b"FREQ=MONTHLY;BYDAY=1WE"
    debrief = [e for e in events if str(e["UID"]).startswith("debrief")]
    assert all("suggested rhythm" in str(e["DESCRIPTION"]) for e in debrief)


def test_a_ritual_that_has_ended_is_left_out() -> None:
    gone = Schedule.daily(end=D(2026, 1, 1))
    cal = icalendar.Calendar.from_ical(to_ics([CalendarRitual("Old", gone, D(2026, 11, 25))], now=NOW))
    assert list(cal.walk("VEVENT")) == []


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_and_notes_come_out_clean(name: str) -> None:
    ics = to_ics([CalendarRitual(name, Schedule.daily(), D(2026, 11, 25), note=name, uid=name)],
                 tz="Europe/London", now=NOW)
    text = ics.decode()
    assert not any(ord(c) < 32 and c not in "\r\n\t" for c in text)  # RFC 5545 allows HTAB
    assert "\x1b" not in text and "\u202e" not in text
    events = list(icalendar.Calendar.from_ical(ics).walk("VEVENT"))
    assert len(events) == 1 and str(events[0]["SUMMARY"]).strip()


def test_tend_export_format_ics_writes_every_active_ritual(tmp_path, frozen, capsys) -> None:
    from app.cli import main
    from app.models import Ritual, RitualEntry
    from app.rituals import add_pause
    from app.storage import Store

    store = Store.open(tmp_path / "data")
    kept = store.add(Ritual(name="Supervision", schedule=Schedule.on_days("thu", every=2, start=D(2026, 11, 26)).to_dict()))
    store.add(Ritual(name="Message Ann", schedule=Schedule.every_n_days(7).to_dict()))
    store.add(RitualEntry(ritual_id=kept.id + 1, day=D(2026, 11, 23), status="done"))
    add_pause(store, kept.id, D(2026, 12, 1), D(2026, 12, 14))  # away: the 10th is left out
    store.add(Ritual(name="Old", schedule=Schedule.daily().to_dict(), archived=True))
    store.add(Ritual(name="Broken", schedule={"kind": "sometimes"}))
    out = tmp_path / "rituals.ics"
    assert main(["export", "--format", "ics", "--out", str(out), "--data", str(tmp_path / "data")]) == 0
    said = capsys.readouterr().out
    assert "Saved 2 rituals" in said and "could not read was left out (Broken); 'tend doctor' says why" in said
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    found = expand(out.read_bytes(), D(2026, 11, 25), 30)
    assert found[f"ritual{kept.id}"] == [D(2026, 11, 26), D(2026, 12, 24)]
    assert found[f"ritual{kept.id + 1}"][:2] == [D(2026, 11, 30), D(2026, 12, 7)]  # a week after 23 Nov
    assert main(["export", "--format", "ics", "--out", str(out), "--data", str(tmp_path / "data")]) == 1


def test_every_second_week_stored_without_a_start_is_in_the_calendar_as_tend_shows_it(tmp_path, frozen, capsys) -> None:
    """An older Tend (or a hand edit) stored "every 2nd Tuesday" with no start. The rituals
    screen counts the weeks from the ritual's first day and shows it; the calendar did the
    opposite of what the screen shows (left it out, said Tend "could not read" it)."""
    from app.cli import main
    from app.models import Ritual
    from app.rituals import view_from_states
    from app.storage import Store

    store = Store.open(tmp_path / "data")
    made = pendulum.datetime(2026, 11, 10, 9, tz="UTC")  # a Tuesday: the weeks count from it
    record = store.add(Ritual(name="Supervision", schedule={"kind": "days_of_week", "weekdays": [1], "every": 2},
                              created=made))  # fmt: skip
    out = tmp_path / "rituals.ics"
    assert main(["export", str(out), "--data", str(tmp_path / "data")]) == 0
    said = capsys.readouterr().out
    assert "Saved 1 ritual" in said and "could not read" not in said
    shown = view_from_states(record, {}, D(2026, 11, 25), progress=False)
    assert shown.schedule is not None and "from its first day, 10 Nov 2026" in shown.reading  # the screen reads it so
    found = expand(out.read_bytes(), D(2026, 11, 25), 35)[f"ritual{record.id}"]
    assert found == [D(2026, 12, 8), D(2026, 12, 22)]  # the 10th's weeks, not the week between


@pytest.mark.parametrize("start", ["9999-06-01", "9998-12-31", "0001-01-01"])
def test_a_schedule_dated_outside_the_years_tend_keeps_is_left_out_not_a_traceback(tmp_path, frozen, capsys, start) -> None:
    from app.cli import main
    from app.models import Ritual
    from app.storage import Store

    store = Store.open(tmp_path / "data")
    store.add(Ritual(name="Far off", schedule={"kind": "daily", "start": start}))  # a hand edit, or an import
    store.add(Ritual(name="Walk", schedule=Schedule.daily().to_dict()))
    out = tmp_path / "rituals.ics"
    assert main(["export", "--out", str(out), "--data", str(tmp_path / "data")]) == 0
    said = capsys.readouterr().out
    assert "Saved 1 ritual" in said and "could not read was left out" in said
    assert main(["status", "--data", str(tmp_path / "data")]) == 0
