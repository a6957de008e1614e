"""Hypothesis strategies for hostile markdown: what a model (or someone feeding it) could write to break
the renderer or slow it down. Shared by the renderer's tests; a longer soak run can draw more examples
from the same strategies (settings(max_examples=...)).
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import strategies as st

FRAGMENTS = [
    "<script>alert(1)</script>",
    "<script>",
    "<img src=x onerror=y>",
    '<img src="http://e/x.png">',
    "[a](javascript:x)",
    "[a](JaVaScRiPt:x)",
    "[a](data:text/html,x)",
    "[a](http://e/x)",
    '[a](http://e/x "title")',
    "![i](http://e/x.png)",
    "![](javascript:x)",
    '<a href="http://e/">',
    "<a href=javascript:x>",
    "</a>",
    "<iframe src=http://e>",
    "<style>body{}</style>",
    "<div onclick=x>",
    "<!-- c -->",
    "<!DOCTYPE html>",
    "<?php ?>",
    "&lt;",
    "&amp;",
    "&#60;",
    "&#x3C;",
    "https://e/x?a=1&b=2",
    "<https://e/>",
    "hearth-copy:0",
    "```",
    "```python\n",
    "~~~",
    "`",
    "``",
    "*",
    "**",
    "_",
    "|",
    "|---|---|\n",
    "\n",
    "\n\n",
    "- ",
    "1. ",
    "  ",
    "    ",
    "\t",
    "> ",
    "# ",
    "[",
    "]",
    "(",
    ")",
    "!",
    "<",
    ">",
    '"',
    "'",
    "\\",
    "x",
]
MARKDOWNISH = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map("".join)

# Markdown's syntax, repeated: each unit as a model might write it a thousand times in a row.
SYNTAX_UNITS = [
    "# h\n",
    "h\n=\n",
    "a\n***\n",
    "> a\nb\n",
    "- a\n",
    "1. a\n",
    "- a\n  - b\n",
    "    code\n",
    "a\n\n",
    "**a** _b_ `c` [d](http://e) ",
    "*",
    "_a",
    "[",
    "[a](",
    "![",
    "`",
    "`a` ",
    "\\*",
    "|",
    "| 1 | 2 |\n",
    "*_~[]()!#>|`",
    "*_~[]()!#>|`\n",
    "<",
    "&",
    "```\n",
    "~~~\n",
    "- ",
    "> ",
    "> - ",
    "#",
    "-",
    " -",
]
WORD = st.from_regex(r"[a-z]{1,8}", fullmatch=True)


def _quote_lines(depth: int, word: str) -> str:
    step = max(1, depth // 40)
    return "".join(">" * level + f" {word}{level}\n" for level in range(1, depth + 1, step))


def _list_lines(depth: int, word: str) -> str:
    step = max(1, depth // 40)
    return "".join("  " * level + f"- {word}{level}\n" for level in range(0, depth, step))


# Ways to nest `depth` levels deep around a word, each linear in the depth.
NESTINGS: dict[str, Callable[[int, str], str]] = {
    "quotes on one line": lambda depth, word: "> " * depth + word,
    "quote lines": _quote_lines,
    "list lines": _list_lines,
    "lists on one line": lambda depth, word: "- " * depth + word,
    "numbered lists on one line": lambda depth, word: "1. " * depth + word,
    "lists in quotes": lambda depth, word: "> - " * depth + word,
    "quotes in lists": lambda depth, word: "- > " * depth + word,
    "emphasis": lambda depth, word: "*" * depth + word + "*" * depth,
    "mixed emphasis": lambda depth, word: "*_" * depth + word + "_*" * depth,
    "strong and emphasis": lambda depth, word: "**_" * depth + word + "_**" * depth,
    "links": lambda depth, word: "[" * depth + word + "](http://e)" * depth,
    "link texts": lambda depth, word: f"[{word} " * depth + "x" + "](http://e) y" * depth,
    "images in links": lambda depth, word: "[![" * depth + word + "](http://e/i)](http://e)" * depth,
    "code spans": lambda depth, word: "`" * depth + word + "`" * depth,
}


@st.composite
def deep_nesting(draw: st.DrawFn, max_depth: int = 400) -> str:
    """One of NESTINGS, up to `max_depth` levels deep, around a word."""
    nest = NESTINGS[draw(st.sampled_from(sorted(NESTINGS)))]
    return nest(draw(st.integers(1, max_depth)), draw(WORD))


@st.composite
def repeated_syntax(draw: st.DrawFn, max_times: int = 3000) -> str:
    """A unit of syntax repeated, with a word now and then."""
    unit = draw(st.sampled_from(SYNTAX_UNITS))
    times = draw(st.integers(1, max_times))
    word = draw(WORD)
    every = draw(st.integers(1, 200))
    return "".join(unit + (word if index % every == 0 else "") for index in range(times))


def hostile_markdown(*, max_depth: int = 400, max_times: int = 3000) -> st.SearchStrategy[str]:
    """Any text, markdown-like text, deep nesting, repeated syntax, and pieces of each joined up."""
    single = st.one_of(
        st.text(),
        MARKDOWNISH,
        deep_nesting(max_depth),
        repeated_syntax(max_times),
    )
    return st.one_of(single, st.lists(single, min_size=2, max_size=4).map("\n\n".join))
