import sys

if __name__ == "__main__":  # a worker process (giapp.batch, "spawn") imports the main module again
    if getattr(sys, "frozen", False):  # a worker of a frozen program: serve, then exit here
        import multiprocessing

        multiprocessing.freeze_support()
    from .cli import main

    sys.exit(main())
