"""Hostile text in every field Tend shows, in the shapes it arrives: a hand-edited data file,
a Tend export to import, and an address book (.vcf)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pendulum

from app.bodyscan import ITEM_KEYS
from app.schedule import Schedule
from app.textclean import clean_text
from tests.conftest import HOSTILE


def shown_form(text: str) -> str:
    """How a single-line piece of user text should read on screen: cleaned, spaces squashed."""
    return " ".join(clean_text(text).split())


def tables(texts: list[str], now: pendulum.DateTime, *, link: int | None = None) -> dict[str, dict[str, Any]]:
    """Records in every table, one set per text, in the store's JSON shape (uncleaned).
    Ritual n is done with colleague n (and with colleague ``link`` too, when given)."""
    yesterday = now.subtract(days=1).date().isoformat()
    data: dict[str, dict[str, Any]] = {name: {} for name in (
        "colleagues", "contacts", "rituals", "ritual_entries", "scans", "patterns", "templates")}  # fmt: skip
    for n, text in enumerate(texts, start=1):
        key = str(n)
        data["colleagues"][key] = {
            "name": text, "role": "peer", "reach": [text], "ideal_days": 7, "limit_days": 14,
            "notes": text, "tags": [text], "created": now.subtract(days=60).isoformat(),
        }  # fmt: skip
        data["contacts"][key] = {
            "colleague_id": n, "when": now.subtract(days=3 + n).isoformat(), "kind": "message", "note": text,
        }  # fmt: skip
        data["rituals"][key] = {
            "name": text, "schedule": Schedule.daily().to_dict(),
            "colleague_ids": [n] if link in (None, n) else [n, link],
            "contact_kind": "", "note": text, "archived": False,
            "created": now.subtract(days=20).isoformat(),
        }  # fmt: skip
        data["ritual_entries"][key] = {
            "ritual_id": n, "day": yesterday, "status": "done", "note": text, "created": now.isoformat(),
        }  # fmt: skip
        data["patterns"][key] = {"name": text, "phases": [["inhale", 4], ["exhale", 6]]}
        data["templates"][key] = {"name": text, "text": f"{text} {{name}}"}
    data["scans"]["1"] = {
        "when": now.subtract(hours=2).isoformat(), "mode": "quick",
        "ratings": {key: 3 for key in ITEM_KEYS}, "sensations": {}, "notes": {ITEM_KEYS[0]: texts[0]},
        "skipped": [],
    }  # fmt: skip
    return data


def write_data_file(
    folder: Path, texts: list[str] = HOSTILE, *, now: pendulum.DateTime | None = None, link: int | None = None
) -> Path:
    """A data file as a person editing it by hand could leave it: nothing cleaned."""
    now = now or pendulum.now()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    data = {
        "_meta": {"1": {"schema": 1}},
        "settings": {"1": {"welcomed": True, "starters_offered": True, "theme": texts[12 % len(texts)]}},
        "drafts": {"1": {"key": "colleague-form", "data": {"id": None, "name": texts[7 % len(texts)]},
                         "saved": now.isoformat()}},
        **tables(texts, now, link=link),
    }  # fmt: skip
    path = folder / "tend.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    os.chmod(path, 0o600)
    return path


def write_export(path: Path, texts: list[str] = HOSTILE, *, now: pendulum.DateTime | None = None) -> Path:
    """A Tend export (as ``tend export`` writes, then edited) holding ``texts`` everywhere."""
    now = now or pendulum.now()
    document = {"tend_export": 1, "schema": 1, "exported": now.isoformat(), "data": tables(texts, now)}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _vcard_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def write_vcf(path: Path, texts: list[str] = HOSTILE) -> Path:
    """An address book with ``texts`` as names, notes, phones, emails and categories."""
    cards = []
    for n, text in enumerate(texts, start=1):
        value = _vcard_escape(text.replace("\r", ""))
        cards.append(
            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"FN:{value or f'Person {n}'}\r\n"
            f"NOTE:{value}\r\n"
            f"TEL:{value}\r\n"
            f"EMAIL:person{n}@example.org\r\n"
            f"CATEGORIES:{value}\r\n"
            "END:VCARD\r\n"
        )
    path.write_text("".join(cards), encoding="utf-8")
    return path
