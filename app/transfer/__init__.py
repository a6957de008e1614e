"""Conversations out of Hearth and into it, with no Qt: shared by the window's menus and the command line.

api.py is the door: export() makes Markdown (markdown.py), a self-contained HTML page (html.py) or
Hearth's own JSON (hearth_json.py), and import_file() reads Hearth JSON or ChatGPT's export
(chatgpt.py, chatgpt_content.py) from a file or a .zip (archive.py). Every file problem is a
TransferError in plain words, raised before the history is touched.
"""

from app.transfer.api import EXPORT_FORMATS, SUFFIXES, ExportFormat, ImportSummary, export, import_file
from app.transfer.errors import TransferError

__all__ = [
    "EXPORT_FORMATS",
    "SUFFIXES",
    "ExportFormat",
    "ImportSummary",
    "TransferError",
    "export",
    "import_file",
]
