"""Faster searches with the same matches: the characters a regular expression can start with.

Python's ``re`` tries a pattern at every position of the text. A pattern that opens with a
lookahead for the characters its matches can begin with fails at most positions after one
test instead of after trying every alternative. ``first_chars`` reads those characters off the
parsed pattern (exactly, or not at all), so adding the lookahead changes no match.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["first_chars", "with_first_chars"]

try:  # the parser of ``re`` (private, stable since 3.11); without it patterns stay as they are
    from re import _constants as _C  # type: ignore[attr-defined]
    from re import _parser as _P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    _C = _P = None

_Firsts = tuple[set[str], set[str], bool]  # class items (case-sensitive, case-insensitive), nullable


def _char(code: int) -> str:
    return re.escape(chr(code))


def _seq(items: Any, ci: bool) -> _Firsts | None:
    cs: set[str] = set()
    cis: set[str] = set()
    for op, av in items:
        found = _op(op, av, ci)
        if found is None:
            return None
        cs |= found[0]
        cis |= found[1]
        if not found[2]:
            return cs, cis, False
    return cs, cis, True


def _op(op: Any, av: Any, ci: bool) -> _Firsts | None:
    if op is _C.LITERAL:
        return (set(), {_char(av)}, False) if ci else ({_char(av)}, set(), False)
    if op is _C.IN:
        items = set()
        for o, a in av:
            if o is _C.LITERAL:
                items.add(_char(a))
            elif o is _C.RANGE:
                items.add(_char(a[0]) + "-" + _char(a[1]))
            elif o is _C.CATEGORY and a is _C.CATEGORY_DIGIT:
                items.add(r"\d")
            else:  # a negated class, \w, \s ...: too wide to be worth it
                return None
        return (set(), items, False) if ci else (items, set(), False)
    if op is _C.BRANCH:
        cs: set[str] = set()
        cis: set[str] = set()
        nullable = False
        for alt in av[1]:
            found = _seq(alt, ci)
            if found is None:
                return None
            cs |= found[0]
            cis |= found[1]
            nullable = nullable or found[2]
        return cs, cis, nullable
    if op is _C.SUBPATTERN:
        _group, add, delete, sub = av
        inner_ci = (ci or bool(add & _C.SRE_FLAG_IGNORECASE)) and not delete & _C.SRE_FLAG_IGNORECASE
        return _seq(sub, inner_ci)
    if op is getattr(_C, "ATOMIC_GROUP", None):
        return _seq(av, ci)
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, getattr(_C, "POSSESSIVE_REPEAT", _C.MAX_REPEAT)):
        low, _high, sub = av
        found = _seq(sub, ci)
        if found is None:
            return None
        return found[0], found[1], found[2] or low == 0
    if op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):  # zero width: the next item decides
        return set(), set(), True
    return None  # anything else (any character, back references ...): no claim


def first_chars(pattern: str, flags: int = 0) -> str | None:
    """A lookahead ``(?=[...])`` for the characters every match of ``pattern`` (compiled with
    ``flags``) starts with, or None when they cannot be told (a match may be empty or start with
    almost anything)."""
    if _P is None:
        return None
    try:
        parsed = _P.parse(pattern, flags)
        ci = bool(parsed.state.flags & _C.SRE_FLAG_IGNORECASE)
        found = _seq(list(parsed), ci)
    except Exception:  # noqa: BLE001  (an unknown construct: no claim)
        return None
    if found is None or found[2] or not (found[0] or found[1]):
        return None
    parts = []
    if found[0]:
        parts.append("[" + "".join(sorted(found[0])) + "]")
    if found[1]:  # matched as the pattern matches them (Unicode case folding included)
        parts.append("(?i:[" + "".join(sorted(found[1])) + "])")
    return "(?=" + "|".join(parts) + ")"


def with_first_chars(rx: re.Pattern[str], prefix: str = "") -> re.Pattern[str]:
    """``rx`` with ``prefix`` and the lookahead of ``first_chars`` before it (``rx`` unchanged
    when its first characters cannot be told). The matches are the same."""
    ahead = first_chars(rx.pattern, rx.flags)
    if ahead is None:
        return rx
    try:
        return re.compile(prefix + ahead + rx.pattern, rx.flags)
    except re.error:  # global inline flags, which must open the pattern
        return rx
