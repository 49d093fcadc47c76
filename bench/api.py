"""API latency: filtered event queries against a store of many events, over real HTTP.

    python bench/api.py [--events 1000000] [--requests 2000] [--concurrency 2]

Builds (once; reused while its event count matches) a SQLite store of N events in
/tmp: the real 2006-2008 Iraq events of ../shared/data/iraq-insurgency-2006-2008
repeated with their dates shifted by three years a copy (a synthetic series where
that file is absent), ten to a document, each its own fused event with an actor and,
for some, a claim or an attribution: records built as extraction builds them, turned
into rows by the store's own functions, bulk-inserted with SQLAlchemy Core executemany. Then it
starts uvicorn on a free loopback port in another process, and drives it with httpx
from `--concurrency` threads: a mix of date-range, type, bounding-box, actor,
claimant, place, words and paging queries against /api/events. Prints p50, p95 and
p99 latency per query kind and overall. Nothing is asserted: the machines are shared.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import sqlalchemy as sa

from watchfloor.ingest import make_document
from watchfloor.knowledge import load_knowledge
from watchfloor.model import Attribution, Claim, Event, EventActor, Extraction, SourceSpan
from watchfloor.resolve.fusion import FusedEvent, fused_id
from watchfloor.store import Store, rows, schema

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "iraq-insurgency-2006-2008" / "events.csv.gz"
BATCH = 50_000
SHIFT_YEARS = 3
PER_DOCUMENT = 10
TYPES = {
    "IED": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "SAF": ("Battles", "Armed clash"),
    "other": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "Airstrike": ("Explosions/Remote violence", "Air/drone strike"),
    "SOF": ("Battles", "Armed clash"),
}
GROUPS = [f"bench-group-{n:02d}" for n in range(20)]
COALITION = "bench-coalition"
Row = tuple[dt.date, float, float, str, str]


def source_rows() -> list[Row]:
    """The real events (date, lon, lat, side, type), or a synthetic year where absent."""
    if DATA.exists():
        with gzip.open(DATA, "rt", encoding="utf-8") as handle:
            return [
                (
                    dt.date.fromisoformat(r["date"]),
                    float(r["longitude"]),
                    float(r["latitude"]),
                    r["side"],
                    r["type"],
                )
                for r in csv.DictReader(handle)
            ]
    print(f"{DATA} is absent: using a synthetic series")
    rng = random.Random(1)
    start = dt.date(2006, 1, 1)
    return [
        (
            start + dt.timedelta(days=rng.randrange(900)),
            rng.uniform(39, 48),
            rng.uniform(29.5, 37),
            "insurgent",
            rng.choice(["IED", "SAF", "other"]),
        )
        for _ in range(100_000)
    ]


def shifted(day: dt.date, copy: int) -> dt.date:
    """The day moved `copy` times SHIFT_YEARS years later (29 February becomes the 28th)."""
    year = day.year + SHIFT_YEARS * copy
    return day.replace(year=year, day=min(day.day, 28) if day.month == 2 else day.day)


def nearest_places(rows: list[Row]) -> list[Any]:
    """The knowledge base's place nearest each row (a rough equirectangular distance)."""
    places = [p for p in load_knowledge().places.values() if p.lat is not None]
    lat = np.array([p.lat for p in places])
    lon = np.array([p.lon for p in places])
    found = []
    for start in range(0, len(rows), 10_000):
        chunk = rows[start : start + 10_000]
        y = np.array([r[2] for r in chunk])[:, None]
        x = np.array([r[1] for r in chunk])[:, None]
        found += [places[i] for i in np.argmin((y - lat) ** 2 + ((x - lon) * 0.84) ** 2, axis=1)]
    return found


Batch = dict[str, list[dict[str, Any]]]


def event_batches(n: int) -> Iterator[Batch]:
    """Rows for every table, about BATCH events at a time, as the store writes them."""
    base = source_rows()
    places = nearest_places(base)
    rng = random.Random(7)
    batch: Batch = {}
    for start in range(0, n, PER_DOCUMENT):
        reports = []
        for i in range(start, min(start + PER_DOCUMENT, n)):
            copy, k = divmod(i, len(base))
            day, lon, lat, side, kind = base[k]
            reports.append((shifted(day, copy), lon, lat, side, kind, places[k]))
        _add_document(batch, start // PER_DOCUMENT, reports, rng)
        if len(batch["events"]) >= BATCH:
            yield batch
            batch = {}
    if batch:
        yield batch


def _add_document(batch: Batch, number: int, reports: list[Any], rng: random.Random) -> None:
    """One synthetic document and its events, each its own fused event."""
    document = make_document(
        f"Synthetic report {number} for the API benchmark.",
        source="bench",
        fmt="txt",
        published=reports[0][0],
    )
    events = [_event(document.document_id, n, report, rng) for n, report in enumerate(reports)]
    extraction = Extraction(document_id=document.document_id, events=events)
    now = dt.datetime.now(dt.UTC)
    batch.setdefault("documents", []).append(rows.document_row(document, ingested_at=now))
    for table, found in rows.extraction_rows(extraction):
        batch.setdefault(table.name, []).extend(found)
    for event in events:
        fused = FusedEvent(
            id=fused_id([event.id]),
            event=event.model_copy(update={"id": fused_id([event.id])}),
            member_ids=[event.id],
            document_ids=[document.document_id],
        )
        batch.setdefault("fused_events", []).append(rows.fused_event_row(fused))
        batch.setdefault("fusion_members", []).append({"fused_id": fused.id, "event_id": event.id})


def _event(document_id: str, n: int, report: Any, rng: random.Random) -> Event:
    """One event: its type from the source's, an actor, and sometimes a claim or a blame."""
    day, lon, lat, side, kind, place = report
    event_type, sub_type = TYPES.get(kind, TYPES["other"])
    actor = COALITION if side == "coalition" else rng.choice(GROUPS)
    sentence = f"A {sub_type.lower()} was reported near {place.name} ({kind})."
    insurgent = actor != COALITION
    return Event(
        id=f"{document_id}-e{n + 1}",
        date=day,
        event_type=event_type,
        sub_event_type=sub_type,
        disorder_type="Political violence",
        place=place.model_copy(update={"lat": lat, "lon": lon, "geo_precision": 2}),
        actors=[EventActor(actor_id=actor, name=actor, role="perpetrator")],
        claims=[Claim(claimant_id=actor, document_id=document_id)]
        if insurgent and rng.random() < 0.1
        else [],
        attributions=[Attribution(actor_id=actor, document_id=document_id)]
        if insurgent and rng.random() < 0.05
        else [],
        sources=[SourceSpan(document_id=document_id, start=0, end=len(sentence), text=sentence)],
    )


def build_store(path: Path, n: int) -> None:
    """Create the store of n events at path (unless it already holds exactly n)."""
    if path.exists():
        with Store.open(str(path)) as store:
            if store.counts()["events"] == n:
                print(f"reusing {path} ({n:,} events)")
                return
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    start = time.perf_counter()
    with Store.open(str(path)) as store:
        for batch in event_batches(n):
            with store.engine.begin() as connection:
                connection.exec_driver_sql("PRAGMA cache_size = -400000")
                for name, found in batch.items():
                    if found:
                        connection.execute(schema.metadata.tables[name].insert(), found)
        with store.engine.begin() as connection:
            connection.execute(sa.text("ANALYZE"))
    print(f"built {path}: {n:,} events in {time.perf_counter() - start:.0f} s")


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(path: Path, port: int) -> subprocess.Popen[bytes]:
    """uvicorn serving the store, in another process, once it answers."""
    code = (
        "import uvicorn; from watchfloor.serve.app import create_app; "
        f"uvicorn.run(create_app({str(path)!r}), host='127.0.0.1', port={port}, "
        "log_level='warning')"
    )
    server = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/events?limit=1", timeout=5).raise_for_status()
            return server
        except httpx.HTTPError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the server did not answer within two minutes")


Query = tuple[str, dict[str, Any]]


def query_mix(rng: random.Random, first: dt.date, last: dt.date) -> Callable[[], Query]:
    """A function that draws one query of a random kind with random values."""
    places = ["camp-taji", "baghdad", "balad-airbase", "ramadi", "Mosul", "Anbar"]
    span = (last - first).days

    def day(width: int) -> tuple[str, str]:
        start = first + dt.timedelta(days=rng.randrange(max(span - width, 1)))
        return start.isoformat(), (start + dt.timedelta(days=width)).isoformat()

    def draw() -> Query:
        kind = rng.choice(
            [
                "dates",
                "type+dates",
                "bbox",
                "actor",
                "claimant",
                "place",
                "words+dates",
                "latest",
                "page",
            ]
        )
        since, until = day(30)
        if kind == "dates":
            return kind, {"since": since, "until": until}
        if kind == "type+dates":
            since, until = day(90)
            sub = rng.choice([t[1] for t in TYPES.values()])
            return kind, {"type": sub, "since": since, "until": until}
        if kind == "bbox":
            lon, lat = rng.uniform(40, 47), rng.uniform(30, 36.5)
            return kind, {"bbox": f"{lon:.2f},{lat:.2f},{lon + 1:.2f},{lat + 1:.2f}"}
        if kind == "actor":
            return kind, {"actor": rng.choice(GROUPS)}
        if kind == "claimant":
            return kind, {"claimant": rng.choice(GROUPS)}
        if kind == "place":
            return kind, {"place": rng.choice(places)}
        if kind == "words+dates":
            return kind, {
                "q": rng.choice(["IED", "Baghdad", "air/drone"]),
                "since": since,
                "until": until,
            }
        if kind == "page":
            return kind, {"offset": rng.randrange(50, 1000, 50)}
        return kind, {}

    return draw


def drive(port: int, draw: Callable[[], Query], requests: int, concurrency: int) -> list[Any]:
    """Send the requests from `concurrency` threads; (kind, seconds, items) of each."""
    results: list[Any] = []
    lock = threading.Lock()
    queries = [draw() for _ in range(requests)]

    def worker(part: list[Query]) -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            for kind, params in part:
                start = time.perf_counter()
                response = client.get("/api/events", params=params)
                took = time.perf_counter() - start
                response.raise_for_status()
                with lock:
                    results.append((kind, took, len(response.json()["items"])))

    threads = [
        threading.Thread(target=worker, args=(queries[i::concurrency],)) for i in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) in milliseconds."""
    return float(np.percentile(np.array(values), q) * 1000)


def report(results: list[Any], wall: float) -> None:
    """Print latency per query kind and overall."""
    print(f"{'query':<14}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'rows':>7}")
    for kind in [*sorted({r[0] for r in results}), "ALL"]:
        chosen = [r for r in results if kind in ("ALL", r[0])]
        times = [r[1] for r in chosen]
        rows = statistics.mean(r[2] for r in chosen)
        print(
            f"{kind:<14}{len(chosen):>6}{percentile(times, 50):>9.1f}"
            f"{percentile(times, 95):>9.1f}{percentile(times, 99):>9.1f}{rows:>7.1f}"
        )
    print(f"throughput: {len(results) / wall:.0f} requests/s")


def main() -> None:
    """Build the store, start the server, drive it, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="events in the store")
    parser.add_argument("--requests", type=int, default=2000, help="requests to time")
    parser.add_argument("--concurrency", type=int, default=2, help="client threads")
    parser.add_argument("--db", type=Path, help="store path (default: the temp folder)")
    args = parser.parse_args()
    path = args.db or Path(tempfile.gettempdir()) / f"watchfloor-bench-api-{args.events}.db"
    build_store(path, args.events)
    with Store.open(str(path)) as store, store.engine.connect() as connection:
        first, last = connection.execute(
            sa.select(sa.func.min(schema.events.c.date), sa.func.max(schema.events.c.date))
        ).one()
    port = free_port()
    server = start_server(path, port)
    try:
        draw = query_mix(random.Random(11), first, last)
        drive(port, draw, min(100, args.requests), args.concurrency)  # warm-up
        start = time.perf_counter()
        results = drive(port, draw, args.requests, args.concurrency)
        wall = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"{args.events:,} events, {args.requests} requests, {args.concurrency} client threads")
    report(results, wall)
    print(
        json.dumps(
            {
                "events": args.events,
                "p50_ms": percentile([r[1] for r in results], 50),
                "p95_ms": percentile([r[1] for r in results], 95),
            }
        )
    )


if __name__ == "__main__":
    main()
