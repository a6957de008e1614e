"""Export and import from the window: the File menu's "Export all…" and "Import…", and a conversation's
own "Export…" in the sidebar. The file is chosen here; reading the history, writing the file and importing
run through run_job, and the outcome is one line above the chat."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.atomic import write_text
from app.store import HistoryStore
from app.transfer import SUFFIXES, ExportFormat, ImportSummary, export, import_file
from app.ui.jobs import run_job


def _safe_file_name(title: str) -> str:
    """A title as a file name on any system: no separators or reserved characters, not too long."""
    kept = "".join(ch if ch.isalnum() or ch in " -_.,()" else " " for ch in title)
    return " ".join(kept.split())[:60].strip(" .") or "Conversation"


class TransferActions(QObject):
    def __init__(
        self,
        store: HistoryStore,
        window: QWidget,
        *,
        show_notice: Callable[[str], None],
        show_problem: Callable[[BaseException], None],
        imported: Callable[[ImportSummary], None],
    ) -> None:
        super().__init__(window)
        self._store = store
        self._window = window
        self._show_notice = show_notice
        self._show_problem = show_problem
        self._imported = imported

    def export_all(self) -> None:
        self.export(None, self.tr("Hearth conversations"))

    def export(self, conversation_ids: Sequence[int] | None, title: str) -> None:
        """Ask where and in which format, then write the file in the background."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(folder) / f"{_safe_file_name(title)}.md")
        # The file dialog's filters, each naming its format, in the order offered.
        formats: dict[str, ExportFormat] = {
            self.tr("Markdown (*.md)"): "md",
            self.tr("Web page (*.html)"): "html",
            self.tr("Hearth JSON, everything, can be imported again (*.json)"): "json",
        }
        filters = list(formats)
        path, chosen = QFileDialog.getSaveFileName(
            self._window, self.tr("Export conversations"), suggested, ";;".join(filters)
        )
        if not path:
            return
        fmt = formats.get(chosen, "md")
        target = Path(path)
        if target.suffix.lower() not in SUFFIXES.values():
            target = target.with_suffix(SUFFIXES[fmt])
        reasoning = fmt == "json" or self._ask_reasoning()
        self.write(conversation_ids, fmt, target, reasoning=reasoning)

    def _ask_reasoning(self) -> bool:
        answer = QMessageBox.question(
            self._window,
            self.tr("Export conversations"),
            self.tr("Include the model's reasoning? (The answers are always included.)"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def write(
        self, conversation_ids: Sequence[int] | None, fmt: ExportFormat, target: Path, *, reasoning: bool
    ) -> None:
        store, ids = self._store, None if conversation_ids is None else list(conversation_ids)

        def work() -> None:
            write_text(target, export(store, ids, fmt, reasoning=reasoning))

        run_job(
            work,
            lambda _done: self._show_notice(self.tr("Exported to {path}.").format(path=target)),
            self._show_problem,
            parent=self,
        )

    def choose_import(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
        path, _filter = QFileDialog.getOpenFileName(
            self._window,
            self.tr("Import conversations"),
            folder,
            self.tr("Hearth or ChatGPT export (*.json *.zip);;All files (*)"),
        )
        if path:
            self.import_path(Path(path))

    def import_path(self, path: Path) -> None:
        store = self._store
        run_job(lambda: import_file(store, path), self._done_importing, self._show_problem, parent=self)

    def _done_importing(self, summary: ImportSummary) -> None:
        self._show_notice(summary.describe())
        self._imported(summary)
