"""Reading many files on several cores (汇总 and batch check). Qt-free.

Worker processes are started fresh (spawn: safe beside the window's threads, and the same on
Linux and Windows); with few files, or in a bundle that has not called
multiprocessing.freeze_support(), everything is read here, one file after another.
"""

import os
import sys
from typing import Callable, Iterable, Iterator

PARALLEL_MIN = 24  # fewer items: starting the workers (about 0.5 s each) costs more than it saves
MAX_WORKERS = 4
BUNDLE_READY = False  # set by the bundle's entry point once it has called multiprocessing.freeze_support()


def workers_for(count: int) -> int:
    if count < PARALLEL_MIN:
        return 1
    if getattr(sys, "frozen", False) and not BUNDLE_READY:
        return 1  # a bundle without freeze_support() would start the whole program again in each worker
    return min(os.cpu_count() or 1, MAX_WORKERS)


def ordered_map(fn: Callable, items: Iterable, workers: int | None = None) -> Iterator:
    """fn(item) for each item, in order. fn must be a module-level function that catches its own
    errors. If a worker dies (a file that crashes a library), the rest is done here, one by one."""
    items = list(items)
    if workers is None:
        workers = workers_for(len(items))
    if workers < 2:
        for item in items:
            yield fn(item)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    done = 0
    stopped = True  # the caller stopped early (cancelled): do not wait for the tasks under way
    try:
        futures = [pool.submit(fn, item) for item in items]
        for future in futures:
            try:
                result = future.result()
            except Exception:  # the pool is broken
                break
            done += 1
            yield result
        stopped = False
    finally:
        pool.shutdown(wait=not stopped, cancel_futures=True)
    for item in items[done:]:
        yield fn(item)
