"""Hearth's resumable download loop against a loopback fake of the Hub: real HTTP, real files."""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.engine.gguf_info import read_gguf_info
from app.models import (
    DownloadCancelled,
    DownloadError,
    DownloadItem,
    DownloadPaused,
    DownloadProgress,
    auth_headers,
    download_file,
    download_files,
    hub_file_url,
)
from app.models.download import DISK_HEADROOM_BYTES
from app.models.partial import delete_partial, part_path, sidecar_path
from tests.fixtures.tiny_models import TinyModel
from tests.models.fake_hub import FakeHub

REPO = "hearth-test/tiny-GGUF"
NAME = "tiny-q8_0.gguf"
MIB = 1024 * 1024
REPO_ROOT = Path(__file__).resolve().parents[2]


def payload(size: int = 3 * MIB, seed: int = 1) -> bytes:
    return random.Random(seed).randbytes(size)


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    with FakeHub() as fake:
        yield fake


@pytest.fixture
def data() -> bytes:
    return payload()


@pytest.fixture
def sha(hub: FakeHub, data: bytes) -> str:
    return hub.add_file(REPO, NAME, data)


@pytest.fixture
def url(hub: FakeHub, sha: str) -> str:
    return hub_file_url(REPO, NAME, endpoint=hub.endpoint)


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    return tmp_path / "models" / NAME


class Sleeps(list[float]):
    """A stand-in for time.sleep that records the backoff instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def fetch(url: str, dest: Path, data: bytes, sha: str | None, **kwargs: object) -> Path:
    return download_file(url, dest, expected_size=len(data), expected_sha256=sha, **kwargs)  # type: ignore[arg-type]


def assert_clean(dest: Path) -> None:
    assert not part_path(dest).exists()
    assert not sidecar_path(dest).exists()


# --- urls and headers ---------------------------------------------------------------------------------------


def test_hub_file_url_uses_argument_then_env_then_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    assert hub_file_url("a/b", "m.gguf") == "https://huggingface.co/a/b/resolve/main/m.gguf"
    monkeypatch.setenv("HF_ENDPOINT", "http://mirror.example/")
    assert hub_file_url("a/b", "m.gguf", "v1") == "http://mirror.example/a/b/resolve/v1/m.gguf"
    assert hub_file_url("a/b", "sub dir/m.gguf", endpoint="http://x") == (
        "http://x/a/b/resolve/main/sub%20dir/m.gguf"
    )


def test_auth_headers_send_only_the_given_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_from_another_tool")
    assert auth_headers("hf_mine")["authorization"] == "Bearer hf_mine"
    assert "authorization" not in {k.lower() for k in auth_headers(None)}


# --- the happy path -----------------------------------------------------------------------------------------


def test_full_download_verifies_and_renames(
    hub: FakeHub, url: str, dest: Path, data: bytes, sha: str
) -> None:
    seen: list[DownloadProgress] = []
    assert fetch(url, dest, data, sha, on_progress=seen.append) == dest
    assert dest.read_bytes() == data
    assert_clean(dest)
    assert seen[-1].done_bytes == seen[-1].total_bytes == len(data)
    assert seen[-1].eta_s in (None, 0.0)
    assert [g.range for g in hub.gets()] == [None]
    assert hub.body_bytes_sent == len(data)


def test_size_can_come_from_the_server(hub: FakeHub, url: str, dest: Path, data: bytes) -> None:
    download_file(url, dest, expected_size=None, expected_sha256=None)
    assert dest.read_bytes() == data


def test_a_real_gguf_arrives_readable(hub: FakeHub, dest: Path, plain_model: TinyModel) -> None:
    blob = plain_model.path.read_bytes()
    sha = hub.add_file(REPO, "plain.gguf", blob)
    download_file(
        hub_file_url(REPO, "plain.gguf", endpoint=hub.endpoint),
        dest,
        expected_size=len(blob),
        expected_sha256=sha,
    )
    assert read_gguf_info(dest).architecture == "llama"


def test_progress_is_rate_limited(hub: FakeHub, url: str, dest: Path, data: bytes, sha: str) -> None:
    seen: list[DownloadProgress] = []
    # A clock that never moves: only the first update and the final one may get through.
    fetch(url, dest, data, sha, on_progress=seen.append, clock=lambda: 0.0)
    assert [p.done_bytes for p in seen][-1] == len(data)
    assert len(seen) == 2


# --- resuming -----------------------------------------------------------------------------------------------


def test_cut_then_resume_uses_range(hub: FakeHub, url: str, dest: Path, data: bytes, sha: str) -> None:
    cut = MIB + 1000
    hub.cut_after = cut
    with pytest.raises(DownloadError, match="keeps failing"):
        fetch(url, dest, data, sha, retries=0)
    assert part_path(dest).stat().st_size == cut
    assert json.loads(sidecar_path(dest).read_text(encoding="utf-8"))["expected_sha256"] == sha
    assert not dest.exists()

    fetch(url, dest, data, sha)
    assert dest.read_bytes() == data
    assert [g.range for g in hub.gets()] == [None, f"bytes={cut}-"]
    assert hub.body_bytes_sent == len(data)
    assert_clean(dest)


def test_resume_in_a_new_process_after_a_kill(
    hub: FakeHub, url: str, dest: Path, data: bytes, sha: str
) -> None:
    stall = MIB + 12345
    hub.stall_after, hub.stall_s = stall, 30.0  # the stall ends early when the hub closes
    script = (
        "import sys; from pathlib import Path; from app.models import download_file; "
        "download_file(sys.argv[1], Path(sys.argv[2]), "
        "expected_size=int(sys.argv[3]), expected_sha256=sys.argv[4])"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, url, str(dest), str(len(data)), sha], cwd=REPO_ROOT
    )
    try:
        deadline = time.monotonic() + 15
        part = part_path(dest)
        while not (part.exists() and part.stat().st_size >= stall):
            assert child.poll() is None, "the first download ended on its own"
            assert time.monotonic() < deadline, "the first download never reached the stall"
            time.sleep(0.02)
    finally:
        child.kill()  # SIGKILL: no chance to tidy up, like a crash or a power cut
        child.wait()
    assert part.stat().st_size == stall and sidecar_path(dest).exists()

    hub.stall_after = None
    fetch(url, dest, data, sha)
    assert dest.read_bytes() == data
    assert hub.gets()[-1].range == f"bytes={stall}-"


def test_pause_keeps_the_part_and_resume_finishes(
    hub: FakeHub, url: str, dest: Path, data: bytes, sha: str
) -> None:
    pause = threading.Event()
    with pytest.raises(DownloadPaused):
        fetch(url, dest, data, sha, pause=pause, on_progress=lambda p: pause.set())
    kept = part_path(dest).stat().st_size
    assert 0 < kept < len(data)
    assert sidecar_path(dest).exists()

    pause.clear()
    fetch(url, dest, data, sha, pause=pause)
    assert dest.read_bytes() == data
    assert hub.gets()[-1].range == f"bytes={kept}-"


def test_delete_partial_removes_a_paused_download(
    hub: FakeHub, url: str, dest: Path, data: bytes, sha: str
) -> None:
    pause = threading.Event()
    with pytest.raises(DownloadPaused):
        fetch(url, dest, data, sha, pause=pause, on_progress=lambda p: pause.set())
    assert part_path(dest).exists() and sidecar_path(dest).exists()
    delete_partial(dest)
    assert_clean(dest)
    delete_partial(dest)  # nothing left to delete is not an error
    assert list(dest.parent.iterdir()) == []


def test_cancel_deletes_the_part(hub: FakeHub, url: str, dest: Path, data: bytes, sha: str) -> None:
    cancel = threading.Event()
    with pytest.raises(DownloadCancelled):
        fetch(url, dest, data, sha, cancel=cancel, on_progress=lambda p: cancel.set())
    assert_clean(dest)
    assert not dest.exists()


def test_cancel_before_start_deletes_an_old_part(
    hub: FakeHub, url: str, dest: Path, data: bytes, sha: str
) -> None:
    hub.cut_after = MIB
    with pytest.raises(DownloadError):
        fetch(url, dest, data, sha, retries=0)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(DownloadCancelled):
        fetch(url, dest, data, sha, cancel=cancel)
    assert_clean(dest)


def test_server_ignoring_range_restarts_cleanly(
    hub: FakeHub, url: str, dest: Path, data: bytes, sha: str
) -> None:
    hub.cut_after = MIB
    with pytest.raises(DownloadError):
        fetch(url, dest, data, sha, retries=0)
    hub.ignore_range = True
    fetch(url, dest, data, sha)
    assert dest.read_bytes() == data
    assert hub.gets()[-1].range == f"bytes={MIB}-"
    assert hub.body_bytes_sent == MIB + len(data)


def test_changed_file_on_the_server_restarts(
    hub: FakeHub, url: str, dest: Path, data: bytes, sha: str
) -> None:
    hub.cut_after = MIB
    with pytest.raises(DownloadError):
        fetch(url, dest, data, None, retries=0)
    newer = payload(seed=2)
    hub.add_file(REPO, NAME, newer)  # same size, new ETag
    fetch(url, dest, newer, None)
    assert dest.read_bytes() == newer
    assert hub.gets()[-1].range is None


def test_part_from_another_url_is_not_adopted(
    hub: FakeHub, url: str, dest: Path, data: bytes, sha: str
) -> None:
    part_path(dest).parent.mkdir(parents=True)
    part_path(dest).write_bytes(b"x" * 1000)
    sidecar_path(dest).write_text(json.dumps({"url": "http://elsewhere/file"}), encoding="utf-8")
    fetch(url, dest, data, sha)
    assert dest.read_bytes() == data
    assert hub.gets()[-1].range is None


# --- retries ------------------------------------------------------------------------------------------------


def test_cut_connections_are_retried_with_backoff(
    hub: FakeHub, url: str, dest: Path, data: bytes, sha: str
) -> None:
    hub.cut_after, hub.cut_times = MIB // 2, 3
    sleeps = Sleeps()
    fetch(url, dest, data, sha, sleep=sleeps, backoff_s=0.5)
    assert dest.read_bytes() == data
    # Each attempt made progress, so the backoff starts again from its first step.
    assert sleeps == [0.5, 0.5, 0.5]
    assert len(hub.gets()) == 4
    assert hub.body_bytes_sent == len(data)


def test_server_errors_back_off_exponentially(
    hub: FakeHub, url: str, dest: Path, data: bytes, sha: str
) -> None:
    hub.errors_5xx = 3
    sleeps = Sleeps()
    fetch(url, dest, data, sha, sleep=sleeps)
    assert sleeps == [1.0, 2.0, 4.0]
    assert dest.read_bytes() == data


def test_gives_up_after_the_retries_and_keeps_the_part(
    hub: FakeHub, url: str, dest: Path, data: bytes, sha: str
) -> None:
    hub.errors_5xx = 10
    sleeps = Sleeps()
    with pytest.raises(DownloadError, match="keeps failing"):
        fetch(url, dest, data, sha, sleep=sleeps, retries=2)
    assert sleeps == [1.0, 2.0]
    assert sidecar_path(dest).exists()


def test_a_stalled_server_times_out_and_resumes(
    hub: FakeHub, url: str, dest: Path, data: bytes, sha: str
) -> None:
    hub.stall_after, hub.stall_s = MIB, 5.0
    sleeps = Sleeps()

    def unstall(seconds: float) -> None:
        sleeps(seconds)
        hub.stall_after = None

    fetch(url, dest, data, sha, sleep=unstall, timeout_s=0.3)
    assert dest.read_bytes() == data
    assert len(sleeps) == 1
    assert hub.gets()[-1].range == f"bytes={MIB}-"


# --- refusals -----------------------------------------------------------------------------------------------


def test_wrong_sha_is_rejected_and_deleted(hub: FakeHub, url: str, dest: Path, data: bytes, sha: str) -> None:
    with pytest.raises(DownloadError, match=r"damaged \(checksum mismatch\); it was deleted"):
        fetch(url, dest, data, "0" * 64)
    assert_clean(dest)
    assert not dest.exists()


def test_corrupt_bytes_are_caught_by_the_etag_sha(hub: FakeHub, url: str, dest: Path, data: bytes) -> None:
    hub.corrupt = True
    with pytest.raises(DownloadError, match="checksum mismatch"):
        fetch(url, dest, data, None)
    assert_clean(dest)


def test_missing_file_says_not_found(hub: FakeHub, dest: Path, data: bytes, sha: str) -> None:
    missing = hub_file_url(REPO, "nope.gguf", endpoint=hub.endpoint)
    sleeps = Sleeps()
    with pytest.raises(DownloadError, match="not found"):
        fetch(missing, dest, data, sha, sleep=sleeps)
    assert sleeps == []


def test_gated_repo_needs_the_token(hub: FakeHub, url: str, dest: Path, data: bytes, sha: str) -> None:
    hub.gated[REPO] = "hf_right"
    sleeps = Sleeps()
    with pytest.raises(DownloadError, match="needs a Hugging Face token"):
        fetch(url, dest, data, sha, sleep=sleeps)
    with pytest.raises(DownloadError, match="needs a Hugging Face token"):
        fetch(url, dest, data, sha, headers=auth_headers("hf_wrong"), sleep=sleeps)
    assert sleeps == []
    fetch(url, dest, data, sha, headers=auth_headers("hf_right"))
    assert dest.read_bytes() == data


def test_redirect_to_a_cdn_keeps_the_token_home(
    hub: FakeHub, url: str, dest: Path, data: bytes, sha: str
) -> None:
    hub.gated[REPO] = "hf_right"
    with FakeHub() as cdn:
        cdn.add_file(REPO, NAME, data)
        hub.redirect_to = cdn.endpoint
        # No expected size: it must come from X-Linked-Size, not from the redirect's empty body.
        download_file(url, dest, expected_size=None, expected_sha256=sha, headers=auth_headers("hf_right"))
        assert dest.read_bytes() == data
        assert [r.authorization for r in hub.requests] == ["Bearer hf_right"] * 2
        assert [(r.method, r.authorization) for r in cdn.requests] == [("GET", None)]


def test_full_disk_is_refused_up_front(hub: FakeHub, url: str, dest: Path, data: bytes, sha: str) -> None:
    with pytest.raises(DownloadError, match=r"not enough free disk space: needs 1\.1 GB, 1 KB free"):
        fetch(url, dest, data, sha, free_disk=lambda folder: 1000)
    assert hub.gets() == []


def test_a_download_leaves_the_disk_its_headroom(
    hub: FakeHub, url: str, dest: Path, data: bytes, sha: str
) -> None:
    with pytest.raises(DownloadError, match="not enough free disk space"):
        fetch(url, dest, data, sha, free_disk=lambda folder: len(data) + DISK_HEADROOM_BYTES - 1)
    assert hub.gets() == []
    fetch(url, dest, data, sha, free_disk=lambda folder: len(data) + DISK_HEADROOM_BYTES)
    assert dest.read_bytes() == data


# --- shards -------------------------------------------------------------------------------------------------


def test_shards_download_in_turn(hub: FakeHub, tmp_path: Path) -> None:
    items = []
    blobs = [payload(MIB + n, seed=10 + n) for n in range(3)]
    for n, blob in enumerate(blobs, start=1):
        name = f"big-0000{n}-of-00003.gguf"
        sha = hub.add_file(REPO, name, blob)
        size = None if n == 2 else len(blob)
        items.append(
            DownloadItem(hub_file_url(REPO, name, endpoint=hub.endpoint), tmp_path / name, size, sha)
        )
    seen: list[DownloadProgress] = []
    paths = download_files(items, on_progress=seen.append)
    assert [p.read_bytes() for p in paths] == blobs
    total = sum(len(b) for b in blobs)
    assert seen[-1].done_bytes == seen[-1].total_bytes == total
    assert all(a.done_bytes <= b.done_bytes for a, b in itertools.pairwise(seen))
