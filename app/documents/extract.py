"""Reading a file the user attached into a Document: text, anchors, and plain words for what went wrong.

Each format has its reader in app.documents.formats. This module decides which one a file gets, checks
the limits, and turns any failure on a bad file into a DocumentError the user can act on.
"""

from __future__ import annotations

import hashlib
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Final

from app.documents.document import (
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    Document,
    DocumentError,
    too_large_for_memory,
    with_notes,
)
from app.documents.formats.common import Extracted, ExtractionCancelled, Job
from app.documents.formats.pdf import read_pdf
from app.documents.formats.plain import code_reader as _code
from app.documents.formats.plain import read_markdown, read_text
from app.documents.formats.tabular import TableReader, read_json, read_json_lines
from app.documents.formats.web import read_html
from app.documents.formats.word import read_docx
from app.documents.source import resolve_source
from app.documents.unsupported import unsupported
from app.i18n import Deferred, translate
from app.units import format_bytes

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_TEXT_CHARS",
    "SUPPORTED_SUFFIXES",
    "DocumentError",
    "ExtractionCancelled",
    "extract",
    "extract_pasted",
    "extract_unworded",
    "kind_for",
    "with_notes",
]

Reader = Callable[[bytes, Job], Extracted]


@dataclass(frozen=True)
class _Format:
    kind: Deferred  # stored in English (Document.kind), translated when shown
    mime: str
    read: Reader
    textual: bool = True  # can pasted text be read this way


def _code_format(kind: Deferred, language: str) -> _Format:
    return _Format(kind, "text/x-" + (language or "source"), _code(language))


_TEXT = _Format(Deferred.translate("Document kinds", "Text"), "text/plain", read_text)
_MARKDOWN = _Format(Deferred.translate("Document kinds", "Markdown"), "text/markdown", read_markdown)

_FORMATS: Final[dict[str, _Format]] = {
    ".pdf": _Format(Deferred.translate("Document kinds", "PDF"), "application/pdf", read_pdf, textual=False),
    ".docx": _Format(
        Deferred.translate("Document kinds", "Word document"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        read_docx,
        textual=False,
    ),
    ".csv": _Format(Deferred.translate("Document kinds", "CSV table"), "text/csv", TableReader(",")),
    ".tsv": _Format(
        Deferred.translate("Document kinds", "TSV table"), "text/tab-separated-values", TableReader("\t")
    ),
    ".json": _Format(Deferred.translate("Document kinds", "JSON"), "application/json", read_json),
    ".jsonl": _Format(
        Deferred.translate("Document kinds", "JSON Lines"), "application/x-ndjson", read_json_lines
    ),
    ".ndjson": _Format(
        Deferred.translate("Document kinds", "JSON Lines"), "application/x-ndjson", read_json_lines
    ),
    ".html": _Format(Deferred.translate("Document kinds", "Web page"), "text/html", read_html),
    ".htm": _Format(Deferred.translate("Document kinds", "Web page"), "text/html", read_html),
    ".xhtml": _Format(Deferred.translate("Document kinds", "Web page"), "application/xhtml+xml", read_html),
    ".md": _MARKDOWN,
    ".markdown": _MARKDOWN,
    **dict.fromkeys(
        (".txt", ".text", ".log", ".nfo", ".me", ".org", ".adoc", ".asciidoc", ".srt", ".vtt"), _TEXT
    ),
    ".rst": _Format(Deferred.translate("Document kinds", "reStructuredText"), "text/x-rst", read_text),
    ".tex": _Format(Deferred.translate("Document kinds", "LaTeX"), "text/x-tex", read_text),
    ".bib": _Format(Deferred.translate("Document kinds", "BibTeX"), "text/x-bibtex", read_text),
}
# Source code, by extension: (kind, language name for the code fence).
_CODE: Final = {
    ".py": (Deferred.translate("Document kinds", "Python code"), "python"),
    ".pyi": (Deferred.translate("Document kinds", "Python code"), "python"),
    ".ipy": (Deferred.translate("Document kinds", "Python code"), "python"),
    ".js": (Deferred.translate("Document kinds", "JavaScript code"), "javascript"),
    ".mjs": (Deferred.translate("Document kinds", "JavaScript code"), "javascript"),
    ".cjs": (Deferred.translate("Document kinds", "JavaScript code"), "javascript"),
    ".jsx": (Deferred.translate("Document kinds", "JavaScript code"), "jsx"),
    ".ts": (Deferred.translate("Document kinds", "TypeScript code"), "typescript"),
    ".tsx": (Deferred.translate("Document kinds", "TypeScript code"), "tsx"),
    ".c": (Deferred.translate("Document kinds", "C code"), "c"),
    ".h": (Deferred.translate("Document kinds", "C header"), "c"),
    ".cpp": (Deferred.translate("Document kinds", "C++ code"), "cpp"),
    ".cc": (Deferred.translate("Document kinds", "C++ code"), "cpp"),
    ".cxx": (Deferred.translate("Document kinds", "C++ code"), "cpp"),
    ".hpp": (Deferred.translate("Document kinds", "C++ header"), "cpp"),
    ".hh": (Deferred.translate("Document kinds", "C++ header"), "cpp"),
    ".cs": (Deferred.translate("Document kinds", "C# code"), "csharp"),
    ".java": (Deferred.translate("Document kinds", "Java code"), "java"),
    ".kt": (Deferred.translate("Document kinds", "Kotlin code"), "kotlin"),
    ".kts": (Deferred.translate("Document kinds", "Kotlin code"), "kotlin"),
    ".scala": (Deferred.translate("Document kinds", "Scala code"), "scala"),
    ".groovy": (Deferred.translate("Document kinds", "Groovy code"), "groovy"),
    ".gradle": (Deferred.translate("Document kinds", "Gradle build script"), "groovy"),
    ".go": (Deferred.translate("Document kinds", "Go code"), "go"),
    ".rs": (Deferred.translate("Document kinds", "Rust code"), "rust"),
    ".swift": (Deferred.translate("Document kinds", "Swift code"), "swift"),
    ".m": (Deferred.translate("Document kinds", "Objective-C or MATLAB code"), ""),
    ".mm": (Deferred.translate("Document kinds", "Objective-C++ code"), "objectivec"),
    ".rb": (Deferred.translate("Document kinds", "Ruby code"), "ruby"),
    ".php": (Deferred.translate("Document kinds", "PHP code"), "php"),
    ".pl": (Deferred.translate("Document kinds", "Perl code"), "perl"),
    ".pm": (Deferred.translate("Document kinds", "Perl code"), "perl"),
    ".lua": (Deferred.translate("Document kinds", "Lua code"), "lua"),
    ".r": (Deferred.translate("Document kinds", "R code"), "r"),
    ".jl": (Deferred.translate("Document kinds", "Julia code"), "julia"),
    ".dart": (Deferred.translate("Document kinds", "Dart code"), "dart"),
    ".hs": (Deferred.translate("Document kinds", "Haskell code"), "haskell"),
    ".ml": (Deferred.translate("Document kinds", "OCaml code"), "ocaml"),
    ".fs": (Deferred.translate("Document kinds", "F# code"), "fsharp"),
    ".ex": (Deferred.translate("Document kinds", "Elixir code"), "elixir"),
    ".exs": (Deferred.translate("Document kinds", "Elixir code"), "elixir"),
    ".erl": (Deferred.translate("Document kinds", "Erlang code"), "erlang"),
    ".clj": (Deferred.translate("Document kinds", "Clojure code"), "clojure"),
    ".zig": (Deferred.translate("Document kinds", "Zig code"), "zig"),
    ".nim": (Deferred.translate("Document kinds", "Nim code"), "nim"),
    ".vb": (Deferred.translate("Document kinds", "Visual Basic code"), "vbnet"),
    ".f90": (Deferred.translate("Document kinds", "Fortran code"), "fortran"),
    ".asm": (Deferred.translate("Document kinds", "Assembly code"), "asm"),
    ".sh": (Deferred.translate("Document kinds", "Shell script"), "bash"),
    ".bash": (Deferred.translate("Document kinds", "Shell script"), "bash"),
    ".zsh": (Deferred.translate("Document kinds", "Shell script"), "zsh"),
    ".fish": (Deferred.translate("Document kinds", "Shell script"), "fish"),
    ".ps1": (Deferred.translate("Document kinds", "PowerShell script"), "powershell"),
    ".bat": (Deferred.translate("Document kinds", "Batch file"), "bat"),
    ".cmd": (Deferred.translate("Document kinds", "Batch file"), "bat"),
    ".sql": (Deferred.translate("Document kinds", "SQL"), "sql"),
    ".graphql": (Deferred.translate("Document kinds", "GraphQL"), "graphql"),
    ".proto": (Deferred.translate("Document kinds", "Protocol Buffers"), "protobuf"),
    ".css": (Deferred.translate("Document kinds", "CSS stylesheet"), "css"),
    ".scss": (Deferred.translate("Document kinds", "SCSS stylesheet"), "scss"),
    ".less": (Deferred.translate("Document kinds", "Less stylesheet"), "less"),
    ".vue": (Deferred.translate("Document kinds", "Vue component"), "vue"),
    ".svelte": (Deferred.translate("Document kinds", "Svelte component"), "svelte"),
    ".xml": (Deferred.translate("Document kinds", "XML"), "xml"),
    ".yaml": (Deferred.translate("Document kinds", "YAML"), "yaml"),
    ".yml": (Deferred.translate("Document kinds", "YAML"), "yaml"),
    ".toml": (Deferred.translate("Document kinds", "TOML"), "toml"),
    ".ini": (Deferred.translate("Document kinds", "Settings file"), "ini"),
    ".cfg": (Deferred.translate("Document kinds", "Settings file"), "ini"),
    ".conf": (Deferred.translate("Document kinds", "Settings file"), ""),
    ".properties": (Deferred.translate("Document kinds", "Settings file"), "properties"),
    ".env": (Deferred.translate("Document kinds", "Settings file"), "bash"),
    ".tf": (Deferred.translate("Document kinds", "Terraform code"), "hcl"),
    ".cmake": (Deferred.translate("Document kinds", "CMake script"), "cmake"),
    ".mk": (Deferred.translate("Document kinds", "Makefile"), "makefile"),
    ".diff": (Deferred.translate("Document kinds", "Patch"), "diff"),
    ".patch": (Deferred.translate("Document kinds", "Patch"), "diff"),
}
_FORMATS.update({suffix: _code_format(kind, language) for suffix, (kind, language) in _CODE.items()})
# Files people know by name rather than by extension.
_NAMED: Final = {
    "makefile": _code_format(Deferred.translate("Document kinds", "Makefile"), "makefile"),
    "dockerfile": _code_format(Deferred.translate("Document kinds", "Dockerfile"), "dockerfile"),
    "cmakelists.txt": _code_format(Deferred.translate("Document kinds", "CMake script"), "cmake"),
}

SUPPORTED_SUFFIXES: Final[frozenset[str]] = frozenset(_FORMATS)


def _format_for(name: str) -> _Format | None:
    path = PurePath(name)
    if path.name.lower() in _NAMED:
        return _NAMED[path.name.lower()]
    suffix = path.suffix.lower()
    if not suffix:
        # README, LICENSE, NOTES: plain text more often than not; a binary is caught when it is read.
        return _TEXT
    return _FORMATS.get(suffix)


def kind_for(name: str) -> str | None:
    """Plain words for the type of a file Hearth can read ("PDF", "Python code"), or None; in English,
    as Document.kind is stored (describe() translates it)."""
    found = _format_for(name)
    return found.kind.text if found else None


def extract(
    path: Path,
    *,
    progress: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
) -> Document:
    """Reads `path` into a Document; raises DocumentError, one plain sentence, for a file it cannot use.

    Slow for big PDFs: call it off the GUI thread. `progress` gets fractions from 0 to 1; setting `cancel`
    stops the reading with ExtractionCancelled.
    """
    document, notes = extract_unworded(path, progress=progress, cancel=cancel)
    return with_notes(document, notes)


def extract_unworded(
    path: Path,
    *,
    progress: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
) -> tuple[Document, tuple[Deferred, ...]]:
    """extract() for a process with no translator: the Document without notes, and its notes as they
    are before they are put into words (with_notes does that, in the process that shows them)."""
    # A link is read as the file it leads to, under that file's name; never one in a system folder.
    source = resolve_source(path)
    name = source.path.name
    found = _format_for(name)
    if found is None:
        raise unsupported(name)
    data = _read_bytes(source.path, name)
    document, notes = _extract_bytes(data, name, found, Job(name, MAX_TEXT_CHARS, progress, cancel))
    return document, (*source.notes(), *notes)


def extract_pasted(text: str, name: str | None = None) -> Document:
    """Long pasted text as an attachment. A name like "snippet.py" or "data.csv" reads it as that type."""
    name = name or translate("Documents", "Pasted text.txt")
    found = _format_for(name)
    # Pasted text is text whatever it holds: a NUL copied from a terminal must not make it look binary.
    data = text.replace("\0", "").encode("utf-8", "replace")
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(name, len(data))
    job = Job(name, MAX_TEXT_CHARS)
    return with_notes(*_extract_bytes(data, name, found if found and found.textual else _TEXT, job))


def _read_bytes(path: Path, name: str) -> bytes:
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise DocumentError(
                Deferred.translate("Documents", "“{name}” is a folder, not a file.").format(name=name)
            )
        if not stat.S_ISREG(status.st_mode):
            # A pipe or a device would block the read, or never end it.
            raise DocumentError(
                Deferred.translate(
                    "Documents", "“{name}” is not an ordinary file, so Hearth cannot read it."
                ).format(name=name)
            )
        # Checked before reading, so a huge file dropped by mistake costs nothing.
        if status.st_size > MAX_FILE_BYTES:
            raise _too_large(name, status.st_size)
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat()
        if len(data) > MAX_FILE_BYTES:
            raise _too_large(name, path.stat().st_size)
        return data
    except FileNotFoundError:
        raise DocumentError(
            Deferred.translate(
                "Documents", "“{name}” could not be found: it may have been moved or deleted."
            ).format(name=name)
        ) from None
    except PermissionError:
        raise DocumentError(
            Deferred.translate(
                "Documents", "Hearth is not allowed to read “{name}”: check who may open it."
            ).format(name=name)
        ) from None
    except MemoryError:
        raise too_large_for_memory(name) from None
    except OSError as error:
        if error.strerror:
            words = Deferred.translate("Documents", "“{name}” could not be read ({reason}).")
        else:
            words = Deferred.translate("Documents", "“{name}” could not be read (the disk did not answer).")
        raise DocumentError(words.format(name=name, reason=error.strerror)) from None


def _too_large(name: str, size: int) -> DocumentError:
    return DocumentError(
        Deferred.translate(
            "Documents", "“{name}” is too large ({size}; Hearth reads files up to {limit})."
        ).format(name=name, size=format_bytes(size), limit=format_bytes(MAX_FILE_BYTES))
    )


def _extract_bytes(data: bytes, name: str, found: _Format, job: Job) -> tuple[Document, tuple[Deferred, ...]]:
    job.report(0.0)
    if not data.strip():
        raise DocumentError(Deferred.translate("Documents", "“{name}” is empty.").format(name=name))
    try:
        extracted = found.read(data, job)
    except MemoryError:
        raise too_large_for_memory(name) from None
    except RecursionError:
        raise DocumentError(
            Deferred.translate("Documents", "“{name}” is nested too deeply to read.").format(name=name)
        ) from None
    if not extracted.text.strip():
        raise DocumentError(
            Deferred.translate("Documents", "“{name}” is empty: it has no text to read.").format(name=name)
        )
    job.report(1.0)
    document = Document(
        name=name,
        kind=found.kind.text,
        mime=found.mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        text=extracted.text,
        anchors=extracted.anchors,
        page_count=extracted.page_count,
    )
    return document, extracted.notes
