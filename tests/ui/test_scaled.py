"""The window on a 200% display: Qt takes the scale factor at start-up, so it runs in its own process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage


def scaled_window(out: Path, *, scale: str, language: str = "en") -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-m", "tests.fixtures.scaled_window", str(out), language],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": scale},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    measured: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return measured


def test_at_200_percent_everything_is_drawn_at_twice_the_pixels(screenshots: Path) -> None:
    out = screenshots / "window-200.png"
    measured = scaled_window(out, scale="2")
    width, height = (int(n) for n in measured["logical"])  # type: ignore[attr-defined]
    assert measured["ratio"] == 2.0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (2 * width, 2 * height), "drawn at the display's pixels"


def test_the_window_in_german(screenshots: Path) -> None:
    measured = scaled_window(screenshots / "german.png", scale="1", language="de")
    assert measured["language"] == "de", "the compiled German translation was found and loaded"
