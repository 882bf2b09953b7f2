"""Where the per-document work of a batch runs: in this process, in local worker processes, or
on an existing Dask cluster.

Every executor runs `process(task)` for a stream of `Task`s and yields `(task, result)` as
results arrive; at most `window` tasks are in flight, so memory is bounded by the number of
workers times the largest document, never by the size of the corpus.  A result is a plain
dict `{"record": DocumentRecord as a dict, "text": extracted text (HTML) or None, "seconds"}`;
the batch (pipeline/batch.py) writes it to the store as it arrives.  A worker imports only
`pipeline.run.document` (one file -> one record), never the batch driver.

- `SerialExecutor` (`--jobs 1`): in this process, models loaded once, lazily.
- `ProcessExecutor` (`--jobs N`): a `ProcessPoolExecutor` (fork on Linux) whose initializer
  loads the models once per worker.  spaCy's `nlp.memory_zone()` (per text, or per piece of a
  long text, in `nlp.Extractor.analyze`) keeps a long-lived worker's vocabulary from growing, so
  workers need no recycling.  A worker that
  dies (a crash in native code, the OOM killer) fails only the documents it may have been
  processing: they are retried one at a time in a fresh pool, and the one that kills a worker
  again gets an error record.
- `DaskExecutor` (`--executor dask --scheduler ADDRESS`): tasks on a dask.distributed cluster.
  The file's bytes travel with the task (workers need no shared file system); the function is
  referenced by module path and each worker loads the models itself, on first use, so nothing
  model-sized is pickled.  Install with `pip install 'muster[dask]'`.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from pipeline import ingest
from pipeline.errors import Code, exc_text
from pipeline.run import document


@dataclass(frozen=True)
class Task:
    path: str
    max_bytes: int = ingest.DEFAULT_MAX_BYTES
    data: bytes | None = None     # the file's bytes when the worker cannot (or need not) read the path


class ExecutorError(RuntimeError):
    """The executor cannot run (no cluster at that address, an optional extra missing, ...)."""


def process(task: Task, *, as_dict: bool = True) -> dict:
    """One document, in whatever process runs it.  Never raises for a bad document."""
    t0 = time.perf_counter()
    rec, text = document.process_document(Path(task.path), max_bytes=task.max_bytes, data=task.data)
    return {"record": rec.model_dump() if as_dict else rec, "text": text,
            "seconds": time.perf_counter() - t0}


def failure(task: Task, code: Code, **fields) -> dict:
    """The result for a task whose worker failed, as an error record of `code` (its message from `fields`)."""
    rec = document.error_record(Path(task.path), code.message(**fields), code=code)
    return {"record": rec, "text": None, "seconds": 0.0}


class SerialExecutor:
    """In this process (`--jobs 1`): no pickling, no pool."""
    name = "serial"
    jobs = 1
    ships_data = True           # the batch has read the bytes already (for the content hash)

    def map(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, dict]]:
        for task in tasks:
            try:
                res = process(task, as_dict=False)
            except Exception as e:  # noqa: BLE001 - a document must not stop the batch
                res = failure(task, Code.INTERNAL, exc=exc_text(e))
            yield task, res

    def close(self) -> None:
        pass


# --- local worker processes ---------------------------------------------------------------------

def _init_worker(preload: tuple[str, ...]) -> None:
    """Worker start: die with the batch, drop the batch's lock, load the models once."""
    _die_with_parent()
    from pipeline import store

    store.release_inherited_locks()
    from pipeline.nlp import extractor

    for lang in preload:
        extractor(lang)


def _die_with_parent() -> None:
    """A worker must not outlive a killed batch (it would hold the output directory's lock)."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:      # the parent died before prctl took effect
        os._exit(1)

    def watch():                    # portable fallback
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)
    threading.Thread(target=watch, daemon=True, name="muster-parent-watch").start()


class ProcessExecutor:
    """`jobs` local worker processes."""
    name = "process"
    ships_data = False          # workers read the files themselves (cheaper than pickling bytes)

    def __init__(self, jobs: int, *, preload: tuple[str, ...] = ("en", "zh-Hant"), window: int | None = None,
                 fn=process):
        """`fn`: the module-level function a worker runs per task (tests substitute one)."""
        self.jobs = max(1, jobs)
        self.preload = preload
        self.window = window or 2 * self.jobs
        self.fn = fn

    def _pool(self, workers: int) -> ProcessPoolExecutor:
        ctx = mp.get_context("fork") if sys.platform.startswith("linux") else None
        return ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(self.preload,))

    def map(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, dict]]:
        it = iter(tasks)
        retry: list[Task] = []
        exhausted = False
        while True:
            pool = self._pool(self.jobs)
            broken: list[Task] = []
            pending: dict = {}
            try:
                while True:
                    while not exhausted and len(pending) < self.window:
                        task = next(it, None)
                        if task is None:
                            exhausted = True
                            break
                        pending[pool.submit(self.fn, task)] = task
                    if not pending:
                        break
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in done:
                        task = pending.pop(fut)
                        try:
                            res = fut.result()
                        except BrokenProcessPool:
                            broken.append(task)
                            continue
                        except Exception as e:  # noqa: BLE001
                            res = failure(task, Code.WORKER_INTERNAL, exc=exc_text(e))
                        yield task, res
                    if broken:
                        broken.extend(pending.values())   # every task in flight may be the culprit
                        pending.clear()
                        break
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
            if not broken:
                return
            retry = broken
            yield from self._isolate(retry)

    def _isolate(self, tasks: list[Task]) -> Iterator[tuple[Task, dict]]:
        """Run suspects one at a time, each in a fresh single-worker pool if the last one died."""
        pool = self._pool(1)
        try:
            for task in tasks:
                try:
                    res = pool.submit(self.fn, task).result()
                except BrokenProcessPool:
                    pool.shutdown(wait=True)
                    pool = self._pool(1)
                    res = failure(task, Code.WORKER_LOST)
                except Exception as e:  # noqa: BLE001
                    res = failure(task, Code.WORKER_INTERNAL, exc=exc_text(e))
                yield task, res
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        pass


# --- Dask ------------------------------------------------------------------------------------------

_WORKER_LOCK = threading.Lock()


def process_on_worker(task: Task) -> dict:
    """The Dask task: one document at a time per worker process (the models are shared by its threads)."""
    with _WORKER_LOCK:
        return process(task)


class DaskExecutor:
    """Tasks on an existing dask.distributed cluster."""
    name = "dask"
    ships_data = True

    def __init__(self, scheduler: str, *, window: int | None = None, timeout: float = 20.0):
        try:
            from distributed import Client
        except ImportError:
            raise ExecutorError("the Dask executor needs the 'dask' extra: pip install 'muster[dask]'") from None
        try:
            self.client = Client(scheduler, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as e:
            raise ExecutorError(f"cannot connect to the Dask scheduler at {scheduler}: {e}") from None
        threads = sum(self.client.nthreads().values()) or 1
        self.jobs = threads
        self.window = window or 2 * threads

    def map(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, dict]]:
        from distributed import as_completed

        it = iter(tasks)
        pending: dict[str, Task] = {}
        ac = as_completed(loop=self.client.loop)

        def submit() -> bool:
            task = next(it, None)
            if task is None:
                return False
            fut = self.client.submit(process_on_worker, task, pure=False)
            pending[fut.key] = task
            ac.add(fut)
            return True

        for _ in range(self.window):
            if not submit():
                break
        for fut in ac:
            task = pending.pop(fut.key)
            try:
                res = fut.result()
            except Exception as e:  # noqa: BLE001 - KilledWorker, a lost connection, ...
                res = failure(task, Code.WORKER_REMOTE, exc=exc_text(e))
            fut.release()
            yield task, res
            submit()

    def close(self) -> None:
        self.client.close()


def make(kind: str = "local", *, jobs: int = 1, scheduler: str | None = None):
    """The executor of `muster run --executor KIND --jobs N --scheduler ADDRESS`."""
    if kind == "dask":
        if not scheduler:
            raise ExecutorError("--executor dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
        return DaskExecutor(scheduler)
    if kind != "local":
        raise ExecutorError(f"unknown executor {kind!r}: use 'local' or 'dask'")
    if jobs <= 0:
        jobs = os.cpu_count() or 1
    return SerialExecutor() if jobs == 1 else ProcessExecutor(jobs)
