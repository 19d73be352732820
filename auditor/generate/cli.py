"""Command line of the generator: ``auditor generate`` and ``python -m auditor.generate``.

The main CLI can reuse ``add_arguments(subparser)`` and ``run(args)``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from .units import DEFAULT_AS_OF, DEFAULT_RATE, UNITS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The generator's options, for ``auditor generate`` as well."""
    parser.add_argument("--clients", type=int, required=True, help="antal brukare")
    parser.add_argument("--months", type=int, required=True, help="antal månader före as-of-datum")
    parser.add_argument(
        "--seed", type=int, required=True, help="slumpfrö (samma frö ger samma filer)"
    )
    parser.add_argument("--out", type=Path, required=True, help="mapp att skriva exporten till")
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        help=f"granskningsdatum, förval {DEFAULT_AS_OF.isoformat()}",
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=DEFAULT_RATE,
        help="andel ärenden per regel med planterad brist (förval 0,15)",
    )
    parser.add_argument(
        "--units",
        nargs="+",
        default=None,
        metavar="ENHET",
        help="urval av enheter: " + ", ".join(f'"{u.name}"' for u in UNITS),
    )


def run(args: argparse.Namespace) -> int:
    from .core import generate

    try:
        summary = generate(
            args.out,
            clients=args.clients,
            months=args.months,
            seed=args.seed,
            as_of=args.as_of,
            rate=args.rate,
            units=args.units,
        )
    except (ValueError, OSError) as exc:
        print(f"auditor generate: {exc}", file=sys.stderr)
        return 2
    print(summary.describe())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m auditor.generate",
        description="Skapa syntetiska journalexporter med facit (labels.json).",
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))
