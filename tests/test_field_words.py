"""A conflict message names every field in plain words ("When the snooze ends: there ..., here
..."), never by its name in the code ("Snoozed until", "Call name"); and a field added to any
kind of record later cannot be forgotten."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pendulum
import pytest

from app.models import RECORD_TYPES, UNVERSIONED, Colleague
from app.storage import FIELD_WORDS, ConflictError, Store


@pytest.mark.parametrize("kind", RECORD_TYPES, ids=lambda kind: kind.__name__)
def test_every_field_of_every_kind_of_record_has_plain_words(kind: type) -> None:
    missing = [f.name for f in dataclasses.fields(kind) if f.name not in UNVERSIONED and f.name not in FIELD_WORDS]
    assert not missing, f"add words for {missing} to app.storage.FIELD_WORDS"
    for f in dataclasses.fields(kind):
        words = FIELD_WORDS.get(f.name, "")
        assert f.name in UNVERSIONED or (words and "_" not in words and words == words.strip()), f.name


def test_a_snooze_changed_in_two_windows_is_named_in_plain_words(tmp_path: Path) -> None:
    one = Store.open(tmp_path / "data")
    other = Store.open(tmp_path / "data")
    jo = one.add(Colleague(name="Jo Lee"))
    there = dataclasses.replace(jo, snoozed_until=pendulum.date(2026, 12, 12), call_name="Joanne")
    other.update(there, base=jo)
    with pytest.raises(ConflictError) as raised:
        one.update(dataclasses.replace(jo, snoozed_until=pendulum.date(2026, 12, 20), call_name="Jo"), base=jo)
    message = str(raised.value)
    assert 'When the snooze ends: there "2026-12-12", here "2026-12-20".' in message
    assert 'The name they are called by: there "Joanne", here "Jo".' in message
    assert "snoozed" not in message.lower() and "call name" not in message.lower()
