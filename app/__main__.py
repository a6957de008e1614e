"""The program's entry point: `python -m app`, the installed `hearth` command and the frozen app.

Nothing heavy may be imported before multiprocessing.freeze_support(). Documents are read in child
processes; in a frozen build each child starts this same executable, and freeze_support() is what turns
it into the child and runs the reader. Had app.cli been imported first, every child would load llama.cpp
and Qt before reading a page: 2.0 s and 129 MB per child instead of 0.4 s and 63 MB (measured).
"""

from __future__ import annotations

import multiprocessing
import sys


def launch() -> int:
    multiprocessing.freeze_support()
    from app.cli import main

    return main()


if __name__ == "__main__":
    sys.exit(launch())
