"""The window's language: Hearth's own translations, Qt's for its standard buttons, and the core's hook.

Settings offers "system" (the default), "en" and "de". English is the source language, so it needs no
file; German loads resources/i18n/hearth_de.qm (compiled at build time from hearth_de.ts by
packaging/i18n.py) and Qt's qtbase_de.qm, which words the standard buttons (OK, Cancel, Save...) and
dialogs. Installing a translator makes Qt send every widget a LanguageChange event, so the language can
change while the app runs; the messages the Qt-free core makes go through app.i18n's hook, which is
pointed at QCoreApplication.translate here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.i18n import reset_translator, set_number_format, set_translator
from app.ui.resources import resources_dir

log = logging.getLogger("hearth.ui")

ENGLISH: Final = "en"
# The languages Hearth is translated into; English, the source, is not among them.
TRANSLATED: Final = ("de",)
CHOICES: Final = ("system", ENGLISH, *TRANSLATED)

# Installed translators must stay referenced: PySide frees a QTranslator nobody holds, and Qt would then
# ask a deleted object. Kept here, too, so the next install_language can remove them.
_installed: list[QTranslator] = []


def system_language(ui_languages: Iterable[str]) -> str:
    """The language to use for the system's UI languages, most preferred first ("de-DE", "fr", ...):
    the first one Hearth has, so a French system that lists German before English gets German."""
    for tag in ui_languages:
        language = tag.replace("_", "-").split("-")[0].lower()
        if language == ENGLISH or language in TRANSLATED:
            return language
    return ENGLISH


def resolve_language(choice: str) -> str:
    """The language code a Settings choice means here ("system" asks the operating system)."""
    if choice == "system":
        return system_language(QLocale.system().uiLanguages())
    if choice == ENGLISH or choice in TRANSLATED:
        return choice
    log.warning("unknown language setting %r; following the system", choice)
    return system_language(QLocale.system().uiLanguages())


def install_language(app: QCoreApplication, choice: str) -> str:
    """Put `app` (and the core's messages) in the language `choice` means; returns the code used.

    Replaces what an earlier call installed. A missing translation file is logged and leaves English.
    """
    language = resolve_language(choice)
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    reset_translator()
    if language == ENGLISH:
        return ENGLISH
    hearth = _load(f"hearth_{language}", resources_dir() / "i18n")
    if hearth is None:
        return ENGLISH  # half a translation (only Qt's buttons) would read worse than none
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    # Without Qt's own file Hearth's words are still translated; only the standard buttons stay English.
    qt = _load(f"qtbase_{language}", qt_folder)
    for loaded in (hearth, qt):
        if loaded is not None:
            app.installTranslator(loaded)
            _installed.append(loaded)
    set_translator(QCoreApplication.translate)
    locale = QLocale(language)
    set_number_format(lambda value, decimals: locale.toString(float(value), "f", decimals))
    return language


def _load(name: str, folder: Path | str) -> QTranslator | None:
    translator = QTranslator()
    if translator.load(name, str(folder)):
        return translator
    log.warning("no translation %s.qm in %s; those words stay in English", name, folder)
    return None
