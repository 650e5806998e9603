"""Address books in and out: vCard 2.1 / 3.0 / 4.0 import, duplicates, damaged files, export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.people import ROLES
from app.textclean import clean_text, is_clean
from app.vcard import (
    VcardError,
    VcardPerson,
    parse_vcards,
    read_vcard_file,
    same_person,
    split_duplicates,
    write_vcards,
)
from tests.conftest import HOSTILE


def crlf(text: str) -> str:
    return text.strip("\n").replace("\n", "\r\n") + "\r\n"


# An Android-style 2.1 export: QP with soft line breaks, CHARSET, unnamed params, a photo.
V21 = crlf(
    """
BEGIN:VCARD
VERSION:2.1
N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=B6rg;;Dr.;
FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Dr. J=C3=B6rg M=C3=BCller
TEL;CELL;PREF:+49 170 1234567
TEL;WORK;VOICE:030 1234 5678
EMAIL;INTERNET;HOME:jorg@example.org
NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Met at the Tuesday group, lovely=0D=0A=
Second line, with commas=
 and more
TITLE:Clinical supervisor
PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD
 /2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwg

END:VCARD
"""
)

# An Apple/Google-style 3.0 export: grouped properties, escapes, folded lines, categories.
V30 = crlf(
    """
BEGIN:VCARD
VERSION:3.0
PRODID:-//Apple Inc.//iPhone OS 17.0//EN
N:Okafor;Ngozi;;;
FN:Ngozi Okafor
ORG:Northside Practice;
item1.EMAIL;type=INTERNET;type=pref:Ngozi.Okafor@Example.org
item1.X-ABLabel:_$!<Other>!$_
TEL;type=CELL;type=VOICE;type=pref:07700 900123
NOTE:Peer consultation on Thursdays\\, usually by phone.\\nAlso great for a walk
 ing debrief after a hard day.
CATEGORIES:consultation,thursday\\, pm
ROLE:Peer
END:VCARD
"""
)

# A 4.0 card (Nextcloud/Thunderbird style): URI phone values, quoted params, no N.
V40 = crlf(
    """
BEGIN:VCARD
VERSION:4.0
FN:李小龍
TEL;VALUE=uri;TYPE="voice,cell";PREF=1:tel:+1-555-555-0100
EMAIL;TYPE=work:li@example.org
IMPP;PREF=1:xmpp:li@chat.example
KIND:individual
ROLE:Mentor
END:VCARD
"""
)


def test_vcard_21_with_quoted_printable_and_soft_breaks() -> None:
    result = parse_vcards(V21)
    assert result.rejected == []
    [jorg] = result.people
    assert jorg.name == "Dr. Jörg Müller"
    assert jorg.reach == ("+49 170 1234567", "030 1234 5678", "jorg@example.org")
    assert jorg.role == "supervisor"
    # The job title is kept as the first line of the notes; QP line breaks are undone,
    # and commas in 2.1 text are kept rather than cutting the note short.
    assert jorg.notes == (
        "Clinical supervisor\nMet at the Tuesday group, lovely\n"
        "Second line, with commas and more"
    )


def test_vcard_30_with_groups_escapes_and_folded_lines() -> None:
    [ngozi] = parse_vcards(V30).people
    assert ngozi.name == "Ngozi Okafor"
    assert ngozi.reach == ("Ngozi.Okafor@Example.org", "07700 900123")
    assert ngozi.role == "peer"
    assert ngozi.notes == (
        "Peer consultation on Thursdays, usually by phone.\n"
        "Also great for a walking debrief after a hard day."
    )
    assert ngozi.tags == ("consultation", "thursday, pm")


def test_vcard_40_with_uri_values_and_utf8_name() -> None:
    [li] = parse_vcards(V40).people
    assert li.name == "李小龍"
    assert li.reach == ("+1-555-555-0100", "li@example.org", "xmpp:li@chat.example")
    assert li.role == "mentor"
    assert li.notes == ""


def test_a_file_with_every_version_reads_all_of_them_in_order() -> None:
    result = parse_vcards(V21 + V30 + V40)
    assert [p.name for p in result.people] == ["Dr. Jörg Müller", "Ngozi Okafor", "李小龍"]


@pytest.mark.parametrize(
    ("n_line", "expected"),
    [
        ("N:Lee;Ann;;;", "Ann Lee"),
        ("N:Lee;Ann;Marie;Dr.;PhD", "Dr. Ann Marie Lee PhD"),
        ("N:Lee;Ann", "Ann Lee"),
        ("N:O\\;Brien;Sam;;;", "Sam O;Brien"),
        ("N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Sm=C3=B8rg=C3=A5rd;=C3=85se;;;", "Åse Smørgård"),
    ],
)
def test_missing_fn_takes_the_name_from_n(n_line: str, expected: str) -> None:
    card = crlf(f"BEGIN:VCARD\nVERSION:2.1\n{n_line}\nTEL:123 4567\nEND:VCARD")
    assert parse_vcards(card).people[0].name == expected


def test_empty_fn_falls_back_to_n_then_org() -> None:
    card = crlf("BEGIN:VCARD\nVERSION:3.0\nFN:\nN:;;;;\nORG:Tuesday peer group;\nEND:VCARD")
    assert parse_vcards(card).people[0].name == "Tuesday peer group"


def test_cards_without_a_name_are_rejected_with_where_and_why() -> None:
    text = V30 + crlf("BEGIN:VCARD\nVERSION:3.0\nEMAIL:x@example.org\nEND:VCARD") + crlf(
        "BEGIN:VCARD\nVERSION:3.0\nFN:\x1b[2J\u202e\nEND:VCARD"
    )
    result = parse_vcards(text)
    assert [p.name for p in result.people] == ["Ngozi Okafor"]
    assert result.rejected == [
        ("card 2 (line 15)", "it has no name Tend can read"),
        ("card 3 (line 19)", "it has no name Tend can read"),
    ]


def test_a_card_with_undecodable_text_is_rejected_and_the_rest_kept() -> None:
    bad = crlf(
        "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=NOPE-8;ENCODING=QUOTED-PRINTABLE:=C3=BC\nEND:VCARD"
    )
    result = parse_vcards(V30 + bad)
    assert [p.name for p in result.people] == ["Ngozi Okafor"]
    [(where, why)] = result.rejected
    assert where == "card 2 (line 15)"
    assert "cannot decode" in why


def test_roles_from_role_and_title() -> None:
    def role_of(lines: str) -> tuple[str, str]:
        card = crlf(f"BEGIN:VCARD\nVERSION:3.0\nFN:Sam\n{lines}\nEND:VCARD")
        person = parse_vcards(card).people[0]
        return person.role, person.notes

    assert role_of("ROLE:Consultation group") == ("consultation", "")
    assert role_of("ROLE:team") == ("team", "")
    assert role_of("TITLE:Team lead") == ("team", "Team lead")
    assert role_of("TITLE:Clinical Psychologist") == ("peer", "Clinical Psychologist")
    assert role_of("TITLE:Nurse\nNOTE:Night shifts") == ("peer", "Nurse\nNight shifts")
    assert role_of("") == ("peer", "")


def test_everything_is_cleaned_like_typed_text() -> None:
    card = crlf(
        "BEGIN:VCARD\nVERSION:3.0\n"
        "FN:Ann\x1b]0;owned\x07 Lee\u202e\n"
        "TEL:\x1b[31m07700 900123\n"
        "NOTE:fine\\n\x1b[2Jcleared?\x9b\n"
        "CATEGORIES:ok,\x00nul,\u200b\n"
        "END:VCARD"
    )
    [ann] = parse_vcards(card).people
    assert ann.name == "Ann Lee"
    assert ann.reach == ("07700 900123",)
    assert ann.notes == "fine\ncleared?"
    assert ann.tags == ("ok", "nul")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_strings_survive_import_cleaned(hostile: str) -> None:
    person = VcardPerson(
        name="Pat " + hostile, reach=(hostile, "pat@example.org"), notes=hostile, tags=(hostile,)
    )
    [back] = parse_vcards(write_vcards([person])).people
    for text in (back.name, back.notes, *back.reach, *back.tags):
        assert is_clean(text)
        assert "\x1b" not in text
    assert back.name == clean_text("Pat " + hostile)
    assert back.notes == clean_text(hostile, multiline=True)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_strings_in_a_raw_card_never_crash(hostile: str) -> None:
    body = hostile.replace("\r", "").replace("\n", " ")
    card = crlf(f"BEGIN:VCARD\nVERSION:3.0\nFN:{body}\nNOTE:{body}\nCATEGORIES:{body}\nEND:VCARD")
    try:
        result = parse_vcards(card)
    except VcardError:
        return
    for person in result.people:
        assert is_clean(person.name) and is_clean(person.notes)


# Damaged files -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "empty"),
        ("   \r\n\r\n", "empty"),
        ("hello there\nthis is a shopping list", "Line 1 is not vCard text"),
        ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\n", "never closed"),
        (V30 + "BEGIN:VCARD\r\nFN:Bo\r\n", "never closed"),
        ("BEGIN:VCARD\r\nFN:Ann\r\nEND:VCALENDAR\r\n", "Line 3 closes VCALENDAR"),
        ("END:VCARD\r\n", "Line 1 closes"),
        (V30 + "FN:stray\r\n", "Line 15 sits outside any contact card"),
        (V30.replace("FN:Ngozi Okafor", "FN Ngozi Okafor"), "Line 5 is not vCard text"),
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "calendar file"),
        ("BEGIN:FOO\r\nEND:FOO\r\n", "No contact cards found"),
    ],
)
def test_damaged_files_are_refused_whole_with_a_clear_message(text: str, says: str) -> None:
    with pytest.raises(VcardError) as caught:
        parse_vcards(text)
    assert says in str(caught.value)
    assert len(str(caught.value)) < 160


@settings(max_examples=300)
@given(st.text(max_size=300))
def test_any_text_gives_people_or_a_vcard_error(text: str) -> None:
    try:
        result = parse_vcards(text)
    except VcardError:
        return
    for person in result.people:
        assert person.name and is_clean(person.name)


@settings(max_examples=200)
@given(
    st.lists(
        st.sampled_from(
            ["BEGIN:VCARD", "END:VCARD", "VERSION:2.1", "VERSION:4.0", "FN:Ann", "N:;;",
             "TEL;ENCODING=QUOTED-PRINTABLE:=", "NOTE;QUOTED-PRINTABLE:a=", " folded", "",
             "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=x:=FF", "EMAIL:a@b.c", "CATEGORIES:\\",
             "BEGIN:VCALENDAR", "END:VCALENDAR", "X:\\", "FN;CHARSET=UTF-8:\\n", "=", ":"]
        ),
        max_size=14,
    )
)
def test_scrambled_cards_never_crash(lines: list[str]) -> None:
    try:
        parse_vcards("\r\n".join(lines))
    except VcardError:
        pass


def test_read_file_handles_bom_latin1_missing_and_binary(tmp_path: Path) -> None:
    bom = tmp_path / "bom.vcf"
    bom.write_bytes(b"\xef\xbb\xbf" + V40.encode("utf-8"))
    assert read_vcard_file(bom).people[0].name == "李小龍"
    latin = tmp_path / "latin.vcf"
    latin.write_bytes(crlf("BEGIN:VCARD\nVERSION:2.1\nFN:José\nEND:VCARD").encode("cp1252"))
    assert read_vcard_file(latin).people[0].name == "José"
    with pytest.raises(VcardError, match="There is no file"):
        read_vcard_file(tmp_path / "missing.vcf")
    with pytest.raises(VcardError, match="is a folder"):
        read_vcard_file(tmp_path)
    binary = tmp_path / "photo.vcf"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(VcardError, match="not a text file"):
        read_vcard_file(binary)


# Duplicates --------------------------------------------------------------------------------------


def test_same_person_needs_the_same_name_and_a_shared_phone_or_email() -> None:
    reach = ["+44 7700 900123", "Ann@Example.org"]
    assert same_person("Ann Lee", reach, "ann  lee", ["ann@example.org"])
    assert same_person("Ann Lee", reach, "ANN LEE", ["mobile: +44 (7700) 900-123"])
    assert same_person("Ann Lee", reach, "Ann Lee", ["07700 900123"])  # trunk vs country code
    assert not same_person("Ann Lee", reach, "Ann Leigh", ["ann@example.org"])
    assert not same_person("Ann Lee", reach, "Ann Lee", ["other@example.org"])
    assert not same_person("Ann Lee", reach, "Ann Lee", ["+44 7700 900124"])
    assert not same_person("Ann Lee", reach, "Ann Lee", [])
    assert not same_person("Ann Lee", ["123"], "Ann Lee", ["123"])  # too short to be a phone


def test_split_duplicates_against_existing_and_within_the_file() -> None:
    existing = [VcardPerson(name="Ann Lee", reach=("ann@example.org",))]
    incoming = [
        VcardPerson(name="ann lee", reach=("07700 900123", "ANN@example.org")),  # existing
        VcardPerson(name="Ann Lee", reach=("other@example.org",)),  # namesake, new
        VcardPerson(name="Bo", reach=("bo@example.org",)),
        VcardPerson(name="BO", reach=("+1 555 0100", "bo@example.org")),  # repeat in file
    ]
    new, duplicates = split_duplicates(incoming, existing)
    assert [(p.name, p.reach[0]) for p in new] == [("Ann Lee", "other@example.org"), ("Bo", "bo@example.org")]
    assert [p.name for p in duplicates] == ["ann lee", "BO"]


# Export and round trip -------------------------------------------------------------------------


def test_export_is_vcard_30_that_address_books_read() -> None:
    person = VcardPerson(
        name="Ngozi Okafor",
        role="consultation",
        reach=("07700 900123", "ngozi@example.org", "xmpp:ngozi@chat.example", "Signal: @ngozi"),
        notes="Thursdays, by phone;\nwalks too",
        tags=("group", "thu, pm"),
    )
    text = write_vcards([person])
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCARD" and lines[1] == "VERSION:3.0"
    assert "FN:Ngozi Okafor" in lines
    assert "N:;Ngozi Okafor;;;" in lines
    assert "ROLE:Consultation group" in lines
    assert "TEL:07700 900123" in lines
    assert "EMAIL:ngozi@example.org" in lines
    assert "IMPP:xmpp:ngozi@chat.example" in lines
    assert "X-TEND-REACH:Signal: @ngozi" in lines
    assert "NOTE:Thursdays\\, by phone\\;\\nwalks too" in lines
    assert "CATEGORIES:group,thu\\, pm" in lines
    assert text.endswith("END:VCARD\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert parse_vcards(text).people == [person]


def test_long_utf8_values_fold_without_splitting_characters() -> None:
    person = VcardPerson(name="Zoë " + "é" * 100, notes="李" * 300)
    text = write_vcards([person])
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    assert parse_vcards(text).people == [person]


clean_line = st.text(min_size=1, max_size=60).map(clean_text).filter(bool)


@st.composite
def people(draw: st.DrawFn) -> VcardPerson:
    def unique(items: list[str]) -> tuple[str, ...]:
        seen: dict[str, str] = {}
        for item in items:
            seen.setdefault(item.casefold(), item)
        return tuple(seen.values())

    # Every value as Tend holds it: cleaned and cut to a line's length (an email address can be
    # longer than the 120 characters a line of "how to reach them" keeps).
    return VcardPerson(
        name=draw(clean_line),
        role=draw(st.sampled_from([key for key, _ in ROLES])),
        reach=unique(draw(st.lists(clean_line | st.emails().map(clean_text) | st.from_regex(r"\+?[0-9 ]{7,15}[0-9]", fullmatch=True).map(clean_text), max_size=4))),
        notes=draw(st.text(max_size=300).map(lambda t: clean_text(t, multiline=True))),
        tags=unique(draw(st.lists(clean_line, max_size=4))),
        birthday=draw(st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)).map(
            lambda d: pendulum.Date(d.year, d.month, d.day))),  # 1904 among them: a birthday without its year
    )


@pytest.mark.parametrize(
    ("bday", "kept"),
    [
        ("1985-03-14", (1985, 3, 14)), ("19850314", (1985, 3, 14)), ("1985-03-14T00:00:00Z", (1985, 3, 14)),
        ("--03-14", (1904, 3, 14)), ("--0314", (1904, 3, 14)), ("1604-02-29", (1904, 2, 29)),  # Apple's, no year
        ("--02-30", None), ("1985-13-01", None), ("0001-01-01", None), ("next tuesday", None), ("", None),
        ("\x1b[2J1985-03-14", None),
    ],
)
def test_a_cards_birthday_is_read_as_written_or_not_at_all(bday: str, kept: tuple[int, int, int] | None) -> None:
    from app.vcard import birthday_from

    day = birthday_from(bday)
    assert (None if day is None else (day.year, day.month, day.day)) == kept
    card = crlf(f"BEGIN:VCARD\nVERSION:3.0\nFN:Ann\nBDAY:{bday}\nEND:VCARD")
    [person] = parse_vcards(card).people
    assert person.birthday == day


def test_a_colleagues_birthday_goes_out_and_comes_back_through_a_vcf(tmp_path: Path) -> None:
    from app.models import Colleague
    from app.storage import Store
    from app.vcard import export_vcf, import_vcard_file

    here = Store.open(tmp_path / "here")
    here.add(Colleague(name="Ann", birthday=pendulum.Date(1904, 3, 14)))  # "14 Mar": no year
    here.add(Colleague(name="Bo", birthday=pendulum.Date(1979, 12, 1)))
    export_vcf(here, tmp_path / "people.vcf")
    text = (tmp_path / "people.vcf").read_bytes().decode()
    assert "BDAY:--03-14\r\n" in text and "BDAY:1979-12-01\r\n" in text
    there = Store.open(tmp_path / "there")
    import_vcard_file(there, tmp_path / "people.vcf")
    assert sorted((c.name, c.birthday) for c in there.all(Colleague)) == [
        ("Ann", pendulum.Date(1904, 3, 14)), ("Bo", pendulum.Date(1979, 12, 1))]


@settings(max_examples=150, deadline=None)
@given(st.lists(people(), min_size=1, max_size=4))
def test_export_then_import_gives_back_the_same_people(group: list[VcardPerson]) -> None:
    result = parse_vcards(write_vcards(group))
    assert result.rejected == []
    assert result.people == group


def test_export_of_nothing_is_empty_and_import_says_so() -> None:
    assert write_vcards([]) == ""
    with pytest.raises(VcardError, match="empty"):
        parse_vcards(write_vcards([]))


def test_one_uid_on_several_peoples_cards_keeps_each_person() -> None:
    cards = crlf("\n".join(
        f"BEGIN:VCARD\nVERSION:3.0\nFN:{name}\nUID:urn:uuid:same-for-all\nEMAIL:{name.split()[0].lower()}@example.org\nEND:VCARD"
        for name in ("Dup One", "Dup Two", "Dup Three")
    ) + "\nBEGIN:VCARD\nVERSION:3.0\nFN:Dup One\nUID:urn:uuid:same-for-all\nEMAIL:dup@example.org\nEND:VCARD")
    new, repeated = split_duplicates(parse_vcards(cards).people)
    assert [p.name for p in new] == ["Dup One", "Dup Two", "Dup Three"]  # three people, none dropped
    assert [p.uid for p in new] == ["same-for-all", "", ""]  # the first keeps the uid; the others get their own
    assert [p.name for p in repeated] == ["Dup One"]  # the same card again is the same person
