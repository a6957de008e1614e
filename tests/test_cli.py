"""`hearth ask` end to end: a real process, the real llama.cpp, a real history file."""

from __future__ import annotations

import io
import itertools
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app import cli
from app.config import default_paths
from app.engine import ChatEvent
from app.store import HistoryStore
from tests.fixtures.cli import hearth
from tests.fixtures.tiny_models import TinyModel, build_random_llama, write_truncated_copy


def ask_json(model: TinyModel, *extra: str | Path) -> dict[str, Any]:
    result = hearth("ask", "--model", model.path, "--json", *extra)
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_ask_json_returns_answer_and_reasoning_and_stores_the_turn(harmony_model: TinyModel) -> None:
    data = ask_json(harmony_model, "--effort", "high", "hi")
    assert data["answer"] == harmony_model.expected_answer
    assert data["reasoning"] == harmony_model.expected_reasoning
    assert data["status"] == "done"
    assert data["stats"]["finish_reason"] == "stop"
    assert data["stats"]["completion_tokens"] > 0
    store = HistoryStore(default_paths().history_db)
    try:
        thread = store.thread(data["conversation_id"])
        conversation = store.get_conversation(data["conversation_id"])
    finally:
        store.close()
    assert [(m.role, m.content, m.reasoning, m.status) for m in thread] == [
        ("user", "hi", "", "done"),
        ("assistant", harmony_model.expected_answer, harmony_model.expected_reasoning, "done"),
    ]
    assert (
        thread[1].stats is not None
        and thread[1].stats["completion_tokens"] == data["stats"]["completion_tokens"]
    )
    assert conversation is not None and conversation.reasoning_effort == "high"
    assert conversation.title == "hi"


def test_conversation_flag_continues_a_stored_conversation(plain_model: TinyModel) -> None:
    first = ask_json(plain_model, "Hello there")
    second = ask_json(plain_model, "--conversation", str(first["conversation_id"]), "And a follow-up")
    assert second["conversation_id"] == first["conversation_id"]
    assert second["answer"] == plain_model.expected_answer
    # The second prompt carries the first exchange, so it is longer than the first prompt plus its answer.
    assert (
        second["stats"]["prompt_tokens"]
        > first["stats"]["prompt_tokens"] + first["stats"]["completion_tokens"]
    )
    store = HistoryStore(default_paths().history_db)
    try:
        thread = store.thread(first["conversation_id"])
        assert len(store.list_conversations()) == 1
    finally:
        store.close()
    assert [m.role for m in thread] == ["user", "assistant", "user", "assistant"]
    assert [m.content for m in thread if m.role == "user"] == ["Hello there", "And a follow-up"]
    assert all(m.parent_id == p.id for p, m in itertools.pairwise(thread))


def test_streams_plain_text_and_reasoning_on_request(harmony_model: TinyModel) -> None:
    result = hearth("ask", "--model", harmony_model.path, "--show-reasoning", "hello")
    assert result.returncode == 0, result.stderr
    assert result.stdout == harmony_model.expected_answer + "\n"
    assert harmony_model.expected_reasoning in result.stderr
    quiet = hearth("ask", "--model", harmony_model.path, "hello")
    assert harmony_model.expected_reasoning not in quiet.stderr


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("hearth: error: ")
    return lines[0]


def test_missing_model_is_one_clear_line(tmp_path: Path) -> None:
    line = one_line_error(hearth("ask", "--model", tmp_path / "gone.gguf", "hi"))
    assert "was not found" in line


def test_truncated_model_is_one_clear_line(tmp_path: Path, plain_model: TinyModel) -> None:
    cut = write_truncated_copy(plain_model.path, tmp_path / "half.gguf")
    line = one_line_error(hearth("ask", "--model", cut, "hi"))
    assert "incomplete" in line and "interrupted" in line


def test_a_model_that_cannot_load_leaves_the_history_as_it_was(
    tmp_path: Path, plain_model: TinyModel
) -> None:
    first = ask_json(plain_model, "hi")
    before = history_rows()
    cut = write_truncated_copy(plain_model.path, tmp_path / "half.gguf")
    one_line_error(hearth("ask", "--model", cut, "a new chat"))
    one_line_error(hearth("ask", "--model", cut, "--conversation", str(first["conversation_id"]), "more"))
    assert history_rows() == before


def history_rows() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Every conversation and message, as (id, title) and (id, content)."""
    store = HistoryStore(default_paths().history_db)
    try:
        conversations = store.list_conversations()
        messages = [(m.id, m.content) for c in conversations for m in store.thread(c.id)]
        return [(c.id, c.title) for c in conversations], messages
    finally:
        store.close()


def test_unknown_conversation_is_one_clear_line(plain_model: TinyModel) -> None:
    line = one_line_error(hearth("ask", "--model", plain_model.path, "--conversation", "999", "hi"))
    assert "no conversation with id 999" in line


def test_usage_errors_exit_2() -> None:
    result = hearth("ask", "--effort", "extreme", "hi")
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_damaged_history_file_is_one_clear_line(plain_model: TinyModel) -> None:
    history = default_paths().ensure().history_db
    history.write_bytes(b"this is not a database at all" * 100)
    line = one_line_error(hearth("ask", "--model", plain_model.path, "hi"))
    assert "history" in line.lower()
    assert history.read_bytes() == b"this is not a database at all" * 100, "the file is left as it was"


def test_ctrl_c_stops_the_reply_and_keeps_it(tmp_path: Path) -> None:
    # A random model that never ends its reply by itself, so there is something to interrupt.
    model = build_random_llama(tmp_path / "endless.gguf", n_embd=128, n_layer=2, n_ff=256)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "ask",
            "--model",
            str(model),
            "--max-tokens",
            "3000",
            "--n-ctx",
            "4096",
            "hi",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUTF8": "1"},
    )
    assert process.stdout is not None
    # Unbuffered: communicate() reads the pipe itself, so a buffered read could swallow bytes.
    first = os.read(process.stdout.fileno(), 1)  # the reply has started streaming
    process.send_signal(signal.SIGINT)
    rest, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert b"[stopped]" in err
    assert b"Traceback" not in err
    store = HistoryStore(default_paths().history_db)
    try:
        (conversation,) = store.list_conversations()
        reply = store.thread(conversation.id)[-1]
    finally:
        store.close()
    assert reply.status == "stopped"
    assert reply.content
    printed = (first + rest).decode()
    assert printed in {reply.content, reply.content + "\n"}, "what the user saw is what was kept"
    assert reply.stats is not None and reply.stats["finish_reason"] == "cancelled"
    assert reply.stats["completion_tokens"] < 3000


def test_attach_puts_the_document_in_the_stored_question(tmp_path: Path, plain_model: TinyModel) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# Plans\n\nThe picnic is on Saturday.\n", encoding="utf-8")
    result = hearth("ask", "--model", plain_model.path, "--json", "--attach", notes, "When is the picnic?")
    assert result.returncode == 0, result.stderr
    assert "Attached notes.md (Markdown · 36 bytes)" in result.stderr
    data = json.loads(result.stdout)
    assert [(d["name"], d["mode"]) for d in data["documents"]] == [("notes.md", "whole")]
    with HistoryStore(default_paths().history_db) as store:
        question = store.thread(data["conversation_id"])[0]
        [attachment] = store.attachments_for([question.id])[question.id]
        content = store.attachment_content(attachment.id)
    assert question.content == "When is the picnic?"
    assert content is not None and "The picnic is on Saturday." in content.text


def test_attach_says_how_the_document_was_used(tmp_path: Path, plain_model: TinyModel) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("The picnic is on Saturday.\n", encoding="utf-8")
    result = hearth("ask", "--model", plain_model.path, "--attach", notes, "")
    assert result.returncode == 0, result.stderr
    assert "Read the whole document: notes.txt" in result.stderr
    assert result.stdout.strip() == plain_model.expected_answer


def test_a_bad_attachment_is_one_line_and_nothing_is_stored(tmp_path: Path, plain_model: TinyModel) -> None:
    fake = tmp_path / "photo.txt"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    result = hearth("ask", "--model", plain_model.path, "--attach", fake, "What is this?")
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("hearth: error: ") and "photo.txt" in line and "Traceback" not in result.stderr
    with HistoryStore(default_paths().history_db) as store:
        assert store.list_conversations() == []


def test_an_unwritable_data_folder_is_one_clear_line(
    tmp_path: Path, plain_model: TinyModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")  # root ignores permissions; this stops it
    monkeypatch.setenv("HEARTH_HOME", str(blocker / "Hearth"))
    line = one_line_error(hearth("ask", "--model", plain_model.path, "hi"))
    assert line.startswith(f"hearth: error: cannot use the data folder {blocker / 'Hearth'} (")


def test_an_empty_message_is_one_clear_line(plain_model: TinyModel) -> None:
    assert (
        one_line_error(hearth("ask", "--model", plain_model.path, "  "))
        == "hearth: error: the message is empty"
    )
    assert not default_paths().history_db.exists() or history_rows() == ([], [])


def test_a_bug_is_logged_with_its_traceback_and_reported_politely(
    plain_model: TinyModel, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken_store(_path: Path) -> HistoryStore:
        raise RuntimeError("a bug deep inside")

    monkeypatch.setattr(cli, "HistoryStore", broken_store)
    assert cli.main(["ask", "--model", str(plain_model.path), "hi"]) == 1
    log_file = default_paths().log_dir / "hearth.log"
    assert capsys.readouterr().err == f"hearth: error: something went wrong; the details are in {log_file}\n"
    logged = log_file.read_text(encoding="utf-8")
    assert "unexpected failure in `hearth ask`" in logged
    assert "Traceback (most recent call last)" in logged and "RuntimeError: a bug deep inside" in logged


def test_a_file_name_cannot_write_to_the_terminal(tmp_path: Path, plain_model: TinyModel) -> None:
    hostile = tmp_path / "notes\x1b[2J\x1b[31m\nAttached fake.pdf (PDF · 1 page)\u202e.txt"
    hostile.write_text("The picnic is on Saturday.\n", encoding="utf-8")
    result = hearth("ask", "--model", plain_model.path, "--attach", hostile, "When is the picnic?")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    attached = [line for line in result.stderr.splitlines() if line.startswith("Attached")]
    assert len(attached) == 1, "no forged line"
    assert "notes Attached fake.pdf" in attached[0], "the name is shown, on one line"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_model_text_is_made_safe_for_a_terminal_but_kept_exact_in_a_pipe() -> None:
    text = "Red \x1b[31mwarning\x1b[0m\x07 done\nnext line"
    terminal, pipe = _Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        printer = cli._StreamPrinter(stream, io.StringIO(), quiet=False, show_reasoning=False)
        printer.on_event(ChatEvent("answer", text))
    assert terminal.getvalue() == "Red warning\ufffd done\nnext line"
    assert pipe.getvalue() == text


def test_output_to_a_full_disk_is_one_line_and_the_history_keeps_the_reply(plain_model: TinyModel) -> None:
    # `hearth ask … > answer.txt` on a full disk: /dev/full refuses every write with ENOSPC.
    with open("/dev/full", "w", encoding="utf-8") as full:
        result = subprocess.run(
            [sys.executable, "-m", "app", "ask", "--model", str(plain_model.path), "--json", "hi"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONUTF8": "1"},
            check=False,
        )
    assert result.returncode == 1
    assert result.stderr == (
        "hearth: error: the disk is full, so the output could not be written; "
        "free up some space and try again\n"
    )
    store = HistoryStore(default_paths().history_db)
    try:
        (conversation,) = store.list_conversations()
        thread = store.thread(conversation.id)
    finally:
        store.close()
    assert [(m.role, m.content, m.status) for m in thread] == [
        ("user", "hi", "done"),
        ("assistant", plain_model.expected_answer, "done"),
    ]


def test_a_reader_that_goes_away_ends_the_ask_quietly(plain_model: TinyModel) -> None:
    # `hearth ask … | head -c 1`: the pipe closes before the reply is written.
    child = subprocess.Popen(
        [sys.executable, "-m", "app", "ask", "--model", str(plain_model.path), "hi"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUTF8": "1"},
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()
    assert child.wait(timeout=120) == 0
    assert "Traceback" not in child.stderr.read().decode()
