"""The CI gate that every ``type: ignore`` carries its code and a reason (.ci/type_ignores.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def gate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("type_ignores", ROOT / ".ci" / "type_ignores.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "line",
    [
        "x = f()  # type: ignore\n",
        "x = f()  # type: ignore[attr-defined]\n",
        "x = f()  # type: ignore[attr-defined]  #\n",
        "x = f()  # type: ignore[arg-type, union-attr]  # ok\n",
        "x = f()  # type:ignore[misc]\n",
        "x = f()  # noqa: E501  # type: ignore[misc]\n",
    ],
)
def test_an_ignore_without_a_reason_fails_the_gate(line: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mod.py").write_text("import os\n" + line, encoding="utf-8")
    assert gate().main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path / 'mod.py'}:2:" in out and "reason" in out


@pytest.mark.parametrize(
    "line",
    [
        "x = f()  # type: ignore[attr-defined]  # set by the plugin at run time\n",
        "x = f()  # type: ignore[arg-type,union-attr]  # pendulum's hints omit FixedTimezone\n",
        'text = "# type: ignore is how mypy is told"\n',
        "x = 1  # see the note on type ignores in docs/developing.md\n",
    ],
)
def test_an_ignore_with_its_code_and_a_reason_passes(line: str, tmp_path: Path) -> None:
    (tmp_path / "mod.py").write_text(line, encoding="utf-8")
    assert gate().main([str(tmp_path)]) == 0

