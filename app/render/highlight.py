"""Syntax colouring of code blocks with Pygments, as inline-styled <span>s.

Pygments escapes the code it colours; the markup around it (the code card) is the serializer's.
"""

from __future__ import annotations

from functools import lru_cache

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound


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


@lru_cache(maxsize=256)
def highlighted(code: str, language: str, style: str) -> str:
    """Cached because while a reply streams every finished block is highlighted again on each render."""
    if not code:
        return ""
    return highlight(code, _lexer(language), _formatter(style)).rstrip("\n")
