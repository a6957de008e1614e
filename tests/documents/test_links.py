"""Attachments that are links: followed to the real file, never into the system's folders."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from app.documents.document import DocumentError
from app.documents.extract import extract
from app.documents.isolation import extract_in_child, read_document
from app.documents.source import is_system_path, resolve_source


def _link(tmp_path: Path, name: str, target: Path | str) -> Path:
    link = tmp_path / name
    link.symlink_to(target)
    return link


@pytest.mark.parametrize("target", ["/etc/passwd", "/proc/self/environ", "/proc/self/status", "/dev/zero"])
def test_a_link_into_a_system_folder_is_refused_in_plain_words(tmp_path: Path, target: str) -> None:
    link = _link(tmp_path, "notes.txt", target)
    with pytest.raises(DocumentError) as refused:
        extract(link)
    message = str(refused.value)
    assert message.startswith("“notes.txt” is a link to a system file")
    assert "Hearth will not read it" in message


def test_a_link_to_a_system_file_is_refused_by_the_windows_reader_too(tmp_path: Path) -> None:
    # The window reads PDFs, Word files and big files in a child process, and small ones in its own.
    small = _link(tmp_path, "notes.txt", "/etc/passwd")
    in_child = _link(tmp_path, "notes.pdf", "/etc/passwd")
    with pytest.raises(DocumentError, match="link to a system file"):
        read_document(small)
    with pytest.raises(DocumentError, match="link to a system file"):
        extract_in_child(in_child)


def test_a_folder_link_into_the_system_is_refused_for_the_files_under_it(tmp_path: Path) -> None:
    folder = _link(tmp_path, "my documents", "/etc")
    with pytest.raises(DocumentError, match="link to a system file"):
        extract(folder / "passwd")


def test_a_chain_of_links_is_followed_to_its_end(tmp_path: Path) -> None:
    first = _link(tmp_path, "first.txt", "/etc/passwd")
    second = _link(tmp_path, "second.txt", first)
    with pytest.raises(DocumentError, match=r"“second\.txt” is a link to a system file"):
        extract(second)


def test_a_link_to_an_ordinary_file_is_read_under_the_real_name_with_a_note(tmp_path: Path) -> None:
    real = tmp_path / "archive" / "report-final.md"
    real.parent.mkdir()
    real.write_text("# Report\n\nThe notice period is three months.\n", encoding="utf-8")
    link = _link(tmp_path, "Q3.md", real)

    document = extract(link)

    assert document.name == "report-final.md"
    assert "three months" in document.text
    assert document.notes == (f"Opened through the link “Q3.md”; the file itself is {real}.",)


def test_a_file_that_is_no_link_gets_no_note(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("Nothing special.", encoding="utf-8")
    document = extract(plain)
    assert document.name == "plain.txt"
    assert document.notes == ()


def test_a_link_that_leads_back_to_itself_is_said_plainly(tmp_path: Path) -> None:
    _link(tmp_path, "b.txt", tmp_path / "a.txt")
    loop = _link(tmp_path, "a.txt", tmp_path / "b.txt")
    with pytest.raises(DocumentError, match=r"“a\.txt” is a link that leads back to itself"):
        extract(loop)


def test_a_dangling_link_reads_as_a_missing_file(tmp_path: Path) -> None:
    dangling = _link(tmp_path, "gone.txt", tmp_path / "deleted.txt")
    with pytest.raises(DocumentError, match="could not be found"):
        extract(dangling)


def test_a_relative_path_resolves_against_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "here.txt").write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    source = resolve_source(Path("here.txt"))
    assert source.path == Path(os.path.realpath(tmp_path / "here.txt"))
    assert source.link is None or source.link == tmp_path / "here.txt"


@pytest.mark.parametrize(
    ("path", "system"),
    [
        ("/etc/shadow", True),
        ("/private/etc/master.passwd", True),
        ("/proc/1/environ", True),
        ("/sys/kernel/notes", True),
        ("/dev/sda", True),
        ("/home/ann/etc/notes.txt", False),
        ("/etcetera/notes.txt", False),
        ("/home/ann/Documents/lease.pdf", False),
    ],
)
def test_system_folders_on_unix(path: str, system: bool) -> None:
    assert is_system_path(PurePosixPath(path), platform="linux") is system


@pytest.mark.parametrize(
    ("path", "system"),
    [
        (r"C:\Windows\System32\config\SAM", True),
        (r"c:\WINDOWS\win.ini", True),
        (r"C:\Users\Ann\Documents\lease.pdf", False),
        (r"C:\WindowsBackup\notes.txt", False),
    ],
)
def test_system_folders_on_windows(path: str, system: bool) -> None:
    assert is_system_path(PureWindowsPath(path), platform="win32", system_root=r"C:\Windows") is system
