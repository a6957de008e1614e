"""Where the app's icons and style sheets are: in a frozen build, an installed wheel, or a checkout."""

from __future__ import annotations

import sys
from pathlib import Path

_APP = Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    installed = _APP / "resources"  # copied into wheels by setup.py
    if installed.is_dir():
        return installed
    return _APP.parent / "resources"


def app_icon_path() -> Path:
    return resources_dir() / "icons" / "hearth.svg"


def style_sheet() -> str:
    return (resources_dir() / "themes" / "base.qss").read_text(encoding="utf-8")


def icons_dir() -> Path:
    return resources_dir() / "icons"


def icon_path(name: str) -> Path:
    """A line icon's SVG by its name ("send", "copy"); app.ui.icons recolours it for the theme."""
    return icons_dir() / f"{name}.svg"
