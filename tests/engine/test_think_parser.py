"""The `<think>` stream parser: examples of each rule, then properties over random streams and splits."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Final

from hypothesis import given
from hypothesis import strategies as st

from app.engine.harmony import HarmonyParser, Piece, PlainParser, StreamParser, merge
from app.engine.reasoning import make_stream_parser
from app.engine.think import BLOCK_SEPARATOR, CLOSE, OPEN, ThinkParser

R: Final = "reasoning"
A: Final = "answer"
QWEN3 = "<think>\nThe user greets me.\n</think>\n\nHello!"
DEEPSEEK_R1 = "The user greets me.\n</think>\n\nHello!"  # the prompt ended with "<think>\n"


def feed_all(parser: StreamParser, deltas: Sequence[str], *, cut_short: bool = False) -> list[Piece]:
    pieces: list[Piece] = []
    for delta in deltas:
        pieces += parser.feed(delta)
    pieces += parser.finish(cut_short=cut_short)
    return merge(pieces)


def think(text: str, *, in_thought: bool = False, cut_short: bool = False) -> list[Piece]:
    return feed_all(ThinkParser(in_thought=in_thought), [text], cut_short=cut_short)


def split_at(text: str, cuts: Sequence[int]) -> list[str]:
    bounds = [0, *sorted(set(cuts)), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


# --- well-formed streams -------------------------------------------------------------------------


def test_qwen3_stream_thought_then_answer() -> None:
    assert think(QWEN3) == [Piece(R, "The user greets me."), Piece(A, "Hello!")]


def test_template_opened_thought_starts_in_reasoning() -> None:
    assert think(DEEPSEEK_R1, in_thought=True) == [Piece(R, "The user greets me."), Piece(A, "Hello!")]


def test_model_repeating_the_opened_tag_changes_nothing() -> None:
    assert think("<think>\n" + DEEPSEEK_R1, in_thought=True) == think(DEEPSEEK_R1, in_thought=True)


def test_no_tags_is_all_answer() -> None:
    # Qwen3 with thinking switched off, or a Qwen3 variant that never thinks.
    assert think("Hello!\n\nHow are you?") == [Piece(A, "Hello!\n\nHow are you?")]


def test_empty_thought_gives_the_answer_alone() -> None:
    # What Qwen3 writes to a plain greeting, and what R1 distills often do too.
    assert think("<think>\n\n</think>\n\nHello!") == [Piece(A, "Hello!")]
    assert think("\n</think>\n\nHello!", in_thought=True) == [Piece(A, "Hello!")]


def test_whitespace_inside_a_thought_is_kept() -> None:
    stream = "<think>\nFirst.\n\n  Second:\n- a\n</think>\n\n```\ncode\n```\n"
    assert think(stream) == [Piece(R, "First.\n\n  Second:\n- a"), Piece(A, "```\ncode\n```")]


# --- odd streams ---------------------------------------------------------------------------------


def test_text_before_the_thought_is_answer() -> None:
    assert think("Sure. <think>plan</think> Here it is.") == [
        Piece(A, "Sure."),
        Piece(R, "plan"),
        Piece(A, BLOCK_SEPARATOR + "Here it is."),
    ]


def test_second_thought_joins_the_first_with_a_blank_line() -> None:
    assert think("<think>one</think>A<think>two</think>B") == [
        Piece(R, "one"),
        Piece(A, "A"),
        Piece(R, BLOCK_SEPARATOR + "two"),
        Piece(A, BLOCK_SEPARATOR + "B"),
    ]


def test_nested_tags_are_not_counted() -> None:
    # The first </think> closes the thought whatever came before it.
    assert think("<think>a<think>b</think>c</think>d") == [Piece(R, "a\n\nb"), Piece(A, "c\n\nd")]


def test_stray_close_in_the_answer_is_dropped() -> None:
    assert think("</think>Hello!") == [Piece(A, "Hello!")]
    assert think("Hi.</think>\n\nHello!") == [Piece(A, "Hi.\n\nHello!")]


def test_text_around_a_removed_tag_cannot_form_a_tag() -> None:
    pieces = think("</thi</think>nk>")
    assert pieces == [Piece(A, "</thi" + BLOCK_SEPARATOR + "nk>")]
    assert CLOSE not in pieces[0].text


def test_angle_brackets_that_are_not_tags_are_text() -> None:
    for text in ("a < b", "<div>x</div>", "<thinking>", "</th>", "<think", "x</thin"):
        assert think(text) == [Piece(A, text)], text


def test_unclosed_thought_ended_by_the_model_is_also_the_answer() -> None:
    assert think("<think>\nJust this.\n") == [Piece(R, "Just this."), Piece(A, "Just this.")]
    # A model given an opened <think> that simply answers.
    assert think("Hello!", in_thought=True) == [Piece(R, "Hello!"), Piece(A, "Hello!")]


def test_unclosed_thought_cut_short_stays_reasoning() -> None:
    assert think("<think>\nHalf a tho", cut_short=True) == [Piece(R, "Half a tho")]


def test_unclosed_thought_after_an_answer_is_not_copied() -> None:
    assert think("Answer.<think>more") == [Piece(A, "Answer."), Piece(R, "more")]


def test_closed_but_empty_answer_stays_empty() -> None:
    assert think("<think>All said.</think>\n") == [Piece(R, "All said.")]


def test_empty_and_whitespace_streams() -> None:
    assert think("") == []
    assert think(" \n\t") == []
    assert think("\n", in_thought=True) == []


# --- streaming behaviour -------------------------------------------------------------------------


def test_text_comes_out_at_the_feed_that_received_it() -> None:
    parser = ThinkParser()
    assert parser.feed("<think>\nThe") == [Piece(R, "The")]
    assert parser.feed(" user") == [Piece(R, " user")]
    assert parser.feed(".\n") == [Piece(R, ".")]
    assert parser.buffered == 1, "the newline waits: it may end the thought"
    assert parser.feed("</think>\n\n") == []
    assert parser.feed("Hi") == [Piece(A, "Hi")]
    assert parser.finish() == []


def test_a_split_tag_is_held_back_until_it_is_known() -> None:
    parser = ThinkParser(in_thought=True)
    assert parser.feed("done</") == [Piece(R, "done")]
    assert parser.buffered == 2
    assert parser.feed("thi") == []
    assert parser.feed("nk>Hi") == [Piece(A, "Hi")]
    assert parser.buffered == 0


def test_a_held_fragment_that_is_no_tag_comes_out() -> None:
    parser = ThinkParser()
    assert parser.feed("a <") == [Piece(A, "a")]
    assert parser.feed("b") == [Piece(A, " <b")]
    assert parser.feed("x </th") == [Piece(A, "x")]
    assert parser.finish() == [Piece(A, " </th")]


def test_parser_is_reusable_after_finish() -> None:
    parser = ThinkParser(in_thought=True)
    first = feed_all(parser, [DEEPSEEK_R1])
    assert feed_all(parser, [DEEPSEEK_R1]) == first


def test_make_stream_parser_by_style() -> None:
    assert isinstance(make_stream_parser("harmony"), HarmonyParser)
    assert isinstance(make_stream_parser("plain"), PlainParser)
    assert isinstance(make_stream_parser("think"), ThinkParser)
    opened = make_stream_parser("think", in_thought=True)
    assert feed_all(opened, ["x</think>y"]) == [Piece(R, "x"), Piece(A, "y")]


# --- properties ----------------------------------------------------------------------------------

_FRAGMENTS = [
    OPEN,
    CLOSE,
    *(tag[:i] for tag in (OPEN, CLOSE) for i in (1, 2, 4)),
    *(tag[i:] for tag in (OPEN, CLOSE) for i in (1, 3)),
    "<",
    ">",
    "<thinking>",
    " ",
    "\n",
    "\n\n",
    "word",
    "é",
    "🤔",
]
streams = st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=4), max_size=30).map("".join)


@st.composite
def splits(draw: st.DrawFn, text: str) -> list[str]:
    return split_at(text, draw(st.lists(st.integers(0, len(text)), max_size=len(text) + 1)))


@given(st.data(), streams, st.booleans(), st.booleans())
def test_any_split_gives_the_same_pieces(
    data: st.DataObject, text: str, in_thought: bool, cut_short: bool
) -> None:
    whole = think(text, in_thought=in_thought, cut_short=cut_short)
    deltas = data.draw(splits(text))
    assert feed_all(ThinkParser(in_thought=in_thought), deltas, cut_short=cut_short) == whole


@given(streams, st.booleans(), st.booleans())
def test_tags_never_reach_the_user(text: str, in_thought: bool, cut_short: bool) -> None:
    pieces = think(text, in_thought=in_thought, cut_short=cut_short)
    assert all(piece.text for piece in pieces)
    for kind in (R, A):
        shown = "".join(piece.text for piece in pieces if piece.kind == kind)
        assert OPEN not in shown and CLOSE not in shown
        assert shown == shown.strip(), "each kind starts and ends with text, not whitespace"


def _words(text: str) -> list[str]:
    return re.sub(f"{re.escape(OPEN)}|{re.escape(CLOSE)}", " ", text).split()


@given(streams, st.booleans())
def test_no_text_is_lost(text: str, in_thought: bool) -> None:
    # Cut short, nothing is shown twice; apart from tags and whitespace, what was written is shown, in order.
    pieces = think(text, in_thought=in_thought, cut_short=True)
    assert " ".join(piece.text for piece in pieces).split() == _words(text)
