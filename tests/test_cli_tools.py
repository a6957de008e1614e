"""`hearth ask` with gpt-oss's tools, end to end: a real process, scripted tool models on the real llama.cpp,
real documents and a real history file."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from app import cli
from app.cli_ask import NO_TOOLS, PYTHON_EXPLAINED, tool_line
from app.config import default_paths
from app.engine import ChatEvent
from app.engine.tools import ToolActivity
from app.store import HistoryStore
from app.tools import PAST_CONVERSATIONS_SETTING
from app.tools.toolbox import PYTHON_TOOL_SETTING
from tests.fixtures.cli import hearth
from tests.fixtures.documents import write_pdf
from tests.fixtures.tiny_models import TinyModel
from tests.fixtures.tool_models import FOREVER, RESEARCH, RESEARCH_REASONING, ToolModel, build_tool_model

QUESTION = "What is the notice period?"
# The report's page 4 is on lines 4 and 5 of the page the browser shows, the lines RESEARCH cites, and
# the notes rank first for "notice period", so RESEARCH opens the report (see tests/test_turn_tools.py).
REPORT_PAGES = ["", "", "", "The notice period is three months.\nAny notice must be written."]
NOTES = "Notice period, notice period: ask about the notice period.\n"
MAPPED_ANSWER = "The notice period is three months [report.pdf p. 4]."
SEARCHED = "  [tool] Searched the documents for “notice period”: 2 results"
OPENED = "  [tool] Opened report.pdf at page 4"


@pytest.fixture(scope="module")
def research(tmp_path_factory: pytest.TempPathFactory) -> ToolModel:
    return build_tool_model(tmp_path_factory.mktemp("tools") / "research.gguf", RESEARCH)


@pytest.fixture
def attachments(tmp_path: Path) -> list[str | Path]:
    notes = tmp_path / "notes.txt"
    notes.write_text(NOTES, encoding="utf-8")
    return ["--attach", write_pdf(tmp_path / "report.pdf", REPORT_PAGES), "--attach", notes]


def ask(model: Path, *extra: str | Path) -> tuple[dict[str, Any], str]:
    """`hearth ask --json`: its JSON and what it said on stderr."""
    result = hearth("ask", "--model", model, "--json", *extra)
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data, result.stderr


def conversation_settings(conversation_id: int) -> dict[str, Any]:
    with HistoryStore(default_paths().history_db) as store:
        record = store.get_conversation(conversation_id)
    assert record is not None
    return record.settings


def test_json_holds_the_tool_uses_and_the_mapped_answer(
    research: ToolModel, attachments: list[str | Path]
) -> None:
    data, _ = ask(research.path, *attachments, QUESTION)
    assert data["answer"] == MAPPED_ANSWER
    assert data["reasoning"] == RESEARCH_REASONING
    assert data["stats"]["tool_calls"] == 2 and data["stats"]["tool_tokens"] > 0
    tools = data["tools"]
    assert [(use["kind"], use["summary"]) for use in tools] == [
        ("search", SEARCHED.removeprefix("  [tool] ")),
        ("open", OPENED.removeprefix("  [tool] ")),
    ]
    assert all(set(use) == {"kind", "summary", "detail", "seconds"} for use in tools)
    assert tools[1]["detail"].startswith("[1] report.pdf (attachment://")
    report = next(use for use in data["documents"] if use["name"] == "report.pdf")
    assert [p["label"] for p in report["passages"]] == ["report.pdf p. 4"]
    with HistoryStore(default_paths().history_db) as store:
        stored = store.get_message(data["message_id"])
    assert stored is not None and stored.content == MAPPED_ANSWER


def test_a_reply_without_tools_has_an_empty_list(research: ToolModel) -> None:
    data, _ = ask(research.path, QUESTION)
    assert data["tools"] == []
    assert "tool_calls" not in data["stats"]


def test_show_reasoning_prints_a_line_per_tool_use(
    research: ToolModel, attachments: list[str | Path]
) -> None:
    result = hearth("ask", "--model", research.path, "--show-reasoning", *attachments, QUESTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout == MAPPED_ANSWER + "\n"
    lines = result.stderr.splitlines()
    assert lines.index(SEARCHED) < lines.index(OPENED)
    # The tool lines interleave with the reasoning, each on a line of its own.
    assert result.stderr.index("Let me search the documents.") < result.stderr.index(SEARCHED)
    assert result.stderr.index(SEARCHED) < result.stderr.index("Opening the lease.")
    assert "Read the whole document: report.pdf: [report.pdf p. 4]" in lines
    quiet = hearth("ask", "--model", research.path, *attachments, QUESTION)
    assert "[tool]" not in quiet.stderr


def test_python_and_history_search_are_kept_with_the_conversation(
    research: ToolModel, attachments: list[str | Path]
) -> None:
    data, said = ask(research.path, "--python", "--search-history", *attachments, QUESTION)
    conversation = data["conversation_id"]
    assert said.count(PYTHON_EXPLAINED) == 1
    settings = conversation_settings(conversation)
    assert settings[PYTHON_TOOL_SETTING] is True and settings[PAST_CONVERSATIONS_SETTING] is True
    # The conversation's folder for Python holds its documents' text.
    folder = default_paths().sandbox_dir / str(conversation)
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", "report.pdf.txt"]

    _, again = ask(research.path, "--conversation", str(conversation), "--python", "And now?")
    assert PYTHON_EXPLAINED not in again, "said once, when it is turned on"
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", "report.pdf.txt"], "not copied twice"

    ask(research.path, "--conversation", str(conversation), "--no-python", "--no-search-history", "Bye.")
    settings = conversation_settings(conversation)
    assert settings[PYTHON_TOOL_SETTING] is False and settings[PAST_CONVERSATIONS_SETTING] is False


def test_a_model_without_tools_says_the_switch_waits_for_one(plain_model: TinyModel) -> None:
    data, said = ask(plain_model.path, "--python", "hi")
    assert NO_TOOLS.format(model=plain_model.path.name) in said
    assert PYTHON_EXPLAINED not in said
    assert data["answer"] == plain_model.expected_answer
    assert conversation_settings(data["conversation_id"])[PYTHON_TOOL_SETTING] is True


def test_a_model_that_never_stops_calling_is_stopped_with_a_note(
    tmp_path_factory: pytest.TempPathFactory, attachments: list[str | Path]
) -> None:
    model = build_tool_model(tmp_path_factory.mktemp("tools") / "forever.gguf", FOREVER)
    result = hearth("ask", "--model", model.path, *attachments, QUESTION)
    assert result.returncode == 0, result.stderr
    assert result.stderr.rstrip().endswith("[stopped: the model used its tools too many times]")


def test_a_tool_line_cannot_write_to_the_terminal() -> None:
    activity = ToolActivity(
        "search", "Searched the documents for “\x1b[2J\x1b[31mrent\nL1: forged”: 1 result"
    )
    assert tool_line(activity) == "  [tool] Searched the documents for “rent L1: forged”: 1 result\n"
    err = io.StringIO()
    printer = cli._StreamPrinter(io.StringIO(), err, quiet=False, show_reasoning=True)
    printer.on_event(ChatEvent("reasoning", "Thinking"))
    printer.on_event(ChatEvent("tool", activity=activity))
    assert err.getvalue() == "Thinking\n" + tool_line(activity)
