"""How Hearth shows a number of bytes: one function, one meaning of "GB".

Decimal units (1 KB = 1000 bytes, 1 GB = 1000^3), as macOS and Ubuntu's file managers, browsers and the
Hugging Face Hub show file sizes, so a download Hearth calls "12.1 GB" is the "12.1 GB" on the model's
page and in the Downloads folder. Memory is shown the same way, so a model's size and the memory it
needs compare like with like (a "16 GB" laptop's 16 GiB shows as 17.2 GB).
"""

from __future__ import annotations

from typing import Final

from app.i18n import format_number, translate

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
        if n_bytes == 1:
            return translate("Units", "1 byte")
        return translate("Units", "{count} bytes").format(count=n_bytes)
    value = float(n_bytes)
    for unit in _UNITS:
        value /= 1000
        decimals = 1
        if unit == "KB" or float(f"{value:.1f}") >= 100:
            decimals = 0
        if float(f"{value:.{decimals}f}") < 1000 or unit == _UNITS[-1]:
            # The digits in the user's way (12.1 GB, or 12,1 GB in German); the units are the same.
            return f"{format_number(value, decimals)} {unit}"
    raise AssertionError("unreachable")
