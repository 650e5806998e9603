"""Each screen's stylesheet styles its own screens only.

Textual adds a screen's CSS_PATH to the app's one stylesheet, so an id or class rule in
one file would also style any other screen with that id or class, depending on which
screens happened to be opened first (the colleagues file's ``#people`` once stretched
Today's list). Every rule in a screen file therefore starts with one of that file's screen
types, or sits under the file's group class, which only that file's screens carry
(``DEFAULT_CLASSES = "css-<file>"``).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path, PurePath
from types import ModuleType

import pytest
from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen

SCREENS = Path(__file__).resolve().parents[1] / "screens"
MODULES = ["breathe", "colleagues", "dialogs", "help", "hide", "lockwait", "rituals", "scan", "today", "toosmall", "welcome"]


def modules_of(name: str) -> list[ModuleType]:
    """``screens.<name>``, and every module inside it when it is a package (a room)."""
    module = importlib.import_module(f"screens.{name}")
    found = [module]
    if hasattr(module, "__path__"):
        for info in pkgutil.walk_packages(module.__path__, prefix=f"{module.__name__}."):
            found.append(importlib.import_module(info.name))
    return found


def css_file_of(cls: type[Screen]) -> Path | None:
    """The stylesheet a screen class names, found as Textual finds it (a relative CSS_PATH is
    read from the folder of the module that defines the class)."""
    if not isinstance(cls.CSS_PATH, (str, PurePath)):
        return None
    path = Path(cls.CSS_PATH)
    return path.resolve() if path.is_absolute() else (Path(inspect.getfile(cls)).parent / path).resolve()


def screens_using(css_file: Path) -> list[type[Screen]]:
    found = []
    for name in MODULES:
        for module in modules_of(name):
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, Screen) and cls.__module__ == module.__name__ and css_file_of(cls) == css_file:
                    found.append(cls)
    return found


@pytest.mark.parametrize("name", sorted(str(p.relative_to(SCREENS)) for p in SCREENS.rglob("*.tcss")))
def test_every_rule_is_scoped_to_the_screens_of_its_file(name: str) -> None:
    css_file = (SCREENS / name).resolve()
    owners = screens_using(css_file)
    assert owners, f"no screen uses {name}"
    group = "css-" + css_file.name.removesuffix(".tcss")
    for cls in owners:
        assert group in cls.DEFAULT_CLASSES.split(), f"{cls.__name__} should carry {group}"
    stylesheet = Stylesheet(variables=App().get_css_variables())
    stylesheet.add_source(css_file.read_text(), read_from=(str(css_file), ""))
    stylesheet.parse()
    names = {cls.__name__ for cls in owners}
    for rule in stylesheet.rules:
        for selectors in rule.selector_set:
            first = selectors.selectors[0]
            assert first.name == group or first.name in names, f"{name}: a rule starting {first.name!r} styles other screens too"
