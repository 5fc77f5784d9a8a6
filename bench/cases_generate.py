"""Data for the case engine benchmarks: a catalog, and a million cases written straight into PostgreSQL.

The catalog (imported through `catalog_import`, as the tests' conftest does) holds the journey's five-item life
event 新生儿出生一件事 (five departments: BIRTH → HUKOU → INSURE and SOCIAL, VACCINE a 即办件 that waits for
nothing) and, for the bulk rows, 200 departments with one item each and 200 three-item life events: life event k
bundles the items of departments k, k+1 and k+2 (the last two wait for the first).

`bulk_load` writes cases, tasks, applicants and the alerts earlier scans raised with INSERT … SELECT generate_series:
- case i belongs to life event i % 200; the older half are completed (three approved tasks), the newer half are in
  progress (the first task approved, the other two open: 90 % active, 10 % in special procedures), so half the
  cases and a third of the tasks are open, and every department holds about 5,000 open tasks per million cases;
- an open task's department sets its limit (15, 30, 45 or 60 days, yellow for the last fifth); open tasks fall due
  evenly from 5 days ago to 55 days ahead and have the alert rows yesterday's scan left: the scan of `today` finds
  the day's new alerts only (about 15,000 red and 15,000 yellow);
- task rows are written in the order the tasks started, as a live table fills: a day's alerts touch runs of pages;
- ids are md5-derived UUIDs (as random as uuid4, but reproducible), numbers and dates run with the case index.
Secondary indexes are dropped during the load and rebuilt from their own definitions; foreign-key triggers are off
for the load session (`session_replication_role = replica`), the rows being consistent by construction.
"""

import datetime
import time

from yijianshi.catalog.tests import builders as b

JOURNEY_EVENT = "BENCH-NEWBORN"
JOURNEY_DEPARTMENTS = {"wjw": "卫生健康委员会", "gaj": "公安局", "ybj": "医疗保障局", "rsj": "人力资源和社会保障局",
                       "jkzx": "疾病预防控制中心"}  # fmt: skip
BULK_DEPARTMENTS = 200
REGION = "410100000000"


def bulk_department(d: int) -> str:
    return f"bulk-{d:03d}"


def catalog() -> dict:
    departments = [
        b.department(code, f"{901 + n:08d}", name=f"郑州市{name}")
        for n, (code, name) in enumerate(JOURNEY_DEPARTMENTS.items())
    ]
    id_card = b.material("id-card", name="父母身份证", formats=["pdf", "jpeg", "png"])
    journey_items = [
        b.item("BN-BIRTH", dept="wjw", days=2, name="出生医学证明签发",
               materials=[id_card, b.material("delivery-record", name="分娩记录", formats=["pdf"])],
               fields=[b.field("applicant-name", label="申请人姓名", prefill="person.name"),
                       b.field("child-name", label="新生儿姓名", max_length=20),
                       b.field("birth-date", label="出生日期", type="date")]),
        b.item("BN-HUKOU", dept="gaj", days=5, name="出生登记（户口）",
               materials=[id_card, b.material("hukou-book", name="户口簿", formats=["pdf"])],
               fields=[b.field("child-name", label="新生儿姓名", max_length=20), b.field("address", label="落户地址")]),
        b.item("BN-INSURE", dept="ybj", days=3, name="城乡居民医保参保登记", materials=[id_card],
               fields=[b.field("phone", label="联系电话", type="phone")]),
        b.item("BN-SOCIAL", dept="rsj", days=5, name="社会保障卡申领", materials=[id_card],
               fields=[b.field("phone", label="联系电话", type="phone")]),
        b.item("BN-VACCINE", dept="jkzx", days=1, case_kind=1, name="预防接种证办理", materials=[id_card], fields=[]),
    ]  # fmt: skip
    journey = b.life_event(
        JOURNEY_EVENT,
        [
            "BN-BIRTH",
            {"item": "BN-HUKOU", "depends_on": ["BN-BIRTH"]},
            {"item": "BN-INSURE", "depends_on": ["BN-HUKOU"]},
            {"item": "BN-SOCIAL", "depends_on": ["BN-HUKOU"]},
            "BN-VACCINE",
        ],
        name="新生儿出生一件事",
        lead_department="wjw",
    )
    departments += [
        b.department(bulk_department(d), f"{10_000 + d:08d}", name=f"测试委办局{d:03d}")
        for d in range(BULK_DEPARTMENTS)
    ]
    bulk_items = [
        b.item(f"BULK-{d:03d}", dept=bulk_department(d), days=10, name=f"测试审批事项{d:03d}")
        for d in range(BULK_DEPARTMENTS)
    ]
    bulk_events = [
        b.life_event(
            f"LE-BULK-{k:03d}",
            [
                f"BULK-{k:03d}",
                {"item": f"BULK-{(k + 1) % BULK_DEPARTMENTS:03d}", "depends_on": [f"BULK-{k:03d}"]},
                {"item": f"BULK-{(k + 2) % BULK_DEPARTMENTS:03d}", "depends_on": [f"BULK-{k:03d}"]},
            ],
            name=f"测试一件事{k:03d}",
            lead_department=bulk_department(k),
        )
        for k in range(BULK_DEPARTMENTS)
    ]
    return b.catalog(departments=departments, items=[*journey_items, *bulk_items], life_events=[journey, *bulk_events])


# --- bulk rows -------------------------------------------------------------------------------------------------------

TABLES = ("accounts_applicant", "cases_case", "cases_task", "cases_alert")

APPLICANTS = """
INSERT INTO accounts_applicant (kind, name, id_type, id_number, phone, legal_representative_name,
                                legal_representative_id_number, created_at, region_id)
SELECT 'person', '测试申请人' || a, '111', 'B' || lpad(a::text, 17, '0'), '139' || lpad(a::text, 8, '0'), '', '',
       now() - interval '800 days', %(region)s
FROM generate_series(1, %(applicants)s) AS a
"""

# One row per case; `s` is the case index. Cases 0 .. n/2-1 are completed, the rest in progress.
CASES = """
INSERT INTO cases_case (id, number, title, region_code, channel, answers, plan, form_data, delivery_method,
    delivery_address, pickup_code, tracking_number, status, outcome, round, refusal_reason, limit_value, limit_unit,
    due_date, warning_date, created_at, updated_at, submitted_at, accepted_at, completed_at, delivered_at,
    idempotency_key, request_digest, event_count, last_event_hash, accepted_by_id, agent_id, applicant_id,
    created_by_id, item_version_id, life_event_version_id)
SELECT md5('case' || s)::uuid,
       '410100-' || to_char(c.day, 'YYYYMMDD') || '-'
           || CASE WHEN s < 1000000 THEN lpad(s::text, 6, '0') ELSE s::text END,
       '测试一件事' || lpad((s %% 200)::text, 3, '0'), '410100000000', 'online', '{}', %(plan)s::jsonb,
       '{"applicant-name": "测试申请人"}', 'electronic', '{}', '', '',
       CASE WHEN c.open THEN 'in_progress' ELSE 'completed' END, CASE WHEN c.open THEN '' ELSE 'approved' END,
       1, '', 10, 'working_days', c.due, c.due - 3,
       c.day::timestamptz + interval '9 hours', c.day::timestamptz + interval '9 hours',
       c.day::timestamptz + interval '9 hours', c.day::timestamptz + interval '10 hours',
       CASE WHEN c.open THEN NULL ELSE c.day::timestamptz + interval '12 days' END,
       CASE WHEN c.open THEN NULL ELSE c.day::timestamptz + interval '12 days' END,
       NULL, '', CASE WHEN c.open THEN 5 ELSE 7 END, md5('head' || s) || md5('head2' || s),
       %(clerk)s, NULL, %(applicant0)s + (s::bigint * 7919) %% %(applicants)s, NULL, NULL,
       (%(events)s::bigint[])[s %% 200 + 1]
FROM generate_series(0, %(cases)s - 1) AS s,
LATERAL (SELECT s >= %(cases)s / 2 AS open) o,
LATERAL (SELECT o.open,
                CASE WHEN o.open THEN %(today)s::date - 20 + (s %% 15)
                     ELSE %(today)s::date - 40 - ((%(cases)s / 2 - 1 - s) * 700 / (%(cases)s / 2)) END AS day,
                %(today)s::date - 5 + (hashint4(s) & 2147483647) %% 61 AS due) c
"""

# Three tasks per case; position 0 is approved, positions 1 and 2 are open in cases in progress. An open task's
# department sets its limit (15, 30, 45 or 60 days, yellow in the last fifth); it falls due from 5 days ago to 55 days
# ahead and started its limit before (today at the latest). Rows are written in the order they were started, as they
# would have been: tasks falling due on one day sit in a few runs of pages, not on a page each.
TASKS = """
INSERT INTO cases_task (id, item_code, item_name, position, depends_on, immediate, status, limit_value, limit_unit,
    activated_at, started_on, suspended_days, due_date, warning_date, carried_alert_level, decided_at, opinion,
    refusal_reason, legal_basis, closed_reason, case_id, decided_by_id, decided_by_client_id, department_id,
    item_version_id)
SELECT md5('task' || s || '-' || p)::uuid, 'BULK-' || lpad(t.d::text, 3, '0'),
       '测试审批事项' || lpad(t.d::text, 3, '0'),
       p, CASE WHEN p = 0 THEN '[]'::jsonb ELSE jsonb_build_array('BULK-' || lpad((s %% 200)::text, 3, '0')) END,
       false, t.status, t.span * 5 / 7, 'working_days',
       t.started::timestamptz + interval '10 hours', t.started, 0, t.due, t.warning,
       0,
       CASE WHEN t.open THEN NULL ELSE t.started::timestamptz + interval '5 days' END,
       CASE WHEN t.open THEN '' ELSE '同意' END, '', '', '',
       md5('case' || s)::uuid, CASE WHEN t.open THEN NULL ELSE %(approver)s::bigint END, NULL,
       (%(departments)s::bigint[])[t.d + 1], (%(items)s::bigint[])[t.d + 1]
FROM generate_series(0, %(cases)s - 1) AS s, generate_series(0, 2) AS p,
LATERAL (SELECT s >= %(cases)s / 2 AS in_progress, s >= %(cases)s / 2 AND p > 0 AS open,
                (s %% 200 + p) %% 200 AS d, (hashint4(s * 3 + p) & 2147483647) AS h) r,
LATERAL (SELECT 15 * (1 + r.d %% 4) AS span,
                %(today)s::date - 5 + r.h %% 61 AS open_due) l,
LATERAL (SELECT r.open, r.in_progress, r.d, l.span,
                CASE WHEN NOT r.open THEN 'approved' WHEN r.h %% 10 = 0 THEN 'suspended' ELSE 'active' END AS status,
                CASE WHEN r.open THEN l.open_due ELSE %(today)s::date - 30 - r.h %% 700 END AS due,
                CASE WHEN r.open THEN l.open_due - l.span / 5 ELSE %(today)s::date - 33 - r.h %% 700 END AS warning,
                CASE WHEN r.open THEN least(l.open_due - l.span, %(today)s::date - r.h %% 3)
                     WHEN r.in_progress THEN %(today)s::date - 65 - r.h %% 5
                     ELSE %(today)s::date - 44 - r.h %% 700 END AS started) t
ORDER BY t.in_progress, CASE WHEN t.in_progress THEN t.started END, s, p
"""

# The alerts earlier scans raised, up to yesterday: yellow for every task that had reached its warning date, red for
# the overdue ones.
ALERTS = """
INSERT INTO cases_alert (task_id, case_id, department_id, level, due_date, raised_at)
SELECT id, case_id, department_id, l, due_date,
       (CASE WHEN l = 1 THEN warning_date ELSE due_date + 1 END)::timestamptz + interval '30 minutes'
FROM cases_task, generate_series(1, 2) AS l
WHERE status = 'active'
  AND CASE WHEN due_date < %(today)s::date - 1 THEN 2 WHEN warning_date <= %(today)s::date - 1 THEN 1 ELSE 0 END >= l
"""


def _secondary_indexes(cursor, table: str) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)",
        [table],
    )
    return cursor.fetchall()


def bulk_load(cursor, *, cases: int, applicants: int, today: datetime.date, ids: dict, log=print) -> dict:
    """Write the bulk rows (see the module's docstring); return seconds per stage."""
    timings = {}
    cursor.execute("SET maintenance_work_mem = '512MB'")
    cursor.execute("SET work_mem = '256MB'")
    cursor.execute("SET session_replication_role = replica")
    dropped = [index for table in TABLES for index in _secondary_indexes(cursor, table)]
    for name, _definition in dropped:
        cursor.execute(f"DROP INDEX {name}")
    cursor.execute("SELECT coalesce(max(id), 0) FROM accounts_applicant")
    (before,) = cursor.fetchone()
    plan = '{"items": [{"code": "BULK"}], "flow": {"days": 10}}'
    params = {
        "cases": cases, "applicants": applicants, "applicant0": before + 1, "today": today, "plan": plan,
        "region": ids["region"], "clerk": ids["clerk"], "approver": ids["approver"],
        "events": ids["events"], "departments": ids["departments"], "items": ids["items"],
    }  # fmt: skip
    for stage, sql in (("applicants", APPLICANTS), ("cases", CASES), ("tasks", TASKS), ("alerts", ALERTS)):
        started = time.perf_counter()
        cursor.execute(sql, params)
        timings[stage] = time.perf_counter() - started
        log(f"  {stage}: {cursor.rowcount:,} rows in {timings[stage]:.1f} s")
    started = time.perf_counter()
    for _name, definition in dropped:
        cursor.execute(definition)
    timings["indexes"] = time.perf_counter() - started
    log(f"  {len(dropped)} secondary indexes rebuilt in {timings['indexes']:.1f} s")
    cursor.execute("SET session_replication_role = DEFAULT")
    return timings
