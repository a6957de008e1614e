"""ChatGPT data exports made for the tests, shaped like the real ones (conversations.json in a .zip)."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

T0 = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC


def message(
    role: str,
    content: dict[str, Any],
    created: float | None,
    *,
    metadata: dict[str, Any] | None = None,
    recipient: str = "all",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": f"msg-{id(content)}",
        "author": {"role": role, "name": None, "metadata": {}},
        "create_time": created,
        "update_time": None,
        "content": content,
        "status": "finished_successfully",
        "end_turn": None,
        "weight": 1.0,
        "metadata": metadata or {},
        "recipient": recipient,
        **extra,
    }


def text(*parts: str) -> dict[str, Any]:
    return {"content_type": "text", "parts": list(parts)}


Nodes = Mapping[str, tuple[str | None, dict[str, Any] | None]]


def tree(nodes: Nodes) -> dict[str, Any]:
    """A mapping from {node id: (parent id, message)}, with each node's children listed."""
    mapping: dict[str, Any] = {
        node_id: {"id": node_id, "message": msg, "parent": parent, "children": []}
        for node_id, (parent, msg) in nodes.items()
    }
    for node_id, (parent, _msg) in nodes.items():
        if parent is not None:
            mapping[parent]["children"].append(node_id)
    return mapping


def conversation(
    title: str | None,
    nodes: Nodes,
    current: str | None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "title": title,
        "create_time": T0,
        "update_time": T0 + 3600,
        "mapping": tree(nodes),
        "current_node": current,
        "conversation_id": f"conv-{title}",
        "id": f"conv-{title}",
        "is_archived": False,
        "default_model_slug": "gpt-4o",
        **extra,
    }


def trip() -> dict[str, Any]:
    """Branches (a regenerated answer, an edited question), hidden nodes, custom instructions, thinking,
    a code call with its output, a search call, an image, null times, and the oldest branch on screen."""
    nodes: Nodes = {
        "root": (None, None),
        "sys": (
            "root",
            message("system", text(""), None, metadata={"is_visually_hidden_from_conversation": True}),
        ),
        "ctx": (
            "sys",
            message(
                "user",
                {
                    "content_type": "user_editable_context",
                    "user_profile": "I live in Lyon.",
                    "user_instructions": "Answer briefly.",
                },
                None,
                metadata={"is_visually_hidden_from_conversation": True, "is_user_system_message": True},
            ),
        ),
        "u1": ("ctx", message("user", text("Plan a day out"), T0 + 10)),
        "a1": ("u1", message("assistant", text("Visit Fourvière hill."), T0 + 20)),
        "a1b": ("u1", message("assistant", text("Walk along the Saône."), T0 + 30)),  # regenerated
        # On the first answer's branch: a question answered with thinking and code it ran.
        "u2": ("a1", message("user", text("Add a museum"), T0 + 40)),
        "t2": (
            "u2",
            message(
                "assistant",
                {
                    "content_type": "thoughts",
                    "thoughts": [{"summary": "Choosing", "content": "Confluences is near the rivers."}],
                    "source_analysis_msg_id": "x",
                },
                T0 + 41,
            ),
        ),
        "c2": (
            "t2",
            message(
                "assistant",
                {"content_type": "code", "language": "python", "text": "print(opening_hours())"},
                T0 + 42,
                recipient="python",
            ),
        ),
        "o2": (
            "c2",
            message("tool", {"content_type": "execution_output", "text": "10:30-18:30"}, T0 + 43),
        ),
        "r2": (
            "o2",
            message("assistant", {"content_type": "reasoning_recap", "content": "Thought for 3s"}, T0 + 44),
        ),
        "a2": ("r2", message("assistant", text("Musée des Confluences, open 10:30 to 18:30."), T0 + 45)),
        # The question edited later, on the same branch; its answer has no time of its own.
        "u2e": ("a1", message("user", text("Add a museum and a bouchon"), T0 + 50)),
        "a2e": ("u2e", message("assistant", text("Lunch at a bouchon, then the museum."), None)),
        # On the regenerated answer's branch: a photo, a web search and its result.
        "u3": (
            "a1b",
            message(
                "user",
                {
                    "content_type": "multimodal_text",
                    "parts": [
                        {
                            "content_type": "image_asset_pointer",
                            "asset_pointer": "file-service://file-1",
                            "width": 640,
                        },
                        "What is this building?",
                    ],
                },
                T0 + 60,
            ),
        ),
        "s3": (
            "u3",
            message(
                "assistant",
                {
                    "content_type": "code",
                    "language": "unknown",
                    "text": '{"search_query": [{"q": "Lyon basilica"}]}',
                },
                T0 + 61,
                recipient="web.run",
            ),
        ),
        "w3": (
            "s3",
            message(
                "tool", {"content_type": "tether_browsing_display", "result": "pages", "summary": ""}, T0 + 62
            ),
        ),
        "a3": ("w3", message("assistant", text("The Basilica of Notre-Dame de Fourvière."), T0 + 63)),
    }
    return conversation("Trip planning", nodes, current="a2")


def recipe() -> dict[str, Any]:
    """No title, no conversation times, an old-style custom instructions message, a regeneration."""
    nodes: Nodes = {
        "r": (None, message("system", text(""), None)),
        "ci": (
            "r",
            message(
                "system",
                text(""),
                None,
                metadata={
                    "is_user_system_message": True,
                    "user_context_message_data": {
                        "about_user_message": "Vegetarian.",
                        "about_model_message": "",
                    },
                },
            ),
        ),
        "q": ("ci", message("user", text("A quick soup?"), T0 + 100)),
        "x": ("q", message("assistant", text("Lentil soup."), T0 + 110)),
        "y": ("q", message("assistant", text("Tomato soup."), T0 + 120)),
    }
    return conversation(None, nodes, current="y", create_time=None, update_time=None)


def hidden_only() -> dict[str, Any]:
    nodes: Nodes = {
        "r": (None, None),
        "s": ("r", message("system", text(""), T0, metadata={"is_visually_hidden_from_conversation": True})),
    }
    return conversation("Nothing here", nodes, current="s")


def write_zip(path: Path, conversations: list[dict[str, Any]], *, inner: str = "conversations.json") -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(inner, json.dumps(conversations))
        archive.writestr("chat.html", "<html><body>The same conversations, for a browser.</body></html>")
        archive.writestr("user.json", json.dumps({"email": "someone@example.com"}))
    return path
