"""The Info.plist values of Hearth.app, for PyInstaller's BUNDLE(info_plist=info_plist(VERSION)).

Standard library only: installer.spec imports it by path, and tests/packaging checks it on any OS.
PyInstaller itself fills in CFBundleExecutable, CFBundleIconFile, CFBundlePackageType and
CFBundleInfoDictionaryVersion; the values here are added to (and take precedence over) those.
Hearth is offline: nothing here declares network use, and it has no usage descriptions because it asks
for no protected resource (camera, microphone, contacts, local network...).
"""

from __future__ import annotations

import re

BUNDLE_ID = "org.hearth-app.Hearth"
APP_NAME = "Hearth"
# PyInstaller copies the icon given to BUNDLE(icon=...) into Contents/Resources under its own name.
ICON_FILE = "Hearth.icns"
GGUF_UTI = "org.hearth-app.gguf"
GGUF_EXTENSION = "gguf"
# The oldest macOS the bundle runs on, for arm64 and x86_64 alike (both architectures have the same
# floor; Apple Silicon only ever shipped with macOS 11 or later, so 11.0 would be the arm64 minimum on
# its own). What raises it is what we bundle, not our code:
# - PySide6 6.10 and 6.11 wheels are built for macOS 13.0 (6.8-6.9 for 12.0, 6.12 for 14.0);
# - llama.cpp's Metal backend is built and tested upstream with a 13.3 deployment target, which the
#   release workflow also sets (MACOSX_DEPLOYMENT_TARGET) when it compiles llama-cpp-python.
# Launch Services refuses to start the app on an older macOS with a clear message, instead of letting
# it crash on a missing symbol. packaging/macos/package.sh checks that no bundled binary needs more.
MINIMUM_MACOS = "13.3"
COPYRIGHT = "Copyright © the Hearth contributors. Licensed under the Apache License 2.0."

_BUNDLE_VERSION = re.compile(r"\d+(?:\.\d+){0,2}")


def bundle_version(version: str) -> str:
    """The leading 1-3 integers of a PEP 440 version ("0.2.0rc1" -> "0.2.0"), as macOS requires."""
    match = _BUNDLE_VERSION.match(version.strip())
    if match is None:
        raise ValueError(f"version {version!r} does not start with a number")
    return match.group(0)


def info_plist(version: str) -> dict[str, object]:
    """Info.plist keys for Hearth.app at this version (pyproject.toml's [project] version)."""
    short = bundle_version(version)
    return {
        "CFBundleIdentifier": BUNDLE_ID,
        "CFBundleName": APP_NAME,
        "CFBundleDisplayName": APP_NAME,
        "CFBundleShortVersionString": short,
        "CFBundleVersion": short,
        "LSMinimumSystemVersion": MINIMUM_MACOS,
        "NSHighResolutionCapable": True,
        # False: follow the system's dark mode instead of forcing the light appearance.
        "NSRequiresAquaSystemAppearance": False,
        "LSApplicationCategoryType": "public.app-category.productivity",
        "NSHumanReadableCopyright": COPYRIGHT,
        "CFBundleDocumentTypes": [
            {
                "CFBundleTypeName": "GGUF model",
                "CFBundleTypeRole": "Viewer",
                "LSHandlerRank": "Owner",
                "LSItemContentTypes": [GGUF_UTI],
                "CFBundleTypeIconFile": ICON_FILE,
            }
        ],
        "UTExportedTypeDeclarations": [
            {
                "UTTypeIdentifier": GGUF_UTI,
                "UTTypeDescription": "GGUF model",
                "UTTypeConformsTo": ["public.data"],
                "UTTypeIconFile": ICON_FILE,
                "UTTypeTagSpecification": {"public.filename-extension": [GGUF_EXTENSION]},
            }
        ],
    }
