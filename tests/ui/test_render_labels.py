"""The window passes the renderer its words translated by Qt."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from app.render import Labels
from app.ui import render_labels, reply_widget
from app.ui.chat_view import ChatView


def test_untranslated_labels_are_the_english_defaults() -> None:
    assert render_labels.render_labels() == Labels()


def test_labels_come_from_the_render_context(monkeypatch: pytest.MonkeyPatch) -> None:
    def translate(context: str, text: str, *_: object) -> str:
        return f"{context}/{text}"

    monkeypatch.setattr(QCoreApplication, "translate", translate)
    assert render_labels.render_labels() == Labels("Render/Copy", "Render/image", "Render/[image: {alt}]")


def test_replies_are_rendered_with_the_window_labels(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reply_widget, "render_labels", lambda: Labels(copy="Kopieren"))
    view = ChatView()
    qtbot.addWidget(view)
    reply = view.begin_reply(2)
    reply.append_answer("```sh\nls\n```")
    reply.render_now()
    assert "Kopieren" in reply.answer_view.toPlainText()
