"""A short title for a new conversation, written by the loaded model after its first reply.

The first words of the question are the title until then (the store sets them), and stay if the model
writes nothing usable or the user renamed the conversation meanwhile. The request is small (low effort
for gpt-oss, a few dozen words of answer) and can be cancelled between tokens, so the next question
never waits for it.
"""

from __future__ import annotations

import re
import threading
from typing import Final

from app.engine import Engine
from app.store import HistoryStore, title_from

# The question and answer the model reads, cut: a title needs their gist, not their length.
EXCERPT_CHARS: Final = 1200
# Reasoning counts against this on gpt-oss; low effort keeps it to a sentence or two.
MAX_TOKENS: Final = 160
MAX_WORDS: Final = 8
TITLE_CHARS: Final = 60

_INSTRUCTIONS: Final = (
    "Write a title of three to six words for a conversation that begins with the question and answer "
    "below. Use the language of the question. Reply with the title only: no quotes, no full stop."
)
_LEAD: Final = re.compile(r"^(title|titel)\s*:\s*", re.IGNORECASE)
_QUOTES: Final = "\"'“”„‘’«»`*#_"


def clean_title(text: str) -> str | None:
    """The model's reply as a one-line title, or None when nothing usable is left."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return None
    title = _LEAD.sub("", lines[0]).strip(_QUOTES + " ").rstrip(".:;,!?").strip(_QUOTES + " ")
    title = "".join(ch for ch in title if ch.isprintable())
    words = title.split()
    if not words:
        return None
    if len(words) > MAX_WORDS:
        title = " ".join(words[:MAX_WORDS]) + "…"
    return title if len(title) <= TITLE_CHARS else title_from(title)


def write_title(
    engine: Engine, store: HistoryStore, conversation_id: int, cancel: threading.Event
) -> str | None:
    """Ask the loaded model for a title and store it, unless the conversation was renamed meanwhile.

    Returns the new title, or None (no reply yet, nothing usable, cancelled, renamed).
    """
    conversation = store.get_conversation(conversation_id)
    thread = store.thread(conversation_id)
    question = next((m for m in thread if m.role == "user"), None)
    answer = next((m for m in thread if m.role == "assistant" and m.status == "done" and m.content), None)
    if conversation is None or question is None or answer is None or not engine.is_loaded:
        return None
    automatic = title_from(question.content)
    if conversation.title != automatic:
        return None  # the user's own title, or an imported one
    excerpt = f"Question:\n{question.content[:EXCERPT_CHARS]}\n\nAnswer:\n{answer.content[:EXCERPT_CHARS]}"
    prompt = [{"role": "system", "content": _INSTRUCTIONS}, {"role": "user", "content": excerpt}]
    pieces = [
        event.text
        for event in engine.chat(
            prompt, reasoning_effort="low", max_tokens=MAX_TOKENS, temperature=0.2, cancel=cancel
        )
        if event.kind == "answer"
    ]
    if cancel.is_set():
        return None
    title = clean_title("".join(pieces))
    if title is None or title == automatic:
        return None
    return title if store.retitle(conversation_id, title, replacing=automatic) else None
