"""The user's own knowledge file: add an alias to it, merge another file into it.

Every change is validated before it is written: the new file is loaded over
the shipped data (and the user's other files) in a temporary copy, and only
replaces the old one if that load succeeds. Comments in the file are not kept.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from watchfloor.errors import KnowledgeError
from watchfloor.knowledge.loader import KnowledgeBase, load_knowledge

DEFAULT_USER_FILE = Path("watchfloor-knowledge.yaml")
HEADER = (
    "# watchfloor knowledge file: your actors, places and calendar dates, laid over the\n"
    '# shipped ones (list it in watchfloor.toml: knowledge = ["this-file.yaml"]).\n'
)
SECTIONS = ("actors", "places")
LIST_FIELDS = ("aliases", "context_aliases", "relations", "roles", "near", "actors")
Section = Literal["actors", "places"]


@dataclass
class MergeReport:
    """What a merge added to the user's file, by section: new entries and extended ones."""

    added: dict[str, list[str]] = field(default_factory=dict)
    extended: dict[str, list[str]] = field(default_factory=dict)

    def note(self, section: str, entry_id: str, *, new: bool) -> None:
        (self.added if new else self.extended).setdefault(section, []).append(entry_id)

    def lines(self) -> list[str]:
        """One line per section and outcome, e.g. "added 2 actors: a, b"."""
        return [
            f"{verb} {len(ids)} {section}: {', '.join(ids)}"
            for verb, found in (("added", self.added), ("extended", self.extended))
            for section, ids in found.items()
        ]


def read_user_file(path: Path) -> dict[str, Any]:
    """The file's sections (empty when the file does not exist yet)."""
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise KnowledgeError(f"cannot read knowledge file {path}: {e}") from e
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path}: expected a mapping of sections at the top")
    return data


def add_alias(
    path: Path,
    *,
    section: Section,
    entity_id: str,
    alias: str,
    context: bool = False,
    others: Sequence[Path] = (),
) -> bool:
    """Add an alias (or a context alias) of a known actor or place to the user's file.

    Returns False when the file already gives that alias. `others` are the user's
    other knowledge files, loaded with this one to validate it.
    """
    data = read_user_file(path)
    entry = _entry(data, section, entity_id)
    names = entry.setdefault("context_aliases" if context else "aliases", [])
    if alias in names:
        return False
    names.append(alias)
    write_validated(path, data, others=others)
    return True


def merge_file(source: Path, target: Path, *, others: Sequence[Path] = ()) -> MergeReport:
    """Merge the knowledge file `source` into `target` (entries by id), validated.

    `others` are the user's other knowledge files: the result is loaded with them.
    """
    if source.resolve() == target.resolve():
        raise KnowledgeError(f"{source} is the file to merge into; nothing to do")
    load_knowledge([*others, source])  # the file must be valid on its own first
    incoming, data = read_user_file(source), read_user_file(target)
    report = MergeReport()
    for section in SECTIONS:
        for item in _entries(incoming, section, source):
            _merge_entry(data, section, item, report)
    calendar = incoming.get("calendar") or {}
    for part in ("recurring", "deadlines"):
        for item in _entries(calendar, part, source):
            _merge_entry(data.setdefault("calendar", {}), part, item, report, label="calendar")
    write_validated(target, data, others=others)
    return report


def write_validated(
    path: Path, data: dict[str, Any], *, others: Sequence[Path] = ()
) -> KnowledgeBase:
    """Write `data` to `path` only if it loads cleanly over the shipped knowledge."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    handle, temporary = tempfile.mkstemp(suffix=".yaml", dir=path.parent, prefix=".watchfloor-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        rest = [p for p in others if Path(p).resolve() != path.resolve()]
        try:
            kb = load_knowledge([*rest, Path(temporary)])
        except KnowledgeError as e:
            raise KnowledgeError(str(e).replace(temporary, str(path))) from e
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return kb


def _entry(data: dict[str, Any], section: str, entry_id: str) -> dict[str, Any]:
    entries = data.setdefault(section, [])
    for entry in entries:
        if isinstance(entry, dict) and entry.get("id") == entry_id:
            return entry
    entry = {"id": entry_id}
    entries.append(entry)
    return entry


def _entries(data: dict[str, Any], section: str, source: Path) -> list[dict[str, Any]]:
    items = data.get(section) or []
    if not isinstance(items, list) or not all(isinstance(i, dict) and "id" in i for i in items):
        raise KnowledgeError(f"{source}: `{section}` must be a list of entries with ids")
    return items


def _merge_entry(
    data: dict[str, Any],
    section: str,
    item: dict[str, Any],
    report: MergeReport,
    *,
    label: str | None = None,
) -> None:
    existing = next((e for e in data.get(section) or [] if e.get("id") == item["id"]), None)
    report.note(label or section, item["id"], new=existing is None)
    if existing is None:
        data.setdefault(section, []).append(dict(item))
        return
    for name, value in item.items():
        if name in LIST_FIELDS and isinstance(value, list):
            known = existing.setdefault(name, [])
            known.extend(v for v in value if v not in known)
        else:
            existing[name] = value
