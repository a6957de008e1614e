"""The one way Hearth writes its small JSON files: whole or not at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.atomic import write_json


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
