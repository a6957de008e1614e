"""`hearth --self-test`: every check passes on a working install and fails when its own part is broken."""

from __future__ import annotations

import functools
import io
import os
import re
from pathlib import Path

import markdown
import pytest

from app.cli import main
from app.config import Paths
from app.documents.isolation import extract_in_child
from app.selftest import Check, CheckFailed, Context, checks, report, run_checks, self_test
from app.selftest.tiny_model import TinyModel, build_plain_model
from app.selftest.tiny_pdf import write_tiny_pdf
from app.store import HistoryStore
from app.tools import python_runtime, python_sandbox
from tests.fixtures import child_readers
from tests.fixtures.tiny_models import write_truncated_copy

CHECK_NAMES = [
    "data folder",
    "llama.cpp",
    "full-text search",
    "documents",
    "safe markdown",
    "python sandbox",
    "window system",
]


@pytest.fixture
def context(tmp_path: Path) -> Context:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    return Context(paths=Paths(tmp_path / "data"), scratch=scratch)


def failure(check: Check, context: Context) -> str:
    with pytest.raises(CheckFailed) as raised:
        check(context)
    return str(raised.value)


def test_every_check_passes_on_this_install(hearth_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--self-test"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Hearth ")
    assert [re.split(r"\s{2,}", line[7:])[0] for line in lines[1:-1]] == CHECK_NAMES
    assert all(line.startswith("ok ") for line in lines[1:-1])
    assert lines[-1] == "All 7 checks passed."
    assert "generated its 10 tokens exactly" in lines[2]
    assert not list(hearth_home.glob(".self-test-*")), "the probe file is left behind"


def test_a_failed_check_is_reported_and_the_exit_status_says_so() -> None:
    def broken(_context: Context) -> str:
        raise CheckFailed("it is broken")

    def buggy(_context: Context) -> str:
        raise KeyError("surprise")

    def fine(_context: Context) -> str:
        return "fine"

    results = run_checks([("one", fine), ("two", broken), ("three", buggy)], Paths(Path("unused")))
    out = io.StringIO()
    assert report(results, out) == 1
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("ok     one    fine (")
    assert lines[1] == "FAILED two    it is broken"
    assert re.fullmatch(r"FAILED three  KeyError: 'surprise' \(test_selftest\.py:\d+\)", lines[2])
    assert lines[3] == "2 of 3 checks failed."


def test_an_unwritable_data_folder_fails(context: Context, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")  # root ignores permissions; a file in the way stops it too
    broken = Context(paths=Paths(blocker / "Hearth"), scratch=context.scratch)
    assert failure(checks.data_folder, broken).startswith(f"cannot write to {blocker / 'Hearth'}:")


def test_a_model_llama_cpp_cannot_load_fails(context: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    def truncated(path: Path) -> TinyModel:
        model = build_plain_model(path.with_name("whole.gguf"))
        write_truncated_copy(model.path, path)
        return TinyModel(path, model.expected_answer, "", model.n_ctx_train)

    monkeypatch.setattr(checks, "build_plain_model", truncated)
    assert "llama.cpp failed on a tiny model: " in failure(checks.llama, context)


def test_wrong_generated_text_fails(context: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    def expecting_other_text(path: Path) -> TinyModel:
        model = build_plain_model(path)
        return TinyModel(path, "Something else entirely", "", model.n_ctx_train)

    monkeypatch.setattr(checks, "build_plain_model", expecting_other_text)
    message = failure(checks.llama, context)
    assert message == (
        "llama.cpp generated 'Hello there! How can I help you today?' instead of 'Something else entirely'"
    )


def test_a_full_text_index_that_finds_nothing_fails(
    context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(HistoryStore, "search", lambda _self, _query: [])
    assert "full-text index did not find 'marmalade'" in failure(checks.full_text_search, context)


def test_a_reader_child_that_dies_fails(context: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    dying = functools.partial(extract_in_child, entry=child_readers.die_at_once)
    monkeypatch.setattr(checks, "extract_in_child", dying)
    assert "the reader stopped unexpectedly" in failure(checks.pdf_in_child, context)


def test_an_unreadable_pdf_fails(context: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    def damaged(path: Path, _text: str) -> Path:
        path.write_bytes(b"%PDF-1.4\n" + os.urandom(64))
        return path

    monkeypatch.setattr(checks, "write_tiny_pdf", damaged)
    assert failure(checks.pdf_in_child, context).startswith("a PDF could not be read in a child process: ")


def test_the_hand_written_pdf_reads_back(tmp_path: Path) -> None:
    from pypdf import PdfReader

    pdf = write_tiny_pdf(tmp_path / "page.pdf", checks.PDF_TEXT)
    assert [page.extract_text() for page in PdfReader(pdf).pages] == [checks.PDF_TEXT]
    with pytest.raises(ValueError, match="plain ASCII"):
        write_tiny_pdf(tmp_path / "bad.pdf", "a (parenthesis)")


def test_markdown_rendered_without_escaping_fails(context: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.render import Rendered

    naive = Rendered(markdown.markdown(checks.HOSTILE_MARKDOWN), ())
    monkeypatch.setattr(checks, "render_markdown", lambda _text: naive)
    message = failure(checks.safe_markdown, context)
    assert message.startswith("hostile markdown rendered active HTML: ")
    for active in ("<script>", "<img>", "onerror=", "href=javascript:alert(1)", "<iframe>"):
        assert active in message


def test_a_qt_platform_that_cannot_start_fails(context: Context) -> None:
    message = failure(functools.partial(checks.qt_offscreen, platform="no-such-platform"), context)
    assert message.startswith("Qt's 'no-such-platform' platform did not start (the check stopped with code ")


def test_self_test_prints_the_version_first(tmp_path: Path) -> None:
    out = io.StringIO()
    assert self_test(Paths(tmp_path / "data"), out) == 0
    assert re.match(r"Hearth \d+\.\d+\.\d+\S* self-test \(pid \d+\)\n", out.getvalue())


def test_an_install_without_the_python_sandbox_fails_its_check(
    context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An installer that left out the interpreter (or a damaged one) must not pass its self-test.
    def missing() -> Path:
        raise python_runtime.SandboxUnavailable(python_runtime.missing_runtime())

    monkeypatch.setattr(python_runtime, "runtime_wasm", missing)
    monkeypatch.setattr(python_sandbox, "runtime_wasm", missing)
    assert failure(checks.python_sandbox, context) == python_runtime.missing_runtime()
