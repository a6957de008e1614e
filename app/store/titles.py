"""Conversation titles made from a first message: shared by a new message and an imported conversation."""

from __future__ import annotations

from typing import Final

TITLE_MAX: Final = 60


def title_from(text: str) -> str:
    """A conversation title from its first message: one line, cut on a word near TITLE_MAX."""
    flat = " ".join(text.split())
    if len(flat) <= TITLE_MAX:
        return flat
    cut = flat.rfind(" ", 0, TITLE_MAX + 1)
    head = flat[:cut] if cut >= TITLE_MAX // 2 else flat[:TITLE_MAX]
    return head.rstrip(" ,.;:!?-") + "…"
