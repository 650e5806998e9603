"""Messages use the name someone is called by, and offer templates that fit them (issue 17:
"Hi Dr. Amara Okonkwo-Fitzgerald, today was a heavy one...")."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.models import Colleague, MessageTemplate
from app.people import (
    BUILTIN_TEMPLATES,
    all_templates,
    call_name,
    derived_call_name,
    fill_for,
    templates_for,
)
from app.storage import Store
from app.textclean import clean_text
from tests.conftest import HOSTILE

HEAVY = next(t for t in BUILTIN_TEMPLATES if t.name == "After a heavy day")


def test_a_message_greets_someone_by_their_first_given_name_not_their_title() -> None:
    amara = Colleague(name="Dr. Amara Okonkwo-Fitzgerald", role="supervisor")
    assert fill_for(HEAVY.text, amara).startswith("Hi Amara, today was a heavy one.")


def test_titles_are_skipped_and_groups_keep_their_whole_name() -> None:
    assert derived_call_name("Prof. Dr. Jörg Müller") == "Jörg"
    assert derived_call_name("Mx Sam Roe") == "Sam"
    assert derived_call_name("Rev Ann Lee") == "Ann"
    assert derived_call_name("Mrs. O'Brien") == "O'Brien"
    assert derived_call_name("Dr.") == "Dr."  # nothing else to call them
    assert derived_call_name("李小龍") == "李小龍"
    assert derived_call_name("Crisis Line Team", "team") == "Crisis Line Team"
    assert derived_call_name("Tuesday consultation group", "consultation") == "Tuesday consultation group"


def test_the_name_they_go_by_can_be_set_and_is_kept(store: Store) -> None:
    liz = store.add(Colleague(name="Elizabeth Moss", call_name="Liz"))
    assert call_name(liz) == "Liz"
    assert fill_for("Hi {name}!", liz) == "Hi Liz!"
    edited = store.update(Colleague(id=liz.id, version=liz.version, name="Elizabeth Moss-Ito", call_name="Liz", created=liz.created))
    assert call_name(store.get(Colleague, edited.id or 0)) == "Liz"  # type: ignore[arg-type]
    plain = store.add(Colleague(name="Sam Roe"))
    assert plain.call_name == "" and call_name(plain) == "Sam"  # empty: derived, so a rename follows


@given(st.sampled_from(HOSTILE), st.sampled_from(HOSTILE))
def test_any_name_fills_a_message_as_clean_plain_text(name: str, own: str) -> None:
    person = Colleague(name=name, call_name=own).cleaned()
    text = fill_for("Hi {name}, {0} %s", person)
    assert text == clean_text(text, multiline=True)
    assert "\x1b" not in text and text.endswith(", {0} %s")


def test_supervision_is_offered_to_a_supervisor_first_and_never_to_a_team() -> None:
    templates = all_templates()
    ann = Colleague(name="Ann Lee", role="supervisor")
    team = Colleague(name="Crisis Line Team", role="team")
    peer = Colleague(name="Jo Lee", role="peer")
    assert templates_for(ann, templates)[0].name == "Time for supervision"
    for other in (team, peer):
        offered = [t.name for t in templates_for(other, templates)]
        assert "Time for supervision" not in offered
        assert "Just checking in" in offered


def test_a_template_of_ones_own_can_be_made_for_some_roles(store: Store) -> None:
    store.add(MessageTemplate(name="Team huddle", text="Hi {name}, huddle on Friday?", fits=["team"]))
    store.add(MessageTemplate(name="Any", text="Hi {name}"))
    templates = all_templates(store.all(MessageTemplate))
    team = [t.name for t in templates_for(Colleague(name="Crisis Line Team", role="team"), templates)]
    peer = [t.name for t in templates_for(Colleague(name="Jo", role="peer"), templates)]
    assert team[0] == "Team huddle" and "Any" in team
    assert "Team huddle" not in peer and "Any" in peer
