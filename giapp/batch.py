"""Many files read and checked on every core: `giapp check FILE…` and 汇总. Qt-free.

    results, stopped = run_files(task, paths, context, failed, progress, cancelled, timeout)

task(path, context) reads and checks one file and returns a small, picklable result (it never
raises for a bad file). With several files and several cores, worker processes ("spawn": never a
fork of the window's Qt process) each take one file at a time; a file not read within `timeout`
seconds has its worker killed and replaced, and failed(path, why) stands for its result, as for a
worker that died. Otherwise the files are read here, one after another, each in a thread bounded
by the same timeout. Either way results come in the order of `paths`, progress(done, total) is
called as files finish, and when cancelled() returns True the work stops at once (workers are
terminated) and the results of the files read so far are returned, in order, with stopped=True.

Programs that may start workers call multiprocessing.freeze_support() first (the bundle), and a
program's main module guards its work with `if __name__ == "__main__"` (spawn imports it again).
"""

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable, Sequence

MIN_FILES = 8  # fewer files are read here: starting the workers (0.3–0.7 s) costs about as much as reading them
SLOW_READ = 5  # seconds after which 取消 also stops waiting for a file read here (its thread is left behind)
POLL = 0.2  # seconds between looks at the clock and at cancelled()
AHEAD = 3  # files handed to a worker at a time


def cores() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # Windows, macOS
        return os.cpu_count() or 1


def worker_count(files: int, workers: int | None = None) -> int:
    """How many worker processes to use for this many files (0: read them here)."""
    n = cores() if workers is None else workers
    if workers is None and files < MIN_FILES:
        return 0
    n = min(n, files)
    return n if n > 1 else 0


def timed_out(path, timeout: float) -> str:
    return (f"“{Path(path).name}”读取超过{timeout:g}秒仍未完成，已跳过"
            "（文件可能已损坏或被特意构造，或位于无法访问的网络位置）")


def interrupted(path) -> str:
    return f"“{Path(path).name}”无法读取（读取中断）"


def run_files(task: Callable, paths: Sequence, context=None, failed: Callable = None,
              progress: Callable[[int, int], None] | None = None, cancelled: Callable[[], bool] | None = None,
              timeout: float | None = None, workers: int | None = None) -> tuple[list, bool]:
    """task(path, context) for each path; (results in the order of paths, stopped).

    task must be a module-level function (workers import it by name); context is sent to each
    worker once. failed(path, why) makes the result of a file that took longer than `timeout`
    or whose reading was interrupted. workers: how many processes (None: one a core when there
    are MIN_FILES files or more; 0 or 1: none)."""
    paths = list(paths)
    if progress:
        progress(0, len(paths))
    n = worker_count(len(paths), workers)
    results: list = [None] * len(paths)
    finished = [False] * len(paths)
    if n:
        try:
            with _Pool(n, task, context) as pool:
                stopped = pool.run(paths, failed, progress, cancelled, timeout, results, finished)
            return [r for r, f in zip(results, finished) if f], stopped
        except (OSError, _NoWorkers):  # no processes to be had here: the rest is read here
            pass
    left = [i for i, f in enumerate(finished) if not f]
    done = len(paths) - len(left)

    def step(i, _total):
        if progress:
            progress(done + i, len(paths))

    more, stopped = _run_here(task, [paths[i] for i in left], context, failed, step, cancelled, timeout)
    for i, result in zip(left, more):
        results[i], finished[i] = result, True
    return [r for r, f in zip(results, finished) if f], stopped


# ---- in this process


def _run_here(task, paths, context, failed, progress, cancelled, timeout) -> tuple[list, bool]:
    results = []
    for i, path in enumerate(paths, 1):
        if cancelled and cancelled():
            return results, True
        if timeout is None:
            result = task(path, context)
        else:
            result = _bounded(task, path, context, failed, timeout, cancelled)
            if result is _CANCELLED:
                return results, True
        results.append(result)
        if progress:
            progress(i, len(paths))
    return results, False


_CANCELLED = object()


def _bounded(task, path, context, failed, timeout: float, cancelled):
    """task in a thread of its own, waited for at most `timeout` seconds; _CANCELLED when the
    user stops waiting for a slow file."""
    box: list = []
    reader = threading.Thread(target=lambda: box.append(task(path, context)), name="giapp-read-file", daemon=True)
    reader.start()
    start = time.monotonic()
    while True:
        reader.join(POLL)
        if not reader.is_alive():
            break
        # a file that takes long: the user may stop waiting (checked between files otherwise)
        if cancelled and time.monotonic() - start > SLOW_READ and cancelled():
            return _CANCELLED
        if time.monotonic() - start > timeout:
            return failed(path, timed_out(path, timeout))
    return box[0] if box else failed(path, interrupted(path))


# ---- in worker processes


class _Failure:
    """What a worker sends back when the task itself failed (it should not)."""

    def __init__(self, why: str):
        self.why = why


def _serve(conn, task, context) -> None:
    """A worker: one file at a time, until told to stop (None) or the parent goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it ends the workers
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        index, path = job
        try:
            result = task(path, context)
        except Exception as e:  # noqa: BLE001 - one odd file must not end the worker
            result = _Failure(f"“{Path(path).name}”无法读取（{type(e).__name__}：{e}）")
        try:
            conn.send((index, result))
        except (OSError, EOFError):
            return
        except Exception as e:  # noqa: BLE001 - a result that cannot be sent
            conn.send((index, _Failure(f"“{Path(path).name}”无法读取（{type(e).__name__}）")))


class _Worker:
    def __init__(self, ctx, task, context):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, task, context), name="giapp-read-files", daemon=True)
        self.process.start()
        child.close()
        self.ready = False
        self.jobs: deque[int] = deque()  # the files handed to it, in the order it reads them
        self.started = 0.0  # when it began the first of them (as seen here)

    def send(self, index: int, path) -> None:
        self.conn.send((index, path))
        if not self.jobs:
            self.started = time.monotonic()
        self.jobs.append(index)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class _Pool:
    def __init__(self, n: int, task, context):
        self.ctx = multiprocessing.get_context("spawn")
        self.task, self.context = task, context
        self.workers: list[_Worker] = []
        try:
            for _ in range(n):
                self.workers.append(_Worker(self.ctx, task, context))
        except BaseException:
            self.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        for w in self.workers:
            try:
                if w.process.is_alive() and not w.jobs and w.ready:
                    w.conn.send(None)
            except OSError:
                pass
        for w in self.workers:
            w.process.join(0.5 if not w.jobs else 0)
            w.stop()
        self.workers = []

    def _replace(self, w: _Worker, pending: deque) -> int | None:
        """End a worker and start another in its place; the file it was reading (or None), and
        the files it had not begun go back to the front of `pending`."""
        w.stop()
        self.workers[self.workers.index(w)] = _Worker(self.ctx, self.task, self.context)
        job = w.jobs.popleft() if w.jobs else None
        elsewhere = {i for other in self.workers for i in other.jobs}
        pending.extendleft(reversed([i for i in w.jobs if i not in elsewhere]))
        return job

    def _share(self, paths, finished: list) -> None:
        """Files waiting behind a slow one in a worker's queue are handed to an idle worker as
        well (whichever reads a file first gives its result)."""
        for w in self.workers:
            if not w.ready or w.jobs:
                continue
            waiting = [i for other in self.workers for i in list(other.jobs)[1:]
                       if not finished[i] and sum(i in o.jobs for o in self.workers) == 1]
            if not waiting:
                return
            try:
                w.send(waiting[0], paths[waiting[0]])
            except OSError:  # it has just died: the loop below finds it gone
                return

    def run(self, paths, failed, progress, cancelled, timeout, results: list, finished: list) -> bool:
        """Fill results[i] (finished[i] = True) as files finish; True when cancelled. _NoWorkers
        when no worker process could be started: the caller reads the rest itself.

        Each worker is handed up to AHEAD files at a time, so that it never waits for this
        process between files (on a busy machine each wait costs a time slice)."""
        total = len(paths)
        done = sum(finished)
        pending = deque(i for i in range(total) if not finished[i])

        def finish(index: int, result) -> None:
            nonlocal done
            if finished[index]:  # read twice (handed to an idle worker too): the first result stands
                return
            if isinstance(result, _Failure):
                result = failed(paths[index], result.why)
            results[index], finished[index] = result, True
            done += 1
            if progress:
                progress(done, total)

        while done < total:
            if cancelled and cancelled():
                return True
            if not pending:
                self._share(paths, finished)
            for w in list(self.workers):
                while w.ready and len(w.jobs) < AHEAD and pending:
                    index = pending.popleft()
                    if finished[index]:
                        continue
                    try:
                        w.send(index, paths[index])
                    except OSError:  # it has just died: another takes its place
                        pending.appendleft(index)
                        job = self._replace(w, pending)
                        if job is not None:
                            finish(job, failed(paths[job], interrupted(paths[job])))
                        break
            waiting = {w.conn: w for w in self.workers}
            waiting.update({w.process.sentinel: w for w in self.workers})
            for ready in wait(list(waiting), POLL):
                w = waiting[ready]
                if w not in self.workers:  # replaced already (its pipe and its sentinel were both ready)
                    continue
                message = None
                try:
                    if ready is w.conn or w.conn.poll():
                        message = w.conn.recv()
                except (EOFError, OSError):  # it died: the file it was reading is the cause
                    pass
                if message == "ready":
                    w.ready = True
                elif message is not None:
                    index, result = message
                    w.jobs.remove(index)
                    w.started = time.monotonic()  # the next file, if any, is begun now
                    finish(index, result)
                elif not w.ready:  # it could not even start: no more workers like it
                    w.stop()
                    self.workers.remove(w)
                    if not self.workers:
                        raise _NoWorkers()
                else:  # the worker is gone
                    job = self._replace(w, pending)
                    if job is not None:
                        finish(job, failed(paths[job], interrupted(paths[job])))
            if timeout is not None:
                now = time.monotonic()
                for w in list(self.workers):
                    if w.jobs and now - w.started > timeout:
                        job = self._replace(w, pending)
                        finish(job, failed(paths[job], timed_out(paths[job], timeout)))
        return False


class _NoWorkers(Exception):
    """No worker process could be started (or all died before taking a file)."""
