"""The self-test's checks: each uses one real part the way the app does and raises CheckFailed if it is
broken. They take a Context (app.selftest) and return a short detail for the report."""

from __future__ import annotations

import os
import shutil
import threading
from html.parser import HTMLParser
from typing import Final

from app.child_process import start_child, stop_child
from app.documents.document import DocumentError
from app.documents.isolation import extract_in_child
from app.engine import Engine, EngineError
from app.render import render_markdown
from app.selftest import CheckFailed, Context
from app.selftest.tiny_model import build_plain_model
from app.selftest.tiny_pdf import write_tiny_pdf
from app.store import HistoryStore, StoreError
from app.units import format_bytes

PDF_TEXT: Final = "Hearth reads this page in a child process"
SEARCH_WORD: Final = "marmalade"
QT_TIMEOUT_S: Final = 60.0
# Hostile model output: each line tries one way to make the chat view run, load or link something.
HOSTILE_MARKDOWN: Final = "\n\n".join(
    [
        "<script>alert(1)</script>",
        '<img src="http://example.com/x.png" onerror="alert(1)">',
        "[click](javascript:alert(1)) [file](file:///etc/passwd)",
        "![remote](http://example.com/tracker.png)",
        '<a href="javascript:alert(1)">raw link</a>',
        "<iframe src='http://example.com'></iframe>",
    ]
)
_ACTIVE_TAGS: Final = frozenset(
    {"script", "img", "iframe", "object", "embed", "style", "link", "meta", "form"}
)
_SAFE_SCHEMES: Final = ("http://", "https://", "hearth-copy:")


def data_folder(context: Context) -> str:
    root = context.paths.root
    probe = root / f".self-test-{os.getpid()}"
    try:
        context.paths.ensure()
        with probe.open("wb") as file:
            file.write(b"hearth")
            file.flush()
            os.fsync(file.fileno())
        if probe.read_bytes() != b"hearth":
            raise CheckFailed(f"{root} does not give back what was written to it")
        probe.unlink()
        free = shutil.disk_usage(root).free
    except OSError as error:
        raise CheckFailed(f"cannot write to {root}: {error.strerror or error}") from None
    return f"{root} is writable, {format_bytes(free)} free"


def llama(context: Context) -> str:
    model = build_plain_model(context.scratch / "self-test.gguf")
    engine = Engine()
    try:
        engine.load(model.path, n_ctx=512)
        answer, stats = "", None
        for event in engine.chat([{"role": "user", "content": "Hi"}], max_tokens=64):
            if event.kind == "answer":
                answer += event.text
            elif event.kind == "done":
                stats = event.stats
    except EngineError as error:
        raise CheckFailed(f"llama.cpp failed on a tiny model: {error}") from None
    finally:
        engine.unload()
    if answer != model.expected_answer:
        raise CheckFailed(f"llama.cpp generated {answer!r} instead of {model.expected_answer!r}")
    tokens = stats.completion_tokens if stats else 0
    speed = f" at {stats.decode_tok_s:.0f} tokens/s" if stats and stats.decode_tok_s else ""
    return f"loaded a tiny model and generated its {tokens} tokens exactly{speed}"


def full_text_search(context: Context) -> str:
    try:
        with HistoryStore(context.scratch / "self-test.sqlite3") as store:
            conversation = store.create_conversation("Self-test")
            message = store.add_message(conversation, "user", f"Toast with {SEARCH_WORD}, please.")
            hits = store.search(SEARCH_WORD)
    except StoreError as error:
        raise CheckFailed(f"SQLite could not store or search a message: {error}") from None
    if [hit.message_id for hit in hits] != [message]:
        raise CheckFailed(f"SQLite's full-text index did not find {SEARCH_WORD!r} in the stored message")
    return "SQLite stored a message and its FTS5 index found it"


def pdf_in_child(context: Context) -> str:
    pdf = write_tiny_pdf(context.scratch / "self-test.pdf", PDF_TEXT)
    try:
        document = extract_in_child(pdf)
    except DocumentError as error:
        raise CheckFailed(f"a PDF could not be read in a child process: {error}") from None
    if PDF_TEXT not in document.text:
        raise CheckFailed(f"the PDF's text came back as {document.text[:80]!r}")
    return f"read a {document.page_count}-page PDF in a child process"


class _ActiveParts(HTMLParser):
    """Collects whatever in an HTML fragment could run, load or link somewhere."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _ACTIVE_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}=")
            if name in ("href", "src") and not (value or "").lower().startswith(_SAFE_SCHEMES):
                self.found.append(f"{name}={value}")


def safe_markdown(context: Context) -> str:
    parser = _ActiveParts()
    parser.feed(render_markdown(HOSTILE_MARKDOWN).html)
    parser.close()
    if parser.found:
        raise CheckFailed("hostile markdown rendered active HTML: " + ", ".join(parser.found))
    return "raw HTML, script links and remote images stay inert"


def qt_offscreen(context: Context, *, platform: str = "offscreen") -> str:
    from app.ui.platform_check import probe

    child, receiver = start_child(probe, (platform,), "hearth-qt-check")
    try:
        answer = receiver.recv() if receiver.poll(QT_TIMEOUT_S) else None
    except EOFError:
        answer = None
    finally:
        receiver.close()
        exit_code = stop_child(child, grace_s=QT_TIMEOUT_S)
    if answer is None:
        raise CheckFailed(
            f"Qt's {platform!r} platform did not start (the check stopped with code {exit_code}); "
            "a Qt plugin or system library may be missing"
        )
    name, version, colours, german = answer
    if colours < 2:
        raise CheckFailed(f"Qt {version} started but drew no text: no usable font was found")
    if not german:
        raise CheckFailed("the German translation is missing: the compiled .qm files were not installed")
    return f"Qt {version} started on {name!r}, drew text and loaded the German translation"


# What the check's code prints and reads: a sum only Python could have done, and a file from its folder.
_SANDBOX_CODE: Final = "print(6 * 7)\nopen('/mnt/data/note.txt').read()"


def python_sandbox(context: Context) -> str:
    """gpt-oss's python tool: the interpreter found, checked and compiled, a notebook started in its own
    process (the frozen app's own executable), code run, and its folder read back."""
    from app.tools.python_runtime import SandboxUnavailable
    from app.tools.python_sandbox import PythonSandbox

    folder = context.scratch / "sandbox"
    folder.mkdir(exist_ok=True)
    (folder / "note.txt").write_text("six times seven", encoding="utf-8")
    try:
        with PythonSandbox(folder) as sandbox:
            outcome = sandbox.run(_SANDBOX_CODE, threading.Event())
    except SandboxUnavailable as error:
        raise CheckFailed(str(error)) from None
    if outcome.error or outcome.stdout.strip() != "42" or outcome.result != "'six times seven'":
        shown = outcome.error or f"{outcome.stdout!r} and {outcome.result!r}"
        raise CheckFailed(f"Python in its sandbox gave {shown[:200]}")
    return f"ran code in its WebAssembly sandbox and read its folder ({outcome.seconds:.3f} s a call)"
