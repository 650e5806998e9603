"""The domain layer never imports Textual, so it stays fast to import and easy to test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI_MODULES = {"app.tui", "app.terminal", "app.__main__"}


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


def test_todays_start_imports_no_other_screen_and_no_text_area() -> None:
    """Screens load when first opened; what Today does not show is not imported to start it
    (a TextArea import alone pulls in Textual's document and syntax modules, ~5 ms)."""
    code = (
        "import sys\nimport app.cli, app.tui, screens.today\n"
        "print(','.join(sorted(m for m in sys.modules if m in {'screens.rituals', 'screens.colleagues', "
        "'screens.scan', 'screens.breathe', 'textual.widgets._text_area', 'textual.document'})))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
