"""`make bench-package` (after `make package`): the frozen app against the same code run from source.

- bundle size by component (what to prune next);
- the glibc floor of the bundle (the oldest Linux it runs on);
- cold start to a visible window, frozen / source (P4: within 1.5x), on a virtual X screen;
- a document-reading child process (start + read a one-page PDF), frozen / source: the launcher runs
  freeze_support() first, so a frozen child does not load llama.cpp and Qt.
Each ratio is measured in one run, alternating frozen and source.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from tests.fixtures.packaging_scripts import load_script

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "Hearth"
FROZEN = BUNDLE / "hearth"
SOURCE = ROOT / ".venv" / "bin" / "hearth"
RUNS = 5
MB = 1_000_000
DISPLAY = ":97"


def component(relative: Path) -> str:
    top, name = relative.parts[0], relative.name
    if top == "PySide6" or name.startswith(("libQt6", "libicu", "libpyside", "libshiboken")):
        return "Qt (PySide6, ICU)"
    if top == "llama_cpp" or name.startswith(("libllama", "libggml")):
        return "llama.cpp"
    if top in ("numpy", "numpy.libs"):
        return "numpy (gguf)"
    if top in ("python3.11", "base_library.zip") or name.startswith("libpython"):
        return "Python"
    if top.endswith((".so", ".so.0", ".so.1")) or re.match(r"lib.*\.so", top):
        return "system libraries"
    return top if top in ("cryptography", "lxml", "sqlalchemy", "hf_xet") else "other Python packages"


def sizes() -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    internal = BUNDLE / "_internal"
    for path in internal.rglob("*"):
        if path.is_file() and not path.is_symlink():
            totals[component(path.relative_to(internal))] += path.stat().st_size
    totals["the program"] = FROZEN.stat().st_size
    return dict(totals)


def glibc_floor() -> str:
    module = load_script("linux/build_deb.py")
    floor: tuple[int, ...] = module.glibc_floor(module.elf_files(BUNDLE))
    return ".".join(map(str, floor))


def time_to_window(program: Path, home: Path) -> float:
    env = {**os.environ, "DISPLAY": DISPLAY, "HEARTH_HOME": str(home), "QT_QPA_PLATFORM": "xcb"}
    started = time.perf_counter()
    process = subprocess.Popen([str(program)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while process.poll() is None:
            found = subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--name", "^Hearth"],
                env=env,
                capture_output=True,
                check=False,
            )
            if found.stdout.strip():
                return time.perf_counter() - started
            time.sleep(0.005)
        raise RuntimeError(f"{program} exited before showing a window")
    finally:
        process.kill()
        process.wait()


def child_read_seconds(program: Path, home: Path) -> float:
    env = {**os.environ, "HEARTH_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([str(program), "--self-test"], env=env, capture_output=True, text=True, check=True)
    match = re.search(r"^ok\s+documents\s.*\((\d+\.\d+) s\)$", done.stdout, re.MULTILINE)
    assert match is not None, done.stdout
    return float(match.group(1))


def alternate(measure: str, home: Path) -> tuple[float, float]:
    frozen, source = [], []
    for _ in range(RUNS):
        if measure == "window":
            frozen.append(time_to_window(FROZEN, home))
            source.append(time_to_window(SOURCE, home))
        else:
            frozen.append(child_read_seconds(FROZEN, home))
            source.append(child_read_seconds(SOURCE, home))
    return statistics.median(frozen), statistics.median(source)


def main() -> int:
    if not FROZEN.is_file() or not SOURCE.is_file():
        print("package bench: run `make package` and `make setup` first", file=sys.stderr)
        return 1
    print("== Frozen app (dist/Hearth) ==")
    table = sorted(sizes().items(), key=lambda item: -item[1])
    for name, size in table:
        print(f"  {name:<24} {size / MB:7.1f} MB")
    print(f"  {'total':<24} {sum(s for _n, s in table) / MB:7.1f} MB")
    print(f"  glibc floor: {glibc_floor()}")
    xvfb = subprocess.Popen(["Xvfb", DISPLAY, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
    try:
        time.sleep(1.0)  # Xvfb has no readiness signal; the first measurement would pay for it
        with tempfile.TemporaryDirectory() as home:
            frozen_s, source_s = alternate("window", Path(home))
            print(f"  cold start to a visible window: frozen {frozen_s:.2f} s, source {source_s:.2f} s")
            print(f"  P4 frozen / source = {frozen_s / source_s:.2f} (goal <= 1.5)")
            frozen_s, source_s = alternate("child", Path(home))
            print(f"  PDF read in a child process: frozen {frozen_s:.2f} s, source {source_s:.2f} s")
            print(f"  child frozen / source = {frozen_s / source_s:.2f}")
    finally:
        xvfb.terminate()  # not kill(): Xvfb removes its lock file on the way out
        xvfb.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
