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

from rdflib import Graph, URIRef
from rdflib.term import Node

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


def labels(store: Any) -> list[tuple[URIRef, str, str]]:
    """(entity, label text, language) for every rdfs:label of a named entity."""
    import pyoxigraph as ox

    found = []
    for quad in store.quads_for_pattern(None, ox.NamedNode(LABEL), None):
        subject, label = quad.subject, quad.object
        if isinstance(subject, ox.NamedNode) and isinstance(label, ox.Literal):
            found.append((URIRef(subject.value), label.value, label.language or ""))
    return found


def not_nfc(store: Any, _shapes: Graph | None = None) -> list[tuple[Node, str]]:
    """(focus, message) for labels not in Unicode NFC (check ``label-not-nfc``)."""
    found: list[tuple[Node, str]] = [
        (focus, f"label {text!r} is not in Unicode NFC; retype it")
        for focus, text, _ in labels(store)
        if not unicodedata.is_normalized("NFC", text)
    ]
    return sorted(found, key=_in_print_order)


def lookalikes(store: Any, _shapes: Graph | None = None) -> list[tuple[Node, str]]:
    """(focus, message) for look-alike labels of distinct entities in the same language
    (check ``lookalike-label``; exact duplicates are `lint/duplicate-label.rq`'s)."""
    findings: list[tuple[Node, str]] = []
    groups: dict[tuple[str, str], dict[str, set[URIRef]]] = {}
    for focus, text, language in labels(store):
        groups.setdefault((fold(text), language), {}).setdefault(text, set()).add(focus)
    for spellings in groups.values():
        if len(spellings) < 2:
            continue
        for text, owners in sorted(spellings.items()):
            others = sorted(
                f"{short(other)} ({t!r})"
                for t, who in spellings.items()
                if t != text
                for other in who
            )
            findings.extend(
                (
                    focus,
                    f"label {text!r} looks like that of {', '.join(others)}; merge them or "
                    "make the labels distinct",
                )
                for focus in owners
            )
    return sorted(findings, key=_in_print_order)


def _in_print_order(finding: tuple[Node, str]) -> tuple[str, str]:
    return short(finding[0]), finding[1]
