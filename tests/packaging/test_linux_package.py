"""The .deb and .tar.gz, built by packaging/linux/build_deb.py from a stub bundle, checked like the real one.

The real frozen app takes minutes to build, so `make package` and CI check that one; here a stub bundle
(a real ELF program and library from this system) goes through the same scripts, and dpkg installs,
upgrades and purges it in a private root to show that the user's data folder is never touched.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

LINUX = Path(__file__).resolve().parents[2] / "packaging" / "linux"
BUILD = LINUX / "build_deb.py"
CHECK = LINUX / "check_deb.py"
Completed = subprocess.CompletedProcess[str]
DEBS = "dpkg-dev desktop-file-utils appstream shared-mime-info"


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found: apt-get install {DEBS}")
    return path


def run(*args: str | Path) -> Completed:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=False, timeout=300)


def stub_bundle(folder: Path, *, carry_lzma: bool = False, extra: str = "") -> Path:
    """A one-folder build in miniature: the program is xz (it needs liblzma.so.5 and glibc)."""
    (folder / "_internal").mkdir(parents=True)
    shutil.copy(tool("xz"), folder / "hearth")
    if carry_lzma:
        lzma = next(Path(p) for p in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu"))
        shutil.copy(lzma / "liblzma.so.5", folder / "_internal" / "liblzma.so.5")
    if extra:
        (folder / "_internal" / extra).write_text(extra)
    return folder


def build(bundle: Path, out: Path, version: str = "0.1.0", *flags: str) -> tuple[Path, Path]:
    done = run(sys.executable, BUILD, "--bundle", bundle, "--version", version, "--out", out, *flags)
    assert done.returncode == 0, done.stderr
    deb, tarball = (Path(line) for line in done.stdout.split())
    return deb, tarball


def control_field(deb: Path, field: str) -> str:
    return run(tool("dpkg-deb"), "--field", deb, field).stdout.strip()


@pytest.fixture(scope="module")
def stub_deb(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("deb")
    return build(stub_bundle(tmp / "Hearth"), tmp / "dist")


def test_the_package_passes_its_own_checks(stub_deb: tuple[Path, Path]) -> None:
    deb, _tarball = stub_deb
    for name in ("desktop-file-validate", "appstreamcli", "update-mime-database"):
        tool(name)
    checked = run(sys.executable, CHECK, deb)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("hearth_0.1.0_amd64.deb: ok (")


def test_files_go_only_to_opt_usr_share_and_the_command(stub_deb: tuple[Path, Path]) -> None:
    deb, _tarball = stub_deb
    listing = run(tool("dpkg-deb"), "--contents", deb).stdout
    paths = [line.split(maxsplit=5)[5] for line in listing.splitlines()]
    files = [p for p in paths if not p.endswith("/")]
    assert "./opt/hearth/hearth" in files
    assert "./usr/bin/hearth -> /opt/hearth/hearth" in files
    for expected in (
        "./usr/share/applications/hearth.desktop",
        "./usr/share/mime/packages/hearth.xml",
        "./usr/share/metainfo/org.hearth_app.Hearth.metainfo.xml",
        "./usr/share/icons/hicolor/scalable/apps/hearth.svg",
        "./usr/share/icons/hicolor/256x256/apps/hearth.png",
        "./usr/share/doc/hearth/copyright",
    ):
        assert expected in files
    strays = [p for p in files if not p.startswith(("./opt/hearth/", "./usr/share/", "./usr/bin/hearth "))]
    assert strays == []


def test_the_control_file(stub_deb: tuple[Path, Path]) -> None:
    deb, _tarball = stub_deb
    assert control_field(deb, "Package") == "hearth"
    assert control_field(deb, "Version") == "0.1.0"
    assert control_field(deb, "Architecture") == "amd64"
    assert int(control_field(deb, "Installed-Size")) > 0
    info = run(tool("dpkg-deb"), "--info", deb).stdout
    assert not any(f" {script} " in info for script in ("preinst", "postinst", "prerm", "postrm"))


def test_depends_names_what_the_bundle_does_not_carry(tmp_path: Path) -> None:
    depends = control_field(build(stub_bundle(tmp_path / "a"), tmp_path / "out-a")[0], "Depends")
    assert depends.startswith("libc6 (>= 2.")
    assert "liblzma5 (>= " in depends, "the floor comes from liblzma5's shlibs file"
    carried = stub_bundle(tmp_path / "b", carry_lzma=True)
    depends = control_field(build(carried, tmp_path / "out-b")[0], "Depends")
    assert depends.startswith("libc6 (>= 2.")
    assert "liblzma" not in depends


def test_the_tarball_holds_the_same_folder(stub_deb: tuple[Path, Path]) -> None:
    _deb, tarball = stub_deb
    assert tarball.name == "hearth-0.1.0-linux-x86_64.tar.gz"
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
        member = archive.getmember("hearth-0.1.0/hearth")
    assert "hearth-0.1.0/_internal" in names
    assert member.mode & 0o111, "the program stays executable"


def test_the_checker_reports_stray_files_scripts_and_budgets(tmp_path: Path) -> None:
    root = tmp_path / "bad"
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "hearth.conf").write_text("stray")
    (root / "opt/hearth/_internal").mkdir(parents=True)
    (root / "opt/hearth/_internal/libreadline.so.8").write_bytes(b"\x7fELF")
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN" / "control").write_text(
        "Package: hearth\nVersion: 0.1.0\nArchitecture: amd64\nMaintainer: x <x@x>\n"
        "Installed-Size: 400000\nDescription: bad\n bad\n"
    )
    (root / "DEBIAN" / "postrm").write_text("#!/bin/sh\nrm -rf /root/.local/share/Hearth\n")
    (root / "DEBIAN" / "postrm").chmod(0o755)
    deb = tmp_path / "bad.deb"
    assert run(tool("dpkg-deb"), "--root-owner-group", "--build", root, deb).returncode == 0
    checked = run(sys.executable, CHECK, deb, "--max-deb-mb", "0.0001")
    assert checked.returncode == 1
    assert "file outside /opt/hearth and /usr/share: ./etc/hearth.conf" in checked.stderr
    assert "maintainer scripts present: postrm" in checked.stderr
    assert "a GPL library is bundled: ./opt/hearth/_internal/libreadline.so.8" in checked.stderr
    assert "installed size 410 MB > 300 MB" in checked.stderr
    assert "the .deb is 0 MB > 0.0001 MB" in checked.stderr
    assert "missing /usr/share/applications/hearth.desktop" in checked.stderr
    assert "no hicolor PNG icons" in checked.stderr
    assert "/usr/bin/hearth is not a link to /opt/hearth/hearth" in checked.stderr


def dpkg_in(root: Path, *args: str | Path) -> Completed:
    # A private dpkg database: the stub is installed into `root`, never into this machine.
    return run(tool("dpkg"), f"--root={root}", "--force-depends", "--force-script-chrootless", *args)


def test_upgrade_and_purge_never_touch_the_users_data(tmp_path: Path) -> None:
    old = build(stub_bundle(tmp_path / "old", extra="only-in-old.txt"), tmp_path / "d1", "0.1.0")[0]
    new = build(stub_bundle(tmp_path / "new", extra="only-in-new.txt"), tmp_path / "d2", "0.2.0")[0]
    root = tmp_path / "root"
    for folder in ("info", "updates", "triggers"):
        (root / "var/lib/dpkg" / folder).mkdir(parents=True)
    (root / "var/lib/dpkg/status").touch()
    data = root / "home/ada/.local/share/Hearth"
    data.mkdir(parents=True)
    (data / "history.sqlite3").write_bytes(b"every conversation")
    (data / "models").mkdir()
    (data / "models" / "gpt-oss-20b-mxfp4.gguf").write_bytes(b"GGUF weights")
    before = {p.relative_to(data): p.read_bytes() for p in data.rglob("*") if p.is_file()}

    installed = dpkg_in(root, "--install", old)
    assert installed.returncode == 0, installed.stderr
    assert (root / "opt/hearth/_internal/only-in-old.txt").is_file()
    upgraded = dpkg_in(root, "--install", new)
    assert upgraded.returncode == 0, upgraded.stderr
    assert (root / "opt/hearth/_internal/only-in-new.txt").is_file()
    assert not (root / "opt/hearth/_internal/only-in-old.txt").exists(), "the old version's files are gone"
    assert "Version: 0.2.0" in dpkg_in(root, "--status", "hearth").stdout
    purged = dpkg_in(root, "--purge", "hearth")
    assert purged.returncode == 0, purged.stderr
    assert not (root / "opt/hearth").exists()
    assert not (root / "usr/bin/hearth").is_symlink()
    assert {p.relative_to(data): p.read_bytes() for p in data.rglob("*") if p.is_file()} == before
