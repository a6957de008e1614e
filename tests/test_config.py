"""Where data lives and how settings survive."""

from __future__ import annotations

import dataclasses
import errno
import json
import logging
import os
from pathlib import Path

import pytest

from app.config import DataFolderError, Settings, data_root, default_paths, load_settings, save_settings
from app.i18n import reset_translator, set_translator


def test_hearth_home_relocates_everything(hearth_home: Path) -> None:
    paths = default_paths().ensure()
    assert paths.root == hearth_home.resolve()
    assert paths.models_dir.is_dir() and paths.log_dir.is_dir()
    assert paths.history_db.parent == paths.root


def test_platform_folder_when_not_overridden(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("HEARTH_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_root() == tmp_path / "xdg" / "Hearth"


def test_settings_round_trip_and_atomic_write(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert load_settings(path) == Settings()
    changed = Settings().replace(n_ctx=4096, reasoning_effort="high", active_model="a.gguf")
    save_settings(path, changed)
    assert load_settings(path) == changed
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"], "no temp file left behind"


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"n_ctx": "a", "theme": [1]}'])
def test_damaged_settings_fall_back_to_defaults(tmp_path: Path, content: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content)
    settings = load_settings(path)
    assert isinstance(settings, Settings)


def test_unreadable_settings_are_logged_as_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="hearth.config"):
        assert load_settings(path) == Settings()
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert "settings.json unreadable" in record.getMessage()


def test_unknown_keys_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"n_ctx": 2048, "from_the_future": True}))
    assert load_settings(path).n_ctx == 2048


def test_each_bad_field_loads_as_its_default_and_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        '{"n_ctx": "a", "theme": 3, "n_threads": -2, "n_gpu_layers": true, "reasoning_effort": "max",'
        ' "active_model": "/models/kept.gguf", "unknown": 1}',
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING, logger="hearth.config"):
        settings = load_settings(path)
    assert settings == Settings(active_model="/models/kept.gguf")
    warned = {record.args[1] for record in caplog.records if isinstance(record.args, tuple)}
    assert warned == {"n_ctx", "theme", "n_threads", "n_gpu_layers", "reasoning_effort"}


def test_every_setting_has_a_validity_check() -> None:
    from app import config

    assert set(config._VALID) == {field.name for field in dataclasses.fields(Settings)}
    assert all(config._VALID[field.name](field.default) for field in dataclasses.fields(Settings))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("n_ctx", 100),
        ("n_ctx", 1 << 30),
        ("n_ctx", "8192"),
        ("n_threads", 0),
        ("n_gpu_layers", "all"),
        ("n_gpu_layers", -2),
        ("temperature", 2.5),
        ("temperature", "hot"),
        ("top_p", 0),
        ("top_p", 1.5),
        ("max_tokens", 3),
        ("max_tokens", 2.5),
        ("text_scale", 500),
        ("text_scale", True),
        ("chat_width", "huge"),
        ("language", "fr"),
        ("theme", None),
    ],
)
def test_a_value_out_of_its_range_falls_back_alone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, field: str, value: object
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({field: value, "reasoning_effort": "high"}), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="hearth.config"):
        settings = load_settings(path)
    assert settings == Settings(reasoning_effort="high"), "the other field is kept"
    (record,) = caplog.records
    assert field in record.getMessage() and "not valid" in record.getMessage()


def test_numbers_read_back_as_the_kind_they_mean(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps({"temperature": 1, "top_p": 0.9, "n_gpu_layers": 20, "max_tokens": None}),
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert settings.temperature == 1.0 and isinstance(settings.temperature, float)
    assert settings.top_p == 0.9 and settings.n_gpu_layers == 20 and settings.max_tokens is None
    save_settings(path, settings)
    assert load_settings(path) == settings


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "The disk is full."),
        (errno.EROFS, "“{home}” is on a disk that can only be read."),
        (errno.EACCES, "Hearth is not allowed to write to “{home}”."),
        (errno.EPERM, "Hearth is not allowed to write to “{home}”."),
        (errno.ENOTDIR, "“{home}” is a file, not a folder."),
        (errno.ENAMETOOLONG, "The folder's name is too long."),
        (errno.EIO, "The system said: Input/output error."),
    ],
)
def test_a_data_folder_error_says_why_in_plain_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    home = tmp_path / "home"
    home.write_text("", encoding="utf-8")  # what stands in the way exists; what was to be made does not
    monkeypatch.delenv("HEARTH_HOME")
    error = DataFolderError.from_os_error(home, OSError(code, os.strerror(code), str(home / "models")))
    reason = words.format(home=home)
    advice = (
        "Free up some space on the disk, then start Hearth again."
        if code == errno.ENOSPC
        else "Check that the folder exists and that you are allowed to write to it, then start Hearth again."
    )
    assert str(error) == f"Hearth cannot use its data folder “{home}”. {reason} {advice}"
    assert error.command_line().startswith(f"cannot use the data folder {home} ({reason.rstrip('.')}); ")
    assert "HEARTH_HOME" not in str(error), "the usual folder: no setting to point elsewhere"


def test_a_data_folder_from_hearth_home_names_the_setting_as_the_way_out(hearth_home: Path) -> None:
    error = DataFolderError.from_os_error(hearth_home, PermissionError(errno.EACCES, "Permission denied"))
    assert str(error).endswith(
        "This folder is set by HEARTH_HOME: set it to another folder, or remove it to use the usual one."
    )
    assert error.command_line().endswith(
        "; check that it is a folder you may write to, or set HEARTH_HOME to another folder"
    )


def test_a_data_folder_error_is_worded_in_the_language_installed_when_it_is_read(tmp_path: Path) -> None:
    error = DataFolderError.from_os_error(tmp_path, OSError(errno.ENOSPC, "No space left on device"))
    english = str(error)
    set_translator(lambda _context, text: text.replace("disk", "Festplatte"))
    try:
        assert str(error) == english.replace("disk", "Festplatte")
    finally:
        reset_translator()


def test_a_hearth_home_that_names_no_folder_is_a_data_folder_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEARTH_HOME", "~no-such-user-here/Hearth")
    with pytest.raises(DataFolderError, match="names the home folder of an unknown user"):
        data_root()
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    monkeypatch.setenv("HEARTH_HOME", str(tmp_path / "a" / "Hearth"))
    with pytest.raises(DataFolderError, match="is a link that leads back to itself"):
        data_root()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HEARTH_HOME", "portable")
    assert data_root() == tmp_path / "portable", "a relative one is taken from the current folder"
