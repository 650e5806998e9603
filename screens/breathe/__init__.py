"""The Breathing reset: choose a pattern and a length, breathe, and see it logged.

* :mod:`screens.breathe.screen`: :class:`BreatheScreen` (the ``breathe`` mode), presets and
  your own patterns, the length.
* :mod:`screens.breathe.editor`: :class:`PatternEditor`, make or change a pattern of your own.
* :mod:`screens.breathe.exercise`: :class:`ExerciseScreen`, the breath itself, then a short
  closing view.
* :mod:`screens.breathe.drawing`: :class:`QuietLines` and :class:`BreathFigure`, which repaint
  only the cells that changed (over SSH every frame costs bytes).

All of them share ``breathe.tcss`` (group class ``css-breathe``).
"""

from screens.breathe.drawing import BreathFigure, QuietLines
from screens.breathe.editor import EDITOR_DRAFT, PatternEditor, custom_id
from screens.breathe.exercise import ExerciseScreen
from screens.breathe.screen import BreatheScreen, PatternList, pattern_prompt

__all__ = [
    "EDITOR_DRAFT",
    "BreathFigure",
    "BreatheScreen",
    "ExerciseScreen",
    "PatternEditor",
    "PatternList",
    "QuietLines",
    "custom_id",
    "pattern_prompt",
]
