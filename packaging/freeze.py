"""Build the frozen app from a clean venv: `python packaging/freeze.py` (Python 3.11, any platform).

1. the portable llama.cpp wheel (packaging/llama-wheel.sh: built once, cached by its flags);
2. a fresh venv holding only that wheel, Hearth and PyInstaller (the dev venv's test tools would be
   bundled too: PIL, fontTools, pytest);
3. the translations compiled into resources/i18n (packaging/i18n.py), which the bundle copies as it is;
4. `pyinstaller installer.spec` -> dist/Hearth/ (dist/Hearth.app on macOS);
5. on Linux: pyenv-style builds leave a RUNPATH in libpython that points at the build machine, and
   libpython and wasmtime's library are the ones worth stripping (numpy's OpenBLAS breaks when stripped).

The bundle's path is the last line printed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
DIST = ROOT / "dist"


def run(*command: str | Path, cwd: Path = ROOT) -> str:
    print("+", " ".join(str(part) for part in command), file=sys.stderr, flush=True)
    result = subprocess.run([str(part) for part in command], cwd=cwd, check=True, stdout=subprocess.PIPE)
    return result.stdout.decode()


def venv_python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def llama_wheel() -> Path:
    bash = shutil.which("bash")
    if bash is None:
        raise SystemExit("bash is needed to build the llama.cpp wheel (on Windows: Git Bash)")
    output = run(bash, ROOT / "packaging" / "llama-wheel.sh", Path(sys.executable).as_posix())
    return Path(output.strip().splitlines()[-1])


def build_venv() -> Path:
    folder = BUILD / "freeze-venv"
    shutil.rmtree(folder, ignore_errors=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    python = venv_python(folder)
    run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    # The wheel first, so installing Hearth finds llama-cpp-python satisfied and compiles nothing.
    run(python, "-m", "pip", "install", "--quiet", llama_wheel())
    run(python, "-m", "pip", "install", "--quiet", f"{ROOT}[package]")
    return python


def tidy_linux_bundle(bundle: Path) -> None:
    for libpython in (bundle / "_internal").glob("libpython3*.so*"):
        if shutil.which("patchelf"):
            run("patchelf", "--remove-rpath", libpython)
        run("strip", "--strip-unneeded", libpython)
    # wasmtime's wheel ships its library with its symbols: 5.6 MB of the 30 MB (the python tool's sandbox).
    for wasmtime in (bundle / "_internal" / "wasmtime").glob("*/_libwasmtime.so"):
        run("strip", "--strip-unneeded", wasmtime)
    link_duplicates(bundle / "_internal" / "llama_cpp" / "lib")


def link_duplicates(folder: Path) -> None:
    """llama_cpp loads libllama.so by name while the libraries need each other as libggml.so.0: the
    wheel (zip files hold no links) carries both names as copies. Keep the versioned file, link the other."""
    by_content: dict[bytes, list[Path]] = {}
    for library in sorted(folder.glob("lib*.so*")):
        if not library.is_symlink():
            by_content.setdefault(hashlib.sha256(library.read_bytes()).digest(), []).append(library)
    for copies in by_content.values():
        keeper = max(copies, key=lambda path: len(path.name))
        for copy in copies:
            if copy != keeper:
                copy.unlink()
                copy.symlink_to(keeper.name)


def main() -> int:
    python = build_venv()
    run(python, ROOT / "packaging" / "i18n.py", "compile")
    run(
        python,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        DIST,
        "--workpath",
        BUILD / "pyinstaller",
        ROOT / "installer.spec",
    )
    if sys.platform == "darwin":
        bundle = DIST / "Hearth.app"
    else:
        bundle = DIST / "Hearth"
        if sys.platform.startswith("linux"):
            tidy_linux_bundle(bundle)
    print(bundle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
