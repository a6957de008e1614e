from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Final

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.engine.harmony import (
    HEADER_LIMIT,
    MARKERS,
    HarmonyParser,
    Kind,
    Piece,
    PlainParser,
    StreamParser,
    make_parser,
    merge,
)

R: Final = "reasoning"
A: Final = "answer"
TYPICAL = (
    "<|channel|>analysis<|message|>We need to greet.<|end|>"
    "<|start|>assistant<|channel|>final<|message|>Hello!"
)


def feed_all(parser: StreamParser, deltas: Sequence[str]) -> list[Piece]:
    pieces: list[Piece] = []
    for delta in deltas:
        pieces += parser.feed(delta)
    pieces += parser.finish()
    return merge(pieces)


def split_at(text: str, cuts: Sequence[int]) -> list[str]:
    bounds = [0, *sorted(set(cuts)), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def harmony(text: str) -> list[Piece]:
    return feed_all(HarmonyParser(), [text])


# --- well-formed streams -------------------------------------------------------------------------


def test_typical_stream_analysis_then_final() -> None:
    assert harmony(TYPICAL) == [Piece(R, "We need to greet."), Piece(A, "Hello!")]


def test_typical_stream_ending_with_return() -> None:
    assert harmony(TYPICAL + "<|return|>") == [Piece(R, "We need to greet."), Piece(A, "Hello!")]


def test_final_only() -> None:
    assert harmony("<|channel|>final<|message|>Just the answer.<|return|>") == [Piece(A, "Just the answer.")]


def test_commentary_is_dropped() -> None:
    stream = (
        "<|channel|>analysis<|message|>Need weather.<|end|>"
        "<|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json"
        '<|message|>{"city": "Paris"}<|call|>'
    )
    assert harmony(stream) == [Piece(R, "Need weather.")]


def test_commentary_preamble_without_recipient_is_dropped() -> None:
    stream = (
        "<|channel|>commentary<|message|>Let me check.<|end|>"
        "<|start|>assistant<|channel|>final<|message|>Done.<|return|>"
    )
    assert harmony(stream) == [Piece(A, "Done.")]


def test_recipient_before_channel() -> None:
    stream = (
        "<|channel|>analysis<|message|>Call it.<|end|>"
        "<|start|>assistant to=functions.lookup<|channel|>commentary json<|message|>{}<|call|>"
    )
    assert harmony(stream) == [Piece(R, "Call it.")]


def test_recipient_continuing_the_prompt_header() -> None:
    # The prompt ends with "<|start|>assistant"; the model may append " to=..." to that header.
    assert harmony(' to=functions.f<|channel|>commentary<|message|>{"a": 1}<|call|>') == []


def test_constrain_header_on_final_channel() -> None:
    assert harmony("<|channel|>final <|constrain|>json<|message|>[1, 2]") == [Piece(A, "[1, 2]")]


def test_unknown_channel_is_dropped() -> None:
    assert harmony(
        "<|channel|>secret<|message|>hidden<|end|><|start|>assistant<|channel|>final<|message|>ok"
    ) == [Piece(A, "ok")]


def test_other_role_is_not_shown() -> None:
    stream = "<|channel|>final<|message|>Hi.<|end|><|start|>user<|message|>Thanks!<|end|>"
    assert harmony(stream) == [Piece(A, "Hi.")]


def test_message_without_channel_is_answer() -> None:
    assert harmony("<|start|>assistant<|message|>plain") == [Piece(A, "plain")]
    assert harmony("<|message|>plain") == [Piece(A, "plain")]


def test_multiple_analysis_messages_merge() -> None:
    stream = (
        "<|channel|>analysis<|message|>one <|end|><|start|>assistant<|channel|>analysis<|message|>two"
        "<|end|><|start|>assistant<|channel|>final<|message|>three"
    )
    assert harmony(stream) == [Piece(R, "one two"), Piece(A, "three")]


def test_whitespace_between_messages_is_ignored() -> None:
    stream = "<|channel|>analysis<|message|>a<|end|>\n<|start|>assistant<|channel|>final<|message|>b<|end|>\n"
    assert harmony(stream) == [Piece(R, "a"), Piece(A, "b")]


def test_channel_without_end_starts_new_message() -> None:
    assert harmony("<|channel|>analysis<|message|>think<|channel|>final<|message|>say") == [
        Piece(R, "think"),
        Piece(A, "say"),
    ]


def test_stray_control_markers_in_body_are_dropped() -> None:
    assert harmony("<|channel|>final<|message|>a<|message|>b<|constrain|>c") == [Piece(A, "abc")]


def test_text_after_return_starts_new_message() -> None:
    stream = "<|channel|>final<|message|>one<|return|><|channel|>analysis<|message|>two<|end|>"
    assert harmony(stream) == [Piece(A, "one"), Piece(R, "two")]
    assert harmony("<|channel|>commentary<|message|>x<|call|>after") == [Piece(A, "after")]


# --- streaming behaviour --------------------------------------------------------------------------


@pytest.mark.parametrize("marker", sorted(MARKERS))
def test_each_marker_split_at_every_position(marker: str) -> None:
    stream = {
        "<|start|>": "<|channel|>analysis<|message|>r<|end|><|start|>assistant<|channel|>final<|message|>a",
        "<|end|>": "<|channel|>analysis<|message|>r<|end|><|channel|>final<|message|>a",
        "<|message|>": "<|channel|>analysis<|message|>r<|channel|>final<|message|>a",
        "<|channel|>": "<|channel|>analysis<|message|>r<|channel|>final<|message|>a",
        "<|return|>": "<|channel|>analysis<|message|>r<|return|><|channel|>final<|message|>a",
        "<|call|>": "<|channel|>analysis<|message|>r<|call|><|channel|>final<|message|>a",
        "<|constrain|>": "<|channel|>analysis<|message|>r<|end|><|channel|>final <|constrain|>x<|message|>a",
    }[marker]
    expected = [Piece(R, "r"), Piece(A, "a")]
    assert harmony(stream) == expected
    where = stream.rindex(marker)
    for offset in range(1, len(marker)):
        cut = where + offset
        assert feed_all(HarmonyParser(), [stream[:cut], stream[cut:]]) == expected, offset


def test_one_character_at_a_time() -> None:
    assert feed_all(HarmonyParser(), list(TYPICAL)) == harmony(TYPICAL)


def test_body_text_comes_out_at_the_feed_that_received_it() -> None:
    parser = HarmonyParser()
    assert parser.feed("<|channel|>final<|message|>") == []
    for token in ["Hello", " |", " a | b |", " x < y", " 1<2", " a <| b", " <|foo|>", " ok"]:
        assert parser.feed(token) == [Piece(A, token)]
    assert parser.finish() == []


def test_only_a_possible_marker_prefix_is_held_back() -> None:
    parser = HarmonyParser()
    parser.feed("<|channel|>final<|message|>")
    assert parser.feed("abc<|ch") == [Piece(A, "abc")]
    assert parser.feed("eese|>") == [Piece(A, "<|cheese|>")]
    assert parser.feed("x<") == [Piece(A, "x")]
    assert parser.feed("y") == [Piece(A, "<y")]
    assert parser.feed("z<|") == [Piece(A, "z")]
    assert parser.feed("end|>") == []
    assert parser.finish() == []


def test_reasoning_streams_incrementally() -> None:
    parser = HarmonyParser()
    assert parser.feed("<|chan") == []
    assert parser.feed("nel|>analysis<|mess") == []
    assert parser.feed("age|>We") == [Piece(R, "We")]
    assert parser.feed(" think") == [Piece(R, " think")]
    assert parser.feed("<|end|><|start|>assistant<|channel|>final<|message|>Hi") == [Piece(A, "Hi")]


def test_parser_is_reusable_after_finish() -> None:
    parser = HarmonyParser()
    first = feed_all(parser, [TYPICAL])
    assert feed_all(parser, [TYPICAL]) == first


def test_long_stream_holds_back_only_a_bounded_tail() -> None:
    # Per-token feeding of a long reply must not rescan history: what the parser keeps between feeds
    # stays bounded, so each feed costs the size of its delta.
    tokens = ["<|channel|>final<|message|>"] + ["word <| a | b | "] * 20_000
    parser = HarmonyParser()
    total = 0
    most_buffered = 0
    for token in tokens:
        total += sum(len(piece.text) for piece in parser.feed(token))
        most_buffered = max(most_buffered, parser.buffered)
    assert total == len("word <| a | b | ") * 20_000
    assert most_buffered <= len("<|constrain|>")


# --- plain text and malformed streams -------------------------------------------------------------


def test_plain_text_stream_is_answer() -> None:
    text = "Sure! Here is a table:\n| a | b |\n|---|---|\n| 1 | 2 |\nUse x<y and a<|b."
    assert harmony(text) == [Piece(A, text)]
    parser = HarmonyParser()
    assert parser.feed("Sure") == [Piece(A, "Sure")]


def test_plain_text_starting_like_a_recipient() -> None:
    assert harmony("to be or not to be") == [Piece(A, "to be or not to be")]
    parser = HarmonyParser()
    assert parser.feed(" t") == []
    assert parser.feed("o") == []
    assert parser.feed(" be") == [Piece(A, " to be")]
    assert harmony("to") == [Piece(A, "to")]
    assert harmony("to<|end|>") == [Piece(A, "to")]


def test_empty_stream() -> None:
    assert harmony("") == []
    assert HarmonyParser().finish() == []
    assert feed_all(HarmonyParser(), ["", "", ""]) == []


def test_truncated_marker_at_end_is_literal() -> None:
    assert harmony("<|channel|>final<|message|>Hello<|") == [Piece(A, "Hello<|")]
    assert harmony("<|channel|>final<|message|>Hello<|ret") == [Piece(A, "Hello<|ret")]
    assert harmony("<|channel|>analysis<|message|>hmm<") == [Piece(R, "hmm<")]


def test_unknown_marker_is_literal() -> None:
    assert harmony("<|channel|>final<|message|>a<|foo|>b") == [Piece(A, "a<|foo|>b")]
    assert harmony("<|foo|>bar") == [Piece(A, "<|foo|>bar")]


def test_header_that_never_ends_is_shown_when_nothing_else_was() -> None:
    assert harmony("<|channel|>analysis") == [Piece(A, "analysis")]
    assert harmony("<|start|>assistant<|channel|>final<|mess") == [Piece(A, "assistantfinal<|mess")]


def test_unfinished_header_after_shown_text_is_dropped() -> None:
    assert harmony("<|channel|>final<|message|>Hi<|end|><|start|>assistant<|channel|>fin") == [Piece(A, "Hi")]


def test_overlong_header_becomes_answer() -> None:
    body = "x" * (HEADER_LIMIT + 10)
    assert harmony("<|channel|>final " + body) == [Piece(A, "final " + body)]
    parser = HarmonyParser()
    assert parser.feed("<|channel|>final " + body) == [Piece(A, "final " + body)]
    # From then on it is an answer body, so text streams again immediately.
    assert parser.feed(" more") == [Piece(A, " more")]


def test_header_of_repeated_markers_stays_bounded() -> None:
    # Markers count towards the header limit too, so a runaway header costs linear time, not quadratic.
    parser = HarmonyParser()
    for _ in range(10_000):
        parser.feed("<|constrain|>")
        assert parser.buffered <= HEADER_LIMIT + len("<|constrain|>")
    assert parser.feed("<|end|><|channel|>final<|message|>after") == [Piece(A, "after")]


def test_whitespace_before_a_header_is_held_back_only_up_to_the_limit() -> None:
    parser = HarmonyParser()
    assert parser.feed("\n") == []
    assert parser.feed(" " * HEADER_LIMIT) == [Piece(A, "\n" + " " * HEADER_LIMIT)]


def test_header_closed_without_message_is_empty() -> None:
    assert harmony("<|start|>assistant<|channel|>final<|end|>") == []


def test_unicode_bodies() -> None:
    stream = (
        "<|channel|>analysis<|message|>Ünïcödé 🤔 思考<|end|>"
        "<|start|>assistant<|channel|>final<|message|>答え: ✓"
    )
    assert harmony(stream) == [Piece(R, "Ünïcödé 🤔 思考"), Piece(A, "答え: ✓")]
    assert feed_all(HarmonyParser(), list(stream)) == harmony(stream)


def test_bodies_with_angle_brackets_and_pipes() -> None:
    body = "if a<b || c|d: print('<|x|>', '<||>', '|>') # <| |< <<|"
    assert harmony("<|channel|>final<|message|>" + body) == [Piece(A, body)]
    assert feed_all(HarmonyParser(), ["<|channel|>final<|message|>", *body]) == [Piece(A, body)]


# --- helpers and the plain parser ------------------------------------------------------------------


def test_merge_joins_same_kind_and_drops_empty() -> None:
    pieces = [Piece(R, "a"), Piece(R, ""), Piece(R, "b"), Piece(A, ""), Piece(A, "c"), Piece(R, "d")]
    assert merge(pieces) == [Piece(R, "ab"), Piece(A, "c"), Piece(R, "d")]
    assert merge([]) == []


def test_make_parser() -> None:
    assert isinstance(make_parser(True), HarmonyParser)
    assert isinstance(make_parser(False), PlainParser)


def test_plain_parser_passes_markers_through() -> None:
    assert feed_all(PlainParser(), [TYPICAL]) == [Piece(A, TYPICAL)]
    parser = PlainParser()
    assert parser.feed("<|chan") == [Piece(A, "<|chan")]
    assert parser.feed("") == []
    assert parser.finish() == []


# --- properties -----------------------------------------------------------------------------------

# Body text rich in the characters markers are made of, but never containing a whole marker.
_BODY_ALPHABET = st.sampled_from([*"<|>abcdeglnmorstu _=\n", "é", "🤔", "思"])
body_text = st.text(_BODY_ALPHABET, max_size=40).filter(lambda s: not any(m in s for m in MARKERS))

_SHOWN_HEADERS: dict[Kind, list[str]] = {
    R: ["<|channel|>analysis<|message|>", "<|start|>assistant<|channel|>analysis<|message|>"],
    A: [
        "<|channel|>final<|message|>",
        "<|start|>assistant<|channel|>final<|message|>",
        "<|start|>assistant<|channel|>final <|constrain|>markdown<|message|>",
    ],
}
_HIDDEN_HEADERS = [
    "<|channel|>commentary<|message|>",
    "<|start|>assistant<|channel|>commentary to=functions.f <|constrain|>json<|message|>",
    "<|start|>assistant to=functions.g<|channel|>commentary json<|message|>",
    "<|start|>assistant<|channel|>other<|message|>",
]
_ENDS = ["<|end|>", "<|return|>", "<|call|>"]
_MESSAGE_KINDS: list[Kind | None] = [R, A, None]  # None: a message that must stay hidden


@st.composite
def valid_stream(draw: st.DrawFn) -> tuple[str, list[Piece]]:
    messages = draw(st.lists(st.tuples(st.sampled_from(_MESSAGE_KINDS), body_text), min_size=0, max_size=6))
    stream = ""
    expected: list[Piece] = []
    for index, (kind, text) in enumerate(messages):
        headers = _SHOWN_HEADERS[kind] if kind is not None else _HIDDEN_HEADERS
        stream += draw(st.sampled_from(headers)) + text
        if kind is not None:
            expected.append(Piece(kind, text))
        last = index == len(messages) - 1
        stream += draw(st.sampled_from([*_ENDS, ""])) if last else draw(st.sampled_from(_ENDS))
    return stream, merge(expected)


@st.composite
def split_points(draw: st.DrawFn, text: str) -> list[str]:
    cuts = draw(st.lists(st.integers(0, len(text)), max_size=len(text) + 1))
    return split_at(text, cuts)


@given(st.data(), valid_stream())
def test_valid_stream_any_split_gives_the_texts_back(
    data: st.DataObject, case: tuple[str, list[Piece]]
) -> None:
    stream, expected = case
    whole = harmony(stream)
    assert whole == expected
    deltas = data.draw(split_points(stream))
    assert feed_all(HarmonyParser(), deltas) == whole


_FRAGMENTS = [
    *MARKERS,
    *(m[:i] for m in MARKERS for i in (1, 2, 4)),
    *(m[i:] for m in MARKERS for i in (2, 5)),
    "analysis",
    "final",
    "commentary",
    "assistant",
    " to=",
    "to=functions.f",
    "to",
    " ",
    "\n",
    "<|foo|>",
]
garbage = st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=5), max_size=30).map("".join)


@given(st.data(), garbage)
def test_any_text_any_split_never_raises_and_agrees_with_whole(data: st.DataObject, text: str) -> None:
    whole = harmony(text)
    assert all(piece.text for piece in whole)
    deltas = data.draw(split_points(text))
    assert feed_all(HarmonyParser(), deltas) == whole


@given(st.data(), st.text())
def test_plain_parser_returns_input_unchanged(data: st.DataObject, text: str) -> None:
    expected = [Piece(A, text)] if text else []
    assert feed_all(PlainParser(), [text]) == expected
    assert feed_all(PlainParser(), data.draw(split_points(text))) == expected
