"""The Qt-free model manager: finding, downloading and keeping GGUF models."""

from app.models.download import (
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

__all__ = [
    "DownloadCancelled",
    "DownloadError",
    "DownloadItem",
    "DownloadPaused",
    "DownloadProgress",
    "auth_headers",
    "download_file",
    "download_files",
    "hub_file_url",
]
