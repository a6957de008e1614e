"""The guide (F1): topics written for people who have never opened a terminal, read from
resources/help/<language>/ and rendered with the same safe Markdown renderer as the replies.

A topic links to another by its file name ([Documents](04-documents.md)). The renderer keeps only
http(s) links, so such a link is rewritten to a reserved host that can never resolve (.invalid) and
followed here; any other link goes through the usual confirmation before a browser opens it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QDialog, QHBoxLayout, QListWidget, QTextBrowser, QWidget

from app.render import render_markdown
from app.ui.chat_helpers import confirm_and_open
from app.ui.colours import palette_is_dark
from app.ui.fitted_list import fit_rows_to_width
from app.ui.jobs import run_job
from app.ui.render_labels import render_labels
from app.ui.resources import resources_dir

TOPIC_HOST = "guide.hearth.invalid"
_TOPIC_LINK = re.compile(r"\]\((\d\d-[a-z0-9-]+\.md)\)")


@dataclass(frozen=True)
class Topic:
    file: str  # "04-documents.md"
    title: str
    html: str


def help_dir(language: str) -> Path:
    folder = resources_dir() / "help" / language
    return folder if folder.is_dir() else resources_dir() / "help" / "en"


def read_topics(folder: Path, dark: bool) -> list[Topic]:
    """Every topic in the folder, in file-name order, rendered. Runs on a pool thread."""
    topics = []
    labels = render_labels()
    for file in sorted(folder.glob("*.md")):
        text = file.read_text(encoding="utf-8")
        first, _, _rest = text.partition("\n")
        title = first.lstrip("#").strip() or file.stem
        linked = _TOPIC_LINK.sub(rf"](https://{TOPIC_HOST}/\1)", text)
        html = render_markdown(linked, dark=dark, labels=labels, copy_links=False).html
        topics.append(Topic(file.name, title, html))
    return topics


class GuideWindow(QDialog):
    topics_shown = Signal()  # the topics are read and the first is on screen

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Hearth guide"))
        self.setObjectName("guideWindow")
        self.topics: list[Topic] = []
        self.list = QListWidget(self)
        self.list.setObjectName("guideTopics")
        self.list.setAccessibleName(self.tr("Guide topics"))
        self.list.setFixedWidth(230)
        fit_rows_to_width(self.list)
        self.list.currentRowChanged.connect(self._show_row)
        self.page = QTextBrowser(self)
        self.page.setObjectName("guidePage")
        self.page.setAccessibleName(self.tr("Guide page"))
        self.page.setOpenLinks(False)
        self.page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.page.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.page.anchorClicked.connect(self._link)
        layout = QHBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.page, 1)
        self.resize(900, 640)
        folder, dark = help_dir(language), palette_is_dark(self.palette())
        run_job(lambda: read_topics(folder, dark), self._show_topics, self._unreadable, parent=self)

    def _show_topics(self, topics: list[Topic]) -> None:
        self.topics = topics
        self.list.clear()
        self.list.addItems([topic.title for topic in topics])
        if topics:
            self.list.setCurrentRow(0)
        self.topics_shown.emit()

    def _unreadable(self, error: BaseException) -> None:
        self.page.setPlainText(self.tr("The guide could not be read: {error}").format(error=error))

    def show_topic(self, file: str) -> None:
        rows = [i for i, topic in enumerate(self.topics) if topic.file == file]
        if rows:
            self.list.setCurrentRow(rows[0])

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self.topics):
            self.page.setHtml(self.topics[row].html)

    def _link(self, url: QUrl) -> None:
        if url.host() == TOPIC_HOST:
            self.show_topic(url.path().lstrip("/"))
        else:
            confirm_and_open(self, url.toString())
