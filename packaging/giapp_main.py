"""Entry point of the bundled application (PyInstaller)."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a worker process of 汇总 or batch check runs its task and exits here
    import giapp.parallel
    from giapp.cli import main

    giapp.parallel.BUNDLE_READY = True
    sys.exit(main())
