"""Turn the frozen bundle (dist/Hearth) into hearth_VERSION_amd64.deb and hearth-VERSION-linux-x86_64.tar.gz.

The .deb puts the program in /opt/hearth, a link in /usr/bin, and the desktop file, icons, MIME type
and AppStream metadata under /usr/share, nothing else. It has no maintainer scripts: dpkg's triggers
refresh the desktop, MIME and icon caches, and nothing ever touches the user's data folder (history,
models, settings), so upgrading or removing Hearth keeps every conversation.

`Depends` lists what the bundle does not carry: for every shared library its programs and libraries
need from the system, the Debian package that holds it (`dpkg -S`), with the version floor from that
package's shlibs file; for glibc, the newest GLIBC_x.y symbol version actually used.

Usage: build_deb.py --bundle dist/Hearth --version 0.1.0 --out dist [--no-depends]
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE = "hearth"
ARCH = "amd64"
MAINTAINER = "Hearth developers <hearth@localhost>"
DESCRIPTION = """\
Private, offline chat with local AI models
 Hearth runs OpenAI's open-weight gpt-oss, and any other GGUF chat model,
 entirely on this computer: download a model once, then chat with no network
 and no account. Conversations, settings and models stay in the user's own
 data folder, which upgrading or removing this package never touches."""
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# Loaded by the kernel or the dynamic loader itself, never from a package's library list.
_LOADER = re.compile(r"^ld-linux.*|^linux-vdso.*")


def is_elf(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    with path.open("rb") as file:
        return file.read(4) == b"\x7fELF"


def elf_files(bundle: Path) -> list[Path]:
    return sorted(p for p in bundle.rglob("*") if is_elf(p))


def _readelf(*args: str | Path) -> str:
    result = subprocess.run(["readelf", "-W", *map(str, args)], check=True, capture_output=True, text=True)
    return result.stdout


def needed_libraries(elves: list[Path]) -> dict[str, Path]:
    """Every DT_NEEDED soname and one file that needs it."""
    needed: dict[str, Path] = {}
    for elf in elves:
        for soname in re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", _readelf("-d", elf)):
            needed.setdefault(soname, elf)
    return needed


def glibc_floor(elves: list[Path]) -> tuple[int, ...]:
    """The newest GLIBC_x.y version any file of the bundle asks for."""
    versions: set[tuple[int, ...]] = {(2, 0)}
    for elf in elves:
        for found in re.findall(r"\bGLIBC_(\d+(?:\.\d+)+)\b", _readelf("--dyn-syms", elf)):
            versions.add(tuple(int(n) for n in found.split(".")))
    return max(versions)


def _system_path(soname: str) -> Path | None:
    listing = subprocess.run(["ldconfig", "-p"], check=True, capture_output=True, text=True).stdout
    for line in listing.splitlines():
        name, _, rest = line.strip().partition(" ")
        if name == soname and "x86-64" in rest:
            return Path(rest.rsplit("=> ", 1)[-1])
    return None


def _owning_package(path: Path) -> str | None:
    # Merged /usr: a library found as /lib/x86_64-linux-gnu/... may be registered under /usr/lib/...
    for candidate in dict.fromkeys([path, path.resolve(), Path("/usr") / path.relative_to("/")]):
        result = subprocess.run(
            ["dpkg-query", "-S", str(candidate)], check=False, capture_output=True, text=True
        )
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].strip()
    return None


def _shlibs_floor(package: str, soname: str) -> str:
    """`package (>= version)` from the package's shlibs file, or the bare name."""
    match = re.fullmatch(r"(.+)\.so\.(\d+)", soname)
    info = Path("/var/lib/dpkg/info")
    # Multi-arch packages name theirs "liblzma5:amd64.shlibs".
    shlibs = [*info.glob(f"{package}.shlibs"), *info.glob(f"{package}:*.shlibs")]
    if match is None or not shlibs:
        return package
    library, major = match.groups()
    for line in shlibs[0].read_text(encoding="utf-8").splitlines():
        fields = line.split(None, 2)
        if len(fields) == 3 and fields[0] == library and fields[1] == major:
            return fields[2].strip()
    return package


def depends(bundle: Path) -> str:
    elves = elf_files(bundle)
    carried = {p.name for p in bundle.rglob("*")}
    entries: dict[str, str] = {}
    missing: list[str] = []
    for soname, user in sorted(needed_libraries(elves).items()):
        if soname in carried or _LOADER.match(soname):
            continue
        path = _system_path(soname)
        package = _owning_package(path) if path else None
        if package is None:
            missing.append(f"{soname} (needed by {user.relative_to(bundle)})")
            continue
        if package.startswith("libc6"):
            continue  # glibc's floor is computed from the symbol versions below
        entries.setdefault(package, _shlibs_floor(package, soname))
    if missing:
        raise SystemExit("no installed package provides: " + ", ".join(missing))
    floor = ".".join(map(str, glibc_floor(elves)))
    return ", ".join([f"libc6 (>= {floor})", *sorted(entries.values())])


def _copy_file(src: Path, dst: Path, mode: int = 0o644) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    dst.chmod(mode)


def stage(bundle: Path, root: Path, version: str) -> None:
    """Lay out the package's files under `root` (its future /)."""
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(bundle, root / "opt" / PACKAGE, symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / PACKAGE).symlink_to(f"/opt/{PACKAGE}/{PACKAGE}")
    share = root / "usr" / "share"
    _copy_file(HERE / "hearth.desktop", share / "applications" / "hearth.desktop")
    _copy_file(HERE / "hearth-mime.xml", share / "mime" / "packages" / "hearth.xml")
    metainfo = (HERE / "org.hearth_app.Hearth.metainfo.xml").read_text(encoding="utf-8")
    metainfo = metainfo.replace("@VERSION@", version).replace("@DATE@", _build_date())
    (share / "metainfo").mkdir(parents=True)
    (share / "metainfo" / "org.hearth_app.Hearth.metainfo.xml").write_text(metainfo, encoding="utf-8")
    icons = share / "icons" / "hicolor"
    _copy_file(HERE.parent.parent / "resources" / "icons" / "hearth.svg", icons / "scalable/apps/hearth.svg")
    for size in ICON_SIZES:
        _copy_file(HERE / "icons" / f"hearth-{size}.png", icons / f"{size}x{size}" / "apps" / "hearth.png")
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "Hearth is licensed under the Apache License 2.0; see /usr/share/common-licenses/Apache-2.0.\n"
        "The bundled Python, Qt (LGPL-3.0), llama.cpp (MIT) and Python packages keep their own licences,\n"
        "shipped beside them in /opt/hearth.\n",
        encoding="utf-8",
    )


def _build_date() -> str:
    # Reproducible builds set SOURCE_DATE_EPOCH; otherwise today.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC) if epoch else datetime.datetime.now()
    return moment.date().isoformat()


def installed_size_kib(root: Path) -> int:
    total = sum(p.lstat().st_size for p in root.rglob("*") if not p.is_dir())
    return (total + 1023) // 1024


def control(version: str, depends_line: str, size_kib: int) -> str:
    lines = [
        f"Package: {PACKAGE}",
        f"Version: {version}",
        f"Architecture: {ARCH}",
        f"Maintainer: {MAINTAINER}",
        f"Installed-Size: {size_kib}",
        *([f"Depends: {depends_line}"] if depends_line else []),
        "Section: utils",
        "Priority: optional",
        f"Description: {DESCRIPTION}",
    ]
    return "\n".join(lines) + "\n"


def build(bundle: Path, version: str, out: Path, *, with_depends: bool = True) -> tuple[Path, Path]:
    if not (bundle / PACKAGE).is_file():
        raise SystemExit(f"{bundle} is not a frozen Hearth (no {PACKAGE} program in it)")
    out.mkdir(parents=True, exist_ok=True)
    root = out / f"{PACKAGE}-deb-root"
    stage(bundle, root, version)
    (root / "DEBIAN").mkdir()
    depends_line = depends(bundle) if with_depends else ""
    size = installed_size_kib(root)
    (root / "DEBIAN" / "control").write_text(control(version, depends_line, size), encoding="utf-8")
    deb = out / f"{PACKAGE}_{version}_{ARCH}.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(deb)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(root)
    tarball = out / f"{PACKAGE}-{version}-linux-x86_64.tar.gz"
    with tarfile.open(tarball, "w:gz") as archive:
        archive.add(bundle, arcname=f"{PACKAGE}-{version}")
    return deb, tarball


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--no-depends", action="store_true", help="leave Depends out (test bundles)")
    args = parser.parse_args(argv)
    deb, tarball = build(args.bundle, args.version, args.out, with_depends=not args.no_depends)
    print(deb)
    print(tarball)
    return 0


if __name__ == "__main__":
    sys.exit(main())
