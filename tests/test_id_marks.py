"""Each kind's high-water mark of ids is written with its first record (issue 14).

The mark was only ever written when a record was removed: an insert compared the new id
with the highest id already in the table, which by then held the new record, so the mark
stayed unwritten and every insert scanned the whole table for it again (make_data.py at
--scale 4 took minutes instead of seconds; an import of thousands slowed the same way).
And a record removed by something that knows nothing of the marks (a Tend from before
them, a hand edit) freed its id for someone new.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pendulum

from app.models import Colleague, Contact
from app.storage import Store


def test_the_first_record_of_a_kind_writes_its_mark(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "d")
    store.add(Colleague(name="Ann"))
    with store.transaction():
        zed = store.add(Colleague(name="Zed"))
        store.add(Contact(colleague_id=zed.id, when=pendulum.now(), note="walk"))  # type: ignore[arg-type]  # an added record has its id
    marks = json.loads((tmp_path / "d" / "tend.json").read_bytes())["_meta"]["1"]["last_ids"]
    assert marks == {"colleagues": 2, "contacts": 1}


def test_an_id_removed_by_a_tend_from_before_the_marks_is_not_given_again(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    store = Store.open(folder)
    store.add(Colleague(name="Ann"))
    zed = store.add(Colleague(name="Zed"))
    # An older Tend (or a hand edit) removes Zed, and knows nothing of the marks.
    data = json.loads((folder / "tend.json").read_bytes())
    del data["colleagues"][str(zed.id)]
    (folder / "tend.json").write_text(json.dumps(data))
    os.chmod(folder / "tend.json", 0o600)
    newcomer = Store.open(folder).add(Colleague(name="Someone new"))
    assert newcomer.id != zed.id
