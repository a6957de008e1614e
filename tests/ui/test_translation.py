"""The window's language: German from a compiled .qm and back to English, Qt's own buttons, the core's
messages, a missing file, and "system" following the operating system's languages."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from app.i18n import translate
from app.reply_stats import DocumentUse
from app.ui import translation
from app.ui.translation import install_language, system_language
from tests.fixtures.packaging_scripts import load_script

ROOT = Path(__file__).resolve().parents[2]

# A tiny catalogue: one message of the window's, and one of the core's with named fields.
TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>TranslationTest</name>
    <message>
        <source>Hello</source>
        <translation>Hallo</translation>
    </message>
</context>
<context>
    <name>Documents</name>
    <message>
        <source>Used the {used} most relevant passages of {total} from {name}</source>
        <translation>Die {used} relevantesten von {total} Passagen aus {name} verwendet</translation>
    </message>
</context>
</TS>
"""


def _lrelease() -> Path:
    found: Path = load_script("i18n.py").tool("lrelease")
    return found


@pytest.fixture
def resources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A resources folder of this test's own, with no translations in it yet."""
    (tmp_path / "i18n").mkdir()
    monkeypatch.setattr(translation, "resources_dir", lambda: tmp_path)
    return tmp_path


@pytest.fixture
def german_qm(resources: Path) -> Path:
    ts = resources / "i18n" / "hearth_de.ts"
    ts.write_text(TS, encoding="utf-8")
    qm = ts.with_suffix(".qm")
    subprocess.run([_lrelease(), "-silent", ts, "-qm", qm], check=True)
    return qm


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The session's application, put back into English (and the core's hook reset) afterwards."""
    yield qapp
    install_language(qapp, "en")


def _english_everywhere() -> None:
    assert QCoreApplication.translate("TranslationTest", "Hello") == "Hello"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    assert DocumentUse(1, "report.pdf", "passages", 6, 212).describe() == (
        "Used the 6 most relevant passages of 212 from report.pdf"
    )


@pytest.mark.usefixtures("german_qm")
def test_german_and_back_to_english_while_the_app_runs(app: QApplication) -> None:
    _english_everywhere()

    assert install_language(app, "de") == "de"
    assert QCoreApplication.translate("TranslationTest", "Hello") == "Hallo"
    # Qt's own catalogue: the standard buttons are German too.
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
    # The core's messages, made without Qt, go through the hook.
    assert DocumentUse(1, "report.pdf", "passages", 6, 212).describe() == (
        "Die 6 relevantesten von 212 Passagen aus report.pdf verwendet"
    )
    assert translate("Documents", "Not in the catalogue") == "Not in the catalogue"

    # Chosen again: the earlier translators are replaced, not stacked.
    assert install_language(app, "de") == "de"
    assert len(translation._installed) == 2

    assert install_language(app, "en") == "en"
    assert translation._installed == []
    _english_everywhere()


@pytest.mark.usefixtures("resources")
def test_a_missing_translation_file_leaves_english_and_says_so(
    app: QApplication, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="hearth.ui"):
        assert install_language(app, "de") == "en"
    assert any("hearth_de.qm" in record.getMessage() for record in caplog.records)
    _english_everywhere()


@pytest.mark.parametrize(
    ("ui_languages", "expected"),
    [
        (["de-DE", "de", "en-US"], "de"),
        (["de_AT"], "de"),
        (["en-GB", "de-DE"], "en"),
        # The first language Hearth has decides: German listed before English wins.
        (["fr-FR", "fr", "de-DE", "en"], "de"),
        (["fr-FR", "en-US", "de"], "en"),
        (["ja-JP"], "en"),
        (["C"], "en"),
        ([], "en"),
    ],
)
def test_system_picks_the_first_language_hearth_has(ui_languages: list[str], expected: str) -> None:
    assert system_language(ui_languages) == expected


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANGUAGE": "de", "LANG": "de_DE.UTF-8"}, "de"),
        ({"LANGUAGE": "fr:de", "LANG": "fr_FR.UTF-8"}, "de"),
        ({"LANGUAGE": "", "LANG": "en_US.UTF-8"}, "en"),
        ({"LANGUAGE": "", "LANG": "C.UTF-8"}, "en"),
    ],
)
@pytest.mark.skipif(sys.platform != "linux", reason="Qt reads the system's languages from LANG on Linux")
def test_system_follows_the_operating_system(environment: dict[str, str], expected: str) -> None:
    """Qt reads the system locale once, at start: each case runs in a fresh interpreter."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("LC_")}
    env.update(environment)
    code = "from app.ui.translation import resolve_language; print(resolve_language('system'))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == expected
