"""P6: loopback download throughput of Hearth's download_file against a plain HTTP fetch of the same file.

Hearth's loop (HEAD, GET with Range support, sha256 while writing, sidecar, final verify and rename) and the
plainest urllib fetch (``shutil.copyfileobj`` with a 1 MiB buffer, no hashing) download the same file of
random bytes from the same loopback server, interleaved. The server is a lean one written here rather than
the tests' FakeHub: FakeHub re-hashes the whole file on every request and copies it per GET, which makes the
server the bottleneck and charges Hearth's extra HEAD a full sha256 of the file. This one knows the sha256
up front and sends the file from disk with ``sendfile``, so the client side is what gets measured.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import statistics
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from app.models.download import download_file

SIZE = 512 * 1024 * 1024
ROUNDS = 3
BUFFER = 1024 * 1024
MB = 1_000_000
_RANGE = re.compile(r"^bytes=(\d+)-$")


def _handler(source: Path, sha256: str) -> type[BaseHTTPRequestHandler]:
    size = source.stat().st_size

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_HEAD(self) -> None:
            self._serve(body=False)

        def do_GET(self) -> None:
            self._serve(body=True)

        def _serve(self, *, body: bool) -> None:
            ranged = _RANGE.match(self.headers.get("Range") or "")
            start = int(ranged.group(1)) if ranged else 0
            self.send_response(206 if start else 200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(size - start))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("ETag", f'"{sha256}"')
            if start:
                self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
            self.end_headers()
            if body:
                with source.open("rb") as f:
                    self.connection.sendfile(f, start, size - start)

    return Handler


@contextmanager
def serve(source: Path, sha256: str) -> Iterator[str]:
    """A loopback server for ``source``; yields its url."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(source, sha256))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}/{source.name}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def hearth_fetch(url: str, dest: Path, sha256: str) -> None:
    download_file(url, dest, expected_size=SIZE, expected_sha256=sha256, retries=0)


def plain_fetch(url: str, dest: Path, sha256: str) -> None:
    with urllib.request.urlopen(url) as response, dest.open("wb") as out:
        shutil.copyfileobj(response, out, BUFFER)


def timed_rate(fetch: Callable[[str, Path, str], None], url: str, dest: Path, sha256: str) -> float:
    """MB/s of one fetch into a fresh ``dest`` (removed afterwards so the page cache stays small)."""
    dest.unlink(missing_ok=True)
    start = time.perf_counter()
    fetch(url, dest, sha256)
    elapsed = time.perf_counter() - start
    got = dest.stat().st_size
    dest.unlink()
    if got != SIZE:
        raise RuntimeError(f"{fetch.__name__} wrote {got} bytes, expected {SIZE}")
    return SIZE / elapsed / MB


def sha256_rate(data: bytes) -> float:
    """hashlib alone over the bytes in memory, 1 MiB at a time as the download loop feeds it."""
    best = 0.0
    view = memoryview(data)
    for _ in range(2):
        hasher = hashlib.sha256()
        start = time.perf_counter()
        for offset in range(0, len(view), BUFFER):
            hasher.update(view[offset : offset + BUFFER])
        best = max(best, len(data) / (time.perf_counter() - start) / MB)
    return best


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="hearth-bench-") as tmp:
        root = Path(tmp)
        data = os.urandom(SIZE)
        sha256 = hashlib.sha256(data).hexdigest()
        source = root / "model.gguf"
        source.write_bytes(data)
        hash_rate = sha256_rate(data)
        del data
        os.sync()  # the source's own writeback must not land inside the measured fetches
        ours: list[float] = []
        plain: list[float] = []
        with serve(source, sha256) as url:
            # One unmeasured fetch of each first: the first writes of a run pay for page-cache growth.
            timed_rate(hearth_fetch, url, root / "hearth.gguf", sha256)
            timed_rate(plain_fetch, url, root / "plain.gguf", sha256)
            for _ in range(ROUNDS):
                ours.append(timed_rate(hearth_fetch, url, root / "hearth.gguf", sha256))
                plain.append(timed_rate(plain_fetch, url, root / "plain.gguf", sha256))
    ours_mb, plain_mb = statistics.median(ours), statistics.median(plain)
    print(
        f"P6 download ({SIZE // (1024 * 1024)} MiB, loopback, median of {ROUNDS}): "
        f"Hearth {ours_mb:,.0f} MB/s (hashing, verified), plain HTTP {plain_mb:,.0f} MB/s, "
        f"sha256 alone {hash_rate:,.0f} MB/s"
    )
    print(
        "P6 runs MB/s: Hearth "
        + " ".join(f"{r:,.0f}" for r in ours)
        + " | plain "
        + " ".join(f"{r:,.0f}" for r in plain)
    )
    # Hashing in line with receiving and writing adds its time to every byte: the best such a loop can do.
    serial = 1 / (1 / plain_mb + 1 / hash_rate)
    print(f"P6 plain + sha256 in series would be {serial:,.0f} MB/s ({serial / plain_mb:.2f} of plain)")
    print(f"P6 ratio Hearth/plain = {ours_mb / plain_mb:.2f}   (goal >= 0.9)")


if __name__ == "__main__":
    main()
