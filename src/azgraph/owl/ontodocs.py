"""HTML documentation of the ontology with pyLODE 3.3.4, offline, plus a named-individuals section.

pyLODE documents the classes and properties (labels, definitions, domains, ranges); its OntPub
profile has no section for individuals, so one is added from the data: every named individual,
grouped by class, with its label and IRI. pyLODE reads only its own bundled background
ontologies; tests/owl/test_ontodocs.py checks that no socket is opened.

pyLODE knows one label per term: given labels in three languages it runs them together in the
heading and builds anchors and links from whichever it meets first. It is therefore given the
English labels only, and a "Labels" row with the English, Turkish and Azerbaijani labels (and
whether they await a native speaker's review) is added to each term's table.
"""

from __future__ import annotations

import html
import logging
import re
from collections import defaultdict
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from azgraph.errors import InputError
from azgraph.rdf.namespaces import short
from azgraph.rdf.store import load_rdflib
from azgraph.rdf.turtle import write_atomic

LANGUAGES = (("en", "English"), ("tr", "Turkish"), ("az", "Azerbaijani"))
REVIEW_NOTE = "Turkish and Azerbaijani labels need review by a native speaker."


def ontology_html(ontology_file: Path) -> str:
    """pyLODE's OntPub page for the ontology (its log chatter kept off the console)."""
    # pyLODE configures the root logger when imported, so quiet it after the import
    from pylode import OntPub  # type: ignore[import-untyped]

    ontology = load_rdflib([ontology_file])
    english = Graph()
    for triple in ontology:
        if triple[1] == RDFS.label and _lang(triple[2]) not in ("en", ""):
            continue
        english.add(triple)
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.WARNING)
    try:
        page: str = OntPub(english, sort_subjects=True).make_html()
    except Exception as exc:  # pyLODE raises its own and rdflib's errors
        raise InputError(f"pyLODE cannot document the ontology: {exc}", path=ontology_file) from exc
    finally:
        root.setLevel(level)
    return add_label_rows(page, ontology)


def _lang(node: object) -> str | None:
    return node.language or "" if isinstance(node, Literal) else None


def add_label_rows(page: str, ontology: Graph) -> str:
    """After each term's IRI row, a row with its labels in English, Turkish and Azerbaijani."""

    def row(match: re.Match[str]) -> str:
        term = URIRef(html.unescape(match.group(2)))
        labels = {_lang(o): str(o) for o in ontology.objects(term, RDFS.label)}
        cells = [
            f'<span lang="{code}">{html.escape(labels[code])}</span> ({name})'
            for code, name in LANGUAGES
            if code in labels
        ]
        if len(cells) < 2:
            return match.group(0)
        notes = {str(o) for o in ontology.objects(term, SKOS.editorialNote)}
        review = (
            " <em>(Turkish and Azerbaijani to be reviewed)</em>" if REVIEW_NOTE in notes else ""
        )
        return (
            f"{match.group(0)}\n            <tr>\n              <th>Labels</th>\n"
            f"              <td>{'; '.join(cells)}{review}</td>\n            </tr>"
        )

    iri_row = re.compile(
        r'(<div class="property entity" id="[^"]*">\s*<h3>.*?</h3>\s*<table>\s*<tr>\s*'
        r"<th>IRI</th>\s*<td>\s*<code>([^<]*)</code>\s*</td>\s*</tr>)",
        re.S,
    )
    return iri_row.sub(row, page)


def individuals_section(data: Graph, ontology: Graph) -> tuple[str, str]:
    """The HTML section listing named individuals by class, and its table-of-contents entry."""
    by_class: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for node in set(data.subjects(RDF.type, OWL.NamedIndividual)):
        if not isinstance(node, URIRef):
            continue
        label = str(data.value(node, RDFS.label) or short(node))
        classes = sorted(
            _english_label(ontology, c)
            for c in data.objects(node, RDF.type)
            if c != OWL.NamedIndividual
        )
        for name in classes or ["(no class)"]:
            by_class[name].append((label, str(node)))
    total = len(set(data.subjects(RDF.type, OWL.NamedIndividual)))
    parts = [
        '      <div class="section" id="individuals">',
        "        <h2>Named Individuals</h2>",
        f"        <p>{total} named individuals in the data, by class.</p>",
    ]
    for name in sorted(by_class):
        anchor = "individuals-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        parts.append(f'        <h3 id="{anchor}">{html.escape(name)}</h3>')
        parts.append("        <table>")
        for label, iri in sorted(by_class[name]):
            parts.append(
                f"          <tr><th>{html.escape(label)}</th>"
                f"<td><code>{html.escape(iri)}</code></td></tr>"
            )
        parts.append("        </table>")
    parts.append("      </div>")
    toc = (
        '<li>\n          <h4>\n            <a href="#individuals">Named Individuals</a>\n'
        "          </h4>\n        </li>\n        "
    )
    return "\n".join(parts) + "\n", toc


def _english_label(graph: Graph, node: Node) -> str:
    labels = {_lang(o): str(o) for o in graph.objects(node, RDFS.label)}
    return labels.get("en") or labels.get("") or short(node)


def docs_page(ontology_file: Path, data_files: list[Path] | None = None) -> str:
    """pyLODE's page plus the individuals of ``data_files``, the same bytes on every run."""
    page = stable(ontology_html(ontology_file))
    if data_files:
        section, toc = individuals_section(load_rdflib(data_files), load_rdflib([ontology_file]))
        page = page.replace(
            '      <div id="namespaces">', section + '      <div id="namespaces">', 1
        )
        page = re.sub(
            r'(<li>\s*<h4>\s*<a href="#namespaces">)', lambda m: toc + m.group(1), page, count=1
        )
    return page


def write_docs(ontology_file: Path, folder: Path, data_files: list[Path] | None = None) -> Path:
    """Write ``folder/index.html``: pyLODE's page plus the individuals of ``data_files``."""
    target = folder / "index.html"
    write_atomic(target, docs_page(ontology_file, data_files))
    return target


_UNION = re.compile(
    r'(<td>\n)(\s*<span>(?:(?!</td>).)*?<span class="cardinality">(?:or|and)</span>'
    r"(?:(?!</td>).)*?</span>\n)(\s*</td>)",
    re.DOTALL,
)
_JOIN = re.compile(r'\n(\s*)<span class="cardinality">(or|and)</span>\n')


def stable(page: str) -> str:
    """pyLODE lists the members of a union or intersection in set order, which changes from run
    to run; sort them by their text so that the page is byte-stable."""

    def fix(m: re.Match[str]) -> str:
        parts = _JOIN.split(m.group(2))
        items, indents, joins = parts[0::3], parts[1::3], parts[2::3]
        if len(set(joins)) != 1:
            return m.group(0)
        indent = indents[0]
        ordered = sorted((i.strip() for i in items), key=lambda i: re.sub(r"<[^>]+>|\s+", "", i))
        sep = f'\n{indent}<span class="cardinality">{joins[0]}</span>\n{indent}'
        return f"{m.group(1)}{indent}{sep.join(ordered)}\n{m.group(3)}"

    return _UNION.sub(fix, page)


_ENTITY = re.compile(
    r'<div class="(?:property|class)[^"]*" id="([^"]+)">.*?<code>([^<]+)</code>', re.DOTALL
)


def anchors(page: str) -> dict[str, str]:
    """The anchor of each term the page documents, keyed by the term's IRI."""
    return {iri: anchor for anchor, iri in _ENTITY.findall(page)}
