"""What one ChatGPT message holds, as Hearth text: its content types, and what cannot be brought over.

ChatGPT's content_type decides where the text is: "text" and "multimodal_text" in `parts` (strings, or
objects for images, audio and files), "code" in `text` with a `language`, "thoughts" in a list of
{summary, content}, "reasoning_recap" ("Thought for 12s") in `content`, "execution_output" and others in
`text` or `result`. Anything Hearth cannot bring over (an image, a recording, an uploaded file) leaves a
visible note in the text, such as "[image not imported]", and is counted for the import's report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

# What the import reports it left out, in words that take a plural "s".
IMAGE: Final = "image"
AUDIO: Final = "audio clip"
VIDEO: Final = "video"
FILE: Final = "file"
OTHER: Final = "other item"

_CODE_LANGUAGE = re.compile(r"[\w#+.-]{1,40}")
# Tool arguments come as "code" in these languages: JSON for a web search, say; not code to show.
NOT_A_LANGUAGE: Final = frozenset({"", "unknown", "json"})
# Where types Hearth does not know keep their text, most likely first.
_TEXT_KEYS: Final = ("text", "result", "content", "summary")


@dataclass(frozen=True)
class Extracted:
    text: str = ""  # what the message shows, notes included
    reasoning: str = ""  # the model's thinking ("thoughts")
    recap: str = ""  # ChatGPT's line about it ("Thought for 12s"), for when no thinking is kept
    left_out: tuple[str, ...] = ()  # one entry per thing not imported (IMAGE, FILE, ...)


def extract(content: object, metadata: Mapping[str, Any]) -> Extracted:
    """The Hearth text of a message's `content`, with notes for the files listed in its metadata."""
    extracted = _content(content) if isinstance(content, Mapping) else Extracted()
    notes, left_out = _attached_files(metadata)
    if not notes:
        return extracted
    text = "\n\n".join(part for part in (extracted.text, *notes) if part)
    return Extracted(text, extracted.reasoning, extracted.recap, extracted.left_out + left_out)


def code_language(content: object) -> str:
    """The language of a "code" content, "" when none is given or it only names tool arguments."""
    language = content.get("language") if isinstance(content, Mapping) else None
    if not isinstance(language, str) or language.lower() in NOT_A_LANGUAGE:
        return ""
    return language if _CODE_LANGUAGE.fullmatch(language) else ""


def fenced(code: str, language: str) -> str:
    """`code` as a Markdown code block, with a fence longer than any run of backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{code.rstrip()}\n{fence}"


def _content(content: Mapping[str, Any]) -> Extracted:
    kind = content.get("content_type")
    if kind in ("text", "multimodal_text"):
        return _parts(content.get("parts"))
    if kind == "code":
        code = content.get("text")
        return Extracted(fenced(code, code_language(content)) if isinstance(code, str) and code else "")
    if kind == "thoughts":
        return Extracted(reasoning=_thoughts(content.get("thoughts")))
    if kind == "reasoning_recap":
        recap = content.get("content")
        return Extracted(recap=recap.strip() if isinstance(recap, str) else "")
    parts = _parts(content.get("parts"))
    if parts.text or parts.left_out:
        return parts
    for key in _TEXT_KEYS:
        value = content.get(key)
        if isinstance(value, str) and value.strip():
            return Extracted(value)
    name = kind if isinstance(kind, str) and _CODE_LANGUAGE.fullmatch(kind) else "content"
    return Extracted(f"[{name.replace('_', ' ')} not imported]", left_out=(OTHER,))


def _parts(parts: object) -> Extracted:
    """String parts kept, in order; images, recordings and files become notes where they were."""
    if not isinstance(parts, list):
        return Extracted()
    texts: list[str] = []
    left_out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            if part.strip():
                texts.append(part)
        elif isinstance(part, Mapping):
            kind = part.get("content_type")
            text = part.get("text")
            if isinstance(text, str) and text.strip():  # e.g. an audio_transcription
                texts.append(text)
            elif isinstance(kind, str) and kind.endswith("asset_pointer"):
                what = (
                    IMAGE
                    if "image" in kind
                    else AUDIO
                    if "audio" in kind
                    else VIDEO
                    if "video" in kind
                    else FILE
                )
                texts.append(f"[{what} not imported]")
                left_out.append(what)
            else:
                texts.append("[attachment not imported]")
                left_out.append(OTHER)
    return Extracted("\n\n".join(texts), left_out=tuple(left_out))


def _thoughts(thoughts: object) -> str:
    """ChatGPT's thinking: each step's summary as a bold line, then its text."""
    if not isinstance(thoughts, list):
        return ""
    steps: list[str] = []
    for thought in thoughts:
        if isinstance(thought, str):
            steps.append(thought)
        elif isinstance(thought, Mapping):
            summary, text = thought.get("summary"), thought.get("content")
            lines = [f"**{summary.strip()}**" if isinstance(summary, str) and summary.strip() else ""]
            lines.append(text.strip() if isinstance(text, str) else "")
            steps.append("\n\n".join(line for line in lines if line))
    return "\n\n".join(step for step in steps if step)


def _attached_files(metadata: Mapping[str, Any]) -> tuple[list[str], tuple[str, ...]]:
    """Notes for the files a message had attached in ChatGPT; images are noted in its parts already."""
    files = metadata.get("attachments")
    notes: list[str] = []
    if not isinstance(files, list):
        return notes, ()
    for file in files:
        if not isinstance(file, Mapping):
            continue
        mime = file.get("mime_type") or file.get("mimeType")
        if isinstance(mime, str) and mime.startswith("image/"):
            continue
        name = file.get("name")
        label = " ".join(name.split()) if isinstance(name, str) and name.strip() else ""
        notes.append(f"[file not imported: {label}]" if label else "[file not imported]")
    return notes, (FILE,) * len(notes)
