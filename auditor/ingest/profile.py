"""The user's header-mapping profile (TOML), for exports that synonyms and fuzzy
matching cannot bridge::

    [journal]
    personnummer = "Klientens nr"
    datum = ["Anteckningsdag", "Dag"]   # alternatives

    [alla]                               # every kind that has the column
    enhet = "Utförare/grupp"

    [kinds]                              # file name (glob) -> kind
    "*daganteckningar*" = "journal"
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from auditor.model.normalise import header_key
from auditor.model.schema import KINDS

ALL_SECTIONS = ("alla", "all", "*")


class MappingProfileError(ValueError):
    """A profile that cannot be used; the message is Swedish, for the user."""


@dataclass(frozen=True)
class MappingProfile:
    # kind -> canonical column -> header texts as the user wrote them
    columns: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    # (glob, kind), in file order
    kinds: tuple[tuple[str, str], ...] = ()
    source: str | None = None

    @classmethod
    def load(cls, path: Path | str) -> MappingProfile:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise MappingProfileError(f"Mappningsprofilen '{path}' finns inte.") from None
        except UnicodeDecodeError:
            raise MappingProfileError(
                f"Mappningsprofilen '{path}' kunde inte läsas (den är inte sparad som UTF-8)."
            ) from None
        except OSError:
            raise MappingProfileError(
                f"Mappningsprofilen '{path}' kunde inte läsas (saknar behörighet, eller är "
                "ingen vanlig fil)."
            ) from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            where = re.search(r"line (\d+), column (\d+)", str(exc))
            at = f" (rad {where.group(1)}, kolumn {where.group(2)})" if where else ""
            raise MappingProfileError(
                f"Mappningsprofilen '{path}' är inte giltig TOML{at}. Kontrollera citattecken, "
                "likhetstecken och [rubriker] där."
            ) from None
        return cls.from_dict(data, str(path))

    @classmethod
    def from_dict(cls, data: dict, source: str | None = None) -> MappingProfile:
        where = f"Mappningsprofilen '{source}'" if source else "Mappningsprofilen"
        valid_kinds = ", ".join(KINDS)
        columns: dict[str, dict[str, tuple[str, ...]]] = {}
        kinds: list[tuple[str, str]] = []
        for section, body in data.items():
            if not isinstance(body, dict):
                raise MappingProfileError(
                    f"{where}: '{section}' ska vara en sektion ([{section}]) med kolumn = \"rubrik\"."
                )
            if section == "kinds":
                for glob, kind in body.items():
                    if kind not in KINDS:
                        raise MappingProfileError(
                            f"{where}: okänd exporttyp '{kind}' för '{glob}' i [kinds]; giltiga: {valid_kinds}."
                        )
                    kinds.append((glob, kind))
                continue
            if section in ALL_SECTIONS:
                targets = list(KINDS)
            elif section in KINDS:
                targets = [section]
            else:
                raise MappingProfileError(
                    f"{where}: okänd sektion [{section}]; giltiga: {valid_kinds}, alla, kinds."
                )
            for column, headers in body.items():
                values = (headers,) if isinstance(headers, str) else headers
                if (
                    not isinstance(values, (list, tuple))
                    or not values
                    or not all(isinstance(h, str) and h.strip() for h in values)
                ):
                    raise MappingProfileError(
                        f"{where}: [{section}] {column} ska vara en rubrik (text) eller en lista av rubriker."
                    )
                known = [k for k in targets if column in KINDS[k].column_names]
                if not known:
                    names = (
                        ", ".join(KINDS[targets[0]].column_names)
                        if len(targets) == 1
                        else "se dokumentationen"
                    )
                    raise MappingProfileError(
                        f"{where}: [{section}] har ingen kolumn '{column}'; giltiga: {names}."
                    )
                for k in known:
                    columns.setdefault(k, {})[column] = tuple(values)
        return cls(columns, tuple(kinds), source)

    def keys_for(self, kind: str) -> dict[str, str]:
        """header key -> canonical column for ``kind``."""
        return {header_key(h): col for col, hs in self.columns.get(kind, {}).items() for h in hs}

    def all_keys(self) -> frozenset[str]:
        return frozenset(k for kind in self.columns for k in self.keys_for(kind))

    def kind_for(self, *names: str) -> str | None:
        """The kind forced by a [kinds] glob matching the file name or display path."""
        for glob, kind in self.kinds:
            g = glob.lower()
            if any(fnmatch.fnmatchcase(n.lower(), g) for n in names if n):
                return kind
        return None
