"""Lists whose rows are exactly as wide as the list: a long title is cut with "…" at the edge, and the
list never scrolls sideways (not by a scroll bar, nor by a sideways swipe on a touchpad)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QStyleOptionViewItem


class _FitWidthDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        # A list is as wide as its widest row: claiming no width of its own, each row gets the
        # list's width, and its text is elided to it instead of widening the content.
        size = super().sizeHint(option, index)
        size.setWidth(1)
        return size


def fit_rows_to_width(view: QAbstractItemView) -> None:
    view.setItemDelegate(_FitWidthDelegate(view))
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
