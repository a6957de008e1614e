"""How Hearth shows a number of bytes: one function, one meaning of "GB".

Decimal units (1 KB = 1000 bytes, 1 GB = 1000^3), as macOS and Ubuntu's file managers, browsers and the
Hugging Face Hub show file sizes, so a download Hearth calls "12.1 GB" is the "12.1 GB" on the model's
page and in the Downloads folder. Memory is shown the same way, so a model's size and the memory it
needs compare like with like (a "16 GB" laptop's 16 GiB shows as 17.2 GB).
"""

from __future__ import annotations

from typing import Final

KB: Final = 1000
MB: Final = 1000**2
GB: Final = 1000**3

_UNITS: Final = ("KB", "MB", "GB", "TB")


def format_bytes(n_bytes: int) -> str:
    """A size for people: "999 bytes", "820 KB", "2.3 MB", "524 MB", "12.1 GB".

    One decimal below 100 of a unit (none for KB); the unit is chosen after rounding, so 999,999 bytes
    is "1.0 MB", never "1000 KB".
    """
    if n_bytes < KB:
        return "1 byte" if n_bytes == 1 else f"{n_bytes} bytes"
    value = float(n_bytes)
    for unit in _UNITS:
        value /= 1000
        text = f"{value:.1f}"
        if unit == "KB" or float(text) >= 100:
            text = f"{value:.0f}"
        if float(text) < 1000 or unit == _UNITS[-1]:
            return f"{text} {unit}"
    raise AssertionError("unreachable")
