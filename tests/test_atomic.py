"""The one way Hearth writes its small JSON files (whole or not at all) and reads them back."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from app.atomic import read_json, write_json, write_text


def test_a_write_replaces_the_file_and_leaves_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "state.json"
    write_json(path, {"b": 1, "a": [1, 2]})
    write_json(path, {"b": 2})
    assert json.loads(path.read_text(encoding="utf-8")) == {"b": 2}
    assert [p.name for p in path.parent.iterdir()] == ["state.json"]


def test_a_failed_write_keeps_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    write_json(path, {"kept": True})
    with pytest.raises(TypeError):
        write_json(path, {"broken": object()})  # fails halfway through writing
    assert json.loads(path.read_text(encoding="utf-8")) == {"kept": True}
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


LOG = logging.getLogger("hearth.test")


def test_read_json_returns_what_was_written(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    write_json(path, {"a": [1, 2], "b": None})
    assert read_json(path, {}, log=LOG, instead="x") == {"a": [1, 2], "b": None}
    path.write_text("[1, 2]", encoding="utf-8")
    assert read_json(path, {}, log=LOG, instead="x") == [
        1,
        2,
    ]  # any JSON value; checking it is the caller's job


def test_read_json_of_a_missing_file_is_the_default_quietly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    default = {"fresh": True}
    with caplog.at_level(logging.DEBUG):
        assert read_json(tmp_path / "nope.json", default, log=LOG, instead="x") is default
    assert caplog.records == []


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe garbage", b"", b"[" * 100_000 + b"]" * 100_000])
def test_read_json_of_a_damaged_file_is_the_default_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes
) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(content)
    with caplog.at_level(logging.INFO, logger="hearth.test"):
        assert read_json(path, None, log=LOG, level=logging.WARNING, instead="using defaults") is None
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith(f"{path} unreadable (")
    assert record.getMessage().endswith("; using defaults")


def test_read_json_of_a_folder_is_the_default_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="hearth.test"):
        assert read_json(tmp_path, [], log=LOG, instead="starting afresh") == []
    assert [r.levelno for r in caplog.records] == [logging.INFO]


def test_a_text_file_is_replaced_whole(tmp_path: Path) -> None:
    path = tmp_path / "out" / "chat.md"
    write_text(path, "old")
    write_text(path, "# Ünïcode\n")
    assert path.read_bytes() == "# Ünïcode\n".encode()
    assert [p.name for p in path.parent.iterdir()] == ["chat.md"]
