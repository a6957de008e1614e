"""Settings (Ctrl+,) on a real window: changed values are saved and put into effect without a restart."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QMessageBox
from pytestqt.qtbot import QtBot

from app.config import Settings, load_settings
from app.models.secrets import clear_token, get_token
from app.ui.colours import palette_is_dark
from app.ui.settings_window import SettingsWindow
from app.ui.user_message import UserMessageWidget
from tests.fixtures.tiny_models import TinyModel
from tests.fixtures.window import Harness

pytestmark = pytest.mark.usefixtures("themed_app")
TIMEOUT_MS = 30_000


def open_settings(harness: Harness) -> SettingsWindow:
    window = harness.window
    window.activateWindow()
    harness.qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # shortcuts go to the active one
    QTest.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.settings_window
    assert dialog is not None and dialog.isVisible(), "Ctrl+, opens Settings"
    return dialog


def saved(harness: Harness) -> Settings:
    harness.window.settings.wait_for_saves()
    return load_settings(harness.window.settings.path)


def test_appearance_is_saved_and_applied_at_once(
    harness: Harness, qapp: QApplication, screenshots: Path
) -> None:
    cid = harness.store.create_conversation("Sizes")
    harness.store.add_message(cid, "user", "How large is this text?")
    harness.window.open_conversation(cid)
    chat = harness.window.chat_view
    harness.qtbot.waitUntil(lambda: len(chat.messages) == 1, timeout=TIMEOUT_MS)
    (question,) = chat.messages
    assert isinstance(question, UserMessageWidget)
    message = question.text_view
    message_size = message.font().pointSizeF()
    dialog = open_settings(harness)
    dialog.show_section("appearance")
    page = dialog.appearance_page
    page.theme.setCurrentIndex(page.theme.findData("dark"))
    page.text_scale.setValue(130)
    page.chat_width.setCurrentIndex(page.chat_width.findData("wide"))
    column = harness.window.chat_view._column
    size_before = column.font().pointSizeF()
    QTest.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)

    assert palette_is_dark(qapp.palette()), "the theme changed without a restart"
    assert column.font().pointSizeF() == pytest.approx(size_before * 1.3)
    assert message.font().pointSizeF() == pytest.approx(message_size * 1.3), "the messages' text grew"
    assert column.maximumWidth() == 1060
    stored = saved(harness)
    assert (stored.theme, stored.text_scale, stored.chat_width) == ("dark", 130, "wide")
    assert dialog.isVisible(), "Apply keeps the window open"
    assert dialog.grab().save(str(screenshots / "settings-appearance-dark.png"))
    dialog.reject()


def test_model_settings_reload_the_model_with_the_new_context(
    harness: Harness, plain_model: TinyModel, screenshots: Path
) -> None:
    harness.load(plain_model.path)
    assert harness.service.model_info is not None and harness.service.model_info.n_ctx == 4096
    dialog = open_settings(harness)
    page = dialog.model_page
    labels = [page.context.itemText(i) for i in range(page.context.count())]
    assert any("of memory with this model" in label for label in labels), labels
    assert page.context.currentData() == 4096
    assert dialog.grab().save(str(screenshots / "settings.png"))

    page.context.setCurrentIndex(page.context.findData(2048))
    page.temperature.use_default.setChecked(False)
    temperature = page.temperature.spin
    assert isinstance(temperature, QDoubleSpinBox) and temperature.isEnabled()
    temperature.setValue(0.3)
    page.max_tokens.use_default.setChecked(False)
    page.max_tokens.spin.setValue(512)
    with harness.qtbot.waitSignal(harness.service.loaded, timeout=TIMEOUT_MS) as reloaded:
        QTest.mouseClick(
            dialog.button_box.button(dialog.button_box.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    assert not dialog.isVisible()
    assert reloaded.args is not None and reloaded.args[0].n_ctx == 2048
    stored = saved(harness)
    assert (stored.n_ctx, stored.temperature, stored.max_tokens) == (2048, 0.3, 512)
    assert stored.active_model == str(plain_model.path), "the model chosen meanwhile is kept"
    defaults = harness.service.worker.reply_defaults
    assert (defaults.temperature, defaults.max_tokens) == (0.3, 512)


def test_cancel_changes_nothing(harness: Harness, qapp: QApplication) -> None:
    dialog = open_settings(harness)
    dialog.appearance_page.theme.setCurrentIndex(dialog.appearance_page.theme.findData("dark"))
    dialog.model_page.context.setCurrentIndex(dialog.model_page.context.findData(16384))
    dialog.reject()
    assert not palette_is_dark(qapp.palette())
    assert harness.window.settings.settings == Settings(n_ctx=4096)
    assert not harness.window.settings.path.exists(), "nothing was written"


def test_the_default_effort_is_where_a_new_conversation_starts(harness: Harness) -> None:
    dialog = open_settings(harness)
    effort = dialog.model_page.effort
    effort.setCurrentIndex(effort.findData("high"))
    dialog.accept()
    bar = harness.window.model_bar
    assert bar.current_effort() == "high", "the empty conversation on screen starts there too"
    bar.set_effort("low")  # this conversation's own choice
    harness.window.new_chat()
    assert bar.current_effort() == "high"


def test_the_window_opens_with_the_default_effort(qtbot: QtBot, tmp_path: Path) -> None:
    opened = Harness(
        qtbot, tmp_path / "h.sqlite3", tmp_path / "s.json", settings=Settings(reasoning_effort="high")
    )
    try:
        assert opened.window.model_bar.current_effort() == "high"
    finally:
        opened.close()


def test_delete_all_conversations_is_confirmed_and_leaves_nothing(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    for title in ("one", "two"):
        cid = harness.store.create_conversation(title)
        harness.store.add_message(cid, "user", f"secret {title}")
    harness.window.refresh_conversations()
    harness.qtbot.waitUntil(lambda: len(harness.window.sidebar.conversation_ids()) == 2, timeout=TIMEOUT_MS)
    dialog = open_settings(harness)
    dialog.show_section("privacy")
    page = dialog.privacy_page

    monkeypatch.setattr(QMessageBox, "warning", lambda *_args: QMessageBox.StandardButton.Cancel)
    QTest.mouseClick(page.delete_all, Qt.MouseButton.LeftButton)
    assert len(harness.store.list_conversations()) == 2, "Cancel keeps everything"

    monkeypatch.setattr(QMessageBox, "warning", lambda *_args: QMessageBox.StandardButton.Yes)
    QTest.mouseClick(page.delete_all, Qt.MouseButton.LeftButton)
    harness.qtbot.waitUntil(page.history_state.isVisible, timeout=TIMEOUT_MS)
    assert page.history_state.text() == "Deleted 2 conversations."
    assert harness.store.list_conversations() == []
    harness.qtbot.waitUntil(lambda: harness.window.sidebar.conversation_ids() == [], timeout=TIMEOUT_MS)


def test_the_token_is_saved_and_removed_from_settings(harness: Harness) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]  # headless: no keyring service
    try:
        page = open_settings(harness).privacy_page
        harness.qtbot.waitUntil(lambda: "No token" in page.token_state.text(), timeout=TIMEOUT_MS)
        assert not page.save_token.isEnabled(), "nothing to save yet"
        QTest.keyClicks(page.token, "hf_secret")
        QTest.mouseClick(page.save_token, Qt.MouseButton.LeftButton)
        harness.qtbot.waitUntil(lambda: "no keyring" in page.token_state.text(), timeout=TIMEOUT_MS)
        assert get_token() == "hf_secret" and page.token.text() == ""
        QTest.mouseClick(page.remove_token, Qt.MouseButton.LeftButton)
        harness.qtbot.waitUntil(lambda: "No token" in page.token_state.text(), timeout=TIMEOUT_MS)
        assert get_token() is None
        assert "hf_secret" not in json.dumps(vars(saved(harness))), "the token never reaches settings.json"
    finally:
        clear_token()
        keyring.set_keyring(previous)


def test_a_new_language_says_it_takes_a_restart(harness: Harness) -> None:
    page = open_settings(harness).language_page
    page.language.setCurrentIndex(page.language.findData("en"))
    assert page.restart_note.isHidden(), "English is on screen already"
    page.language.setCurrentIndex(page.language.findData("de"))
    assert not page.restart_note.isHidden()


def test_folders_are_shown_with_a_way_to_open_them(harness: Harness, tmp_path: Path) -> None:
    page = open_settings(harness).privacy_page
    texts = [label.text() for label in page.findChildren(type(page.token_state))]
    assert str(tmp_path) in texts, "the history's folder is named"
    assert any(str(Path(tmp_path) / "logs") == text for text in texts)


def test_the_automatic_context_says_what_it_chose(
    qtbot: QtBot, tmp_path: Path, plain_model: TinyModel
) -> None:
    opened = Harness(qtbot, tmp_path / "h.sqlite3", tmp_path / "s.json", settings=Settings())
    try:
        page = open_settings(opened).model_page
        assert page.context.currentData() == "auto", "automatic unless the user chooses"
        assert page.context.currentText() == "Automatic: the longest that fits this computer"
        assert opened.window.settings_window is not None
        opened.window.settings_window.reject()
        opened.load(plain_model.path)
        info = opened.service.model_info
        assert info is not None and info.n_ctx == plain_model.n_ctx_train, "the longest it was trained for"
        page = open_settings(opened).model_page
        assert page.context.currentText() == f"Automatic: now {info.n_ctx:,} tokens"
    finally:
        opened.close()
