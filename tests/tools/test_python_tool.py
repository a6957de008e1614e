"""gpt-oss's `python` tool: a call's code run in the sandbox, the text the model reads back and the activity
line people see."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.engine.tools import Toolbox, ToolCall
from app.i18n import reset_translator, set_translator
from app.tools.python_sandbox import PythonSandbox, SandboxOutcome
from app.tools.python_tool import PythonTool, code_of, model_text, summary
from tests.tools.test_python_sandbox import python_cache

__all__ = ["python_cache"]  # the session's compiled interpreter, shared with the sandbox tests

NEVER = threading.Event()


def python_call(arguments: str) -> ToolCall:
    return ToolCall("python", "analysis", "code", arguments)


@pytest.fixture
def tool(tmp_path: Path, python_cache: Path) -> Iterator[PythonTool]:
    with PythonSandbox(tmp_path / "conversation", time_limit_s=60, cache_dir=python_cache) as sandbox:
        yield PythonTool(sandbox)


def test_a_call_printing_42(tool: PythonTool) -> None:
    result = tool.run(python_call("print(6*7)"), NEVER)
    assert result.text == "42\n"
    assert result.activity.kind == "python"
    assert result.activity.summary.startswith("Ran Python, ")
    assert result.activity.summary.endswith(" s")
    assert result.activity.detail == "print(6*7)\n\nOutput:\n42\n"
    assert result.activity.seconds >= 0


def test_the_model_reads_output_then_value_then_traceback(tool: PythonTool) -> None:
    tool.run(python_call("numbers = [3, 1, 2]"), NEVER)
    assert tool.run(python_call("print('sorted:')\nsorted(numbers)"), NEVER).text == "sorted:\n[1, 2, 3]\n"
    failed = tool.run(python_call("print('start')\nnumbers[10]"), NEVER)
    assert failed.text.startswith("start\nTraceback (most recent call last):\n")
    assert failed.text.rstrip().endswith("IndexError: list index out of range")
    assert failed.activity.summary.endswith("the code stopped with an error")


def test_a_json_or_fenced_call_is_understood_too(tool: PythonTool) -> None:
    assert tool.run(python_call('{"code": "print(1 + 1)"}'), NEVER).text == "2\n"
    assert tool.run(python_call("```python\nprint(2 + 2)\n```"), NEVER).text == "4\n"


def test_code_is_taken_from_raw_text_json_or_a_fence() -> None:
    assert code_of("  print(1)\n") == "print(1)"
    assert code_of('{"code": "x = {\\"a\\": 1}"}') == 'x = {"a": 1}'
    assert code_of("{'a': 1}") == "{'a': 1}"  # a dict literal is code, not JSON arguments
    assert code_of('{"query": "x"}') == '{"query": "x"}'
    assert code_of("```\nprint(1)\n```") == "print(1)"
    assert code_of("```py\nfor i in range(2):\n    print(i)\n```") == "for i in range(2):\n    print(i)"


def test_code_that_prints_nothing_says_so(tool: PythonTool) -> None:
    assert tool.run(python_call("x = 1"), NEVER).text == (
        "[The code ran and printed nothing. Use print() to see values.]"
    )


def test_no_code_is_refused_in_words(tool: PythonTool) -> None:
    result = tool.run(python_call("   "), NEVER)
    assert result.text == "There was no code to run."
    assert result.activity.kind == "refused"


def test_a_call_that_runs_too_long_is_stopped_and_the_next_one_is_told(
    tmp_path: Path, python_cache: Path
) -> None:
    with PythonSandbox(tmp_path / "conversation", time_limit_s=2, cache_dir=python_cache) as sandbox:
        tool = PythonTool(sandbox)
        tool.run(python_call("total = 5"), NEVER)
        stopped = tool.run(python_call("while True:\n    total += 1"), NEVER)
        assert stopped.text == (
            "The code ran longer than 2 seconds and was stopped; the Python session was reset."
        )
        assert stopped.activity.summary == "Python stopped: it ran longer than 2 seconds"
        after = tool.run(python_call("print('total' in globals())"), NEVER)
        assert after.text == (
            "[The Python session was reset before this call: "
            "variables and imports from earlier calls are gone; files in /mnt/data remain.]\nFalse\n"
        )


def test_the_timeout_note_names_the_limit(tmp_path: Path) -> None:
    sandbox = PythonSandbox(tmp_path, time_limit_s=30)  # nothing starts until a call
    assert model_text(SandboxOutcome(timed_out=True, seconds=30.0), sandbox) == (
        "The code ran longer than 30 seconds and was stopped; the Python session was reset."
    )
    assert summary(SandboxOutcome(timed_out=True), sandbox) == "Python stopped: it ran longer than 30 seconds"
    one = PythonSandbox(tmp_path, time_limit_s=1)
    assert summary(SandboxOutcome(timed_out=True), one) == "Python stopped: it ran longer than 1 second"
    assert model_text(SandboxOutcome(timed_out=True), one).startswith("The code ran longer than 1 second ")


def test_running_out_of_memory_is_said_plainly(tmp_path: Path, python_cache: Path) -> None:
    with PythonSandbox(
        tmp_path / "conversation", memory_limit_bytes=64 * 1024 * 1024, cache_dir=python_cache
    ) as sandbox:
        result = PythonTool(sandbox).run(python_call("block = bytearray(500_000_000)"), NEVER)
    assert "MemoryError" in result.text
    assert result.text.endswith("[The code ran out of memory: Python may use 64 MB here.]")
    assert result.activity.summary.startswith("Python ran out of memory after ")


def test_long_output_is_cut_with_a_note(tmp_path: Path, python_cache: Path) -> None:
    with PythonSandbox(tmp_path / "conversation", output_limit=500, cache_dir=python_cache) as sandbox:
        tool = PythonTool(sandbox)
        result = tool.run(python_call("for i in range(10000):\n    print(i)\n1/0"), NEVER)
    note = "[The output was too long and was cut to about 500 characters.]"
    body, _, last = result.text.rpartition("\n")
    assert last == note
    assert len(body) <= 500
    assert body.startswith("0\n1\n2\n")
    assert "ZeroDivisionError: division by zero" in body  # what went wrong is kept over what was printed


def test_all_three_parts_are_cut_to_the_limit_together(tmp_path: Path) -> None:
    sandbox = PythonSandbox(tmp_path, output_limit=100)
    outcome = SandboxOutcome(stdout="o" * 100, result="r" * 100, error="e" * 100, truncated=True)
    body, _, note = model_text(outcome, sandbox).rpartition("\n")
    assert len(body) <= 100
    assert body.rstrip("\n").endswith("e" * 50)
    assert note.startswith("[The output was too long")


def test_a_stopped_call_says_who_stopped_it(tmp_path: Path, python_cache: Path) -> None:
    with PythonSandbox(tmp_path / "conversation", cache_dir=python_cache) as sandbox:
        tool = PythonTool(sandbox)
        cancel = threading.Event()
        timer = threading.Timer(0.5, cancel.set)
        timer.start()
        result = tool.run(python_call("import time\ntime.sleep(100)"), cancel)
        timer.join()
    assert result.text == "The user stopped the code; the Python session was reset."
    assert result.activity.summary == "Python was stopped"


def test_python_that_cannot_run_is_refused_in_words(tmp_path: Path, python_cache: Path) -> None:
    sandbox = PythonSandbox(tmp_path / "conversation", cache_dir=python_cache)
    sandbox.close()
    result = PythonTool(sandbox).run(python_call("print(1)"), NEVER)
    assert result.text == "Python is not available here, so the code did not run. Answer without it."
    assert result.activity.kind == "refused"
    assert result.activity.summary == "Python could not be started."


def test_the_activity_line_is_in_the_users_language(tmp_path: Path) -> None:
    set_translator(lambda context, text: f"«{context}: {text}»")
    try:
        line = summary(SandboxOutcome(seconds=0.3), PythonSandbox(tmp_path))
    finally:
        reset_translator()
    assert line == "«PythonTool: Ran Python, 0.3 s»"


def test_the_tool_is_a_toolbox_of_its_own(tmp_path: Path) -> None:
    toolbox: Toolbox = PythonTool(PythonSandbox(tmp_path))
    assert toolbox.names == ("python",)
