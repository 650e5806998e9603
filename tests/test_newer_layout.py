"""A folder set up by a newer Tend that keeps its data in a layout this one does not know
(issue 14, docs/storage.md, section 5) is refused in plain words, never shown or exported in
part, and left as it is.

The folder here is as a future Tend might leave it: ``tend.json`` a signpost (a newer schema,
an unknown ``layout``, no records), the data in other files. Without the refusal, this Tend
would open the signpost read-only: an empty Today, and an export holding nothing, as if
that were everything. (This Tend's own split layout, ``"layout": "split"``, is schema 2.)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import app.storage as storage_module
from app.cli import main
from app.doctor import run_doctor
from app.storage import NEWER_LAYOUT, SCHEMA_VERSION, NewerLayoutError, Store

TERMINAL = {"TERM": "xterm-256color"}
NEWER = SCHEMA_VERSION + 1


def split_folder(root: Path) -> dict[str, bytes]:
    """A folder as the newer Tend leaves it; returns every file's bytes."""
    root.mkdir(mode=0o700)
    (root / "history").mkdir(mode=0o700)
    files = {
        "tend.json": {"_meta": {"1": {"schema": NEWER, "layout": "sharded"}}, "settings": {"1": {"welcomed": True}}},
        "current.json": {"_meta": {"1": {"schema": NEWER, "layout": "sharded"}}, "colleagues": {"1": {"name": "Ann"}}},
        "history/contacts-2024.g0001.json": {"_meta": {"1": {"schema": NEWER}}, "contacts": {"1": {"colleague_id": 1}}},
    }
    written = {}
    for name, content in files.items():
        raw = json.dumps(content).encode()
        (root / name).write_bytes(raw)
        os.chmod(root / name, 0o600)
        written[name] = raw
    return written


def everything_in(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and p.name != "tend.lock"}


def test_a_split_folder_is_refused_plainly_and_left_as_it_was(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    before = split_folder(folder)
    with pytest.raises(NewerLayoutError) as refused:
        Store.open(folder)
    assert str(refused.value) == NEWER_LAYOUT
    assert "newer Tend" in NEWER_LAYOUT and "changed nothing" in NEWER_LAYOUT
    assert everything_in(folder) == before  # no backup made, nothing kept aside or rewritten


def test_a_split_folder_that_cannot_be_written_is_refused_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "data"
    before = split_folder(folder)
    monkeypatch.setattr(storage_module, "folder_unwritable", lambda root: "a read-only disk")
    with pytest.raises(NewerLayoutError):
        Store.open(folder)
    assert everything_in(folder) == before


def test_export_of_a_split_folder_writes_nothing_and_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "data"
    split_folder(folder)
    out = tmp_path / "all.json"
    assert main(["export", "--data", str(folder), "--out", str(out)]) == 1
    assert not out.exists()
    assert "set up by a newer Tend" in capsys.readouterr().err


def test_doctor_names_a_split_folder(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    split_folder(folder)
    report, code = run_doctor(folder, environ=TERMINAL)
    assert code == 1
    assert "set up by a newer Tend" in report


def test_a_newer_schema_without_a_layout_still_opens_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    (folder / "tend.json").write_bytes(json.dumps({"_meta": {"1": {"schema": NEWER}}, "colleagues": {"1": {"name": "Ann"}}}).encode())
    os.chmod(folder / "tend.json", 0o600)
    store = Store.open(folder)
    assert store.read_only


def test_a_tend_left_running_while_a_newer_one_splits_the_folder_never_writes_over_it(tmp_path: Path) -> None:
    from app.models import Colleague
    from app.storage import ReadOnlyError

    folder = tmp_path / "data"
    running = Store.open(folder)
    running.add(Colleague(name="Ann"))
    moved = tmp_path / "split"
    split = split_folder(moved)
    for name in ("tend.json", "current.json"):
        os.replace(moved / name, folder / name)  # the newer Tend's commit point, as it would
    with pytest.raises(ReadOnlyError):
        running.add(Colleague(name="Ben"))
    with pytest.raises(ReadOnlyError):
        running.update_settings(theme="nord")
    assert (folder / "tend.json").read_bytes() == split["tend.json"]
    assert (folder / "current.json").read_bytes() == split["current.json"]


@pytest.mark.parametrize("mark", ["splt", "", ["split"], {"split": 1}, 5, None, True])
def test_a_broken_layout_mark_in_this_tends_own_schema_is_damage_not_a_newer_tend(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mark: object
) -> None:
    # A hand edit of `_meta.layout` in a schema this Tend wrote used to be taken for a newer
    # Tend (every command refused, "Update Tend") or, for a list, to stop every command
    # with a traceback. It is damage: kept aside, and the last good backup takes its place.
    from app.models import Colleague

    folder = tmp_path / "data"
    store = Store.open(folder)
    store.add(Colleague(name="Ann"))
    Store.open(folder)  # a start: the backup now holds Ann
    data = json.loads((folder / "tend.json").read_text())
    data["_meta"]["1"]["layout"] = mark
    edited = json.dumps(data).encode()
    (folder / "tend.json").write_bytes(edited)

    out = tmp_path / "all.json"
    assert main(["export", "--data", str(folder), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "layout mark is broken" in err and "newer Tend" not in err and "Traceback" not in err
    assert [c["name"] for c in json.loads(out.read_text())["data"]["colleagues"].values()] == ["Ann"]
    kept = list(folder.glob("tend.json.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == edited  # the edited file kept aside, untouched
