"""Text that looks equal: Unicode normal forms, case and the Turkish i.

Why: "Gül" typed on one keyboard is U+00FC, on another "u" plus U+0308; "İlham" and "ilham"
differ only by case, and Turkish has a dotted and a dotless i (İ/i, I/ı) that ordinary case
folding pairs differently. Readers take such labels for one name, and a query for one misses
the other. Input YAML is normalised to NFC when read (yamlsafe); this module folds what remains
for `azgraph lint`, which reports labels that are not NFC and distinct entities whose labels
fold to the same text.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from rdflib import URIRef

from azgraph.rdf.namespaces import short

# Turkish and Azerbaijani dotted capital I and dotless small i fold to plain i, as do the
# combining dot above that lower-casing İ leaves behind.
_TURKISH_I = str.maketrans({"İ": "i", "I": "i", "ı": "i", "\u0307": None})
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def fold(text: str) -> str:
    """The key under which look-alike texts are equal: NFC, Turkish i, case folded.

    NFD comes first so that "İ" in either form is "I" + U+0307 when the table meets it.
    """
    plain = unicodedata.normalize("NFD", text).translate(_TURKISH_I)
    return unicodedata.normalize("NFC", plain).casefold()


def lookalike_findings(store: Any) -> list[tuple[str, str, str]]:
    """(check, focus, message) for labels not in NFC and for look-alike labels of distinct
    entities in the same language (exact duplicates are `lint/duplicate-label.rq`'s)."""
    import pyoxigraph as ox

    findings: list[tuple[str, str, str]] = []
    groups: dict[tuple[str, str], dict[str, set[str]]] = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(LABEL), None):
        subject, label = quad.subject, quad.object
        if not isinstance(subject, ox.NamedNode) or not isinstance(label, ox.Literal):
            continue
        text, focus = label.value, short(URIRef(subject.value))
        if not unicodedata.is_normalized("NFC", text):
            findings.append(
                ("label-not-nfc", focus, f"label {text!r} is not in Unicode NFC; retype it")
            )
        key = (fold(text), label.language or "")
        groups.setdefault(key, {}).setdefault(text, set()).add(focus)
    for spellings in groups.values():
        if len(spellings) < 2:
            continue
        for text, owners in sorted(spellings.items()):
            others = sorted(
                f"{other} ({t!r})" for t, who in spellings.items() if t != text for other in who
            )
            findings.extend(
                (
                    "lookalike-label",
                    focus,
                    f"label {text!r} looks like that of {', '.join(others)}; merge them or "
                    "make the labels distinct",
                )
                for focus in sorted(owners)
            )
    return sorted(findings)
