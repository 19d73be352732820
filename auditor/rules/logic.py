"""The declarative rule vocabulary: a rule's logic as data, read by one generic check.

Most routine requirements have the same shape: *when something happens* (a trigger: an event
in the journal or bookings, or a date in an export), *something else must be documented*
(evidence: labels in notes, rows of an export, who may provide it) *within a window* (days,
working days, calendar months or hours; before or after; inclusive). Which triggers are
judged, when an open deadline warns, and the Swedish messages complete it. A pack states it
under ``logic:``; ``auditor/rules/generic.py`` runs it. Irregular rules keep a Python check.

Numbers may be a literal or the name of one of the rule's parameters, so a unit's
``--config`` override changes the window without touching the logic.

Example (TN4)::

    logic:
      trigger: {event: DECLINE}
      evidence:
        - {labels: [MOTIVATION, ALT_OFFERED], window: {end: window_days}}
      messages:
        ok: "Motivationsarbetet är dokumenterat ({met})."
        missed: "Brukaren tackade nej {date}, men det framgår inte hur personalen försökte motivera."
        open: "Brukaren tackade nej {date}; motivationsarbete ska dokumenteras senast {due}."
"""

from __future__ import annotations

from string import Formatter
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Number = int | str  # a literal, or the name of one of the rule's parameters ("-name": negated)

# Event labels a trigger may name (catalogue, "Events and evidence"), and the hit labels
# that stand for an event whose actor the text does not tell.
EVENT_LABELS = (
    "DECLINE", "SERVICE_CANCEL", "NOT_HOME", "HOSPITAL", "CONCERN", "CANCELLED",
)
TEXT_LABELS = (
    "DECLINE", "SERVICE_CANCEL", "NOT_HOME", "HOSPITAL", "CONCERN", "ALT_OFFERED",
    "ALT_NOT_POSSIBLE", "INFORMED", "DEVIATION", "REASON", "MOTIVATION", "CASEWORKER_CONTACT",
    "CONTACT", "CONTACT_ATTEMPT", "VISIT_DONE", "THREE_DAY_ROUTINE", "SUMMARY", "END_NOTE",
    "HOME_TALK", "TERM_TALK", "WELCOME_PACK", "PLAN_DONE", "VALUE_WORD", "CANCELLED",
)
ACTORS = ("individual", "staff", "caseworker", "third_party", "unknown")
# Date columns a trigger may start from: "<export>.<column>".
TRIGGER_DATES = (
    "uppdrag.uppdrag_inkommit", "uppdrag.beslutsdatum", "uppdrag.verkstallighetsdatum",
    "uppdrag.slutdatum", "vistelse.slut",
)
# Evidence from structured exports rather than journal text.
EXPORT_EVIDENCE = (
    "avvikelse",                      # an avvikelse row for the person (or the enhet, see TN1)
    "besok.utford",                   # a booking carried out in the window
    "besok.orsak",                    # the occasion's booking gives a cause
    "uppdrag.verkstallighetsdatum",   # the trigger row's verkställighetsdatum
    "plan.klar",                      # a finished genomförandeplan (klar/fastställd/aktiv)
    "plan.utkast",                    # a draft plan: only ever partial evidence
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Window(_Model):
    """Days relative to the trigger, both ends inclusive; negative means before it."""

    start: Number = 0
    end: Number = 0
    unit: Literal["days", "workdays", "months", "hours"] = "days"


class Trigger(_Model):
    """What starts the clock: an event (one occasion per case, day and kind) or a date column."""

    event: str | None = None
    # Hit labels that may be this event but do not say who acted: an uncertain occasion,
    # which gives a warning asking a person to look, never a violation.
    uncertain: tuple[str, ...] = ()
    # Reports of one event within this many days of the first are the same occasion.
    same_within_days: Number = 0
    # The occasion's day: the day the event happened (a note's back-reference moves it), or
    # the day of the first note that reports it (the clock runs from the report).
    dated_by: Literal["event", "report"] = "event"
    date: str | None = None
    # Only triggers whose date lies in the audit period ("a new individual").
    in_period_only: bool = False
    # A trigger row without the date: not_evaluated (say which column), or skip it
    # (the thing has not happened yet: not verkställd, not ended).
    when_missing: Literal["not_evaluated", "skip"] = "skip"

    @model_validator(mode="after")
    def _one_kind(self) -> Trigger:
        if (self.event is None) == (self.date is None):
            raise ValueError("ange antingen 'event' eller 'date'")
        if self.event is not None and self.event not in EVENT_LABELS:
            raise ValueError(f"okänd händelse '{self.event}' (tillåtna: {', '.join(EVENT_LABELS)})")
        if self.date is not None and self.date not in TRIGGER_DATES:
            raise ValueError(f"okänt datumfält '{self.date}' (tillåtna: {', '.join(TRIGGER_DATES)})")
        for lab in self.uncertain:
            if lab not in TEXT_LABELS:
                raise ValueError(f"okänd etikett '{lab}' i uncertain")
        return self


class EvidenceSpec(_Model):
    """One kind of record that satisfies the requirement (any one of the list suffices)."""

    labels: tuple[str, ...] = ()
    export: str | None = None
    # Who may provide it: the hit's actor (a hit without an actor passes).
    actors: tuple[str, ...] = ()
    # Hit details it needs: {held_by: true} = present; {gives_reason: true} = true.
    details: dict[str, Any] = Field(default_factory=dict)
    window: Window = Window()
    # For export avvikelse: the reported date's window (the occurred date uses ``window``).
    reported_window: Window | None = None
    # Swedish: what this evidence shows, for messages ({found}); may use {met}.
    says: str = ""

    @model_validator(mode="after")
    def _one_kind(self) -> EvidenceSpec:
        check_template(self.says)
        if bool(self.labels) == bool(self.export):
            raise ValueError("ange antingen 'labels' eller 'export'")
        for lab in self.labels:
            if lab not in TEXT_LABELS:
                raise ValueError(f"okänd etikett '{lab}' (tillåtna: {', '.join(TEXT_LABELS)})")
        if self.export is not None and self.export not in EXPORT_EVIDENCE:
            raise ValueError(f"okänd export '{self.export}' (tillåtna: {', '.join(EXPORT_EVIDENCE)})")
        for a in self.actors:
            if a not in ACTORS:
                raise ValueError(f"okänd aktör '{a}' (tillåtna: {', '.join(ACTORS)})")
        return self


class Partial(EvidenceSpec):
    """Something that shows the requirement was attempted but not met (a draft plan, a
    slutanteckning without reasons). It changes the message, and with ``status: warning``
    turns the violation into a warning where the text is unclear."""

    status: Literal["violation", "warning"] = "violation"
    message: str = ""


class Warn(_Model):
    """When an open deadline warns: the last ``days`` before it (default: the rule's
    ``warning_days`` parameter, else 7), or from ``after_trigger`` on."""

    days: Number | None = None
    after_trigger: Window | None = None


class Messages(_Model):
    """Swedish message templates. Placeholders: {date} trigger day, {due} deadline, {met}
    the day the evidence was documented, {found} its ``says``, {as_of}, {days_since} days
    from the trigger to the as-of date, and every rule parameter by name."""

    ok: str
    late: str = ""
    missed: str
    open: str = ""
    not_due: str = ""
    uncertain: str = ""

    @model_validator(mode="after")
    def _templates(self) -> Messages:
        for name in ("ok", "late", "missed", "open", "not_due", "uncertain"):
            check_template(getattr(self, name))
        return self


def check_template(text: str) -> None:
    """A message template may use {name} placeholders only (no format specs); a literal
    brace is written twice."""
    try:
        parts = list(Formatter().parse(text))
    except ValueError as exc:
        raise ValueError(f"mallen ”{text}” har en ensam klammerparentes ({exc}); skriv {{{{ eller }}}}") from None
    for _, field, spec, conv in parts:
        if field is not None and (spec or conv or not field.isidentifier()):
            raise ValueError(f"mallen ”{text}” har platshållaren {{{field}}} med format; skriv bara {{namn}}")


class Guard(_Model):
    """History before the export: what the rule cannot judge (catalogue, "History before
    the export"). ``journal``: a trigger before the journal export's first date;
    ``plans``: a deadline before the plans export's earliest upprättad date."""

    journal: bool = False
    plans: bool = False


class Logic(_Model):
    trigger: Trigger
    evidence: tuple[EvidenceSpec, ...]
    # Context shown with the finding when present (e.g. "no alternative was possible").
    context: tuple[EvidenceSpec, ...] = ()
    partial: tuple[Partial, ...] = ()
    # The deadline relative to the trigger; by default the latest end of the evidence windows.
    deadline: Window | None = None
    # Evidence documented after the deadline: not counted (an event's window), a violation
    # reported as late (a deadline rule), or accepted (the routine sets no deadline; the
    # deadline only ends the warning).
    late: Literal["not_counted", "violation", "accepted"] = "not_counted"
    warning: Warn = Warn()
    guard: Guard = Guard()
    # The finding's date: the trigger's day (events) or the deadline's.
    finding_date: Literal["trigger", "deadline"] | None = None
    messages: Messages


def parse_logic(raw: Any) -> Logic:
    """The typed logic of a pack's ``logic:`` mapping; raises ValueError with a Swedish text."""
    try:
        return Logic.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "logic"
        msg = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            msg = "är inget känt fält"
        elif first["type"] == "missing":
            msg = "saknas"
        raise ValueError(f"logic.{where}: {msg}") from None


def logic_parameters(logic: Logic) -> list[str]:
    """The rule parameters a logic refers to by name (each must exist in the rule's params)."""
    names: list[str] = []

    def add(v: object) -> None:
        if isinstance(v, str) and v.lstrip("-") not in names:
            names.append(v.lstrip("-"))

    def window(w: Window | None) -> None:
        if w is not None:
            add(w.start)
            add(w.end)

    add(logic.trigger.same_within_days)
    for spec in (*logic.evidence, *logic.context, *logic.partial):
        window(spec.window)
        window(spec.reported_window)
    window(logic.deadline)
    add(logic.warning.days)
    window(logic.warning.after_trigger)
    return names


LABEL_SV = {
    "DECLINE": "brukaren tackar nej/avbokar", "SERVICE_CANCEL": "verksamheten avbokar",
    "NOT_HOME": "ej hemma vid besök", "HOSPITAL": "inlagd på sjukhus", "CONCERN": "oro anmäld av annan",
    "CANCELLED": "avbokning där det inte framgår vem som avbokade", "ALT_OFFERED": "alternativ erbjudet",
    "ALT_NOT_POSSIBLE": "inget alternativ möjligt", "INFORMED": "brukaren informerad",
    "DEVIATION": "avvikelse upprättad", "REASON": "orsak angiven", "MOTIVATION": "motivationsarbete",
    "CASEWORKER_CONTACT": "kontakt med handläggaren", "CONTACT": "kontakt med brukaren",
    "CONTACT_ATTEMPT": "kontaktförsök", "VISIT_DONE": "genomfört besök",
    "THREE_DAY_ROUTINE": "3-dagarsrutinen startad", "SUMMARY": "sammanställning", "END_NOTE": "slutanteckning",
    "HOME_TALK": "hemgångssamtal", "TERM_TALK": "terminssamtal", "WELCOME_PACK": "välkomstmapp lämnad",
    "PLAN_DONE": "genomförandeplan klar", "VALUE_WORD": "värdeladdat ord",
}
EXPORT_SV = {
    "avvikelse": "en rad i avvikelseexporten", "besok.utford": "ett utfört besök i besöksexporten",
    "besok.orsak": "orsak i bokningens orsakskolumn", "uppdrag.verkstallighetsdatum": "uppdragets verkställighetsdatum",
    "plan.klar": "en färdig genomförandeplan i planexporten", "plan.utkast": "ett utkast till genomförandeplan",
    "uppdrag.uppdrag_inkommit": "datum då uppdraget inkom", "uppdrag.beslutsdatum": "beslutsdatum",
    "uppdrag.slutdatum": "uppdragets slutdatum", "vistelse.slut": "slutet av varje korttidsvistelse",
}
UNIT_SV = {"days": "dagar", "workdays": "vardagar", "months": "månader", "hours": "timmar"}


def describe_window(w: Window, params: dict[str, Any] | None = None) -> str:
    def val(v: int | str) -> str:
        if isinstance(v, str):
            name = v.lstrip("-")
            shown = f"{name}={params[name]}" if params and name in params else name
            return f"-{shown}" if v.startswith("-") else shown
        return str(v)

    if w.start == 0 and w.end == 0 and w.unit != "hours":
        return "samma dag"
    return f"från {val(w.start)} till {val(w.end)} {UNIT_SV[w.unit]} efter utlösandet (båda dagarna inräknade)"


def describe_logic(logic: Logic, params: dict[str, Any] | None = None) -> list[str]:
    """The logic in plain Swedish, one line per part (``auditor explain``)."""
    t = logic.trigger
    if t.event:
        lines = [f"Utlöses av: varje tillfälle då {LABEL_SV.get(t.event, t.event)} (ett tillfälle per ärende, dag och slag)"]
        if t.uncertain:
            lines.append("  Osäkra tillfällen (" + ", ".join(LABEL_SV.get(x, x) for x in t.uncertain)
                         + ") ger risk, aldrig brist.")
    else:
        lines = [f"Utlöses av: {EXPORT_SV.get(t.date or '', t.date)}"
                 + (" (bara datum inom granskningsperioden)" if t.in_period_only else "")]
    lines.append("Uppfylls av (något av):")
    for e in logic.evidence:
        what = (" eller ".join(LABEL_SV.get(x, x) for x in e.labels) + " i en journalanteckning") if e.labels \
            else EXPORT_SV.get(e.export or "", e.export or "")
        who = f", av {', '.join(e.actors)}" if e.actors else ""
        lines.append(f"  - {what}{who}, {describe_window(e.window, params)}")
    late = {"not_counted": "räknas inte", "violation": "är en brist (för sent)",
            "accepted": "godtas (rutinen anger ingen frist)"}[logic.late]
    lines.append(f"Dokumentation efter fristen {late}.")
    if logic.guard.journal or logic.guard.plans:
        lines.append("Historik före exportens start ger 'ej granskad', aldrig brist.")
    return lines
