"""The chat view on real widgets: streaming stays cheap, stored threads look as they did, links are safe."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QGuiApplication, QPalette, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.render import Rendered, render_markdown
from app.reply_stats import ReplyStats
from app.store import MessageRecord
from app.ui.chat_helpers import confirm_and_open, format_stats
from app.ui.chat_view import ChatView
from app.ui.message_text import MessageText
from app.ui.reply_widget import ReplyWidget
from app.ui.user_message import UserMessageWidget
from tests.fixtures.records import record

STATS = ReplyStats(
    prompt_tokens=900,
    cached_tokens=850,
    completion_tokens=812,
    ttft_s=0.35,
    decode_tok_s=62.3,
    finish_reason="stop",
    dropped_messages=0,
)
STOPPED = replace(STATS, finish_reason="cancelled")

SECTION = """## Part {n}

Steps for part {n}:
1. Open the **settings** with `Ctrl+,`.
2. Pick a model:
   - small ones are *fast*
   - big ones are smart

| Model | Size |
|:------|-----:|
| 20b | 12 GB |

```python
def part_{n}(x: int) -> int:
    return x * {n}
```

"""


def long_reply(sections: int = 12) -> str:
    return "".join(SECTION.format(n=n) for n in range(sections)) + "The end."


def pieces(text: str) -> list[str]:
    """Token-sized pieces, the way a model streams them."""
    return re.findall(r"\s*\S{1,4}", text)


def click(widget: QWidget, button: Qt.MouseButton, pos: QPoint | None = None) -> None:
    # QTest's own click, which is typed; pytest-qt's wrapper of it is not.
    if pos is None:
        QTest.mouseClick(widget, button)
    else:
        QTest.mouseClick(widget, button, Qt.KeyboardModifier.NoModifier, pos)


# QTest warns when a click lands on plain text, which a read-only view rightly leaves unhandled.
CLICK_ON_TEXT = pytest.mark.qt_log_ignore("Mouse event .* not accepted by receiving widget")


def click_text(qtbot: QtBot, text_view: MessageText, text: str) -> None:
    """Click the middle of the first occurrence of `text`, as a user would."""
    qtbot.waitUntil(lambda: text_view.isVisible() and text_view.width() > 100)
    found = text_view.document().find(text)
    assert not found.isNull(), f"{text!r} is not shown"
    cursor = QTextCursor(text_view.document())
    cursor.setPosition((found.selectionStart() + found.selectionEnd()) // 2)
    click(text_view.viewport(), Qt.MouseButton.LeftButton, pos=text_view.cursorRect(cursor).center())


# -- streaming ---------------------------------------------------------------------------------------


def test_streaming_renders_the_final_markdown_with_few_renders(qtbot: QtBot, view: ChatView) -> None:
    reply = view.begin_reply(2)
    text = long_reply(sections=30)
    chunks = pieces(text)
    assert len(chunks) >= 2000  # about a 2,000-token reply
    for chunk in chunks:
        reply.append_answer(chunk)
    assert reply.render_count == 0  # appending only schedules a render
    qtbot.waitUntil(lambda: "The end." in reply.answer_view.toPlainText())
    assert reply.render_count <= 2
    assert reply.answer_text == text
    assert len(reply.answer_view.code_blocks) == 30
    assert "```" not in reply.answer_view.toPlainText()


def test_streaming_in_bursts_renders_once_per_burst(qtbot: QtBot, view: ChatView) -> None:
    reply = view.begin_reply(2)
    chunks = pieces(long_reply())
    bursts = [chunks[i : i + 100] for i in range(0, len(chunks), 100)]
    for burst in bursts:
        before = reply.render_count
        for chunk in burst:
            reply.append_answer(chunk)
        qtbot.waitUntil(lambda before=before: reply.render_count > before)  # type: ignore[misc]
    assert reply.render_count == len(bursts)
    reply.finish("done", STATS)
    assert "The end." in reply.answer_view.toPlainText()


def test_a_streamed_reply_looks_exactly_like_the_same_reply_rendered_at_once(qtbot: QtBot) -> None:
    # Streaming appends and replaces parts of the document instead of setting it all again; the
    # result must be the same picture, to the pixel, as setting the whole HTML in one go.
    text = long_reply(sections=3) + "\n\n> a quote\n\n---\n\n1. a\n\n2. b\n\n    indented code\n\nend"
    whole, streamed = MessageText(), MessageText()
    for text_view in (whole, streamed):
        qtbot.addWidget(text_view)
        text_view.setFixedWidth(600)
        text_view.show()
    whole.document().setHtml(render_markdown(text).html)
    position, step = 0, 7
    while position < len(text):
        position = min(len(text), position + step)
        step = step % 53 + 11  # uneven pieces, so parts are cut in many different places
        streamed.show_rendered(render_markdown(text[:position]))
    assert streamed.toPlainText() == whole.toPlainText()
    qtbot.waitUntil(lambda: streamed.height() == whole.height())
    assert streamed.grab().toImage() == whole.grab().toImage()


def test_every_pair_of_blocks_appends_as_it_would_render_at_once(qtbot: QtBot) -> None:
    # Qt merges and splits blocks differently around tables, lists and rules; check each neighbour.
    blocks = [
        "```\ncode\n```",
        "para",
        "## head",
        "- item",
        "1. item",
        "> quote",
        "| a |\n|---|\n| 1 |",
        "---",
    ]
    whole, streamed = MessageText(), MessageText()
    for text_view in (whole, streamed):
        qtbot.addWidget(text_view)
        text_view.setFixedWidth(300)
    mismatches = []
    for first in blocks:
        for second in blocks:
            rendered = render_markdown(f"{first}\n\n{second}\n\n- last")
            whole.document().setHtml(rendered.html)
            streamed.show_rendered(Rendered("", (), ()))
            streamed.show_rendered(rendered)
            if streamed.toHtml() != whole.toHtml():
                mismatches.append((first, second))
    assert mismatches == []


def test_reasoning_collapses_when_the_answer_starts_and_reopens_on_click(
    qtbot: QtBot, view: ChatView
) -> None:
    reply = view.begin_reply(2)
    reply.append_reasoning("The user greets me. ")
    reply.append_reasoning("I should greet back.")
    qtbot.waitUntil(lambda: "greet back" in reply.reasoning_view.toPlainText())
    assert reply.reasoning_toggle.isVisible() and reply.reasoning_view.isVisible()
    assert reply.reasoning_toggle.text() == "Thinking…"

    reply.append_answer("Hello!")
    assert not reply.reasoning_view.isVisible()
    assert reply.reasoning_toggle.text() == "Reasoning"
    qtbot.waitUntil(lambda: "Hello!" in reply.answer_view.toPlainText())

    click(reply.reasoning_toggle, Qt.MouseButton.LeftButton)
    assert reply.reasoning_view.isVisible() and reply.reasoning_expanded
    reply.append_answer(" More.")  # the user opened it: more answer text leaves it open
    assert reply.reasoning_view.isVisible()
    click(reply.reasoning_toggle, Qt.MouseButton.LeftButton)
    assert not reply.reasoning_view.isVisible()


def test_no_raw_harmony_markers_or_empty_sections_without_reasoning(qtbot: QtBot, view: ChatView) -> None:
    reply = view.begin_reply(2)
    reply.append_answer("Plain answer")
    reply.finish("done", STATS)
    assert not reply.reasoning_toggle.isVisible()
    assert reply.answer_view.toPlainText() == "Plain answer"


def test_finish_shows_the_stats_line(view: ChatView) -> None:
    reply = view.begin_reply(2)
    assert reply.stats_label.text() == "Writing…"
    reply.append_answer("Hi")
    reply.finish("done", STATS)
    assert reply.stats_label.text() == "62.3 tok/s · first token 0.35 s · 812 tokens · done"
    assert "900" in reply.stats_label.toolTip()
    assert reply.answer_view.toPlainText() == "Hi"  # finish renders at once, without waiting


@pytest.mark.parametrize(
    ("status", "changes", "ending"),
    [
        ("stopped", {"finish_reason": "cancelled"}, "stopped"),
        ("done", {"finish_reason": "length"}, "hit the length limit"),
        ("error", {}, "error"),
    ],
)
def test_stats_line_says_why_the_reply_ended(status: str, changes: dict[str, Any], ending: str) -> None:
    assert format_stats(status, replace(STATS, **changes)).endswith(f"812 tokens · {ending}")


def test_stats_line_without_stats() -> None:
    assert format_stats("error", ReplyStats()) == "error"
    assert format_stats("stopped", ReplyStats()) == "stopped"
    assert format_stats("done", replace(STATS, completion_tokens=1)).startswith(
        "62.3 tok/s · first token 0.35 s · 1 token ·"
    )


def test_an_error_is_shown_in_plain_words(view: ChatView) -> None:
    reply = view.begin_reply(2)
    reply.finish("error", ReplyStats(), "The model ran out of memory. Close some apps and try again.")
    assert reply.error_label.isVisible()
    assert reply.error_label.text() == "The model ran out of memory. Close some apps and try again."
    assert reply.stats_label.text() == "error"
    assert not reply.copy_button.isVisible()  # nothing to copy


def test_dropped_messages_notice(view: ChatView) -> None:
    reply = view.begin_reply(2)
    reply.append_answer("Hi")
    reply.finish("done", replace(STATS, dropped_messages=3))
    assert reply.dropped_notice.isVisible()
    assert reply.dropped_notice.text() == "Dropped 3 earlier messages to fit"
    reply.set_dropped_messages(1)
    assert reply.dropped_notice.text() == "Dropped 1 earlier message to fit"


# -- stored threads -------------------------------------------------------------------------------------


def show_thread(qtbot: QtBot, view: ChatView, records: list[MessageRecord]) -> None:
    """set_thread, waiting for its first page (it is built a slice at a time)."""
    with qtbot.waitSignal(view.first_page_ready, timeout=10_000):
        view.set_thread(records)


def test_set_thread_shows_a_stored_thread(qtbot: QtBot, view: ChatView) -> None:
    assert view.placeholder.isVisible()
    show_thread(
        qtbot,
        view,
        [
            record(1, "user", "What is <b>2+2</b>? *really*"),
            record(2, "assistant", "It is **4**.", reasoning="Simple arithmetic.", stats=STATS.to_json()),
            record(3, "user", "And 5+5?"),
            record(4, "assistant", "", status="error", error="The model stopped working."),
            record(5, "user", "Try again"),
            record(
                6,
                "assistant",
                "It is 10",
                status="stopped",
                stats={**STATS.to_json(), "finish_reason": "cancelled"},
            ),
        ],
    )
    assert not view.placeholder.isVisible()
    first_user, first_reply, *_rest, last_reply = view.messages
    assert isinstance(first_user, UserMessageWidget)
    # The user's text is shown exactly as typed: not markdown, not HTML.
    assert first_user.text_view.toPlainText() == "What is <b>2+2</b>? *really*"
    assert isinstance(first_reply, ReplyWidget) and isinstance(last_reply, ReplyWidget)
    assert first_reply.answer_view.toPlainText() == "It is 4."
    assert first_reply.reasoning_toggle.isVisible() and not first_reply.reasoning_expanded
    first_reply.set_reasoning_expanded(True)
    assert first_reply.reasoning_view.toPlainText() == "Simple arithmetic."
    assert first_reply.stats_label.text().endswith("· done")
    error_reply = view.reply(4)
    assert error_reply is not None and error_reply.error_label.text() == "The model stopped working."
    assert last_reply.stats_label.text().endswith("· stopped")
    # Every reply can be written again (a new branch), but not while another is being written.
    assert last_reply.regenerate_button.isVisible() and first_reply.regenerate_button.isVisible()
    view.set_busy(True)
    assert not last_reply.regenerate_button.isVisible() and not first_reply.regenerate_button.isVisible()
    view.set_busy(False)
    assert first_reply.regenerate_button.isVisible()


def test_clear_brings_back_the_placeholder(view: ChatView) -> None:
    view.add_user_message(1, "hello")
    assert not view.placeholder.isVisible()
    view.clear()
    assert view.messages == ()
    assert view.placeholder.isVisible()
    assert (
        view.placeholder.text() == "Ask anything, or drop a document here. Everything stays on this computer."
    )


def test_regenerate_is_offered_on_finished_replies(qtbot: QtBot, view: ChatView) -> None:
    view.add_user_message(1, "hi")
    reply = view.begin_reply(2)
    reply.append_answer("hello")
    assert not reply.regenerate_button.isVisible()  # not while it is being written
    reply.finish("done", STATS)
    assert reply.regenerate_button.isVisible()
    with qtbot.waitSignal(view.regenerate_requested) as blocker:
        click(reply.regenerate_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [2]
    view.add_user_message(3, "next")
    view.set_busy(True)  # as the window does while the next reply is written
    later = view.begin_reply(4)
    assert not reply.regenerate_button.isVisible() and not later.regenerate_button.isVisible()
    later.finish("done", STATS)
    view.set_busy(False)
    assert reply.regenerate_button.isVisible() and later.regenerate_button.isVisible()


# -- copy and links -------------------------------------------------------------------------------------


def test_copy_buttons_put_the_text_on_the_clipboard(qtbot: QtBot, view: ChatView) -> None:
    user = view.add_user_message(1, "my *question*")
    reply = view.begin_reply(2)
    reply.append_answer("The **answer**.")
    reply.finish("done", STATS)
    clipboard = QGuiApplication.clipboard()
    click(reply.copy_button, Qt.MouseButton.LeftButton)
    assert clipboard.text() == "The **answer**."  # the markdown as written, ready to paste anywhere
    assert reply.copy_button.text() == "Copied"
    click(user.copy_button, Qt.MouseButton.LeftButton)
    assert clipboard.text() == "my *question*"


def test_copy_link_copies_its_code_block(qtbot: QtBot, view: ChatView) -> None:
    reply = view.begin_reply(2)
    reply.append_answer("First:\n\n```sh\necho one\n```\n\nSecond:\n\n```python\nprint('two')\n```\n")
    reply.finish("done", STATS)
    qtbot.waitUntil(lambda: reply.answer_view.width() > 100 and reply.answer_view.height() > 100)
    QGuiApplication.clipboard().clear()
    second_copy = reply.answer_view.document().find(
        "Copy", reply.answer_view.document().find("Second").position()
    )
    cursor = QTextCursor(reply.answer_view.document())
    cursor.setPosition(second_copy.selectionStart() + 2)
    point = reply.answer_view.cursorRect(cursor).center()
    click(reply.answer_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert QGuiApplication.clipboard().text() == "print('two')"


@CLICK_ON_TEXT
def test_clicking_an_http_link_reports_it(qtbot: QtBot, view: ChatView) -> None:
    reply = view.begin_reply(2)
    reply.append_answer("See [the docs](https://example.com/docs) or [this](javascript:alert(1)).")
    reply.finish("done", STATS)
    with qtbot.waitSignal(view.link_activated) as blocker:
        click_text(qtbot, reply.answer_view, "the docs")
    assert blocker.args == ["https://example.com/docs"]
    with qtbot.assertNotEmitted(view.link_activated):
        click_text(qtbot, reply.answer_view, "this")


@CLICK_ON_TEXT
def test_a_javascript_anchor_never_reaches_the_window(qtbot: QtBot) -> None:
    # Defence in depth: even HTML that somehow holds such a link does nothing when clicked.
    html = '<p><a href="javascript:alert(1)">bad link</a> and <a href="file:///etc/passwd">file</a></p>'
    text_view = MessageText()
    qtbot.addWidget(text_view)
    text_view.resize(400, 100)
    text_view.show()
    qtbot.waitExposed(text_view)
    text_view.show_rendered(Rendered(html, (), (html,)))
    with qtbot.assertNotEmitted(text_view.link_activated):
        click_text(qtbot, text_view, "bad link")
        click_text(qtbot, text_view, "file")


def test_nothing_is_loaded_to_show_a_message() -> None:
    text_view = MessageText()
    assert text_view.loadResource(2, QUrl("http://evil/x.png")) is None
    assert text_view.loadResource(2, QUrl("file:///etc/passwd")) is None
    assert text_view.openLinks() is False and text_view.openExternalLinks() is False


def test_confirm_and_open_asks_first(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    asked: list[str] = []
    answer = QMessageBox.StandardButton.No

    def question(
        _parent: QWidget | None, _title: str, text: str, *_args: object
    ) -> QMessageBox.StandardButton:
        asked.append(text)
        return answer

    def open_url(url: QUrl) -> bool:
        opened.append(url.toString())
        return True

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    assert confirm_and_open(None, "https://example.com/a") is False
    assert opened == [] and "example.com" in asked[0]
    answer = QMessageBox.StandardButton.Yes
    assert confirm_and_open(None, "https://example.com/a") is True
    assert opened == ["https://example.com/a"]
    assert confirm_and_open(None, "javascript:alert(1)") is False
    assert len(asked) == 2  # not even asked about a link that is not http(s)


# -- scrolling and looks ---------------------------------------------------------------------------------


def test_follows_the_reply_unless_the_user_scrolled_up(qtbot: QtBot, view: ChatView) -> None:
    view.add_user_message(1, "question")
    reply = view.begin_reply(2)
    bar = view.verticalScrollBar()
    reply.append_answer(long_reply()[:3000])
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    assert view.follows_bottom
    bar.setValue(0)  # the user scrolls up to read
    assert not view.follows_bottom
    reply.append_answer(long_reply()[3000:])
    reply.finish("done", STATS)
    qtbot.waitUntil(lambda: "The end." in reply.answer_view.toPlainText())
    assert bar.value() == 0
    view.add_user_message(3, "another")  # sending again brings the end back into view
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())


def test_dark_palette_renders_dark_code(qtbot: QtBot, view: ChatView) -> None:
    reply = view.begin_reply(2)
    reply.append_answer("```python\nx = 1\n```")
    reply.finish("done", STATS)
    light = reply.answer_view.toHtml()
    view.set_dark(True)
    assert reply.answer_view.toHtml() != light
    assert reply.is_dark()


def test_grab_makes_a_picture(qtbot: QtBot, view: ChatView, tmp_path: Path) -> None:
    show_thread(
        qtbot,
        view,
        [
            record(1, "user", "Show me code"),
            record(2, "assistant", long_reply()[:1500], reasoning="Some thinking.", stats=STATS.to_json()),
        ],
    )
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0)
    picture = tmp_path / "chat.png"
    assert view.grab().save(str(picture))
    assert picture.stat().st_size > 1000


def test_every_control_has_an_accessible_name(qtbot: QtBot, view: ChatView) -> None:
    show_thread(
        qtbot,
        view,
        [
            record(1, "user", "hi"),
            record(2, "assistant", "hello", reasoning="greeting", stats=STATS.to_json()),
        ],
    )
    reply = view.reply(2)
    assert reply is not None
    user = view.messages[0]
    assert isinstance(user, UserMessageWidget)
    controls: list[QWidget] = [
        view,
        view.placeholder,
        user.text_view,
        user.copy_button,
        reply.reasoning_toggle,
        reply.reasoning_view,
        reply.answer_view,
        reply.stats_label,
        reply.dropped_notice,
        reply.error_label,
        reply.copy_button,
        reply.regenerate_button,
    ]
    assert all(control.accessibleName() for control in controls)


def test_a_user_bubble_fits_short_text(qtbot: QtBot, view: ChatView) -> None:
    short = view.add_user_message(1, "hi")
    long = view.add_user_message(2, "a long message " * 40)
    qtbot.waitUntil(lambda: long.text_view.width() > 200)
    assert short.text_view.width() < 100
    assert long.text_view.width() <= 0.8 * long.width()
    assert long.text_view.height() > short.text_view.height()


def test_a_dark_palette_rerenders_code_and_keeps_quiet_text_quiet(view: ChatView) -> None:
    reply = view.begin_reply(2)
    reply.append_answer("```python\nx = 1\n```")
    reply.finish("done", STATS)
    light = reply.answer_view.toHtml()
    dark = QPalette(view.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#202020"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#eeeeee"))
    dark.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8a8a8a"))
    view.setPalette(dark)
    assert reply.is_dark()
    assert reply.answer_view.toHtml() != light
    assert reply.stats_label.palette().color(QPalette.ColorRole.WindowText) == QColor("#8a8a8a")
    assert view.placeholder.palette().color(QPalette.ColorRole.WindowText) == QColor("#8a8a8a")


def test_a_reply_left_streaming_by_a_failed_save_shows_as_stopped(qtbot: QtBot, view: ChatView) -> None:
    # A full disk kept the reply's last save from the history: it says "streaming" though nothing writes
    # it any more. Shown in the same session, it is what the next start makes of it: stopped, with Regenerate.
    show_thread(
        qtbot,
        view,
        [record(1, "user", "Tell me more"), record(2, "assistant", "Part of", status="streaming")],
    )
    (_question, reply) = view.messages
    assert isinstance(reply, ReplyWidget)
    assert reply.answer_view.toPlainText() == "Part of"
    assert reply.status == "stopped"
    assert reply.regenerate_button.isVisibleTo(reply)
