"""The Dask executor: the same audit on a Dask distributed cluster (optional extra).

Files are read on the workers in parallel; the client computes the inputs-wide facts and
partitions the cases by a stable hash of the case id; each partition is built into cases,
its notes interpreted and its rules run on a worker; findings come back as plain data and
the client writes the reports. Without a scheduler address a ``LocalCluster`` is started.

Every worker needs the same version of auditor installed (``pip install "auditor[distributed]"``)
and must see the input files at the same paths as the client (shared storage).
"""

from __future__ import annotations

import zlib
from pathlib import Path

from auditor import executor as _executor
from auditor import progress
from auditor.executor import (
    IN_FLIGHT_PER_WORKER,
    AuditJob,
    Merged,
    audit_chunk,
    available_cpus,
    record_nlp,
)
from auditor.executor.local import read_candidate
from auditor.model.dataset import CaseTables

MISSING = ("Dask är inte installerat. Installera tillägget med "
           "pip install \"auditor[distributed]\" (eller pip install \".[distributed]\" i en "
           "utcheckning) för att köra med --executor dask.")


class DaskUnavailable(Exception):
    """Dask cannot be used (not installed, or the scheduler cannot be reached); Swedish."""


def stable_partition(case: str, parts: int) -> int:
    """The partition of a case: the same on every machine and run (unlike ``hash``)."""
    return zlib.crc32(case.encode("utf-8")) % parts


class DaskExecutor:
    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None,
                 chunk_rows: int | None = None) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise DaskUnavailable(MISSING) from None
        self.chunk_rows = chunk_rows or _executor.CHUNK_ROWS
        self.cluster = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout="20s")
            else:
                import logging

                self.cluster = LocalCluster(
                    n_workers=workers or available_cpus(), threads_per_worker=1, processes=True,
                    host="127.0.0.1", dashboard_address=None, silence_logs=logging.ERROR,
                )
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            if self.cluster is not None:
                self.cluster.close()
            where = f"schemaläggaren {scheduler}" if scheduler else "ett lokalt Dask-kluster"
            raise DaskUnavailable(f"Kunde inte ansluta till {where}: {exc}") from None

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def _workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def read(self, paths: list[Path], mapping, exclude: list[Path] | None = None) -> list:
        from dask.distributed import as_completed

        from auditor.ingest.discover import discover

        cands = discover(list(paths), None, exclude)
        futures = self.client.map(read_candidate, cands, mapping=mapping, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        results: list[list | None] = [None] * len(cands)
        with progress.bar(len(cands), "Läser exporter", unit=" filer") as tick:
            for fut, res in as_completed(futures, with_results=True):
                results[index[fut.key]] = res
                tick(1)
        return [li for res in results for li in res or []]

    def audit(self, job: AuditJob, tables: CaseTables) -> Merged:
        from dask.distributed import as_completed

        merged = Merged()
        rows = tables.case_rows()
        if rows.empty:
            return merged.done()
        parts = max(self._workers() * 2, -(-tables.n_rows // self.chunk_rows))
        part_of = {case: stable_partition(case, parts) for case in rows.index.tolist()}
        # Partitions are built and sent a few at a time (two per worker in flight), so the
        # client holds a copy of only those rows, not of the whole input.
        chunks = (c for c in tables.partitions(part_of, parts) if c.frames)
        job_f = self.client.scatter(job, broadcast=True)
        running = as_completed(with_results=True)

        def submit_next() -> None:
            for chunk in chunks:
                running.add(self.client.submit(audit_chunk, job_f, self.client.scatter(chunk),
                                               pure=False))
                return

        for _ in range(max(1, self._workers() * IN_FLIGHT_PER_WORKER)):
            submit_next()
        with progress.bar(len(rows), "Tolkar journaltext och granskar") as tick:
            for _fut, res in running:
                record_nlp(res.nlp)
                merged.add(res)
                tick(len(res.cases))
                submit_next()
        return merged.done()
