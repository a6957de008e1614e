"""The Qt-free model manager: finding, downloading and keeping GGUF models."""

from app.models.download import DownloadItem, DownloadProgress, download_file, download_files
from app.models.download_errors import DownloadCancelled, DownloadError, DownloadPaused
from app.models.hub_http import auth_headers, hub_file_url

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
