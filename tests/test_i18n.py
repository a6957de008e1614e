"""The core's translation hook: English by default, the installed translator when there is one, and every
message written so that pyside6-lupdate can collect it."""

from __future__ import annotations

import ast
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.documents.document import DocumentError
from app.documents.isolation import extract_in_child
from app.i18n import Deferred, reset_translator, set_translator, translate
from app.reply_stats import DocumentUse
from tests.fixtures.documents import write_pdf

APP = Path(__file__).resolve().parents[1] / "app"
# The window has Qt's own calls (self.tr, QCoreApplication.translate); the command line and the self-test
# speak English only; app/i18n.py is the hook itself, which translates whatever it is given.
NOT_CORE = ("ui", "cli.py", "cli_history.py", "cli_models.py", "selftest", "i18n.py")

GERMAN = {
    ("Documents", "Used the {used} most relevant passages of {total} from {name}"): (
        "Die {used} relevantesten von {total} Passagen aus {name} verwendet"
    ),
    ("Documents", "“{name}” is empty."): "„{name}“ ist leer.",
    ("Documents", "Reading “{name}” was cancelled."): "Das Lesen von „{name}“ wurde abgebrochen.",
    ("Documents", "Page {pages} has no text (scanned image?)."): "Seite {pages} hat keinen Text (ein Scan?).",
    ("Documents", "“{name}” is damaged or not really a PDF."): "„{name}“ ist beschädigt oder kein PDF.",
}


def german(context: str, text: str) -> str:
    return GERMAN.get((context, text), text)


@pytest.fixture
def in_german() -> Iterator[None]:
    set_translator(german)
    yield
    reset_translator()


def test_the_default_is_the_english_text_as_written() -> None:
    assert translate("Documents", "“{name}” is empty.") == "“{name}” is empty."
    assert DocumentUse(1, "report.pdf", "passages", 6, 212).describe() == (
        "Used the 6 most relevant passages of 212 from report.pdf"
    )


@pytest.mark.usefixtures("in_german")
def test_an_installed_translator_answers_and_named_fields_fill_in_afterwards() -> None:
    assert translate("Documents", "“{name}” is empty.").format(name="a.txt") == "„a.txt“ ist leer."
    assert DocumentUse(1, "report.pdf", "passages", 6, 212).describe() == (
        "Die 6 relevantesten von 212 Passagen aus report.pdf verwendet"
    )
    assert translate("Documents", "Not translated yet") == "Not translated yet"


def test_reset_goes_back_to_english() -> None:
    set_translator(german)
    reset_translator()
    assert translate("Documents", "“{name}” is empty.") == "“{name}” is empty."


def test_a_deferred_message_is_worded_when_it_is_shown_not_when_it_is_made() -> None:
    message = Deferred.translate("Documents", "“{name}” is empty.").format(name="a.txt")
    error = DocumentError(message)
    # Made where no translator is installed (the reader's child process), sent through a pipe...
    sent = pickle.loads(pickle.dumps(error.args[0]))
    assert message.text == "“{name}” is empty."
    set_translator(german)
    try:
        # ...and shown in the window's language.
        assert str(DocumentError(sent)) == "„a.txt“ ist leer."
        assert str(error) == "„a.txt“ ist leer."
    finally:
        reset_translator()
    assert str(error) == "“a.txt” is empty."


@pytest.mark.usefixtures("in_german")
def test_a_deferred_field_is_worded_with_its_sentence() -> None:
    inner = Deferred.translate("Documents", "Reading “{name}” was cancelled.").format(name="b.pdf")
    outer = Deferred("Documents", "{what} ({code})").format(what=inner, code=7)
    assert str(outer) == "Das Lesen von „b.pdf“ wurde abgebrochen. (7)"


@pytest.mark.usefixtures("in_german")
def test_a_document_read_in_a_child_process_is_worded_in_the_window_process(tmp_path: Path) -> None:
    """The reader's child has no translator: its notes and errors are translated where they arrive."""
    document = extract_in_child(write_pdf(tmp_path / "report.pdf", ["Some words.", ""]))
    assert document.notes == ("Seite 2 hat keinen Text (ein Scan?).",)
    (tmp_path / "fake.pdf").write_bytes(b"not a PDF at all")
    with pytest.raises(DocumentError) as raised:
        extract_in_child(tmp_path / "fake.pdf")
    assert str(raised.value) == "„fake.pdf“ ist beschädigt oder kein PDF."


def _core_files() -> list[Path]:
    return [path for path in sorted(APP.rglob("*.py")) if path.relative_to(APP).parts[0] not in NOT_CORE]


def _translate_calls(tree: ast.AST) -> Iterator[ast.Call]:
    """Calls lupdate reads as a translation: translate(...), Deferred.translate(...), i18n.translate(...)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _names_translate(node.func):
            yield node


def _names_translate(function: ast.expr) -> bool:
    if isinstance(function, ast.Name):
        return function.id == "translate"
    return (
        isinstance(function, ast.Attribute)
        and function.attr == "translate"
        and isinstance(function.value, ast.Name)
        and function.value.id in {"Deferred", "i18n"}
    )


def test_every_core_message_is_written_so_lupdate_collects_it() -> None:
    """Two literal strings and nothing else: an f-string, a name or a third argument hides a message
    from lupdate (or gives it the wrong text), and the user would read English."""
    wrong: list[str] = []
    found = 0
    for path in _core_files():
        for call in _translate_calls(ast.parse(path.read_text(encoding="utf-8"))):
            found += 1
            literal = [isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in call.args]
            if call.keywords or literal != [True, True]:
                wrong.append(f"{path.relative_to(APP.parent)}:{call.lineno}")
    assert wrong == []
    assert found > 200  # the scan saw the core's messages at all


def test_no_core_message_is_translated_at_import() -> None:
    """Import comes before the window installs its translator: a message translated then stays English.
    Words needed at import (tables of kinds, descriptions) are Deferred instead."""
    early: list[str] = []
    for path in _core_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_functions = {
            id(node)
            for function in ast.walk(tree)
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            for node in ast.walk(function)
        }
        early += [
            f"{path.relative_to(APP.parent)}:{call.lineno}"
            for call in _translate_calls(tree)
            if isinstance(call.func, ast.Name) and id(call) not in in_functions
        ]
    assert early == []
