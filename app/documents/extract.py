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

from app.documents.document import MAX_FILE_BYTES, MAX_TEXT_CHARS, Document, DocumentError
from app.documents.formats.common import Extracted, ExtractionCancelled, Job, quoted
from app.documents.formats.pdf import read_pdf
from app.documents.formats.plain import code_reader as _code
from app.documents.formats.plain import read_markdown, read_text
from app.documents.formats.tabular import TableReader, read_json, read_json_lines
from app.documents.formats.web import read_html
from app.documents.formats.word import read_docx
from app.units import format_bytes

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_TEXT_CHARS",
    "SUPPORTED_SUFFIXES",
    "DocumentError",
    "ExtractionCancelled",
    "extract",
    "extract_pasted",
    "kind_for",
]

Reader = Callable[[bytes, Job], Extracted]


@dataclass(frozen=True)
class _Format:
    kind: str
    mime: str
    read: Reader
    textual: bool = True  # can pasted text be read this way


def _code_format(kind: str, language: str) -> _Format:
    return _Format(kind, "text/x-" + (language or "source"), _code(language))


_TEXT = _Format("Text", "text/plain", read_text)
_MARKDOWN = _Format("Markdown", "text/markdown", read_markdown)

_FORMATS: Final[dict[str, _Format]] = {
    ".pdf": _Format("PDF", "application/pdf", read_pdf, textual=False),
    ".docx": _Format(
        "Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        read_docx,
        textual=False,
    ),
    ".csv": _Format("CSV table", "text/csv", TableReader(",")),
    ".tsv": _Format("TSV table", "text/tab-separated-values", TableReader("\t")),
    ".json": _Format("JSON", "application/json", read_json),
    ".jsonl": _Format("JSON Lines", "application/x-ndjson", read_json_lines),
    ".ndjson": _Format("JSON Lines", "application/x-ndjson", read_json_lines),
    ".html": _Format("Web page", "text/html", read_html),
    ".htm": _Format("Web page", "text/html", read_html),
    ".xhtml": _Format("Web page", "application/xhtml+xml", read_html),
    ".md": _MARKDOWN,
    ".markdown": _MARKDOWN,
    **dict.fromkeys(
        (".txt", ".text", ".log", ".nfo", ".me", ".org", ".adoc", ".asciidoc", ".srt", ".vtt"), _TEXT
    ),
    ".rst": _Format("reStructuredText", "text/x-rst", read_text),
    ".tex": _Format("LaTeX", "text/x-tex", read_text),
    ".bib": _Format("BibTeX", "text/x-bibtex", read_text),
}
# Source code, by extension: (kind, language name for the code fence).
_CODE: Final = {
    ".py": ("Python code", "python"),
    ".pyi": ("Python code", "python"),
    ".ipy": ("Python code", "python"),
    ".js": ("JavaScript code", "javascript"),
    ".mjs": ("JavaScript code", "javascript"),
    ".cjs": ("JavaScript code", "javascript"),
    ".jsx": ("JavaScript code", "jsx"),
    ".ts": ("TypeScript code", "typescript"),
    ".tsx": ("TypeScript code", "tsx"),
    ".c": ("C code", "c"),
    ".h": ("C header", "c"),
    ".cpp": ("C++ code", "cpp"),
    ".cc": ("C++ code", "cpp"),
    ".cxx": ("C++ code", "cpp"),
    ".hpp": ("C++ header", "cpp"),
    ".hh": ("C++ header", "cpp"),
    ".cs": ("C# code", "csharp"),
    ".java": ("Java code", "java"),
    ".kt": ("Kotlin code", "kotlin"),
    ".kts": ("Kotlin code", "kotlin"),
    ".scala": ("Scala code", "scala"),
    ".groovy": ("Groovy code", "groovy"),
    ".gradle": ("Gradle build script", "groovy"),
    ".go": ("Go code", "go"),
    ".rs": ("Rust code", "rust"),
    ".swift": ("Swift code", "swift"),
    ".m": ("Objective-C or MATLAB code", ""),
    ".mm": ("Objective-C++ code", "objectivec"),
    ".rb": ("Ruby code", "ruby"),
    ".php": ("PHP code", "php"),
    ".pl": ("Perl code", "perl"),
    ".pm": ("Perl code", "perl"),
    ".lua": ("Lua code", "lua"),
    ".r": ("R code", "r"),
    ".jl": ("Julia code", "julia"),
    ".dart": ("Dart code", "dart"),
    ".hs": ("Haskell code", "haskell"),
    ".ml": ("OCaml code", "ocaml"),
    ".fs": ("F# code", "fsharp"),
    ".ex": ("Elixir code", "elixir"),
    ".exs": ("Elixir code", "elixir"),
    ".erl": ("Erlang code", "erlang"),
    ".clj": ("Clojure code", "clojure"),
    ".zig": ("Zig code", "zig"),
    ".nim": ("Nim code", "nim"),
    ".vb": ("Visual Basic code", "vbnet"),
    ".f90": ("Fortran code", "fortran"),
    ".asm": ("Assembly code", "asm"),
    ".sh": ("Shell script", "bash"),
    ".bash": ("Shell script", "bash"),
    ".zsh": ("Shell script", "zsh"),
    ".fish": ("Shell script", "fish"),
    ".ps1": ("PowerShell script", "powershell"),
    ".bat": ("Batch file", "bat"),
    ".cmd": ("Batch file", "bat"),
    ".sql": ("SQL", "sql"),
    ".graphql": ("GraphQL", "graphql"),
    ".proto": ("Protocol Buffers", "protobuf"),
    ".css": ("CSS stylesheet", "css"),
    ".scss": ("SCSS stylesheet", "scss"),
    ".less": ("Less stylesheet", "less"),
    ".vue": ("Vue component", "vue"),
    ".svelte": ("Svelte component", "svelte"),
    ".xml": ("XML", "xml"),
    ".yaml": ("YAML", "yaml"),
    ".yml": ("YAML", "yaml"),
    ".toml": ("TOML", "toml"),
    ".ini": ("Settings file", "ini"),
    ".cfg": ("Settings file", "ini"),
    ".conf": ("Settings file", ""),
    ".properties": ("Settings file", "properties"),
    ".env": ("Settings file", "bash"),
    ".tf": ("Terraform code", "hcl"),
    ".cmake": ("CMake script", "cmake"),
    ".mk": ("Makefile", "makefile"),
    ".diff": ("Patch", "diff"),
    ".patch": ("Patch", "diff"),
}
_FORMATS.update({suffix: _code_format(kind, language) for suffix, (kind, language) in _CODE.items()})
# Files people know by name rather than by extension.
_NAMED: Final = {
    "makefile": _code_format("Makefile", "makefile"),
    "dockerfile": _code_format("Dockerfile", "dockerfile"),
    "cmakelists.txt": _code_format("CMake script", "cmake"),
}

SUPPORTED_SUFFIXES: Final[frozenset[str]] = frozenset(_FORMATS)

_SUPPORTED_IN_WORDS = (
    "Hearth can read PDF, Word (.docx), text, Markdown, CSV, JSON, web pages and source code."
)
_KNOWN_UNSUPPORTED: Final = {
    ".doc": "is an old-style Word document, which Hearth cannot read. Open it in Word or LibreOffice, "
    "save it as .docx, and attach that.",
    ".rtf": "is a rich-text document, which Hearth cannot read. Save it as .docx or PDF, and attach that.",
    ".odt": "is an OpenDocument text, which Hearth cannot read. Save it as .docx or PDF, and attach that.",
    ".pages": "is a Pages document, which Hearth cannot read. Export it as .docx or PDF, and attach that.",
    **dict.fromkeys(
        (".xlsx", ".xls", ".xlsm", ".ods", ".numbers"),
        "is a spreadsheet, which Hearth cannot read yet. Save the sheet as CSV, and attach that.",
    ),
    **dict.fromkeys(
        (".pptx", ".ppt", ".odp", ".key"),
        "is a presentation, which Hearth cannot read yet. Export it as PDF, and attach that.",
    ),
    **dict.fromkeys(
        (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic", ".svg", ".ico"),
        f"is an image, and Hearth cannot read images yet. {_SUPPORTED_IN_WORDS}",
    ),
    **dict.fromkeys(
        (".zip", ".7z", ".rar", ".tar", ".gz", ".tgz", ".bz2", ".xz"),
        f"is an archive. Unpack it and attach the files inside. {_SUPPORTED_IN_WORDS}",
    ),
}


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
    """Plain words for the type of a file Hearth can read ("PDF", "Python code"), or None."""
    found = _format_for(name)
    return found.kind if found else None


def _unsupported(name: str) -> DocumentError:
    suffix = PurePath(name).suffix.lower()
    if suffix in _KNOWN_UNSUPPORTED:
        return DocumentError(f"{quoted(name)} {_KNOWN_UNSUPPORTED[suffix]}")
    return DocumentError(f"Hearth cannot read {suffix} files like {quoted(name)}. {_SUPPORTED_IN_WORDS}")


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
    name = path.name
    found = _format_for(name)
    if found is None:
        raise _unsupported(name)
    data = _read_bytes(path, name)
    return _extract_bytes(data, name, found, Job(name, MAX_TEXT_CHARS, progress, cancel))


def extract_pasted(text: str, name: str = "Pasted text.txt") -> Document:
    """Long pasted text as an attachment. A name like "snippet.py" or "data.csv" reads it as that type."""
    found = _format_for(name)
    # Pasted text is text whatever it holds: a NUL copied from a terminal must not make it look binary.
    data = text.replace("\0", "").encode("utf-8", "replace")
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(name, len(data))
    return _extract_bytes(data, name, found if found and found.textual else _TEXT, Job(name, MAX_TEXT_CHARS))


def _read_bytes(path: Path, name: str) -> bytes:
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise DocumentError(f"{quoted(name)} is a folder, not a file.")
        if not stat.S_ISREG(status.st_mode):
            # A pipe or a device would block the read, or never end it.
            raise DocumentError(f"{quoted(name)} is not an ordinary file, so Hearth cannot read it.")
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
            f"{quoted(name)} could not be found: it may have been moved or deleted."
        ) from None
    except PermissionError:
        raise DocumentError(f"Hearth is not allowed to read {quoted(name)}: check who may open it.") from None
    except MemoryError:
        raise DocumentError(f"{quoted(name)} is too large to read with the memory available.") from None
    except OSError as error:
        raise DocumentError(
            f"{quoted(name)} could not be read ({error.strerror or 'the disk did not answer'})."
        ) from None


def _too_large(name: str, size: int) -> DocumentError:
    return DocumentError(
        f"{quoted(name)} is too large ({format_bytes(size)}; "
        f"Hearth reads files up to {format_bytes(MAX_FILE_BYTES)})."
    )


def _extract_bytes(data: bytes, name: str, found: _Format, job: Job) -> Document:
    job.report(0.0)
    if not data.strip():
        raise DocumentError(f"{quoted(name)} is empty.")
    try:
        extracted = found.read(data, job)
    except MemoryError:
        raise DocumentError(f"{quoted(name)} is too large to read with the memory available.") from None
    except RecursionError:
        raise DocumentError(f"{quoted(name)} is nested too deeply to read.") from None
    if not extracted.text.strip():
        raise DocumentError(f"{quoted(name)} is empty: it has no text to read.")
    job.report(1.0)
    return Document(
        name=name,
        kind=found.kind,
        mime=found.mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        text=extracted.text,
        anchors=extracted.anchors,
        page_count=extracted.page_count,
        notes=extracted.notes,
    )
