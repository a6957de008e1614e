"""`hearth export`, `hearth import` and `hearth search`: outputs, files, exit codes and plain one-line errors,
and nothing from stored text that a terminal would act on."""

from __future__ import annotations

import io
import json
import sys
import unicodedata
from pathlib import Path

import pytest

from app import cli
from app.cli_history import json_safe, shown_snippet, terminal_safe
from app.config import default_paths
from app.store import SNIPPET_END, SNIPPET_START, HistoryStore
from tests.fixtures.cli import hearth
from tests.transfer.chatgpt_builder import recipe, trip, write_zip

HOSTILE_TITLE = "Evil\x1b]0;pwned\x07 title\x1b[2J\u202e"
HOSTILE_TEXT = "A \x1b[31mred\x1b[0m needle\x9b31m here\x07 and\u2028there \u202edesrever"


def history() -> HistoryStore:
    return HistoryStore(default_paths().ensure().history_db)


def make_conversations() -> tuple[int, int]:
    with history() as store:
        bread = store.create_conversation("Bread")
        question = store.add_message(bread, "user", "How long should sourdough rise?")
        store.add_message(
            bread, "assistant", "Overnight, in the fridge.", parent_id=question, reasoning="Yeast."
        )
        evil = store.create_conversation(HOSTILE_TITLE)
        store.add_message(evil, "user", HOSTILE_TEXT)
        return bread, evil


def run(*args: str) -> int:
    return cli.main(list(args))


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("hearth: error: ")
    return lines[0]


def no_terminal_controls(text: str) -> bool:
    return not any((unicodedata.category(c) == "Cc" and c not in "\n\t") or c in "\u202e\u2028" for c in text)


# -- export ------------------------------------------------------------------------------------------


def test_export_prints_to_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    bread, _evil = make_conversations()
    assert run("export", "--conversation", str(bread), "--format", "md", "--reasoning") == 0
    out, err = capsys.readouterr()
    assert out.startswith("# Bread\n") and "Overnight, in the fridge." in out and "> Yeast." in out
    assert err == ""


def test_export_writes_a_file_whole(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    make_conversations()
    target = tmp_path / "exports" / "all.json"
    assert run("export", "--all", "--format", "json", "--output", str(target)) == 0
    out, _err = capsys.readouterr()
    assert out.startswith(f"Wrote {target} (") and out.endswith(").\n")
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [c["title"] for c in data["conversations"]] == [HOSTILE_TITLE, "Bread"]  # the file keeps all
    assert [p.name for p in target.parent.iterdir()] == ["all.json"]


def test_export_of_an_unknown_conversation_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    make_conversations()
    assert run("export", "--conversation", "99", "--format", "html") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert one_error_line(err) == "hearth: error: There is no conversation with id 99."


def test_export_to_an_unwritable_place_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bread, _evil = make_conversations()
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    assert (
        run("export", "--conversation", str(bread), "--format", "md", "--output", str(blocker / "x.md")) == 1
    )
    assert one_error_line(capsys.readouterr().err).startswith(
        f"hearth: error: cannot write {blocker / 'x.md'}"
    )


def test_export_needs_one_choice_of_conversations() -> None:
    with pytest.raises(SystemExit) as usage:
        run("export", "--all", "--conversation", "1", "--format", "md")
    assert usage.value.code == 2
    with pytest.raises(SystemExit):
        run("export", "--format", "md")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_export_to_a_terminal_is_made_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    _bread, evil = make_conversations()
    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert run("export", "--conversation", str(evil), "--format", "md") == 0
    shown = terminal.getvalue()
    assert no_terminal_controls(shown)
    assert "A red needle" in shown and "\n\n" in shown  # text and line breaks kept


# -- import ------------------------------------------------------------------------------------------


def test_import_says_what_it_did(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    export = write_zip(tmp_path / "chatgpt.zip", [trip(), recipe()])
    assert run("import", str(export)) == 0
    assert capsys.readouterr().out == (
        "Imported 2 conversations (12 messages) from chatgpt.zip; "
        "skipped 2 tool messages, 1 image, 1 tool call.\n"
    )
    with history() as store:
        assert {c.title for c in store.list_conversations()} == {"Trip planning", "A quick soup?"}


def test_a_damaged_import_is_one_line_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    make_conversations()
    with history() as store:
        before = store.export_conversations()
    damaged = tmp_path / "export.json"
    damaged.write_text(
        '{"format": "hearth-export", "version": 1, "conversations": [{"title": "half', encoding="utf-8"
    )
    assert run("import", str(damaged)) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert (
        one_error_line(err) == "hearth: error: export.json is incomplete: it ends in the middle of its data."
    )
    unknown = tmp_path / "notes.txt"
    unknown.write_text("just some notes", encoding="utf-8")
    assert run("import", str(unknown)) == 1
    assert "notes.txt is not JSON" in one_error_line(capsys.readouterr().err)
    with history() as store:
        assert store.export_conversations() == before


# -- search ------------------------------------------------------------------------------------------


def test_search_groups_hits_by_conversation(capsys: pytest.CaptureFixture[str]) -> None:
    bread, _evil = make_conversations()
    with history() as store:
        store.add_message(bread, "user", "And sourdough starter?")
    assert run("search", "sourdough") == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == f"Bread  (conversation {bread})"
    assert len(lines) == 3 and all(line.startswith("  You, ") for line in lines[1:])
    assert "«sourdough»" in lines[1] and "«sourdough»" in lines[2]
    assert run("search", "crumpets") == 0
    assert capsys.readouterr().out == "Nothing found for “crumpets”.\n"


def test_search_neutralises_control_characters(capsys: pytest.CaptureFixture[str]) -> None:
    _bread, evil = make_conversations()
    assert run("search", "needle") == 0
    out = capsys.readouterr().out
    assert no_terminal_controls(out), repr(out)
    title_line, hit_line = out.splitlines()
    assert title_line == f"Evil title  (conversation {evil})"
    assert "A red «needle»" in hit_line and "here" in hit_line and "desrever" in hit_line


def test_search_json_has_one_object_per_hit(capsys: pytest.CaptureFixture[str]) -> None:
    bread, evil = make_conversations()
    with history() as store:
        store.rename_conversation(bread, "Needle and thread")
        first = store.thread(bread)[0].id
    assert run("search", "needle", "--json", "--limit", "5") == 0
    out = capsys.readouterr().out
    assert no_terminal_controls(out), repr(out)
    hits = json.loads(out)
    assert [set(hit) for hit in hits] == [
        {"conversation_id", "message_id", "title", "role", "snippet", "created_at"}
    ] * 2
    assert [(h["conversation_id"], h["message_id"], h["role"]) for h in hits] == [
        (bread, first, "title"),
        (evil, hits[1]["message_id"], "user"),
    ]
    assert hits[0]["snippet"] == f"{SNIPPET_START}Needle{SNIPPET_END} and thread"
    assert hits[1]["title"] == HOSTILE_TITLE  # the data as stored, escaped by JSON
    assert hits[1]["created_at"].endswith("+00:00")
    assert run("search", "needle", "--json", "--limit", "1") == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


def test_a_bad_limit_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as usage:
        run("search", "x", "--limit", "0")
    assert usage.value.code == 2


def test_terminal_helpers() -> None:
    assert (
        terminal_safe("a\x1b[1;31mb\x1b[0m\x1b]8;;http://x\x07c\x1bcd\x00e\x7f\x85f\tg\nh")
        == "abcd\ufffde\ufffd\ufffdf g h"
    )
    assert terminal_safe("line\nnext\tcol\x1b[K", keep_lines=True) == "line\nnext\tcol"
    assert terminal_safe("\u202eabc\u2066") == "abc"
    assert (
        shown_snippet(f"…a {SNIPPET_START}word{SNIPPET_END} and a stray {SNIPPET_END}end")
        == "…a «word» and a stray \ufffdend"
    )
    assert json.loads(json_safe(json.dumps(["\x85\u202e\u2028"], ensure_ascii=False))) == ["\x85\u202e\u2028"]
    assert no_terminal_controls(json_safe(json.dumps(["\x85\u202e\u2028\x1b"], ensure_ascii=False)))


# -- the real program --------------------------------------------------------------------------------


def test_the_commands_from_a_shell(tmp_path: Path) -> None:
    export = write_zip(tmp_path / "chatgpt.zip", [recipe()])
    imported = hearth("import", export)
    assert (imported.returncode, imported.stderr) == (0, "")
    assert imported.stdout == "Imported 1 conversation (3 messages) from chatgpt.zip.\n"

    page = hearth("export", "--all", "--format", "html")
    assert (
        page.returncode == 0 and page.stdout.startswith("<!DOCTYPE html>") and "Tomato soup." in page.stdout
    )

    found = hearth("search", "soup", "--json")
    assert found.returncode == 0  # the question and both answers (every branch is searched)
    assert sorted(h["role"] for h in json.loads(found.stdout)) == ["assistant", "assistant", "user"]

    truncated = tmp_path / "cut.zip"
    truncated.write_bytes(export.read_bytes()[:100])
    failed = hearth("import", truncated)
    assert failed.returncode == 1 and failed.stdout == "" and "Traceback" not in failed.stderr
    assert (
        failed.stderr == "hearth: error: cut.zip is a damaged or incomplete zip file "
        "(perhaps its download did not finish).\n"
    )
    missing = hearth("export", "--conversation", "7", "--format", "json")
    assert (missing.returncode, missing.stderr) == (1, "hearth: error: There is no conversation with id 7.\n")
