"""Command line: `auditor run`, `auditor generate`, `auditor rules`, `auditor explain`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from auditor import __version__

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


# argparse's own words (usage, headings, standard help and errors) in Swedish: argparse looks
# its messages up through its module-level gettext functions at call time.
_ARGPARSE_SV = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "optional arguments": "flaggor",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "show program's version number and exit": "visa programmets version och avsluta",
    "the following arguments are required: %s": "följande argument krävs: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "expected one argument": "flaggan behöver ett värde",
    "expected at least one argument": "flaggan behöver minst ett värde",
    "expected at most one argument": "flaggan tar högst ett värde",
    "invalid %(type)s value: %(value)r": "ogiltigt värde (%(type)s): %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "tvetydig flagga: %(option)s kan vara %(matches)s",
    "not allowed with argument %s": "går inte att kombinera med %s",
    "one of the arguments %s is required": "ett av argumenten %s krävs",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "unexpected option string: %s": "oväntad flagga: %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
}


def _sv(message: str) -> str:
    return _ARGPARSE_SV.get(message, message)


def _sv_n(singular: str, plural: str, n: int) -> str:
    if singular == "expected %s argument":
        return "flaggan behöver %s värde" if n == 1 else "flaggan behöver %s värden"
    return _sv(singular if n == 1 else plural)


setattr(argparse, "_", _sv)  # noqa: B010
setattr(argparse, "ngettext", _sv_n)  # noqa: B010


class _Parser(argparse.ArgumentParser):
    """argparse with Swedish usage errors and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"auditor: fel: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' är inget datum i formen ÅÅÅÅ-MM-DD") from None


def _executor(text: str) -> str:
    if text not in ("local", "dask"):
        raise argparse.ArgumentTypeError(f"'{text}' är ingen exekverare; välj local eller dask")
    return text


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"'{text}' är inget positivt heltal")
    return n


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="auditor",
        description="Granskar journalexporter (social omsorg) mot kommunens rutiner och skriver rapporter.",
    )
    p.add_argument("--version", action="version", version=f"auditor {__version__}",
                   help="visa programmets version och avsluta")
    sub = p.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=_Parser)

    r = sub.add_parser("run", help="granska exporter och skriv rapporter",
                       description="Granskar exportfiler och mappar (läses rekursivt) och skriver "
                                   "findings.json, index.html, en rapport per enhet och findings.xlsx.")
    r.add_argument("inputs", nargs="+", type=Path, metavar="INDATA", help="exportfiler och/eller mappar")
    r.add_argument("--out", type=Path, default=Path("reports"), metavar="MAPP",
                   help="var rapporterna skrivs (standard: reports/)")
    r.add_argument("--as-of", type=_date, metavar="ÅÅÅÅ-MM-DD",
                   help="granskningsdatum: frister bedöms per detta datum (standard: i dag)")
    r.add_argument("--from", dest="period_from", type=_date, metavar="ÅÅÅÅ-MM-DD",
                   help="granskningsperiodens första dag (standard: tidigaste datum i exporterna)")
    r.add_argument("--to", dest="period_to", type=_date, metavar="ÅÅÅÅ-MM-DD",
                   help="granskningsperiodens sista dag (standard: granskningsdatum)")
    r.add_argument("--rules", nargs="+", metavar="PAKET",
                   help="regelpaket att köra (namn som TN, GB, DOK eller sökväg till YAML); "
                        "standard: alla utom valfria paket")
    r.add_argument("--config", type=Path, metavar="FIL", help="TOML-fil med parametrar och enhet→insats")
    r.add_argument("--mapping", type=Path, metavar="FIL", help="TOML-fil med kolumnmappning för avvikande exporter")
    r.add_argument("--pseudonymize", action="store_true",
                   help="ersätt brukares personnummer och namn i alla utdata (kräver nyckel)")
    r.add_argument("--key-file", type=Path, metavar="FIL",
                   help="nyckelfil för pseudonymisering (annars miljövariabeln AUDITOR_PSEUDONYM_KEY)")
    r.add_argument("--templates", type=Path, metavar="MAPP", help="egna rapportmallar som ersätter standardmallarna")
    r.add_argument("--history", type=Path, metavar="FIL",
                   help="historikfil (SQLite) som jämförs med och sparar varje granskning "
                        "(standard: historik.sqlite i utmappen)")
    r.add_argument("--no-history", action="store_true",
                   help="jämför inte med tidigare granskningar och spara ingen historik")
    r.add_argument("--quiet", "-q", action="store_true", help="skriv ingen sammanfattning")
    r.add_argument("--executor", type=_executor, default="local", metavar="{local,dask}",
                   help="var granskningen körs: local = den här datorns kärnor (standard), "
                        "dask = ett Dask-kluster (kräver tillägget auditor[distributed])")
    r.add_argument("--scheduler", metavar="ADRESS",
                   help="Dask-schemaläggarens adress, t.ex. tcp://10.0.0.5:8786 "
                        "(utan den startas ett lokalt kluster)")
    r.add_argument("--workers", type=_positive, metavar="N",
                   help="antal processer (local) eller arbetare i ett lokalt Dask-kluster "
                        "(standard: antalet kärnor)")

    from auditor.generate.cli import add_arguments as add_generate_arguments

    g = sub.add_parser("generate", help="skapa syntetiska exporter med kända brister",
                       description="Skapar en mapp med syntetiska exporter (endast Skatteverkets testpersonnummer) "
                                   "och labels.json med varje planterad brist.")
    add_generate_arguments(g)

    rl = sub.add_parser("rules", help="lista regelpaket och regler",
                        description="Listar regelpaketen och deras regler. 'auditor rules schema' skriver "
                                    "regelpaketens JSON Schema (för editorer som validerar medan man skriver).")
    rl.add_argument("what", nargs="?", choices=["schema"], metavar="schema",
                    help="skriv regelpaketens JSON Schema i stället för listan")
    rl.add_argument("--rules", nargs="+", metavar="PAKET",
                    help="bara dessa paket (namn som TN eller sökväg till en egen YAML-fil)")
    rl.add_argument("--format", choices=["text", "json", "markdown"], default="text", metavar="FORMAT",
                    help="text (standard), json (maskinläsbar lista) eller markdown (full dokumentation)")
    rl.add_argument("--markdown", action="store_true", help="samma som --format markdown")

    rv = sub.add_parser("review", help="granskningsbeslut från åtgärdslistan",
                        description="Granskningsbeslut (Bekräftad, Åtgärdad, Falskt larm, Motiverad avvikelse).")
    rv_sub = rv.add_subparsers(dest="review_command", metavar="KOMMANDO", parser_class=_Parser, required=True)
    ri = rv_sub.add_parser("import", help="läs in ifyllda beslut från findings.xlsx",
                           description="Läser bladet Åtgärdslista (kolumnerna Fynd-id, Beslut, Kommentar, "
                                       "Granskad av, Gäller till) och sparar besluten i historiken. Nästa "
                                       "körning visar dem.")
    ri.add_argument("workbook", type=Path, metavar="FIL.xlsx", help="ifylld åtgärdslista")
    ri.add_argument("--history", type=Path, metavar="FIL",
                    help="historikfilen (standard: historik.sqlite i samma mapp som FIL.xlsx)")
    ri.add_argument("--date", type=_date, metavar="ÅÅÅÅ-MM-DD", help="beslutsdatum (standard: i dag)")

    h = sub.add_parser("history", help="visa eller rensa historiken",
                       description="Historiken över granskningar (historik.sqlite).")
    h_sub = h.add_subparsers(dest="history_command", metavar="KOMMANDO", parser_class=_Parser, required=True)
    hl = h_sub.add_parser("list", help="lista sparade granskningar")
    hl.add_argument("--history", type=Path, default=Path("reports") / "historik.sqlite", metavar="FIL",
                    help="historikfilen (standard: reports/historik.sqlite)")
    hf = h_sub.add_parser("forget", help="ta bort gamla granskningar (gallring)",
                          description="Tar bort granskningar med granskningsdatum före DATUM, med deras fynd, "
                                      "och beslut som bara gällde dem.")
    hf.add_argument("--before", type=_date, required=True, metavar="ÅÅÅÅ-MM-DD",
                    help="ta bort granskningar med granskningsdatum före detta datum")
    hf.add_argument("--history", type=Path, default=Path("reports") / "historik.sqlite", metavar="FIL",
                    help="historikfilen (standard: reports/historik.sqlite)")

    e = sub.add_parser("explain", help="visa en regels krav, källa och exempel")
    e.add_argument("rule", metavar="REGEL", help="regel-id, t.ex. TN1")
    e.add_argument("--rules", nargs="+", metavar="PAKET",
                   help="sök även i dessa regelpaket (namn eller sökväg till en YAML-fil)")

    ev = sub.add_parser("evaluate", help="mät träffsäkerheten mot en märkt korpus",
                        description="Granskar KORPUS/exports och jämför bristerna per regel och ärende "
                                    "med KORPUS/labels.csv: precision, täckning (recall) och F1 per regel. "
                                    "En brist på ett par (regel, ärende) som saknas i labels.csv räknas "
                                    "som falsk. Med en taggfil (KORPUS/tags.csv eller --tags) mäts även "
                                    "varje detektor per anteckning.")
    ev.add_argument("corpus", type=Path, metavar="KORPUS", help="mapp med exports/ och labels.csv")
    ev.add_argument("--as-of", type=_date, metavar="ÅÅÅÅ-MM-DD",
                    help="granskningsdatum (standard: i dag)")
    ev.add_argument("--tags", type=Path, metavar="FIL",
                    help="taggfil med anteckningarnas facit (standard: KORPUS/tags.csv om den finns)")
    ev.add_argument("--verbose", "-v", action="store_true", help="lista varje falsk och missad träff")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return {"run": _run, "generate": _generate, "rules": _rules, "explain": _explain,
                "evaluate": _evaluate, "review": _review, "history": _history}[args.command](args)
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`auditor rules | head`): stop quietly, and keep Python from
        # complaining again when it flushes stdout at exit.
        _silence_stdout()
        return EXIT_OK


def entry() -> None:
    """The ``auditor`` command (and ``python -m auditor``): :func:`main`, then the process ends.

    Everything still allocated is frozen first, so the interpreter's collections at shutdown
    do not walk a large audit's objects once more (about 0.2 s after a unit's month): they
    would all be freed with the process anyway. Programs and tests that call :func:`main`
    keep their collector as it was."""
    import gc

    code = main()
    gc.freeze()
    raise SystemExit(code)


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _usage_error(message: str) -> int:
    for line in message.splitlines():
        print(f"auditor: {line}", file=sys.stderr)
    return EXIT_USAGE


def _run(args: argparse.Namespace) -> int:
    from auditor.pipeline import RunOptions, UsageError, run

    opts = RunOptions(
        inputs=args.inputs, out=args.out, as_of=args.as_of, period_from=args.period_from,
        period_to=args.period_to, rules=args.rules, config=args.config, mapping=args.mapping,
        pseudonymize=args.pseudonymize, key_file=args.key_file, template_dir=args.templates,
        history=args.history, no_history=args.no_history,
        executor=args.executor, scheduler=args.scheduler, workers=args.workers,
    )
    try:
        outcome = run(opts)
    except UsageError as exc:
        return _usage_error(str(exc))
    if not args.quiet:
        try:
            print_summary(outcome)
            if outcome.history is not None:
                print(history_line(outcome.result, outcome.history))
            sys.stdout.flush()
        except BrokenPipeError:  # the reports are written; the summary's reader has gone
            _silence_stdout()
    return outcome.exit_code


def _evaluate(args: argparse.Namespace) -> int:
    from auditor.evaluation import CorpusError, evaluate_corpus, format_evaluation
    from auditor.pipeline import UsageError

    try:
        ev = evaluate_corpus(args.corpus, as_of=args.as_of, tags=args.tags)
    except (CorpusError, UsageError) as exc:
        print(f"auditor: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(format_evaluation(ev, verbose=args.verbose))
    return EXIT_OK


def history_line(result, path) -> str:
    """One line on what the history says: new, remaining, resolved and set aside."""
    layer = result.history
    if layer is None or not any(layer.compared.values()):
        return f"Historik: {path} (första granskningen att jämföra med)."
    action = [f for f in result.findings if f.status in ("violation", "warning")]
    new = sum(1 for f in action if layer.changes.get(f.id) == "ny" and f.id not in layer.reviewed_away)
    remaining = sum(1 for f in action if layer.changes.get(f.id) == "kvarstår" and f.id not in layer.reviewed_away)
    return (f"Sedan förra granskningen: {new} nya, {remaining} kvarstår, {len(layer.resolved)} åtgärdade, "
            f"{len(layer.reviewed_away)} granskade. Historik: {path}")


def _review(args: argparse.Namespace) -> int:
    from auditor.history import HistoryError, default_path
    from auditor.history.review_import import ReviewFileError, import_reviews

    path = args.history or default_path(args.workbook.parent)
    try:
        report = import_reviews(path, args.workbook, decided=args.date)
    except (HistoryError, ReviewFileError) as exc:
        print(f"auditor: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for line in report.lines():
        print(line)
    print(f"Historik: {path}")
    return EXIT_REJECTED if report.refused else EXIT_OK


def _history(args: argparse.Namespace) -> int:
    from auditor.history import HistoryError
    from auditor.history.forget import forget_before, list_runs

    try:
        if args.history_command == "forget":
            for line in forget_before(args.history, args.before).lines(args.before):
                print(line)
        else:
            for line in list_runs(args.history):
                print(line)
    except HistoryError as exc:
        print(f"auditor: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def print_summary(outcome) -> None:
    from auditor.findings.summary import summary_lines

    for line in summary_lines(outcome.result, outcome.written):
        print(line)


def _generate(args: argparse.Namespace) -> int:
    from auditor.generate.cli import run as run_generate

    return run_generate(args)


def _rules(args: argparse.Namespace) -> int:
    from auditor.rules.packs import PackError, load_packs

    if args.what == "schema":
        from auditor.rules.schema import pack_json_schema_text

        sys.stdout.write(pack_json_schema_text())
        return EXIT_OK
    try:
        packs = load_packs(args.rules) if args.rules else load_packs(None) + load_packs(["DOK"])
    except PackError as exc:
        return _usage_error(str(exc))
    fmt = "markdown" if args.markdown else args.format
    if fmt == "markdown":
        from auditor.rules.docs import packs_markdown

        sys.stdout.write(packs_markdown(packs))
        return EXIT_OK
    if fmt == "json":
        from auditor.rules.docs import packs_json

        sys.stdout.write(packs_json(packs))
        return EXIT_OK
    today = date.today()
    for pack in packs:
        info = pack.info
        valid = f"gäller till {info.valid_until}" if info.valid_until else "gäller tills vidare"
        expired = "  (GILTIGHETSTIDEN HAR GÅTT UT)" if info.expired(today) else ""
        optional = "  [valfritt: körs bara med --rules]" if info.optional else ""
        print(f"{info.name}  {info.title}\n    {info.issuer}; beslutad {info.decided or '–'}, {valid}{expired}{optional}")
        for r in pack.rules:
            print(f"  {r.id:<5} {r.severity:<8} {r.strength:<13} {r.title}")
        print()
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    from auditor.rules.packs import load_packs

    wanted = args.rule.upper()
    extra = load_packs(args.rules) if getattr(args, "rules", None) else []
    for pack in load_packs(None) + load_packs(["DOK"]) + extra:
        for r in pack.rules:
            if r.id == wanted:
                print(f"{r.id} {r.name}: {r.title}")
                print(f"Allvarlighet: {r.severity}   Styrka: {r.strength}")
                print(f"Källa: {pack.info.title} ({pack.info.issuer}), avsnitt ”{r.section}”")
                print(f"Krav: ”{r.quote}”")
                if pack.info.expired(date.today()):
                    print(f"OBS: rutinens giltighetstid gick ut {pack.info.valid_until}.")
                print(f"\nVad kontrolleras\n  {r.doc['checks']}\nVarför\n  {r.doc['why']}")
                print(f"Exempel som brister\n  {r.doc['fails']}\nExempel som uppfyller\n  {r.doc['passes']}")
                if r.params:
                    print("\nParametrar (kan ändras med --config)")
                    for p in r.params.values():
                        own = "  (granskningens eget antagande)" if p.local_default else ""
                        print(f"  {p.name} = {p.with_unit(p.default)}: {p.description}{own}")
                if r.logic is not None:
                    from auditor.rules.logic import describe_logic

                    print("\nLogik (data i regelpaketet, körs av den generiska kontrollen)")
                    for line in describe_logic(r.logic, r.defaults()):
                        print(f"  {line}")
                else:
                    print("\nLogik: egen Python-kontroll (regeln är för oregelbunden för regeldata).")
                return EXIT_OK
    print(f"auditor: okänd regel '{args.rule}'. Se 'auditor rules'.", file=sys.stderr)
    return EXIT_USAGE
