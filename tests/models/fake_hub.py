"""A loopback fake of the Hugging Face Hub that serves real bytes, so download tests never leave the machine.

It answers the two kinds of request Hearth makes: ``/{repo}/resolve/{rev}/{file}`` (HEAD and GET, with the
Hub's headers and HTTP Range) and ``/api/models/{repo}[/revision/{rev}]`` (the file list with sizes and LFS
sha256). Knobs let a test break it the ways real networks and servers break.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

_RESOLVE = re.compile(r"^/(?P<repo>[^/]+/[^/]+)/resolve/(?P<rev>[^/]+)/(?P<file>.+)$")
_API = re.compile(r"^/api/models/(?P<repo>[^/]+/[^/]+?)(?:/revision/(?P<rev>[^/]+))?$")
_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")


@dataclass
class Request:
    method: str
    path: str
    range: str | None
    authorization: str | None


@dataclass
class FakeHub:
    """Start with ``with FakeHub() as hub``; ``hub.endpoint`` is the base url to use instead of the Hub's."""

    files: dict[tuple[str, str], bytes] = field(default_factory=dict)
    commits: dict[str, str] = field(default_factory=dict)
    gated: dict[str, str] = field(default_factory=dict)  # repo -> the token it wants
    cut_after: int | None = None  # close the connection after this many body bytes of a GET...
    cut_times: int | None = 1  # ...this many times (None: every time)
    stall_after: int | None = None  # stop sending after this many body bytes of a GET...
    stall_s: float = 0.0  # ...for this long (ended early when the hub closes)
    errors_5xx: int = 0  # answer this many GETs with 503 first
    corrupt: bool = False  # serve flipped bytes under the real sha256
    ignore_range: bool = False  # always answer 200 with the whole file
    redirect_to: str | None = None  # send file requests to this endpoint, as the Hub sends LFS files to a CDN
    requests: list[Request] = field(default_factory=list)
    body_bytes_sent: int = 0
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    _closing: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add_file(self, repo: str, filename: str, data: bytes, commit: str = "0" * 40) -> str:
        """Serve ``data`` as ``repo``'s ``filename``; returns its sha256 (the Hub's ETag for LFS files)."""
        self.files[(repo, filename)] = data
        self.commits[repo] = commit
        return hashlib.sha256(data).hexdigest()

    @property
    def endpoint(self) -> str:
        assert self._server is not None, "use the hub inside `with`"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def gets(self) -> list[Request]:
        return [r for r in self.requests if r.method == "GET" and "/resolve/" in r.path]

    def __enter__(self) -> FakeHub:
        hub = self

        class Handler(_Handler):
            fake = hub

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # A short poll so closing the hub doesn't cost every test half a second.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._closing.set()
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def take_cut(self) -> bool:
        with self._lock:
            if self.cut_after is None or self.cut_times == 0:
                return False
            if self.cut_times is not None:
                self.cut_times -= 1
            return True


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that the tests kill or cut leave broken pipes behind; those are the point, not failures.
        pass


class _Handler(BaseHTTPRequestHandler):
    fake: FakeHub
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def do_GET(self) -> None:
        self._serve(body=True)

    def _serve(self, *, body: bool) -> None:
        hub = self.fake
        path = unquote(urlsplit(self.path).path)
        hub.requests.append(
            Request(self.command, path, self.headers.get("Range"), self.headers.get("Authorization"))
        )
        if match := _API.match(path):
            self._api(match.group("repo"), match.group("rev"), body=body)
            return
        match = _RESOLVE.match(path)
        if match is None or (match.group("repo"), match.group("file")) not in hub.files:
            self._status(404, "Entry not found")
            return
        repo = match.group("repo")
        if not self._authorised(repo):
            return
        if body and hub.errors_5xx > 0:
            hub.errors_5xx -= 1
            self._status(503, "Service unavailable")
            return
        data = hub.files[(repo, match.group("file"))]
        sha = hashlib.sha256(data).hexdigest()
        if hub.redirect_to is not None:
            self.send_response(302)
            self.send_header("Location", hub.redirect_to + self.path)
            self.send_header("X-Linked-Etag", f'"{sha}"')
            self.send_header("X-Linked-Size", str(len(data)))
            self.send_header("X-Repo-Commit", hub.commits[repo])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        start = 0
        ranged = _RANGE.match(self.headers.get("Range") or "")
        if ranged and not hub.ignore_range:
            start = int(ranged.group(1))
            if start >= len(data):
                self._status(416, "Range not satisfiable")
                return
        chunk = data[start:]
        if hub.corrupt:
            chunk = bytes(b ^ 0xFF for b in chunk[:16]) + chunk[16:]
        self.send_response(206 if start else 200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(chunk)))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", f'"{sha}"')
        self.send_header("X-Linked-Etag", f'"{sha}"')
        self.send_header("X-Linked-Size", str(len(data)))
        self.send_header("X-Repo-Commit", hub.commits[repo])
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.end_headers()
        if body:
            self._send_body(chunk)

    def _send_body(self, chunk: bytes) -> None:
        hub = self.fake
        limit = len(chunk)
        cut = hub.take_cut()
        if cut and hub.cut_after is not None:
            limit = min(limit, hub.cut_after)
        stall_at = hub.stall_after if hub.stall_after is not None else None
        sent = 0
        while sent < limit:
            end = min(limit, sent + 64 * 1024)
            if stall_at is not None and sent < stall_at <= end:
                end = stall_at
            self.wfile.write(chunk[sent:end])
            with hub._lock:
                hub.body_bytes_sent += end - sent
            sent = end
            if stall_at is not None and sent == stall_at:
                self.wfile.flush()
                hub._closing.wait(hub.stall_s)
        self.wfile.flush()
        if cut:
            self.close_connection = True

    def _authorised(self, repo: str) -> bool:
        wanted = self.fake.gated.get(repo)
        if wanted is None or self.headers.get("Authorization") == f"Bearer {wanted}":
            return True
        self._status(401, "Access to this model is restricted")
        return False

    def _api(self, repo: str, rev: str | None, *, body: bool) -> None:
        hub = self.fake
        names = sorted(name for (r, name) in hub.files if r == repo)
        if not names:
            self._status(404, "Repository not found")
            return
        if not self._authorised(repo):
            return
        siblings = []
        for name in names:
            data = hub.files[(repo, name)]
            sha = hashlib.sha256(data).hexdigest()
            # The real Hub's LFS record; huggingface_hub's ModelInfo requires every key, pointerSize included.
            lfs = {"sha256": sha, "size": len(data), "pointerSize": 134}
            siblings.append({"rfilename": name, "size": len(data), "lfs": lfs})
        payload = json.dumps({"id": repo, "sha": hub.commits[repo], "siblings": siblings}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if body:
            self.wfile.write(payload)

    def _status(self, code: int, message: str) -> None:
        payload = json.dumps({"error": message}).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-Error-Message", message)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)
