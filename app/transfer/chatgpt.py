"""ChatGPT's data export (conversations.json) as Hearth conversations, branches and all.

Each conversation's `mapping` is a tree of nodes ({id, message, parent, children}); several children of
one node are edits or regenerations, and `current_node` ends the branch last shown, which becomes the
branch on screen. What becomes of each node (decided here, and said in the import's report):

- user and assistant messages are kept; several assistant nodes in a row (thinking, a code call, the
  answer, with tool output between) are one turn in ChatGPT's window and become one Hearth reply: its
  text the visible parts joined, its reasoning the "thoughts" (else the "Thought for 12s" recap);
- custom instructions (a user_editable_context message, or an older "user system message") become the
  conversation's system prompt, which Hearth sends with every later question as ChatGPT did;
- hidden nodes (metadata.is_visually_hidden_from_conversation), system messages and the empty root
  are left out: ChatGPT never showed them. Their replies hang from the nearest message kept above;
- tool output (author.role "tool": web pages read, code results, image tool replies) is left out and
  counted: it is raw material the answer already restates, often large, and Hearth has no tool role
  and would only make a local model read it again on every follow-up question;
- the assistant's own tool calls are left out and counted too, except code in a real language (what
  Code Interpreter ran), which stays in the reply as a code block: readers of the answer want it;
- images, recordings and uploaded files cannot come over: a visible "[image not imported]" stays where
  they were, and each is counted.
Times are epoch seconds and may be null: a message without one takes its parent's, then the
conversation's. A conversation with nothing left to show is not imported (and is counted).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Final

from app.i18n import translate
from app.store import ImportedConversation, ImportedMessage
from app.transfer import chatgpt_content as content_of
from app.transfer.errors import TransferError

TOOL_MESSAGE: Final = "tool message"
TOOL_CALL: Final = "tool call"
EMPTY_CONVERSATION: Final = "empty conversation"


def looks_like(data: object) -> bool:
    """Whether `data` is conversations.json (a list of conversations) or one conversation of it."""
    if isinstance(data, list):
        return all(isinstance(item, Mapping) and "mapping" in item for item in data)
    return isinstance(data, Mapping) and "mapping" in data


def convert(data: object, name: str) -> tuple[list[ImportedConversation], Counter[str]]:
    """The conversations in a ChatGPT export, and what was left out, by kind ("image": 3, ...)."""
    items = data if isinstance(data, list) else [data]
    left_out: Counter[str] = Counter()
    conversations: list[ImportedConversation] = []
    for number, item in enumerate(items, 1):
        where = translate("Transfer", "{name}: conversation {number}").format(name=name, number=number)
        conversation = _Conversation(item, where, left_out).convert()
        if conversation is None:
            left_out[EMPTY_CONVERSATION] += 1
        else:
            conversations.append(conversation)
    return conversations, left_out


@dataclass(frozen=True)
class _Turn:
    """An assistant turn being gathered from consecutive nodes; flushed as one reply."""

    parent: int | None  # the Hearth message it answers
    created_at: float  # its first node's time
    nodes: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    reasoning: tuple[str, ...] = ()
    recaps: tuple[str, ...] = ()
    stopped: bool = False


@dataclass(frozen=True)
class _Step:
    """A node to visit, with what its ancestors left for it."""

    node_id: str
    parent_message: int | None  # the nearest Hearth message above
    turn: _Turn | None  # the assistant turn still open above
    inherited_time: float  # the nearest time above, else the conversation's


class _Conversation:
    def __init__(self, raw: object, where: str, left_out: Counter[str]) -> None:
        self._where = where
        if not isinstance(raw, Mapping):
            raise self._damaged(translate("Transfer", "{where} is damaged: it is not a JSON object."))
        mapping = raw.get("mapping")
        if not isinstance(mapping, Mapping):
            raise self._damaged(
                translate("Transfer", "{where} is damaged: it has no message tree (“mapping”).")
            )
        self._raw = raw
        self._nodes: dict[str, Mapping[str, Any]] = {}
        for key, node in mapping.items():
            if not isinstance(node, Mapping):
                raise self._damaged(
                    translate("Transfer", "{where} is damaged: it has a node that is not a JSON object.")
                )
            self._nodes[str(key)] = node
        self._left_out = left_out
        self._messages: list[ImportedMessage] = []
        self._node_message: dict[str, int] = {}  # node -> the Hearth message showing it
        self._flushed: dict[tuple[str, ...], int | None] = {}
        self._system_prompt: str | None = None
        self._start = _seconds(raw.get("create_time")) or _seconds(raw.get("update_time")) or time.time()

    def _damaged(self, words: str) -> TransferError:
        """`words`: the whole sentence, with {where} for the conversation."""
        return TransferError(words.format(where=self._where))

    def convert(self) -> ImportedConversation | None:
        parents, children = self._tree()
        roots = [node_id for node_id in self._nodes if parents[node_id] is None]
        stack = [_Step(node_id, None, None, self._start) for node_id in reversed(roots)]
        visited = 0
        while stack:  # depth first without recursion: a conversation can be thousands of nodes deep
            step = stack.pop()
            visited += 1
            after = self._visit(step, has_children=bool(children[step.node_id]))
            stack.extend(replace(after, node_id=child) for child in reversed(children[step.node_id]))
        if visited < len(self._nodes):
            raise self._damaged(
                translate(
                    "Transfer", "{where} is damaged: it has messages whose parents loop back on themselves."
                )
            )
        if not self._messages:
            return None
        times = [message.created_at for message in self._messages]
        title = self._raw.get("title")
        created, updated = _seconds(self._raw.get("create_time")), _seconds(self._raw.get("update_time"))
        return ImportedConversation(
            title=" ".join(title.split()) if isinstance(title, str) else "",
            created_at=min(times) if created is None else _moment(created),
            updated_at=max(times) if updated is None else _moment(updated),
            messages=tuple(self._messages),
            system_prompt=self._system_prompt,
            current_leaf_source_id=self._current_leaf(parents),
        )

    def _tree(self) -> tuple[dict[str, str | None], dict[str, list[str]]]:
        """Each node's parent (None for a root) and children, in the order ChatGPT lists them."""
        parents: dict[str, str | None] = {}
        for node_id, node in self._nodes.items():
            parent = node.get("parent")
            if parent is not None and not isinstance(parent, str):
                raise self._damaged(
                    translate("Transfer", "{where} is damaged: it has a node whose parent is not a node id.")
                )
            parents[node_id] = parent if parent in self._nodes and parent != node_id else None
        children: dict[str, list[str]] = {node_id: [] for node_id in self._nodes}
        for node_id, parent in parents.items():
            if parent is not None:
                children[parent].append(node_id)
        for node_id, listed in children.items():
            order = self._nodes[node_id].get("children")
            # Only the order is taken from "children" (the parents make the tree), so a listed child that
            # is no node id is passed over rather than trusted.
            ids = [child for child in order if isinstance(child, str)] if isinstance(order, list) else []
            rank = {child: n for n, child in enumerate(ids)}
            listed.sort(key=lambda child: rank.get(child, len(rank)))
        return parents, children

    def _visit(self, step: _Step, *, has_children: bool) -> _Step:
        """Bring one node over; what its children inherit."""
        node = self._nodes[step.node_id]
        message = node.get("message")
        if message is not None and not isinstance(message, Mapping):
            raise self._damaged(
                translate("Transfer", "{where} is damaged: it has a message that is not a JSON object.")
            )
        after = step
        if message is not None:
            moment = _seconds(message.get("create_time")) or step.inherited_time
            after = self._message(replace(step, inherited_time=moment), message, moment)
        if not has_children and after.turn is not None:
            after = replace(after, parent_message=self._flush(after.turn), turn=None)
        return after

    def _message(self, step: _Step, message: Mapping[str, Any], moment: float) -> _Step:
        author = message.get("author")
        role = author.get("role") if isinstance(author, Mapping) else None
        metadata = message.get("metadata")
        metadata = metadata if isinstance(metadata, Mapping) else {}
        content = message.get("content")
        kind = content.get("content_type") if isinstance(content, Mapping) else None
        if kind == "user_editable_context" or metadata.get("is_user_system_message"):
            self._custom_instructions(content, metadata)
            return step
        if metadata.get("is_visually_hidden_from_conversation") or kind == "model_editable_context":
            return step
        if role == "tool":
            self._left_out[TOOL_MESSAGE] += 1
            return step
        # A message to a tool is a tool call; code in a real language is what Code Interpreter ran.
        shows_code = kind == "code" and bool(content_of.code_language(content))
        if role == "assistant" and message.get("recipient") not in (None, "all") and not shows_code:
            self._left_out[TOOL_CALL] += 1
            return step
        if role not in ("user", "assistant"):
            return step  # system messages: ChatGPT never showed them
        extracted = content_of.extract(content, metadata)
        self._left_out.update(extracted.left_out)
        if role == "assistant":
            return self._assistant(step, message, extracted, moment)
        parent = step.parent_message if step.turn is None else self._flush(step.turn)
        message_id = self._add(step.node_id, parent, "user", extracted.text, moment=moment)
        return replace(step, parent_message=message_id, turn=None)

    def _assistant(
        self, step: _Step, message: Mapping[str, Any], extracted: content_of.Extracted, moment: float
    ) -> _Step:
        turn = step.turn or _Turn(step.parent_message, moment)
        text, reasoning = extracted.text, extracted.reasoning
        if message.get("channel") == "analysis":  # newer models write their thinking as text here
            text, reasoning = "", "\n\n".join(part for part in (reasoning, text) if part)
        metadata = message.get("metadata")
        finish = metadata.get("finish_details") if isinstance(metadata, Mapping) else None
        interrupted = message.get("status") == "in_progress" or (
            isinstance(finish, Mapping) and finish.get("type") == "interrupted"
        )
        turn = replace(
            turn,
            nodes=(*turn.nodes, step.node_id),
            texts=(*turn.texts, text) if text.strip() else turn.texts,
            reasoning=(*turn.reasoning, reasoning) if reasoning.strip() else turn.reasoning,
            recaps=(*turn.recaps, extracted.recap) if extracted.recap else turn.recaps,
            stopped=turn.stopped or interrupted,
        )
        return replace(step, turn=turn)

    def _flush(self, turn: _Turn) -> int | None:
        """The Hearth reply a turn becomes (once, however many branches continue from it)."""
        if turn.nodes in self._flushed:
            return self._flushed[turn.nodes]
        text = "\n\n".join(turn.texts)
        reasoning = "\n\n".join(turn.reasoning) or "\n".join(turn.recaps)
        message_id = turn.parent
        if text or reasoning:
            status = "stopped" if turn.stopped else "done"
            message_id = self._add(
                None,
                turn.parent,
                "assistant",
                text,
                reasoning=reasoning,
                moment=turn.created_at,
                status=status,
            )
            for node_id in turn.nodes:
                self._node_message.setdefault(node_id, message_id)
        self._flushed[turn.nodes] = message_id
        return message_id

    def _add(
        self,
        node_id: str | None,
        parent: int | None,
        role: str,
        text: str,
        *,
        reasoning: str = "",
        moment: float,
        status: str = "done",
    ) -> int:
        message_id = len(self._messages) + 1
        self._messages.append(
            ImportedMessage(
                source_id=message_id,
                parent_source_id=parent,
                role=role,
                content=text,
                created_at=_moment(moment),
                reasoning=reasoning,
                status=status,
            )
        )
        if node_id is not None:
            self._node_message[node_id] = message_id
        return message_id

    def _custom_instructions(self, content: object, metadata: Mapping[str, Any]) -> None:
        if self._system_prompt is not None:
            return  # the first found wins: every conversation carries the same ones
        context = metadata.get("user_context_message_data")
        older = context if isinstance(context, Mapping) else {}
        newer = content if isinstance(content, Mapping) else {}
        parts = [
            newer.get("user_profile") or older.get("about_user_message"),
            newer.get("user_instructions") or older.get("about_model_message"),
        ]
        prompt = "\n\n".join(part.strip() for part in parts if isinstance(part, str) and part.strip())
        self._system_prompt = prompt or None

    def _current_leaf(self, parents: Mapping[str, str | None]) -> int | None:
        """The message showing `current_node`, or the nearest one above it if that node was left out."""
        node = self._raw.get("current_node")
        while isinstance(node, str) and node in self._nodes:
            if node in self._node_message:
                return self._node_message[node]
            node = parents[node]
        return None


def _seconds(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 1e11:
        return float(value)
    return None


def _moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
