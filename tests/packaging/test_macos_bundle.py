"""The macOS bundle's pieces, checked on any OS: Info.plist values, entitlements and the icon."""

from __future__ import annotations

import plistlib
import re
import struct
import tomllib
from pathlib import Path

import pytest

from tests.fixtures.macos_bundle import BUNDLE_ID, MACOS, info_plist

ROOT = Path(__file__).resolve().parents[2]
ICNS_SIZES = {
    b"icp4": 16,
    b"icp5": 32,
    b"icp6": 64,
    b"ic07": 128,
    b"ic08": 256,
    b"ic09": 512,
    b"ic10": 1024,
    b"ic11": 32,
    b"ic12": 64,
    b"ic13": 256,
    b"ic14": 512,
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        version = tomllib.load(file)["project"]["version"]
    assert isinstance(version, str)
    return version


def as_dict(value: object) -> dict[str, object]:
    assert isinstance(value, dict)
    return {str(key): item for key, item in value.items()}


def only_item(value: object) -> dict[str, object]:
    assert isinstance(value, list)
    assert len(value) == 1
    return as_dict(value[0])


# --- Info.plist ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [plistlib.FMT_XML, plistlib.FMT_BINARY])
def test_info_plist_round_trips_through_plistlib(fmt: plistlib.PlistFormat) -> None:
    values = info_plist(project_version())
    assert plistlib.loads(plistlib.dumps(values, fmt=fmt)) == values


def test_info_plist_has_the_bundle_keys() -> None:
    values = info_plist("1.2.3")
    assert values["CFBundleIdentifier"] == BUNDLE_ID == "org.hearth-app.Hearth"
    assert values["CFBundleName"] == "Hearth"
    assert values["CFBundleDisplayName"] == "Hearth"
    assert values["CFBundleShortVersionString"] == "1.2.3"
    assert values["CFBundleVersion"] == "1.2.3"
    assert values["NSHighResolutionCapable"] is True
    assert values["NSRequiresAquaSystemAppearance"] is False
    assert values["LSApplicationCategoryType"] == "public.app-category.productivity"
    assert "Hearth" in str(values["NSHumanReadableCopyright"])
    minimum = values["LSMinimumSystemVersion"]
    assert isinstance(minimum, str)
    assert re.fullmatch(r"1[1-9](\.\d+)?", minimum)


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("0.1.0", "0.1.0"),
        ("2.0", "2.0"),
        ("0.2.0rc1", "0.2.0"),
        ("1.0.0.dev3", "1.0.0"),
        ("1.2.3.4", "1.2.3"),
    ],
)
def test_bundle_version_is_the_leading_integers_of_the_project_version(version: str, expected: str) -> None:
    values = info_plist(version)
    assert values["CFBundleShortVersionString"] == expected
    assert values["CFBundleVersion"] == expected


def test_a_version_that_is_not_a_number_is_refused() -> None:
    with pytest.raises(ValueError, match="does not start with a number"):
        info_plist("next")


def test_the_project_version_is_used_as_is_when_it_is_plain() -> None:
    version = project_version()
    assert info_plist(version)["CFBundleShortVersionString"] == version


def test_gguf_document_type_and_exported_uti_agree() -> None:
    values = info_plist("0.1.0")
    document = only_item(values["CFBundleDocumentTypes"])
    uti = only_item(values["UTExportedTypeDeclarations"])
    assert document["CFBundleTypeRole"] == "Viewer"
    assert document["LSHandlerRank"] == "Owner"
    assert document["LSItemContentTypes"] == [uti["UTTypeIdentifier"]] == ["org.hearth-app.gguf"]
    assert str(uti["UTTypeIdentifier"]).startswith(BUNDLE_ID.rsplit(".", 1)[0] + ".")
    assert uti["UTTypeConformsTo"] == ["public.data"]
    assert as_dict(uti["UTTypeTagSpecification"]) == {"public.filename-extension": ["gguf"]}
    # Both name the icon PyInstaller copies into Contents/Resources, which is the committed file.
    assert document["CFBundleTypeIconFile"] == uti["UTTypeIconFile"] == "Hearth.icns"
    assert (MACOS / "Hearth.icns").is_file()


def test_info_plist_asks_for_no_network_or_protected_resource() -> None:
    text = plistlib.dumps(info_plist("0.1.0")).decode()
    for word in ("Network", "NSAppTransportSecurity", "UsageDescription", "NSBonjourServices", "sandbox"):
        assert word.lower() not in text.lower()


# --- Entitlements --------------------------------------------------------------------------------------

# The keys entitlements.plist may hold, each with the reason documented in the file itself.
ALLOWED_ENTITLEMENTS = {"com.apple.security.cs.allow-unsigned-executable-memory"}


def test_entitlements_are_the_documented_minimum() -> None:
    raw = (MACOS / "entitlements.plist").read_bytes()
    entitlements = as_dict(plistlib.loads(raw))
    assert entitlements
    assert set(entitlements) <= ALLOWED_ENTITLEMENTS
    assert all(value is True for value in entitlements.values())
    for key in entitlements:
        assert not key.startswith(("com.apple.security.network.", "com.apple.security.app-sandbox"))
        assert key not in {
            "com.apple.security.get-task-allow",
            "com.apple.security.cs.disable-library-validation",
        }


def test_every_entitlement_is_explained_in_a_comment_next_to_it() -> None:
    text = (MACOS / "entitlements.plist").read_text(encoding="utf-8")
    entitlements = as_dict(plistlib.loads(text.encode()))
    for key in entitlements:
        before = text[: text.index(f"<key>{key}</key>")]
        assert before.rstrip().endswith("-->"), f"{key} has no comment just before it"


# --- Icon ----------------------------------------------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR, which must be its first chunk."""
    assert data.startswith(PNG_SIGNATURE)
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR"
    assert length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_icns_entries_are_pngs_of_the_promised_sizes() -> None:
    data = (MACOS / "Hearth.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    seen: list[bytes] = []
    offset = 8
    while offset < len(data):
        kind, length = struct.unpack(">4sI", data[offset : offset + 8])
        assert length > 8
        assert offset + length <= len(data)
        size = ICNS_SIZES[kind]
        assert png_size(data[offset + 8 : offset + length]) == (size, size), kind
        seen.append(kind)
        offset += length
    assert offset == len(data)
    assert sorted(seen) == sorted(ICNS_SIZES)
