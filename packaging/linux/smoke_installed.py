"""CI's check of the installed .deb: the program on PATH is the packaged one, it passes its self-test,
answers a question about an attached PDF with a tiny model, and after removal the history is still there.

Run from the checkout with the dev venv's Python and PYTHONPATH=. (it makes the tiny model and the PDF
with the checkout's code; the program under test is /usr/bin/hearth):
    smoke_installed.py installed DATA_DIR     after `apt-get install ./dist/hearth_*.deb`
    smoke_installed.py removed DATA_DIR       after `apt-get remove hearth`
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from app import __version__
from app.selftest.tiny_model import ANSWER, build_plain_model
from tests.fixtures.documents import write_pdf

PROGRAM = Path("/usr/bin/hearth")
BUNDLE = Path("/opt/hearth")
QUESTION = "What is the notice period?"


def hearth(home: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    # Run from an empty folder with a bare environment, so nothing of the checkout can leak in.
    env = {"PATH": "/usr/bin:/bin", "HEARTH_HOME": str(home), "HOME": str(home), "LANG": "C.UTF-8"}
    with tempfile.TemporaryDirectory() as cwd:
        done = subprocess.run(
            [str(PROGRAM), *map(str, args)],
            check=False,
            capture_output=True,
            text=True,
            env=env,
            cwd=cwd,
            timeout=300,
        )
    print(f"$ hearth {' '.join(map(str, args))}\n{done.stdout}{done.stderr}", end="")
    return done


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"smoke test failed: {message}")


def installed(home: Path) -> None:
    check(shutil.which("hearth") == str(PROGRAM), f"hearth on PATH is {shutil.which('hearth')}")
    check(PROGRAM.resolve() == BUNDLE / "hearth", f"{PROGRAM} points at {PROGRAM.resolve()}")
    version = hearth(home, "--version")
    check(version.stdout.strip() == f"Hearth {__version__}", "wrong --version")
    check(hearth(home, "--self-test").returncode == 0, "the self-test failed")
    work = Path(tempfile.mkdtemp())
    model = build_plain_model(work / "tiny.gguf")
    pdf = write_pdf(work / "lease.pdf", ["The tenancy runs for a year.", "The notice period is two months."])
    asked = hearth(home, "ask", "--model", model.path, "--attach", pdf, QUESTION)
    check(asked.returncode == 0, "hearth ask failed")
    check(asked.stdout == ANSWER + "\n", "the answer is not the tiny model's script")
    check("Attached lease.pdf (PDF" in asked.stderr, "the PDF was not attached")
    check("Read the whole document: lease.pdf" in asked.stderr, "the PDF was not given to the model")
    as_json = hearth(home, "ask", "--json", "--model", model.path, "--attach", pdf, QUESTION)
    check(as_json.returncode == 0, "hearth ask --json failed")
    result = json.loads(as_json.stdout)
    check(result["answer"] == ANSWER and result["documents"][0]["name"] == "lease.pdf", "wrong JSON")
    shutil.rmtree(work)


def removed(home: Path) -> None:
    check(not PROGRAM.exists() and not PROGRAM.is_symlink(), f"{PROGRAM} is still there")
    check(not BUNDLE.exists(), f"{BUNDLE} is still there")
    with sqlite3.connect(home / "history.sqlite3") as db:
        questions = db.execute("SELECT count(*) FROM messages WHERE role = 'user'").fetchone()[0]
    check(questions == 2, f"the history holds {questions} questions after removal, not 2")
    print(f"after removal the history in {home} still holds both conversations")


def main() -> int:
    phase, home = sys.argv[1], Path(sys.argv[2])
    {"installed": installed, "removed": removed}[phase](home)
    print(f"smoke test ({phase}): ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
