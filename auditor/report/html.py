"""HTML reports: Jinja2 templates (autoescape on), one page per unit and an index.

Templates live in ``templates/``; a user's own ``template_dir`` is searched first, so any
template (``base.html``, ``_finding.html``, ``report.css`` …) can be overridden by a file
of the same name. The page's only style and script are inline blocks rendered from
``report.css`` and ``report.js``; the Content-Security-Policy allows exactly those by their
SHA-256 hashes and nothing else.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
)

from auditor.findings.result import RunResult
from auditor.report.build import build_pages
from auditor.report.context import Meta
from auditor.report.history_view import history_views

CSS_TEMPLATE = "report.css"
JS_TEMPLATE = "report.js"


class TemplateProblem(Exception):
    """A report template (one of ``--templates``) that cannot be compiled or rendered; the
    message is Swedish and names the template and line."""


def template_problem(exc: TemplateError) -> TemplateProblem:
    where = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", None)
    if not where:  # an error while rendering: the template is the innermost template frame
        tb = exc.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.endswith((".html", ".css", ".js")):
                where, line = name, tb.tb_lineno
            tb = tb.tb_next
    place = f"Rapportmallen {where}" if where else "En rapportmall"
    if line:
        place += f", rad {line}"
    return TemplateProblem(f"{place} kan inte användas. Jinja säger: {exc.message or exc}")


# One environment per template folder and process: its templates are compiled once.
_ENVIRONMENTS: dict[str | None, Environment] = {}


def environment(template_dir: Path | None = None) -> Environment:
    key = str(Path(template_dir).resolve()) if template_dir is not None else None
    env = _ENVIRONMENTS.get(key)
    if env is None:
        env = _ENVIRONMENTS[key] = _new_environment(template_dir)
    return env


def prepare_templates(template_dir: Path | None = None) -> None:
    """Compile every template now, so that a broken template of ``--templates`` is reported
    before the audit, not after it."""
    env = environment(template_dir)
    try:
        for name in env.list_templates():
            env.get_template(name)
    except TemplateError as exc:
        raise template_problem(exc) from None


def _new_environment(template_dir: Path | None) -> Environment:
    loaders: list[BaseLoader] = [PackageLoader("auditor.report", "templates")]
    if template_dir is not None:
        loaders.insert(0, FileSystemLoader(str(template_dir)))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        # Templates are read once per run; no file-system check per include (one per finding).
        auto_reload=False,
    )


def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(env: Environment) -> str:
    """Only the page's own inline style and script run: no network, no other code."""
    css = env.get_template(CSS_TEMPLATE).render()
    js = env.get_template(JS_TEMPLATE).render()
    return (
        "default-src 'none'; "
        f"style-src {csp_hash(css)}; "
        f"script-src {csp_hash(js)}; "
        "base-uri 'none'; form-action 'none'"
    )


def _pages(result: RunResult, template_dir: Path | None) -> Iterator[tuple[str, Iterator[str]]]:
    """File name and the page's text in pieces, for ``index.html`` and every unit's report;
    each page is rendered only when its pieces are taken."""
    env = environment(template_dir)
    csp = content_security_policy(env)

    def make_meta(title: str) -> Meta:
        return Meta(
            title=title,
            version=result.version,
            as_of=result.as_of.isoformat(),
            period_from=result.period_from.isoformat(),
            period_to=result.period_to.isoformat(),
            generated_at=result.generated_at.isoformat(sep=" ", timespec="seconds"),
            pseudonymized=result.pseudonymized,
            csp=csp,
        )

    index, units = build_pages(result, make_meta)
    index_history, unit_history = history_views(result)  # None/{} with --no-history
    yield "index.html", env.get_template("index.html").generate(page=index, history=index_history)
    unit_template = env.get_template("unit.html")
    for unit in units:
        yield unit.filename, unit_template.generate(page=unit, history=unit_history.get(unit.unit))


def render_html(result: RunResult, template_dir: Path | None = None) -> dict[str, str]:
    """File name -> page text for ``index.html`` and every unit's report."""
    pages = {name: "".join(pieces) for name, pieces in _pages(result, template_dir)}
    return {name: text if text.endswith("\n") else text + "\n" for name, text in pages.items()}


def write_html(result: RunResult, out_dir: Path, template_dir: Path | None = None) -> list[Path]:
    """Each page is written as it is rendered, never held whole in memory; the same text
    as ``render_html`` gives (a page always ends with a line break)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        for name, pieces in _pages(result, template_dir):
            path = out_dir / name
            last = ""
            with path.open("w", encoding="utf-8", newline="\n") as fh:
                for piece in pieces:
                    if piece:
                        fh.write(piece)
                        last = piece
                if not last.endswith("\n"):
                    fh.write("\n")
            written.append(path)
    except TemplateError as exc:
        raise template_problem(exc) from None
    return written
