"""The domain layer never imports Textual, so it stays fast to import and easy to test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI_MODULES = {"app.tui", "app.__main__"}


def domain_modules() -> list[str]:
    return sorted(
        f"app.{path.stem}"
        for path in (ROOT / "app").glob("*.py")
        if path.stem != "__init__" and f"app.{path.stem}" not in UI_MODULES
    )


def test_domain_modules_do_not_import_textual() -> None:
    modules = domain_modules()
    assert "app.storage" in modules and "app.models" in modules
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + (
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_help_does_not_load_the_user_interface() -> None:
    code = (
        "import sys\nfrom app.cli import build_parser\nbuild_parser()\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False"
