"""Start-up loads only what it needs: the command line's help without the UI, Today without the
other screens. (That the domain never imports Textual or the screens is checked by the
import-linter contracts in pyproject.toml, run by `lint-imports` in CI.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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
