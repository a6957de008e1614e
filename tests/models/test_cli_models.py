"""`hearth models …` end to end: real processes, a loopback fake of the Hub, a real models folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.config import default_paths
from app.models.library import Manifest, scan
from tests.fixtures.tiny_models import TinyModel, write_not_a_gguf
from tests.models.fake_hub import FakeHub


def hearth(*args: str | Path, endpoint: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONUTF8": "1"}
    if endpoint:
        env["HF_ENDPOINT"] = endpoint
    return subprocess.run(
        [sys.executable, "-m", "app", "models", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_pull_downloads_verifies_lists_and_removes(plain_model: TinyModel) -> None:
    data = plain_model.path.read_bytes()
    with FakeHub() as hub:
        sha = hub.add_file("someone/tiny-GGUF", "tiny.gguf", data)
        pulled = hearth("pull", "someone/tiny-GGUF", "tiny.gguf", endpoint=hub.endpoint)
    assert pulled.returncode == 0, pulled.stderr
    assert "Downloaded and verified tiny.gguf" in pulled.stdout
    models_dir = default_paths().models_dir
    assert (models_dir / "tiny.gguf").read_bytes() == data
    assert Manifest(models_dir).entries()["tiny.gguf"].sha256 == sha
    (installed,) = scan(models_dir)
    assert installed.verified

    listed = hearth("list")
    assert listed.returncode == 0, listed.stderr
    assert "gpt-oss-20b-mxfp4" in listed.stdout
    assert "tiny" in listed.stdout.split("Installed:")[1]
    assert "verified" in listed.stdout.split("Installed:")[1]

    removed = hearth("rm", "tiny.gguf", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert not (models_dir / "tiny.gguf").exists()


def test_pull_of_a_gated_repo_without_a_token_is_one_clear_line(plain_model: TinyModel) -> None:
    with FakeHub() as hub:
        hub.add_file("org/private-GGUF", "m.gguf", plain_model.path.read_bytes())
        hub.gated["org/private-GGUF"] = "secret"
        result = hearth("pull", "org/private-GGUF", "m.gguf", endpoint=hub.endpoint)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "hearth: error: org/private-GGUF needs a Hugging Face token that can read it."
    ]


def test_import_checks_the_file_first(plain_model: TinyModel, tmp_path: Path) -> None:
    good = hearth("import", plain_model.path)
    assert good.returncode == 0, good.stderr
    assert (default_paths().models_dir / plain_model.path.name).read_bytes() == plain_model.path.read_bytes()
    bad = hearth("import", write_not_a_gguf(tmp_path / "page.gguf"))
    assert bad.returncode == 1
    assert "not a GGUF model" in bad.stderr
    assert "Traceback" not in bad.stderr
    missing = hearth("rm", "nothing-here.gguf", "--yes")
    assert missing.returncode == 1
    assert "no installed model is called" in missing.stderr


def test_pull_with_the_hub_unreachable_is_one_clear_line() -> None:
    with FakeHub() as hub:
        endpoint = hub.endpoint  # the port is closed once the hub stops
    result = hearth("pull", "someone/tiny-GGUF", "tiny.gguf", endpoint=endpoint)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("hearth: error: Could not reach the Hub (")
