"""`tend import FILE.vcf` and `tend export --format vcf`: what a person sees in the terminal."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from app.cli import main
from app.models import Colleague, Contact, now
from app.storage import Store

CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nTEL:07700 900123\r\nEMAIL:ann@example.org\r\n"
    "ROLE:Supervisor\r\nNOTE:Tuesdays\\, 9am\r\nCATEGORIES:supervision\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Okafor;Ngozi\r\nTEL;CELL:+44 7700 900456\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nEMAIL:nobody@example.org\r\nEND:VCARD\r\n"
)


def test_import_vcf_adds_skips_duplicates_and_explains_what_was_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    Store.open(data).add(Colleague(name="ann lee", reach=["+44 7700 900123"]))
    cards = tmp_path / "phone.vcf"
    cards.write_text(CARDS, encoding="utf-8")

    assert main(["import", str(cards), "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "Added 1 colleague from phone.vcf.",
        "Skipped 1 already here: Ann Lee.",
        "Left out 1:",
        "  card 3 (line 15): it has no name Tend can read",
    ]
    names = sorted(c.name for c in Store.open(data).all(Colleague))
    assert names == ["Ngozi Okafor", "ann lee"]

    # The same file again changes nothing.
    assert main(["import", str(cards), "--data", str(data)]) == 0
    assert capsys.readouterr().out.startswith("No new colleagues in phone.vcf.")
    assert len(Store.open(data).all(Colleague)) == 2


def test_a_vcard_without_the_vcf_suffix_is_still_recognised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cards = tmp_path / "contacts.txt"
    cards.write_text(CARDS, encoding="utf-8")
    assert main(["import", str(cards), "--data", str(tmp_path / "d")]) == 0
    assert "Added 2 colleagues" in capsys.readouterr().out


def test_a_damaged_vcf_is_refused_and_nothing_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    cards = tmp_path / "cut.vcf"
    cards.write_text(CARDS + "BEGIN:VCARD\r\nFN:Half\r\n", encoding="utf-8")
    assert main(["import", str(cards), "--data", str(data)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "never closed" in captured.err and "nothing was imported" in captured.err
    assert Store.open(data).all(Colleague) == []


def test_a_missing_vcf_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(tmp_path / "nope.vcf"), "--data", str(tmp_path / "d")]) == 1
    assert "There is no file" in capsys.readouterr().err


def test_export_vcf_writes_a_private_address_book_that_reimports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    store = Store.open(data)
    ann = store.add(
        Colleague(name="Ann [/] Lee", role="mentor", reach=["ann@example.org", "Signal @ann"],
                  notes="likes walks,\nnot Fridays", tags=["peer group"], ideal_days=7)
    )
    store.add(Contact(colleague_id=ann.id, when=now(), kind="call"))  # type: ignore[arg-type]
    store.add(Colleague(name="Bo", reach=["+1 555 0100"]))
    out = tmp_path / "colleagues.vcf"

    assert main(["export", "--format", "vcf", "--out", str(out), "--data", str(data)]) == 0
    assert capsys.readouterr().out.strip() == f"Saved 2 colleagues to {out} (vCard 3.0)."
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    text = out.read_text(encoding="utf-8")
    assert text.count("BEGIN:VCARD") == 2 and "VERSION:3.0" in text

    # Refuses to overwrite without --force.
    assert main(["export", "--format", "vcf", "--out", str(out), "--data", str(data)]) == 1
    assert "already exists" in capsys.readouterr().err

    other = tmp_path / "other"
    assert main(["import", str(out), "--data", str(other)]) == 0
    back = {c.name: c for c in Store.open(other).all(Colleague)}
    assert set(back) == {"Ann [/] Lee", "Bo"}
    assert back["Ann [/] Lee"].reach == ["ann@example.org", "Signal @ann"]
    assert back["Ann [/] Lee"].role == "mentor"
    assert back["Ann [/] Lee"].notes == "likes walks,\nnot Fridays"
    assert back["Ann [/] Lee"].tags == ["peer group"]
