"""docs/make_pictures.py makes the README's four pictures from demo data, and never reads
(or writes) the real data or config of whoever runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.models import Colleague
from app.storage import Store

ROOT = Path(__file__).resolve().parents[1]
SECRET = "Zelda Realperson"


def snapshot_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_script_makes_four_svgs_from_demo_data_only(tmp_path: Path) -> None:
    # Someone's real Tend: data in the XDG folder and in TEND_DATA_DIR, and a config file.
    home = tmp_path / "home"
    xdg_data = home / ".local" / "share" / "tend"
    elsewhere = tmp_path / "elsewhere"
    for folder in (xdg_data, elsewhere):
        store = Store.open(folder)
        store.update_settings(welcomed=True, starters_offered=True, theme="dracula")
        store.add(Colleague(name=SECRET, role="supervisor"))
    config = home / ".config" / "tend" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('theme = "dracula"\n[keys]\n"app.quit" = "z"\n')
    config.chmod(0o600)
    before = {folder: snapshot_of(folder) for folder in (xdg_data, elsewhere, config.parent)}

    out = tmp_path / "pictures"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")},
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "TEND_DATA_DIR": str(elsewhere),
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "make_pictures.py"), "--out", str(out)],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr

    made = sorted(p.name for p in out.iterdir())
    assert made == ["breathing.svg", "rituals.svg", "scan-summary.svg", "today.svg"]
    words = {
        "today.svg": "Ann&#160;Okafor",
        "scan-summary.svg": "Your&#160;scan",
        "breathing.svg": "Box&#160;breathing",
        "rituals.svg": "Team&#160;check-in",
    }
    for name, word in words.items():
        svg = (out / name).read_text(encoding="utf-8")
        assert svg.lstrip().startswith("<svg") and svg.rstrip().endswith("</svg>")
        assert word in svg, name  # the demo data, drawn
        assert "Zelda" not in svg and "Realperson" not in svg  # never the person's own
    # Nothing of theirs was read into the pictures, and nothing of theirs was changed.
    assert {folder: snapshot_of(folder) for folder in before} == before
