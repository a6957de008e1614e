"""The repetition guard: it stops loops, and leaves lists, tables, code, poems and rules alone."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.engine.repetition import (
    CHECK_EVERY,
    CODE,
    MAX_PERIOD,
    PROBE,
    PROSE,
    WINDOW,
    RepetitionGuard,
    find_loop,
    needed,
    without_repetition,
)

SAMPLES = Path(__file__).with_name("samples")
# The most characters the guard can take between reaching a loop's threshold and noticing it: a check
# interval and a piece.
LATENCY = CHECK_EVERY + 40


def pieces(text: str, seed: int = 0) -> Iterator[str]:
    """`text` in token-sized pieces of 1 to 7 characters, as a stream arrives."""
    rng = random.Random(seed)
    at = 0
    while at < len(text):
        size = rng.randint(1, 7)
        yield text[at : at + size]
        at += size


def tripped_at(text: str | Iterable[str]) -> int | None:
    """How many characters were fed when the guard tripped, or None if it never did."""
    guard = RepetitionGuard()
    fed = 0
    for piece in pieces(text) if isinstance(text, str) else text:
        fed += len(piece)
        if guard.feed(piece):
            return fed
    return fed if guard.check() else None


def assert_never_trips(text: str) -> None:
    assert tripped_at(text) is None, f"stopped: {find_loop(text)}"


# -- text that must never be stopped ----------------------------------------------------------

NUMBERED_LIST = "Here are some tips for better sleep:\n\n" + "".join(
    f"{n}. **Tip {n}**: Avoid screens before bedtime and keep the room cool.\n" for n in range(1, 41)
)
CHECKLIST = "Packing list:\n" + "".join(f"- [ ] {item}\n" for item in ["socks"] * 3 + ["shirt", "towel"]) * 6
TABLE = "| # | Country | Capital | Population |\n| --- | --- | --- | --- |\n" + "".join(
    f"| {n} | Country {n} | Capital | {n * 1.5:.1f} M |\n" for n in range(1, 61)
)
WIDE_SEPARATOR = "| " + " | ".join(f"H{n}" for n in range(20)) + " |\n" + "| --- " * 20 + "|\n"
BLANK_ROW = "|     |         |         |\n"
BLANK_TABLE = "| Day | Morning | Evening |\n|-----|---------|---------|\n" + BLANK_ROW * 15
ASSIGNMENTS = "```python\n" + "".join(f"    self.sensor_{n} = 0\n" for n in range(60)) + "```\n"
BRACES = (
    "```c\n"
    + "\n".join(
        f"int check_{name}(int x) {{\n"
        + "".join("    " * depth + f"if (x > {depth}) {{\n" for depth in range(1, 6))
        + "".join("    " * depth + "}\n" for depth in reversed(range(1, 6)))
        + "    return 0;\n}\n"
        for name in ("low", "mid", "high")
    )
    + "```\n"
)
JSON_ARRAY = (
    "```json\n[\n"
    + ",\n".join(
        f'  {{"id": {n}, "name": "Jane Doe", "email": "jane@example.com", "active": true}}' for n in range(40)
    )
    + "\n]\n```\n"
)
IDENTICAL_OBJECTS = "```json\n[" + ", ".join('{"x": 0, "y": 0}' for _ in range(25)) + "]\n```\n"
ZERO_MATRIX = "```python\ngrid = [\n" + f"    [{', '.join(['0'] * 16)}],\n" * 16 + "]\n```\n"
GAME_MAP = (
    '```python\nLEVEL = [\n    "########################################",\n'
    + '    "#......................................#",\n' * 18
    + '    "########################################",\n]\n```\n'
)
CHESSBOARD = "```\n" + ("+---" * 8 + "+\n" + "|   " * 8 + "|\n") * 8 + "+---" * 8 + "+\n```\n"
ZERO_BYTES = "```c\nuint8_t key[64] = {" + ", ".join(["0x00"] * 64) + "};\n```\n"
REFRAIN_POEM = (
    "\n\n".join(
        f"{verse}\nRow on, row on, under the silver moon,\nRow on, row on, we will be home soon."
        for verse in (
            "The tide comes in across the sand,\nThe gulls cry out above the land,",
            "The lantern swings upon the mast,\nThe harbour lights go drifting past,",
            "The oars are heavy, night is deep,\nThe little ones have gone to sleep,",
            "And when the morning paints the bay,\nWe'll sing the dark night away,",
        )
    )
    + "\nRow on, row on, under the silver moon,\nRow on, row on, under the silver moon.\n"
)
LAUGHS = "Ha ha ha ha ha ha! That is a good one. Hahahahahahahahahahaha, I can't stop laughing. " * 2
EMPHASIS = "Location, location, location. Let it be, let it be, let it be, let it be. No, no, no, no, no!"
RULES = "Results\n" + "=" * 80 + "\n\nSee below.\n\n" + "-" * 120 + "\n" + "*" * 60 + "\n"
COUNTING = "Counting to 300: " + ", ".join(str(n) for n in range(1, 301)) + "."
STEPS = "".join(f"Step {n}: stir the pot and wait a minute.\n" for n in range(1, 80))

NORMAL = {
    "numbered list": NUMBERED_LIST,
    "checklist": CHECKLIST,
    "table": TABLE,
    "wide separator": WIDE_SEPARATOR,
    "blank table": BLANK_TABLE,
    "assignments": ASSIGNMENTS,
    "braces": BRACES,
    "json array": JSON_ARRAY,
    "identical json objects": IDENTICAL_OBJECTS,
    "zero matrix": ZERO_MATRIX,
    "game map": GAME_MAP,
    "chessboard": CHESSBOARD,
    "zero bytes": ZERO_BYTES,
    "refrain": REFRAIN_POEM,
    "laughs": LAUGHS,
    "emphasis": EMPHASIS,
    "rules": RULES,
    "counting": COUNTING,
    "steps": STEPS,
}


@pytest.mark.parametrize("text", NORMAL.values(), ids=NORMAL.keys())
def test_ordinary_text_is_never_stopped(text: str) -> None:
    assert_never_trips(text)
    assert find_loop(text) is None
    assert without_repetition(text) == text


def test_the_parts_of_an_answer_together_are_not_a_loop() -> None:
    assert_never_trips("\n\n".join(NORMAL.values()))


# -- loops that must be stopped ---------------------------------------------------------------

SENTENCE = "I'm particularly fond of Italian food, particularly Italian food. "
PARAGRAPH = (
    "In a linked list, each node has a pointer to the next node, which is typically represented by a "
    "linked list node. This allows for efficient insertion, deletion, and traversal of elements.\n\n"
)
QUESTION = "What is the capital of France?\n"
TWO_LINES = "The answer is in the question.\nThe question is in the answer.\n"
CODE_LINE = "```python\ndef main():\n" + "    print('hello world')\n" * 400


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        pytest.param("Sure! " + SENTENCE * 40, 6 + 200 + LATENCY, id="sentence"),
        pytest.param("Here it is.\n\n" + PARAGRAPH * 8, 13 + 3 * len(PARAGRAPH) + LATENCY, id="paragraph"),
        pytest.param(QUESTION * 100, 500 + LATENCY, id="question"),
        pytest.param("Q: " + QUESTION.replace("\n", " ") * 100, 3 + 200 + LATENCY, id="question inline"),
        pytest.param("the " * 3000, 200 + LATENCY, id="one token"),
        pytest.param("=" * 2000, 200 + LATENCY, id="rule of 2,000"),
        pytest.param("\n" * 1000, 200 + LATENCY, id="blank lines"),
        pytest.param("😂" * 1000, 200 + LATENCY, id="emoji"),
        pytest.param(TWO_LINES * 100, 500 + LATENCY, id="two lines"),
        pytest.param(CODE_LINE, 1000 + 40 + LATENCY, id="code line"),
    ],
)
def test_loops_are_stopped_soon(text: str, limit: int) -> None:
    at = tripped_at(text)
    assert at is not None and at <= limit


def test_a_loop_is_stopped_however_the_stream_is_cut() -> None:
    text = "Well. " + SENTENCE * 30
    assert tripped_at(text[i : i + 1] for i in range(len(text))) is not None  # a character at a time
    assert tripped_at([text[:5], text[5:]]) is not None  # everything at once


def test_the_guard_says_where_the_loop_is() -> None:
    guard = RepetitionGuard()
    text = "Sure! " + SENTENCE * 40
    fed = ""
    for piece in pieces(text):
        fed += piece
        if guard.feed(piece):
            break
    loop = guard.loop
    assert loop is not None and guard.tripped
    assert loop.period == len(SENTENCE) and loop.end == len(fed)
    # The stretch reaches back over the space that ends "Sure! ", so the kept copy ends before its own.
    assert fed[: loop.keep] == "Sure! " + SENTENCE.rstrip()
    assert loop.copies >= 3
    assert guard.feed("anything") and guard.loop == loop, "a tripped guard stays tripped"


def test_without_repetition_keeps_the_first_copy() -> None:
    assert without_repetition("Sure! " + SENTENCE * 12 + SENTENCE[:9]) == "Sure! " + SENTENCE.rstrip()
    # The repetition reaches back over " food. ", so its first copy ends after "Italian": the cut moves
    # on to the end of the sentence.
    prefix = "Sure, I love food. "
    assert find_loop(prefix + SENTENCE * 12) is not None
    assert without_repetition(prefix + SENTENCE * 12) == prefix + SENTENCE.rstrip()
    assert without_repetition("Hello.\n" + TWO_LINES * 12) == "Hello.\n" + TWO_LINES
    # The decoder's flush after a reply cut inside a character is not part of the loop.
    assert without_repetition("ok " + "😂" * 300 + "\ufffd") == "ok 😂"
    assert without_repetition("Just an answer.") == "Just an answer."


def test_a_code_block_allows_more_before_stopping() -> None:
    line = "    [0, 0, 0, 0, 0, 0, 0, 0],\n"  # 30 characters
    in_prose = "The grid:\n" + line * 30
    in_code = "```python\n" + line * 30
    assert tripped_at(in_prose) is not None
    assert tripped_at(in_code) is None
    assert tripped_at(in_code + "```\n\nAnd again:\n" + line * 30) is not None  # the fence closed


def test_thresholds_scale_with_the_unit() -> None:
    assert needed("=", PROSE) == 200
    assert needed("ha ", PROSE) == 200
    assert needed("x" * 100, PROSE) == 300  # long units: 3 copies
    assert needed("a line of some length\n", PROSE) == 500
    assert needed("}\n", PROSE) == 200  # a stub of a line is judged like a unit inside one
    assert needed(" \n", PROSE) == 200
    assert needed("a line of some length\n", CODE) == 1000
    assert needed("y" * MAX_PERIOD, CODE) == 3 * MAX_PERIOD


def test_a_long_reply_costs_no_more_per_check() -> None:
    """The guard keeps a bounded window: a million characters of varied text leave it small."""
    guard = RepetitionGuard()
    for n in range(40_000):
        assert not guard.feed(f"{n}. item number {n} ")
    assert sum(len(p) for p in guard._pieces) <= WINDOW + LATENCY


# -- real model output (tests/engine/samples/README.md says how each was made) ----------------


def real_samples(prefix: str) -> list[Path]:
    return sorted(SAMPLES.glob(f"{prefix}-*.txt"))


@pytest.mark.parametrize("path", real_samples("normal"), ids=lambda p: p.stem)
def test_real_answers_are_not_stopped(path: Path) -> None:
    assert_never_trips(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", real_samples("loop"), ids=lambda p: p.stem)
def test_real_loops_are_stopped(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    at = tripped_at(text)
    assert at is not None
    kept = without_repetition(text[:at])
    assert len(kept) < at and text.startswith(kept)


def test_there_are_real_samples_of_both() -> None:
    assert len(real_samples("normal")) >= 5 and len(real_samples("loop")) >= 5


# -- properties -------------------------------------------------------------------------------

# Words of prose, markdown and code; any may repeat, even the same one all along a line.
_VOCABULARY = "the a river stone ledger harbour lantern orchard copper meadow signal is was and of to in with"
_MARKUP = "Blue-Eyed-Bear Jane Doe `x` **bold** | --- = 0 {} [] ( ) , . : ; ! ?"
WORDS = st.sampled_from(f"{_VOCABULARY} {_MARKUP}".split(" "))
LINE = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)
FORMS = st.sampled_from(
    ["{n}. {line}", "- [{n}] {line}", "| {n} | {line} |", "x_{n} = {line}", "{line} ({n})"]
)


@given(st.lists(LINE, min_size=1, max_size=120), FORMS, st.booleans(), st.integers(0, 1000))
def test_numbered_lines_are_never_stopped(lines: list[str], form: str, fenced: bool, seed: int) -> None:
    """Lists, tables and code whose lines carry a count: however alike their words, no span repeats."""
    body = "".join(form.format(n=n, line=line) + "\n" for n, line in enumerate(lines, start=1))
    text = f"```\n{body}```\n" if fenced else body
    assert tripped_at(pieces(text, seed)) is None


@given(
    st.text(max_size=300),
    st.text(min_size=1, max_size=300),
    st.integers(0, 1000),
)
def test_any_unit_repeated_long_enough_is_stopped(prefix: str, unit: str, seed: int) -> None:
    # Outside code, so that one threshold holds whatever the unit holds.
    prefix, unit = prefix.replace("`", "'"), unit.replace("`", "'")
    copies = -(-(needed(unit, PROSE) + 4 * LATENCY + PROBE) // len(unit)) + 1
    assert tripped_at(pieces(prefix + unit * copies, seed)) is not None


PIECES = st.text(alphabet="ab\n `-|=", max_size=40)


@given(PIECES, PIECES, st.integers(0, 400), PIECES, st.integers(0, 1000))
def test_a_reported_loop_is_real(prefix: str, unit: str, copies: int, suffix: str, seed: int) -> None:
    """Whatever the guard stops on really repeats, over as many characters as its threshold asks."""
    guard = RepetitionGuard()
    fed = ""
    for piece in pieces(prefix + unit * copies + suffix, seed):
        fed += piece
        if guard.feed(piece):
            break
    loop = guard.loop
    if loop is None:
        return
    stretch = fed[loop.start : loop.end]
    assert loop.end == len(fed)
    assert stretch[loop.period :] == stretch[: -loop.period]
    limits = CODE if fed.count("```") % 2 else PROSE
    assert len(stretch) >= needed(stretch[-loop.period :], limits)
    assert find_loop(fed) == loop, "the guard and find_loop judge alike"
