"""Case engine benchmarks (issue 4): an approver's task list and the deadline scan over a million cases, journeys per
second, submission latency under load, and PostgreSQL's own commit rate (pgbench) for comparison.

    REDIS_URL=redis://127.0.0.1:6379/15 DATABASE_URL=postgres://postgres@127.0.0.1:5432/yjs_bench_cases \
        .venv/bin/python bench/bench_cases.py [--cases 1000000] [--seconds 15] [--workers 1,2,4,8,16] [--clients 32]

PostgreSQL only (the bulk rows are written with INSERT … SELECT generate_series, bench/cases_generate.py). The
database named by DATABASE_URL is dropped and recreated, and so is a second one for pgbench (its name + "_pgbench"):
point it at a scratch database. REDIS_URL, if given, should name a scratch Redis database: the job queue is flushed at
the end (without it, Huey queues the SMS copies in a SQLite file in a temporary directory).

Every service is called as the API calls it, minus HTTP: a principal built from the user for each call, then the
service. Concurrent drivers are processes forked from a warm one, each with its own connection. Prints a Markdown
table for docs/performance.md. Targets (issue 4): ≥ 50 journeys/s, submission p95 < 100 ms at 32 clients, task list
p95 < 50 ms and deadline scan < 2 s over a million cases and open tasks.
"""

import argparse
import datetime
import io
import multiprocessing
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_catalog import (  # noqa: E402
    host_speed_ms,
    percentile,
    prepare_database,
    print_sites,
    print_table,
    spread,
    statement_sites,
)

FORM = {"applicant-name": "测试申请人", "child-name": "张小宝", "birth-date": "2026-11-20", "address": "金水路 1 号",
        "phone": "13800138000"}  # fmt: skip
STAFF_PASSWORD = "Bench-pass-2026"  # noqa: S105 (scratch database)
MEASURED_DEPARTMENT = 17  # a bulk department: about 5,000 open tasks per million cases


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- people ----------------------------------------------------------------------------------------------------------


def staff(username: str, role: str, *, region=None, department=None):
    from yijianshi.accounts import services

    user = services.user_create_staff(username=username, password=STAFF_PASSWORD, name=username)
    services.role_assign(user=user, role_code=role, region=region, department=department)
    return user


def applicants(count: int, region) -> list[tuple[int, dict]]:
    """`count` person applicants with an account each, and the files of one application uploaded by each."""
    from yijianshi.accounts import services
    from yijianshi.accounts.models import Applicant
    from yijianshi.demo.identifiers import citizen_id
    from yijianshi.files import formats
    from yijianshi.files.services import file_store

    people = []
    for n in range(count):
        applicant = services.applicant_create(
            kind=Applicant.Kind.PERSON, name="测试申请人", id_number=citizen_id("410105", "19900101", n),
            phone=f"139{n:08d}", region=region,
        )  # fmt: skip
        user = services.user_create_applicant(username=f"applicant{n}", password=None, applicant=applicant)

        def upload(format_name, name, user=user):
            content = formats.sample(format_name)
            name = f"{name}.{formats.EXTENSIONS[format_name]}"
            return str(file_store(upload=io.BytesIO(content), name=name, user=user).pk)

        files = {"id-card": [upload("jpeg", "身份证")], "delivery-record": [upload("pdf", "分娩记录")],
                 "hukou-book": [upload("pdf", "户口簿")]}  # fmt: skip
        people.append((user.pk, files))
    return people


# --- the journey and the submission ---------------------------------------------------------------------------------


def submit(user, files):
    from bench.cases_generate import JOURNEY_EVENT
    from yijianshi.accounts.selectors import principal_for_user
    from yijianshi.cases.submission import case_create

    case, created = case_create(
        by=principal_for_user(user), applicant=user.applicant, life_event=JOURNEY_EVENT, answers={}, form=FORM,
        materials=files, delivery_method="electronic",
    )  # fmt: skip
    assert created and case.status == "submitted"
    return case


def journey(user, files, clerk, approvers: dict) -> dict:
    """Submit, accept, then approve every task as it becomes active; return the seconds each step took."""
    from yijianshi.accounts.selectors import principal_for_user
    from yijianshi.cases.approval import task_decide
    from yijianshi.cases.front_desk import case_accept
    from yijianshi.cases.models import Task

    steps = {"decide": []}
    started = time.perf_counter()
    case = submit(user, files)
    steps["submit"] = time.perf_counter() - started
    mark = time.perf_counter()
    case_accept(case_id=case.pk, by=principal_for_user(clerk), opinion="材料齐全")
    steps["accept"] = time.perf_counter() - mark
    while active := list(Task.objects.filter(case_id=case.pk, status="active").values_list("pk", "department_id")):
        for task_id, department_id in active:
            mark = time.perf_counter()
            task_decide(
                task_id=task_id, by=principal_for_user(approvers[department_id]), role="approver",
                decision="approve", opinion="同意",
            )  # fmt: skip
            steps["decide"].append(time.perf_counter() - mark)
    assert len(steps["decide"]) == 5, steps
    steps["journey"] = time.perf_counter() - started
    return steps


def _worker(kind: str, index: int, people: list, staff_ids: dict, start_at: float, end_at: float) -> list[dict]:
    """Run journeys or submissions until `end_at`; keep those that started at or after `start_at` and finished by
    `end_at` (the ones before warm the connection). "journey" and "submit" run back to back; "paced:R" submits
    at random moments, R a second on average (Poisson arrivals), and counts each latency from the moment the
    submission was due, so that a client held up by the one before still counts its wait."""
    from django.db import connection

    from yijianshi.accounts.models import User

    user_id, files = people[index % len(people)]
    user = User.objects.select_related("applicant").get(pk=user_id)
    clerk = User.objects.get(pk=staff_ids["clerk"])
    approvers = {dept: User.objects.get(pk=pk) for dept, pk in staff_ids["approvers"].items()}
    rate = float(kind.split(":")[1]) if kind.startswith("paced:") else 1.0  # submissions a second per client
    rng = random.Random(index)
    due = time.time() + rng.expovariate(rate)
    kept = []
    try:
        while (now := time.time()) < end_at:
            if kind == "journey":
                steps = journey(user, files, clerk, approvers)
            elif kind == "submit":
                started = time.perf_counter()
                submit(user, files)
                steps = {"submit": time.perf_counter() - started}
            else:
                if due > now:
                    time.sleep(due - now)
                now = due
                submit(user, files)
                steps = {"submit": time.time() - due}
                due += rng.expovariate(rate)
            if now >= start_at and time.time() <= end_at:
                kept.append(steps)
    finally:
        connection.close()
    return kept


def warm(person, staff_ids) -> None:
    from yijianshi.accounts.models import User

    user_id, files = person
    approvers = {dept: User.objects.get(pk=pk) for dept, pk in staff_ids["approvers"].items()}
    user = User.objects.select_related("applicant").get(pk=user_id)
    journey(user, files, User.objects.get(pk=staff_ids["clerk"]), approvers)


def journey_cost(person, staff_ids, n: int = 20) -> tuple[float, float, int]:
    """Python CPU and PostgreSQL backend CPU per journey (ms), and statements per journey, in this process."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yijianshi.accounts.models import User

    user_id, files = person
    user = User.objects.select_related("applicant").get(pk=user_id)
    clerk = User.objects.get(pk=staff_ids["clerk"])
    approvers = {dept: User.objects.get(pk=pk) for dept, pk in staff_ids["approvers"].items()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()

    def backend_seconds() -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # PostgreSQL on another machine
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    with CaptureQueriesContext(connection) as captured:
        journey(user, files, clerk, approvers)
    python, backend = time.process_time(), backend_seconds()
    for _ in range(n):
        journey(user, files, clerk, approvers)
    python, backend = time.process_time() - python, backend_seconds() - backend
    return python * 1000 / n, backend * 1000 / n, len(captured)


def profile_journeys(person, staff_ids, n: int) -> None:
    """Print where a warm journey's time goes: the 40 functions with the most cumulative and own time."""
    import cProfile
    import pstats

    warm(person, staff_ids)
    with statement_sites(past=("/core/rows.py", "bench_cases.py")) as sites:
        warm(person, staff_ids)
    print_sites(sites)
    profiler = cProfile.Profile()
    profiler.runcall(journey_cost, person, staff_ids, n)
    if os.environ.get("BENCH_PROFILE_OUT"):
        profiler.dump_stats(os.environ["BENCH_PROFILE_OUT"])
    stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
    stats.sort_stats("cumulative").print_stats(150)
    stats.sort_stats("tottime").print_stats(40)
    # Own time by where the code lives: the ORM's query building, the driver, the project's code…
    by_place: dict[str, float] = {}
    for (filename, _line, _name), (_calls, _primitive, own, *_rest) in pstats.Stats(profiler).stats.items():
        place = re.sub(r"^.*/(site-packages|python3\.\d+|yijianshi)/", r"\1/", filename)
        place = "/".join(place.split("/")[: 4 if place.startswith("site-packages/django") else 3])
        by_place[place] = by_place.get(place, 0.0) + own
    total = sum(by_place.values())
    for place, own in sorted(by_place.items(), key=lambda kv: -kv[1])[:30]:
        print(f"{own / total:6.1%} {own * 1000 / n:7.2f} ms/journey  {place}")


def _process_main(args):
    return _worker(*args)


def drive(kind: str, workers: int, people: list, staff_ids: dict, seconds: float, *, threads: bool = False):
    """`workers` concurrent drivers for `seconds` after a 3-second warm-up; the step times of each completed run."""
    from django.db import connections

    connections.close_all()  # children open their own
    start_at = time.time() + 3 + (0 if threads else 0.5 * workers / 8)
    end_at = start_at + seconds
    jobs = [(kind, i, people, staff_ids, start_at, end_at) for i in range(workers)]
    if threads:
        results = [None] * workers

        def run(i):
            results[i] = _worker(*jobs[i])

        pool = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
    else:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(_process_main, jobs)
    return [steps for result in results for steps in result]


def ms(samples: list[float]) -> list[float]:
    return [s * 1000 for s in samples]


# --- pgbench ---------------------------------------------------------------------------------------------------------


def pgbench(settings_db: dict, name: str, seconds: int) -> tuple[float, float]:
    """PostgreSQL's commit rate on this machine: pgbench's simple-update (-N) and select-only (-S) mixes, 8 clients."""
    import psycopg

    conninfo = {"host": settings_db["HOST"] or "127.0.0.1", "port": str(settings_db["PORT"] or 5432),
                "user": settings_db["USER"] or "postgres"}  # fmt: skip
    with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    base = ["pgbench", "-h", conninfo["host"], "-p", conninfo["port"], "-U", conninfo["user"]]
    subprocess.run([*base, "-i", "-q", "-s", "10", name], check=True, capture_output=True)
    rates = []
    for mode in ("-N", "-S"):
        out = subprocess.run(
            [*base, "-c", "8", "-j", "2", "-T", str(seconds), mode, name], check=True, capture_output=True, text=True
        ).stdout
        rates.append(float(re.search(r"tps = ([\d.]+)", out).group(1)))
    with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    return rates[0], rates[1]


# --- main ------------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--applicants", type=int, default=200_000, help="bulk applicants the cases spread over")
    parser.add_argument("--seconds", type=float, default=15, help="measured time of each concurrent run")
    parser.add_argument("--workers", default="1,2,4,8,16", help="journey drivers to try (processes)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent submitters")
    parser.add_argument("--rates", default="1,2,3", help="submissions a second per paced client to try")
    parser.add_argument("--repeat", type=int, default=300, help="task lists to time")
    parser.add_argument("--skip-drivers", action="store_true", help="skip pgbench, journeys and submissions")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="profile N journeys (cProfile), then stop")
    parser.add_argument("--cost", type=int, default=0, metavar="N", help="print the CPU cost of N journeys, then stop")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench_cases.py needs DATABASE_URL pointing at a scratch PostgreSQL database")

    database = prepare_database()
    os.environ.setdefault("YJS_VAR_DIR", tempfile.mkdtemp(prefix="yjs-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench.cases_generate import BULK_DEPARTMENTS, JOURNEY_DEPARTMENTS, REGION, bulk_department, bulk_load, catalog
    from yijianshi.accounts.models import Department, Region
    from yijianshi.cases.models import Alert, Case, Task
    from yijianshi.catalog.importer import catalog_import
    from yijianshi.catalog.selectors import current_item_versions, current_life_event_versions
    from yijianshi.catalog.tests import builders
    from yijianshi.demo.accounts import load_regions

    rows = []
    call_command("migrate", verbosity=0)
    load_regions()
    city = Region.objects.get(code=REGION)
    log("importing the catalog")
    catalog_import(text=builders.as_yaml(catalog()))
    departments = Department.objects.in_bulk(field_name="code")
    clerk = staff("clerk", "window_clerk", region=city)
    approvers = {departments[code].pk: staff(f"approver-{code}", "approver", department=departments[code]).pk
                 for code in JOURNEY_DEPARTMENTS}  # fmt: skip
    measured = departments[bulk_department(MEASURED_DEPARTMENT)]
    approver = staff("approver-measured", "approver", department=measured)
    people = applicants(max(args.clients, 16), city)
    staff_ids = {"clerk": clerk.pk, "approvers": approvers}

    today = timezone.localdate()
    items = {v.item.code: v.pk for v in current_item_versions().select_related("item")}
    events = {v.life_event.code: v.pk for v in current_life_event_versions().select_related("life_event")}
    ids = {
        "region": city.pk, "clerk": clerk.pk, "approver": approver.pk,
        "departments": [departments[bulk_department(d)].pk for d in range(BULK_DEPARTMENTS)],
        "items": [items[f"BULK-{d:03d}"] for d in range(BULK_DEPARTMENTS)],
        "events": [events[f"LE-BULK-{k:03d}"] for k in range(BULK_DEPARTMENTS)],
    }  # fmt: skip
    log(f"writing {args.cases:,} cases")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        bulk_load(cursor, cases=args.cases, applicants=args.applicants, today=today, ids=ids, log=log)
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) accounts_applicant, cases_case, cases_task, cases_alert")
    vacuum_seconds = time.perf_counter() - started
    open_tasks = Task.objects.filter(status__in=("active", "suspended")).count()
    total_tasks = Task.objects.count()
    total_cases = Case.objects.count()
    rows.append(("bulk load (INSERT … SELECT)", f"{total_cases:,} cases, {total_tasks:,} tasks "
                 f"({open_tasks:,} open), {Alert.objects.count():,} alerts", f"{load_seconds:.0f} s "
                 f"+ VACUUM ANALYZE {vacuum_seconds:.0f} s", ""))  # fmt: skip

    if args.profile:
        profile_journeys(people[0], staff_ids, args.profile)
        return
    if args.cost:
        # The least of five batches: a shared machine's other load only ever adds.
        warm(people[0], staff_ids)
        batches = [journey_cost(people[0], staff_ids, args.cost) for _ in range(5)]
        python_ms, backend_ms, statements = min(batches, key=lambda b: b[0] + b[1])
        print(
            f"{statements} statements; Python {python_ms:.1f} ms + PostgreSQL {backend_ms:.1f} ms of CPU per journey"
            f" (least of 5 batches of {args.cost}; all: {', '.join(f'{p + b:.0f}' for p, b, _s in batches)} ms)"
        )
        return
    # Reads and the scan first, on the database as loaded and vacuumed; then the concurrent writers.
    list_and_scan(args, rows, measured, approver, today, total_cases, open_tasks)
    if not args.skip_drivers:
        # One journey in this process first: the driver processes fork from it warm (URL resolver, catalog snapshots),
        # as the processes of a running server are. Cold, each paid a second on its first submission, holding the
        # day's case number row all the while.
        warm(people[0], staff_ids)
        drivers(args, rows, people, staff_ids)
    report(rows, database)


def drivers(args, rows, people, staff_ids) -> None:
    from django.conf import settings

    log("pgbench")
    default = settings.DATABASES["default"]
    update_tps, select_tps = pgbench(default, default["NAME"] + "_pgbench", 10)
    rows.append(("PostgreSQL alone: pgbench -N (3 updates + insert per commit)", "8 clients, -j 2, 10 s, scale 10",
                 f"{update_tps:,.0f} tps", ""))  # fmt: skip
    rows.append(("PostgreSQL alone: pgbench -S (one indexed read)", "8 clients, -j 2, 10 s, scale 10",
                 f"{select_tps:,.0f} tps", ""))  # fmt: skip
    rows.append(("this machine, pure Python: a reference loop (`host_speed_ms`)", "5,000,000 additions, least of 3",
                 f"{host_speed_ms():.0f} ms", ""))  # fmt: skip

    # What one journey costs, alone: statements, and CPU in Python and in its PostgreSQL backend (same machine).
    python_ms, backend_ms, statements = journey_cost(people[0], staff_ids)
    ceiling = 2000 / (python_ms + backend_ms) if backend_ms else 0
    rows.append(("one journey alone: statements, CPU", "20 journeys, 1 process",
                 f"{statements} statements; Python {python_ms:.0f} ms + PostgreSQL {backend_ms:.0f} ms of CPU "
                 f"(at most {ceiling:.0f} journeys/s on {os.cpu_count()} cores)", ""))  # fmt: skip

    # Journeys: one process per driver, each with its own connection, back to back without pauses.
    best = None
    for workers in [int(n) for n in args.workers.split(",")]:
        log(f"journeys, {workers} processes")
        runs = drive("journey", workers, people, staff_ids, args.seconds)
        rate = len(runs) / args.seconds
        log(f"  {rate:.1f} journeys/s, journey {spread(ms([r['journey'] for r in runs]))}")
        processes = f"{workers} process" + ("es" if workers > 1 else "")
        rows.append((f"journeys, {processes}", f"{len(runs):,} journeys in {args.seconds:.0f} s",
                     f"{rate:.1f} journeys/s; journey {spread(ms([r['journey'] for r in runs]))}", ""))  # fmt: skip
        if best is None or rate > best[1]:
            best = (workers, rate, runs)
    workers, rate, runs = best
    rows.append(("**journey throughput (best)**", f"5-item life event, {workers} process" + "es" * (workers > 1),
                 f"**{rate:.1f} journeys/s**", "≥ 50 journeys/s"))  # fmt: skip
    rows.append(("submit / accept / decide (in those journeys)", f"{len(runs):,} × 1 / 1 / 5",
                 " / ".join(f"p95 {percentile(ms(s), 0.95):.1f} ms" for s in (
                     [r["submit"] for r in runs], [r["accept"] for r in runs],
                     [d for r in runs for d in r["decide"]])), ""))  # fmt: skip
    log(f"journeys, {workers} threads in one process")
    thread_runs = drive("journey", workers, people, staff_ids, args.seconds, threads=True)
    rows.append((f"journeys, {workers} thread{'s' * (workers > 1)} in one process", f"{len(thread_runs):,} journeys",
                 f"{len(thread_runs) / args.seconds:.1f} journeys/s", ""))  # fmt: skip

    paced = [
        (f"paced:{rate}", f"**submission**, {args.clients} concurrent clients, each submitting {rate} a second on "
         f"average (Poisson)", "p95 < 100 ms")
        for rate in [float(r) for r in args.rates.split(",")]
    ]  # fmt: skip
    back_to_back = (
        "submit", f"submission, {args.clients} concurrent clients (processes), back to back (capacity)", ""
    )  # fmt: skip
    for kind, measure, target in [*paced, back_to_back]:
        log(f"{measure} …")
        runs = drive(kind, args.clients, people, staff_ids, args.seconds)
        figure = spread(ms([r["submit"] for r in runs]))
        rows.append((measure, f"{len(runs):,} submissions in {args.seconds:.0f} s ({len(runs) / args.seconds:.0f}/s)",
                     f"**{figure}**" if target else figure, target))  # fmt: skip


def list_and_scan(args, rows, measured, approver, today, total_cases, open_tasks) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yijianshi.accounts.selectors import principal_for_user
    from yijianshi.cases import selectors
    from yijianshi.cases.deadlines import alerts_raise
    from yijianshi.cases.models import Task

    # The approver's task list as GET /api/v1/tasks runs it: count, first page of 20, each row shaped.
    principal = principal_for_user(approver)
    department_open = Task.objects.filter(department=measured, status__in=("active", "suspended")).count()
    list_ms, queries = [], []
    for n in range(args.repeat + 10):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            tasks = selectors.task_list_for(principal)
            count = tasks.count()
            page = [selectors.task_summary(task, today) for task in tasks[0:20]]
        if n >= 10:
            list_ms.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured))
    assert count == department_open and len(page) == 20, (count, department_open, len(page))
    rows.append(("**approver's task list** (API path: count, the first 20 ids by urgency, those rows, shaped)",
                 f"{args.repeat} lists; department with {department_open:,} open tasks; {total_cases:,} cases; "
                 f"{max(queries)} queries per list", f"**{spread(list_ms)}**", "p95 < 50 ms"))  # fmt: skip

    # The deadline scan: yesterday's alerts are in place, today's are new.
    active = Task.objects.filter(status="active").count()
    log("deadline scan")
    with connection.cursor() as cursor:
        # Pages the scan writes were last written before a checkpoint (one runs every 5 minutes, the scan every 30):
        # each first write of a page after it goes to the WAL whole.
        cursor.execute("CHECKPOINT")
        before = wal_and_updates(cursor)
    connection.close()  # a fresh connection, as the periodic job would have
    started = time.perf_counter()
    raised = alerts_raise(today=today)
    scan_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        wal, updates, hot = (b - a for a, b in zip(before, wal_and_updates(cursor), strict=True))
    started = time.perf_counter()
    again = alerts_raise(today=today)
    again_seconds = time.perf_counter() - started
    rows.append(("**deadline scan** (`alerts_raise`)", f"{open_tasks:,} open tasks ({active:,} active); raised "
                 f"{raised[2]:,} red, {raised[1]:,} yellow; {wal / 1e6:.0f} MB of WAL, {updates:,} task rows "
                 f"updated ({hot:,} in place)", f"**{scan_seconds:.2f} s**", "< 2 s"))  # fmt: skip
    rows.append(("deadline scan again, same day", f"raised {sum(again.values())}", f"{again_seconds:.2f} s", ""))


def wal_and_updates(cursor) -> tuple[float, int, int]:
    """WAL written so far (bytes), task updates and HOT task updates (this backend's statistics flushed first)."""
    cursor.execute("SELECT pg_stat_force_next_flush()")
    time.sleep(0.5)
    cursor.execute("SELECT pg_stat_clear_snapshot()")
    cursor.execute(
        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0'), n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables "
        "WHERE relname = 'cases_task'"
    )
    wal, updates, hot = cursor.fetchone()
    return float(wal), updates, hot


def report(rows, database) -> None:
    from huey.contrib.djhuey import HUEY

    HUEY.flush()  # the SMS copies queued for the benchmark's applicants are never to be sent
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    print_table(
        f"Case engine benchmark — {database}, commit {commit}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, {datetime.date.today()}",
        rows,
    )


if __name__ == "__main__":
    main()
