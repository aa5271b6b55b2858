"""What a coordinator's edit of a shared list needs beyond ``ReferenceItem``: codes, order, postcodes.

A code is what records store, so it is made once from the label (readable in exports) and
never changes; ``suggest_code`` makes it the way the shipped lists spell theirs: barriers
``PI.CHILDCARE`` under their BeSD domain's prefix, everything else ``community_centre``.
No Qt here: the editor page and its tests use the same rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from .reference import ReferenceLists

#: Letters, digits, dots, dashes and underscores, no spaces: safe in a CSV column and a URL.
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
CODE_MAX = 60
_SLUG_MAX = 40
_BARRIER_WORDS = 3
_SMALL_WORDS = frozenset({"a", "an", "and", "of", "the", "or", "to", "in", "on", "for"})


def _words(label: str) -> list[str]:
    """The label's words in plain ASCII ("Café" -> "Cafe"), so a code types on any keyboard."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.findall(r"[A-Za-z0-9]+", ascii_text)


def _slug(words: list[str], limit: int) -> str:
    out = ""
    for word in words:
        candidate = f"{out}_{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out or (words[0][:limit] if words else "")


def domain_prefix(lists: ReferenceLists, group: str) -> str:
    """The prefix barriers of this domain already use ("TF" for thinking and feeling), else its initials."""
    used = Counter(i.code.split(".", 1)[0] for i in lists.items("barrier", include_retired=True)
                   if i.group == group and "." in i.code)
    if used:
        return used.most_common(1)[0][0]
    domain = lists.get("barrier_group", group)
    words = [w for w in _words(domain.label if domain else group) if w.casefold() not in _SMALL_WORDS]
    return "".join(w[0] for w in words).upper()


def suggest_code(lists: ReferenceLists, list_name: str, label: str, group: str | None = None) -> str:
    """A code for a new item, made from its label; "" when the label has no letters or digits yet."""
    words = _words(label)
    if not words:
        return ""
    if list_name == "barrier":
        body = _slug([w.upper() for w in words if w.casefold() not in _SMALL_WORDS][:_BARRIER_WORDS] or
                     [w.upper() for w in words[:_BARRIER_WORDS]], _SLUG_MAX)
        prefix = domain_prefix(lists, group) if group else ""
        return f"{prefix}.{body}" if prefix else body
    return _slug([w.lower() for w in words], _SLUG_MAX)


def valid_code(code: str) -> bool:
    return len(code) <= CODE_MAX and bool(CODE_PATTERN.match(code))


def next_position(lists: ReferenceLists, list_name: str) -> int:
    """After every item of the list, retired ones too, so a new item is listed last."""
    positions = [i.position for i in lists.items(list_name, include_retired=True)]
    return max(positions, default=-1) + 1


def split_postcodes(text: str) -> list[str]:
    """ "CH41, CH42 1" -> ["CH41", "CH42 1"]: commas, semicolons or new lines between areas."""
    return [part.strip() for part in re.split(r"[,;\n]+", text) if part.strip()]
