"""Synthetic people: Skatteverket test personnummer, Swedish names, staff and caseworkers.

Identities come only from the shipped list of Skatteverket's test personnummer and test
samordningsnummer (``data/testpersonnummer.txt``, CC0). Nothing here makes up a number.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

FEMALE = (
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Sara",
    "Lena",
    "Kerstin",
    "Emma",
    "Ingrid",
    "Marie",
    "Malin",
    "Jenny",
    "Birgitta",
    "Sofia",
    "Annika",
    "Linnea",
    "Hanna",
    "Elin",
    "Ida",
    "Johanna",
    "Susanne",
    "Carina",
    "Elisabeth",
    "Monica",
    "Helena",
    "Camilla",
    "Anneli",
    "Ulla",
    "Margareta",
    "Gunilla",
    "Åsa",
    "Frida",
    "Amanda",
    "Julia",
    "Moa",
    "Wilma",
    "Ebba",
    "Agnes",
    "Nora",
    "Leila",
    "Fatima",
    "Amira",
    "Zeynep",
    "Mirja",
    "Päivi",
    "Ayan",
    "Daniela",
    "Jelena",
    "Britt",
    "Siv",
    "Inger",
)
MALE = (
    "Lars",
    "Mikael",
    "Anders",
    "Johan",
    "Erik",
    "Per",
    "Karl",
    "Peter",
    "Thomas",
    "Jan",
    "Daniel",
    "Fredrik",
    "Hans",
    "Bengt",
    "Stefan",
    "Mats",
    "Magnus",
    "Andreas",
    "Mattias",
    "Niklas",
    "Jonas",
    "Björn",
    "Ulf",
    "Göran",
    "Bo",
    "Rolf",
    "Kent",
    "Henrik",
    "Oskar",
    "Viktor",
    "Emil",
    "Axel",
    "Filip",
    "Gustav",
    "Hugo",
    "Ali",
    "Mohammed",
    "Ahmed",
    "Omar",
    "Yusuf",
    "Kalle",
    "Sven",
    "Åke",
    "Leif",
    "Kjell",
    "Roger",
    "Tobias",
    "Marko",
    "Dragan",
    "Juha",
    "Abdi",
)
SURNAMES = (
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Olofsson",
    "Lindström",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lind",
    "Lundgren",
    "Lundqvist",
    "Mattsson",
    "Berglund",
    "Fredriksson",
    "Sandberg",
    "Henriksson",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Engström",
    "Eklund",
    "Danielsson",
    "Håkansson",
    "Lundin",
    "Björk",
    "Bergman",
    "Gunnarsson",
    "Holm",
    "Wikström",
    "Samuelsson",
    "Isaksson",
    "Fransson",
    "Bergqvist",
    "Nyström",
    "Holmberg",
    "Arvidsson",
    "Löfgren",
    "Söderberg",
    "Nyberg",
    "Blomqvist",
    "Claesson",
    "Nordström",
    "Mårtensson",
    "Lundström",
    "Ali",
    "Mohamed",
    "Hassan",
    "Viklund",
    "Eliasson",
    "Pålsson",
    "Björklund",
    "Berggren",
    "Sandström",
    "Lund",
    "Nordin",
    "Ström",
    "Åberg",
    "Hermansson",
    "Ekström",
    "Holmgren",
    "Sundberg",
    "Hedlund",
    "Dahlberg",
    "Hellström",
    "Sjögren",
    "Abrahamsson",
    "Martinsson",
    "Öberg",
    "Andreasson",
    "Yilmaz",
    "Korhonen",
    "Nikolic",
    "Kaya",
)

RELATIVES = ("dottern", "sonen", "mamma", "pappa", "systern", "brodern", "gode mannen", "sambon")
LSS_RELATIVES = ("mamma", "pappa", "boendepersonalen", "gode mannen", "systern")


@dataclass(frozen=True, slots=True)
class Person:
    first: str
    last: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def listed(self) -> str:
        """As client lists write it: "Efternamn, Förnamn"."""
        return f"{self.last}, {self.first}"

    @property
    def initials(self) -> str:
        return f"{self.first[0]}{self.last[0]}"

    @property
    def short(self) -> str:
        """ "Lena K"."""
        return f"{self.first} {self.last[0]}"


def random_person(rng: random.Random, female: bool | None = None) -> Person:
    if female is None:
        female = rng.random() < 0.5
    first = rng.choice(FEMALE if female else MALE)
    return Person(first, rng.choice(SURNAMES))


def is_female(pnr: str) -> bool:
    """The ninth digit of a 12-digit number is even for women."""
    return int(pnr[10]) % 2 == 0


@lru_cache(maxsize=1)
def skatteverket_numbers() -> tuple[str, ...]:
    """Skatteverket's test numbers shipped with the package (12 digits each)."""
    text = (
        resources.files("auditor.generate").joinpath("data/testpersonnummer.txt").read_text("utf-8")
    )
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def luhn_ok(pnr12: str) -> bool:
    digits = pnr12[2:]
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def draw_identities(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct test numbers: adults born 1930–2005 first, then the rest of the list."""
    pool = skatteverket_numbers()
    primary = [p for p in pool if 1930 <= int(p[:4]) <= 2005]
    secondary = [p for p in pool if not 1930 <= int(p[:4]) <= 2005]
    if n > len(pool):
        raise ValueError(
            f"at most {len(pool)} clients: the shipped Skatteverket test list has {len(pool)} numbers"
        )
    rng.shuffle(primary)
    rng.shuffle(secondary)
    return (primary + secondary)[:n]


def stable_fraction(*parts: str) -> float:
    """A deterministic number in [0, 1) from strings (no dependence on hash randomisation)."""
    return zlib.crc32("|".join(parts).encode("utf-8")) / 2**32


def pnr_written(pnr: str, style: str, as_of_year: int) -> str | int:
    """Write a 12-digit number as an export would.

    ``style``: "12" (193402152385), "12-" (19340215-2385), "10-" (340215-2385),
    "num" (the 12-digit number as an Excel number). Without a century, the reader takes the
    person as under 100 (the spec): a person that old or older is written with 12 digits.
    """
    if style == "10-" and as_of_year - int(pnr[:4]) >= 99:
        style = "12"
    if style == "12-":
        return f"{pnr[:8]}-{pnr[8:]}"
    if style == "10-":
        return f"{pnr[2:8]}-{pnr[8:]}"
    if style == "num":
        return int(pnr)
    return pnr
