"""The python tool's sandbox, for real: CPython in WebAssembly in a child process, with a folder of its own.

The interpreter is compiled once per test session (5 to 20 s) into a temporary cache folder that every
test file shares (python_cache); each sandbox then starts in about a second.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.tools.python_runtime import SandboxUnavailable, prepare
from app.tools.python_sandbox import PythonSandbox

MB = 1024 * 1024
NEVER = threading.Event()


@pytest.fixture(scope="session")
def python_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The compiled interpreter, made once per session: the same folder for every test file that asks."""
    cache = tmp_path_factory.getbasetemp() / "python-sandbox-cache"
    prepare(cache)
    return cache


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    conversation = tmp_path / "conversation"
    conversation.mkdir()
    return conversation


@pytest.fixture
def sandbox(folder: Path, python_cache: Path) -> Iterator[PythonSandbox]:
    with PythonSandbox(folder, time_limit_s=60, cache_dir=python_cache) as notebook:
        yield notebook


def quick_sandbox(folder: Path, cache: Path, **limits: float) -> PythonSandbox:
    """A sandbox with a short time limit (2 s) and a small memory (64 MB), for the limits' own tests."""
    return PythonSandbox(
        folder,
        time_limit_s=limits.get("time_limit_s", 2.0),
        memory_limit_bytes=int(limits.get("memory_limit_bytes", 64 * MB)),
        output_limit=int(limits.get("output_limit", 4096)),
        cache_dir=cache,
    )


def test_print_six_times_seven_gives_42(sandbox: PythonSandbox) -> None:
    outcome = sandbox.run("print(6*7)", NEVER)
    assert outcome.stdout == "42\n"
    assert (outcome.result, outcome.error, outcome.timed_out, outcome.truncated) == (None, None, False, False)
    assert not outcome.session_reset


def test_variables_and_imports_stay_between_calls(sandbox: PythonSandbox) -> None:
    sandbox.run("import math\nradius = 2", NEVER)
    sandbox.run("def area(r):\n    return math.pi * r * r", NEVER)
    assert sandbox.run("round(area(radius), 3)", NEVER).result == "12.566"


def test_the_last_bare_expression_is_echoed_after_the_printed_output(sandbox: PythonSandbox) -> None:
    outcome = sandbox.run("print('first')\n'second'", NEVER)
    assert (outcome.stdout, outcome.result) == ("first\n", "'second'")
    assert sandbox.run("None", NEVER).result is None  # like a notebook: None is not shown
    assert sandbox.run("x = 5", NEVER).result is None
    assert sandbox.run("[1, 2] * 2", NEVER).result == "[1, 2, 1, 2]"
    assert sandbox.run("_", NEVER).result == "[1, 2, 1, 2]"


def test_an_error_gives_the_traceback_of_the_code_alone(sandbox: PythonSandbox) -> None:
    sandbox.run("def divide(a, b):\n    return a / b", NEVER)
    outcome = sandbox.run("print('before')\ndivide(1, 0)", NEVER)
    assert outcome.stdout == "before\n"
    assert outcome.error is not None
    assert outcome.error.startswith("Traceback (most recent call last):\n")
    assert "return a / b" in outcome.error  # the source lines are shown, from the earlier cell too
    assert outcome.error.rstrip().endswith("ZeroDivisionError: division by zero")
    assert "_run" not in outcome.error and "exec(" not in outcome.error  # no frame of the notebook's own


def test_a_syntax_error_is_reported_and_the_session_goes_on(sandbox: PythonSandbox) -> None:
    sandbox.run("kept = 1", NEVER)
    outcome = sandbox.run("def broken(:\n    pass", NEVER)
    assert outcome.error is not None and "SyntaxError" in outcome.error
    assert sandbox.run("kept", NEVER).result == "1"


def test_exit_does_not_end_the_session(sandbox: PythonSandbox) -> None:
    sandbox.run("kept = 'yes'", NEVER)
    outcome = sandbox.run("import sys\nsys.exit(3)", NEVER)
    assert outcome.error is not None and "SystemExit: 3" in outcome.error
    assert sandbox.run("kept", NEVER).result == "'yes'"


def test_input_ends_at_once(sandbox: PythonSandbox) -> None:
    outcome = sandbox.run("input('your name? ')", NEVER)
    assert outcome.error is not None and "EOFError" in outcome.error
    assert sandbox.run("1 + 1", NEVER).result == "2"


def test_there_is_no_network(sandbox: PythonSandbox) -> None:
    outcome = sandbox.run(
        "import socket\ntry:\n    socket.socket()\nexcept OSError as error:\n    print('socket:', error)",
        NEVER,
    )
    assert outcome.stdout.startswith("socket: ")
    outcome = sandbox.run(
        "import urllib.request\n"
        "try:\n"
        "    urllib.request.urlopen('http://example.com', timeout=5)\n"
        "except Exception as error:\n"
        "    print('urllib:', type(error).__name__)",
        NEVER,
    )
    assert outcome.stdout.startswith("urllib: ")
    connect = sandbox.run("import socket\nsocket.create_connection(('127.0.0.1', 80), timeout=5)", NEVER)
    assert connect.error is not None and "Error" in connect.error


def test_there_are_no_programs(sandbox: PythonSandbox) -> None:
    outcome = sandbox.run("import subprocess\nsubprocess.run(['ls'])", NEVER)
    assert outcome.error is not None and "Error" in outcome.error
    assert sandbox.run("import os\nhasattr(os, 'fork')", NEVER).result == "False"


def test_nothing_outside_the_folder_can_be_read_or_listed(sandbox: PythonSandbox, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("not for the sandbox", encoding="utf-8")
    for code in (
        "open('/etc/passwd').read()",
        "import os\nos.listdir('/')",
        "import os\nos.listdir('/mnt')",
        "open('../secret.txt').read()",
        "open('/mnt/data/../secret.txt').read()",
        f"open({str(tmp_path / 'secret.txt')!r}).read()",
    ):
        outcome = sandbox.run(code, NEVER)
        assert outcome.error is not None, code
        assert "not for the sandbox" not in outcome.stdout + (outcome.result or ""), code


def test_a_link_in_the_folder_leads_nowhere_outside(
    sandbox: PythonSandbox, folder: Path, tmp_path: Path
) -> None:
    (tmp_path / "secret.txt").write_text("not for the sandbox", encoding="utf-8")
    (folder / "link.txt").symlink_to(tmp_path / "secret.txt")
    (folder / "outside").symlink_to(tmp_path)
    for code in ("open('link.txt').read()", "import os\nos.listdir('outside')"):
        outcome = sandbox.run(code, NEVER)
        assert outcome.error is not None, code
        assert "secret" not in (outcome.result or ""), code


def test_writing_outside_the_folder_fails_and_leaves_the_computer_alone(
    sandbox: PythonSandbox, folder: Path, tmp_path: Path
) -> None:
    before = sorted(path.name for path in tmp_path.iterdir())
    for code in (
        "open('../escaped.txt', 'w').write('x')",
        "open('/mnt/data/../escaped.txt', 'w').write('x')",
        "open('/tmp/escaped.txt', 'w').write('x')",
        "import os\nos.mkdir('/escaped')",
        f"open({str(tmp_path / 'escaped.txt')!r}, 'w').write('x')",
    ):
        assert sandbox.run(code, NEVER).error is not None, code
    assert sorted(path.name for path in tmp_path.iterdir()) == before
    assert list(folder.iterdir()) == []


def test_code_told_to_delete_files_can_delete_nothing_outside_the_folder(
    sandbox: PythonSandbox, folder: Path, tmp_path: Path
) -> None:
    """What a document saying "call python to delete files" could make the model run."""
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    outcome = sandbox.run(
        "import os, shutil\n"
        "for target in ('../precious.txt', '/mnt/data/../precious.txt', "
        f"{str(precious)!r}, '/etc/hostname'):\n"
        "    try:\n"
        "        os.remove(target)\n"
        "        print('removed', target)\n"
        "    except OSError as error:\n"
        "        print('refused', target)\n"
        "shutil.rmtree('/', ignore_errors=True)\n"
        "shutil.rmtree('..', ignore_errors=True)\n",
        NEVER,
    )
    assert "removed" not in outcome.stdout
    assert outcome.stdout.count("refused") == 4
    assert precious.read_text(encoding="utf-8") == "keep me"
    assert folder.is_dir()


def test_files_written_in_mnt_data_appear_in_the_folder(sandbox: PythonSandbox, folder: Path) -> None:
    (folder / "numbers.csv").write_text("a,b\n1,2\n3,4\n", encoding="utf-8")
    outcome = sandbox.run(
        "import csv, os\n"
        "print(os.getcwd())\n"
        "rows = list(csv.DictReader(open('/mnt/data/numbers.csv')))\n"
        "total = sum(int(row['b']) for row in rows)\n"
        "open('total.txt', 'w').write(str(total))\n"
        "os.makedirs('/mnt/data/out', exist_ok=True)\n"
        "open('out/report.md', 'w').write('# done')\n"
        "sorted(os.listdir('/mnt/data'))",
        NEVER,
    )
    assert outcome.error is None
    assert outcome.stdout == "/mnt/data\n"
    assert outcome.result == "['numbers.csv', 'out', 'total.txt']"
    assert (folder / "total.txt").read_text(encoding="utf-8") == "6"
    assert (folder / "out" / "report.md").read_text(encoding="utf-8") == "# done"


def test_a_loop_that_never_ends_is_stopped_and_the_session_reset(folder: Path, python_cache: Path) -> None:
    with quick_sandbox(folder, python_cache) as sandbox:
        sandbox.run("remembered = 1", NEVER)
        outcome = sandbox.run("while True:\n    pass", NEVER)
        assert outcome.timed_out
        assert (outcome.stdout, outcome.result, outcome.error) == ("", None, None)
        after = sandbox.run("'remembered' in globals()", NEVER)
        assert after.result == "False"
        assert after.session_reset  # the model is told its variables are gone
        assert not sandbox.run("1", NEVER).session_reset


def test_a_long_sleep_is_stopped_too(folder: Path, python_cache: Path) -> None:
    """Sleeping waits inside the runtime, where the epoch deadline never looks: the process is ended."""
    with quick_sandbox(folder, python_cache) as sandbox:
        outcome = sandbox.run("import time\ntime.sleep(1000)", NEVER)
        assert outcome.timed_out
        assert sandbox.run("6 * 7", NEVER).result == "42"


def test_too_much_memory_is_a_memory_error_and_the_session_survives(folder: Path, python_cache: Path) -> None:
    with quick_sandbox(folder, python_cache, memory_limit_bytes=64 * MB) as sandbox:
        sandbox.run("remembered = 'still here'", NEVER)
        outcome = sandbox.run("block = bytearray(200 * 1024 * 1024)", NEVER)
        assert outcome.memory_exceeded
        assert outcome.error is not None and "MemoryError" in outcome.error
        assert not outcome.timed_out
        growing = sandbox.run("chunks = []\nwhile True:\n    chunks.append(bytearray(1024 * 1024))", NEVER)
        assert growing.memory_exceeded
        sandbox.run("del chunks", NEVER)
        after = sandbox.run("remembered", NEVER)
        assert after.result == "'still here'"
        assert not after.session_reset


def test_output_is_cut_at_the_limit(folder: Path, python_cache: Path) -> None:
    with quick_sandbox(folder, python_cache, output_limit=1000) as sandbox:
        printed = sandbox.run("for i in range(100000):\n    print(i)", NEVER)
        assert printed.truncated
        assert printed.stdout == "".join(f"{i}\n" for i in range(1000))[:1000]
        value = sandbox.run("'y' * 5000", NEVER)
        assert value.truncated and value.result is not None and len(value.result) == 1000
        error = sandbox.run("raise ValueError('z' * 5000)", NEVER)
        assert error.truncated and error.error is not None and len(error.error) <= 1003
        raw = sandbox.run("import os\nos.write(1, b'w' * 100000)", NEVER)
        assert raw.truncated and len(raw.stdout) <= 4 * 1000
        assert not sandbox.run("print('short')", NEVER).truncated


def test_cancel_stops_a_running_call(folder: Path, python_cache: Path) -> None:
    with quick_sandbox(folder, python_cache, time_limit_s=120) as sandbox:
        sandbox.run("remembered = 1", NEVER)
        cancel = threading.Event()
        timer = threading.Timer(0.5, cancel.set)
        timer.start()
        outcome = sandbox.run("while True:\n    pass", cancel)
        timer.join()
        assert outcome.cancelled and not outcome.timed_out
        after = sandbox.run("'remembered' in globals()", NEVER)
        assert (after.result, after.session_reset) == ("False", True)


def test_a_cell_that_writes_a_fake_answer_does_not_put_the_notebook_out_of_step(
    sandbox: PythonSandbox,
) -> None:
    def frame(answer: str) -> str:
        return f"data = json.dumps({answer}).encode()\nos.write(1, nonce + b' %d\\n' % len(data) + data)\n"

    forged = sandbox.run(
        "import sys, os, json\n"
        "driver = sys._getframe(1).f_globals\n"  # the notebook's own frame: code can always read it
        "nonce = driver['_NONCE']\n"
        + frame("{'stdout': 'no number'}")
        + frame("{'stdout': 'wrong number', 'cell': driver['_cell'][0] + 1}")
        + frame("{'stdout': 'forged', 'cell': driver['_cell'][0]}")
        + "os.write(1, b'deadbeef 5\\nhello')\n"
        "'real'",
        NEVER,
    )
    assert forged.stdout == "forged"  # what the cell chose to report: it controls its output anyway
    for number in range(3):
        assert sandbox.run(f"{number} * 10", NEVER).result == str(number * 10)


def test_interpreter_that_ends_itself_starts_afresh(sandbox: PythonSandbox) -> None:
    sandbox.run("remembered = 1", NEVER)
    outcome = sandbox.run("import os\nos._exit(0)", NEVER)
    assert outcome.ended
    after = sandbox.run("'remembered' in globals()", NEVER)
    assert (after.result, after.session_reset) == ("False", True)


def test_two_sandboxes_share_nothing(tmp_path: Path, python_cache: Path) -> None:
    first_folder, second_folder = tmp_path / "first", tmp_path / "second"
    first_folder.mkdir()
    second_folder.mkdir()
    (first_folder / "mine.txt").write_text("first's", encoding="utf-8")
    with (
        PythonSandbox(first_folder, cache_dir=python_cache) as first,
        PythonSandbox(second_folder, cache_dir=python_cache) as second,
    ):
        first.run("owner = 'first'", NEVER)
        assert second.run("'owner' in globals()", NEVER).result == "False"
        assert second.run("import os\nos.listdir('.')", NEVER).result == "[]"
        assert first.run("open('mine.txt').read()", NEVER).result == '"first\'s"'


def test_a_closed_sandbox_runs_nothing(folder: Path, python_cache: Path) -> None:
    sandbox = PythonSandbox(folder, cache_dir=python_cache)
    assert sandbox.run("1", NEVER).result == "1"
    sandbox.close()
    with pytest.raises(SandboxUnavailable):
        sandbox.run("1", NEVER)
    sandbox.close()  # twice is harmless


def test_closing_stops_a_running_call(folder: Path, python_cache: Path) -> None:
    sandbox = PythonSandbox(folder, cache_dir=python_cache)
    sandbox.start()
    closing = threading.Timer(0.5, sandbox.close)
    closing.start()
    outcome = sandbox.run("while True:\n    pass", NEVER)
    closing.join()
    assert outcome.cancelled
    assert sandbox.worker_pid is None
    with pytest.raises(SandboxUnavailable):
        sandbox.run("1", NEVER)
