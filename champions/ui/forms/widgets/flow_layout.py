"""A layout that wraps its items onto new lines, so chips never widen the form past the window."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QStyle, QWidget, QWidgetItem


class FlowLayout(QLayout):
    """Left-to-right, wrapping; the height follows the width (Qt's flow layout example)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._height_cache: tuple[int, int] | None = None  # (width, height): layouts ask many times
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt API)
        self._items.append(item)

    def insertWidget(self, index: int, widget: QWidget) -> None:  # noqa: N802
        """Qt's QLayout has no insert; chips go before the text box."""
        self.addChildWidget(widget)
        self._items.insert(index, QWidgetItem(widget))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        if self._height_cache is None or self._height_cache[0] != width:
            self._height_cache = (width, self._arrange(QRect(0, 0, width, 0), move=False))
        return self._height_cache[1]

    def invalidate(self) -> None:
        self._height_cache = None
        super().invalidate()

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_height = area.x(), area.y(), 0
        space = self._spacing if self._spacing >= 0 else self.spacing()
        if space < 0:
            space = self.parentWidget().style().pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing) if self.parentWidget() else 6
        for item in self._items:
            widget = item.widget()
            if widget is not None and widget.isHidden():
                continue
            hint = item.sizeHint()
            expands = widget is not None and widget.sizePolicy().horizontalPolicy() == QSizePolicy.Policy.Expanding
            width = hint.width()
            if x + width > area.right() + 1 and line_height > 0:
                x, y, line_height = area.x(), y + line_height + space, 0
            if expands:
                # The text box takes the rest of the line, at least its own hint.
                width = max(hint.width(), area.right() + 1 - x)
            if move:
                item.setGeometry(QRect(QPoint(x, y), QSize(width, hint.height())))
            x += width + space
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + m.bottom()
