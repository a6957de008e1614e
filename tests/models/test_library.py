"""The models folder: what is installed and usable, importing, deleting, and the verification manifest."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from app.models.library import (
    MANIFEST_NAME,
    InstalledModel,
    LibraryError,
    Manifest,
    delete_model,
    import_model,
    scan,
)
from tests.fixtures.tiny_models import TinyModel, write_not_a_gguf, write_truncated_copy

SHA = "ab" * 32


def split_copies(src: Path, folder: Path, stem: str, count: int) -> list[Path]:
    """A "split model": whole GGUF copies named like llama.cpp's shards (each part has a valid header)."""
    folder.mkdir(parents=True, exist_ok=True)
    parts = [folder / f"{stem}-{i:05d}-of-{count:05d}.gguf" for i in range(1, count + 1)]
    for part in parts:
        shutil.copyfile(src, part)
    return parts


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "models"
    folder.mkdir()
    return folder


def test_scan_lists_good_and_broken_models(
    library: Path, plain_model: TinyModel, gpt_oss_model: TinyModel
) -> None:
    shutil.copyfile(plain_model.path, library / "plain.gguf")
    shutil.copyfile(gpt_oss_model.path, library / "gpt-oss-20b-mxfp4.gguf")
    write_truncated_copy(plain_model.path, library / "cut.gguf", keep_fraction=0.9)
    write_not_a_gguf(library / "page.gguf")
    (library / "next.gguf.part").write_bytes(b"GGUF partial")
    (library / "notes.txt").write_text("not a model", encoding="utf-8")

    models = {m.name: m for m in scan(library)}
    assert sorted(models) == ["cut", "gpt-oss-20b-mxfp4", "page", "plain"]
    plain = models["plain"]
    assert plain.usable
    assert (plain.architecture, plain.size_bytes) == ("llama", plain_model.path.stat().st_size)
    assert plain.shards == (library / "plain.gguf",)
    assert plain.variant_id is None
    assert not plain.verified
    known = models["gpt-oss-20b-mxfp4"]
    assert (known.architecture, known.variant_id) == ("gpt-oss", "gpt-oss-20b-mxfp4")
    assert not models["cut"].usable
    assert "incomplete" in (models["cut"].problem or "")
    assert models["page"].problem == "the file is not a GGUF model"


def test_scan_of_a_missing_folder_is_empty(tmp_path: Path) -> None:
    assert scan(tmp_path / "nowhere") == []


def test_split_model_is_one_entry(library: Path, plain_model: TinyModel) -> None:
    parts = split_copies(plain_model.path, library, "big", 3)
    (model,) = scan(library)
    assert (model.name, model.path, model.shards) == ("big", parts[0], tuple(parts))
    assert model.size_bytes == 3 * plain_model.path.stat().st_size
    assert model.usable


def test_split_model_with_a_missing_or_damaged_part(library: Path, plain_model: TinyModel) -> None:
    parts = split_copies(plain_model.path, library, "big", 3)
    parts[1].unlink()
    (model,) = scan(library)
    assert model.problem == "this model comes in 3 parts and part 2 is missing"
    split_copies(plain_model.path, library, "big", 3)
    write_truncated_copy(plain_model.path, parts[2], keep_fraction=0.5)
    (model,) = scan(library)
    assert "incomplete" in (model.problem or "")


def test_manifest_marks_verified_files(library: Path, plain_model: TinyModel) -> None:
    path = library / "gpt-oss-20b-mxfp4.gguf"
    shutil.copyfile(plain_model.path, path)
    Manifest(library).record(path, SHA.upper(), "my-variant")
    (model,) = scan(library)
    assert model.verified
    assert model.variant_id == "my-variant"  # the manifest wins over guessing from the name
    saved = json.loads((library / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert saved["files"][path.name] == {
        "sha256": SHA,
        "size": path.stat().st_size,
        "variant_id": "my-variant",
    }
    assert sorted(p.name for p in library.iterdir()) == sorted([MANIFEST_NAME, path.name])  # no temp files

    # Replaced by a different file of another size: the old verification no longer applies.
    with path.open("ab") as handle:
        handle.write(b"\0" * 64)
    (model,) = scan(library)
    assert not model.verified


def test_split_model_is_verified_only_when_every_part_is(library: Path, plain_model: TinyModel) -> None:
    parts = split_copies(plain_model.path, library, "big", 2)
    manifest = Manifest(library)
    manifest.record(parts[0], SHA, "v")
    assert not scan(library)[0].verified
    manifest.record(parts[1], SHA, "v")
    assert scan(library)[0].verified


def test_damaged_manifest_only_loses_the_badge(library: Path, plain_model: TinyModel) -> None:
    shutil.copyfile(plain_model.path, library / "plain.gguf")
    (library / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    (model,) = scan(library)
    assert model.usable
    assert not model.verified
    bad_entry = {"version": 1, "files": {"plain.gguf": {"sha256": SHA}}}
    (library / MANIFEST_NAME).write_text(json.dumps(bad_entry), encoding="utf-8")
    assert not scan(library)[0].verified


def test_import_copies_and_validates(tmp_path: Path, library: Path, plain_model: TinyModel) -> None:
    src = tmp_path / "downloads" / "My Model.gguf"
    src.parent.mkdir()
    shutil.copyfile(plain_model.path, src)
    model = import_model(src, library / "created")
    assert model.path == library / "created" / "My Model.gguf"
    assert model.usable
    assert model.path.read_bytes() == src.read_bytes()
    assert src.exists()  # the user's file stays where it was
    # Importing the same file again is harmless.
    assert import_model(src, library / "created") == model


def test_import_gives_the_file_a_name_the_scan_lists(
    tmp_path: Path, library: Path, plain_model: TinyModel
) -> None:
    src = tmp_path / ".weights.bin"
    shutil.copyfile(plain_model.path, src)
    model = import_model(src, library)
    assert model.path == library / "weights.bin.gguf"
    assert [m.path for m in scan(library)] == [model.path]


def test_import_hard_links_on_the_same_filesystem(
    tmp_path: Path, library: Path, plain_model: TinyModel
) -> None:
    src = tmp_path / "plain.gguf"
    shutil.copyfile(plain_model.path, src)
    model = import_model(src, library)
    assert os.path.samefile(src, model.path)


def test_import_falls_back_to_copying(
    tmp_path: Path, library: Path, plain_model: TinyModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "plain.gguf"
    shutil.copyfile(plain_model.path, src)
    real_link = os.link
    calls: list[tuple[str, str]] = []

    def cross_device_once(a: str | Path, b: str | Path) -> None:
        calls.append((str(a), str(b)))
        if len(calls) == 1:
            raise OSError(18, "Invalid cross-device link")  # EXDEV, as between two disks
        real_link(a, b)

    monkeypatch.setattr(os, "link", cross_device_once)
    model = import_model(src, library)
    assert not os.path.samefile(src, model.path)
    assert model.path.read_bytes() == src.read_bytes()
    assert sorted(p.name for p in library.iterdir()) == ["plain.gguf"]  # the temporary copy is gone


def test_import_refuses_broken_files(tmp_path: Path, library: Path, plain_model: TinyModel) -> None:
    cut = write_truncated_copy(plain_model.path, tmp_path / "cut.gguf", keep_fraction=0.9)
    with pytest.raises(LibraryError, match=r"cut\.gguf can't be used: the file is incomplete"):
        import_model(cut, library)
    page = write_not_a_gguf(tmp_path / "page.gguf")
    with pytest.raises(LibraryError, match="is not a GGUF model"):
        import_model(page, library)
    with pytest.raises(LibraryError, match="was not found"):
        import_model(tmp_path / "nothing.gguf", library)
    assert list(library.iterdir()) == []


def test_import_never_overwrites_a_different_model(
    tmp_path: Path, library: Path, plain_model: TinyModel
) -> None:
    write_truncated_copy(plain_model.path, library / "plain.gguf", keep_fraction=0.5)
    before = (library / "plain.gguf").read_bytes()
    src = tmp_path / "plain.gguf"
    shutil.copyfile(plain_model.path, src)
    with pytest.raises(LibraryError, match=r"A different model called plain\.gguf is already installed"):
        import_model(src, library)
    assert (library / "plain.gguf").read_bytes() == before


def test_import_split_model_takes_every_part(tmp_path: Path, library: Path, plain_model: TinyModel) -> None:
    parts = split_copies(plain_model.path, tmp_path / "src", "big", 2)
    model = import_model(parts[1], library)  # any part will do
    assert model.path == library / parts[0].name
    assert [p.name for p in model.shards] == [p.name for p in parts]


def test_import_split_model_refuses_missing_parts(
    tmp_path: Path, library: Path, plain_model: TinyModel
) -> None:
    parts = split_copies(plain_model.path, tmp_path / "src", "big", 3)
    parts[2].unlink()
    with pytest.raises(LibraryError, match=r"one of 3 parts.*big-00003-of-00003\.gguf is not next to it"):
        import_model(parts[0], library)
    assert list(library.iterdir()) == []


def test_failed_split_import_leaves_nothing_behind(
    tmp_path: Path, library: Path, plain_model: TinyModel
) -> None:
    parts = split_copies(plain_model.path, tmp_path / "src", "big", 2)
    write_truncated_copy(plain_model.path, library / parts[1].name, keep_fraction=0.5)  # a clash on part 2
    with pytest.raises(LibraryError, match="A different model"):
        import_model(parts[0], library)
    assert [p.name for p in library.iterdir()] == [parts[1].name]


def test_delete_removes_every_part_and_its_manifest_entries(library: Path, plain_model: TinyModel) -> None:
    parts = split_copies(plain_model.path, library, "big", 2)
    shutil.copyfile(plain_model.path, library / "keep.gguf")
    manifest = Manifest(library)
    for path in [*parts, library / "keep.gguf"]:
        manifest.record(path, SHA, None)
    big = next(m for m in scan(library) if m.name == "big")
    delete_model(big)
    assert [m.name for m in scan(library)] == ["keep"]
    assert set(manifest.entries()) == {"keep.gguf"}


def test_delete_a_model_with_missing_parts(library: Path, plain_model: TinyModel) -> None:
    parts = split_copies(plain_model.path, library, "big", 3)
    parts[0].unlink()
    (broken,) = scan(library)
    assert not broken.usable
    delete_model(broken)
    assert list(library.iterdir()) == []


def test_installed_model_usable_flag() -> None:
    model = InstalledModel("m", Path("m.gguf"), 1, (Path("m.gguf"),), None, False, "llama")
    assert model.usable
    assert not InstalledModel("m", Path("m.gguf"), 1, (), None, False, "", problem="broken").usable
