"""A fast stand-in for spaCy's EntityRuler, for the knowledge base's token patterns.

The knowledge base gives some 2,000 token patterns of a narrow kind: each token
is matched on ORTH or LOWER, against one string or a set ({"IN": [...]}),
and may be optional ({"OP": "?"}: dashes between words, apostrophes).
spaCy's Matcher tries every pattern at every token, which cost more than the
whole statistical pipeline. Here the patterns are compiled into one
automaton over token hashes (a tree of patterns with shared prefixes; an
optional token is an edge that may be skipped), so a token that starts no
name costs two dictionary look-ups.

Matches are chosen as the EntityRuler chooses them: longest first, then the
earliest; a match whose first or last token is already taken is dropped. Where
two patterns match the very same span with different labels or ids (spaCy's
choice then depends on hash order), the actor name wins over the place name,
and both over a context alias.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

FACTORY = "watchfloor_knowledge_ruler"
CONTEXT_PREFIX = "ctx:"
_ATTRS = ("ORTH", "LOWER")


@dataclass
class _Node:
    """One state of the automaton: the patterns' tokens read so far."""

    children: dict[str, int] = field(default_factory=dict)  # token spec -> node
    specs: list[tuple[str, tuple[str, ...], bool]] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)  # targets whose pattern ends here


@dataclass(frozen=True)
class _Target:
    label: str
    ent_id: str
    rank: int  # 0 actor, 1 place, 2 context alias: the winner of a tie on the same span


class KnowledgeRuler:
    """Entities from token patterns (ORTH/LOWER, str or IN, optional "?"), as EntityRuler sets them.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> ruler = nlp.add_pipe(FACTORY)
    >>> ruler.add_patterns([{"label": "ACTOR", "id": "kh", "pattern": [{"LOWER": "kataib"},
    ...     {"ORTH": "-", "OP": "?"}, {"LOWER": {"IN": ["hezbollah", "hizbullah"]}}]}])
    >>> [(e.text, e.label_, e.ent_id_) for e in nlp("Kataib Hizbullah fired").ents]
    [('Kataib Hizbullah', 'ACTOR', 'kh')]
    """

    def __init__(self, vocab: Vocab, name: str = FACTORY, *, overwrite: bool = True) -> None:
        self.vocab = vocab
        self.name = name
        self.overwrite = overwrite
        self.patterns: list[dict[str, Any]] = []
        self._targets: list[_Target] = []
        self._target_index: dict[tuple[str, str], int] = {}
        self._nodes: list[_Node] = [_Node()]
        self._compiled = False
        # Per node: token hash -> next nodes, over the node and the optional tokens after it.
        self._orth: list[dict[int, tuple[int, ...]]] = []
        self._lower: list[dict[int, tuple[int, ...]]] = []
        self._accepts: list[tuple[int, ...]] = []

    def __len__(self) -> int:
        return len(self.patterns)

    def add_patterns(self, patterns: Iterable[Mapping[str, Any]]) -> None:
        """Add EntityRuler-style patterns: {"label": ..., "pattern": [token specs], "id": ...}."""
        for entry in patterns:
            label, tokens = str(entry["label"]), entry["pattern"]
            ent_id = str(entry.get("id", ""))
            if not isinstance(tokens, list) or not tokens:
                raise ValueError(f"not a token pattern: {tokens!r}")
            specs = [_spec(token) for token in tokens]
            target = self._target(label, ent_id)
            node = 0
            for spec in specs:
                key = repr(spec)
                child = self._nodes[node].children.get(key)
                if child is None:
                    child = len(self._nodes)
                    self._nodes.append(_Node())
                    self._nodes[node].children[key] = child
                    self._nodes[node].specs.append(spec)
                node = child
            if target not in self._nodes[node].ends:
                self._nodes[node].ends.append(target)
            self.patterns.append(dict(entry))
        self._compiled = False

    def _target(self, label: str, ent_id: str) -> int:
        known = self._target_index.get((label, ent_id))
        if known is not None:
            return known
        rank = 2 if ent_id.startswith(CONTEXT_PREFIX) else 1 if label == "PLACE" else 0
        self._targets.append(_Target(label, ent_id, rank))
        self._target_index[label, ent_id] = len(self._targets) - 1
        return len(self._targets) - 1

    def _compile(self) -> None:
        strings = self.vocab.strings
        closures = [self._closure(n) for n in range(len(self._nodes))]
        self._orth, self._lower, self._accepts = [], [], []
        for closure in closures:
            tables: dict[str, dict[int, set[int]]] = {"ORTH": {}, "LOWER": {}}
            accepts: set[int] = set()
            for state in closure:
                node = self._nodes[state]
                accepts.update(node.ends)
                for spec, child in zip(node.specs, node.children.values(), strict=True):
                    attr, values, _ = spec
                    for value in values:
                        tables[attr].setdefault(strings.add(value), set()).add(child)
            self._orth.append({k: tuple(sorted(v)) for k, v in tables["ORTH"].items()})
            self._lower.append({k: tuple(sorted(v)) for k, v in tables["LOWER"].items()})
            self._accepts.append(tuple(sorted(accepts)))
        self._compiled = True

    def _closure(self, start: int) -> list[int]:
        """The node and every node reached from it by skipping optional tokens."""
        found, todo = [start], [start]
        while todo:
            node = self._nodes[todo.pop()]
            for spec, child in zip(node.specs, node.children.values(), strict=True):
                if spec[2] and child not in found:
                    found.append(child)
                    todo.append(child)
        return found

    def match(self, doc: Doc) -> list[tuple[int, int, int]]:
        """Every (target, start, end) that a pattern matches, in the order entities are chosen."""
        if not self._compiled:
            self._compile()
        if len(doc) == 0:
            return []
        rows = doc.to_array([ORTH, LOWER]).tolist()
        orth_of, lower_of = self._orth, self._lower
        accepts_of = self._accepts
        root_orth, root_lower = orth_of[0], lower_of[0]
        n = len(rows)
        found: set[tuple[int, int, int]] = set()
        for start in range(n):
            orth, lower = rows[start]
            states = root_orth.get(orth, ()) + root_lower.get(lower, ())
            end = start + 1
            while states:
                for state in states:
                    for target in accepts_of[state]:
                        found.add((target, start, end))
                if end == n:
                    break
                orth, lower = rows[end]
                following: set[int] = set()
                for state in states:
                    following.update(orth_of[state].get(orth, ()))
                    following.update(lower_of[state].get(lower, ()))
                states = tuple(following)
                end += 1
        targets = self._targets
        return sorted(found, key=lambda m: (m[1] - m[2], m[1], targets[m[0]].rank, m[0]))

    def __call__(self, doc: Doc) -> Doc:
        """Set the matches as the document's entities (as EntityRuler does)."""
        entities = list(doc.ents)
        new_entities: list[Span] = []
        seen: set[int] = set()
        for target_index, start, end in self.match(doc):
            if not self.overwrite and any(t.ent_type for t in doc[start:end]):
                continue
            if start in seen or end - 1 in seen:
                continue
            target = self._targets[target_index]
            new_entities.append(Span(doc, start, end, label=target.label, span_id=target.ent_id))
            entities = [e for e in entities if not (e.start < end and e.end > start)]
            seen.update(range(start, end))
        doc.ents = entities + new_entities
        return doc


def _spec(token: Mapping[str, Any]) -> tuple[str, tuple[str, ...], bool]:
    """(attribute, accepted strings, optional) of one token spec; ValueError for other kinds."""
    optional = token.get("OP") == "?"
    keys = set(token) - {"OP"}
    if token.get("OP") not in (None, "?") or len(keys) != 1 or next(iter(keys)) not in _ATTRS:
        raise ValueError(f"unsupported token spec: {token!r}")
    attr = next(iter(keys))
    value = token[attr]
    if isinstance(value, str):
        return attr, (value,), optional
    if isinstance(value, Mapping) and set(value) == {"IN"}:
        values: Sequence[str] = value["IN"]
        return attr, tuple(sorted(set(map(str, values)))), optional
    raise ValueError(f"unsupported token spec: {token!r}")


@Language.factory(FACTORY, default_config={"overwrite_ents": True})
def make_knowledge_ruler(nlp: Language, name: str, overwrite_ents: bool) -> KnowledgeRuler:
    """The spaCy factory: an empty ruler; add patterns with `add_patterns`."""
    return KnowledgeRuler(nlp.vocab, name, overwrite=overwrite_ents)
