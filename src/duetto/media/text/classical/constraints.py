"""What a constrained decoder needs to write a poem that fits its form by construction.

- ``slots(form, variant, rhyme_group)``: one ``Slot`` per character position, with the tone
  classes allowed there and, at rhyme positions, the rhyme groups allowed.
- ``char_table(system)``: every character the tables know → (tone bits, level-group bits,
  oblique-group bits), so a per-slot mask over a vocabulary is a few integer ANDs per character.
  A later step maps model tokens to characters; ``CharTable.allowed(slot)`` gives the
  characters a slot accepts.
- ``choose_rhyme_groups(keywords)``: rhyme groups ranked for a theme: groups holding the
  keywords' characters first, then by how many common characters each holds (the wide groups
  上平一東, 下平七陽, 上平四支 … are easier to write in).

Pass a ``rhyme_group`` to ``slots`` to make every rhyme position agree statically; without one,
rhyme slots accept any group of the rhyme tone and the decoder must keep later rhymes in the
group of the first (``CharTable.groups_of`` tells it which that is).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from pydantic import BaseModel, ConfigDict

from duetto.errors import InvalidInput
from duetto.media.text.classical.forms import Form, Variant, get_form
from duetto.media.text.classical.tones import (
    EITHER,
    LEVEL,
    OBLIQUE,
    XINYUN_GROUPS,
    RhymeSystem,
    check_system,
    cilin_sections,
    group_tone,
    known_characters,
    readings,
    rhyme_group_names,
    rhyme_groups,
)

TONE_BITS = {LEVEL: 1, OBLIQUE: 2}


class Slot(BaseModel):
    """One character position of a form and what may fill it."""

    model_config = ConfigDict(frozen=True)

    line: int  # 1-based
    position: int  # 1-based within the line
    tones: frozenset[str]  # allowed tone classes: {平}, {仄} or both
    rhyme: bool = False
    rhyme_groups: frozenset[str] | None = None  # at rhyme positions: the groups allowed
    copy_of: tuple[int, int] | None = (
        None  # 叠句: must repeat the character at (line, position)
    )


def _rhyme_tone_groups(form: Form, system: RhymeSystem) -> tuple[str, ...]:
    if system == "xinyun":
        return XINYUN_GROUPS
    if form.rhyme_tone == LEVEL:
        return rhyme_group_names("pingshui", LEVEL)
    return rhyme_group_names("pingshui", OBLIQUE)


def _allowed_groups(
    form: Form, system: RhymeSystem, rhyme_group: str | None
) -> frozenset[str]:
    candidates = _rhyme_tone_groups(form, system)
    if rhyme_group is None:
        return frozenset(candidates)
    if rhyme_group not in candidates:
        raise InvalidInput(
            f"{rhyme_group!r} is not a {form.rhyme_tone}-tone rhyme group of {system} for {form.zh_name}",
            hint="see choose_rhyme_groups() for groups that fit",
        )
    if system == "pingshui" and form.kind == "ci":
        # 词 rhyme by 词林正韵 section: every 平水韵 group sharing a section with the chosen one,
        # and an 入声 rhyme never mixes with 上去.
        sections = cilin_sections(rhyme_group)
        return frozenset(g for g in candidates if cilin_sections(g) & sections)
    return frozenset({rhyme_group})


def slots(
    form: str | Form,
    variant: str | int | Variant | None = None,
    rhyme_group: str | None = None,
    system: RhymeSystem = "pingshui",
) -> list[Slot]:
    """Every position of ``form`` in reading order, under ``variant`` (default: the first)."""
    check_system(system)
    shape = get_form(form)
    chosen = variant if isinstance(variant, Variant) else shape.variant(variant)
    groups = _allowed_groups(shape, system, rhyme_group)
    copies = dict(shape.refrains)
    out = []
    for n, pattern in enumerate(chosen.pattern, start=1):
        for pos, tone in enumerate(pattern, start=1):
            rhymes = pos == len(pattern) and n in chosen.rhyme_lines
            out.append(
                Slot(
                    line=n,
                    position=pos,
                    tones=frozenset({shape.rhyme_tone})
                    if rhymes
                    else frozenset(TONE_BITS)
                    if tone == EITHER
                    else frozenset({tone}),
                    rhyme=rhymes,
                    rhyme_groups=groups if rhymes else None,
                    copy_of=(copies[n], pos) if n in copies else None,
                )
            )
    return out


@dataclass(
    frozen=True, eq=False
)  # eq=False: hashed by identity, so lookups can be cached
class CharTable:
    """Characters → tone and rhyme bits, for building per-token masks.

    ``entries[ch] = (tone_bits, level_group_bits, oblique_group_bits)``: tone bit 1 is 平 and 2 is
    仄; group bit ``i`` is ``groups[i]``, set in the level or oblique word according to the tone of
    the reading that puts ``ch`` in that group (新韵 groups hold both tones).
    """

    system: str
    groups: tuple[str, ...]
    entries: dict[str, tuple[int, int, int]]
    _index: dict[str, int] = field(repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._index.update({g: i for i, g in enumerate(self.groups)})

    def group_bits(self, names: frozenset[str] | set[str]) -> int:
        bits = 0
        for name in names:
            if name not in self._index:
                raise InvalidInput(f"{name!r} is not a {self.system} rhyme group")
            bits |= 1 << self._index[name]
        return bits

    def groups_of(self, ch: str, tone: str | None = None) -> frozenset[str]:
        """The groups ``ch`` rhymes in (optionally only in ``tone``)."""
        _, level, oblique = self.entries.get(ch, (0, 0, 0))
        bits = (level if tone in (None, LEVEL) else 0) | (
            oblique if tone in (None, OBLIQUE) else 0
        )
        return frozenset(g for i, g in enumerate(self.groups) if bits >> i & 1)

    def allows(self, ch: str, slot: Slot) -> bool:
        groups = (
            None if slot.rhyme_groups is None else self.group_bits(slot.rhyme_groups)
        )
        return _allows(
            self.entries.get(ch), sum(TONE_BITS[t] for t in slot.tones), groups
        )

    def allowed(self, slot: Slot) -> frozenset[str]:
        """Every character that can fill ``slot`` (cached per distinct tone/group requirement)."""
        return _allowed(self, slot.tones, slot.rhyme_groups)


def _allows(entry: tuple[int, int, int] | None, tones: int, groups: int | None) -> bool:
    if entry is None or not entry[0] & tones:
        return False
    if groups is None:
        return True
    # A rhyme needs one reading that is both in an allowed group and in an allowed tone.
    level = entry[1] if tones & 1 else 0
    oblique = entry[2] if tones & 2 else 0
    return bool((level | oblique) & groups)


@cache
def _allowed(
    table: CharTable, tones: frozenset[str], groups: frozenset[str] | None
) -> frozenset[str]:
    tone_bits = sum(TONE_BITS[t] for t in tones)
    group_bits = None if groups is None else table.group_bits(groups)
    return frozenset(
        ch for ch, e in table.entries.items() if _allows(e, tone_bits, group_bits)
    )


@cache
def char_table(system: RhymeSystem = "pingshui") -> CharTable:
    """Every character the tables know under ``system``, packed as bits (built once, ~1 s)."""
    check_system(system)
    groups = rhyme_group_names(system)
    index = {g: i for i, g in enumerate(groups)}
    entries: dict[str, tuple[int, int, int]] = {}
    for ch in known_characters(system):
        tone_bits = level = oblique = 0
        for r in readings(ch, system):
            tone_bits |= TONE_BITS[r.tone]
            if r.group is not None:
                if r.tone == LEVEL:
                    level |= 1 << index[r.group]
                else:
                    oblique |= 1 << index[r.group]
        if tone_bits:
            entries[ch] = (tone_bits, level, oblique)
    return CharTable(system=system, groups=groups, entries=entries)


@cache
def common_characters() -> frozenset[str]:
    """The 3,755 most common simplified characters (GB 2312 level 1, 一级常用字)."""
    out = set()
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                out.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return frozenset(out)


@cache
def _breadth(system: RhymeSystem, tone: str) -> Counter[str]:
    return Counter(
        g for ch in common_characters() for g in rhyme_groups(ch, system, tone)
    )


def choose_rhyme_groups(
    keywords: list[str] | tuple[str, ...] = (),
    system: RhymeSystem = "pingshui",
    tone: str = LEVEL,
) -> list[str]:
    """Every rhyme group of ``tone``, best first: groups that hold the keywords' characters (most
    hits first), then by how many common characters each group holds."""
    check_system(system)
    if tone not in (LEVEL, OBLIQUE):
        raise InvalidInput(f"tone must be 平 or 仄, not {tone!r}")
    names = [
        g
        for g in rhyme_group_names(system)
        if system == "xinyun" or group_tone(g) == tone
    ]
    hits = Counter(
        g for word in keywords for ch in word for g in rhyme_groups(ch, system, tone)
    )
    breadth = _breadth(system, tone)
    order = {g: i for i, g in enumerate(names)}
    return sorted(names, key=lambda g: (-hits[g], -breadth[g], order[g]))
