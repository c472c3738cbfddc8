"""Where the shipped data lives: inside the installed package, or at the top of a checkout."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """`forms` or `resources`: giapp/<name> in a wheel, <checkout>/<name> when run from source."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"giapp data folder {name!r} not found beside {_PACKAGE}")
