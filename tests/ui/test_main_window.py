"""The whole window on the real engine, a real history file and real widgets (offscreen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.config import Settings
from app.engine import Engine
from app.store import HistoryStore
from app.ui.main_window import MainWindow
from app.ui.theme import apply_theme, palette_for
from app.ui.workers import InferenceService
from tests.fixtures.tiny_models import TinyModel, build_random_llama, write_not_a_gguf
from tests.fixtures.window import Harness

# `make screenshots` sets this to docs/screenshots; otherwise the grabs go to a temporary folder.
pytestmark = pytest.mark.usefixtures("themed_app")


def test_empty_window_asks_for_a_model_and_keeps_the_text(harness: Harness, screenshots: Path) -> None:
    assert harness.window.grab().save(str(screenshots / "empty.png"))
    harness.type_and_send("Hello?")
    assert harness.window.banner.isVisible()
    assert "Choose a model first" in harness.window.banner.message.text()
    assert harness.window.composer.input.toPlainText() == "Hello?", "nothing typed is lost"
    assert harness.store.list_conversations() == []


def test_a_conversation_with_reasoning(harness: Harness, harmony_model: TinyModel, screenshots: Path) -> None:
    harness.load(harmony_model.path)
    bar = harness.window.model_bar
    assert harmony_model.path.stem in bar.picker.currentText()
    assert bar.picker.current_path == harmony_model.path
    assert bar.effort.isVisibleTo(harness.window), "gpt-oss style models show the effort picker"
    harness.ask("Hi there!")
    answer, reasoning = harness.last_reply()
    assert answer == harmony_model.expected_answer
    assert reasoning == harmony_model.expected_reasoning
    assert harness.window.composer.button.text() == "Send"
    assert harness.window.composer.input.toPlainText() == ""
    (conversation,) = harness.store.list_conversations()
    # The sidebar reads the list in the background: it may arrive a moment after the reply ends.
    harness.qtbot.waitUntil(
        lambda: harness.window.sidebar.conversation_ids() == [conversation.id], timeout=30_000
    )
    # The question's first words are the title at once; then the model writes one, in the background.
    model_title = "Hello there! How can I help you today"

    def titled() -> bool:
        item = harness.window.sidebar.list.item_for(conversation.id)
        return item is not None and item.text() == model_title

    harness.qtbot.waitUntil(titled, timeout=30_000)
    stored = harness.store.get_conversation(conversation.id)
    assert stored is not None and stored.title == model_title
    assert bar.context.value() > 0
    reply = harness.window.chat_view.reply(harness.store.thread(conversation.id)[-1].id)
    assert reply is not None
    reply.set_reasoning_expanded(True)
    assert harness.window.grab().save(str(screenshots / "conversation.png"))


def test_plain_model_hides_the_effort_picker(harness: Harness, plain_model: TinyModel) -> None:
    harness.load(plain_model.path)
    assert not harness.window.model_bar.effort.isVisibleTo(harness.window)
    harness.ask("Hi!")
    answer, reasoning = harness.last_reply()
    assert (answer, reasoning) == (plain_model.expected_answer, "")


def test_stop_button_and_escape_stop_a_reply(harness: Harness, tmp_path: Path) -> None:
    endless = build_random_llama(tmp_path / "endless.gguf", n_embd=128, n_layer=2, n_ff=256)
    harness.load(endless)
    with harness.qtbot.waitSignal(harness.service.reply_event, timeout=30_000):
        harness.type_and_send("Go on forever")
    assert harness.window.composer.button.text() == "Stop"
    with harness.qtbot.waitSignal(harness.service.reply_finished, timeout=30_000) as finished:
        QTest.keyClick(harness.window.composer.input, Qt.Key.Key_Escape)
    assert finished.args is not None
    result = finished.args[0]
    assert result.status == "stopped"
    stored = harness.store.get_message(result.reply_message_id)
    assert stored is not None and stored.status == "stopped" and stored.content
    assert harness.window.composer.button.text() == "Send"


def test_history_survives_a_restart(qtbot: QtBot, tmp_path: Path, harmony_model: TinyModel) -> None:
    first = Harness(qtbot, tmp_path / "history.sqlite3", tmp_path / "settings.json")
    first.load(harmony_model.path)
    first.ask("Remember me")
    conversation = first.window.conversation_id
    first.close()

    second = Harness(qtbot, tmp_path / "history.sqlite3", tmp_path / "settings.json")
    try:
        qtbot.waitUntil(lambda: second.window.sidebar.conversation_ids() == [conversation])
        second.window.open_conversation(conversation or -1)
        thread = second.store.thread(conversation or -1)
        qtbot.waitUntil(lambda: second.window.chat_view.reply(thread[-1].id) is not None)
        widget = second.window.chat_view.reply(thread[-1].id)
        assert widget is not None
        assert widget.answer_text == harmony_model.expected_answer
        assert widget.reasoning_text == harmony_model.expected_reasoning
        assert widget.status == "done"
    finally:
        second.close()


def test_hostile_reply_renders_inert(harness: Harness) -> None:
    conversation = harness.store.create_conversation("hostile")
    question = harness.store.add_message(conversation, "user", "show me")
    hostile = '<script>alert(1)</script> <img src=x onerror="alert(2)"> [click](javascript:alert(3))'
    reply_id = harness.store.add_message(conversation, "assistant", hostile, parent_id=question)
    harness.window.open_conversation(conversation)
    harness.qtbot.waitUntil(lambda: harness.window.chat_view.reply(reply_id) is not None)
    widget = harness.window.chat_view.reply(reply_id)
    assert widget is not None
    html = widget.answer_view.toHtml().lower()
    assert "<script" not in html
    assert "<img" not in html
    assert "javascript:" not in html
    assert "alert(1)" in widget.answer_view.toPlainText(), "the text is shown, not run"


def test_a_model_that_fails_to_load_leaves_the_app_working(
    harness: Harness, tmp_path: Path, plain_model: TinyModel
) -> None:
    with harness.qtbot.waitSignal(harness.service.load_failed, timeout=30_000):
        harness.window.load_model(str(write_not_a_gguf(tmp_path / "broken.gguf")))
    assert harness.window.banner.isVisible()
    assert "not a GGUF" in harness.window.banner.message.text()
    assert "Traceback" not in harness.window.banner.message.text()
    harness.load(plain_model.path)
    assert not harness.window.banner.isVisible()
    harness.ask("Hi!")
    assert harness.last_reply()[0] == plain_model.expected_answer


def test_closing_mid_reply_keeps_it_as_stopped(qtbot: QtBot, tmp_path: Path) -> None:
    endless = build_random_llama(tmp_path / "endless.gguf", n_embd=128, n_layer=2, n_ff=256)
    harness = Harness(qtbot, tmp_path / "history.sqlite3", tmp_path / "settings.json")
    harness.load(endless)
    with qtbot.waitSignal(harness.service.reply_event, timeout=30_000):
        harness.type_and_send("Keep talking")
    harness.window.close()
    assert harness.service.shutdown(timeout_ms=2000)
    conversation = harness.window.conversation_id
    harness.store.close()
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        reply = store.thread(conversation or -1)[-1]
    assert reply.role == "assistant"
    assert reply.status == "stopped"
    assert reply.content


def test_dark_theme_screenshot(
    qtbot: QtBot, tmp_path: Path, harmony_model: TinyModel, screenshots: Path
) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    original = app.palette()
    apply_theme(app, "dark")
    try:
        harness = Harness(qtbot, tmp_path / "history.sqlite3", tmp_path / "settings.json")
        harness.load(harmony_model.path)
        harness.ask("What is a hearth?")
        assert (
            harness.window.palette().color(harness.window.backgroundRole())
            == palette_for(True).window().color()
        )
        assert harness.window.grab().save(str(screenshots / "dark.png"))
        harness.close()
    finally:
        app.setPalette(original)
        app.setStyleSheet("")


def test_switching_conversation_mid_reply_stops_it_and_keeps_the_text(
    harness: Harness, tmp_path: Path
) -> None:
    other = harness.store.create_conversation("earlier chat")
    question = harness.store.add_message(other, "user", "an old question")
    harness.store.add_message(other, "assistant", "an old answer", parent_id=question)
    endless = build_random_llama(tmp_path / "endless.gguf", n_embd=128, n_layer=2, n_ff=256)
    harness.load(endless)
    with harness.qtbot.waitSignal(harness.service.reply_event, timeout=30_000):
        harness.type_and_send("Talk for a long time")
    streaming = harness.window.conversation_id
    with harness.qtbot.waitSignal(harness.service.reply_finished, timeout=30_000) as finished:
        harness.window.open_conversation(other)
    assert finished.args is not None
    assert finished.args[0].status == "stopped"
    assert harness.window.conversation_id == other
    harness.qtbot.waitUntil(lambda: len(harness.window.chat_view.messages) == 2)
    stopped = harness.store.thread(streaming or -1)[-1]
    assert stopped.status == "stopped"
    assert stopped.content
    assert harness.window.composer.button.text() == "Send"


def test_ctrl_n_starts_a_new_chat_and_regenerate_adds_a_branch(
    harness: Harness, plain_model: TinyModel
) -> None:
    harness.load(plain_model.path)
    harness.ask("Hi!")
    conversation = harness.window.conversation_id
    assert conversation is not None
    first_reply = harness.store.thread(conversation)[-1]
    with harness.qtbot.waitSignal(harness.service.reply_finished, timeout=30_000):
        harness.window.chat_view.regenerate_requested.emit(first_reply.id)
    thread = harness.store.thread(conversation)
    assert [m.role for m in thread] == ["user", "assistant"]
    assert thread[-1].id != first_reply.id
    assert harness.store.siblings(thread[-1].id) == [first_reply.id, thread[-1].id]
    QTest.keyClick(harness.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert harness.window.conversation_id is None
    assert harness.window.chat_view.messages == ()


def test_every_control_has_an_accessible_name(harness: Harness, harmony_model: TinyModel) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QListWidget, QPlainTextEdit, QProgressBar

    harness.load(harmony_model.path)
    harness.ask("Hi!")
    controls = [
        widget
        for kind in (QAbstractButton, QComboBox, QListWidget, QPlainTextEdit, QProgressBar)
        for widget in harness.window.findChildren(kind)
        if widget.isVisibleTo(harness.window)
    ]
    assert len(controls) > 8
    unnamed = [type(w).__name__ for w in controls if not w.accessibleName()]
    assert unnamed == []


def test_sending_while_the_model_loads_says_so_and_keeps_the_text(
    harness: Harness, plain_model: TinyModel
) -> None:
    composer = harness.window.composer.input
    QTest.keyClicks(composer, "Too early")
    with harness.qtbot.waitSignal(harness.service.loaded, timeout=30_000):
        harness.window.load_model(str(plain_model.path))
        # No event loop runs between these lines, so the worker cannot have finished the load.
        QTest.keyClick(composer, Qt.Key.Key_Return)
        assert "still loading" in harness.window.banner.message.text()
        assert composer.toPlainText() == "Too early"
    assert harness.store.list_conversations() == []


MARKDOWN_REPLY = """Use **`sorted`** with a `key` function:

```python
people = [{"name": "Ada", "age": 36}, {"name": "Alan", "age": 41}]
by_age = sorted(people, key=lambda p: p["age"])
```

| method | in place | returns |
|---|---|---|
| `sorted(xs)` | no | new list |
| `xs.sort()` | yes | `None` |

1. Use `operator.itemgetter("age")` for speed.
2. Add `reverse=True` for descending order.

See <https://docs.python.org/3/howto/sorting.html>. <script>alert(1)</script>
"""


def test_stored_markdown_reply_renders_code_tables_and_links(harness: Harness, screenshots: Path) -> None:
    conversation = harness.store.create_conversation("Sorting in Python")
    question = harness.store.add_message(conversation, "user", "How do I sort a list of dicts by a key?")
    reply_id = harness.store.add_message(
        conversation,
        "assistant",
        MARKDOWN_REPLY,
        parent_id=question,
        reasoning="The user wants to sort by a key. Show sorted() with key= and compare it with list.sort().",
        stats={
            "prompt_tokens": 120,
            "completion_tokens": 160,
            "ttft_s": 0.42,
            "decode_tok_s": 31.5,
            "finish_reason": "stop",
            "cached_tokens": 0,
            "dropped_messages": 0,
        },
    )
    harness.window.open_conversation(conversation)
    harness.qtbot.waitUntil(lambda: harness.window.chat_view.reply(reply_id) is not None)
    widget = harness.window.chat_view.reply(reply_id)
    assert widget is not None
    html = widget.answer_view.toHtml()
    assert "<table" in html
    assert 'href="https://docs.python.org/3/howto/sorting.html"' in html
    assert "<script" not in html.lower()
    text = widget.answer_view.toPlainText()
    assert 'by_age = sorted(people, key=lambda p: p["age"])' in text
    assert "<script>alert(1)</script>" in text
    assert "31.5 tok/s" in widget.stats_label.text()
    harness.qtbot.waitUntil(lambda: harness.window.sidebar.conversation_ids() == [conversation])
    assert harness.window.grab().save(str(screenshots / "markdown.png"))


def drop_files(window: MainWindow, *paths: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    centre = QPointF(window.rect().center())
    enter = QDragEnterEvent(
        centre.toPoint(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted() == any(str(p).endswith(".gguf") for p in paths)
    drop = QDropEvent(
        centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, drop)


def test_dropping_a_gguf_imports_and_loads_it(qtbot: QtBot, tmp_path: Path, plain_model: TinyModel) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    service = InferenceService(Engine(), store)
    models_dir = tmp_path / "models"
    window = MainWindow(
        store=store,
        inference=service,
        settings=Settings(n_ctx=2048, active_model=str(plain_model.path)),
        settings_path=tmp_path / "settings.json",
        models_dir=models_dir,
        data_root=tmp_path,
    )
    qtbot.addWidget(window)
    window.show()
    try:
        drop_files(window, tmp_path / "notes.txt")  # not a model: refused at the door
        with qtbot.waitSignal(service.loaded, timeout=30_000) as loaded:
            drop_files(window, plain_model.path)
        assert loaded.args is not None
        assert loaded.args[0].path == models_dir / plain_model.path.name
        assert (models_dir / plain_model.path.name).read_bytes() == plain_model.path.read_bytes()
        broken = write_not_a_gguf(tmp_path / "broken.gguf")
        drop_files(window, broken)
        qtbot.waitUntil(window.banner.isVisible)
        assert "not a GGUF" in window.banner.message.text()
    finally:
        window.close()
        service.shutdown()
        store.close()
