"""The clerk's main window: sections, grids, texts, live checks; every change saved at once."""

from pathlib import Path

from PySide6 import QtCore, QtWidgets  # QtWidgets.QMessageBox etc.: a Qt type is made when first named
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDockWidget, QHBoxLayout, QLabel, QListWidget, QMainWindow, QSplitter,
                               QStackedWidget, QVBoxLayout, QWidget)

from .. import recent
from ..document import title as report_title
from ..errors import GiappError
from ..paths import data_dir
from ..report import STATUSES, Report
from ..rules import Finding
from ..store import SUFFIX, ReportFile
from .checks import CheckPanel
from .grid import FormTableModel, GridView
from .session import Session
from .texts import TextPage, bold_label

FILE_FILTER = f"年度报告文件 (*{SUFFIX})"
ABOUT = """<h3>政府信息公开工作年度报告 giapp {version}</h3>
<p>按《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）填报、校验、签发，
导出 Word、PDF 和 Excel 附表。全部在本机运行，不联网。</p>
<p><b>使用的软件与字体及其许可：</b><br>
Qt 6 与 PySide6（LGPL-3.0）· reportlab（BSD）· python-docx（MIT）· openpyxl（MIT）· lxml（BSD）·
pypdfium2 与 PDFium（Apache-2.0 / BSD-3-Clause）· Pillow（MIT-CMU）· platformdirs（MIT）· Python（PSF）<br>
文泉驿微米黑 WenQuanYi Micro Hei（Apache-2.0 或 GPL-3.0 附字体例外，随程序附带，用作 PDF 的后备字体）；
其余字体取自本机，各依其许可。</p>"""


def free_name(path: Path) -> Path:
    """path, or path（2）, path（3）… whichever does not exist yet."""
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}（{n}）{path.suffix}")
        n += 1
    return candidate


def table_units(form, table) -> str:
    """（单位：件） or, where cells differ, each unit with the columns that use it."""
    units: dict[str, list[str]] = {}
    for cell in form.cells.values():
        if cell.table == table.id and cell.unit:
            units.setdefault(cell.unit, []).append(cell.col)
    if not units or table.id == "a":  # the annex prints a unit column of its own
        return ""
    if len(units) == 1:
        return f"（单位：{next(iter(units))}）"
    main = max(units, key=lambda u: len(units[u]))
    others = "；".join(f"{units[u][0].split('（')[0]}为{u}" for u in units if u != main)
    return f"（单位：{main}；{others}）"


class GridPage(QWidget):
    def __init__(self, session: Session, form, table, heading: str, parent=None):
        super().__init__(parent)
        self.table = table
        self.model = FormTableModel(session, form, table, self)
        self.view = GridView(self.model, self)
        self.view.setAccessibleName(heading)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        title = QHBoxLayout()
        title.addWidget(bold_label(heading, 1.2))
        title.addWidget(QLabel(table_units(form, table)), 1)
        layout.addLayout(title)
        layout.addWidget(self.view, 1)

    def focus_first_input(self) -> None:
        self.view.go_first_input()

    def focus_here(self) -> None:
        self.view.setFocus(Qt.OtherFocusReason)

    def commit(self) -> bool:
        return self.view.commit_pending()


GRID_HINT = ("灰色：自动计算 · 蓝色：上年结转 · 红色：错误 · 黄色：警告（鼠标停留看说明）· "
             "Tab/回车 到下一个要填的格 · F2 修改 · 可粘贴 WPS/Excel 数据块 · Delete 清除")
TEXT_HINT = "文字随时自动保存 · Ctrl+PgDn / Ctrl+PgUp 到下一部分 / 上一部分 · F6 切换焦点"


class MessageBar(QLabel):
    """The bar above the page: its height is reserved, so the page never moves when a message comes
    or goes. Idle, it shows the page's hint; a message longer than two lines opens whole on a click."""

    LINES = 2

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.PlainText)
        self.setAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * self.LINES + 12)
        self.hint, self.full = "", ""
        self.setProperty("level", "")
        self.idle()

    def idle(self) -> None:
        self.setProperty("level", "")
        self.full = ""
        self.setStyleSheet("color: #555; padding: 2px 6px;")
        self.setText(self.hint)
        self.setToolTip("")

    def set_hint(self, hint: str) -> None:
        self.hint = hint
        if not self.property("level"):
            self.setText(hint)

    def show_message(self, level: str, text: str) -> None:
        color = "#fde2df; color: #7a1a12" if level == "error" else "#e4f1e4; color: #1f4d1f"
        self.setStyleSheet(f"background: {color}; padding: 2px 6px;")
        self.setProperty("level", level)
        self.full = text
        lines = text.split("\n")
        shown = "\n".join(lines[:self.LINES])
        if len(lines) > self.LINES:
            shown = f"{lines[0]}（点击查看全部{len(lines) - 1}条）"
        self.setText(shown)
        self.setToolTip(text if len(text) < 2000 else text[:2000] + "……")

    def mousePressEvent(self, event):
        if self.full and self.full.count("\n") >= self.LINES:
            QtWidgets.QMessageBox.information(self, "详细信息", self.full)
        super().mousePressEvent(event)


class MainWindow(QMainWindow):
    def __init__(self, file: ReportFile | None = None):
        super().__init__()
        self.session: Session | None = None
        self.pages: list[tuple] = []  # (section id, page or None until first shown, form, section)
        self.nav = QListWidget()
        self.nav.setMaximumWidth(240)
        self.nav.setMinimumWidth(110)
        self.nav.setWordWrap(True)
        self.nav.currentRowChanged.connect(self._show_page)
        # arrowing through the list only shows a section; a click or Enter goes into it
        self.nav.itemClicked.connect(lambda _: self._focus_page())
        self.nav.itemActivated.connect(lambda _: self._focus_page())
        self.stack = QStackedWidget()
        self.banner = QLabel()
        self.banner.setStyleSheet("background: #fff3c4; color: #5c4400; padding: 6px;")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.message_bar = MessageBar()
        self._message_timer = QTimer(self, singleShot=True, interval=12000)
        self._message_timer.timeout.connect(self.message_bar.idle)
        self.splitter = splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([170, 900])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.message_bar)
        layout.addWidget(splitter, 1)
        self.start = None  # the start page, made when there is no report to show
        self.screens = QStackedWidget()
        self.screens.addWidget(central)
        self.setCentralWidget(self.screens)
        self.dock = QDockWidget("校验结果", self)
        self.dock.setObjectName("checks")
        self.dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetClosable)
        self.addDockWidget(Qt.BottomDockWidgetArea, self.dock)
        self.counts_label = QLabel()
        self.saved_label = QLabel()
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.saved_label)
        self._make_actions()
        self._restore_window()
        if file is not None:
            self.set_file(file)
        else:
            self.show_start()

    def show_start(self) -> None:
        """The start page: new, new from last year, open, recent reports, the demo."""
        from .start import StartPage

        if self.start is None:
            self.start = StartPage()
            self.start.new.connect(self.new_report_dialog)
            self.start.new_from_last_year.connect(self.new_from_last_year_dialog)
            self.start.open.connect(self.open_dialog)
            self.start.open_path.connect(self.open_file)
            self.start.demo.connect(self.open_demo)
            self.screens.addWidget(self.start)
        self.start.refresh()
        self.screens.setCurrentWidget(self.start)
        self.dock.hide()
        self.setWindowTitle("政府信息公开工作年度报告 — giapp")

    # ---- actions and menus

    def _make_actions(self) -> None:
        """Menus and shortcuts from the one table in actions.py."""
        from .actions import MENUS

        self.actions_by_slot: dict = {}
        bar = self.menuBar()
        for title, rows in MENUS.items():
            menu = bar.addMenu(title)
            for row in rows:
                if row == "-":
                    menu.addSeparator()
                elif row[0] == "recent":
                    self.recent_menu = menu.addMenu("最近打开(&R)")
                    self.recent_menu.aboutToShow.connect(self._fill_recent)
                elif row[0] == "dock":
                    menu.addAction(self.dock.toggleViewAction())
                else:
                    self._action(menu, *row)
        self.undo_action = self.actions_by_slot["undo"]
        self.redo_action = self.actions_by_slot["redo"]

    def _action(self, menu, text: str, slot, shortcuts: list[str], needs_report: bool) -> QAction:
        name, *args = slot if isinstance(slot, tuple) else (slot,)
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(k) for k in shortcuts])

        def run():
            if needs_report and self.session is None:
                self.statusBar().showMessage("请先新建或打开一份报告", 5000)
            else:
                getattr(self, name)(*args)

        action.triggered.connect(run)
        menu.addAction(action)
        self.addAction(action)
        self.actions_by_slot[slot] = action
        return action

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = recent.recent_files()
        if not files:
            self.recent_menu.addAction("（无）").setEnabled(False)
        for i, path in enumerate(files, 1):
            self.recent_menu.addAction(f"&{i} {path.name}", lambda p=path: self.open_file(p)).setToolTip(str(path))

    # ---- the open report

    def set_file(self, file: ReportFile) -> None:
        if self.session is not None:
            self._leave()
        self.screens.setCurrentIndex(0)
        self.dock.show()
        self.message_bar.idle()  # messages about the report left behind
        self.statusBar().clearMessage()
        self.session = session = Session(file, self)
        session.findingsChanged.connect(self._update_status)
        session.metaChanged.connect(self._update_title)
        session.metaChanged.connect(self._rebuild_if_annex_changed)
        session.saved.connect(self._update_saved)
        session.message.connect(self.show_message)
        session.valuesChanged.connect(lambda _: self.message_bar.idle() if self.message_bar.property("level") == "error" else None)
        self._undo_text("")
        self._redo_text("")
        session.undo.undoTextChanged.connect(self._undo_text)
        session.undo.redoTextChanged.connect(self._redo_text)
        self.checks = CheckPanel(session)
        self.checks.goto.connect(self.goto_finding)
        self.dock.setWidget(self.checks)
        self._annex = (session.report.annex, session.readonly)
        position = recent.position(file.path)  # where the clerk left off: the only page built now
        self._build_pages(position.get("section"))
        self._update_title()
        self._update_status()
        self._update_saved(None)
        session.metaChanged.connect(self._update_banner)
        self._update_banner()
        recent.remember(file.path)
        self._restore_cell(position.get("cell"))

    def _build_pages(self, start: str | None = None) -> None:
        """One page a section; a page is made the first time it is shown (start-up stays quick).
        Shown: the section start, else the one shown now, else the first."""
        session = self.session
        current = start or self.current_section()
        while self.stack.count():
            page = self.stack.widget(0)
            self.stack.removeWidget(page)
            page.deleteLater()
        self.nav.blockSignals(True)
        self.nav.clear()
        self.pages = []
        for form in session.report.forms():
            for section in form.sections:
                self.pages.append((section["id"], None, form, section))
                self.stack.addWidget(QWidget())
                self.nav.addItem(section["heading"])
        self.nav.blockSignals(False)
        self.goto_section(current or self.pages[0][0])

    def _page_at(self, row: int) -> QWidget:
        sid, page, form, section = self.pages[row]
        if page is None:
            if section["kind"] == "table":
                page = GridPage(self.session, form, form.tables[section["table"]], section["heading"])
            else:
                page = TextPage(self.session, section)
            placeholder = self.stack.widget(row)
            self.stack.insertWidget(row, page)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.pages[row] = (sid, page, form, section)
        return page

    def sections(self) -> list[str]:
        return [sid for sid, *_ in self.pages]

    def built_pages(self) -> list[QWidget]:
        return [page for _, page, _, _ in self.pages if page is not None]

    def _rebuild_if_annex_changed(self) -> None:
        state = (self.session.report.annex, self.session.readonly)
        if state != self._annex:  # the annex switched, or the report was signed or unlocked
            self._annex = state
            self._build_pages()

    def _update_banner(self) -> None:
        session = self.session
        report = session.report
        style = "background: #fff3c4; color: #5c4400; padding: 6px;"
        if session.file.tampered:
            style = "background: #fde2df; color: #7a1a12; padding: 6px; font-weight: bold;"
            text = ("警告：本报告签发后内容被改动过（与签发时的指纹不符），可能被其他程序修改。"
                    "请核实；如需重新签发，请先“撤销签发”。")
        elif report.status == "signed" and report.signoff:
            from ..signoff import code

            s = report.signoff
            text = (f"已签发：填报人 {s.get('preparer', '')}，审核人 {s.get('reviewer', '')}，签发人 {s.get('approver', '')}，"
                    f"{s.get('date', '')}；校验码 {code(s.get('fingerprint', ''))}。内容已锁定，如需修改请“撤销签发”。")
            style = "background: #e4f1e4; color: #1f4d1f; padding: 6px;"
        elif session.readonly:
            text = f"只读：{session.readonly_reason()}。可以查看和另存副本，不能修改。"
        else:
            self.banner.hide()
            return
        self.banner.setStyleSheet(style)
        self.banner.setText(text)
        self.banner.show()

    def current_section(self) -> str | None:
        row = self.nav.currentRow()
        return self.pages[row][0] if 0 <= row < len(self.pages) else None

    def page(self, section: str) -> QWidget:
        return self._page_at(next(row for row, p in enumerate(self.pages) if p[0] == section))

    def goto_section(self, section: str) -> None:
        for row, (sid, *_) in enumerate(self.pages):
            if sid == section:
                self.nav.setCurrentRow(row)
                return
        self.nav.setCurrentRow(0)

    def _show_page(self, row: int) -> None:
        old = self.stack.currentWidget()
        if isinstance(old, (TextPage, GridPage)):
            old.commit()
        if 0 <= row < len(self.pages):
            page = self._page_at(row)
            self.stack.setCurrentIndex(row)
            if isinstance(page, GridPage):
                page.view.layout_table()
            self.message_bar.set_hint(GRID_HINT if isinstance(page, GridPage) else TEXT_HINT)

    def step_section(self, step: int) -> None:
        """Ctrl+PgDn / Ctrl+PgUp: the next / previous section, the keys on its first input cell
        (a text section: in its text). A half-typed value is committed first; refused, we stay."""
        if not self.commit_pending():
            return
        self.nav.setCurrentRow(max(0, min(self.nav.count() - 1, self.nav.currentRow() + step)))
        page = self.stack.currentWidget()
        if isinstance(page, (GridPage, TextPage)):
            page.focus_first_input()

    def _focus_page(self) -> None:
        page = self.stack.currentWidget()
        if isinstance(page, (GridPage, TextPage)):
            page.focus_here()

    def cycle_focus(self) -> None:
        page = self.stack.currentWidget()
        target = page.view if isinstance(page, GridPage) else (page.editors[0].edit if isinstance(page, TextPage) else page)
        order = [self.nav, target, self.checks.list]
        focused = self.focusWidget()
        index = next((i for i, w in enumerate(order) if w is focused or (focused and w.isAncestorOf(focused))), -1)
        order[(index + 1) % len(order)].setFocus()

    def goto_finding(self, finding: Finding) -> None:
        report = self.session.report
        if finding.cells:
            form, cell = report.find_cell(finding.cells[0])
            section = next(s["id"] for s in form.sections if s.get("table") == cell.table)
            self.goto_section(section)
            self.page(section).view.select_cells(list(finding.cells))
            return
        section = next((r.get("section") for f in report.forms() for r in f.rules if r["id"] == finding.rule), None)
        if section:
            self.goto_section(section)
            page = self.page(section)
            if isinstance(page, TextPage):
                page.editors[0].edit.setFocus()

    def next_problem(self) -> None:
        if not self.commit_pending():
            return
        self.dock.show()
        self.checks.next_problem()

    # ---- undo

    def commit_pending(self) -> bool:
        """Whatever is half-typed (a cell, a text, a 说明) is saved now; False when a cell refused it."""
        if self.session is None:
            return True
        self.checks.commit()
        ok = True
        for page in self.built_pages():
            ok = page.commit() is not False and ok
        return ok

    def save(self) -> None:
        """Ctrl+S: every change is saved as it is made; this commits what is half-typed and says so."""
        if self.commit_pending():
            self.statusBar().showMessage(f"已保存到“{self.session.file.path.name}”（每次修改都会自动保存）", 8000)

    def _undo_text(self, text: str) -> None:
        self.undo_action.setText(f"撤销“{text}”(&U)" if text else "撤销(&U)")
        self.undo_action.setEnabled(bool(text) or (self.session is not None and self.session.undo.canUndo()))

    def _redo_text(self, text: str) -> None:
        self.redo_action.setText(f"重做“{text}”(&R)" if text else "重做(&R)")
        self.redo_action.setEnabled(bool(text) or (self.session is not None and self.session.undo.canRedo()))

    def paste(self) -> None:
        page = self.stack.currentWidget()
        if isinstance(page, GridPage) and (self.focusWidget() is page.view or not self._in_text()):
            page.view.paste(QtWidgets.QApplication.clipboard().text())
        elif self._in_text():
            self.focusWidget().paste()

    def clear(self) -> None:
        page = self.stack.currentWidget()
        if isinstance(page, GridPage) and not self._in_text():
            page.view.clear_selection()
        elif self._in_text():
            self.focusWidget().textCursor().removeSelectedText()

    def _in_text(self) -> bool:
        return isinstance(self.focusWidget(), (QtWidgets.QPlainTextEdit, QtWidgets.QLineEdit))

    def undo(self) -> None:
        self.commit_pending()
        self.session.undo.undo()

    def redo(self) -> None:
        self.commit_pending()
        self.session.undo.redo()

    # ---- status

    def _update_title(self) -> None:
        report, file = self.session.report, self.session.file
        ro = " [已签发]" if report.status == "signed" else " [只读]" if self.session.readonly else ""
        self.setWindowTitle(f"{report.organ.name} {report.year}年度 — {file.path.name}{ro} — giapp")
        self.setWindowFilePath(str(file.path))

    def _update_status(self) -> None:
        errors, warnings = self.session.counts()
        status = STATUSES[self.session.report.status]
        self.counts_label.setText(f"{status} · {errors}个错误 · {warnings}个警告")
        self.counts_label.setStyleSheet("color: #b3261e;" if errors else "")

    def _update_saved(self, when) -> None:
        if when is None:
            modified = self.session.file.path.stat().st_mtime
            from datetime import datetime

            when = datetime.fromtimestamp(modified)
            self.saved_label.setText(f"文件上次保存：{when:%Y-%m-%d %H:%M}")
        else:
            self.saved_label.setText(f"已自动保存 {when:%H:%M:%S}")

    def show_message(self, level: str, text: str) -> None:
        self.message_bar.show_message(level, text)
        self.statusBar().showMessage(text.split("\n")[0], 10000)
        self._message_timer.start()

    # ---- files

    def _documents(self) -> str:
        return QtCore.QStandardPaths.writableLocation(QtCore.QStandardPaths.DocumentsLocation)

    def open_dialog(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "打开报告", self._documents(), FILE_FILTER)
        if path:
            self.open_file(Path(path))

    def open_file(self, path: Path) -> bool:
        if self.session is not None and Path(path).absolute() == self.session.file.path.absolute():
            return True
        try:
            file = ReportFile.open(path)
        except GiappError as e:
            file = self._open_readonly_anyway(path, e)
            if file is None:
                return False
        self.set_file(file)
        return True

    def _open_readonly_anyway(self, path: Path, error: GiappError) -> ReportFile | None:
        """A file failing only its content check can be opened read-only, to save what is readable."""
        from ..store import ContentMismatch

        if not isinstance(error, ContentMismatch):
            QtWidgets.QMessageBox.warning(self, "无法打开报告", str(error))
            return None
        box = QtWidgets.QMessageBox
        if box.question(self, "报告未通过内容校验", f"{error}\n\n是否以只读方式打开，查看并另存副本？") != box.Yes:
            return None
        try:
            return ReportFile.open(path, salvage=True)
        except GiappError as e:
            box.warning(self, "无法打开报告", str(e))
            return None

    def new_report_dialog(self) -> None:
        from .dialogs import NewReportDialog

        dialog = NewReportDialog(self)
        if dialog.exec() != NewReportDialog.Accepted:
            return
        data = dialog.data()
        default = Path(self._documents()) / f"{data['name']}{data['year']}年度报告{SUFFIX}"
        path = self.ask_new_path("保存新报告", default)
        if path:
            self.new_report(data, path)

    def new_report(self, data: dict, path: Path) -> bool:
        if path.suffix.lower() != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
        report = Report(year=data["year"], annex=data["annex"])
        for key in ("name", "level", "address", "phone", "website"):
            setattr(report.organ, key, data[key])
        if data.get("deadline"):
            report.settings["deadline"] = data["deadline"]
        try:
            file = ReportFile.create(path, report, "create", "新建空白报告")
        except GiappError as e:
            QtWidgets.QMessageBox.warning(self, "无法新建报告", str(e))
            return False
        self.set_file(file)
        return True

    def new_from_last_year_dialog(self) -> None:
        """Last year's report file, Word report or Excel annex → this year's report."""
        source, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, "选择上年的报告", self._documents(),
            f"上年报告 (*{SUFFIX} *.docx *.xlsx *.json *.html *.htm *.mht *.mhtml *.pdf);;报告文件 (*{SUFFIX});;Word 报告 (*.docx);;Excel 附表 (*.xlsx)")
        if not source:
            return
        imported = self.read_last_year(Path(source))
        if imported is None or not self.show_import_report(imported, ask=True):
            return
        prev = imported.report
        default = Path(self._documents()) / f"{prev.organ.name}{(prev.year or 0) + 1}年度报告{SUFFIX}"
        target = self.ask_new_path("保存本年报告", default)
        if target:
            self.new_from_last_year(imported, Path(source).name, target)

    def ask_new_path(self, title: str, default: Path) -> Path | None:
        """Where a new report goes: never over an existing file (least of all the one open); the
        dialog comes back with a free name proposed, so what was imported is never thrown away."""
        proposal = free_name(default)
        while True:
            path, _ = QtWidgets.QFileDialog.getSaveFileName(self, title, str(proposal), FILE_FILTER, "",
                                                            QtWidgets.QFileDialog.DontConfirmOverwrite)
            if not path:
                return None
            path = Path(path)
            if path.suffix.lower() != SUFFIX:
                path = path.with_name(path.name + SUFFIX)
            if not path.exists():
                return path
            is_open = self.session is not None and path.absolute() == self.session.file.path.absolute()
            QtWidgets.QMessageBox.warning(self, title, f"“{path.name}”{'正在本窗口中打开' if is_open else '已存在'}，"
                                          "新报告不能覆盖它。请另取一个文件名（已建议一个）。")
            proposal = free_name(path)

    def read_last_year(self, source: Path):
        from PySide6.QtWidgets import QApplication

        from ..inputs import read_imported

        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            return read_imported(source)
        except GiappError as e:
            QtWidgets.QMessageBox.warning(self, "无法读取上年报告", str(e))
            return None
        finally:
            QApplication.restoreOverrideCursor()

    def show_import_report(self, imported, ask: bool = False) -> bool:
        from .dialogs import ImportReportDialog

        dialog = ImportReportDialog(imported, ask, self)
        return dialog.exec() == ImportReportDialog.Accepted

    def new_from_last_year(self, imported, source_name: str, target: Path, year: int | None = None) -> bool:
        from ..lastyear import from_last_year

        if target.suffix.lower() != SUFFIX:
            target = target.with_name(target.name + SUFFIX)
        prev = imported.report
        if not prev.year:  # the file did not say: this year's report is for last calendar year
            from datetime import date

            prev.year = (year or date.today().year - 1) - 1
        try:
            report = from_last_year(prev, source_name, year)
            report.settings["import_report"] = imported.summary()
            file = ReportFile.create(target, report, "create", f"以上年报告“{source_name}”为基础新建")
        except GiappError as e:
            QtWidgets.QMessageBox.warning(self, "无法新建报告", str(e))
            return False
        self.set_file(file)
        return True

    def save_copy_dialog(self) -> None:
        report = self.session.report
        default = Path(self._documents()) / f"{report_title(report)}（副本）{SUFFIX}"
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "另存副本", str(default), FILE_FILTER)
        if path:
            self.save_copy(Path(path))

    def save_copy(self, path: Path) -> bool:
        self.commit_pending()
        if path.exists():
            QtWidgets.QMessageBox.warning(self, "另存副本", f"“{path.name}”已存在，请换一个文件名")
            return False
        try:
            self.session.file.backup_to(path)
        except (GiappError, OSError) as e:
            QtWidgets.QMessageBox.warning(self, "另存副本失败", str(e))
            return False
        self.show_message("info", f"已另存副本：{path}")
        return True

    def unlink_carry_dialog(self) -> None:
        """解除与上年报告的关联: 上年结转 becomes editable, with a reason in the audit trail."""
        from PySide6.QtWidgets import QInputDialog

        session = self.session
        if session.readonly:
            self.show_message("error", f"{session.readonly_reason()}，不能解除关联")
            return
        if not session.locked:
            self.show_message("info", "上年结转没有锁定（本报告未关联上年报告，或已解除关联），可以直接填写")
            return
        prompt = ("上年报告“结转下年度继续办理”的数字有误时，可解除关联，改填本年的“上年结转”。\n"
                  "解除后校验会对与上年报告不一致之处给出警告，须填写说明。\n\n解除关联的原因（将记入修改记录）：")
        reason = ""
        while True:
            reason, ok = QInputDialog.getText(self, "解除与上年报告的关联", prompt, text=reason)
            if not ok:
                return
            try:
                session.unlink_carry(reason)
            except GiappError as e:
                QtWidgets.QMessageBox.warning(self, "解除与上年报告的关联", str(e))
                continue
            self.show_message("info", "已解除关联：上年结转现在可以填写")
            return

    def report_data_dialog(self) -> None:
        from .dialogs import ReportDataDialog

        dialog = ReportDataDialog(self.session.report_data(), self.session.readonly, self)
        if dialog.exec() == ReportDataDialog.Accepted:
            self.session.set_report_data(dialog.data())

    # ---- exports and printing

    def export_dialog(self, kind: str) -> None:
        from .. import export

        default = export.default_targets(self.session.file.path, self.session.report)[kind]
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, f"导出{export.KINDS[kind]}", str(default),
                                                        f"*.{export.SUFFIXES[kind]}")
        if path:
            self.export_files({kind: Path(path)})

    def export_all(self) -> None:
        from .. import export

        self.export_files(export.default_targets(self.session.file.path, self.session.report))

    def export_files(self, targets: dict):
        """Write the files in a worker thread, with a progress dialog that can cancel.

        The job's signals go to bound methods of objects living in this (the GUI) thread, so that
        Qt delivers them here; a plain lambda would run in the worker thread and touch widgets there."""
        from .exporting import ExportJob, JobProgress

        self.commit_pending()
        if self.refused_as_changed():
            return None
        if any(kind in ("pdf", "sheet") for kind in targets):
            self.font_notice()
        job = ExportJob(self.session.report, targets, self)
        dialog = JobProgress("导出", "正在导出……", len(targets), job.cancel, self)
        job.progressed.connect(dialog.step)
        job.done.connect(dialog.reset)
        job.done.connect(self._exported)
        job.finished.connect(job.deleteLater)  # once the thread has ended, not when it says it is done
        self._export_job = job
        job.start()
        return job

    def refused_as_changed(self) -> bool:
        """A signed report changed outside giapp is neither exported nor printed: say so, and offer
        to unsign it (with a reason) so that it can be checked and signed again."""
        from ..export import refuse_tampered

        try:
            refuse_tampered(self.session.report)
            return False
        except GiappError as e:
            self.show_message("error", str(e))
        answer = QtWidgets.QMessageBox.question(
            self, "报告在 giapp 以外被改动过",
            "本报告签发后，内容在 giapp 以外被改动过（与签发时的指纹不符），不能导出或打印。\n\n"
            "请核实内容。现在撤销签发（须写明原因，记入修改记录），核实后再重新签发吗？",
            QtWidgets.QMessageBox.Yes | QtWidgets.QMessageBox.No, QtWidgets.QMessageBox.No)
        if answer == QtWidgets.QMessageBox.Yes:
            self.unsign_dialog()
        return True

    def font_notice(self):
        """Once before exporting: the PDF sets a role in a face of another kind (never silently). A
        notice beside the window, not a question in the way; "不再提示" keeps it away."""
        from ..export.fonts import fallback_notice

        if getattr(self, "_font_notice_shown", False) or recent.notice_off("fonts"):
            return None
        self._font_notice_shown = True
        text = fallback_notice()
        if not text:
            return None
        box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Information, "PDF 字体", text, QtWidgets.QMessageBox.Ok, self)
        never = QtWidgets.QCheckBox("不再提示")
        box.setCheckBox(never)
        box.finished.connect(lambda _: recent.turn_notice_off("fonts") if never.isChecked() else None)
        box.setModal(False)
        box.show()
        return box

    def _exported(self, written: list, problems: list) -> None:
        if written:
            self.show_message("info" if not problems else "error",
                              "已导出：" + "、".join(str(p) for p in written) + ("；" + "；".join(problems) if problems else ""))
        elif problems:
            self.show_message("error", "；".join(problems))

    def _pdf_for_printing(self) -> Path | None:
        """The PDF exactly as exported, written to a temporary file."""
        import tempfile

        from .. import export

        self.commit_pending()
        if self.refused_as_changed():
            return None
        folder = Path(tempfile.mkdtemp(prefix="giapp-print-"))
        try:
            return export.write("pdf", self.session.report, folder / "print.pdf")
        except GiappError as e:
            self.show_message("error", str(e))
            return None

    def print_preview(self) -> None:
        from PySide6.QtPrintSupport import QPrintPreviewDialog

        from .printing import new_printer, print_pdf

        pdf = self._pdf_for_printing()
        if pdf is None:
            return
        printer = new_printer()
        printer.setResolution(150)  # the preview; printing renders at the printer's resolution
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle("打印预览")
        dialog.paintRequested.connect(lambda p: print_pdf(pdf, p))
        dialog.resize(self.width(), self.height())
        dialog.exec()

    def print_dialog(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog

        from .printing import new_printer, page_count

        pdf = self._pdf_for_printing()
        if pdf is None:
            return
        printer = new_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        dialog.setOption(QPrintDialog.PrintPageRange, True)
        dialog.setMinMax(1, page_count(pdf))
        if dialog.exec() == QPrintDialog.Accepted:
            self.print_to(printer, pdf)

    def print_to(self, printer, pdf: Path | None = None) -> bool:
        """Print the exported PDF on printer (a QPrinter; a PDF file stands in for paper in tests)."""
        from PySide6.QtWidgets import QApplication, QProgressDialog

        from .printing import print_pdf

        pdf = pdf or self._pdf_for_printing()
        if pdf is None:
            return False
        dialog = QProgressDialog("正在打印……", "取消", 0, 100, self)
        dialog.setWindowTitle("打印")
        dialog.setMinimumDuration(300)

        def progress(done, total):
            dialog.setMaximum(total)
            dialog.setValue(done)
            dialog.setLabelText(f"正在打印第 {done + 1} 页，共 {total} 页")
            QApplication.processEvents()
            return not dialog.wasCanceled()

        ok = print_pdf(pdf, printer, progress)
        dialog.reset()
        self.show_message("info" if ok else "error", "已送往打印机" if ok else "打印已取消")
        return ok

    def sign_dialog(self):
        from .signing import SignDialog

        self.commit_pending()
        if self.session.report.status == "signed":
            self.show_message("info", "本报告已经签发")
            return None
        dialog = SignDialog(self.session, self)
        dialog.goto.connect(self.goto_obstacle)
        dialog.accepted.connect(self._signed)
        dialog.setModal(False)
        dialog.show()
        return dialog

    def _signed(self) -> None:
        """Signed: files exported before carry 草稿 or an old code. Say so, and offer to export again."""
        from .. import export

        targets = export.default_targets(self.session.file.path, self.session.report)
        stale = [path for path in targets.values() if path.exists()]
        if not stale:
            self.show_message("info", "已签发，报告已锁定。请导出 Word、PDF 和 Excel 附表")
            return
        names = "\n".join(f"  {p.name}" for p in stale)
        answer = QtWidgets.QMessageBox.question(
            self, "导出的文件已过时",
            f"已签发。此前导出的以下文件是签发前的版本（标有“草稿”或旧的校验码），已经过时：\n{names}\n\n现在重新导出吗？",
            QtWidgets.QMessageBox.Yes | QtWidgets.QMessageBox.No, QtWidgets.QMessageBox.Yes)
        if answer == QtWidgets.QMessageBox.Yes:
            self.export_all()
        else:
            self.show_message("error", "注意：报告所在文件夹中导出的文件已过时，请重新导出后再发布")

    def goto_obstacle(self, obstacle) -> None:
        """An obstacle in the sign dialog, shown where it is: cells, an empty item of 六, 报告信息."""
        from ..rules import Finding

        if obstacle.kind == "organ":
            self.report_data_dialog()
            return
        if obstacle.rule.startswith("W-item-empty."):
            item = obstacle.rule.removeprefix("W-item-empty.")
            section = item.split(".")[0]
            self.goto_section(section)
            page = self.page(section)
            editor = next((e for e in getattr(page, "editors", []) if e.key == item), None)
            if editor is not None:
                editor.edit.setFocus()
            return
        self.goto_finding(Finding(obstacle.rule, "error", obstacle.cells, obstacle.message))

    def unsign_dialog(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        if self.session.report.status != "signed":
            self.show_message("info", "本报告尚未签发")
            return
        reason = ""
        while True:  # an empty reason keeps the dialog open
            reason, ok = QInputDialog.getText(self, "撤销签发", "撤销签发的原因（将记入修改记录）：", text=reason)
            if not ok:
                return
            if reason.strip():
                self.unsign(reason)
                return
            QtWidgets.QMessageBox.warning(self, "撤销签发", "请填写撤销签发的原因")

    def unsign(self, reason: str) -> bool:
        try:
            self.session.unsign(reason)
        except GiappError as e:
            QtWidgets.QMessageBox.warning(self, "撤销签发", str(e))
            return False
        self.show_message("info", "已撤销签发，报告回到草稿状态")
        return True

    def audit_dialog(self):
        from .signing import AuditDialog

        dialog = AuditDialog(self.session.file.audit(), self.session.report, self)
        dialog.show()
        return dialog

    def open_demo(self) -> bool:
        from ..demo import demo_report_path

        return self.open_file(demo_report_path())

    def open_manual(self) -> bool:
        """The manual (HTML in resources/manual), in the system's browser, from the local disk."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        manual = data_dir("resources") / "manual" / "index.html"
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(manual))):
            return True
        QtWidgets.QMessageBox.information(
            self, "使用手册", f"无法启动浏览器打开使用手册。请在文件管理器中打开：\n{manual}")
        return False

    def about_dialog(self) -> None:
        from .. import __version__

        QtWidgets.QMessageBox.about(self, "关于 giapp", ABOUT.format(version=__version__))

    def show_saved_import_report(self) -> None:
        lines = self.session.report.settings.get("import_report")
        if not lines:
            QtWidgets.QMessageBox.information(self, "导入报告", "本报告不是由其他文件导入的，没有导入报告。")
            return
        QtWidgets.QMessageBox.information(self, "导入报告", "\n".join(lines))

    def aggregate_window(self):
        from .aggregating import AggregateWindow

        window = AggregateWindow(self)
        window.show()
        return window

    def fonts_dialog(self) -> None:
        from ..export.fonts import resolve_all
        from ..export.paper import ROLE_NAMES

        lines = []
        for role, font in resolve_all().items():
            where = f"{font.label}\n    {font.path}" if font else "未找到，使用正文字体"
            lines.append(f"{ROLE_NAMES[role]}：{where}")
        QtWidgets.QMessageBox.information(self, "PDF 字体", "导出 PDF 时各部分使用的字体（全部嵌入 PDF）：\n\n" + "\n".join(lines))

    # ---- leaving

    def _position(self) -> dict:
        section = self.current_section()
        position = {"section": section}
        page = self.stack.currentWidget()
        if isinstance(page, GridPage):
            cid = page.model.cell_id(page.view.currentIndex())
            if cid:
                position["cell"] = cid
        return position

    def _restore_cell(self, cell: str | None) -> None:
        page = self.stack.currentWidget()
        if cell and isinstance(page, GridPage) and cell in page.model.cell_pos:
            page.view.setCurrentIndex(page.model.index_of(cell))

    def _leave(self) -> None:
        self.commit_pending()
        recent.remember(self.session.file.path, self._position())
        self.session.close()

    def _restore_window(self) -> None:
        """Size, place, splitter and check panel as the clerk left them; at first, what fits the screen."""
        from .placement import restore

        restore(self)

    def closeEvent(self, event):
        from .placement import remember

        remember(self)
        if self.session is not None:
            self._leave()
            self.session = None
        super().closeEvent(event)
