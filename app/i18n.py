"""Words for people in their own language: the Qt-free core's side of Hearth's translations.

The core may not use Qt, so it asks one hook, translate(context, text). Until a translator is installed
the hook answers with the English text as written (the command line, most tests); the window installs
Qt's (app.ui.translation), and the same calls then answer in the language the user chose.

pyside6-lupdate collects the messages by reading the source, not by running it (`packaging/i18n.py
update` writes them to resources/i18n/*.ts), so every call is written one way:

- two literal strings, translate("Documents", "“{name}” is empty."); adjacent literals are joined. An
  f-string, a variable, a keyword argument or a third argument hides the message from lupdate, or
  gives it the wrong text, and the user reads English;
- values go in afterwards, by name: translate(...).format(name=name), so a translator can move them.
  A field holds a value, a noun phrase ("3 images") or a whole sentence, never half a sentence;
- numbers in sentences go in through format_number(), never a format spec in the text ({count:,}):
  German writes 12.345 and 2,5 where English writes 12,345 and 2.5;
- counts: English and German have one form for 1 and one for every other number, so a sentence whose
  words change with a count is written twice, whole, and chosen by `count == 1`. Qt's plural forms
  (%n with numerus translations) are not used: lupdate's Python reader takes a third argument of
  translate() for a disambiguation and a fourth for an encoding, so it never marks a message plural.

Deferred.translate is the same call for words made where no translator is installed: the child process
that reads documents. They cross the pipe as context, text and fields, and are put into words by str()
in the window's process. Log messages stay in English, for whoever reads the log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

Translator = Callable[[str, str], str]
NumberFormat = Callable[[float, int], str]  # (value, decimals) -> the number as the user writes it


def _english(context: str, text: str) -> str:
    return text


def _english_number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


# One-item lists rather than global statements: a hook is swapped whole, so readers on other threads
# see the old one or the new one, never half of either.
_installed: list[Translator] = [_english]
_number_format: list[NumberFormat] = [_english_number]


def translate(context: str, text: str) -> str:
    """`text` in the user's language; the English text itself when no translation is known."""
    return _installed[0](context, text)


def set_translator(translator: Translator) -> None:
    """Answer every later translate() with `translator(context, text)`."""
    _installed[0] = translator


def reset_translator() -> None:
    """Back to the English text as written, and English numbers."""
    _installed[0] = _english
    _number_format[0] = _english_number


def format_number(value: float, decimals: int = 0) -> str:
    """A number for a sentence, grouped and with the decimal mark of the user's language."""
    return _number_format[0](value, decimals)


def set_number_format(number_format: NumberFormat) -> None:
    _number_format[0] = number_format


@dataclass(frozen=True)
class Deferred:
    """A message translated when it is shown rather than when it is made; str() puts it into words.

    Picklable, so a child process can send it to the window's process; a field may be another Deferred.
    `text` is the English source, for words that are stored in English and translated when shown.
    """

    context: str
    text: str
    fields: tuple[tuple[str, object], ...] = ()

    @classmethod
    def translate(cls, context: str, text: str) -> Deferred:
        """Written like translate(), with two literal strings, so lupdate finds it the same way."""
        return cls(context, text)

    def format(self, **fields: object) -> Deferred:
        return replace(self, fields=tuple(fields.items()))

    def __str__(self) -> str:
        # Whole numbers among the fields are written the user's way (format_number) as they are shown.
        fields = {
            name: format_number(value) if isinstance(value, int) and not isinstance(value, bool) else value
            for name, value in self.fields
        }
        return translate(self.context, self.text).format(**fields)
