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
from pathlib import Path

import pytest
from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen

import screens
from app.modes import MODES

SCREENS = Path(__file__).resolve().parents[1] / "screens"
MODULES = sorted(
    {module.name for module in pkgutil.walk_packages(screens.__path__, "screens.")}
    | {mode.screen.partition(":")[0] for mode in MODES}
)
"""Every module under ``screens/`` (packages too) and every main screen's module."""
STYLESHEETS = sorted(str(path.relative_to(SCREENS)) for path in SCREENS.rglob("*.tcss"))


def css_file_of(cls: type[Screen]) -> Path | None:
    """The stylesheet a screen class names, resolved as Textual does (beside its module)."""
    if not isinstance(cls.CSS_PATH, str):
        return None
    return (Path(inspect.getfile(cls)).parent / cls.CSS_PATH).resolve()


def screens_using(css_file: str) -> list[type[Screen]]:
    wanted = (SCREENS / css_file).resolve()
    found = []
    for name in MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__ and css_file_of(cls) == wanted:
                found.append(cls)
    return found


@pytest.mark.parametrize("mode", MODES, ids=lambda mode: mode.name)
def test_every_main_screen_has_a_stylesheet_of_its_own(mode) -> None:  # type: ignore[no-untyped-def]
    module_name, _, class_name = mode.screen.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    css = css_file_of(cls)
    assert css is not None and css.is_file(), f"{mode.screen} names no stylesheet beside it"
    assert str(css.relative_to(SCREENS)) in STYLESHEETS


@pytest.mark.parametrize("css_file", STYLESHEETS)
def test_every_rule_is_scoped_to_the_screens_of_its_file(css_file: str) -> None:
    owners = screens_using(css_file)
    assert owners, f"no screen uses {css_file}"
    group = "css-" + Path(css_file).stem
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


async def test_the_kept_stylesheet_styles_every_screen_as_textuals_own_does(make_app, frozen) -> None:  # type: ignore[no-untyped-def]
    # KeptStylesheet (app/tui.py) parses only new sources on a first visit instead of
    # everything three times; the screens must look exactly as they do with Textual's own,
    # before and after a theme change, for screens seen before it (c straight after, with no
    # new stylesheet in between) and first seen after it.
    from app.models import Colleague, Ritual
    from app.tui import KeptStylesheet

    seeded = make_app("today")
    seeded.store.update_settings(starters_offered=True)
    seeded.store.add(Colleague(name="Ann"))
    seeded.store.add(Ritual(name="Supervision"))

    async def tour(app) -> list[str]:  # type: ignore[no-untyped-def]
        shots = []
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            for step in ["c", "r", "theme", "c", "s", "b", "question_mark", "escape", "t", "theme-back", "r", "c"]:
                if step == "theme":
                    app.theme = "nord"
                elif step == "theme-back":
                    app.theme = "textual-dark"
                else:
                    await pilot.press(step)
                await pilot.pause()
                await pilot.pause()
                shots.append(app.export_screenshot())
        return shots

    kept = make_app("today")
    assert isinstance(kept.stylesheet, KeptStylesheet)
    ours = await tour(kept)
    textuals_own = make_app("today")
    textuals_own.stylesheet = Stylesheet(variables=textuals_own.get_css_variables())
    textuals = await tour(textuals_own)
    assert len(ours) == len(textuals)
    for index, (mine, theirs) in enumerate(zip(ours, textuals, strict=True)):
        assert mine == theirs, f"step {index} differs"
    assert ours[2] != ours[1] and ours[3] != ours[0]  # the theme change did show, on both screens
