"""The PLOVER coding rules as data: event types, modes, word classes and triggers.

The files (``lexicon/data/plover_*.tsv``) are described in ``lexicon/data/README.md``. They are
read once per process and checked as they load: an unknown type, mode, frame, class or
condition raises ``ConfigError`` naming the file and line, so a typo never silently disables
a rule (PETRARCH2's undefined synsets did).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property

from chronicle.errors import ConfigError
from chronicle.lexicon import read_tsv

__all__ = [
    "CONFLICT_MATERIAL",
    "COOPERATIVE",
    "FRAMES",
    "TYPES",
    "Cond",
    "Plover",
    "TriggerRule",
    "plover",
]

# PLOVER's 16 types, in the manual's order
TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
    "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
CONFLICT_MATERIAL = frozenset({"PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"})
FRAMES = frozenset({"@say", "@deny", "@plan", "@aspect", "@attempt", "@fail", "@want", "@light"})
POS = {"verb": "VERB", "noun": "NOUN", "adj": "ADJ"}
# conditions with a value (key=value) and flags
VALUE_CONDS = {"obj", "obj!", "subj", "subj!", "prep", "prep!", "mod", "mod!", "gov", "pred", "recipient"}
FLAG_CONDS = {"comp", "nocomp", "that", "noobj", "passive", "active", "foreign", "swap"}


@dataclass(slots=True, frozen=True)
class Cond:
    """One condition of a trigger row: ``key`` (obj, subj, prep, mod, gov, or a flag) and the
    words or @classes it accepts; ``negated`` for obj!=, subj!=, prep!=."""

    key: str
    words: frozenset[str] = frozenset()
    classes: tuple[str, ...] = ()
    negated: bool = False


@dataclass(slots=True)
class TriggerRule:
    words: tuple[str, ...]  # lemmas, as written ("call", "for")
    head: str  # the word that must be the syntactic head
    pos: str  # spaCy coarse POS: VERB, NOUN, ADJ
    type: str  # a PLOVER type or a frame (@say ...)
    mode: str | None
    conds: tuple[Cond, ...]
    line: int  # line in plover_triggers.tsv, for `why`

    @property
    def is_frame(self) -> bool:
        return self.type.startswith("@")

    @property
    def swap(self) -> bool:
        return any(c.key == "swap" for c in self.conds)

    @property
    def recipient_slots(self) -> tuple[str, ...] | None:
        """Where this row's recipient is, when it says (``recipient=from``), else None."""
        for c in self.conds:
            if c.key == "recipient":
                return tuple(sorted(c.words))
        return None

    def label(self) -> str:
        return f"plover_triggers.tsv:{self.line} '{' '.join(self.words)}'"


@dataclass(slots=True)
class WordClass:
    name: str
    words: frozenset[str]
    roles: frozenset[str]  # sector codes (GOV, MIL, ...) or entity types (PERSON) that also belong


@dataclass
class Plover:
    types: dict[str, dict[str, str]] = field(default_factory=dict)  # type -> row
    modes: dict[str, list[tuple[str, tuple[str, ...]]]] = field(default_factory=dict)  # type -> [(mode, cues)]
    classes: dict[str, WordClass] = field(default_factory=dict)
    triggers: dict[tuple[str, str], list[TriggerRule]] = field(default_factory=dict)  # (head, POS) -> rules

    def needs_recipient(self, event_type: str) -> bool:
        return self.types.get(event_type, {}).get("recipient") == "yes"

    def rules(self, lemma: str, pos: str) -> list[TriggerRule]:
        return self.triggers.get((lemma, pos), [])

    @cached_property
    def trigger_lemmas(self) -> frozenset[str]:
        """Every lemma with a trigger row, whatever its part of speech (a quick first test)."""
        return frozenset(lemma for lemma, _ in self.triggers)

    def in_class(self, name: str, lemma: str, role: str | None = None, etype: str | None = None) -> bool:
        wc = self.classes[name]
        return lemma in wc.words or (role is not None and role in wc.roles) or (
            etype is not None and etype in wc.roles)


def _cond(raw: str, classes: dict[str, WordClass], where: str) -> Cond:
    if "=" not in raw:
        if raw not in FLAG_CONDS:
            valid = ", ".join(sorted(FLAG_CONDS | VALUE_CONDS))
            raise ConfigError(f"{where}: unknown condition '{raw}'; valid: {valid}")
        return Cond(raw)
    key, _, value = raw.partition("=")
    negated = key.endswith("!")
    key = key.rstrip("!")
    if key not in VALUE_CONDS or (negated and key + "!" not in VALUE_CONDS):
        raise ConfigError(f"{where}: unknown condition '{raw}'")
    words, cls = set(), []
    for item in value.split("|"):
        item = item.strip()
        if not item:
            raise ConfigError(f"{where}: empty item in '{raw}'")
        if item.startswith("@"):
            if key == "gov" and item[1:] in ("light", "aspect", "say", "plan", "attempt"):
                cls.append(item)  # a frame name: any verb of that frame
                continue
            if item[1:] not in classes:
                raise ConfigError(f"{where}: unknown class '{item}' (see plover_classes.tsv)")
            cls.append(item[1:])
        else:
            words.add(item.lower())
    return Cond(key, frozenset(words), tuple(cls), negated)


@cache
def plover() -> Plover:
    """The loaded PLOVER rules (once per process)."""
    pl = Plover()
    for row in read_tsv("plover_types.tsv"):
        pl.types[row["type"]] = row
    missing = [t for t in TYPES if t not in pl.types]
    if missing:
        raise ConfigError(f"plover_types.tsv: missing types {', '.join(missing)}")
    for row in read_tsv("plover_modes.tsv"):
        if row["type"] not in TYPES:
            raise ConfigError(f"plover_modes.tsv: unknown type '{row['type']}'")
        cues = tuple(c.strip().lower() for c in row["cues"].split("|") if c.strip())
        pl.modes.setdefault(row["type"], []).append((row["mode"], cues))
    for row in read_tsv("plover_classes.tsv"):
        pl.classes[row["class"]] = WordClass(
            name=row["class"],
            words=frozenset(w.strip().lower() for w in row["words"].split("|") if w.strip()),
            roles=frozenset(r.strip() for r in row.get("roles", "").split("|") if r.strip()),
        )
    for n, row in _rows_with_lines("plover_triggers.tsv"):
        where = f"plover_triggers.tsv:{n}"
        pos = POS.get(row["pos"])
        if pos is None:
            raise ConfigError(f"{where}: unknown pos '{row['pos']}'; valid: {', '.join(POS)}")
        etype = row["type"]
        if etype not in TYPES and etype not in FRAMES:
            raise ConfigError(f"{where}: unknown type '{etype}'; valid: {', '.join(TYPES)} "
                              f"or a frame ({', '.join(sorted(FRAMES))})")
        mode = row.get("mode") or None
        if mode and mode not in {m for m, _ in pl.modes.get(etype, [])}:
            raise ConfigError(f"{where}: mode '{mode}' is not a mode of {etype} in plover_modes.tsv")
        words = tuple(row["trigger"].lower().split())
        head = words[0] if pos == "VERB" else words[-1]
        conds = tuple(_cond(c, pl.classes, where) for c in (row.get("when") or "").split())
        rule = TriggerRule(words=words, head=head, pos=pos, type=etype, mode=mode, conds=conds, line=n)
        pl.triggers.setdefault((head, pos), []).append(rule)
    return pl


def _rows_with_lines(name: str) -> list[tuple[int, dict[str, str]]]:
    """read_tsv's rows, each with its line number in the file (for messages and `why`)."""
    from importlib import resources

    path = resources.files("chronicle.lexicon") / "data" / name
    out: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = [c.strip() for c in line.rstrip("\n").split("\t")]
            if header is None:
                header = cells
                continue
            if len(cells) > len(header):
                raise ConfigError(f"{name}:{n}: {len(cells)} cells, header has {len(header)}")
            out.append((n, dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))))
    return out
