"""Catalog benchmarks: import of a 10,000-item catalog, plan p95 for a ten-item life event, search p95 over it.

    DATABASE_URL=… .venv/bin/python bench/bench_catalog.py [--items 10000] [--repeat 300]

Runs against a fresh database of its own (a temporary SQLite file, or the PostgreSQL named by DATABASE_URL, whose
database is dropped and recreated: point it at a scratch database). Prints a Markdown table for
docs/performance.md. Targets (issue 3): plan p95 < 20 ms, search p95 < 10 ms, import < 30 s (export has none).
"""

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERIES = [
    "营业执照", "食品经营许可", "社会保障卡", "医保参保", "户口", "残疾人补贴", "退休", "公积金提取", "道路运输",
    "招牌", "消防", "生孩子", "开饭店", "信用修复", "水电气报装", "就业登记", "不动产", "死亡", "入学", "印章",
]  # fmt: skip


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def spread(samples: list[float]) -> str:
    return f"p50 {statistics.median(samples):.2f} ms, p95 {percentile(samples, 0.95):.2f} ms"


def host_speed_ms() -> float:
    """This machine's speed for pure Python at the moment: a fixed loop (5,000,000 additions), least of 3, in ms.
    A shared host's speed moves from hour to hour; figures of runs are comparable in proportion to it."""
    best = float("inf")
    for _ in range(3):
        start, total = time.perf_counter(), 0
        for i in range(5_000_000):
            total += i
        best = min(best, time.perf_counter() - start)
    return best * 1000


def print_table(heading: str, rows) -> None:
    """A benchmark's figures as the Markdown table docs/performance.md holds."""
    print(heading)
    print()
    print("| measure | workload | result | target |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


@contextmanager
def statement_sites(*, past: tuple[str, ...] = ("/core/rows.py",)):
    """Collect (call site, SQL) for every statement run inside (BEGIN and COMMIT aside): the call site is the
    project's own innermost frame, past the helpers whose file names end with one of `past` (the fixed-SQL helpers
    by default)."""
    from django.db import connection

    sites: list[tuple[str, str]] = []

    def where(execute, sql, params, many, context):
        frames = [f for f in traceback.extract_stack() if "/yijianshi/" in f.filename or "/bench/" in f.filename]
        frames = [f for f in frames if not f.filename.endswith(("bench_catalog.py", *past))]
        site = f"{Path(frames[-1].filename).name}:{frames[-1].lineno} {frames[-1].name}" if frames else "bench"
        sites.append((site, sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(where):
        yield sites


def print_sites(sites: list[tuple[str, str]]) -> None:
    for number, (site, sql) in enumerate(sites, 1):
        print(f"{number:4d} {site:42.42s} {sql[:160]}")


def prepare_database() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        name = url.rsplit("/", 1)[-1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"PostgreSQL ({name})"
    os.environ["YJS_VAR_DIR"] = tempfile.mkdtemp(prefix="yjs-bench-")
    return "SQLite (WAL, temporary file)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()

    database = prepare_database()
    os.environ.setdefault("YJS_VAR_DIR", tempfile.mkdtemp(prefix="yjs-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.catalog_generate import generate
    from yijianshi.catalog import selectors
    from yijianshi.catalog.importer import catalog_import
    from yijianshi.catalog.plan import compute_plan
    from yijianshi.catalog.search import search
    from yijianshi.catalog.yaml_writer import dumps
    from yijianshi.demo.accounts import load_regions

    call_command("migrate", verbosity=0)
    load_regions()
    text = dumps(generate(args.items))

    started = time.perf_counter()
    summary = catalog_import(text=text)
    import_seconds = time.perf_counter() - started
    started = time.perf_counter()
    catalog_import(text=text)
    reimport_seconds = time.perf_counter() - started

    import io

    from yijianshi.catalog.exporter import catalog_export

    started = time.perf_counter()
    catalog_export(io.StringIO())
    export_seconds = time.perf_counter() - started

    rng = random.Random(1)
    codes = [f"LE-BENCH{i:05d}" for i in range(summary.counts["life_events"])]
    # Plan through the API's path: find the published version, read its (cached) snapshot, compute.
    plan_ms, compute_ms = [], []
    for _ in range(args.repeat):
        code = rng.choice(codes)
        answers = {"situation": rng.choice(["a", "b"])}
        started = time.perf_counter()
        plan = selectors.plan_for_answers(code=code, answers=answers)
        plan_ms.append((time.perf_counter() - started) * 1000)
        snapshot = selectors.life_event_snapshot(code)
        started = time.perf_counter()
        compute_plan(snapshot, answers)
        compute_ms.append((time.perf_counter() - started) * 1000)
    assert len(plan["items"]) in (9, 10)

    search(QUERIES[0])  # build the index once, as the first query of a process would
    search_ms = []
    for _ in range(args.repeat):
        query = rng.choice(QUERIES)
        started = time.perf_counter()
        search(query)
        search_ms.append((time.perf_counter() - started) * 1000)

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    documents = args.items + summary.counts["life_events"]
    rows = [
        ("import, fresh database", f"{args.items:,} items, {summary.counts['life_events']:,} life events",
         f"{import_seconds:.1f} s", "< 30 s"),
        ("import again, unchanged", "same file", f"{reimport_seconds:.1f} s", ""),
        ("export", "the same catalog", f"{export_seconds:.1f} s", ""),
        ("plan, 10-item life event (API path)", f"{args.repeat} plans", spread(plan_ms), "p95 < 20 ms"),
        ("plan computation alone", f"{args.repeat} plans", spread(compute_ms), ""),
        ("search", f"{args.repeat} queries over {documents:,} documents", spread(search_ms), "p95 < 10 ms"),
    ]  # fmt: skip
    print_table(f"Catalog benchmark — {database}, commit {commit}, Python {platform.python_version()}, "
                f"{os.cpu_count()} cores", rows)  # fmt: skip


if __name__ == "__main__":
    main()
