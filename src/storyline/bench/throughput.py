"""Throughput: the full pipeline (clean → nlp → time, actors, quotes, events) against bare spaCy ``nlp.pipe``.

Both run over the same ``*.txt`` files under ``--data`` (default: the shared PolNeAR dev texts,
``quotes/polnear/dev/text``) in one run, with the same spaCy model, loaded and warmed up before timing.
Reports documents per second of each and their ratio (pipeline / parse; 1.0 would mean the stages
after parsing cost nothing).  A ``YYYY-MM-DD`` in a file name is passed as the publication date, as a
user would with ``--published``.  ``failed`` counts documents the pipeline turned into an input error.
``cpu_ratio`` is the same ratio on process CPU time, steadier than wall time on a shared machine.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Optional

import typer

DEFAULT = "quotes/polnear/dev/text"
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


def load_texts(data: Path, limit: Optional[int] = None) -> list[tuple[str, str]]:
    """[(file name, text)] for every ``*.txt`` under ``data`` (recursively), sorted by path."""
    files = [data] if data.is_file() else sorted(p for p in data.rglob("*.txt") if p.is_file())
    out = []
    for p in files:
        try:
            out.append((p.name, p.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
        if limit and len(out) >= limit:
            break
    return out


def _documents(items: list[tuple[str, str]]):
    from storyline.model import Document

    docs = []
    for name, text in items:
        m = _DATE.search(name)
        docs.append(Document.from_bytes(text.encode("utf-8"), source=name, media_type="text", encoding="utf-8",
                                        published_hint=m.group(1) if m else None,
                                        published_hint_source="user" if m else None))
    return docs


def measure(items: list[tuple[str, str]], batch_size: int = 16) -> dict:
    from storyline import nlp
    from storyline.errors import InputError
    from storyline.pipeline import PipelineConfig, run

    model = nlp.load()
    config = PipelineConfig(batch_size=batch_size)
    # warm-up (not timed): model caches, lexicons and lazily built matchers of every stage
    list(model.pipe([items[0][1][:2000]]))
    list(run(_documents(items[:1]), config))

    texts = [t for _, t in items]
    t0, c0 = time.perf_counter(), time.process_time()
    n_parsed = sum(1 for _ in model.pipe(texts, batch_size=batch_size))
    parse_s, parse_cpu = time.perf_counter() - t0, time.process_time() - c0

    docs = _documents(items)
    t0, c0 = time.perf_counter(), time.process_time()
    failed = 0
    for result in run(docs, config):
        if isinstance(result, InputError):
            failed += 1
    pipeline_s, pipeline_cpu = time.perf_counter() - t0, time.process_time() - c0

    parse_rate = n_parsed / parse_s if parse_s > 0 else 0.0
    pipeline_rate = len(docs) / pipeline_s if pipeline_s > 0 else 0.0
    return {
        "pipeline_docs_per_s": round(pipeline_rate, 3),
        "parse_docs_per_s": round(parse_rate, 3),
        "ratio": round(pipeline_rate / parse_rate, 3) if parse_rate else 0.0,
        "cpu_ratio": round(parse_cpu / pipeline_cpu, 3) if pipeline_cpu > 0 else 0.0,
        "pipeline_seconds": round(pipeline_s, 2),
        "parse_seconds": round(parse_s, 2),
        "pipeline_cpu_seconds": round(pipeline_cpu, 2),
        "parse_cpu_seconds": round(parse_cpu, 2),
        "chars": sum(len(t) for t in texts),
        "failed": failed,
        "model": nlp.model_name(),
    }


def command(
    data: Optional[Path] = typer.Option(None, "--data", help=f"Folder of *.txt files (default: shared {DEFAULT})."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Use only the first N files."),
    batch_size: int = typer.Option(16, "--batch-size", min=1, help="nlp.pipe batch size (both runs)."),
) -> None:
    from storyline.bench.common import emit, resolve_data, skip

    root = resolve_data(data, DEFAULT)
    if root is None:
        skip(f"no data: {data if data is not None else 'shared ' + DEFAULT} not found", as_json)
    items = [(n, t) for n, t in load_texts(root, limit) if t.strip()]
    if not items:
        skip(f"no non-empty *.txt files under {root}", as_json)
    metrics = measure(items, batch_size=batch_size)
    emit({"storyline": metrics, "peers": {}, "n": len(items)}, as_json, "throughput (docs/s)",
         keys=["pipeline_docs_per_s", "parse_docs_per_s", "ratio", "cpu_ratio", "pipeline_seconds", "parse_seconds",
               "pipeline_cpu_seconds", "parse_cpu_seconds", "failed"])
