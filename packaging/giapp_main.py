"""Entry point of the bundled application (PyInstaller)."""

import sys

if __name__ == "__main__":  # a worker process (giapp.batch, "spawn") imports the main module again
    if getattr(sys, "frozen", False):  # a worker of the bundle (giapp.batch): serve, then exit here
        import multiprocessing

        multiprocessing.freeze_support()
    from giapp.cli import main

    sys.exit(main())
