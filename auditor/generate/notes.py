"""Making one case's notes: author, time, signing and registration, text from the banks."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from . import texts
from .model import TNote
from .people import Person
from .scenario import GenContext


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class NoteMaker:
    """Adds notes to a case. ``refs`` are the ways notes name the individual."""

    def __init__(
        self,
        ctx: GenContext,
        rng: random.Random,
        *,
        first_name: str,
        staff: Sequence[Person],
        weights: Sequence[float],
        relative: str,
        caseworker: Person,
        sign_mode: str,
        hours: tuple[int, int] = (8, 16),
    ) -> None:
        self.ctx = ctx
        self.rng = rng
        self.first_name = first_name
        self.staff = list(staff)
        self.weights = list(weights)
        self.relative = relative
        self.caseworker = caseworker
        self.sign_mode = sign_mode
        self.hours = hours
        self.notes: list[TNote] = []

    def pick_staff(self) -> Person:
        return self.rng.choices(self.staff, self.weights)[0]

    def ref(self) -> str:
        x = self.rng.random()
        if x < 0.5:
            return "B"
        if x < 0.85:
            return self.first_name
        return "brukaren"

    def slots(self, staff: Person, **extra: str) -> texts._Slots:
        rng = self.rng
        hl = self.caseworker.full if rng.random() < 0.6 else self.caseworker.first
        return texts.slots(
            rng,
            self.ref(),
            anh=self.relative,
            hl=hl,
            ini=staff.initials,
            kort=staff.short,
            fnamn=staff.first,
            **extra,
        )

    def add(
        self,
        day: date,
        keys: Sequence[str],
        group: str,
        *,
        staff: Person | None = None,
        named: bool = False,
        reasons: bool = False,
        excluded: str | None = None,
        text: str | None = None,
        facts: frozenset[str] | None = None,
        extra: dict[str, str] | None = None,
        typo: float = 0.04,
    ) -> TNote:
        rng = self.rng
        staff = staff or self.pick_staff()
        if text is None:
            sl = self.slots(staff, **(extra or {}))
            text = texts.compose(rng, keys, sl, neutral_typo=typo)
        if facts is None:
            facts = texts.facts_of(keys)
        lo, hi = self.hours
        minute = rng.randrange(lo * 60, hi * 60 + 30)
        minute -= minute % 5
        last = self.ctx.last
        signed = day + timedelta(days=rng.choice((0, 0, 0, 0, 0, 0, 0, 0, 1, 1)))
        reg_day = day if rng.random() < 0.9 else day + timedelta(days=1)
        reg_day = min(reg_day, last) if day <= last else reg_day
        signed = min(signed, last) if day <= last else signed
        reg_min = (
            minute + rng.randrange(5, 120) if reg_day == day else rng.randrange(7 * 60, 10 * 60)
        )
        note = TNote(
            day=day,
            time=hhmm(minute),
            staff=staff.full,
            sokord=rng.choice(texts.SOKORD[group]),
            text=text,
            facts=facts,
            named=named,
            reasons=reasons,
            excluded=excluded,
            signed_on=signed,
            registered=reg_day,
            registered_time=hhmm(min(reg_min, 23 * 60 + 55)),
        )
        self.notes.append(note)
        return note

    # -- common planted quality problems (DOK) ---------------------------------------------------

    def plant_dok(self, planted: Sequence[str], *, first_day: date) -> None:
        """DOK1: a value-laden word; DOK2: an unsigned or late-signed note; DOK3: late registration."""
        rng = self.rng
        last = self.ctx.last
        pool = [
            n for n in self.notes if n.excluded is None and n.day >= first_day and not n.duplicate
        ]
        if "DOK1" in planted:
            cands = [
                n
                for n in pool
                if n.facts & {"VISIT_DONE", "CONTACT"} and "VALUE_WORD" not in n.facts
            ]
            for n in rng.sample(cands, min(len(cands), rng.choice((1, 1, 2)))):
                sl = self.slots(self.pick_staff())
                n.text = f"{n.text} {texts.sentence(rng, 'VALUE', sl)}"
                n.facts = n.facts | {"VALUE_WORD"}
        if "DOK2" in planted:
            cands = [n for n in pool if n.day + timedelta(days=12) <= last]
            if cands:
                n = rng.choice(cands)
                if self.sign_mode == "date" and rng.random() < 0.5:
                    n.signed_on = n.day + timedelta(days=rng.randint(4, 9))
                else:
                    n.signed_on = None
        if "DOK3" in planted:
            cands = [
                n for n in pool if n.day + timedelta(days=15) <= last and n.signed_on is not None
            ]
            if cands:
                n = rng.choice(cands)
                n.registered = n.day + timedelta(days=rng.randint(4, 12))
                n.registered_time = hhmm(rng.randrange(8 * 60, 16 * 60))
                if n.signed_on is not None and n.signed_on < n.registered:
                    n.signed_on = n.registered if self.sign_mode == "date" else n.signed_on

    def add_artefacts(self, *, hsl: bool, first_day: date) -> None:
        """Felmarkerade notes, an HSL note and duplicated rows: all must be left out by a reader."""
        rng = self.rng
        pool = [n for n in self.notes if n.excluded is None and n.day >= first_day]
        if not pool:
            return
        if rng.random() < 0.12:
            base = rng.choice(pool)
            keys = rng.choice((("DECLINE",), ("VALUE",), ("NOT_HOME",), ("HOSPITAL",)))
            self.add(base.day, keys, "event", excluded="felmarkerad")
        if hsl and rng.random() < 0.08:
            base = rng.choice(pool)
            sl = self.slots(self.pick_staff())
            text = texts.compose(rng, ("HSL",), sl)
            if rng.random() < 0.5:
                text += f" {sl['B']} ville inte ta kvällsdosen, tackade nej."
            self.add(base.day, (), "hsl", excluded="hsl", text=text, facts=frozenset())
        if rng.random() < 0.05:
            cands = [n for n in pool if "VISIT_DONE" in n.facts]
            if cands:
                rng.choice(cands).duplicate = True
