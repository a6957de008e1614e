"""Fixtures the window's tests share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.config import Settings
from app.ui.chat_view import ChatView
from tests.fixtures.window import Harness


@pytest.fixture
def harness(qtbot: QtBot, tmp_path: Path) -> Iterator[Harness]:
    """A whole window on a fresh history file in this test's folder, closed in order afterwards."""
    opened = Harness(qtbot, tmp_path / "history.sqlite3", tmp_path / "settings.json")
    yield opened
    opened.close()


@pytest.fixture
def view(qtbot: QtBot) -> ChatView:
    """A chat view on its own, shown at a laptop window's size."""
    widget = ChatView()
    qtbot.addWidget(widget)
    widget.resize(820, 640)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def tool_harness(qtbot: QtBot, tmp_path: Path) -> Iterator[Harness]:
    """A whole window with the context the tool models need (8k: the browser's description is long).

    Turning Python on compiles the interpreter in the background, into HEARTH_HOME's cache: the test's.
    """
    opened = Harness(
        qtbot, tmp_path / "history.sqlite3", tmp_path / "settings.json", settings=Settings(n_ctx=8192)
    )
    yield opened
    opened.close()
