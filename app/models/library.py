"""The models installed in Hearth's models folder: list, check, import, delete.

Every file's GGUF header is read before it is offered (a half-downloaded or mislabelled file would
otherwise fail only when llama.cpp loads it, with a message nobody can act on). A small manifest next to
the models remembers which files were hash-verified after download and which catalogue variant they are;
it is written atomically, and losing it only costs the "verified" badge.
"""

from __future__ import annotations

import dataclasses
import errno
import filecmp
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.atomic import read_json, write_json
from app.engine.base_model import check_gguf
from app.engine.gguf_info import (
    GGUFFormatError,
    MissingPartsError,
    SplitName,
    missing_parts_message,
    read_gguf_info,
    shard_paths,
    split_name,
)
from app.errors import UserError
from app.i18n import translate
from app.models.catalog import variant_for_file

log = logging.getLogger("hearth.models")

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1


class LibraryError(UserError):
    """A model cannot be imported or removed. The message is for people."""


@dataclass(frozen=True)
class InstalledModel:
    name: str  # the model's display name: its file name without ".gguf" (and without the part number)
    path: Path  # the file to load: the first part of a split model
    size_bytes: int  # all parts together
    shards: tuple[Path, ...]  # every file of the model that is present
    variant_id: str | None
    verified: bool  # every part's sha256 was checked against the Hub after download
    architecture: str  # from the header; "" when it could not be read
    problem: str | None = None  # why it cannot be used, in plain words; None when it can
    base_model: bool = False  # no chat training, by its header: it continues text rather than answering

    @property
    def usable(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class ManifestEntry:
    sha256: str
    size: int
    variant_id: str | None


class Manifest:
    """`manifest.json` in the models folder: file name -> the hash it was verified with, and its variant."""

    def __init__(self, models_dir: Path) -> None:
        self.path = models_dir / MANIFEST_NAME

    def entries(self) -> dict[str, ManifestEntry]:
        raw = read_json(self.path, {}, log=log, instead="treating the models as unverified")
        files = raw.get("files") if isinstance(raw, dict) else None
        result: dict[str, ManifestEntry] = {}
        for name, entry in (files or {}).items():
            try:
                result[name] = ManifestEntry(
                    sha256=str(entry["sha256"]),
                    size=int(entry["size"]),
                    variant_id=None if entry.get("variant_id") is None else str(entry["variant_id"]),
                )
            except (TypeError, KeyError, ValueError, AttributeError):
                continue  # one damaged entry only loses that file's badge
        return result

    def record(self, path: Path, sha256: str, variant_id: str | None) -> None:
        """Remember that `path` (in the models folder) matched `sha256`; the downloader calls this."""
        entries = self.entries()
        entries[path.name] = ManifestEntry(sha256.lower(), path.stat().st_size, variant_id)
        self._save(entries)

    def forget(self, names: Iterable[str]) -> None:
        entries = self.entries()
        removed = [entries.pop(name) for name in names if name in entries]
        if removed:
            self._save(entries)

    def _save(self, entries: dict[str, ManifestEntry]) -> None:
        data: dict[str, Any] = {
            "version": MANIFEST_VERSION,
            "files": {name: dataclasses.asdict(e) for name, e in sorted(entries.items())},
        }
        write_json(self.path, data)


def _model_groups(models_dir: Path) -> list[tuple[Path, list[Path], int]]:
    """(first file, present files, expected count) for every model in the folder, split ones grouped."""
    singles: list[tuple[Path, list[Path], int]] = []
    split: dict[SplitName, list[Path]] = {}  # by the first part's name
    for path in sorted(models_dir.iterdir()):
        # Hidden files are our own temporaries (imports in progress); .part files are downloads.
        if path.name.startswith(".") or path.suffix.lower() != ".gguf" or not path.is_file():
            continue
        name = split_name(path.name)
        if name is None:
            singles.append((path, [path], 1))
        else:
            split.setdefault(dataclasses.replace(name, index=1), []).append(path)
    for first, parts in split.items():
        singles.append((models_dir / first.part_name(1), sorted(parts), first.count))
    return sorted(singles, key=lambda group: group[0].name.lower())


def _display_name(first: Path) -> str:
    split = split_name(first.name)
    return split.stem if split else first.stem


def _describe(
    first: Path, parts: list[Path], count: int, manifest: dict[str, ManifestEntry]
) -> InstalledModel:
    problem: str | None = None
    architecture = ""
    base_model = False
    sizes = {p: p.stat().st_size for p in parts}
    if len(parts) < count:
        indexes = {s.index for s in (split_name(p.name) for p in parts) if s}
        missing = [
            translate("Models", "part {index}").format(index=i)
            for i in range(1, count + 1)
            if i not in indexes
        ]
        problem = missing_parts_message(count, missing)  # as MissingPartsError says it
    for part in parts:
        try:
            info = read_gguf_info(part)
        except GGUFFormatError as exc:
            problem = problem or str(exc)
            continue
        except OSError as exc:
            problem = problem or translate("Models", "the file cannot be read ({reason})").format(
                reason=exc.strerror or exc
            )
            continue
        if part == first:
            architecture = info.architecture
            base_model = check_gguf(info).looks_base
    entries = [manifest.get(p.name) for p in parts]
    verified = (
        problem is None
        and len(parts) == count
        and all(e is not None and e.size == sizes[p] for e, p in zip(entries, parts, strict=True))
    )
    recorded = next((e.variant_id for e in entries if e is not None and e.variant_id), None)
    known = variant_for_file(first.name)
    return InstalledModel(
        name=_display_name(first),
        path=first,
        size_bytes=sum(sizes.values()),
        shards=tuple(parts),
        variant_id=recorded or (known.id if known else None),
        verified=verified,
        architecture=architecture,
        problem=problem,
        base_model=base_model,
    )


def scan(models_dir: Path) -> list[InstalledModel]:
    """Every model in the folder, usable or not (with the reason), by name; a missing folder is empty."""
    if not models_dir.is_dir():
        return []
    manifest = Manifest(models_dir).entries()
    return [_describe(first, parts, count, manifest) for first, parts, count in _model_groups(models_dir)]


def _source_parts(src: Path) -> list[Path]:
    try:
        return shard_paths(src)
    except MissingPartsError as exc:
        raise LibraryError(
            translate(
                "Models", "{name} is one of {count} parts of a model, and {missing} is not next to it."
            ).format(name=src.name, count=exc.count, missing=", ".join(exc.missing))
        ) from exc


def _check_source(part: Path) -> None:
    try:
        read_gguf_info(part)
    except GGUFFormatError as exc:
        raise LibraryError(
            translate("Models", "{name} can't be used: {problem}.").format(name=part.name, problem=exc)
        ) from exc
    except FileNotFoundError as exc:
        raise LibraryError(translate("Models", "{name} was not found.").format(name=part.name)) from exc
    except OSError as exc:
        raise LibraryError(
            translate("Models", "{name} can't be read ({reason}).").format(
                name=part.name, reason=exc.strerror or exc
            )
        ) from exc


def _place(src: Path, dest: Path) -> bool:
    """Put `src` at `dest` without ever replacing a file; False if an identical copy is already there."""
    if dest.exists():
        if dest.stat().st_size == src.stat().st_size and filecmp.cmp(src, dest, shallow=False):
            return False
        raise LibraryError(
            translate(
                "Models", "A different model called {name} is already installed; rename one of them."
            ).format(name=dest.name)
        )
    try:
        # A hard link is instant and costs no disk space; it fails across filesystems (and on some
        # filesystems that have no links), and then we copy.
        os.link(src, dest)
        return True
    except FileExistsError as exc:
        raise _appeared(dest) from exc
    except OSError:
        pass
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}-", suffix=".importing", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        shutil.copyfile(src, tmp)
        # link, not rename: it fails instead of silently replacing a file that appeared meanwhile.
        os.link(tmp, dest)
    except FileExistsError as exc:
        raise _appeared(dest) from exc
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise LibraryError(
                translate("Models", "Not enough disk space to import {name}.").format(name=src.name)
            ) from exc
        if exc.errno in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP) and not dest.exists():
            # No links on this filesystem: a rename is the best we have, after the exists check above.
            os.replace(tmp, dest)
            return True
        raise LibraryError(
            translate("Models", "{name} could not be copied ({reason}).").format(
                name=src.name, reason=exc.strerror or exc
            )
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return True


def _appeared(dest: Path) -> LibraryError:
    return LibraryError(
        translate("Models", "A model called {name} appeared while importing; try again.").format(
            name=dest.name
        )
    )


def _installed_name(src: Path) -> str:
    """The name in the models folder: always `.gguf` and never hidden, or the scan would not list it."""
    name = src.name.lstrip(".") or "model"
    return name if name.lower().endswith(".gguf") else f"{name}.gguf"


def import_model(src: Path, models_dir: Path) -> InstalledModel:
    """Copy (or hard-link) a GGUF the user chose into the models folder, after checking it is a whole model.

    For a split model any part may be given; all parts are imported. Nothing is overwritten.
    """
    parts = _source_parts(src)
    for part in parts:
        _check_source(part)
    models_dir.mkdir(parents=True, exist_ok=True)
    placed: list[Path] = []
    try:
        for part in parts:
            dest = models_dir / _installed_name(part)
            if _place(part, dest):
                placed.append(dest)
    except BaseException:
        for dest in placed:  # don't leave half a split model behind
            dest.unlink(missing_ok=True)
        raise
    first = models_dir / _installed_name(parts[0])
    model = next((m for m in scan(models_dir) if m.path == first), None)
    if model is None:  # pragma: no cover - we just put it there
        raise LibraryError(
            translate("Models", "{name} disappeared right after importing.").format(name=first.name)
        )
    return model


def delete_model(model: InstalledModel) -> None:
    """Remove every part of the model and its manifest entries."""
    for part in model.shards:
        try:
            part.unlink(missing_ok=True)
        except OSError as exc:
            raise LibraryError(
                translate("Models", "{name} could not be deleted ({reason}).").format(
                    name=part.name, reason=exc.strerror or exc
                )
            ) from exc
    Manifest(model.path.parent).forget(p.name for p in model.shards)
