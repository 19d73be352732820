"""Stage boundaries: the layout is the flow (ARCHITECTURE.md), and imports follow it.

ingest -> model -> nlp -> events -> rules -> findings -> privacy -> history -> report. A stage may import
its own modules and earlier stages, never a later stage (events must not import rules,
findings must not import privacy), except the few data contracts that travel between stages
(the canonical tables' schema and records, Finding/Evidence, RunResult). No module imports
another package's private names, and the modules of a stage import each other without a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "auditor"
ORDER = ("ingest", "model", "nlp", "events", "rules", "findings", "privacy", "history", "report")
# Data types that cross stages: what one stage hands the next.
CONTRACTS = {
    "auditor.model.schema", "auditor.model.accounting", "auditor.model.normalise",
    "auditor.model.records", "auditor.findings.model", "auditor.findings.result",
}
# Top-level modules a stage may use: the version, the user's settings, terminal progress,
# precision and recall.
SHARED = {"auditor", "auditor.config", "auditor.progress", "auditor.scoring"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PKG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PKG.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(path: Path) -> list[tuple[str, str, int]]:
    """(module, imported name or '', line) for every auditor import, lazy ones included,
    annotations-only imports (``if TYPE_CHECKING:``) left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and _is_type_checking(node)
            for child in node.body for n in ast.walk(child)}
    out = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("auditor"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                if sub in MODULES:  # `from auditor.nlp import lexicon` imports the module
                    out.append((sub, "", node.lineno))
                else:
                    out.append((node.module, alias.name, node.lineno))
        elif isinstance(node, ast.Import):
            out += [(a.name, "", node.lineno) for a in node.names if a.name.startswith("auditor")]
    return out


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ORDER else None


def test_no_stage_imports_a_later_stage() -> None:
    wrong = []
    for name, path in sorted(MODULES.items()):
        stage = _stage(name)
        if stage is None:
            continue  # cli, pipeline, config and the generator wire the stages together
        for target, _, line in _imports(path):
            tstage = _stage(target)
            if target in CONTRACTS or target in SHARED or tstage == stage:
                continue
            if tstage is None or ORDER.index(tstage) > ORDER.index(stage):
                wrong.append(f"{path.relative_to(PKG.parent)}:{line} ({stage}) imports {target}")
    assert not wrong, "imports against the flow:\n" + "\n".join(wrong)


def test_no_private_names_across_packages() -> None:
    wrong = []
    for name, path in sorted(MODULES.items()):
        package = name.split(".")[:2]
        for target, imported, line in _imports(path):
            if imported.startswith("_") and not imported.startswith("__") and target.split(".")[:2] != package:
                wrong.append(f"{path.relative_to(PKG.parent)}:{line} imports {target}.{imported}")
    assert not wrong, "private names used from another package:\n" + "\n".join(wrong)


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


@pytest.mark.parametrize("package", ["auditor.nlp", "auditor.events", "auditor.ingest", "auditor.model", "auditor.rules", "auditor.findings", "auditor.privacy", "auditor.report", "auditor.generate"])
def test_no_import_cycle_inside_a_stage(package: str) -> None:
    graph = {
        name: {t for t, _, _ in _imports(path) if t.startswith(package + ".") and t != name}
        for name, path in MODULES.items() if name.startswith(package + ".")
    }
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """The walk above finds lazy imports inside functions (the usual way a cycle hides)."""
    src = tmp_path / "m.py"
    src.write_text("def f():\n    from auditor.rules.checks.common import note_evidence\n", encoding="utf-8")
    assert _imports(src) == [("auditor.rules.checks.common", "note_evidence", 2)]
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
