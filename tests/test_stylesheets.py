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
from pathlib import Path

import pytest
from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen

SCREENS = Path(__file__).resolve().parents[1] / "screens"
MODULES = ["breathe", "colleagues", "dialogs", "help", "hide", "lockwait", "rituals", "scan", "today", "toosmall", "welcome"]


def screens_using(css_file: str) -> list[type[Screen]]:
    found = []
    for name in MODULES:
        module = importlib.import_module(f"screens.{name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__ and cls.CSS_PATH == css_file:
                found.append(cls)
    return found


@pytest.mark.parametrize("css_file", sorted(p.name for p in SCREENS.glob("*.tcss")))
def test_every_rule_is_scoped_to_the_screens_of_its_file(css_file: str) -> None:
    owners = screens_using(css_file)
    assert owners, f"no screen uses {css_file}"
    group = "css-" + css_file.removesuffix(".tcss")
    for cls in owners:
        assert group in cls.DEFAULT_CLASSES.split(), f"{cls.__name__} should carry {group}"
    stylesheet = Stylesheet(variables=App().get_css_variables())
    stylesheet.add_source((SCREENS / css_file).read_text(), read_from=(str(SCREENS / css_file), ""))
    stylesheet.parse()
    names = {cls.__name__ for cls in owners}
    for rule in stylesheet.rules:
        for selectors in rule.selector_set:
            first = selectors.selectors[0]
            assert first.name == group or first.name in names, f"{css_file}: a rule starting {first.name!r} styles other screens too"
