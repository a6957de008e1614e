"""The program's entry point: `python -m app`, the installed `hearth` command and the frozen app.

Nothing heavy may be imported before multiprocessing.freeze_support(). Documents are read in child
processes; in a frozen build each child starts this same executable, and freeze_support() is what turns
it into the child and runs the reader. Had app.cli been imported first, every child would load llama.cpp
and Qt before reading a page: 2.0 s and 129 MB per child instead of 0.4 s and 63 MB (measured).

It is also the last resort of a start: an error nothing else caught, even in importing the program (a
broken install), is logged with its stack when a log can be opened and reaches the user as one line,
never as a traceback; Ctrl+C while Hearth starts ends it quietly.
"""

from __future__ import annotations

import multiprocessing
import sys

EXIT_CANNOT_START = 1  # app.startup's, which may be the part that cannot be imported
EXIT_INTERRUPTED = 130  # the shell's status for a program ended by Ctrl+C


def launch() -> int:
    multiprocessing.freeze_support()
    try:
        from app.cli import main

        return main()
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as error:
        try:
            from app.startup import cannot_start

            return cannot_start(error)
        except Exception:  # the install is too broken even for that (a package missing): words only
            if sys.stderr is not None:
                summary = " ".join(f"{type(error).__name__}: {error}".split())
                print(f"hearth: error: Hearth could not start ({summary})", file=sys.stderr)
            return EXIT_CANNOT_START


if __name__ == "__main__":
    sys.exit(launch())
