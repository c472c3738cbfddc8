"""Draws the application and document icons (resources/icons/) with Qt; run once when they change:
    .venv/bin/python packaging/make_icons.py
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPainterPath, QPen  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "resources" / "icons"


def draw(size: int, document: bool) -> QImage:
    """A white page with a red header band and table lines; the app icon adds a red seal."""
    image = QImage(size, size, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.Antialiasing)
    s = size / 64
    page = QRectF(12 * s, 4 * s, 40 * s, 56 * s)
    p.setPen(QPen(QColor("#8a8a8a"), max(1.0, 1.2 * s)))
    p.setBrush(QColor("white"))
    p.drawRoundedRect(page, 3 * s, 3 * s)
    p.fillRect(QRectF(16 * s, 10 * s, 32 * s, 5 * s), QColor("#c0282d"))
    p.setPen(QPen(QColor("#5a6b7d"), max(1.0, 1.4 * s)))
    for i in range(5):
        y = (22 + i * 6) * s
        p.drawLine(int(16 * s), int(y), int(48 * s), int(y))
    p.drawLine(int(28 * s), int(22 * s), int(28 * s), int(46 * s))
    if not document:
        seal = QPainterPath()
        seal.addEllipse(QRectF(34 * s, 38 * s, 24 * s, 24 * s))
        p.setPen(QPen(QColor("#c0282d"), max(1.0, 2.2 * s)))
        p.setBrush(QColor(255, 255, 255, 230))
        p.drawPath(seal)
        font = QFont()
        font.setPixelSize(int(12 * s))
        font.setBold(True)
        p.setFont(font)
        p.drawText(QRectF(34 * s, 38 * s, 24 * s, 24 * s), Qt.AlignCenter, "公开")
    p.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    for name, document in (("giapp", False), ("gireport", True)):
        draw(256, document).save(str(OUT / f"{name}.png"))
        draw(256, document).save(str(OUT / f"{name}.ico"))  # Qt's ico writer: one 256 px image
        print(OUT / f"{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
