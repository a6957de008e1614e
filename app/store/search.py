"""Turning what people type into a safe FTS5 query, and when its matches are ranked."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Final

# Around each matched word in a snippet. Control characters (STX, ETX) that typed or stored text
# never holds (the CLI and the import strip them): guillemets were used first, and a French « quote »
# in a message looked like a match.
SNIPPET_START: Final = "\x02"
SNIPPET_END: Final = "\x03"
SNIPPET_ELLIPSIS: Final = "…"
_SNIPPET_MARKS: Final = str.maketrans("", "", SNIPPET_START + SNIPPET_END)

# Bounds the work one query can cause; nobody types more words than this into a search box.
MAX_TERMS: Final = 32

# bm25 scores every match before returning the first, a couple of microseconds each, and first
# reads every index entry of each word once (for its rarity). A query past either limit would take
# from tens of ms to seconds on a large history, and a word that common says little about relevance,
# so HistoryStore.search lists the newest matches instead. Within both, ranking took 20 to 40 ms
# per query with a million messages in the store benchmark, whose goal is 50 ms.
RANKED_MATCHES: Final = 10_000
RANKED_WORD_MATCHES: Final = 50_000

# NUL ends an FTS5 string early ("unterminated string"); lone surrogates cannot be encoded.
_DROPPED_CATEGORIES: Final = frozenset({"Cc", "Cs"})


_MARKED: Final = re.compile(re.escape(SNIPPET_START) + "(.*?)" + re.escape(SNIPPET_END), re.DOTALL)


def snippet_runs(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as (text, matched) runs in order, split at each pair of marks. A mark without its pair
    stays in the text: how to show it is the caller's choice."""
    runs: list[tuple[str, bool]] = []
    last = 0
    for match in _MARKED.finditer(snippet):
        runs += [(snippet[last : match.start()], False), (match.group(1), True)]
        last = match.end()
    runs.append((snippet[last:], False))
    return runs


def without_snippet_marks(text: str) -> str:
    """`text` without the characters snippets mark matches with, so stored text cannot fake a match."""
    return text.translate(_SNIPPET_MARKS)


def fts_terms(text: str) -> list[str]:
    """The phrases of fts_query, in order; empty when there is nothing to search for."""
    terms: list[str] = []
    for word in text.split():
        cleaned = "".join(ch for ch in word if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
        # A word with no letter or digit would tokenize to nothing and only add noise.
        if any(ch.isalnum() for ch in cleaned):
            terms.append('"' + cleaned.replace('"', '""') + '"')
    if not terms:
        return terms
    truncated = len(terms) > MAX_TERMS
    terms = terms[:MAX_TERMS]
    if not truncated and not text[-1].isspace():
        terms[-1] += "*"
    return terms


def fts_any(words: Iterable[str]) -> str | None:
    """An FTS5 expression matching any of `words` (each only ever text), or None if none is searchable."""
    terms = fts_terms(" ".join(words) + " ")[:MAX_TERMS]
    return " OR ".join(terms) if terms else None


def fts_query(text: str) -> str | None:
    """An FTS5 MATCH expression for free text, or None when there is nothing to search for.

    Every word becomes a quoted string, so FTS5 operators and punctuation typed by the user
    (AND, NEAR(, *, ^, quotes) are only ever text and cannot be a syntax error. Words are
    ANDed; the last word also matches as a prefix so results follow the user's typing.
    """
    terms = fts_terms(text)
    return " ".join(terms) if terms else None
