"""Where the main window stands: as the clerk left it, or at first what fits the screen.

Kept in recent.json beside the recent files (no QSettings: one place for what giapp remembers)."""

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QGuiApplication

from .. import recent

FIRST_SIZE = (1200, 800)
FRAME = (16, 48)  # what a window manager adds around the window: borders, title bar


def _bytes(text: str) -> QByteArray:
    return QByteArray.fromBase64(text.encode("ascii", "replace"))


def _text(data: QByteArray) -> str:
    return bytes(data.toBase64()).decode("ascii")


def restore(window) -> None:
    state = recent.window_state()
    if state.get("geometry") and window.restoreGeometry(_bytes(state["geometry"])):
        if state.get("state"):
            window.restoreState(_bytes(state["state"]))
        if state.get("splitter"):
            window.splitter.restoreState(_bytes(state["splitter"]))
        return
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(*FIRST_SIZE)
        return
    free = screen.availableGeometry()
    width = min(FIRST_SIZE[0], free.width() - FRAME[0])
    height = min(FIRST_SIZE[1], free.height() - FRAME[1])
    window.resize(width, height)
    window.move(free.x() + (free.width() - width - FRAME[0]) // 2, free.y() + (free.height() - height - FRAME[1]) // 2)


def remember(window) -> None:
    recent.remember_window({"geometry": _text(window.saveGeometry()), "state": _text(window.saveState()),
                            "splitter": _text(window.splitter.saveState())})
