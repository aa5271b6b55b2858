"""Turning what a person types into a safe FTS5 query.

Every word becomes a quoted term, so FTS syntax in the input (``AND``, ``NEAR``, ``*``,
``"``, ``-``, column filters) is just text; all words must match, and the last one also
matches as a prefix because people search while they type.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)


def match_expression(text: str | None) -> str | None:
    """``'pork gel'`` -> ``'"pork" "gel"*'``; None when there is no word to look for."""
    if not text:
        return None
    words = [w for w in _WORD.findall(text) if w.strip("_")]
    if not words:
        return None
    terms = [f'"{w}"' for w in words]
    terms[-1] += "*"
    return " ".join(terms)
