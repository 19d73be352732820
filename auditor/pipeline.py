"""One audit run: ingest → model → events/NLP → rules → findings → outputs."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from auditor import __version__, progress
from auditor.config import Config, load_config
from auditor.executor import batch_gc
from auditor.findings.json_writer import write_json
from auditor.findings.result import CaseInfo, RuleInfo, RunResult
from auditor.model.dataset import Dataset, exclude_after, prepare_tables
from auditor.rules.checks import load_all
from auditor.rules.context import Period
from auditor.rules.packs import Pack, builtin_pack_paths, load_pack, load_packs
from auditor.rules.spans import export_spans

if TYPE_CHECKING:
    from auditor.executor.local import LocalExecutor
    from auditor.history import AuditSession


class UsageError(Exception):
    """A problem with how the command was called (exit status 2); the message is Swedish."""


@dataclass
class RunOptions:
    inputs: list[Path]
    out: Path = Path("reports")
    as_of: date | None = None
    period_from: date | None = None
    period_to: date | None = None
    rules: list[str] | None = None
    config: Path | None = None
    mapping: Path | None = None
    pseudonymize: bool = False
    key_file: Path | None = None
    template_dir: Path | None = None
    write_reports: bool = True
    history: Path | None = None  # None: historik.sqlite in ``out``
    no_history: bool = False
    executor: str = "local"  # "local" (this machine) or "dask"
    scheduler: str | None = None  # Dask scheduler address; None starts a local cluster
    workers: int | None = None  # processes (local) or Dask workers of a local cluster

    @property
    def history_path(self) -> Path | None:
        """Where this run's history is kept, or None with --no-history. Always explicit, so
        writing the outputs never replaces or deletes it."""
        if self.no_history:
            return None
        from auditor.history import default_path

        return self.history or default_path(self.out)


@dataclass
class RunOutcome:
    result: RunResult
    written: list[Path] = field(default_factory=list)
    history: Path | None = None  # the history file this run was recorded in
    # wall seconds per stage; nlp/rules/model are summed over the processes that ran chunks
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        if not any(r.kind not in ("skipped", "unreadable") for r in self.result.inputs):
            return 2
        return 1 if self.result.any_input_rejected else 0


def _load_rules(opts: RunOptions) -> tuple[list[Pack], Config]:
    from auditor.config import ConfigError
    from auditor.rules.packs import PackError

    try:
        packs = load_packs(opts.rules)
        builtin = [load_pack(path) for path in builtin_pack_paths()]
        shipped = {p.name for p in builtin}
        known = builtin + [p for p in packs if p.name not in shipped]
        config = load_config(opts.config, known)
    except (PackError, ConfigError) as exc:
        raise UsageError(str(exc)) from exc
    checks = load_all()
    for pack in packs:
        for rule in pack.rules:
            if not rule.logic and rule.id not in checks:
                raise UsageError(
                    f"Regelpaketet {pack.path}, regel {rule.id}: regeln har ingen logik (fältet 'logic') "
                    "och ingen kontroll i Python, så den kan inte köras.")
    return packs, config


def _rule_infos(packs: list[Pack], config: Config, cases: dict[str, CaseInfo]) -> dict[str, RuleInfo]:
    """Each rule's report metadata, with the settings that change it ("Lokal tolkning")."""
    missing_units = config.unknown_units(u for c in cases.values() for u in c.units)
    for _unit, _ids, warning in missing_units:
        print(f"auditor: varning: {warning}", file=sys.stderr)
    infos = {}
    for rule in (r for p in packs for r in p.rules):
        info = rule.info
        notes = config.notes_for(rule) + [w for _u, ids, w in missing_units if rule.id in ids]
        if notes:
            overridden = config.overridden(rule)
            local = [p for p in rule.params.values() if p.local_default and p.name not in overridden]
            if local:
                notes.insert(0, "Granskningens eget antagande (rutinen anger ingen siffra): " + "; ".join(
                    f"{p.description.lower()}: {p.with_unit(p.default)}" for p in local) + ".")
            info = replace(info, local_default_note=" ".join(notes))
        infos[rule.id] = info
    return infos


def _mapping(opts: RunOptions):
    if opts.mapping is None:
        return None
    from auditor.ingest import MappingProfile

    try:
        return MappingProfile.load(opts.mapping)
    except ValueError as exc:  # MappingProfileError: Swedish, names the file
        raise UsageError(str(exc)) from exc
    except OSError as exc:
        raise UsageError(f"Mappningsprofilen {opts.mapping} kan inte läsas: {exc.strerror}") from exc


def _period(
    opts: RunOptions, as_of: date, dataset: Dataset, plausible_start: date | None = None
) -> Period:
    """The audit period; ``dataset`` only needs its inputs-wide facts (no cases)."""
    end = opts.period_to or as_of
    start = opts.period_from
    if start is None:
        # The first day of the month of the earliest event-export date (output contract);
        # without any event export, of the earliest date at all.
        start = export_spans(dataset).period_start()
        if start is None and dataset.date_span:
            start = dataset.date_span[0].replace(day=1)
        start = start or end
        if start < date(1900, 1, 1):  # an impossible date (warned about) stretches nothing
            start = plausible_start.replace(day=1) if plausible_start else end
        start = min(start, end)
    if start > end:
        raise UsageError(f"Perioden är tom: --from {start} ligger efter --to {end}.")
    return Period(start, end, explicit=opts.period_from is not None)


def _executor(opts: RunOptions, keep_cases: bool = False):
    if opts.executor == "dask":
        from auditor.executor.dask import DaskExecutor, DaskUnavailable

        try:
            return DaskExecutor(opts.scheduler, opts.workers)
        except DaskUnavailable as exc:
            raise UsageError(str(exc)) from None
    if opts.scheduler:
        raise UsageError("--scheduler gäller bara med --executor dask.")
    from auditor.executor.local import LocalExecutor

    if keep_cases:  # the caller wants the whole annotated dataset: one chunk, this process
        return LocalExecutor(1, chunk_rows=2**62)
    return LocalExecutor(opts.workers)


def run(opts: RunOptions, *, on_dataset: Callable[[Dataset], object] | None = None) -> RunOutcome:
    """Audit the inputs; ``on_dataset`` sees the annotated dataset (``auditor evaluate``; the
    cases are then audited in one chunk in this process)."""
    as_of = opts.as_of or date.today()
    with batch_gc():
        early = _warm_local_executor(opts, on_dataset is not None)
        try:
            return _checked_run(opts, as_of, early, on_dataset)
        finally:
            if early is not None:
                early.close(kill=True)  # closed already after a finished audit


def _warm_local_executor(opts: RunOptions, keep_cases: bool) -> LocalExecutor | None:
    """The default executor, started before the settings are checked so that its workers
    load the NLP meanwhile (a unit's month: about 2.6 s from start-up on two cores); None
    for Dask or when the cases are kept in this process."""
    if opts.executor != "local" or keep_cases or opts.scheduler:
        return None
    from auditor.executor.local import LocalExecutor

    executor = LocalExecutor(opts.workers)
    executor.warm(list(opts.inputs), exclude=[opts.out])
    return executor


def _checked_run(opts: RunOptions, as_of: date, early: LocalExecutor | None,
                 on_dataset: Callable[[Dataset], object] | None) -> RunOutcome:
    packs, config = _load_rules(opts)
    key = _privacy_key(opts)
    mapping = _mapping(opts)
    for p in opts.inputs:
        if not p.exists():
            raise UsageError(f"Hittar inte {p}: ange en exportfil eller en mapp med exporter.")

    folder = _output_folder(opts)
    try:
        return _run(opts, folder, as_of, packs, config, key, mapping, on_dataset, early)
    finally:
        folder.abort()  # a run that failed or was interrupted leaves --out as it was


def _output_folder(opts: RunOptions):
    from auditor.report.output import OutputError, OutputFolder

    folder = OutputFolder(opts.out, list(opts.inputs))
    try:
        folder.prepare()
    except OutputError as exc:
        raise UsageError(str(exc)) from exc
    return folder


def _in_every_unit(findings: list, cases: dict[str, CaseInfo]) -> list:
    """A case seen in several units is reported under each of them: its case-level findings
    (judged once for the case, filed under its main unit) are shown under every other unit
    the case was seen in too, unless that unit already has the rule's finding for the case.
    Findings about one event stay with the unit where the event happened."""
    multi = {k: c.units for k, c in cases.items() if len(c.units) > 1}
    if not multi:
        return findings
    have = {(f.case, f.unit, f.rule) for f in findings}
    extra = []
    for f in findings:
        units = multi.get(f.case)
        if not units or f.unit != units[0] or f.basis == "occasion":
            continue
        for unit in units[1:]:
            if (f.case, unit, f.rule) not in have:
                extra.append(replace(f, unit=unit, key=f"{f.key}|{unit}", evidence=list(f.evidence)))
    if not extra:
        return findings
    from auditor.findings.model import Finding

    return sorted(findings + extra, key=Finding.sort_key)


def _run(opts, folder, as_of, packs, config, key, mapping, on_dataset, early=None) -> RunOutcome:
    from auditor.executor import AuditJob, clear_cache
    from auditor.ingest.plausibility import check as check_plausibility

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    with early if early is not None else _executor(opts, on_dataset is not None) as executor:
        timings["start"] = time.perf_counter() - t0
        t = time.perf_counter()
        loaded = executor.read(list(opts.inputs), mapping, exclude=[opts.out])
        exclude_after(loaded, as_of)
        plausible_start = check_plausibility(loaded, as_of)
        timings["read"] = time.perf_counter() - t
        t = time.perf_counter()
        tables, meta = prepare_tables(loaded, config.unit_insats)
        for li in loaded:  # the tables hold the rows now; only the reports are kept
            li.frame = None
        period = _period(opts, as_of, meta, plausible_start)
        timings["prepare"] = time.perf_counter() - t
        progress.step(f"Läste {len(loaded)} indata, {len(tables.case_rows())} ärenden.")
        t = time.perf_counter()
        clear_cache()
        job = AuditJob(packs, config, as_of, period, meta, keep_cases=on_dataset is not None)
        if opts.write_reports and opts.template_dir is not None:
            _prepare_templates(opts)  # one's own templates: a broken one fails before the audit
        merged = executor.audit(job, tables)
        clear_cache()
        timings["cases"] = time.perf_counter() - t
        del tables
    for stage, seconds in merged.seconds.items():
        timings[f"cases.{stage}"] = seconds
    if on_dataset is not None and merged.dataset is not None:
        on_dataset(merged.dataset)
    rules = _rule_infos(packs, config, merged.cases)
    result = RunResult(
        version=__version__, as_of=as_of, period_from=period.start, period_to=period.end,
        generated_at=datetime.now().replace(microsecond=0), inputs=[li.report for li in loaded],
        findings=_in_every_unit(merged.findings, merged.cases), packs=[p.info for p in packs],
        rules=rules, cases=merged.cases,
    )
    outcome = RunOutcome(result, timings=timings)
    has_input = any(r.kind not in ("skipped", "unreadable") for r in result.inputs)
    steps = 2 + int(opts.write_reports) if has_input else 1
    with progress.bar(steps, "Skriver rapporter", unit=" steg") as tick:
        t = time.perf_counter()
        result = outcome.result = _protect(result, opts, key)
        timings["protect"] = time.perf_counter() - t
        tick(1)
        if has_input:
            with _history(opts, result, key) as session:
                stage = folder.stage
                # A large audit writes its reports in a forked process while this one writes
                # findings.json and the history (the child sees the result as it is: nothing
                # is copied or pickled); a small one writes them in turn.
                # Two children: the HTML pages, and the XLSX with the CSV.
                children = ([_ReportProcess(result, opts, stage, part) for part in REPORT_SPLIT]
                            if opts.write_reports and len(result.findings) >= PARALLEL_REPORTS_FINDINGS
                            else [])
                try:
                    t = time.perf_counter()
                    staged = [write_json(result, stage)]
                    timings["json"] = time.perf_counter() - t
                    tick(1)
                    if session is not None:
                        t = time.perf_counter()
                        session.record()
                        timings["history"] = time.perf_counter() - t
                        outcome.history = session.history.path
                except BaseException:
                    for child in children:
                        child.stop()
                    raise
                if opts.write_reports:
                    t = time.perf_counter()
                    if children:
                        paths = []
                        try:
                            for child in children:
                                got, seconds = child.result()
                                paths += got
                                timings["reports"] = max(timings.get("reports", 0.0), seconds)
                        finally:
                            for child in children:
                                child.stop()
                    else:
                        paths = _write_reports(result, opts, stage)
                        timings["reports"] = time.perf_counter() - t
                    staged.extend(paths)
                    tick(1)
                outcome.written = folder.commit(staged)
    return outcome


@contextmanager
def _history(opts: RunOptions, result: RunResult, key: bytes | None) -> Iterator[AuditSession | None]:
    """The run's history session (``result.history`` set), or None with --no-history. The run
    is recorded, in one transaction, only if writing the outputs succeeds."""
    path = opts.history_path
    if path is None:
        yield None
        return
    from auditor.history import HistoryError, audit_session

    try:
        with audit_session(path, result, key=key) as session:
            result.history = session.layer
            for f in result.findings:
                f.change = session.layer.changes.get(f.id)
                f.review = session.layer.reviews.get(f.id)
            yield session
    except HistoryError as exc:
        raise UsageError(str(exc)) from exc


def _privacy_key(opts: RunOptions) -> bytes | None:
    from auditor.privacy.keys import KeyMissing, load_key

    try:
        return load_key(opts.key_file, required=opts.pseudonymize)
    except KeyMissing as exc:
        raise UsageError(str(exc)) from exc


def _protect(result: RunResult, opts: RunOptions, key: bytes | None) -> RunResult:
    from auditor.privacy import protect

    return protect(result, pseudonymize=opts.pseudonymize, key=key)


def _prepare_templates(opts: RunOptions) -> None:
    from auditor.report.html import TemplateProblem, prepare_templates

    try:
        prepare_templates(opts.template_dir)
    except TemplateProblem as exc:
        raise UsageError(str(exc)) from None


def _write_reports(result: RunResult, opts: RunOptions, out: Path,
                   parts: tuple[str, ...] | None = None) -> list[Path]:
    from auditor.report import REPORT_PARTS, write_reports
    from auditor.report.html import TemplateProblem

    try:
        return write_reports(result, out, template_dir=opts.template_dir, parts=parts or REPORT_PARTS)
    except TemplateProblem as exc:
        raise UsageError(str(exc)) from None


# From this many findings the reports are written in forked processes (a unit's month).
PARALLEL_REPORTS_FINDINGS = 10_000
REPORT_SPLIT = (("html",), ("xlsx", "csv"))


class _ReportProcess:
    """``_write_reports`` in a forked child, started at once; ``result()`` waits for it and
    returns (files, seconds) or raises the child's exception. Without ``fork`` (or with a
    single core) the reports are written in this process when ``result()`` is asked for."""

    def __init__(self, result: RunResult, opts: RunOptions, out: Path,
                 parts: tuple[str, ...] | None = None) -> None:
        import multiprocessing as mp

        from auditor.executor import available_cpus

        self._args = (result, opts, out, parts)
        self._proc = None
        if "fork" not in mp.get_all_start_methods() or available_cpus() < 2:
            return
        ctx = mp.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_report_child, args=(send, *self._args), daemon=True)
        self._proc.start()
        send.close()

    def stop(self) -> None:
        """End the child if it still runs (without waiting for its reports: the run failed)."""
        if self._proc is not None and self._proc.is_alive():
            self._proc.terminate()
        if self._proc is not None:
            self._proc.join()

    def result(self) -> tuple[list[Path], float]:
        if self._proc is None:
            t = time.perf_counter()
            return _write_reports(*self._args), time.perf_counter() - t
        try:
            ok, payload, seconds = self._recv.recv()
        except EOFError:
            ok, payload, seconds = False, RuntimeError("rapportprocessen avslutades oväntat"), 0.0
        self._proc.join()
        if not ok:
            raise payload
        return payload, seconds


def _report_child(send, result: RunResult, opts: RunOptions, out: Path,
                  parts: tuple[str, ...] | None) -> None:
    t = time.perf_counter()
    try:
        paths = _write_reports(result, opts, out, parts)
    except BaseException as exc:  # handed to the parent, which raises it
        try:
            send.send((False, exc, 0.0))
        except Exception:  # an exception that does not pickle
            send.send((False, RuntimeError(f"{type(exc).__name__}: {exc}"), 0.0))
        return
    send.send((True, paths, time.perf_counter() - t))
