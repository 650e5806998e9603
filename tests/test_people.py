"""Who is due, in what order, what the list says, and the check-in messages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pendulum
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from app.people import (
    BUILTIN_TEMPLATES,
    CONTACT_KINDS,
    ROLES,
    CadenceError,
    Status,
    all_templates,
    by_priority,
    catch_up_priority,
    days_since,
    describe_cadence,
    describe_due,
    describe_last,
    fill_template,
    kind_label,
    make_template,
    matches,
    rank_colleagues,
    read_cadence,
    role_key,
    role_label,
    standing,
    status_for,
)
from tests.conftest import HOSTILE

ZONE = "Europe/London"
NOW = pendulum.datetime(2026, 11, 20, 10, 0, tz=ZONE)


def ago(days: int, hour: int = 10) -> pendulum.DateTime:
    return NOW.subtract(days=days).set(hour=hour)


# Roles and kinds ---------------------------------------------------------------------------


def test_roles_and_kinds_are_the_ones_people_pick_from() -> None:
    assert [label for _, label in ROLES] == [
        "Peer", "Supervisor", "Mentor", "Team", "Consultation group", "Other"
    ]  # fmt: skip
    assert [key for key, _ in CONTACT_KINDS] == [
        "message", "call", "coffee", "debrief", "supervision", "consultation", "other"
    ]  # fmt: skip
    assert role_label("consultation") == "Consultation group"
    assert role_label("nonsense") == "Other"
    assert kind_label("coffee") == "Coffee / walk"
    assert kind_label("walk") == "Coffee / walk"
    assert role_key("SUPERVISOR") == "supervisor"
    assert role_key("Consultation group") == "consultation"
    assert role_key("astronaut") == "other"


# Status and priority -----------------------------------------------------------------------


@given(
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2060, 1, 1)),
    st.integers(-3 * 24 * 60, 4000 * 24 * 60),
    st.sampled_from(["Europe/London", "Asia/Tokyo", "America/St_Johns", "Pacific/Kiritimati", "UTC"]),
    st.sampled_from(["Europe/London", "Asia/Tokyo", "America/Los_Angeles", "UTC"]),
)
def test_days_since_counts_calendar_days_as_pendulum_does(moment, minutes: int, zone_then: str, zone_now: str) -> None:
    then = pendulum.instance(moment, tz=zone_then)
    now = then.add(minutes=minutes).in_timezone(zone_now)
    expected = max((now.date() - then.in_timezone(zone_now).date()).days, 0)
    assert days_since(then, now) == expected


def test_days_are_calendar_days_in_the_local_zone() -> None:
    late_last_night = pendulum.datetime(2026, 11, 19, 23, 30, tz=ZONE)
    assert days_since(late_last_night, NOW) == 1
    assert days_since(NOW.set(hour=0, minute=1), NOW) == 0
    # 01:30 in Tokyo on the 20th is 16:30 on the 19th in London.
    assert days_since(pendulum.datetime(2026, 11, 20, 1, 30, tz="Asia/Tokyo"), NOW) == 1
    assert days_since(None, NOW) is None
    assert days_since(NOW.add(hours=3), NOW) == 0  # a slightly fast clock elsewhere


@pytest.mark.parametrize(
    ("days", "ideal", "limit", "status", "priority"),
    [
        (0, 7, 14, Status.ON_TRACK, 0.0),
        (6, 7, 14, Status.ON_TRACK, 0.0),
        (7, 7, 14, Status.DUE, 0.0),
        (10, 7, 14, Status.DUE, 3 / 7),
        (14, 7, 14, Status.DUE, 1.0),
        (15, 7, 14, Status.OVERDUE, 8 / 7),
        (60, 30, None, Status.DUE, 1.0),  # no outer limit: never "overdue"
        (None, 7, 14, Status.DUE, 0.0),  # never contacted counts as due
    ],
)
def test_status_and_priority(
    days: int | None, ideal: int, limit: int | None, status: Status, priority: float
) -> None:
    last = None if days is None else ago(days)
    where = standing(last, ideal, limit, now=NOW)
    assert where.status is status
    assert where.priority == pytest.approx(priority)
    assert where.days_since == days


def test_status_is_a_word_and_a_symbol_that_any_terminal_can_draw() -> None:
    assert [s.word for s in Status] == ["on track", "new", "due", "overdue", "snoozed", "archived"]
    symbols = [s.symbol for s in Status]
    assert len(set(symbols)) == 6
    for symbol in symbols:
        assert len(symbol) == 1 and ord(symbol) < 256  # ASCII or Latin-1 (TERM=linux)
        assert symbol.isprintable() and not symbol.isspace()
    assert Status.DUE.badge == "» due"


@given(
    days=st.integers(min_value=0, max_value=5000),
    ideal=st.integers(min_value=1, max_value=365),
    extra=st.integers(min_value=0, max_value=365),
)
def test_priority_formula_and_status_agree(days: int, ideal: int, extra: int) -> None:
    limit = ideal + extra
    priority = catch_up_priority(days, ideal)
    assert priority == max(days - ideal, 0) / ideal
    status = status_for(days, ideal, limit)
    assert (status is Status.ON_TRACK) == (days < ideal)
    assert (status is Status.OVERDUE) == (days > limit)
    if status is Status.OVERDUE:
        assert priority > 0


@given(ideal=st.integers(min_value=-5, max_value=0), days=st.integers(0, 100))
def test_a_zero_or_negative_ideal_never_divides_by_zero(ideal: int, days: int) -> None:
    where = standing(ago(days), ideal, None, now=NOW)
    assert where.priority == max(days - 1, 0)


def test_a_limit_shorter_than_the_ideal_is_treated_as_the_ideal() -> None:
    assert status_for(8, 7, 3) is Status.OVERDUE
    assert status_for(7, 7, 3) is Status.DUE


@dataclass
class Person:
    name: str
    last: pendulum.DateTime | None
    ideal: int
    limit: int | None = None


def ordered_names(people: list[Person]) -> list[str]:
    return [
        p.name
        for p in by_priority(people, lambda p: (p.name, standing(p.last, p.ideal, p.limit, NOW)))
    ]


def test_most_due_first_then_by_name() -> None:
    people = [
        Person("zoe", ago(3), 7),  # on track
        Person("Ann", ago(3), 7),  # on track, same standing as zoe
        Person("Bea", ago(14), 7, 10),  # overdue, priority 1
        Person("Cal", ago(28), 14),  # due, priority 1: same as Bea, but only due
        Person("Dev", ago(9), 7),  # due, priority 2/7
        Person("eli", None, 7),  # never contacted: due, priority 0
        Person("Fay", ago(7), 7),  # due today, priority 0
        Person("Gus", ago(60), 30, 45),  # overdue, priority 1
        Person("Hal", ago(40), 10),  # due, priority 3
    ]
    assert ordered_names(people) == [  # overdue first (issue 17), then due, each most behind first
        "Bea", "Gus", "Hal", "Cal", "Dev", "eli", "Fay", "Ann", "zoe"
    ]  # fmt: skip


@given(
    st.lists(
        st.tuples(
            st.text(alphabet="abcAB", min_size=1, max_size=3),
            st.one_of(st.none(), st.integers(0, 400)),
            st.integers(1, 60),
        ),
        max_size=12,
    )
)
def test_ordering_never_puts_a_lower_priority_first(rows: list[tuple[str, int | None, int]]) -> None:
    people = [Person(name, None if d is None else ago(d), ideal) for name, d, ideal in rows]
    ordered = by_priority(people, lambda p: (p.name, standing(p.last, p.ideal, None, NOW)))
    priorities = [standing(p.last, p.ideal, None, NOW).priority for p in ordered]
    assert priorities == sorted(priorities, reverse=True)


# Words -------------------------------------------------------------------------------------


def test_words_for_the_list_and_card() -> None:
    assert [describe_last(d) for d in (None, 0, 1, 5)] == [
        "never", "today", "yesterday", "5 days ago"
    ]  # fmt: skip
    assert describe_cadence(7) == "every 7 days"
    assert describe_cadence(1) == "every day"
    assert describe_cadence(7, 14) == "every 7 days, at most 14"
    assert describe_cadence(7, 7) == "every 7 days"
    assert describe_due(standing(ago(2), 7, None, NOW)) == "Next catch-up in about 5 days."
    assert describe_due(standing(ago(6), 7, None, NOW)) == "Next catch-up is tomorrow."
    assert describe_due(standing(ago(7), 7, None, NOW)) == "A catch-up is due today."
    assert describe_due(standing(None, 7, None, NOW)) == "No contact logged yet."
    assert "plenty" in describe_due(standing(ago(30), 7, 14, NOW))


@pytest.mark.parametrize(
    ("ideal", "limit", "expected"),
    [("7", "", (7, None)), (" 14 ", "21", (14, 21)), ("30", "30", (30, 30))],
)
def test_cadence_from_the_form(ideal: str, limit: str, expected: tuple[int, int | None]) -> None:
    assert read_cadence(ideal, limit) == expected


@pytest.mark.parametrize(
    ("ideal", "limit", "says"),
    [
        ("", "", "whole number from 1"),
        ("0", "", "whole number from 1"),
        ("seven", "", "whole number"),
        ("-3", "", "whole number"),
        ("99999", "", "whole number from 1 to 3650"),
        ("7", "3", "only start to matter after 7 days or more"),
        ("7", "x", "When it starts to matter"),
    ],
)
def test_cadence_refusals(ideal: str, limit: str, says: str) -> None:
    with pytest.raises(CadenceError, match=says):
        read_cadence(ideal, limit)


# Filter ------------------------------------------------------------------------------------


def test_filter_matches_name_role_tags_and_notes() -> None:
    ann = {
        "name": "Ann Lee",
        "role": "consultation",
        "tags": ["tuesday", "group"],
        "notes": "Met at the trauma training",
    }
    assert matches("", **ann)
    assert matches("ann", **ann)
    assert matches("LEE", **ann)
    assert matches("consultation group", **ann)  # the role's label
    assert matches("#tuesday", **ann)
    assert matches("training ann", **ann)  # every word, any order
    assert not matches("bob", **ann)
    assert not matches("ann bob", **ann)
    assert not matches("mentor", **ann)


@pytest.mark.parametrize("query", HOSTILE)
def test_filter_survives_hostile_queries(query: str) -> None:
    assert isinstance(matches(query, name="Ann", notes="n"), bool)


# Templates ---------------------------------------------------------------------------------


def test_builtin_templates_are_short_warm_and_personal() -> None:
    assert 4 <= len(BUILTIN_TEMPLATES) <= 6
    for template in BUILTIN_TEMPLATES:
        assert "{name}" in template.text
        assert len(template.text) <= 140
        assert template.builtin
        filled = fill_template(template.text, "Ann")
        assert "Ann" in filled and "{" not in filled
    assert len({t.name for t in BUILTIN_TEMPLATES}) == len(BUILTIN_TEMPLATES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hi {name}!", "Hi Ann!"),
        ("{name}, {name}", "Ann, Ann"),
        ("Hi { Name }", "Hi Ann"),
        ("Hi {0} and %s", "Hi {0} and %s"),
        ("Hi ${name}", "Hi ${name}"),
        ("Hi {{name}}", "Hi {{name}}"),
        ("Hi {unknown} {name", "Hi {unknown} {name"),
        ("stray } and { braces {}", "stray } and { braces {}"),
        ("{name.upper} {name!r} {name:>10}", "{name.upper} {name!r} {name:>10}"),
        ("no placeholder", "no placeholder"),
    ],
)
def test_fill_template(text: str, expected: str) -> None:
    assert fill_template(text, "Ann") == expected


@pytest.mark.parametrize("name", [r"\1", r"\g<0>", "{name}", "$1 {0}", "[/]"])
def test_names_that_look_like_placeholders_go_in_literally(name: str) -> None:
    assert fill_template("Hi {name}, ok", name) == f"Hi {name}, ok"


def test_control_characters_in_a_name_never_reach_the_message() -> None:
    filled = fill_template("Hi {name}", "Ann\x1b]52;c;aGk=\x07\u202e")
    assert filled == "Hi Ann"


@given(st.text(max_size=80), st.text(max_size=20))
def test_fill_template_never_raises(text: str, name: str) -> None:
    assert isinstance(fill_template(text, name), str)


@given(st.text(alphabet="abc {}$%s0", max_size=30))
def test_text_without_the_name_field_is_left_as_typed(text: str) -> None:
    assume("name" not in text)
    assert fill_template(text, "Ann") == fill_template(text, "Bob")


def test_user_templates_follow_the_builtins_cleaned() -> None:
    @dataclass
    class Stored:
        name: str
        text: str
        id: int

    stored = [Stored("Mine\x1b[31m", "Hey {name}\u202e!", 4), Stored("Empty", "  ", 5)]
    templates = all_templates(stored)
    assert templates[: len(BUILTIN_TEMPLATES)] == list(BUILTIN_TEMPLATES)
    own = templates[len(BUILTIN_TEMPLATES):]
    assert [(t.name, t.text, t.builtin, t.record_id) for t in own] == [
        ("Mine", "Hey {name}!", False, 4)
    ]


def test_make_template_names_untitled_messages_and_refuses_empty_ones() -> None:
    assert make_template("", "Hello {name}, fancy lunch?").name == "Hello {name}, fancy lunch?"
    with pytest.raises(ValueError, match="needs some words"):
        make_template("x", "\x1b[2J")


def test_rank_colleagues_uses_each_ones_latest_contact() -> None:
    @dataclass
    class Colleague:
        id: int | None
        name: str
        ideal_days: int
        limit_days: int | None = None

    @dataclass
    class Contact:
        colleague_id: int
        when: pendulum.DateTime

    people = [Colleague(1, "Ann", 7), Colleague(2, "Bo", 7, 10), Colleague(3, "Cy", 30)]
    contacts = [
        Contact(1, ago(20)),
        Contact(1, ago(1)),  # Ann's latest: on track again
        Contact(2, ago(12)),
        Contact(99, ago(0)),  # someone removed: ignored
    ]
    ranked = rank_colleagues(people, contacts, NOW)
    assert [(r.colleague.name, r.where.status.word, r.where.days_since) for r in ranked] == [
        ("Bo", "overdue", 12),
        ("Cy", "due", None),
        ("Ann", "on track", 1),
    ]
    assert ranked[0].last is contacts[2]
