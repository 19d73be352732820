"""Running the detectors over many notes: prefilter, batching and a process pool.

Only the notes the prefilter passes (``prefilter.py``) go through spaCy, batched with
``nlp.pipe``; identical notes are run once. Many notes are split into chunks shared by this
process and a pool of worker processes; with the ``fork`` start method the workers inherit
the parent's pipeline and lexicons (loaded once), otherwise each worker loads them once in
its initializer. spaCy's own ``n_process`` is not
used: it pickles every Doc back to the parent, which was measured 5x slower.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date

from auditor.model.people import People
from auditor.model.records import TextHit
from auditor.nlp import stats
from auditor.nlp.dates import mentions_day

# From this many candidate notes on the work is split over processes.
POOL_THRESHOLD = 3_000
BATCH_SIZE = 256
# Chunks per worker (balance) and the smallest chunk worth a round trip.
CHUNKS_PER_WORKER = 4
MIN_CHUNK = 500


def doc_hits(doc) -> list[TextHit]:
    """The doc's hits as TextHit records (offsets into the note text)."""
    from auditor.nlp.detectors import HITS

    return doc.user_data.get(HITS, [])


def annotate_docs(
    items: Sequence[tuple],
    *,
    batch_size: int = BATCH_SIZE,
    lean: bool = False,
):
    """Run the pipeline over (text, date, sokord[, roles]) items; yields the spaCy docs in
    order. ``roles`` maps the names the text uses to their role (``auditor.model.people``).

    ``lean`` docs are read for their TextHits only: spaCy's own sentence, lemma and norm
    attributes are not written into them."""
    from auditor.nlp.build import get_nlp
    from auditor.nlp.pipeline import LEAN_KEY, ROLES_KEY, TEXT_KEY

    nlp = get_nlp()

    def docs():
        for item in items:
            text, day, sok = item[0], item[1], item[2]
            roles = item[3] if len(item) > 3 else None
            doc = nlp.make_doc(text or "")
            data = doc.user_data
            # doc._.note_date / doc._.sokord, written where spaCy's Underscore keeps them
            data[("._.", "note_date", None, None)] = day
            data[("._.", "sokord", None, None)] = sok or ""
            data[TEXT_KEY] = text or ""
            if lean:
                data[LEAN_KEY] = True
            if roles:
                data[ROLES_KEY] = dict(roles)
            yield doc

    yield from nlp.pipe(docs(), batch_size=batch_size)


def _process_chunk(items: list[tuple]) -> list[list[TextHit]]:
    from auditor.nlp.detectors import HITS

    return [doc.user_data.get(HITS, []) for doc in annotate_docs(items, lean=True)]


def _init_worker() -> None:
    from auditor.nlp.build import get_nlp

    get_nlp()


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _pool_context():
    methods = mp.get_all_start_methods()
    return mp.get_context("fork") if "fork" in methods else mp.get_context()


def _run_pool(items: list, workers: int) -> list[list[TextHit]]:
    """Chunks over ``workers - 1`` processes plus this one: the pool takes chunks from the
    front, this process from the back (cancelling those the pool has not started)."""
    size = max(MIN_CHUNK, -(-len(items) // (workers * CHUNKS_PER_WORKER)))
    chunks = [items[k : k + size] for k in range(0, len(items), size)]
    results: list[list[list[TextHit]] | None] = [None] * len(chunks)
    # Objects alive now (pipeline, lexicons, caches) are left alone by the garbage collector
    # while the pool runs: a collection in a forked worker would touch, and so copy, every
    # page it inherited.
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            max_workers=max(1, workers - 1), mp_context=_pool_context(), initializer=_init_worker
        ) as pool:
            futures = [pool.submit(_process_chunk, chunk) for chunk in chunks]
            for k in range(len(chunks) - 1, -1, -1):
                if futures[k].cancel():
                    results[k] = _process_chunk(chunks[k])
            for k, fut in enumerate(futures):
                if results[k] is None:
                    results[k] = fut.result()
    finally:
        if not frozen_before:
            gc.unfreeze()
    return [h for chunk in results for h in chunk]  # type: ignore[union-attr]


def _clean(value) -> str:
    return "" if value is None or value != value else str(value)


def detect_texts(
    texts: Sequence[str],
    dates: Sequence[date | None] | None = None,
    sokord: Sequence[str] | None = None,
    *,
    workers: int | None = None,
    pool_threshold: int = POOL_THRESHOLD,
    use_prefilter: bool = True,
    people: Sequence[People | None] | None = None,
    signatures: Sequence[tuple] | None = None,
) -> list[list[TextHit]]:
    """TextHits for each text. Only notes the prefilter passes reach spaCy.

    ``people`` gives each text its case's who-is-who (:mod:`auditor.model.people`): the names
    the text uses are read in their role (the individual, staff, the caseworker);
    ``signatures`` may give what :meth:`People.signature` says of each text, when the caller
    has it already."""
    t0 = time.perf_counter()
    n = len(texts)
    texts = [_clean(t) for t in texts]
    dates = list(dates) if dates is not None else [None] * n
    sokord = [_clean(s) for s in sokord] if sokord is not None else [""] * n
    people = list(people) if people is not None else [None] * n
    if signatures is not None and len(signatures) != n:
        raise ValueError("texts and signatures must have the same length")
    if len(dates) != n or len(sokord) != n or len(people) != n:
        raise ValueError("texts, dates, sokord and people must have the same length")
    result: list[list[TextHit]] = [[] for _ in range(n)]
    if use_prefilter:
        from auditor.nlp.prefilter import get_prefilter

        mask, words = get_prefilter().scan(texts, sokord)
        idx = mask.nonzero()[0].tolist()
        words_total = int(words.sum())
        words_to_spacy = int(words[mask].sum())
    else:
        idx = list(range(n))
        words_total = words_to_spacy = sum(len(t.split()) for t in texts)
    # Identical notes give identical hits: each distinct (text, sökord) is run once, and
    # with its date only when the text names an earlier day (refers_to depends on it).
    groups: dict[tuple, list[int]] = {}
    for i in idx:
        text = texts[i]
        if signatures is not None:
            sig = signatures[i]
        else:
            who = people[i]
            sig = who.signature(text) if who is not None else ()
        key = (text, sokord[i], dates[i] if mentions_day(text) else None, sig)
        groups.setdefault(key, []).append(i)
    items = [
        (text, dates[members[0]], sok, sig) for (text, sok, _, sig), members in groups.items()
    ]
    if items:
        workers = workers if workers is not None else available_cpus()
        if len(items) >= pool_threshold and workers > 1:
            from auditor.nlp.build import get_nlp

            get_nlp()  # loaded once here; forked workers inherit it
            outputs = _run_pool(items, workers)
        else:
            outputs = _process_chunk(items)
        for members, hits in zip(groups.values(), outputs, strict=True):
            result[members[0]] = hits
            for i in members[1:]:
                result[i] = list(hits)
    if use_prefilter:
        # Notes no pattern can match: a visit note type is a visit by its sökord alone (the
        # detectors give the same hit to a note without candidates).
        from auditor.nlp.detectors import sokord_visit_hit

        passed = set(idx)
        for i in range(n):
            if i not in passed and sokord[i]:
                hit = sokord_visit_hit(texts[i], sokord[i])
                if hit is not None:
                    result[i] = [hit]
    stats.record(
        notes_total=n,
        notes_to_spacy=len(idx),
        docs_to_spacy=len(items),
        words_total=words_total,
        words_to_spacy=words_to_spacy,
        seconds=time.perf_counter() - t0,
    )
    return result
