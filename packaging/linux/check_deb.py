"""Check a built hearth .deb before anyone installs it; print each problem and exit 1 if there is one.

- files only in /opt/hearth, /usr/share and the /usr/bin/hearth link (a package that scatters files,
  or writes into a home folder, could clash with other packages or touch user data);
- no maintainer scripts (nothing runs as root at install or removal, and nothing can delete the user's
  history: upgrades and removal keep it by construction);
- the desktop file passes desktop-file-validate, the AppStream metadata passes appstreamcli, and the
  MIME type compiles with update-mime-database and maps *.gguf to it;
- every hicolor PNG decodes to the size its folder promises;
- llama.cpp's libraries hold no AVX-512 instruction (a -march=native build crashes most laptops);
- the size budgets: the .deb at most 90 MB, installed at most 300 MB (Installed-Size; the python tool's
  sandbox added 32 MB of it: wasmtime's library and the compressed CPython for WASI).

Usage: check_deb.py DEB [--max-deb-mb 90] [--max-installed-mb 300]
"""

from __future__ import annotations

import argparse
import os
import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

ALLOWED = re.compile(r"^\./(opt/hearth(/.*)?|usr/share/.*|usr/bin/hearth|usr/|usr/bin/|usr/share/|opt/)?$")
DESKTOP = "usr/share/applications/hearth.desktop"
METAINFO = "usr/share/metainfo/org.hearth_app.Hearth.metainfo.xml"
MIME = "usr/share/mime/packages/hearth.xml"
MB = 1_000_000


def _run(*command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), check=False, capture_output=True, text=True, env=env)


# Libraries under the GPL itself (not the LGPL, not with a runtime exception): bundling one would put
# the whole program under the GPL. Python's readline module pulls in GNU readline unless excluded.
GPL_LIBRARIES = re.compile(r"/lib(readline|history)\.so[.\d]*$")


def listing_problems(listing: str) -> list[str]:
    problems = []
    for line in listing.splitlines():
        # dpkg-deb -c: "perms owner/group size date time ./path[ -> target]"
        path = line.split(maxsplit=5)[5].split(" -> ")[0]
        if not ALLOWED.match(path):
            problems.append(f"file outside /opt/hearth and /usr/share: {path}")
        if GPL_LIBRARIES.search(path):
            problems.append(f"a GPL library is bundled: {path}")
    return problems


def png_size(data: bytes) -> tuple[int, int] | None:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def icon_problems(root: Path) -> list[str]:
    problems = []
    icons = sorted((root / "usr/share/icons/hicolor").glob("*x*/apps/hearth.png"))
    if not icons:
        problems.append("no hicolor PNG icons")
    for icon in icons:
        side = int(icon.parent.parent.name.split("x")[0])
        if png_size(icon.read_bytes()) != (side, side):
            problems.append(f"{icon.relative_to(root)} is not a {side}x{side} PNG")
    if not (root / "usr/share/icons/hicolor/scalable/apps/hearth.svg").is_file():
        problems.append("no scalable SVG icon")
    return problems


def mime_problems(root: Path) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "mime"
        (database / "packages").mkdir(parents=True)
        (database / "packages" / "hearth.xml").write_bytes((root / MIME).read_bytes())
        # On the data path, or it adds a note that the folder is not searched.
        result = _run("update-mime-database", str(database), env={**os.environ, "XDG_DATA_DIRS": tmp})
        if result.returncode != 0 or result.stderr.strip():
            return [f"the MIME type does not compile: {result.stderr.strip()}"]
        globs = (database / "globs2").read_text(encoding="utf-8")
        if ":application/x-gguf:*.gguf" not in globs:
            return ["the MIME database does not map *.gguf to application/x-gguf"]
    return []


def avx512_instructions(library: Path) -> int:
    """How many instructions of `library` use AVX-512's zmm registers (objdump, from binutils)."""
    listing = subprocess.run(
        ["objdump", "-d", "--no-show-raw-insn", str(library)], check=True, capture_output=True, text=True
    ).stdout
    return listing.count("%zmm")


def portability_problems(root: Path) -> list[str]:
    libraries = sorted((root / "opt/hearth/_internal/llama_cpp/lib").glob("lib*.so*"))
    problems = [
        f"{lib.name} has {n} AVX-512 instructions" for lib in libraries if (n := avx512_instructions(lib))
    ]
    return problems


def validator_problems(root: Path) -> list[str]:
    problems = []
    desktop = _run("desktop-file-validate", str(root / DESKTOP))
    if desktop.returncode != 0 or desktop.stdout.strip():
        problems.append(f"desktop-file-validate: {desktop.stdout.strip() or desktop.stderr.strip()}")
    metainfo = _run("appstreamcli", "validate", "--no-net", "--explain", str(root / METAINFO))
    if metainfo.returncode != 0:
        problems.append(f"appstreamcli validate: {metainfo.stdout.strip()}")
    return problems


def control_problems(deb: Path, max_installed_mb: float) -> list[str]:
    info = _run("dpkg-deb", "--info", str(deb)).stdout
    problems = []
    scripts = [name for name in ("preinst", "postinst", "prerm", "postrm", "config") if f" {name} " in info]
    if scripts:
        problems.append("maintainer scripts present: " + ", ".join(scripts))
    match = re.search(r"^ Installed-Size: (\d+)$", info, re.MULTILINE)
    if match is None:
        problems.append("no Installed-Size in the control file")
    elif int(match.group(1)) * 1024 > max_installed_mb * MB:
        problems.append(f"installed size {int(match.group(1)) * 1024 / MB:.0f} MB > {max_installed_mb:g} MB")
    return problems


def check(deb: Path, *, max_deb_mb: float, max_installed_mb: float) -> list[str]:
    problems = []
    if deb.stat().st_size > max_deb_mb * MB:
        problems.append(f"the .deb is {deb.stat().st_size / MB:.0f} MB > {max_deb_mb:g} MB")
    problems += control_problems(deb, max_installed_mb)
    listed = _run("dpkg-deb", "--contents", str(deb))
    if listed.returncode != 0:
        return [*problems, f"dpkg-deb cannot read it: {listed.stderr.strip()}"]
    problems += listing_problems(listed.stdout)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        subprocess.run(["dpkg-deb", "--extract", str(deb), tmp], check=True)
        missing = [f"missing /{path}" for path in (DESKTOP, METAINFO, MIME) if not (root / path).is_file()]
        problems += missing or validator_problems(root) + mime_problems(root)
        problems += icon_problems(root) + portability_problems(root)
        link = root / "usr/bin/hearth"
        if not link.is_symlink() or str(link.readlink()) != "/opt/hearth/hearth":
            problems.append("/usr/bin/hearth is not a link to /opt/hearth/hearth")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("deb", type=Path)
    parser.add_argument("--max-deb-mb", type=float, default=90)
    parser.add_argument("--max-installed-mb", type=float, default=300)
    args = parser.parse_args(argv)
    problems = check(args.deb, max_deb_mb=args.max_deb_mb, max_installed_mb=args.max_installed_mb)
    for problem in problems:
        print(f"{args.deb.name}: {problem}", file=sys.stderr)
    if not problems:
        print(f"{args.deb.name}: ok ({args.deb.stat().st_size / MB:.1f} MB)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
