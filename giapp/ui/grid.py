"""An official table as an editable grid, drawn from the form's layout (merged cells included)."""

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QGuiApplication, QKeySequence, QPen
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QStyledItemDelegate, QTableView

from ..form import Form, Table
from ..values import format_value
from .session import Session

CELL_ROLE = Qt.UserRole + 1  # the cell id at an index, or None for a label

COLORS = {
    "head": QColor("#eef1f5"),
    "derived": QColor("#e6e6e6"),
    "locked": QColor("#dde8f3"),
    "error": QColor("#f8c9c4"),
    "warning": QColor("#fbe7b5"),
}


class FormTableModel(QAbstractTableModel):
    def __init__(self, session: Session, form: Form, table: Table, parent=None):
        super().__init__(parent)
        self.session, self.form, self.table = session, form, table
        self.places = {(p.r, p.c): p for p in table.places}
        self.refused = False  # the last edit was refused
        self.cell_pos = {p.cell: (p.r, p.c) for p in table.places if p.cell}
        self._bold = QFont()
        self._bold.setBold(True)
        self._value_flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        self._input_flags = self._value_flags | Qt.ItemIsEditable
        self._center = int(Qt.AlignCenter)
        self._left = int(Qt.AlignVCenter | Qt.AlignLeft)
        self._brushes = {k: QBrush(v) for k, v in COLORS.items()}
        self._derived = {c for c, cell in form.cells.items() if cell.derived}
        self._grid = [[None] * table.cols for _ in range(table.rows)]
        for p in table.places:
            self._grid[p.r][p.c] = p
        self._label_roles = {p: self._label_data(p) for p in table.places if p.cell is None}
        session.valuesChanged.connect(self._values_changed)
        session.findingsChanged.connect(self._findings_changed)
        session.metaChanged.connect(self._refresh)

    # ---- Qt model interface

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else self.table.rows

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else self.table.cols

    def cell_id(self, index: QModelIndex) -> str | None:
        if not index.isValid():
            return None
        place = self._grid[index.row()][index.column()]
        return place.cell if place else None

    def index_of(self, cid: str) -> QModelIndex:
        r, c = self.cell_pos[cid]
        return self.index(r, c)

    def editable(self, cid: str | None) -> bool:
        if cid is None or self.session.readonly:
            return False
        return cid not in self._derived and cid not in self.session.locked

    def why_not_editable(self, cid: str | None) -> str:
        """The bar above the table says why typing here takes nothing."""
        if cid is None:
            return "此格为表头，不能填写。请用 Tab 或回车到下一个要填写的单元格"
        if self.session.readonly:
            return f"{self.session.readonly_reason()}，不能填写"
        if cid in self._derived:
            return "此格为合计，自动计算，不能填写"
        return ("此格为上年结转，来自上年报告，不能填写。如上年报告数字有误，"
                "请用“编辑 → 解除与上年报告的关联”（须填写原因）")

    def flags(self, index):
        return self._input_flags if self.editable(self.cell_id(index)) else self._value_flags

    def data(self, index, role=Qt.DisplayRole):
        # hot: called for every visible cell and role at every repaint
        place = self._grid[index.row()][index.column()]
        if place is None:
            return None
        cid = place.cell
        if cid is None:
            if role == Qt.ToolTipRole:
                return place.text
            return self._label_roles[place].get(role)
        if role == Qt.DisplayRole or role == Qt.EditRole:
            return format_value(self.session.report.values.get(cid))
        if role == Qt.BackgroundRole:
            severity = self.session.severity.get(cid)
            if severity:
                return self._brushes[severity]
            if cid in self._derived:
                return self._brushes["derived"]
            if cid in self.session.locked:
                return self._brushes["locked"]
            return None
        if role == Qt.TextAlignmentRole:
            return self._center
        if role == CELL_ROLE:
            return cid
        if role == Qt.ToolTipRole:
            return self._tooltip(cid)
        if role == Qt.AccessibleTextRole:
            return f"{self.form.cell_name(cid)}：{format_value(self.session.report.values.get(cid)) or '空'}"
        return None

    def _label_data(self, place) -> dict:
        """A label's roles, fixed for the life of the grid."""
        head = place.role in ("head", "block", "note")
        roles = {Qt.DisplayRole: "　" * place.indent + (place.text or ""), CELL_ROLE: None,
                 Qt.TextAlignmentRole: self._center if head else self._left}
        if head:
            roles[Qt.BackgroundRole] = self._brushes["head"]
        if place.role in ("head", "block", "heading"):
            roles[Qt.FontRole] = self._bold
        return roles

    def _tooltip(self, cid: str) -> str:
        cell = self.form.cells[cid]
        lines = [f"{cell.row} · {cell.col}（{cell.unit}，{cell.type.label}）"]
        if cell.derived:
            lines.append(f"自动计算：{'、'.join(self._part_name(cid, p) for p in cell.parts)}之和")
        if cid in self.session.locked:
            lines.append("已从上年报告“结转下年度继续办理”结转，关联上年报告期间锁定")
        last = self.session.report.last_year
        if last is not None:
            lines.append(f"上年（{last.year}年）：{format_value(last.values.get(cid)) or '空'}")
        for f in self.session.cell_findings.get(cid, []):
            lines.append(("错误：" if f.severity == "error" else "警告：") + f.message)
        return "\n".join(lines)

    def _part_name(self, cid: str, part: str) -> str:
        """A part as seen from its sum: its column when in the same row, else its row."""
        same_row = part.rsplit(".", 1)[0] == cid.rsplit(".", 1)[0]
        return self.form.cells[part].col if same_row else self.form.cells[part].row.split(" · ")[-1]

    def setData(self, index, value, role=Qt.EditRole):
        cid = self.cell_id(index)
        if role != Qt.EditRole or cid is None:
            return False
        refused = self.session.set_values({cid: value})
        self.refused = bool(refused)
        if refused:
            self.session.message.emit("error", f"{refused[0]}。已保留原值")
            return False
        return True

    # ---- updates

    def _values_changed(self, cids):
        for cid in cids:
            if cid in self.cell_pos:
                index = self.index_of(cid)
                self.dataChanged.emit(index, index)

    def _findings_changed(self):
        self._values_changed(self.session.severity_changed)

    def _refresh(self):
        self.dataChanged.emit(self.index(0, 0), self.index(self.table.rows - 1, self.table.cols - 1))


class ValueDelegate(QStyledItemDelegate):
    """A line editor; Enter and Tab commit and move to the next cell that takes input."""

    MOVES = {Qt.Key_Return: "down", Qt.Key_Enter: "down", Qt.Key_Tab: "next", Qt.Key_Backtab: "previous"}

    def __init__(self, view: "GridView"):
        super().__init__(view)
        self.view = view
        self._frame = QPen(QColor("#0b57d0"), 3)

    def createEditor(self, parent, option, index):
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignCenter)
        editor.setFrame(False)
        editor.setStyleSheet("QLineEdit { border: 3px solid #0b57d0; }")
        return editor

    def paint(self, painter, option, index):
        super().paint(painter, option, index)
        view = self.view
        if index == view.currentIndex() and view.hasFocus():  # the cell the keys go to: unmistakable
            painter.save()
            painter.setPen(self._frame)
            painter.drawRect(option.rect.adjusted(1, 1, -2, -2))
            painter.restore()

    def eventFilter(self, editor, event):
        if event.type() == QEvent.KeyPress and event.key() in self.MOVES:
            if self.view.commit_pending():  # a refused value: stay on the cell, which keeps its old value
                self.view.move(self.MOVES[event.key()])
            return True
        return super().eventFilter(editor, event)


class GridView(QTableView):
    """The grid: spans from the form, no Qt headers (the official header rows are part of it).

    The keyboard, as a clerk who types all day in Excel or WPS expects it:
    typing on a cell that takes input replaces its value (F2 edits it); Tab / Shift+Tab commit and
    go to the next / previous cell that takes input in reading order; Enter commits and goes down
    to the next cell that takes input (in a one-row table, on in reading order); arrows visit every
    cell; typing on a cell that takes no input says why, and goes nowhere."""

    pasted = Signal(list)  # refusals of the last paste

    def __init__(self, model: FormTableModel, parent=None):
        super().__init__(parent)
        self.setModel(model)
        self.grid_model = model
        self._editor_closing = False
        self.setItemDelegate(ValueDelegate(self))
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.ContiguousSelection)
        self.setEditTriggers(QAbstractItemView.AnyKeyPressed | QAbstractItemView.DoubleClicked
                             | QAbstractItemView.EditKeyPressed)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Fixed)
        # a selection in a table without the focus is pale, and never looks like the cell the keys go to
        self.setStyleSheet("QTableView { gridline-color: #808080; selection-background-color: #c5d8f5;"
                           " selection-color: black; }"
                           "QTableView:!focus { selection-background-color: #e4e8ee; }")
        for p in model.table.places:
            if p.rs > 1 or p.cs > 1:
                self.setSpan(p.r, p.c, p.rs, p.cs)
        self._cells = [(r, c) for (r, c), p in sorted(model.places.items()) if p.cell]
        self._value_cols = {c for (_, c), p in model.places.items() if p.cell}
        self._one_row = len({r for r, _ in self._cells}) == 1
        first = self.first_input()
        if first.isValid():
            self.setCurrentIndex(first)

    # ---- layout: column widths from the form, scaled to the space there is; rows fit their text

    def layout_table(self) -> None:
        table = self.grid_model.table
        fm = QFontMetrics(self.font())
        unit = fm.horizontalAdvance("中") / 2  # a width unit is half a Chinese character
        minimum = [max(w * unit, fm.horizontalAdvance("999999999") + 8) if self._is_value_col(i) else w * unit
                   for i, w in enumerate(table.widths)]
        available = self.viewport().width() - 2
        total = sum(minimum)
        if 0 < available < total:  # narrow screen: label columns give up to half their width first
            labels = sum(w for i, w in enumerate(minimum) if not self._is_value_col(i))
            shrink = max(0.5, 1 - (total - available) / labels) if labels else 1
            minimum = [w if self._is_value_col(i) else w * shrink for i, w in enumerate(minimum)]
            total = sum(minimum)
        scale = max(1.0, available / total) if available > 0 else 1.0
        for i, w in enumerate(minimum):
            self.setColumnWidth(i, int(w * scale))
        line = fm.height()
        for r in range(table.rows):
            height = int(line * 1.6)
            for c in range(table.cols):
                place = self.grid_model.places.get((r, c))
                if place is None or place.rs > 1 or not place.text:
                    continue
                width = sum(self.columnWidth(c + k) for k in range(place.cs)) - 8
                text = "　" * place.indent + place.text
                rect = fm.boundingRect(QRect(0, 0, max(width, 10), 10_000), Qt.TextWordWrap, text)
                height = max(height, rect.height() + int(line * 0.6))
            self.setRowHeight(r, height)
        for p in table.places:  # a merged label taller than its rows: share out the difference
            if p.rs > 1 and p.text:
                width = sum(self.columnWidth(p.c + k) for k in range(p.cs)) - 8
                need = fm.boundingRect(QRect(0, 0, max(width, 10), 10_000), Qt.TextWordWrap, p.text).height() + line
                have = sum(self.rowHeight(p.r + k) for k in range(p.rs))
                if need > have:
                    extra = (need - have) // p.rs + 1
                    for k in range(p.rs):
                        self.setRowHeight(p.r + k, self.rowHeight(p.r + k) + extra)

    def _is_value_col(self, col: int) -> bool:
        return col in self._value_cols

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.layout_table()

    # ---- moving about

    def _inputs(self) -> list[tuple[int, int]]:
        """The positions that take input now (not totals, not locked, not while read-only)."""
        model = self.grid_model
        return [pos for pos in self._cells if model.editable(model.places[pos].cell)]

    def first_input(self) -> QModelIndex:
        inputs = self._inputs() or self._cells
        return self.grid_model.index(*inputs[0]) if inputs else QModelIndex()

    def _step(self, index: QModelIndex, forward: bool) -> QModelIndex:
        here = (index.row(), index.column())
        ordered = self._inputs() if forward else list(reversed(self._inputs()))
        for pos in ordered:
            if (pos > here) if forward else (pos < here):
                return self.grid_model.index(*pos)
        return index  # the last (first) input cell: stay

    def moveCursor(self, action, modifiers):
        current = self.currentIndex()
        if action == QAbstractItemView.MoveNext:
            return self._step(current, True)
        if action == QAbstractItemView.MovePrevious:
            return self._step(current, False)
        return super().moveCursor(action, modifiers)

    def move(self, where: str) -> None:
        if where == "down":
            self.after_enter()
        else:
            self.setCurrentIndex(self._step(self.currentIndex(), where == "next"))

    def after_enter(self) -> None:
        """Enter: down to the next input cell in this column, else (and in a one-row table) on in reading order."""
        current = self.currentIndex()
        model = self.grid_model
        if not self._one_row:
            for r in range(current.row() + 1, model.table.rows):
                place = model.places.get((r, current.column()))
                if place and place.cell and model.editable(place.cell):
                    self.setCurrentIndex(model.index(r, current.column()))
                    return
        self.setCurrentIndex(self._step(current, True))

    def go_first_input(self) -> None:
        """Ctrl+PgDn/PgUp land here: the first cell that takes input, with the keyboard focus."""
        first = self.first_input()
        if first.isValid():
            self.setCurrentIndex(first)
            self.scrollTo(first)
        self.setFocus(Qt.OtherFocusReason)

    def commit_pending(self) -> bool:
        """Commit a half-typed value (every way out of a cell does); False when it was refused,
        the refusal then shown and the cell keeping its old value."""
        if self.state() != QAbstractItemView.EditingState:
            return True
        index = self.currentIndex()
        editor = self.indexWidget(index)
        model = self.grid_model
        model.refused = False
        delegate = self.itemDelegate()
        if editor is not None:
            delegate.commitData.emit(editor)
            self._editor_closing = editor.hasFocus()
            delegate.closeEditor.emit(editor, QStyledItemDelegate.NoHint)
        return not model.refused

    def keyboardSearch(self, search: str) -> None:
        """Qt's type-to-search would move the current cell to a label starting with the typed digit."""

    def refuse_typing(self) -> None:
        cid = self.grid_model.cell_id(self.currentIndex())
        self.grid_model.session.message.emit("error", self.grid_model.why_not_editable(cid))

    def select_cells(self, cids: list[str]) -> None:
        indexes = [self.grid_model.index_of(c) for c in cids if c in self.grid_model.cell_pos]
        if not indexes:
            return
        selection = self.selectionModel()
        selection.clear()
        for index in indexes:
            selection.select(index, selection.SelectionFlag.Select)
        selection.setCurrentIndex(indexes[0], selection.SelectionFlag.NoUpdate)
        self.scrollTo(indexes[0])
        self.setFocus()

    # ---- keys: Enter, Delete, paste, copy, typing where no input is taken

    def keyPressEvent(self, event):
        editing = self.state() == QAbstractItemView.EditingState
        if event.matches(QKeySequence.Paste):
            self.paste(QGuiApplication.clipboard().text())
            return
        if event.matches(QKeySequence.Copy):
            self.copy()
            return
        if event.key() in (Qt.Key_Delete, Qt.Key_Backspace) and not editing:
            self.clear_selection()
            return
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and not editing:
            self.after_enter()
            return
        typed = event.text()
        takes_input = self.grid_model.editable(self.grid_model.cell_id(self.currentIndex()))
        if not editing and not takes_input and (event.key() == Qt.Key_F2 or (
                typed and typed.isprintable() and not event.modifiers() & (Qt.ControlModifier | Qt.AltModifier))):
            self.refuse_typing()  # said, and applied nowhere else
            event.accept()
            return
        super().keyPressEvent(event)

    # Focus passing between a cell's editor and the grid: Qt repaints the whole grid on every
    # focus change (QWidget's focus handlers call update()), which costs tens of milliseconds a
    # keystroke on a large table. Only the current cell needs it.

    def focusInEvent(self, event):
        if self._editor_closing:
            self._editor_closing = False
            self.viewport().update(self.visualRect(self.currentIndex()))
            return
        super().focusInEvent(event)

    def focusOutEvent(self, event):
        if self.state() == QAbstractItemView.EditingState:
            return
        super().focusOutEvent(event)

    def inputMethodEvent(self, event):
        """Text from an input method (Chinese IMEs give full-width digits) starts editing, like a key."""
        index = self.currentIndex()
        text = event.commitString()
        if text and self.state() != QAbstractItemView.EditingState:
            if not self.grid_model.editable(self.grid_model.cell_id(index)):
                self.refuse_typing()
                event.accept()
                return
            self.edit(index)
            editor = self.indexWidget(index)
            if isinstance(editor, QLineEdit):
                editor.setText(text)
                event.accept()
                return
        super().inputMethodEvent(event)

    def clear_selection(self) -> None:
        cids = [self.grid_model.cell_id(i) for i in self.selectedIndexes()]
        cids = [c for c in cids if self.grid_model.editable(c)]
        if cids:
            self.grid_model.session.set_values({c: None for c in cids}, "清除")

    def copy(self) -> None:
        indexes = self.selectedIndexes()
        if not indexes:
            return
        rows = range(min(i.row() for i in indexes), max(i.row() for i in indexes) + 1)
        cols = range(min(i.column() for i in indexes), max(i.column() for i in indexes) + 1)
        text = "\n".join("\t".join(str(self.grid_model.index(r, c).data() or "") for c in cols) for r in rows)
        QGuiApplication.clipboard().setText(text)

    def paste(self, text: str) -> list[str]:
        """A tab-separated block (WPS, Excel) from the current cell: every cell validated."""
        session = self.grid_model.session
        if session.readonly:
            refusal = f"{session.readonly_reason()}，不能粘贴"
            session.message.emit("error", refusal)
            return [refusal]
        lines = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")
        block = [line.split("\t") for line in lines]
        start = self.currentIndex()
        if not text.strip() or not start.isValid():
            return []
        table = self.grid_model.table
        rows, cols = len(block), max(len(b) for b in block)
        if start.row() + rows > table.rows or start.column() + cols > table.cols:
            refusal = (f"粘贴的内容为{rows}行×{cols}列，从当前单元格起超出了表格"
                       f"（最多{table.rows - start.row()}行×{table.cols - start.column()}列），未粘贴任何内容")
            session.message.emit("error", refusal)
            self.pasted.emit([refusal])
            return [refusal]
        values, skipped = {}, 0
        for dr, row in enumerate(block):
            for dc, text_value in enumerate(row):
                cid = self.grid_model.cell_id(self.grid_model.index(start.row() + dr, start.column() + dc))
                if cid is None or not self.grid_model.editable(cid):
                    if text_value.strip():
                        skipped += 1
                    continue
                values[cid] = text_value
        refused = session.set_values(values, "粘贴") if values else []
        taken = len(values) - len(refused)
        summary = f"粘贴了{taken}个单元格"
        if skipped:
            summary += f"，{skipped}个值落在标题或自动计算的单元格上，未粘贴"
        if refused:
            summary += f"，{len(refused)}个值被拒绝（这些单元格保留原值，其余已粘贴）：\n" + "\n".join(refused[:10])
            if len(refused) > 10:
                summary += f"\n……另有{len(refused) - 10}个"
        session.message.emit("error" if refused else "info", summary)
        self.pasted.emit(refused)
        return refused
