"""The licence notices the About dialog shows (resources/licenses/, written by packaging/licenses.py) match
this venv: every runtime dependency has its licence text, the bundled non-Python parts are there, and
so is the gpt-oss models' licence. When a dependency changes: python packaging/licenses.py"""

from __future__ import annotations

import json
import sys
import sysconfig
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.fixtures.packaging_scripts import load_script

LICENSES = Path(__file__).resolve().parents[2] / "resources" / "licenses"
REGENERATE = "resources/licenses/ is out of date: run `python packaging/licenses.py` with the venv's Python"

_licenses = load_script("licenses.py")


def committed() -> list[dict[str, str]]:
    entries: list[dict[str, str]] = json.loads((LICENSES / "third-party.json").read_text(encoding="utf-8"))
    return entries


def by_name() -> dict[str, dict[str, str]]:
    return {canonicalize_name(entry["name"]): entry for entry in committed()}


def runtime_closure() -> dict[str, metadata.Distribution]:
    closure: dict[str, metadata.Distribution] = _licenses.runtime_closure()
    return closure


def test_every_installed_runtime_dependency_has_its_notice() -> None:
    closure = runtime_closure()
    assert {"llama-cpp-python", "pyside6-essentials", "huggingface-hub", "numpy"} <= closure.keys()
    entries = by_name()
    listed = {name: entries[name]["version"] for name in closure if name in entries}
    assert listed == {name: dist.version for name, dist in closure.items()}, REGENERATE


def test_the_test_and_package_extras_are_not_listed() -> None:
    extras_only = set()
    for line in metadata.distribution("hearth").requires or []:
        requirement = Requirement(line)
        if requirement.marker is not None and "extra" in str(requirement.marker):
            extras_only.add(canonicalize_name(requirement.name))
    extras_only -= runtime_closure().keys()
    assert {"pytest", "hypothesis", "mypy", "pyinstaller"} <= extras_only
    assert extras_only & by_name().keys() == set()


def test_every_notice_has_a_licence_and_its_text() -> None:
    for entry in committed():
        assert set(entry) == {"name", "version", "licence", "homepage", "text"}, entry["name"]
        assert entry["licence"].strip(), entry["name"]
        assert entry["homepage"].startswith("https://"), entry["name"]
        assert len(entry["text"].strip()) > 100, entry["name"]


def test_the_notices_are_sorted_by_name() -> None:
    names = [entry["name"] for entry in committed()]
    assert names == sorted(names, key=lambda name: (name.casefold(), name))


def test_the_bundled_parts_that_are_not_python_distributions_are_listed() -> None:
    entries = {entry["name"]: entry for entry in committed()}
    assert {"llama.cpp", "ggml", "Qt", "Python", "Lucide icons"} <= entries.keys()
    assert entries["llama.cpp"]["licence"] == "MIT"
    assert "The ggml authors" in entries["llama.cpp"]["text"]
    assert entries["Qt"]["licence"] == "LGPL-3.0-only"
    # The LGPL v3 asks for the GPL v3 it incorporates to come along.
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in entries["Qt"]["text"]
    assert "GNU GENERAL PUBLIC LICENSE" in entries["Qt"]["text"]
    assert entries["Lucide icons"]["licence"] == "ISC"


def test_the_gpt_oss_licence_is_the_apache_license_with_the_usage_policy() -> None:
    text = (LICENSES / "gpt-oss.txt").read_text(encoding="utf-8")
    assert "Apache License" in text
    assert "Version 2.0" in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert "https://github.com/openai/gpt-oss/blob/main/USAGE_POLICY" in text


def test_no_path_of_the_machine_that_wrote_them() -> None:
    paths = {sys.prefix, sys.base_prefix, sysconfig.get_paths()["purelib"], str(Path.home())}
    paths.add(str(LICENSES.parents[1]))
    for name in ("third-party.json", "gpt-oss.txt"):
        content = (LICENSES / name).read_text(encoding="utf-8")
        assert [path for path in sorted(paths | {"site-packages"}) if path in content] == [], name


def test_the_script_writes_the_same_files_every_time() -> None:
    first: dict[str, str] = _licenses.render()
    assert first == _licenses.render()
    assert set(first) == {"third-party.json", "gpt-oss.txt"}


def test_a_distribution_without_licence_text_stops_the_script(monkeypatch: pytest.MonkeyPatch) -> None:
    real = _licenses.licence_files

    def without_idna(dist: metadata.Distribution) -> Any:
        return [] if canonicalize_name(dist.metadata["Name"]) == "idna" else real(dist)

    monkeypatch.setattr(_licenses, "licence_files", without_idna)
    with pytest.raises(SystemExit, match=r"no licence text in: idna "):
        _licenses.third_party()
