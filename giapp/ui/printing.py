"""Printing exactly the PDF we export: its pages rendered (pypdfium2) onto the printer's paper."""

from pathlib import Path

import pypdfium2
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

MAX_DPI = 300  # enough for text on paper; a 600 dpi A4 page would be 140 MB of pixels


def page_count(pdf: Path) -> int:
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return len(doc)
    finally:
        doc.close()


def new_printer() -> QPrinter:
    printer = QPrinter(QPrinter.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.A4))
    printer.setPageOrientation(QPageLayout.Portrait)
    printer.setFullPage(True)  # our PDF has its own margins
    printer.setDocName("政府信息公开工作年度报告")
    return printer


def print_pdf(pdf: Path, printer: QPrinter, progress=None) -> bool:
    """Render the PDF's pages (the printer's page range, else all) onto the printer.
    progress(done, total) may return False to cancel; returns False when cancelled."""
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        total = len(doc)
        first, last = printer.fromPage(), printer.toPage()
        pages = range((first or 1) - 1, min(last or total, total))
        dpi = min(printer.resolution(), MAX_DPI)
        painter = QPainter()
        if not painter.begin(printer):
            return False
        try:
            for i, index in enumerate(pages):
                if progress is not None and progress(i, len(pages)) is False:
                    return False
                if i:
                    printer.newPage()
                bitmap = doc[index].render(scale=dpi / 72, prefer_bgrx=True)
                image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format_RGB32)
                paper = printer.paperRect(QPrinter.DevicePixel)
                painter.drawImage(QRectF(0, 0, paper.width(), paper.height()), image)
            if progress is not None:
                progress(len(pages), len(pages))
        finally:
            painter.end()
        return True
    finally:
        doc.close()
