"""The window's menus and keyboard map in one table (as napari declares its actions apart from the window).

Each row: menu, text, the MainWindow method it calls (with arguments), its shortcuts, and whether it
needs an open report. "-" is a separator. The grid's own keys are in GridView's docstring."""

NEEDS_REPORT, ANY_TIME = True, False

MENUS = {
    "文件(&F)": [
        ("新建报告(&N)…", "new_report_dialog", ["Ctrl+N"], ANY_TIME),
        ("以上年报告为基础新建(&L)…", "new_from_last_year_dialog", ["Ctrl+Shift+N"], ANY_TIME),
        ("打开(&O)…", "open_dialog", ["Ctrl+O"], ANY_TIME),
        ("recent", None, None, ANY_TIME),
        ("保存(&S)", "save", ["Ctrl+S"], NEEDS_REPORT),
        ("另存副本(&C)…", "save_copy_dialog", ["Ctrl+Shift+S"], NEEDS_REPORT),
        "-",
        ("导出 Word 报告(&W)…", ("export_dialog", "docx"), [], NEEDS_REPORT),
        ("导出 PDF(&D)…", ("export_dialog", "pdf"), [], NEEDS_REPORT),
        ("导出 Excel 附表(&E)…", ("export_dialog", "xlsx"), [], NEEDS_REPORT),
        ("导出签发单(&G)…", ("export_dialog", "sheet"), [], NEEDS_REPORT),
        ("全部导出到报告所在文件夹(&A)", "export_all", ["Ctrl+E"], NEEDS_REPORT),
        "-",
        ("打印预览(&V)…", "print_preview", [], NEEDS_REPORT),
        ("打印(&P)…", "print_dialog", ["Ctrl+P"], NEEDS_REPORT),
        "-",
        ("退出(&X)", "close", ["Ctrl+Q"], ANY_TIME),  # QKeySequence.Quit is empty on Windows
    ],
    "编辑(&E)": [
        ("撤销(&U)", "undo", ["Ctrl+Z"], NEEDS_REPORT),
        ("重做(&R)", "redo", ["Ctrl+Y", "Ctrl+Shift+Z"], NEEDS_REPORT),
        "-",
        ("粘贴(&P)", "paste", ["Ctrl+V"], NEEDS_REPORT),
        ("清除(&D)", "clear", ["Delete"], NEEDS_REPORT),
        "-",
        ("报告信息(&I)…", "report_data_dialog", ["Ctrl+I"], NEEDS_REPORT),
        ("解除与上年报告的关联(&K)…", "unlink_carry_dialog", [], NEEDS_REPORT),
    ],
    "校验(&C)": [
        ("下一个问题(&N)", "next_problem", ["F8"], NEEDS_REPORT),
        ("dock", None, None, ANY_TIME),
    ],
    "签发(&S)": [
        ("签发(&S)…", "sign_dialog", ["Ctrl+Shift+Return"], NEEDS_REPORT),
        ("撤销签发(&U)…", "unsign_dialog", [], NEEDS_REPORT),
        "-",
        ("修改记录(&A)…", "audit_dialog", [], NEEDS_REPORT),
    ],
    "工具(&T)": [
        ("查看导入报告(&I)…", "show_saved_import_report", [], NEEDS_REPORT),
        ("汇总多个单位的报告(&G)…", "aggregate_window", [], ANY_TIME),
        ("PDF 字体(&F)…", "fonts_dialog", [], ANY_TIME),
    ],
    "查看(&V)": [
        ("下一部分(&N)", ("step_section", 1), ["Ctrl+PgDown"], NEEDS_REPORT),
        ("上一部分(&P)", ("step_section", -1), ["Ctrl+PgUp"], NEEDS_REPORT),
        ("切换焦点（目录/内容/校验）", "cycle_focus", ["F6"], NEEDS_REPORT),
    ],
    "帮助(&H)": [
        ("使用手册(&M)", "open_manual", ["F1"], ANY_TIME),
        ("关于(&A)…", "about_dialog", [], ANY_TIME),
    ],
}
