"""Reading the arguments of a browser call as the model wrote them, forgivingly.

A small model writes `{"cursor": "2"}`, `3.0`, a bare string, an unknown field or a trailing brace; what
can be understood is, and anything else becomes a plain sentence the model reads back (BrowserError),
never an exception that would end the reply.
"""

from __future__ import annotations

import json
import re
from typing import Final

from app.tools.lines import clean

_NUMBER: Final = re.compile(r"\s*[-+]?\d{1,15}\s*")
# Integers past this are no position any page has; they are cut here so no arithmetic gets big.
_LARGEST: Final = 10**12
_ADDRESS: Final = re.compile(r"\s*(?:(?:https?|ftp|wss?)://|www\.)", re.IGNORECASE)

Arguments = dict[str, object]


class BrowserError(Exception):
    """A call the browser cannot answer. str() is the text for the model (in English, like the pages);
    `summary` is the line for people, in their language, when one more precise than the generic is known.
    """

    def __init__(self, text: str, summary: str | None = None) -> None:
        super().__init__(text)
        self.summary = summary


def looks_like_address(text: str) -> bool:
    """Whether `text` is a web address (the model was trained online and may try one)."""
    return _ADDRESS.match(text) is not None


def shown(value: object, limit: int = 60) -> str:
    """A value as the model wrote it, short and on one line, for an error text."""
    try:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    text = " ".join(clean(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse(raw: str, main: str, example: str) -> Arguments:
    """The arguments as a JSON object. A bare string or number stands for the `main` argument; an
    empty text is no arguments at all (as the reference browser takes it)."""
    text = raw.strip()
    if not text:
        return {}
    try:
        value, _ = json.JSONDecoder().raw_decode(text)
    except (ValueError, RecursionError):
        value = None
        if text[0] not in "{[":
            # Plain words instead of JSON: what else could they be than the main argument?
            value = text
    if isinstance(value, dict):
        return {str(key): item for key, item in value.items()}
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return {main: value}
    raise BrowserError(f"Invalid function arguments: write them as a JSON object, for example {example}.")


def integer(arguments: Arguments, name: str, default: int) -> int:
    """A whole-number argument: 3, 3.0 and "3" are all 3; missing or null is `default`."""
    value = arguments.get(name)
    if value is None:
        return default
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif (isinstance(value, float) and value.is_integer()) or (
        isinstance(value, str) and _NUMBER.fullmatch(value)
    ):
        number = int(value)
    if number is None:
        raise BrowserError(f"`{name}` should be a whole number, not `{shown(value)}`.")
    return max(-_LARGEST, min(number, _LARGEST))


def text(arguments: Arguments, *names: str) -> str | None:
    """The first of `names` given, as text (a list of words is joined); None if none is."""
    for name in names:
        value = arguments.get(name)
        if value is None:
            continue
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return " ".join(value)
        raise BrowserError(f"`{name}` should be text, not `{shown(value)}`.")
    return None
