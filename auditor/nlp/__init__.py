"""The Swedish NLP layer: pipeline, lexicons as data, context, detectors, SMART.

Entry points:
- :func:`detect_texts` - TextHits for many note texts (prefilter, batching, process pool);
- :mod:`auditor.nlp.stats` - counters of the NLP stage (``reset()``, ``snapshot()``);
- :func:`auditor.nlp.build.get_nlp` - the spaCy pipeline (built once per process);
- :func:`auditor.nlp.smart.assess_delmal` - SMART verdict for a delmål.
"""

from auditor.nlp import stats
from auditor.nlp.runner import detect_texts

__all__ = ["detect_texts", "stats"]
