"""The conversation's folder for Python: attachments copied in under names that cannot lead anywhere else."""

from __future__ import annotations

import threading
import unicodedata
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from app.tools.python_files import FALLBACK_NAME, copy_attachments, safe_file_name
from app.tools.python_sandbox import PythonSandbox
from tests.tools.test_python_sandbox import python_cache

__all__ = ["python_cache"]  # the session's compiled interpreter, shared with the sandbox tests


def test_folder_parts_are_dropped_whatever_the_separator() -> None:
    assert safe_file_name("../../etc/passwd") == "passwd"
    assert safe_file_name("..\\..\\Windows\\System32\\evil.dll") == "evil.dll"
    assert safe_file_name("/home/someone/report.pdf") == "report.pdf"
    assert safe_file_name("C:\\Users\\x\\notes.txt") == "notes.txt"
    assert safe_file_name("C:notes.txt") == "C notes.txt"


def test_names_that_are_nothing_become_a_plain_name() -> None:
    for name in ("", ".", "..", "...", "   ", "/", "\\", "\x00", ". .", "\u202e"):
        assert safe_file_name(name) == FALLBACK_NAME, repr(name)
    assert safe_file_name(".txt") == "txt"
    assert safe_file_name("...tar.gz") == "tar.gz"


def test_characters_systems_refuse_or_hide_are_removed() -> None:
    assert safe_file_name("a\x00b\x1fc\x85d.txt") == "a b c d.txt"
    assert safe_file_name("undecodable\udcff.txt") == "undecodable.txt"
    assert safe_file_name('what?<is>:"this"|*.csv') == "what is this.csv"
    # A right-to-left override would show "evil\u202etxt.exe" as "evilexe.txt".
    assert safe_file_name("evil\u202etxt.exe") == "eviltxt.exe"
    assert safe_file_name("trailing dots and spaces. . .") == "trailing dots and spaces"


def test_windows_device_names_are_not_left_as_they_are() -> None:
    for name in ("CON", "con.txt", "Nul.tar.gz", "COM1.log", "lpt9", "aux .csv", "PRN"):
        safe = safe_file_name(name)
        assert safe.startswith("_"), name
    assert safe_file_name("console.txt") == "console.txt"


def test_long_names_are_shortened_keeping_the_extension() -> None:
    safe = safe_file_name("é" * 300 + ".xlsx")
    assert safe.endswith(".xlsx")
    assert len(safe.encode("utf-8")) <= 200


def test_copies_get_unique_names_and_overwrite_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "conversation"
    folder.mkdir()
    (folder / "report.pdf").write_bytes(b"already here")
    names = copy_attachments(
        folder,
        [
            ("report.pdf", b"one"),
            ("Report.PDF", b"two"),
            ("../report.pdf", b"three"),
            ("data", b"four"),
            ("data", b"five"),
        ],
    )
    assert names == ["report (2).pdf", "Report (3).PDF", "report (4).pdf", "data", "data (2)"]
    assert (folder / "report.pdf").read_bytes() == b"already here"
    assert [(folder / name).read_bytes() for name in names] == [b"one", b"two", b"three", b"four", b"five"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["conversation"]


def test_a_link_in_the_folder_is_never_written_through(tmp_path: Path) -> None:
    folder = tmp_path / "conversation"
    folder.mkdir()
    target = tmp_path / "target.txt"
    target.write_text("untouched", encoding="utf-8")
    (folder / "notes.txt").symlink_to(target)
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    names = copy_attachments(folder, [("notes.txt", b"new"), ("dangling.txt", b"new")])
    assert names == ["notes (2).txt", "dangling (2).txt"]
    assert target.read_text(encoding="utf-8") == "untouched"
    assert not (tmp_path / "nowhere.txt").exists()


@given(st.text(st.characters(exclude_categories=()), max_size=300))
def test_any_name_becomes_a_plain_file_name(name: str) -> None:
    safe = safe_file_name(name)
    assert safe and safe not in (".", "..")
    assert "/" not in safe and "\\" not in safe
    assert not any(c in '<>:"|?*' or unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in safe)
    assert safe == safe.strip(". ")
    assert len(safe.encode("utf-8")) <= 200


@given(st.lists(st.text(max_size=40), max_size=6))
def test_copies_land_directly_in_the_folder(names: list[str]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "conversation"
        written = copy_attachments(folder, [(name, name.encode("utf-8", "replace")) for name in names])
        assert len(written) == len(names)
        assert len({name.casefold() for name in written}) == len(written)
        assert sorted(path.name for path in folder.iterdir()) == sorted(written)
        assert sorted(path.name for path in Path(scratch).iterdir()) == ["conversation"]


def test_the_sandbox_sees_the_copies_in_mnt_data(tmp_path: Path, python_cache: Path) -> None:
    folder = tmp_path / "conversation"
    names = copy_attachments(folder, [("../../budget.csv", b"item,cost\nrent,900\nfood,300\n")])
    with PythonSandbox(folder, cache_dir=python_cache) as sandbox:
        outcome = sandbox.run(
            f"import csv\nsum(int(row['cost']) for row in csv.DictReader(open('/mnt/data/{names[0]}')))",
            threading.Event(),
        )
    assert outcome.result == "1200"
