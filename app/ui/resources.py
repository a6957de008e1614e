"""Where the app's icons and style sheets are, in a checkout and in a frozen (PyInstaller) build."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent.parent / "resources"


def app_icon_path() -> Path:
    return resources_dir() / "icons" / "hearth.svg"


def style_sheet() -> str:
    return (resources_dir() / "themes" / "base.qss").read_text(encoding="utf-8")
