"""Issue 14 in the window: a long reply appears over several turns of the event loop, ending as it would
have from one setHtml, and lays itself out again at a new width in a turn of its own."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.render import Rendered, render_markdown
from app.ui.message_text import RELAYOUT_LATER_CHARS, SLICE_HTML, MessageText

SECTION = (
    "## Section {n}\n\nSome *prose* with `code` and a [link](https://example.com/{n}).\n\n"
    "- one\n- two\n\n| a | b |\n|---|---|\n| {n} | x |\n\n```python\nprint({n})\n```\n\n"
)


def long_reply(sections: int) -> str:
    return "".join(SECTION.format(n=n) for n in range(sections))


def shown(qtbot: QtBot, width: int = 600) -> MessageText:
    view = MessageText()
    qtbot.addWidget(view)
    view.setFixedWidth(width)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_a_long_reply_appears_over_several_turns_and_ends_as_if_set_at_once(qtbot: QtBot) -> None:
    rendered = render_markdown(long_reply(400))
    assert len(rendered.html) > 3 * SLICE_HTML
    whole, sliced = shown(qtbot), shown(qtbot)
    whole.document().setHtml(rendered.html)
    sliced.show_rendered(rendered)
    assert sliced.pending_parts > 0  # the rest comes on later turns of the event loop
    qtbot.waitUntil(lambda: sliced.pending_parts == 0, timeout=60_000)
    assert sliced.toPlainText() == whole.toPlainText()
    assert sliced.code_blocks == rendered.code_blocks
    qtbot.waitUntil(lambda: sliced.height() == whole.height(), timeout=10_000)


def test_a_render_while_parts_are_pending_takes_their_place(qtbot: QtBot) -> None:
    text = long_reply(400)
    first, second = render_markdown(text), render_markdown(text + "The end, *at last*.")
    whole, sliced = shown(qtbot), shown(qtbot)
    whole.document().setHtml(second.html)
    sliced.show_rendered(first)
    assert sliced.pending_parts > 0
    sliced.show_rendered(second)  # a streaming reply renders again before the last render is in
    qtbot.waitUntil(lambda: sliced.pending_parts == 0, timeout=60_000)
    assert sliced.toPlainText() == whole.toPlainText()
    sliced.show_rendered(first)
    sliced.show_plain("plain words")  # what was pending is dropped, not appended after them
    qtbot.wait(50)
    assert sliced.toPlainText() == "plain words" and sliced.pending_parts == 0


def test_a_short_reply_is_shown_at_once(qtbot: QtBot) -> None:
    view = shown(qtbot)
    view.show_rendered(render_markdown(long_reply(3)))
    assert view.pending_parts == 0 and "print(2)" in view.toPlainText()


def test_a_long_message_lays_itself_out_again_in_a_turn_of_its_own(qtbot: QtBot) -> None:
    long_view, short_view = shown(qtbot, 600), shown(qtbot, 600)
    long_text = "word " * (RELAYOUT_LATER_CHARS // 4)
    html = f"<p>{long_text}</p>"
    long_view.show_rendered(Rendered(html, (), (html,)))
    short_view.show_rendered(render_markdown("a short reply"))
    qtbot.waitUntil(lambda: long_view.pending_parts == 0)
    long_height = long_view.height()
    for view in (long_view, short_view):
        view.setFixedWidth(400)
    assert short_view.document().textWidth() == short_view.viewport().width()  # at once
    assert long_view.document().textWidth() != long_view.viewport().width()  # not yet
    qtbot.waitUntil(lambda: long_view.document().textWidth() == long_view.viewport().width())
    qtbot.waitUntil(lambda: long_view.height() > long_height)  # narrower: more lines, taller
