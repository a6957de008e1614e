"""Fetch a catalogue variant from the Hub into the models folder: the pull flow shared by CLI and window.

Exact sizes and hashes are read first so every file is verified, the refreshed metadata is cached for
offline use, and each verified hash is recorded in the library's manifest.
"""

from __future__ import annotations

import threading
from pathlib import Path

from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError

from app.i18n import translate
from app.models.catalog import CatalogCache, Variant, cache_path, refresh_from_hub
from app.models.download import DownloadItem, ProgressCallback, download_files
from app.models.download_errors import DownloadError
from app.models.hub_http import auth_headers, hub_file_url
from app.models.library import Manifest


class HubError(DownloadError):
    """The Hub could not be read (no access, no such repo, no connection). The message is for people."""


def is_transport_error(error: BaseException) -> bool:
    """A connection failure inside huggingface_hub's HTTP client (its package has changed across releases)."""
    return isinstance(error, OSError) or type(error).__module__.split(".")[0] in {
        "httpx",
        "httpx2",
        "requests",
        "urllib3",
        "httpcore",
    }


def _hub_message(variant: Variant, exc: HfHubHTTPError) -> str:
    status = exc.response.status_code if exc.response is not None else None
    if status in (401, 403):
        return translate("Downloads", "{repo} needs a Hugging Face token that can read it.").format(
            repo=variant.repo
        )
    if status == 404:
        return translate("Downloads", "{repo} was not found on the Hugging Face Hub.").format(
            repo=variant.repo
        )
    return translate("Downloads", "Could not read {repo} on the Hub ({problem}).").format(
        repo=variant.repo, problem=status or exc
    )


def refresh_variant(variant: Variant, *, endpoint: str | None, token: str | None) -> Variant:
    """The variant with exact sizes and sha256 from the Hub; HubError in plain words if that fails."""
    try:
        # The endpoint is passed explicitly: huggingface_hub reads HF_ENDPOINT only once, at import.
        return refresh_from_hub(variant, HfApi(endpoint=endpoint), token=token)
    except HfHubHTTPError as exc:
        raise HubError(_hub_message(variant, exc)) from exc
    except Exception as exc:
        if is_transport_error(exc):
            raise HubError(
                translate(
                    "Downloads", "Could not reach the Hub ({problem}); check the internet connection."
                ).format(problem=exc)
            ) from exc
        raise


def pull_variant(
    variant: Variant,
    *,
    models_dir: Path,
    data_root: Path,
    endpoint: str | None,
    token: str | None,
    pause: threading.Event | None = None,
    cancel: threading.Event | None = None,
    on_progress: ProgressCallback | None = None,
) -> list[Path]:
    """Download every file of `variant` (resumably) and record their verified hashes; returns the paths."""
    variant = refresh_variant(variant, endpoint=endpoint, token=token)
    CatalogCache(cache_path(data_root)).remember(variant)
    items = [
        DownloadItem(
            url=hub_file_url(variant.repo, name, endpoint=endpoint),
            dest=models_dir / name,
            expected_size=size,
            expected_sha256=sha,
        )
        for name, size, sha in zip(variant.files, variant.file_sizes, variant.sha256, strict=True)
    ]
    paths = download_files(
        items, headers=auth_headers(token), pause=pause, cancel=cancel, on_progress=on_progress
    )
    manifest = Manifest(models_dir)
    for item, sha in zip(items, variant.sha256, strict=True):
        if sha:
            manifest.record(item.dest, sha, variant.id)
    return paths
