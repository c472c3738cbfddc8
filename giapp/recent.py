"""Recent files and where the clerk left off in each, kept in the user's config folder. Qt-free."""

import json
from pathlib import Path

import platformdirs

MAX_RECENT = 10


def _store() -> Path:
    return Path(platformdirs.user_config_dir("giapp", appauthor=False)) / "recent.json"


def _load() -> dict:
    try:
        data = json.loads(_store().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _save(data: dict) -> None:
    path = _store()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only profile must not stop the clerk's work


def recent_files() -> list[Path]:
    """Most recent first; files that no longer exist are left out."""
    return [Path(p) for p in _load().get("files", []) if isinstance(p, str) and Path(p).exists()]


def remember(path: Path, position: dict | None = None) -> None:
    data = _load()
    key = str(Path(path).absolute())
    files = [p for p in data.get("files", []) if p != key]
    data["files"] = [key, *files][:MAX_RECENT]
    if position is not None:
        positions = data.get("positions", {})
        positions[key] = position
        data["positions"] = {k: v for k, v in positions.items() if k in data["files"]}
    _save(data)


def position(path: Path) -> dict:
    pos = _load().get("positions", {}).get(str(Path(path).absolute()), {})
    return pos if isinstance(pos, dict) else {}


def window_state() -> dict:
    """The main window's size, place, splitter and panels as last left (base64 strings from Qt)."""
    state = _load().get("window", {})
    return {k: v for k, v in state.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(state, dict) else {}


def remember_window(state: dict) -> None:
    data = _load()
    data["window"] = state
    _save(data)
