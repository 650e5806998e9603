"""The text cleaner: nothing that could drive a terminal survives, everything else does."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from app.textclean import NAME_LIMIT, NOTE_LIMIT, clean_lines, clean_text, is_clean
from tests.conftest import HOSTILE

DANGEROUS = st.sampled_from(
    ["\x1b", "\x1b[", "\x1b]", "\x07", "\x9b", "\x9d", "\x00", "\x7f", "\u202e", "\u2066", "\u200b", "\ufeff", "[/", "[@click=app.quit]"]
)


def test_every_hostile_string_comes_out_clean() -> None:
    for text in HOSTILE:
        for multiline in (False, True):
            cleaned = clean_text(text, multiline=multiline)
            assert is_clean(cleaned), repr(text)
            assert "\x1b" not in cleaned
            assert len(cleaned) <= (NOTE_LIMIT if multiline else NAME_LIMIT)


def test_escape_sequences_are_removed_whole() -> None:
    assert clean_text("\x1b[2J\x1b[H cleared?") == "cleared?"
    assert clean_text("\x1b]0;owned title\x07Ann") == "Ann"
    assert clean_text("\x1b]52;c;aGVsbG8=\x07") == ""
    assert clean_text("\x1b]8;;https://x.invalid\x1b\\link\x1b]8;;\x1b\\") == "link"


def test_markup_like_text_is_kept_as_typed() -> None:
    for text in ["Bob [/]", "notes [/", "[bold]Ann[/bold]", "[@click=app.quit]click me[/]"]:
        assert clean_text(text) == text


def test_bidi_and_zero_width_controls_go_but_joiners_stay() -> None:
    assert clean_text("abc\u202egnp.exe") == "abcgnp.exe"
    assert clean_text("zero\u200bwidth\u2066iso\u2069") == "zerowidthiso"
    family = "\U0001f9d8\u200d\u2640\ufe0f"
    assert clean_text(family) == family


def test_newlines_only_where_several_lines_are_allowed() -> None:
    assert clean_text("tab\there\nnew line\rreturn") == "tab here new line return"
    assert clean_text("a\r\nb\tc", multiline=True) == "a\nb\tc"


def test_trims_and_caps() -> None:
    assert clean_text("   ") == ""
    assert clean_text("  Ann  ") == "Ann"
    assert len(clean_text("x" * 5000)) == NAME_LIMIT
    assert len(clean_text("x" * 5000, multiline=True)) == NOTE_LIMIT
    assert clean_text(None) == ""


def test_clean_lines_drops_empty_entries() -> None:
    assert clean_lines(["  07700 900123 ", "", "\x1b[2J", "jo@example.org"]) == ["07700 900123", "jo@example.org"]
    assert clean_lines("a\nb\n\n") == ["a", "b"]


@given(st.lists(st.one_of(st.text(), DANGEROUS)).map("".join), st.booleans())
def test_any_text_comes_out_clean_and_stable(text: str, multiline: bool) -> None:
    cleaned = clean_text(text, multiline=multiline)
    assert is_clean(cleaned)
    assert clean_text(cleaned, multiline=multiline) == cleaned  # cleaning twice changes nothing
    assert cleaned == cleaned.strip()
    assert unicodedata.is_normalized("NFC", cleaned)
    cleaned.encode("utf-8")  # never a lone surrogate


@given(st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"]), max_size=100))
def test_ordinary_text_is_untouched(text: str) -> None:
    assert clean_text(text) == unicodedata.normalize("NFC", text).strip()
