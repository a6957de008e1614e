"""The soak's summary: what each target covered, printed after the run whatever its outcome."""

from __future__ import annotations

import pytest

from tests.soak.driver import REPORT


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not REPORT:
        return
    terminalreporter.section("soak: what was covered")
    for coverage in REPORT:
        terminalreporter.write_line(coverage.line())
