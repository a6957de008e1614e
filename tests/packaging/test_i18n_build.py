"""packaging/i18n.py: `update` collects the messages lupdate can see, `compile` makes .qm files Qt loads,
and the translations in git are current and safe to fill in."""

from __future__ import annotations

import shutil
import string
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QTranslator

from tests.fixtures.packaging_scripts import load_script

i18n = load_script("i18n.py")
COMMITTED = i18n.I18N / "hearth_de.ts"


def _messages(ts: Path) -> dict[tuple[str, str], str]:
    """(context, source) -> translation ("" when there is none yet)."""
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found[(name, message.findtext("source") or "")] = message.findtext("translation") or ""
    return found


def _with_translation(ts: Path, context: str, source: str, words: str) -> None:
    tree = ET.parse(ts)
    for element in tree.getroot().iter("context"):
        if element.findtext("name") == context:
            for message in element.iter("message"):
                if message.findtext("source") == source:
                    translation = message.find("translation")
                    assert translation is not None
                    translation.text = words
                    translation.attrib.pop("type", None)
    tree.write(ts, encoding="utf-8", xml_declaration=True)


def test_compile_makes_a_qm_that_qt_loads(tmp_path: Path) -> None:
    ts = tmp_path / "hearth_de.ts"
    shutil.copy(COMMITTED, ts)
    source = "There is nothing to send."
    _with_translation(ts, "Engine", source, "Es gibt nichts zu senden.")

    assert i18n.compile_translations(tmp_path) == [tmp_path / "hearth_de.qm"]

    translator = QTranslator()
    assert translator.load(str(tmp_path / "hearth_de.qm"))
    assert translator.language() == "de"
    assert translator.translate("Engine", source) == "Es gibt nichts zu senden."
    assert translator.translate("Engine", "There is nothing to send?") == ""  # unknown: Qt keeps English


def test_update_collects_the_window_and_the_core(tmp_path: Path) -> None:
    sources = tmp_path / "app"
    sources.mkdir()
    (sources / "sample.py").write_text(
        "from app.i18n import Deferred, translate\n"
        "\n"
        "class Window:\n"
        "    def title(self, name):\n"
        '        return self.tr("Hello {name}").format(name=name)\n'
        "\n"
        "def core(name):\n"
        '    now = translate("Core", "Said now")\n'
        '    later = Deferred.translate("Core", "Said later, about “{name}”").format(name=name)\n'
        "    return now, later\n",
        encoding="utf-8",
    )
    folder = tmp_path / "i18n"

    assert i18n.update(["de"], sources=sources, folder=folder) == [folder / "hearth_de.ts"]

    assert set(_messages(folder / "hearth_de.ts")) == {
        ("Window", "Hello {name}"),
        ("Core", "Said now"),
        ("Core", "Said later, about “{name}”"),
    }


def test_the_committed_translations_hold_every_message_in_the_code(tmp_path: Path) -> None:
    """Run `python packaging/i18n.py update` after changing what the app says, so translators see it."""
    shutil.copy(COMMITTED, tmp_path / COMMITTED.name)
    i18n.update(["de"], folder=tmp_path)
    assert set(_messages(tmp_path / COMMITTED.name)) == set(_messages(COMMITTED))


def test_every_translation_keeps_its_sources_fields() -> None:
    """str.format fills the fields in after translating: a renamed or missing field would raise."""

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}

    wrong = [
        source
        for (_context, source), words in _messages(COMMITTED).items()
        if words and fields(words) != fields(source)
    ]
    assert wrong == []
