"""Running the audit's per-case work in bounded chunks: in this process, on a local process
pool, or on a Dask cluster (``auditor.executor.dask``).

Cases are independent, so the audit partitions by case. The client reads the inputs,
computes the inputs-wide facts (``auditor.model.dataset.prepare_tables``) and splits the
case rows into chunks; each chunk is built into cases, its notes are interpreted and the
rules run (:func:`audit_chunk`), and the findings come back as plain data. Findings are
sorted by a total key, so the result does not depend on how cases were chunked or where
a chunk ran: every executor gives byte-identical outputs.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from auditor.config import Config
from auditor.findings.model import Finding
from auditor.findings.result import CaseActivity, CaseInfo
from auditor.model.dataset import CaseTables, Dataset, build_cases
from auditor.rules.context import Period
from auditor.rules.packs import Pack

# Rows (of all kinds) per chunk: bounds the memory one chunk's records, docs and findings take.
CHUNK_ROWS = 20_000
# Chunks handed to the pool ahead of the one being collected (bounds memory in flight).
IN_FLIGHT_PER_WORKER = 2
NLP_COUNTERS = ("notes_total", "notes_to_spacy", "docs_to_spacy", "words_total",
                "words_to_spacy", "nlp_seconds")


# CPython collects its youngest objects after every 700 allocations, and older ones every
# 10 and 100 of those collections: sized for programs that keep few objects. An audit
# allocates millions of short-lived ones (tokens, spans, findings) beside a large, stable
# heap (the pipeline, the lexicons, the input tables), so the default settings spend about
# a quarter of a chunk's time walking objects that are still alive. During a run the
# thresholds are raised; cyclic garbage is still collected, only in larger steps.
BATCH_GC_THRESHOLDS = (50_000, 20, 20)


@contextmanager
def batch_gc() -> Iterator[None]:
    """Raise the garbage collector's thresholds for the duration (restored afterwards, so a
    program that calls the audit keeps its own settings)."""
    old = gc.get_threshold()
    gc.set_threshold(*(max(a, b) for a, b in zip(old, BATCH_GC_THRESHOLDS, strict=True)))
    try:
        yield
    finally:
        gc.set_threshold(*old)


@dataclass
class AuditJob:
    """What every chunk needs besides its rows (plain data; pickles to any worker)."""

    packs: list[Pack]
    config: Config
    as_of: date
    period: Period
    meta: Dataset  # the inputs-wide facts, without cases
    keep_cases: bool = False  # return the annotated cases too (one chunk, in-process only)


@dataclass
class ChunkResult:
    findings: list[Finding]
    cases: dict[str, CaseInfo]
    notes: int
    # seconds per stage in the process that ran the chunk
    seconds: dict[str, float] = field(default_factory=dict)
    # the NLP stage's counters for this chunk (``auditor.nlp.stats``)
    nlp: dict[str, float] = field(default_factory=dict)
    dataset: Dataset | None = None  # with ``AuditJob.keep_cases``


def _nlp_counters() -> dict[str, float]:
    from auditor.nlp import stats

    snap = stats.snapshot()
    return {k: snap[k] for k in NLP_COUNTERS}


# Hits per distinct note (text, sökord, and the date where the text names an earlier day),
# kept across the chunks one process runs: identical notes in different chunks are
# interpreted once per process, as identical notes within one chunk already are.
_HITS: dict[tuple, list] = {}
HIT_CACHE_MAX = 50_000


def clear_cache() -> None:
    _HITS.clear()


def annotate_cached(cases: dict, unit_staff: dict, workers: int | None) -> list:
    """``auditor.events.text.annotate`` for the notes of the cases, each read through its
    case's who-is-who, skipping notes this process has interpreted before. Returns the notes."""
    from auditor.events.text import annotate
    from auditor.model.people import case_people
    from auditor.nlp import stats
    from auditor.nlp.dates import mentions_day

    notes, keys, todo, todo_sigs = [], [], [], []
    cached = words = 0
    for c in cases.values():
        if not c.notes:
            continue
        who = c.memo["people"] = case_people(c, unit_staff)  # reused by the rules
        for n in c.notes:
            notes.append(n)
            text = n.text or ""
            key = (text, n.sokord or "", n.date if mentions_day(text) else None,
                   who.signature(text))
            keys.append(key)
            hits = _HITS.get(key)
            if hits is None:
                todo.append(n)
                todo_sigs.append(key[3])
                continue
            n.hits = list(hits)
            cached += 1
            words += len(text.split())
    annotate(todo, workers=workers, signatures=todo_sigs)
    if cached:  # counted as notes that did not reach spaCy
        stats.record(notes_total=cached, notes_to_spacy=0, docs_to_spacy=0, words_total=words,
                     words_to_spacy=0, seconds=0.0)
    if len(_HITS) > HIT_CACHE_MAX:
        _HITS.clear()
    for n, key in zip(notes, keys, strict=True):
        _HITS.setdefault(key, n.hits)
    return notes


def audit_chunk(job: AuditJob, tables: CaseTables, nlp_workers: int | None = 1) -> ChunkResult:
    """Build the chunk's cases, interpret their notes and run the rules."""
    with batch_gc():
        return _audit_chunk(job, tables, nlp_workers)


def _audit_chunk(job: AuditJob, tables: CaseTables, nlp_workers: int | None) -> ChunkResult:
    from auditor.rules.engine import evaluate

    t0 = time.perf_counter()
    cases = build_cases(tables)
    t1 = time.perf_counter()
    before = _nlp_counters()
    notes = annotate_cached(cases, job.meta.unit_staff, nlp_workers)
    after = _nlp_counters()
    t2 = time.perf_counter()
    dataset = job.meta.with_cases(cases)
    findings = evaluate(dataset, job.packs, job.config, as_of=job.as_of,
                        period=job.period)
    t3 = time.perf_counter()
    infos = {
        key: CaseInfo(case=key, name=c.name, units=list(c.units), insats=list(c.insats),
                      insats_source=c.insats_source, protected=c.protected,
                      staff=sorted({n.signed_by for n in c.notes if n.signed_by}
                                   | {b.staff for b in c.bookings if b.staff}),
                      activity=CaseActivity.of(c))
        for key, c in cases.items()
    }
    return ChunkResult(
        findings=findings, cases=infos, notes=len(notes),
        seconds={"model": t1 - t0, "nlp": t2 - t1, "rules": t3 - t2},
        nlp={k: after[k] - before[k] for k in NLP_COUNTERS},
        dataset=dataset if job.keep_cases else None,
    )


def record_nlp(counts: dict[str, float]) -> None:
    """Add a chunk's NLP counters (from another process) to this process's stats."""
    from auditor.nlp import stats

    stats.record(notes_total=int(counts["notes_total"]), notes_to_spacy=int(counts["notes_to_spacy"]),
                 docs_to_spacy=int(counts["docs_to_spacy"]), words_total=int(counts["words_total"]),
                 words_to_spacy=int(counts["words_to_spacy"]), seconds=counts["nlp_seconds"])


@dataclass
class Merged:
    """The chunks' results put together in a deterministic order."""

    findings: list[Finding] = field(default_factory=list)
    cases: dict[str, CaseInfo] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    dataset: Dataset | None = None

    def add(self, r: ChunkResult) -> None:
        self.dataset = r.dataset if self.dataset is None else self.dataset
        self.findings.extend(r.findings)
        self.cases.update(r.cases)
        for k, v in r.seconds.items():
            self.seconds[k] = self.seconds.get(k, 0.0) + v

    def done(self) -> Merged:
        # Stable sort on a key that is total up to findings of the same case, which always
        # come from one chunk in generation order: the same order however cases were chunked.
        self.findings.sort(key=Finding.sort_key)
        self.cases = dict(sorted(self.cases.items()))
        return self


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def pool_context():
    methods = mp.get_all_start_methods()
    return mp.get_context("fork") if "fork" in methods else mp.get_context()


class LocalPool:
    """A process pool over chunks (fork: workers inherit loaded modules and lexicons)."""

    def __init__(self, workers: int) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers
        self._frozen = gc.get_freeze_count()
        gc.freeze()  # forked workers then do not copy the parent's pages by collecting them
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=pool_context())

    def map_ordered(self, fn: Callable, items: Iterable, *args, **kwargs) -> Iterator:
        """``fn(*args, item, **kwargs)`` for each item, results in order, a few in flight."""
        limit = max(1, self.workers * IN_FLIGHT_PER_WORKER)
        pending: deque = deque()
        it = iter(items)

        def submit_next() -> None:
            for item in it:
                pending.append(self.pool.submit(fn, *args, item, **kwargs))
                return

        for _ in range(limit):
            submit_next()
        while pending:
            result = pending.popleft().result()
            submit_next()
            yield result

    def close(self, *, kill: bool = False) -> None:
        """Shut the pool down; ``kill`` ends the workers at once instead of letting them finish
        what they are doing (a run that failed before its audit began)."""
        if kill:
            for proc in list((getattr(self.pool, "_processes", None) or {}).values()):
                proc.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)
        if not self._frozen:
            gc.unfreeze()
