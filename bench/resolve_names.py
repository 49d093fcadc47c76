"""How fast names resolve: 100,000 actor names, cold cache then warm. Prints; asserts nothing.

The names mix known aliases as written, the same with noise (case, apostrophes,
articles, a dropped or doubled letter) and invented names that must stay unknown.

    python bench/resolve_names.py [--names 100000] [--seed 7] [--data-dir FOLDER]
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from watchfloor.knowledge import load_knowledge, ruler_patterns
from watchfloor.resolve import NameResolver, normalise_name

SYLLABLES = "ka ta ib ra sh al mu har bat qa zi dor nas fel tam um ri sa wal han jib".split()


def noisy(name: str, rng: random.Random) -> str:
    """The name as a careless report might write it."""
    edits: list[Callable[[str], str]] = [
        str.upper,
        str.lower,
        lambda s: s.replace("’", "'").replace("'", ""),
        lambda s: s.replace("al-", "al ").replace("Al-", "as-"),
        lambda s: s.replace("-", " "),
    ]
    name = rng.choice(edits)(name)
    if len(name) > 6 and rng.random() < 0.6:
        i = rng.randrange(1, len(name) - 1)
        name = name[:i] + name[i + 1 :] if rng.random() < 0.5 else name[:i] + name[i] + name[i:]
    return name


def invented(rng: random.Random) -> str:
    """A name that no knowledge base holds."""
    words = ["".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))) for _ in range(rng.randint(1, 3))]
    return " ".join(w.capitalize() for w in words)


def names(aliases: list[str], count: int, rng: random.Random) -> list[str]:
    """40% aliases as written, 30% noisy aliases, 30% invented names."""
    out = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.4:
            out.append(rng.choice(aliases))
        elif roll < 0.7:
            out.append(noisy(rng.choice(aliases), rng))
        else:
            out.append(invented(rng))
    return out


def timed(label: str, work: Callable[[], object], count: int) -> float:
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:8.3f} s   {count / seconds:>12,.0f} names/s")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data-dir", type=Path, help="a data folder other than the shipped one")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    start = time.perf_counter()
    kb = load_knowledge(data_dir=args.data_dir)
    print(f"knowledge base: {len(kb.actors)} actors, {len(kb.places)} places "
          f"({time.perf_counter() - start:.2f} s to load)")  # fmt: skip
    aliases = [n for a in kb.actors.values() for n in [a.name, *a.aliases, *a.context_aliases]]
    batch = names(aliases, args.names, rng)
    print(f"{len(batch):,} names, {len(set(batch)):,} distinct")

    start = time.perf_counter()
    resolver = NameResolver(kb)
    print(f"resolver built in {time.perf_counter() - start:.3f} s")
    timed("normalise_name (no cache)", lambda: [normalise_name(n) for n in batch], len(batch))
    timed(
        "resolve_actor, cold cache", lambda: [resolver.resolve_actor(n) for n in batch], len(batch)
    )
    timed(
        "resolve_actor, warm cache", lambda: [resolver.resolve_actor(n) for n in batch], len(batch)
    )
    context = ["Kata’ib Hezbollah", "Moqtada al-Sadr", "Qassem Soleimani"]
    timed(
        "resolve_actor with a document's context, warm",
        lambda: [resolver.resolve_actor(n, context=context) for n in batch],
        len(batch),
    )
    methods = Counter(resolver.resolve_actor(n).method for n in batch)
    print("methods:", ", ".join(f"{m} {c:,}" for m, c in methods.most_common()))

    start = time.perf_counter()
    patterns = ruler_patterns(kb)
    print(f"ruler_patterns: {len(patterns):,} patterns in {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
