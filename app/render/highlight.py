"""Syntax colouring of code blocks with Pygments, as inline-styled <span>s.

Pygments escapes the code it colours; the markup around it (the code card) is the serializer's.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Final

from pygments import format as format_tokens
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from app.render.memo import Memo

# Seconds one code block may take to colour (see highlighted).
HIGHLIGHT_BUDGET_S: Final = 0.1

_coloured: Memo[tuple[str, str, str], str] = Memo(
    max_entries=256, max_size=8_000_000, size_of=lambda key, value: len(key[0]) + len(value)
)
_render = threading.local()  # .left: seconds of colouring left to the render under way on this thread


@contextmanager
def colouring_allowance(seconds: float) -> Iterator[None]:
    """Let the code blocks coloured inside the block take `seconds` together, at most."""
    _render.left = max(0.0, seconds)
    _render.cut_short = False
    try:
        yield
    finally:
        _render.left = None


def colouring_cut_short() -> bool:
    """Whether a block was left plain since the last call, because the render's allowance ran out."""
    cut_short: bool = getattr(_render, "cut_short", False)
    _render.cut_short = False
    return cut_short


def forget_colours() -> None:
    _coloured.clear()


@lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer:
    plain: Lexer = TextLexer()
    if not language:
        return plain  # guessing the language is slow and often wrong
    try:
        return get_lexer_by_name(language)
    except ClassNotFound:
        return plain


@lru_cache(maxsize=4)
def _formatter(style: str) -> HtmlFormatter[str]:
    # nowrap: only the coloured <span>s; the serializer writes the surrounding markup QTextDocument can show.
    return HtmlFormatter(style=style, noclasses=True, nowrap=True)


def highlighted(code: str, language: str, style: str) -> str:
    """`code` as coloured HTML, or as escaped plain HTML if colouring it would take too long.

    Some of Pygments' lexers take time quadratic in the code (the Java one took 14 s on 16 KB of "a a a",
    the reST one 17 s on punctuation), so a block takes HIGHLIGHT_BUDGET_S at most, and all blocks
    what is left of the render's budget (colouring_allowance); no single token took more than 0.15 s. Cached
    because while a reply streams every finished block is highlighted again on each render; a block
    left plain because the render's allowance ran out is not, so a later render may colour it.
    """
    if not code:
        return ""
    key = (code, language, style)
    known = _coloured.get(key)
    if known is not None:
        return known
    left: float | None = getattr(_render, "left", None)
    budget = HIGHLIGHT_BUDGET_S if left is None else min(HIGHLIGHT_BUDGET_S, max(0.0, left))
    started = time.perf_counter()
    coloured = _colour(code, _lexer(language), _formatter(style), started + budget)
    if left is not None:
        _render.left = left - (time.perf_counter() - started)
    if coloured is None:
        plain = highlight(code, TextLexer(), _formatter(style)).rstrip("\n")
        if budget == HIGHLIGHT_BUDGET_S:  # its own lexer is too slow for it: it stays plain
            _coloured.put(key, plain)
        else:
            _render.cut_short = True
        return plain
    _coloured.put(key, coloured)
    return coloured


def _colour(code: str, lexer: Lexer, formatter: HtmlFormatter[str], deadline: float) -> str | None:
    tokens = []
    for count, token in enumerate(lexer.get_tokens(code)):
        tokens.append(token)
        if count % 32 == 0 and time.perf_counter() >= deadline:
            return None
    coloured: str = format_tokens(tokens, formatter)
    return coloured.rstrip("\n")
