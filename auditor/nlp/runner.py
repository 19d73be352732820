"""Running the detectors over many notes: prefilter, batching and a process pool."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date

from auditor.model.records import TextHit
from auditor.nlp.prefilter import candidate_mask

# Above this many candidate notes the work is split over processes.
POOL_THRESHOLD = 20_000
BATCH_SIZE = 256
CHUNK_SIZE = 5_000


def _sent_bounds(span) -> tuple[int, int]:
    sent = span.sent
    toks = [t for t in sent if not t.is_space]
    if not toks:
        return sent.start_char, sent.end_char
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def doc_hits(doc) -> list[TextHit]:
    """The doc's hits as TextHit records (offsets into the note text)."""
    from auditor.nlp.detectors import HITS

    out: list[TextHit] = []
    for span in doc.spans.get(HITS, []):
        s0, s1 = _sent_bounds(span)
        out.append(
            TextHit(
                label=span.label_,
                start=span.start_char,
                end=span.end_char,
                sent_start=s0,
                sent_end=s1,
                negated=span._.negated,
                hypothetical=span._.hypothetical,
                future=span._.future,
                actor=span._.actor,
                refers_to=span._.refers_to,
                detail=span._.detail,
            )
        )
    return out


def annotate_docs(items: Sequence[tuple[str, date | None, str]], *, batch_size: int = BATCH_SIZE):
    """Run the pipeline over (text, date, sokord) items; yields the spaCy docs in order."""
    from auditor.nlp.pipeline import get_nlp

    nlp = get_nlp()

    def docs():
        for text, day, sok in items:
            doc = nlp.make_doc(text or "")
            doc._.note_date = day
            doc._.sokord = sok or ""
            yield doc

    yield from nlp.pipe(docs(), batch_size=batch_size)


def _process_chunk(items: list[tuple[str, date | None, str]]) -> list[list[TextHit]]:
    return [doc_hits(doc) for doc in annotate_docs(items)]


def _init_worker() -> None:
    from auditor.nlp.pipeline import get_nlp

    get_nlp()


def detect_texts(
    texts: Sequence[str],
    dates: Sequence[date | None] | None = None,
    sokord: Sequence[str] | None = None,
    *,
    workers: int | None = None,
    pool_threshold: int = POOL_THRESHOLD,
    use_prefilter: bool = True,
) -> list[list[TextHit]]:
    """TextHits for each text. Only notes the prefilter passes reach spaCy."""
    n = len(texts)
    dates = list(dates) if dates is not None else [None] * n
    sokord = list(sokord) if sokord is not None else [""] * n
    if len(dates) != n or len(sokord) != n:
        raise ValueError("texts, dates and sokord must have the same length")
    result: list[list[TextHit]] = [[] for _ in range(n)]
    if use_prefilter:
        mask = candidate_mask(texts, sokord)
        idx = [i for i in range(n) if mask[i]]
    else:
        idx = list(range(n))
    items = [(texts[i] or "", dates[i], sokord[i] or "") for i in idx]
    if not items:
        return result
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if len(items) > pool_threshold and workers > 1:
        chunks = [items[k : k + CHUNK_SIZE] for k in range(0, len(items), CHUNK_SIZE)]
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
            outputs = [h for chunk in pool.map(_process_chunk, chunks) for h in chunk]
    else:
        outputs = _process_chunk(items)
    for i, hits in zip(idx, outputs, strict=True):
        result[i] = hits
    return result
