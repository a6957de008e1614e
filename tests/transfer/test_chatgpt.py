"""ChatGPT's export, as downloaded, becomes Hearth conversations with their branches; damaged ones change
nothing."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.store import HistoryStore, MessageRecord
from app.transfer import TransferError, archive, import_file
from tests.transfer.chatgpt_builder import (
    T0,
    conversation,
    hidden_only,
    message,
    recipe,
    text,
    trip,
    write_zip,
)
from tests.transfer.helpers import snapshot


def moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def by_title(store: HistoryStore, title: str) -> int:
    [cid] = [c.id for c in store.list_conversations() if c.title == title]
    return cid


def contents(thread: list[MessageRecord]) -> list[tuple[str, str]]:
    return [(m.role, m.content) for m in thread]


def test_the_downloaded_zip_is_imported_with_its_branches(store: HistoryStore, tmp_path: Path) -> None:
    export = write_zip(tmp_path / "chatgpt-export.zip", [trip(), recipe(), hidden_only()])
    summary = import_file(store, export)
    assert summary.source == "ChatGPT"
    assert summary.describe() == (
        "Imported 2 conversations (12 messages) from chatgpt-export.zip; skipped 2 tool messages, "
        "1 image, 1 tool call, 1 empty conversation."
    )

    cid = by_title(store, "Trip planning")
    conversation_record = store.get_conversation(cid)
    assert conversation_record is not None
    assert (conversation_record.created_at, conversation_record.updated_at) == (moment(T0), moment(T0 + 3600))
    assert conversation_record.system_prompt == "I live in Lyon.\n\nAnswer briefly."
    assert conversation_record.model is None  # ChatGPT's models are not files Hearth could load

    # The branch last shown in ChatGPT is on screen, though newer branches exist; the turn with thinking,
    # a code call and its output reads as one reply.
    thread = store.thread(cid)
    assert contents(thread) == [
        ("user", "Plan a day out"),
        ("assistant", "Visit Fourvière hill."),
        ("user", "Add a museum"),
        (
            "assistant",
            "```python\nprint(opening_hours())\n```\n\nMusée des Confluences, open 10:30 to 18:30.",
        ),
    ]
    reply = thread[-1]
    assert reply.reasoning == "**Choosing**\n\nConfluences is near the rivers."
    assert reply.created_at == moment(T0 + 41)  # when the turn started
    assert [m.created_at for m in thread[:3]] == [moment(T0 + 10), moment(T0 + 20), moment(T0 + 40)]

    # The regenerated answer and the edited question are branches beside them.
    assert [store.get_message(i).content for i in store.siblings(thread[1].id)] == [  # type: ignore[union-attr]
        "Visit Fourvière hill.",
        "Walk along the Saône.",
    ]
    edited = [store.get_message(i) for i in store.siblings(thread[2].id)]
    assert [m.content for m in edited if m] == ["Add a museum", "Add a museum and a bouchon"]
    edit_branch = store.thread(cid, store.latest_leaf(cid, below=edited[1].id if edited[1] else None))
    assert edit_branch[-1].content == "Lunch at a bouchon, then the museum."
    assert edit_branch[-1].created_at == moment(T0 + 50)  # no time of its own: its question's

    photo_branch = store.thread(cid, store.latest_leaf(cid, below=store.siblings(thread[1].id)[1]))
    assert contents(photo_branch)[2:] == [
        ("user", "[image not imported]\n\nWhat is this building?"),
        ("assistant", "The Basilica of Notre-Dame de Fourvière."),
    ]

    # Without a title or times: the first question names it and the messages date it.
    soup = by_title(store, "A quick soup?")
    soup_record = store.get_conversation(soup)
    assert soup_record is not None and soup_record.system_prompt == "Vegetarian."
    assert (soup_record.created_at, soup_record.updated_at) == (moment(T0 + 100), moment(T0 + 120))
    assert contents(store.thread(soup)) == [("user", "A quick soup?"), ("assistant", "Tomato soup.")]

    # Found by search at once: replies, reasoning and titles.
    assert [(h.conversation_id, h.role) for h in store.search("Confluences")] == [(cid, "assistant")]
    assert [h.message_id for h in store.search("basilica")] == [photo_branch[-1].id]
    [title_hit] = store.search("trip planning")
    assert (title_hit.role, title_hit.message_id) == ("title", thread[0].id)


def test_conversations_json_alone_is_imported_too(store: HistoryStore, tmp_path: Path) -> None:
    file = tmp_path / "conversations.json"
    file.write_text(json.dumps([recipe()]), encoding="utf-8")
    summary = import_file(store, file)
    assert summary.describe() == "Imported 1 conversation (3 messages) from conversations.json."


def test_children_lists_holding_other_things_than_ids_are_passed_over(
    store: HistoryStore, tmp_path: Path
) -> None:
    # Found by the soak: a list inside "children" made the importer fail with a TypeError. The tree comes
    # from the parents; "children" only gives the order, so odd entries in it are ignored.
    damaged = recipe()
    damaged["mapping"]["q"]["children"] = [[], {"id": "y"}, 7, None, *damaged["mapping"]["q"]["children"]]
    file = tmp_path / "conversations.json"
    file.write_text(json.dumps([damaged]), encoding="utf-8")
    summary = import_file(store, file)
    assert summary.describe() == "Imported 1 conversation (3 messages) from conversations.json."


def test_a_zip_in_shards_or_a_folder_is_read(store: HistoryStore, tmp_path: Path) -> None:
    path = tmp_path / "split.zip"
    with zipfile.ZipFile(path, "w") as export:
        export.writestr("export/conversations-001.json", json.dumps([recipe()]))
        export.writestr("export/conversations-000.json", json.dumps([trip()]))
    assert len(import_file(store, path).conversation_ids) == 2
    nested = write_zip(tmp_path / "nested.zip", [recipe()], inner="ChatGPT/conversations.json")
    assert len(import_file(store, nested).conversation_ids) == 1


def test_tool_calls_with_their_answers_never_lose_the_answer(store: HistoryStore, tmp_path: Path) -> None:
    nodes = {
        "q": (None, message("user", text("Weather in Paris?"), T0)),
        "call": ("q", message("assistant", text("search('weather paris')"), T0 + 1, recipient="browser")),
        "out": ("call", message("tool", text("Sunny, 21 °C"), T0 + 2)),
        "preamble": ("out", message("assistant", text("Checking the forecast…"), T0 + 3)),
        "answer": ("preamble", message("assistant", text("Sunny and 21 °C."), T0 + 4)),
        "analysis": (
            "answer",
            message("assistant", text("the user may want more"), T0 + 5, channel="analysis"),
        ),
        "cut": (
            "analysis",
            message("assistant", {"content_type": "hologram", "payload": 3}, T0 + 6, status="in_progress"),
        ),
    }
    file = tmp_path / "conversations.json"
    file.write_text(json.dumps([conversation("Weather", nodes, current="cut")]), encoding="utf-8")
    summary = import_file(store, file)
    assert summary.left_out == (("tool call", 1), ("tool message", 1), ("other item", 1))
    [question, reply] = store.thread(by_title(store, "Weather"))
    assert question.content == "Weather in Paris?"
    assert reply.content == "Checking the forecast…\n\nSunny and 21 °C.\n\n[hologram not imported]"
    assert reply.reasoning == "the user may want more"
    assert reply.status == "stopped"


def test_uploaded_files_leave_a_note(store: HistoryStore, tmp_path: Path) -> None:
    attached = {
        "attachments": [
            {"name": "report.pdf", "mime_type": "application/pdf"},
            {"name": "a.png", "mimeType": "image/png"},
        ]
    }
    nodes = {"q": (None, message("user", text("Summarise this"), T0, metadata=attached))}
    file = tmp_path / "conversations.json"
    file.write_text(json.dumps([conversation("Report", nodes, current="q")]), encoding="utf-8")
    assert import_file(store, file).left_out == (("file", 1),)
    [question] = store.thread(by_title(store, "Report"))
    assert question.content == "Summarise this\n\n[file not imported: report.pdf]"


# -- damaged exports ---------------------------------------------------------------------------------


def damaged_cases(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good = write_zip(tmp_path / "good.zip", [trip(), recipe()])
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    no_conversations = tmp_path / "photos.zip"
    with zipfile.ZipFile(no_conversations, "w") as export:
        export.writestr("chat.html", "<html></html>")
    cut_json = tmp_path / "cut.zip"
    with zipfile.ZipFile(cut_json, "w") as export:
        export.writestr("conversations.json", json.dumps([trip()])[:-200])
    bad_parent = trip()
    bad_parent["mapping"]["u2"]["parent"] = 12
    wrong_type = write_zip(tmp_path / "wrong-type.zip", [recipe(), bad_parent])
    loop = recipe()
    loop["mapping"]["q"]["parent"] = "y"
    looping = write_zip(tmp_path / "loop.zip", [loop])
    no_tree = write_zip(tmp_path / "no-tree.zip", [recipe(), {"title": "x", "mapping": None}])
    return {
        "truncated zip": (truncated, "truncated.zip is a damaged or incomplete zip file"),
        "no conversations.json": (no_conversations, "photos.zip holds no conversations.json"),
        "cut conversations.json": (cut_json, "conversations.json is incomplete"),
        "a parent that is a number": (
            wrong_type,
            "conversations.json: conversation 2 is damaged: it has a node whose",
        ),
        "a loop of parents": (looping, "conversation 1 is damaged: it has messages whose parents loop"),
        "no message tree": (no_tree, "conversation 2 is damaged: it has no message tree"),
    }


CASES = [
    "truncated zip",
    "no conversations.json",
    "cut conversations.json",
    "a parent that is a number",
    "a loop of parents",
    "no message tree",
]


@pytest.mark.parametrize("case", CASES)
def test_a_damaged_export_changes_nothing(store: HistoryStore, tmp_path: Path, case: str) -> None:
    import_file(store, write_zip(tmp_path / "earlier.zip", [recipe()]))
    before = snapshot(store)
    path, expected = damaged_cases(tmp_path)[case]
    with pytest.raises(TransferError) as raised:
        import_file(store, path)
    assert expected in str(raised.value)
    assert "\n" not in str(raised.value)
    assert snapshot(store) == before


def test_a_zip_bomb_is_refused_before_it_is_read(
    store: HistoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as export:
        export.writestr("conversations.json", "[" + " " * 5_000_000 + "]")  # 5 MB of spaces in a few KB
    assert bomb.stat().st_size < 50_000
    monkeypatch.setattr(archive, "MAX_READ_BYTES", 1_000_000)
    with pytest.raises(TransferError, match=r"bomb\.zip would unpack to more than 1.0 MB"):
        import_file(store, bomb)
    plain = tmp_path / "conversations.json"
    plain.write_text("[" + " " * 2_000_000 + "]", encoding="utf-8")
    with pytest.raises(TransferError, match=r"conversations\.json is larger than 1.0 MB"):
        import_file(store, plain)
    assert snapshot(store) == []


def test_a_zip_that_lies_about_its_size_is_refused(
    store: HistoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    liar = tmp_path / "liar.zip"
    with zipfile.ZipFile(liar, "w", compression=zipfile.ZIP_STORED) as export:
        export.writestr("conversations.json", "[" + " " * 300_000 + "]")
    data = bytearray(liar.read_bytes())
    # Claim 10 bytes in the central directory (the size zipfile trusts before reading).
    directory = data.rindex(b"PK\x01\x02")
    data[directory + 24 : directory + 28] = (10).to_bytes(4, "little")
    liar.write_bytes(bytes(data))
    monkeypatch.setattr(archive, "MAX_READ_BYTES", 100_000)
    # zipfile reads no more than the size claimed, and the checksum then tells the lie.
    with pytest.raises(TransferError, match=r"liar\.zip is a damaged or incomplete zip file"):
        import_file(store, liar)
    assert snapshot(store) == []


def test_a_missing_file_or_a_folder_is_one_plain_line(store: HistoryStore, tmp_path: Path) -> None:
    with pytest.raises(TransferError, match="was not found"):
        import_file(store, tmp_path / "nowhere.zip")
    with pytest.raises(TransferError, match="is a folder"):
        import_file(store, tmp_path)
