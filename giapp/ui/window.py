"""The clerk's main window: sections, grids, texts, live checks; every change saved at once.

The window lays out the page and dispatches; its families of actions live apart, as mixins:
file_actions (open, new, copy), publishing (export, print), signoff_actions (sign, unsign, audit)."""

from PySide6 import QtWidgets  # QtWidgets.QMessageBox etc.: a Qt type is made when first named
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDockWidget, QHBoxLayout, QLabel, QListWidget, QMainWindow, QSplitter,
                               QStackedWidget, QVBoxLayout, QWidget)

from .. import recent
from ..paths import data_dir
from ..report import STATUSES
from ..rules import Finding
from ..store import ReportFile
from .checks import CheckPanel
from .file_actions import FileActions
from .grid import FormTableModel, GridView
from .publishing import PublishingActions
from .session import Session
from .signoff_actions import SignOffActions
from .texts import TextPage, bold_label

ABOUT = """<h3>政府信息公开工作年度报告 giapp {version}</h3>
<p>按《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）填报、校验、签发，
导出 Word、PDF 和 Excel 附表。全部在本机运行，不联网。</p>
<p><b>使用的软件与字体及其许可：</b><br>
Qt 6 与 PySide6（LGPL-3.0）· reportlab（BSD）· python-docx（MIT）· openpyxl（MIT）· lxml（BSD）·
pypdfium2 与 PDFium（Apache-2.0 / BSD-3-Clause）· Pillow（MIT-CMU）· platformdirs（MIT）· Python（PSF）<br>
文泉驿微米黑 WenQuanYi Micro Hei（Apache-2.0 或 GPL-3.0 附字体例外，随程序附带，用作 PDF 的后备字体）；
其余字体取自本机，各依其许可。</p>"""


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


class MainWindow(FileActions, PublishingActions, SignOffActions, QMainWindow):
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
        bar = self.statusBar()  # one line, elided before the counts and the saved time (the bar above has it whole)
        room = bar.width() - sum(w.sizeHint().width() for w in (self.counts_label, self.saved_label)) - 40
        bar.showMessage(bar.fontMetrics().elidedText(text.split("\n")[0], Qt.ElideMiddle, max(room, 100)), 10000)
        self._message_timer.start()

    def report_data_dialog(self) -> None:
        from .dialogs import ReportDataDialog

        dialog = ReportDataDialog(self.session.report_data(), self.session.readonly, self)
        if dialog.exec() == ReportDataDialog.Accepted:
            self.session.set_report_data(dialog.data())

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
