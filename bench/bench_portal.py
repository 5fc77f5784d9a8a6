"""Applicant portal benchmark (issue 7): server time, SQL statements and JavaScript weight of each portal page on the
demo data, anonymous and signed in as the demo applicant zhangsan.

    DATABASE_URL=… .venv/bin/python bench/bench_portal.py [--repeat 200] [--warmup 20] [--grow 3] [--no-fail]

Runs against a fresh database of its own (a temporary SQLite file, or the PostgreSQL named by DATABASE_URL, whose
database is dropped and recreated: point it at a scratch database), prepared as `make run` prepares one: migrate,
collectstatic, `yjs demo`. zhangsan then applies through the services the API calls, uploading only what none of his
e-licenses stands in for (免提交): a completed 新生儿出生 case (every department approved, e-licenses issued, rated), a
single-item case that reuses its 出生医学证明 (which the department reads: 我的数据's trail), a submitted 新生儿出生
case and a draft. Each page is requested with Django's test client in this process (the whole request/response
cycle: middleware, session, view, template; no network, no static files): `--warmup` rounds of one request to every
page, then `--repeat` timed rounds, each request timed on the wall clock and in this process's CPU time (which other
load on the machine disturbs least). SQL statements are counted on a warm request, before and after `--grow` more
rounds of applications, so that a page whose statements grow with its rows (N+1) shows.

JavaScript weight: the `<script src>` files each page links (resolved through the staticfiles finders) plus its
inline scripts, as `yijianshi/portal/tests/test_page_weight.py` counts them.

Prints a Markdown table for docs/performance.md and exits non-zero when a page misses a target (issue 7: p95 < 50 ms,
at most 300 KB of JavaScript), when its statements grow with its rows, or when it fails to answer 200; `--no-fail`
only reports. Pages still being built (PENDING) are measured once they answer, skipped while they 404.
"""

import argparse
import datetime
import io
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_catalog import host_speed_ms, percentile, prepare_database, print_sites, statement_sites  # noqa: E402

TARGET_MS = 50
TARGET_JS_KB = 300
APPLICANT = "zhangsan"
NEWBORN, RESTAURANT = "新生儿出生一件事", "开办餐饮店"  # the life events' names in yijianshi/demo/catalog.yaml
BIRTH_CERT_ITEM = "11410100000000027P4200020400000"  # 出生医学证明签发
FOOD_LICENSE_ITEM = "1141010000000006X04010060020000"  # 食品经营许可
INSURE_ITEM = "1141010000000005184200050430000"  # 城乡居民基本医疗保险参保登记（新生儿）, reuses 出生医学证明

# (label, path, who): "anonymous", APPLICANT, or "both". Paths are formatted with the ids the set-up made.
PAGES = [
    ("home", "/", "both"),
    ("search 孩子出生", "/search/?q=孩子出生", "both"),
    ("search 开饭店", "/search/?q=开饭店", "both"),
    ("life event guide (新生儿出生)", "/life-events/{newborn}/", "both"),
    ("life event guide (开办餐饮店)", "/life-events/{restaurant}/", "both"),
    ("joint form (新生儿出生)", "/life-events/{newborn}/form/", "both"),
    ("joint form (开办餐饮店)", "/life-events/{restaurant}/form/", "both"),
    ("wizard (新生儿出生)", "/life-events/{newborn}/wizard/", "both"),
    ("item guide (出生医学证明签发)", f"/items/{BIRTH_CERT_ITEM}/", "both"),
    ("item guide (食品经营许可)", f"/items/{FOOD_LICENSE_ITEM}/", "both"),
    ("verify, form", "/verify/", "both"),
    ("verify, a license", "/verify/{license}", "anonymous"),
    ("kiosk sign-in", "/kiosk/", "anonymous"),
    ("my cases", "/my/cases/", APPLICANT),
    ("case, submitted", "/my/cases/{submitted}/", APPLICANT),
    ("case, completed", "/my/cases/{completed}/", APPLICANT),
    ("case, e-license attached (免提交)", "/my/cases/{reused}/", APPLICANT),
    ("draft application", "/my/cases/{draft}/application/", APPLICANT),
    ("confirm (核对并提交), draft", "/my/cases/{draft}/confirm/", APPLICANT),
    ("receipt, submitted", "/my/cases/{submitted}/receipt/", APPLICANT),
    ("my licenses", "/my/licenses/", APPLICANT),
    ("my data", "/my/data/", APPLICANT),
    ("my messages", "/my/messages/", APPLICANT),
]
# Pages still being built, as (label, path, who): measured once they answer 200, skipped while they 404. The wizard,
# confirmation, receipt and kiosk pages waited here until they landed.
PENDING: list[tuple[str, str, str]] = []


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- zhangsan's applications, through the services the API calls -----------------------------------------------------


def application(user, *, life_event=None, item=None) -> dict:
    """A complete application by `user`: answers, form, and one uploaded file for each material that is not optional
    and that no e-license of theirs stands in for (免提交: the platform attaches the license, as the guide promises)."""
    from yijianshi.cases.catalog_target import target_live
    from yijianshi.catalog.plan import OPTIONAL
    from yijianshi.demo.tests.test_demo_journey import answered, value_for  # the demo journey fills forms the same way
    from yijianshi.files import formats
    from yijianshi.files.services import file_store
    from yijianshi.licenses.selectors import licenses_for_materials

    target = target_live(life_event=life_event, item=item)
    plan, answers = answered(target) if life_event else (target.plan({}), {})
    held = licenses_for_materials(user.applicant_id, plan["materials"])

    def upload(format_name: str) -> str:
        content = io.BytesIO(formats.sample(format_name))
        return str(file_store(upload=content, name=f"材料.{formats.EXTENSIONS[format_name]}", user=user).pk)

    return {
        "life_event": life_event, "item": item, "answers": answers,
        "form": {f["key"]: value_for(f, user.applicant) for f in plan["form"]},
        "materials": {m["key"]: [upload((m["formats"] or ["pdf"])[0])] for m in plan["materials"]
                      if m["need"] != OPTIONAL and m["key"] not in held},
    }  # fmt: skip


def apply(user, **what):
    from yijianshi.accounts.selectors import principal_for_user
    from yijianshi.cases.submission import case_create

    case, _created = case_create(by=principal_for_user(user), applicant=user.applicant, **what)
    return case


def approve_all(case) -> None:
    """Accept at the window (chuangkou), then approve each task by its department's demo approver as it activates."""
    from yijianshi.accounts.models import User
    from yijianshi.accounts.selectors import principal_for_user
    from yijianshi.cases.approval import task_decide
    from yijianshi.cases.models import Case, Task

    for _round in range(10):
        active = list(Task.objects.filter(case_id=case.pk, status=Task.Status.ACTIVE).select_related("department"))
        if not active:
            break
        for task in active:
            approver = User.objects.get(username="shenpi-" + task.department.code.removeprefix("zz-"))
            task_decide(task_id=task.pk, by=principal_for_user(approver), role="approver", decision="approve",
                        opinion="同意")  # fmt: skip
    case.refresh_from_db()
    assert case.status == Case.Status.COMPLETED, case.status


def accept(case) -> None:
    from yijianshi.accounts.models import User
    from yijianshi.accounts.selectors import principal_for_user
    from yijianshi.cases.front_desk import case_accept

    case_accept(case_id=case.pk, by=principal_for_user(User.objects.get(username="chuangkou")), opinion="材料齐全")


def completed_newborn(user, *, life_event: str, rate: bool):
    from yijianshi.accounts.selectors import principal_for_user
    from yijianshi.reviews.services import review_save

    case = apply(user, **application(user, life_event=life_event))
    accept(case)
    approve_all(case)
    if rate:
        review_save(case_id=case.pk, by=principal_for_user(user), level=5, dimensions={}, comment="办得很快")
    return case


def reusing_license(user):
    """A 医保参保 application that attaches the 出生医学证明 e-license instead of an upload. The window accepts it and
    the department's approver opens it, as its task page does: a read in zhangsan's data trail (我的数据)."""
    from yijianshi.accounts.models import User
    from yijianshi.accounts.selectors import principal_for_user
    from yijianshi.cases.models import Task
    from yijianshi.cases.selectors import case_detail

    case = apply(user, **application(user, item=INSURE_ITEM))
    accept(case)
    task = Task.objects.select_related("department").get(case=case)
    approver = User.objects.get(username="shenpi-" + task.department.code.removeprefix("zz-"))
    detail = case_detail(case, principal_for_user(approver))
    assert any(m["license"] for m in detail["materials"]), "the e-license was not attached"
    return case


def prepare() -> dict:
    """Demo data and zhangsan's applications; the ids the page paths need."""
    from django.core.management import call_command

    from yijianshi.accounts.models import User
    from yijianshi.catalog.models import LifeEvent
    from yijianshi.licenses.models import License

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("demo", verbosity=0, stdout=io.StringIO())
    codes = dict(LifeEvent.objects.filter(name__in=(NEWBORN, RESTAURANT)).values_list("name", "code"))
    user = User.objects.select_related("applicant").get(username=APPLICANT)
    log("applying as zhangsan: a completed 新生儿出生 case, a license reused, a submitted case, a draft")
    completed = completed_newborn(user, life_event=codes[NEWBORN], rate=True)
    reused = reusing_license(user)
    submitted = apply(user, **application(user, life_event=codes[NEWBORN]))
    draft = apply(user, **application(user, life_event=codes[NEWBORN]), submit=False)
    license = License.objects.filter(source_case_id=completed.pk).order_by("number").first()
    return {
        "newborn": codes[NEWBORN], "restaurant": codes[RESTAURANT], "completed": completed.pk, "reused": reused.pk,
        "submitted": submitted.pk, "draft": draft.pk, "license": license.identifier, "user": user,
    }  # fmt: skip


def grow(ids: dict, rounds: int) -> None:
    """`rounds` more of zhangsan's applications: completed cases (licenses, messages), reused licenses (trail)."""
    for _round in range(rounds):
        completed_newborn(ids["user"], life_event=ids["newborn"], rate=False)
        reusing_license(ids["user"])


def data_size(user) -> str:
    from yijianshi.cases.models import Case
    from yijianshi.licenses.models import DataAccess, License
    from yijianshi.notifications.models import Notification

    return (f"{Case.objects.filter(applicant=user.applicant_id).count()} cases, "
            f"{License.objects.filter(holder=user.applicant_id).count()} licenses, "
            f"{Notification.objects.filter(recipient=user).count()} messages, "
            f"{DataAccess.objects.filter(subject=user.applicant_id).count()} reads of his data")  # fmt: skip


# --- measuring ------------------------------------------------------------------------------------------------------


def clients(user):
    from django.test import Client

    # The settings' ALLOWED_HOSTS, not the test settings': "testserver" is not among them. A page that fails answers
    # 500, as it would to a browser, instead of stopping the run.
    anonymous, signed_in = (Client(HTTP_HOST="127.0.0.1", raise_request_exception=False) for _ in range(2))
    signed_in.force_login(user)
    return {"anonymous": anonymous, APPLICANT: signed_in}


def planned(ids: dict, pages, *, pending: bool) -> list[tuple[str, str, str, str, bool]]:
    """(label, path as listed, path, who, pending) for each page and each person it is requested as."""
    return [
        (label, template, template.format(**ids), person, pending)
        for label, template, who in pages
        for person in (("anonymous", APPLICANT) if who == "both" else (who,))
    ]


def statements(client, path: str) -> tuple[int, object]:
    """The statements of a warm request (the process's caches filled by the one before), and its response."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return len(captured), response


def timed(people: dict, runs: list, warmup: int, repeat: int) -> dict[tuple, tuple[list[float], list[float]]]:
    """Each page's wall time and the CPU time this process spent on it (ms; the database server's own CPU not
    included), over `repeat` rounds of one request to every page after `warmup` rounds. Rounds rather than one page
    after another: a burst of other load on the machine spreads over all pages instead of landing on one. The
    process first warms up as `yjs serve`'s workers do when they start (`portal.warm.worker_warm`)."""
    from yijianshi.portal.warm import worker_warm

    worker_warm()
    for _ in range(warmup):
        for _label, _template, path, who in runs:
            people[who].get(path)
    times: dict[tuple, tuple[list[float], list[float]]] = {(path, who): ([], []) for _l, _t, path, who in runs}
    for round_ in range(repeat):
        for _label, _template, path, who in runs:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = people[who].get(path)
            times[(path, who)][0].append((time.perf_counter() - started) * 1000)
            times[(path, who)][1].append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, (path, who, response.status_code)
        if round_ % 50 == 49:
            log(f"{round_ + 1} rounds")
    return times


def profile(people, runs, template: str) -> None:
    import cProfile
    import pstats

    found = [(path, who) for _label, shown, path, who in runs if shown == template]
    if not found:
        sys.exit(f"no page {template!r}; pages: {', '.join(shown for _l, shown, _p, _w in runs)}")
    path, who = found[-1]
    for _ in range(20):
        people[who].get(path)
    with statement_sites() as sites:
        people[who].get(path)
    print_sites(sites)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(100):
        people[who].get(path)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    if os.environ.get("BENCH_PROFILE_OUT"):  # kept for pstats or a viewer, as bench_cases.py does
        stats.dump_stats(os.environ["BENCH_PROFILE_OUT"])
    stats.sort_stats("cumulative").print_stats(70)
    stats.sort_stats("tottime").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200, help="timed rounds (requests per page)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed rounds over every page first")
    parser.add_argument("--grow", type=int, default=3, help="rounds of applications added before recounting")
    parser.add_argument("--no-fail", action="store_true", help="report only: exit 0 whatever the figures")
    parser.add_argument(
        "--profile",
        metavar="PATH",
        help="profile 100 requests to the page of this path (as the "
        "table names it, e.g. '/my/cases/{completed}/', as zhangsan), print the profile, then stop",
    )
    args = parser.parse_args()

    database = prepare_database()
    os.environ.setdefault("YJS_VAR_DIR", tempfile.mkdtemp(prefix="yjs-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()

    from huey.contrib.djhuey import HUEY

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the pending pages' 404s are expected
    from yijianshi.portal.tests.test_page_weight import script_weight

    ids = prepare()
    people = clients(ids["user"])
    base_data = data_size(ids["user"])

    # Statements before growing zhangsan's data; pending pages that do not answer yet are left out.
    runs, skipped, before, problems = [], [], {}, []
    for label, template, path, who, pending in planned(ids, PAGES, pending=False) + planned(ids, PENDING, pending=True):
        count, response = statements(people[who], path)
        if response.status_code == 404 and pending:
            skipped.append(f"`{template}` ({who})")
        elif response.status_code != 200:
            problems.append(f"{path} ({who}) answered {response.status_code}")
        else:
            runs.append((label, template, path, who))
            before[(path, who)] = count

    log(f"adding {args.grow} rounds of applications")
    grow(ids, args.grow)
    grown_data = data_size(ids["user"])
    if args.profile:
        profile(people, runs, args.profile)
        return
    rows, load = [], os.getloadavg()[0]
    log(f"timing {len(runs)} pages: {args.warmup} rounds to warm up, {args.repeat} timed")
    times = timed(people, runs, args.warmup, args.repeat)
    for label, template, path, who in runs:
        count, response = statements(people[who], path)
        weight = script_weight(response.content.decode())
        samples, cpu = times[(path, who)]
        p95 = percentile(samples, 0.95)
        if p95 >= TARGET_MS:
            problems.append(f"{path} ({who}): p95 {p95:.1f} ms ≥ {TARGET_MS} ms")
        if weight.unresolved or weight.total > TARGET_JS_KB * 1024:
            problems.append(f"{path} ({who}): JavaScript {weight}")
        grew = count > before[(path, who)]
        if grew:
            problems.append(f"{path} ({who}): {before[(path, who)]} statements, {count} with more rows")
        rows.append((label, template, who, statistics.median(samples), p95, max(samples), statistics.median(cpu),
                     f"{before[(path, who)]} → {count}" if grew else str(count),
                     "?" if weight.unresolved else f"{weight.total / 1024:.1f}"))  # fmt: skip

    HUEY.flush()  # the SMS copies queued for zhangsan are never to be sent
    report(rows, database, args, base_data, grown_data, skipped, (load, os.getloadavg()[0]))
    if problems:
        log("\n".join(["", "missed:", *problems]))
        if not args.no_fail:
            sys.exit(1)


def git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT).stdout.strip()


def report(rows, database, args, base_data, grown_data, skipped, load) -> None:
    changes = " with changes in the working tree" if git("status", "--porcelain", "--untracked-files=no") else ""
    print(f"Portal benchmark — {database}, commit {git('rev-parse', '--short', 'HEAD')}{changes}, Python "
          f"{platform.python_version()}, {os.cpu_count()} cores, {datetime.date.today()}, load average "
          f"{load[0]:.2f} → {load[1]:.2f}, reference loop {host_speed_ms():.0f} ms; {args.warmup} + {args.repeat} "
          f"requests per page; zhangsan's data: "
          f"{base_data} (statements counted), then {grown_data} (counted again, timed)")  # fmt: skip
    print()
    print("| page | path | who | p50 ms | p95 ms | max ms | CPU p50 ms | SQL statements | JS KB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for label, path, who, p50, p95, worst, cpu, queries, js in rows:
        mark = "**" if p95 >= TARGET_MS else ""
        print(f"| {label} | `{path}` | {who} | {p50:.1f} | {mark}{p95:.1f}{mark} | {worst:.1f} | {cpu:.1f} | {queries} "
              f"| {js} |")  # fmt: skip
    print()
    print(f"Targets: p95 < {TARGET_MS} ms, JavaScript ≤ {TARGET_JS_KB} KB per page; statements the same before and "
          f"after {args.grow} more rounds of applications.")  # fmt: skip
    if skipped:
        print(f"Not there yet (404), skipped: {', '.join(skipped)}.")


if __name__ == "__main__":
    main()
