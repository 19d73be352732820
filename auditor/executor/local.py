"""The default executor: this machine, chunks of cases over a process pool of its cores."""

from __future__ import annotations

from pathlib import Path

from auditor import executor as _executor
from auditor import progress
from auditor.executor import (
    AuditJob,
    LocalPool,
    Merged,
    audit_chunk,
    available_cpus,
    record_nlp,
)
from auditor.model.dataset import CaseTables

# Reading goes to the pool only when there is enough to read to pay for it.
PARALLEL_READ_BYTES = 4_000_000
# From this much input on (about 1,500 notes) the pool is started before reading and its
# workers load the NLP pipeline (the slowest part of a cold start) while this process reads;
# the cases are then split over the workers even when they would fit in one chunk.
WARM_POOL_BYTES = 300_000


def warm_up() -> None:
    """Load spaCy and the pipeline in a worker, before its first chunk arrives."""
    import gc

    from auditor.nlp.build import get_nlp

    get_nlp()
    gc.freeze()  # the pipeline and lexicons live as long as the worker: never walk them again


def read_candidate(cand, mapping) -> list:
    """Read one discovered input file (any process); never raises for a user's file."""
    from auditor.ingest import read_candidate as read

    return read(cand, mapping)


def _inputs_key(paths: list[Path], exclude: list[Path] | None) -> tuple:
    return (tuple(str(p) for p in paths), tuple(str(e) for e in exclude or ()))


def _size(cand) -> int:
    try:
        return 0 if cand.missing or cand.skip else cand.path.stat().st_size
    except OSError:
        return 0


class LocalExecutor:
    """Reads files and audits chunks of cases, on a process pool when it pays off."""

    name = "local"

    def __init__(self, workers: int | None = None, chunk_rows: int | None = None) -> None:
        self.workers = workers if workers is not None else available_cpus()
        self.chunk_rows = chunk_rows or _executor.CHUNK_ROWS
        self._pool: LocalPool | None = None
        self._warm = False  # the pool was started early: split the cases over its workers
        self._discovered: tuple[tuple, list] = ((), [])  # by warm(), for read()

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self, *, kill: bool = False) -> None:
        if self._pool is not None:
            self._pool.close(kill=kill)
            self._pool = None

    def pool(self) -> LocalPool:
        if self._pool is None:
            self._pool = LocalPool(self.workers)
        return self._pool

    def warm(self, paths: list[Path], exclude: list[Path] | None = None) -> None:
        """Start the pool now and have its workers load the NLP, when the input is small
        enough to be read here (from about a unit's month up to PARALLEL_READ_BYTES). Called
        as early as possible, so the loading overlaps everything this process does first."""
        from auditor.ingest.discover import discover

        if self.workers <= 1 or self._pool is not None:
            return
        try:
            cands = discover(list(paths), None, exclude)
        except Exception:  # read() reports what is wrong with the inputs
            return
        self._discovered = (_inputs_key(paths, exclude), cands)  # read() takes them over
        self._warm_for(cands)

    def _warm_for(self, cands: list) -> bool:
        """Start the warmed pool for these inputs if it pays; True when they are read on the
        pool instead (large inputs)."""
        total = sum(_size(c) for c in cands)
        parallel = self.workers > 1 and len(cands) > 1 and total >= PARALLEL_READ_BYTES
        if not parallel and self.workers > 1 and total >= WARM_POOL_BYTES and self._pool is None:
            pool = self.pool()
            for _ in range(self.workers):
                pool.pool.submit(warm_up)
            self._warm = True
        return parallel

    def read(self, paths: list[Path], mapping, exclude: list[Path] | None = None) -> list:
        from auditor.ingest.discover import discover

        key, found = self._discovered
        cands = found if key == _inputs_key(paths, exclude) else discover(list(paths), None, exclude)
        self._discovered = ((), [])
        out: list = []
        parallel = self._warm_for(cands)
        with progress.bar(len(cands), "Läser exporter", unit=" filer") as tick:
            if parallel:
                # biggest files first, results put back in discovery order
                order = sorted(range(len(cands)), key=lambda i: -_size(cands[i]))
                results: dict[int, list] = {}
                for i, res in zip(order, self.pool().map_ordered(read_candidate, [cands[i] for i in order], mapping=mapping), strict=True):
                    results[i] = res
                    tick(1)
                for i in range(len(cands)):
                    out.extend(results[i])
            else:
                for cand in cands:
                    out.extend(read_candidate(cand, mapping))
                    tick(1)
        return out

    def audit(self, job: AuditJob, tables: CaseTables) -> Merged:
        merged = Merged()
        rows = self.chunk_rows
        if self._warm:  # a share for each warmed worker
            rows = min(rows, max(1, -(-tables.n_rows // self.workers)))
        count, chunks = tables.lazy_chunks(rows)
        n_cases = len(tables.case_rows())
        with progress.bar(n_cases, "Tolkar journaltext och granskar") as tick:
            if count <= 1 or self.workers <= 1:
                # One chunk: the NLP stage may still use its own pool for many notes.
                nlp_workers = None if count <= 1 else 1
                for chunk in chunks:
                    res = audit_chunk(job, chunk, nlp_workers)
                    merged.add(res)
                    tick(len(res.cases))
            else:
                if self._pool is None:
                    from auditor.nlp.build import get_nlp

                    get_nlp()  # loaded once here; forked workers inherit it
                # chunks are built as the pool asks for them: a few copies of rows at a time
                for res in self.pool().map_ordered(audit_chunk, chunks, job):
                    record_nlp(res.nlp)
                    merged.add(res)
                    tick(len(res.cases))
        return merged.done()
