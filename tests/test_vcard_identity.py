"""Re-importing Tend's own address book adds no one (issue 17): cards carry a UID, and a
card that says exactly what a colleague's says is that colleague, even with no email or
phone. NICKNAME and N's given name give the name someone is called by."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.models import Colleague
from app.storage import Store
from app.vcard import export_vcf, import_vcard_file, parse_vcards, write_vcards


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n") + "\r\n"


def test_jo_lee_with_only_a_signal_handle_is_not_doubled_by_a_round_trip(store: Store, tmp_path: Path) -> None:
    store.add(Colleague(name="Jo Lee", reach=["Signal: @jolee"], ideal_days=5))
    export_vcf(store, tmp_path / "a.vcf")
    report = import_vcard_file(store, tmp_path / "a.vcf")
    assert report.added == [] and report.duplicates == ["Jo Lee"]
    assert [(c.name, c.ideal_days) for c in store.all(Colleague)] == [("Jo Lee", 5)]
    assert "No new colleagues" in report.summary()


def test_an_address_book_from_before_uids_is_matched_on_every_field(store: Store, tmp_path: Path) -> None:
    store.add(Colleague(name="Jo Lee", reach=["Signal: @jolee"], notes="walks on Fridays", tags=["team"]))
    export_vcf(store, tmp_path / "a.vcf")
    old = "".join(line for line in (tmp_path / "a.vcf").read_text().splitlines(keepends=True) if not line.startswith("UID:"))
    (tmp_path / "old.vcf").write_text(old)
    assert import_vcard_file(store, tmp_path / "old.vcf").added == []
    assert len(store.all(Colleague)) == 1


def test_a_namesake_who_says_something_else_is_still_added(store: Store, tmp_path: Path) -> None:
    store.add(Colleague(name="Jo Lee", reach=["Signal: @jolee"]))
    (tmp_path / "b.vcf").write_text(crlf("BEGIN:VCARD\nVERSION:3.0\nFN:Jo Lee\nNOTE:the other Jo\nEND:VCARD"))
    assert import_vcard_file(store, tmp_path / "b.vcf").added == ["Jo Lee"]
    assert len(store.all(Colleague)) == 2


def test_a_cards_uid_finds_the_person_after_they_were_renamed_here(store: Store, tmp_path: Path) -> None:
    card = crlf("BEGIN:VCARD\nVERSION:3.0\nUID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1\nFN:Sam Roe\nEND:VCARD")
    (tmp_path / "sam.vcf").write_text(card)
    import_vcard_file(store, tmp_path / "sam.vcf")
    [sam] = store.all(Colleague)
    assert sam.uid == "4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    store.update(Colleague(id=sam.id, version=sam.version, uid=sam.uid, name="Sam Roe-Ito", created=sam.created))
    assert import_vcard_file(store, tmp_path / "sam.vcf").added == []
    assert [c.name for c in store.all(Colleague)] == ["Sam Roe-Ito"]


def test_colleagues_from_before_uids_export_the_same_uid_every_time(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "data")
    store.add(Colleague(name="Jo Lee"))
    data = json.loads((tmp_path / "data" / "tend.json").read_text())
    del data["colleagues"]["1"]["uid"]
    (tmp_path / "data" / "tend.json").write_text(json.dumps(data))
    export_vcf(Store.open(tmp_path / "data"), tmp_path / "a.vcf")
    export_vcf(Store.open(tmp_path / "data"), tmp_path / "b.vcf")
    uids = [[line for line in (tmp_path / name).read_text().splitlines() if line.startswith("UID:")] for name in ("a.vcf", "b.vcf")]
    assert uids[0] == uids[1] and len(uids[0]) == 1 and len(uids[0][0]) > len("UID:")
    assert import_vcard_file(Store.open(tmp_path / "data"), tmp_path / "a.vcf").added == []


def test_export_writes_uid_and_nickname_and_reads_them_back(store: Store) -> None:
    amara = store.add(Colleague(name="Dr. Amara Okonkwo-Fitzgerald", role="supervisor", call_name="Amara"))
    text = write_vcards([amara])
    assert f"UID:{amara.uid}" in text.split("\r\n") and "NICKNAME:Amara" in text.split("\r\n")
    [back] = parse_vcards(text).people
    assert (back.uid, back.call_name) == (amara.uid, "Amara")


def test_the_name_they_go_by_comes_from_nickname_then_the_given_name() -> None:
    cards = crlf(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Elizabeth Moss\nNICKNAME:Liz,Beth\nN:Moss;Elizabeth;;;\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Dr. Amara Okonkwo-Fitzgerald\nN:Okonkwo-Fitzgerald;Amara;;Dr.;\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Jo Lee\nN:;Jo Lee;;;\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Crisis Line Team\nEND:VCARD"
    )
    assert [p.call_name for p in parse_vcards(cards).people] == ["Liz", "Amara", "", ""]


def test_the_command_line_round_trip_of_the_issue_adds_no_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    Store.open(data).add(Colleague(name="Jo Lee", reach=["Signal: @jolee"]))
    assert main(["export", "--data", str(data), "--format", "vcf", "--out", str(tmp_path / "a.vcf")]) == 0
    assert main(["import", "--data", str(data), str(tmp_path / "a.vcf")]) == 0
    said = capsys.readouterr().out
    assert "No new colleagues" in said and "Added 1 colleague" not in said
    assert main(["export", "--data", str(data), "--out", str(tmp_path / "a.json")]) == 0
    assert main(["import", "--data", str(data), str(tmp_path / "a.json")]) == 0
    assert "Added 0 entries" in capsys.readouterr().out
    assert [c.name for c in Store.open(data).all(Colleague)] == ["Jo Lee"]
