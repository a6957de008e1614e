"""Talking HTTP to the Hugging Face Hub: a file's url, the auth headers, the redirect rules, and the
HEAD request that tells a file's size and ETag before any byte is fetched.

Kept apart from the download loop (download) so that what is particular to the Hub (its redirects to a
CDN, its X-Linked-* headers, its sha256 ETags) sits in one place, and the loop only sees a url, headers
and an opener.
"""

from __future__ import annotations

import http.client
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any

# Must be set before huggingface_hub reads its constants: 2.x otherwise reports usage to the Hub.
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

from huggingface_hub import hf_hub_url

# The public name is only re-exported lazily, which a strict type checker cannot see.
from huggingface_hub.utils import build_hf_headers  # type: ignore[attr-defined]

from app.i18n import translate
from app.models.download_errors import DownloadError

DEFAULT_ENDPOINT = "https://huggingface.co"
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class TransientError(Exception):
    """A failure worth retrying: dropped connection, timeout, 5xx."""


def hub_file_url(repo: str, filename: str, revision: str = "main", endpoint: str | None = None) -> str:
    """The ``resolve`` url of one file; HF_ENDPOINT is read now (not at import) so it can be changed later."""
    base = endpoint or os.environ.get("HF_ENDPOINT", "").strip() or DEFAULT_ENDPOINT
    return hf_hub_url(repo, filename, revision=revision, endpoint=base.rstrip("/"))


def auth_headers(token: str | None) -> dict[str, str]:
    """Headers for the Hub; without a token none is sent, not even one cached by other tools."""
    return build_hf_headers(token=token or False, library_name="hearth")


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects (the Hub sends LFS files to a CDN) without handing the token to another host."""

    def redirect_request(  # noqa: PLR0917 (the base class's signature)
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if (
            new is not None
            and urllib.parse.urlsplit(newurl).netloc != urllib.parse.urlsplit(req.full_url).netloc
        ):
            new.remove_header("Authorization")
        return new


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """For HEAD: the Hub puts the file's size and ETag on the redirect itself (X-Linked-*)."""

    def redirect_request(  # noqa: PLR0917 (the base class's signature)
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        return None


get_opener = urllib.request.build_opener(_SameHostRedirects())
_head_opener = urllib.request.build_opener(_NoRedirects())


@dataclass(frozen=True)
class RemoteFile:
    size: int | None
    etag: str | None


def plain_http_error(code: int, url: str) -> DownloadError:
    if code in (401, 403):
        return DownloadError(
            translate(
                "Downloads",
                "This model needs a Hugging Face token: accept its licence on the model's page, "
                "then add your token in Settings.",
            )
        )
    if code == 404:
        return DownloadError(
            translate("Downloads", "The file was not found on the server: {url}").format(url=url)
        )
    return DownloadError(
        translate("Downloads", "The server refused the download (HTTP {code}).").format(code=code)
    )


def head_request(url: str, headers: Mapping[str, str], timeout_s: float) -> RemoteFile:
    request = urllib.request.Request(url, headers=dict(headers), method="HEAD")
    try:
        with _head_opener.open(request, timeout=timeout_s) as response:
            found = response.headers
            redirected = False
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            found = exc.headers
            redirected = True
        elif exc.code >= 500:
            raise TransientError(f"HTTP {exc.code}") from exc
        else:
            raise plain_http_error(exc.code, url) from exc
    except (OSError, http.client.HTTPException) as exc:
        raise TransientError(str(exc) or type(exc).__name__) from exc
    etag = found.get("X-Linked-Etag") or found.get("ETag")
    # A redirect's own Content-Length is the length of its (empty) body, not of the file.
    size_text = found.get("X-Linked-Size") or (None if redirected else found.get("Content-Length"))
    size = int(size_text) if size_text and size_text.isdigit() else None
    return RemoteFile(size, etag.strip() if etag else None)


def etag_sha256(etag: str | None) -> str | None:
    """The Hub's ETag for an LFS file is its sha256: a free check when the caller knows no hash."""
    if not etag:
        return None
    value = etag.removeprefix("W/").strip('"').lower()
    return value if _SHA256_HEX.match(value) else None
