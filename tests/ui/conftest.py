"""Fixtures the window's tests share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.fixtures.window import Harness


@pytest.fixture
def harness(qtbot: QtBot, tmp_path: Path) -> Iterator[Harness]:
    """A whole window on a fresh history file in this test's folder, closed in order afterwards."""
    opened = Harness(qtbot, tmp_path / "history.sqlite3", tmp_path / "settings.json")
    yield opened
    opened.close()
