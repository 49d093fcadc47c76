"""The statement lexicon and the narrative themes: shipped YAML, with the user's files laid over.

`statements.yaml` holds the speech verbs by kind, the kinds' PLOVER/CAMEO codes, roles,
channels and outlets; `narratives.yaml` holds the themes. A user's file (YAML) may hold
any section of either: `themes:` entries replace the shipped theme with the same id or
add a new one; in the other sections lists are extended and mappings merged key by key
(a kind's `verbs` and `cues` grow, its codes are replaced). These files are separate
from the knowledge file of `watchfloor kb` (whose loader admits only actors, places and
calendar): pass them with `--themes` or to `load_statement_lexicon` / `load_themes`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from watchfloor.errors import KnowledgeError
from watchfloor.knowledge.loader import shipped_data

STATEMENTS_FILE = "statements.yaml"
NARRATIVES_FILE = "narratives.yaml"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KindEntry(_Entry):
    """One kind of statement: its codes, verbs, content cues and what its cues replace."""

    plover: str | None = None
    plover_mode: str | None = None
    cameo: str | None = None
    cameo_name: str | None = None
    verbs: list[str] = Field(default_factory=list)
    nouns: list[str] = Field(default_factory=list)
    object_verbs: list[str] = Field(default_factory=list)
    objects: list[str] = Field(default_factory=list)
    cues: list[str] = Field(default_factory=list)
    overrides: list[str] = Field(default_factory=list)


class OutletEntry(_Entry):
    """A named news outlet and the channel it is."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    channel: str | None = None


class StatementLexicon(_Entry):
    """Everything the statement extractor reads from data: see statements.yaml.

    >>> load_statement_lexicon().kind_of_verb("threaten")
    'threat'
    """

    kinds: dict[str, KindEntry]
    refine_order: list[str] = Field(default_factory=list)
    phrasal: dict[str, dict[str, str]] = Field(default_factory=dict)
    directive_verbs: list[str] = Field(default_factory=list)
    deadline_words: list[str] = Field(default_factory=list)
    ultimatum_signs: list[str] = Field(default_factory=list)
    condition_marks: list[str] = Field(default_factory=list)
    responsibility_objects: list[str] = Field(default_factory=list)
    frames: dict[str, list[str]] = Field(default_factory=dict)
    roles: dict[str, list[str]] = Field(default_factory=dict)
    anonymous: list[str] = Field(default_factory=list)
    anaphors: dict[str, list[str]] = Field(default_factory=dict)
    statement_nouns: list[str] = Field(default_factory=list)
    undated_adverbs: list[str] = Field(default_factory=list)
    channels: dict[str, list[str]] = Field(default_factory=dict)
    outlets: list[OutletEntry] = Field(default_factory=list)

    @functools.cached_property
    def verb_kinds(self) -> dict[str, str]:
        """Speech verb lemma → kind (the first kind in the file that lists it)."""
        found: dict[str, str] = {}
        for kind, entry in self.kinds.items():
            for verb in [*entry.verbs, *entry.object_verbs]:
                found.setdefault(verb.lower(), kind)
        return found

    def kind_of_verb(self, lemma: str) -> str | None:
        """The kind a speech verb gives, or None when it is no speech verb."""
        return self.verb_kinds.get(lemma.lower())

    @functools.cached_property
    def ultimatum_nouns(self) -> frozenset[str]:
        """Nouns that are a statement by themselves ("a deadline set by X")."""
        return frozenset(n.lower() for e in self.kinds.values() for n in e.nouns)

    @functools.cached_property
    def cue_patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        """(kind, compiled cue) in `refine_order`."""
        order = self.refine_order or list(self.kinds)
        return [
            (kind, _compile(cue, f"kinds.{kind}.cues"))
            for kind in order
            if kind in self.kinds
            for cue in self.kinds[kind].cues
        ]

    @functools.cached_property
    def role_phrases(self) -> list[tuple[str, str]]:
        """(phrase, role), longest phrase first."""
        pairs = [(p.lower(), role) for role, words in self.roles.items() for p in words]
        return sorted(pairs, key=lambda pair: -len(pair[0]))

    @functools.cached_property
    def channel_phrases(self) -> list[tuple[str, str]]:
        """(phrase, channel) in the file's order (most specific channel first)."""
        return [(p.lower(), channel) for channel, words in self.channels.items() for p in words]

    def codes(self, kind: str) -> tuple[str | None, str | None]:
        """The PLOVER category and CAMEO code of a kind."""
        entry = self.kinds.get(kind)
        return (entry.plover, entry.cameo) if entry else (None, None)


class Theme(_Entry):
    """A narrative theme: its id, label, cue patterns and examples.

    >>> theme = Theme(id="t", label="T", cues=["occupi"])
    >>> theme.matches("the American-occupied country")
    True
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    label: str
    description: str = ""
    cues: list[str] = Field(min_length=1)
    examples: list[str] = Field(default_factory=list)

    @functools.cached_property
    def patterns(self) -> list[re.Pattern[str]]:
        """The compiled cues."""
        return [_compile(cue, f"themes.{self.id}.cues") for cue in self.cues]

    def matches(self, text: str) -> bool:
        """Whether any cue is found in the text."""
        return any(p.search(text) for p in self.patterns)


def _compile(cue: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(rf"(?<![\w]){cue}", re.IGNORECASE)
    except re.error as e:
        raise KnowledgeError(f"{where}: {cue!r} is not a valid pattern: {e}") from e


# -- loading ------------------------------------------------------------------------


def load_statement_lexicon(extra: Sequence[Path] = ()) -> StatementLexicon:
    """The shipped statement lexicon with the user's files (their statement sections) over it.

    >>> load_statement_lexicon().codes("ultimatum")
    ('THREATEN', '139')
    """
    return _lexicon(_stamps(extra))


def load_themes(extra: Sequence[Path] = ()) -> list[Theme]:
    """The shipped themes, with the user's files' `themes:` laid over them by id.

    >>> [t.id for t in load_themes()][:2]
    ['us-occupier', 'withdrawal-victory']
    """
    return list(_themes(_stamps(extra)))


Stamps = tuple[tuple[Path, int, int], ...]


def _stamps(extra: Sequence[Path]) -> Stamps:
    found = []
    for path in extra:
        try:
            stat = Path(path).stat()
        except OSError as e:
            raise KnowledgeError(f"cannot read the statements/themes file {path}: {e}") from e
        found.append((Path(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


@functools.lru_cache(maxsize=8)
def _lexicon(stamps: Stamps) -> StatementLexicon:
    data = _read(shipped_data() / STATEMENTS_FILE)
    for path, _, _ in stamps:
        user = _read(path)
        _check_sections(user, path, allowed=set(StatementLexicon.model_fields) | {"themes"})
        data = _overlay(data, {k: v for k, v in user.items() if k != "themes"})
    try:
        return StatementLexicon.model_validate(data)
    except ValidationError as e:
        raise KnowledgeError(f"statement lexicon: {_problems(e)}") from e


@functools.lru_cache(maxsize=8)
def _themes(stamps: Stamps) -> tuple[Theme, ...]:
    themes: dict[str, Theme] = {}
    sources = [(shipped_data() / NARRATIVES_FILE, None), *((p, p) for p, _, _ in stamps)]
    for path, user in sources:
        data = _read(path)
        if user is not None:
            _check_sections(data, path, allowed=set(StatementLexicon.model_fields) | {"themes"})
        entries = data.get("themes") or []
        if not isinstance(entries, list):
            raise KnowledgeError(f"{path}: `themes` must be a list of themes")
        for n, entry in enumerate(entries):
            try:
                theme = Theme.model_validate(entry)
            except ValidationError as e:
                raise KnowledgeError(f"{path}: themes[{n}]: {_problems(e)}") from e
            theme.patterns  # noqa: B018 -- compile now, so that a bad cue fails at load
            themes[theme.id] = theme
    return tuple(themes.values())


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise KnowledgeError(f"cannot read {path}: {e}") from e
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path}: expected a mapping of sections at the top")
    return data


def _check_sections(data: dict[str, Any], path: Path, *, allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise KnowledgeError(
            f"{path}: unknown section(s) {', '.join(sorted(unknown))}; a statements file "
            f"holds {', '.join(sorted(allowed))}"
        )


def _overlay(base: Any, extra: Any) -> Any:
    """`extra` laid over `base`: mappings merged by key, lists extended, the rest replaced.

    >>> _overlay({"a": [1], "b": {"c": 1}}, {"a": [2, 1], "b": {"d": 2}})
    {'a': [1, 2], 'b': {'c': 1, 'd': 2}}
    """
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for key, value in extra.items():
            merged[key] = _overlay(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(extra, list):
        return [*base, *(item for item in extra if item not in base)]
    return extra


def _problems(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '(entry)'}: {e['msg']}" for e in error.errors()
    )
