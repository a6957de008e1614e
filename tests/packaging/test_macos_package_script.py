"""packaging/macos/package.sh in its dry run (it needs no Apple tool): the order in which it signs,
notarizes and builds the dmg, and what it refuses."""

from __future__ import annotations

import os
import plistlib
import re
import shlex
import struct
import subprocess
from pathlib import Path

import pytest

from tests.fixtures.macos_bundle import MACOS, info_plist

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = MACOS / "package.sh"
IDENTITY = "Developer ID Application: Hearth Test (ABCDE12345)"
CREDENTIAL_VARS = (
    "HEARTH_MACOS_IDENTITY",
    "HEARTH_NOTARY_PROFILE",
    "APPLE_ID",
    "APPLE_TEAM_ID",
    "APPLE_APP_PASSWORD",
    "HEARTH_DRY_RUN",
)


# --- package.sh ----------------------------------------------------------------------------------------


def macho(filetype: int) -> bytes:
    """A 64-bit little-endian Mach-O header (arm64): 2 is an executable, 6 a dylib, 8 a loadable bundle."""
    return struct.pack("<IiiIIII", 0xFEEDFACF, 0x0100000C, 0, filetype, 0, 0, 0) + bytes(32)


def fat_macho(filetype: int) -> bytes:
    """A universal binary whose one architecture starts at byte 64."""
    header = struct.pack(">II", 0xCAFEBABE, 1) + struct.pack(">iiIII", 0x0100000C, 0, 64, 64, 12)
    return header.ljust(64, b"\0") + macho(filetype)


@pytest.fixture
def fake_app(tmp_path: Path) -> Path:
    app = tmp_path / "dist" / "Hearth.app"
    contents = app / "Contents"
    framework = contents / "Frameworks" / "QtCore.framework"
    for folder in (contents / "MacOS", framework / "Versions" / "A", contents / "Resources"):
        folder.mkdir(parents=True)
    (contents / "MacOS" / "Hearth").write_bytes(macho(2))
    (contents / "MacOS" / "Hearth").chmod(0o755)
    (framework / "Versions" / "A" / "QtCore").write_bytes(macho(6))
    (framework / "Versions" / "Current").symlink_to("A")
    (framework / "QtCore").symlink_to("Versions/Current/QtCore")
    (contents / "Frameworks" / "libfoo.dylib").write_bytes(b"")  # a .dylib is code whatever it holds
    (contents / "Resources" / "x.so").write_bytes(macho(8))
    (contents / "Frameworks" / "helper").write_bytes(fat_macho(2))  # an executable, but not the main one
    # A framework inside another one: the inner bundle must be sealed before the outer.
    inner = contents / "Frameworks" / "Outer.framework" / "Frameworks" / "Inner.framework"
    inner.mkdir(parents=True)
    (inner / "Inner").write_bytes(macho(6))
    (inner.parent.parent / "Outer").write_bytes(macho(6))
    # Not code: none of these may be signed.
    (contents / "Info.plist").write_bytes(plistlib.dumps(info_plist("0.1.0")))
    (contents / "Resources" / "data.txt").write_text("not code\n")
    (contents / "Resources" / "Thing.class").write_bytes(struct.pack(">II", 0xCAFEBABE, 52) + bytes(24))
    # A universal header whose first architecture would start at byte 0: not code, and no endless loop.
    (contents / "Resources" / "broken").write_bytes(struct.pack(">II", 0xCAFEBABE, 1) + bytes(24))
    (contents / "Frameworks" / "x.so").symlink_to("../Resources/x.so")
    return app


def package(
    app: Path, env: dict[str, str] | None = None, version: str = "0.1.0", arch: str = "arm64"
) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if key not in CREDENTIAL_VARS}
    return subprocess.run(
        ["bash", str(SCRIPT), str(app), version, arch],
        capture_output=True,
        text=True,
        env={**clean, "HEARTH_DRY_RUN": "1", **(env or {})},
        timeout=60,
        check=False,
    )


def commands(result: subprocess.CompletedProcess[str]) -> list[list[str]]:
    assert result.returncode == 0, result.stderr
    return [shlex.split(line[2:]) for line in result.stdout.splitlines() if line.startswith("+ ")]


def signs(cmds: list[list[str]]) -> dict[str, int]:
    """What codesign signed (its last argument), by the index of the command that signed it."""
    signed: dict[str, int] = {}
    for index, cmd in enumerate(cmds):
        if cmd[0] == "codesign" and "--sign" in cmd:
            assert cmd[-1] not in signed, f"{cmd[-1]} signed twice"
            signed[cmd[-1]] = index
    return signed


def index_of(cmds: list[list[str]], *prefix: str) -> int:
    matches = [index for index, cmd in enumerate(cmds) if cmd[: len(prefix)] == list(prefix)]
    assert len(matches) == 1, (prefix, cmds)
    return matches[0]


def tree(root: Path) -> dict[str, bytes | str]:
    return {
        str(path.relative_to(root)): str(path.readlink()) if path.is_symlink() else path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_symlink() or path.is_file()
    }


def test_signing_goes_inside_out_with_the_hardened_runtime(fake_app: Path) -> None:
    before = tree(fake_app)
    cmds = commands(package(fake_app, {"HEARTH_MACOS_IDENTITY": IDENTITY}))
    signed = signs(cmds)
    contents = fake_app / "Contents"
    framework = contents / "Frameworks" / "QtCore.framework"
    outer = contents / "Frameworks" / "Outer.framework"
    inner = outer / "Frameworks" / "Inner.framework"
    nested = [
        framework / "Versions" / "A" / "QtCore",
        contents / "Frameworks" / "libfoo.dylib",
        contents / "Resources" / "x.so",
        contents / "Frameworks" / "helper",
        outer / "Outer",
        inner / "Inner",
    ]
    main = contents / "MacOS" / "Hearth"
    dmg = str(ROOT / "dist" / "Hearth-0.1.0-macos-arm64.dmg")
    # Each piece of code once; no symlink, Info.plist, text or Java class file.
    assert set(signed) == {*map(str, [*nested, framework, outer, inner, main, fake_app]), dmg}
    for path in [*nested, framework, outer, inner, main]:
        assert signed[str(path)] < signed[str(fake_app)], path
    assert signed[str(framework / "Versions" / "A" / "QtCore")] < signed[str(framework)]
    assert signed[str(inner / "Inner")] < signed[str(inner)] < signed[str(outer)]
    assert signed[str(outer / "Outer")] < signed[str(outer)]
    for path in nested:
        assert signed[str(path)] < signed[str(main)], path
    for cmd in cmds:
        if cmd[0] == "codesign" and "--sign" in cmd:
            assert "--deep" not in cmd
            assert "--timestamp" in cmd
            assert cmd[cmd.index("--sign") + 1] == IDENTITY
            if cmd[-1] != dmg:
                assert cmd[cmd.index("--options") + 1] == "runtime"
    # Entitlements on executables only: the main one, the .app (whose signature is the main executable's)
    # and the nested helper executable; never on libraries, frameworks or the dmg.
    entitled = {cmd[-1]: cmd[cmd.index("--entitlements") + 1] for cmd in cmds if "--entitlements" in cmd}
    assert set(entitled) == {str(main), str(fake_app), str(contents / "Frameworks" / "helper")}
    assert set(entitled.values()) == {str(MACOS / "entitlements.plist")}
    verify = index_of(cmds, "codesign", "--verify")
    assert {"--strict", "--deep"} <= set(cmds[verify])
    assert signed[str(fake_app)] < verify
    create = index_of(cmds, "hdiutil", "create")
    assert verify < create < signed[dmg]
    assert tree(fake_app) == before  # a dry run changes nothing


def test_the_dmg_holds_the_app_and_an_applications_link(fake_app: Path) -> None:
    result = package(fake_app, {"HEARTH_MACOS_IDENTITY": IDENTITY}, version="1.4.0", arch="x86_64")
    cmds = commands(result)
    create = cmds[index_of(cmds, "hdiutil", "create")]
    dmg = str(ROOT / "dist" / "Hearth-1.4.0-macos-x86_64.dmg")
    assert create[-1] == dmg
    assert create[create.index("-format") + 1] == "UDZO"
    staging = create[create.index("-srcfolder") + 1]
    copy = index_of(cmds, "ditto", str(fake_app), f"{staging}/Hearth.app")
    link = index_of(cmds, "ln", "-s", "/Applications", f"{staging}/Applications")
    assert max(copy, link, signs(cmds)[str(fake_app)]) < index_of(cmds, "hdiutil", "create")
    assert result.stdout.splitlines()[-1] == dmg


def test_signed_without_credentials_it_says_notarization_was_skipped(fake_app: Path) -> None:
    result = package(fake_app, {"HEARTH_MACOS_IDENTITY": IDENTITY, "APPLE_ID": "someone@example.com"})
    cmds = commands(result)
    assert not [cmd for cmd in cmds if cmd[:2] == ["xcrun", "notarytool"] or cmd[:2] == ["xcrun", "stapler"]]
    assert re.search(r"^Not notarizing: .*HEARTH_NOTARY_PROFILE.*APPLE_APP_PASSWORD", result.stdout, re.M)
    assert re.search(r"^Not notarizing the disk image: ", result.stdout, re.M)


def assert_notarization_order(cmds: list[list[str]], app: Path) -> None:
    dmg = str(ROOT / "dist" / "Hearth-0.1.0-macos-arm64.dmg")
    signed = signs(cmds)
    submits = [index for index, cmd in enumerate(cmds) if cmd[:3] == ["xcrun", "notarytool", "submit"]]
    assert len(submits) == 2
    app_submit, dmg_submit = submits
    zipped = cmds[app_submit][3]
    assert zipped.endswith(".zip")
    assert "--wait" in cmds[app_submit]
    zipping = index_of(cmds, "ditto", "-c", "-k", "--keepParent", str(app), zipped)
    staple_app = index_of(cmds, "xcrun", "stapler", "staple", str(app))
    create = index_of(cmds, "hdiutil", "create")
    staple_dmg = index_of(cmds, "xcrun", "stapler", "staple", dmg)
    assert (
        signed[str(app)] < zipping < app_submit < staple_app < create < signed[dmg] < dmg_submit < staple_dmg
    )
    assert cmds[dmg_submit][3] == dmg


def test_notarization_with_a_keychain_profile_submits_then_staples(fake_app: Path) -> None:
    cmds = commands(package(fake_app, {"HEARTH_MACOS_IDENTITY": IDENTITY, "HEARTH_NOTARY_PROFILE": "hearth"}))
    assert_notarization_order(cmds, fake_app)
    for cmd in cmds:
        if cmd[:3] == ["xcrun", "notarytool", "submit"]:
            assert cmd[cmd.index("--keychain-profile") + 1] == "hearth"


def test_notarization_with_an_apple_id_never_prints_the_password(fake_app: Path) -> None:
    secret = "abcd-efgh-ijkl-mnop"
    credentials = {"APPLE_ID": "dev@example.com", "APPLE_TEAM_ID": "ABCDE12345", "APPLE_APP_PASSWORD": secret}
    result = package(fake_app, {"HEARTH_MACOS_IDENTITY": IDENTITY, **credentials})
    cmds = commands(result)
    assert_notarization_order(cmds, fake_app)
    assert secret not in result.stdout + result.stderr
    for cmd in cmds:
        if cmd[:3] == ["xcrun", "notarytool", "submit"]:
            assert cmd[cmd.index("--apple-id") + 1] == "dev@example.com"
            assert cmd[cmd.index("--team-id") + 1] == "ABCDE12345"
            assert cmd[cmd.index("--password") + 1] == "***"


def test_without_an_identity_it_skips_signing_and_still_makes_the_dmg(fake_app: Path) -> None:
    result = package(fake_app, {"HEARTH_NOTARY_PROFILE": "hearth"})
    cmds = commands(result)
    assert not [cmd for cmd in cmds if cmd[0] in {"codesign", "spctl", "xcrun"}]
    lines = result.stdout.splitlines()
    assert "Not signing: HEARTH_MACOS_IDENTITY is not set; Gatekeeper will warn users." in lines
    assert "Not notarizing: the app is not signed." in lines
    assert "Not signing the disk image: HEARTH_MACOS_IDENTITY is not set." in lines
    assert "Not notarizing the disk image: it is not signed." in lines
    assert cmds[index_of(cmds, "hdiutil", "create")][-1] == lines[-1]
    assert lines[-1] == str(ROOT / "dist" / "Hearth-0.1.0-macos-arm64.dmg")


@pytest.mark.parametrize(
    ("version", "arch"), [("0.1.0", "i386"), ("0.1.0", "universal"), ("v0.1.0", "arm64")]
)
def test_a_bad_architecture_or_version_is_refused(fake_app: Path, version: str, arch: str) -> None:
    result = package(fake_app, version=version, arch=arch)
    assert result.returncode == 2
    assert "+ " not in result.stdout


def test_a_folder_that_is_not_an_app_is_refused(tmp_path: Path) -> None:
    result = package(tmp_path)
    assert result.returncode == 2
    assert "not an .app bundle" in result.stderr
