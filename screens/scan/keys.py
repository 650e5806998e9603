"""The scan screen's keys. The item keys are generated from :data:`app.bodyscan.KEYMAP` (the
single source of what each key does); this module only adds how each looks in the footer and
on the ``?`` screen."""

from __future__ import annotations

from textual.binding import Binding, BindingType
from textual.dom import DOMNode

from app import bodyscan as bs
from screens.base import bound_key

SCALE_WORDS = "0 none, 1 a little, 2 noticeable, 3 strong (sleep: 1 poor, 2 ok, 3 good)"

LOOKS: dict[str, tuple[str, str, str, bool]] = {
    # action: (binding id, description, tooltip, shown in the footer)
    bs.SKIP: ("scan.skip", "Skip", "Leave this one unrated and move on", True),
    bs.BACK: ("scan.back", "Back", "Back to the previous item", True),
    bs.NEXT: ("scan.next", "Next", "On to the next item, keeping what is there", False),
    bs.NOTE: ("scan.note", "Note", "Write a short note on this item", False),
    bs.FINISH: ("scan.done", "Done", "Finish now; the rest stays unrated", True),
    bs.HOLD: ("scan.hold", "Hold", "Hold or resume the countdown", True),
    bs.PACE: ("scan.pace", "Guided/quick", "Switch between quick and guided", False),
}
"""How each plain action of the keymap looks (rating and the words are built below)."""

KEY_DISPLAY = {"left": "left", "backspace": "backspace", "right": "right"}


def item_binding(key: str, action: str, arg: str | None) -> Binding:
    """The binding of one key of :data:`app.bodyscan.KEYMAP`: it runs ``scan(action, arg)``."""
    run = f"scan({action!r}, {arg!r})"
    if action == bs.RATE:
        first = arg == "1"  # one footer entry, "0-3 Rate", stands for all four
        tooltip = f"Rate this item: {SCALE_WORDS}" if first else ""
        return Binding(key, run, "Rate", key_display="0-3" if first else None, show=first, id=f"scan.rate.{arg}", tooltip=tooltip)
    if action == bs.TOGGLE:
        return Binding(key, run, arg or "", show=False, id=f"scan.word.{arg}", tooltip=f"Mark or unmark '{arg}'")
    binding_id, description, tooltip, show = LOOKS[action]
    if key == "backspace":  # the second key for back: listed once
        binding_id, show = "scan.back.bs", False
    return Binding(key, run, description, key_display=KEY_DISPLAY.get(key), show=show, id=binding_id, tooltip=tooltip)


def scan_bindings() -> list[BindingType]:
    """Every key of the scan screen: the item keys from the keymap, then the summary's and
    history's own."""
    steps = [
        Binding(
            str(n),
            f"step({n})",
            "Step",
            key_display="1-3" if n == 1 else None,
            show=n == 1,
            id=f"scan.step.{n}",
            tooltip="Take the next step with that number" if n == 1 else "",
        )
        for n in (1, 2, 3)
    ]
    return [
        *(item_binding(key, action, arg) for key, (action, arg) in bs.KEYMAP.items()),
        *steps,
        Binding("n", "new", "New scan", id="scan.new", tooltip="Start a new scan"),
        Binding("h", "history", "History", id="scan.history", tooltip="Past scans"),
        Binding("escape", "leave", "Back", show=False, id="scan.leave", tooltip="Go back"),
        Binding("v", "span", "Trend", id="scan.span", tooltip="Show the longer trend over 30 days, a quarter or a year"),
        Binding("x,delete", "delete_scan", "Delete", id="scan.history.delete", tooltip="Delete this scan (u brings it back)"),
        Binding("u", "undo_delete", "Undo", id="scan.history.undo", tooltip="Bring back the scan just deleted"),
        Binding("y", "support_line", "Support line", id="scan.support", show=False,
                tooltip="Your own support line, shown when every signal is high (Tend ships none)"),
        Binding("j", "rest", "Rest", id="scan.rest", tooltip="A slow rest scan: each body region in turn, nothing to rate"),
    ]


class ShownKeys:
    """The keys the scan's own lines name ("e add a note", "g for a guided pace"), as bound:
    the config file's ``[keys]`` may have moved them. Each is looked up once (the keymap does
    not change while Tend runs)."""

    def __init__(self, screen: DOMNode) -> None:
        self.screen = screen
        self._shown: dict[str, str] = {}

    def __call__(self, action: str, arg: str | None = None) -> str:
        run = f"scan({action!r}, {arg!r})"  # as item_binding names it
        if run not in self._shown:
            self._shown[run] = bound_key(self.screen, run)
        return self._shown[run]

    def words(self) -> dict[str, str]:
        """Each sensation word's key."""
        return {s.word: self(bs.TOGGLE, s.word) for s in bs.SENSATIONS}
