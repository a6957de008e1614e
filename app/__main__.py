from __future__ import annotations

import multiprocessing
import sys

from app.cli import main

if __name__ == "__main__":
    # Documents are read in child processes; a frozen (PyInstaller) build must let them start.
    multiprocessing.freeze_support()
    sys.exit(main())
