"""Demo city (郑州), its departments and one account for every kind of user. All of it is sample data.

Loading twice changes nothing: rows are found by their natural keys, and a password is set only when the
account is first created.
"""

from dataclasses import dataclass

from django.db import transaction

from yijianshi.accounts import services
from yijianshi.accounts.models import Applicant, Department, Region, User
from yijianshi.demo.identifiers import citizen_id, credit_code

DEMO_PASSWORD = "Demo@2026"  # documented in README.md; for the demo only

REGIONS = [
    ("410000000000", "河南省", None),
    ("410100000000", "郑州市", "410000000000"),
    ("410102000000", "中原区", "410100000000"),
    ("410103000000", "二七区", "410100000000"),
    ("410105000000", "金水区", "410100000000"),
    ("410105001000", "经八路街道", "410105000000"),
    ("410105002000", "花园路街道", "410105000000"),
]

CITY = "410100000000"

# code, name, short name, organisation-code serial
DEPARTMENTS = [
    ("zz-spj", "郑州市行政审批和政务信息管理局", "行政审批", "00000001"),
    ("zz-wjw", "郑州市卫生健康委员会", "卫生健康", "00000002"),
    ("zz-gaj", "郑州市公安局", "公安", "00000003"),
    ("zz-rsj", "郑州市人力资源和社会保障局", "人社", "00000004"),
    ("zz-ybj", "郑州市医疗保障局", "医保", "00000005"),
    ("zz-scjgj", "郑州市市场监督管理局", "市场监管", "00000006"),
    ("zz-xfzd", "郑州市消防救援支队", "消防救援", "00000007"),
    ("zz-cgj", "郑州市城市管理局", "城管", "00000008"),
    ("zz-jtj", "郑州市交通运输局", "交通运输", "00000009"),
    ("zz-mzj", "郑州市民政局", "民政", "00000010"),
]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    name: str


def load_regions() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for code, name, parent in REGIONS:
        regions[code], _ = Region.objects.update_or_create(
            code=code, defaults={"name": name, "parent": regions.get(parent)}
        )
    return regions


def load_departments(city: Region) -> dict[str, Department]:
    departments = {}
    for code, name, short_name, serial in DEPARTMENTS:
        department = Department.objects.filter(code=code).first()
        if department is None:
            department = Department(code=code, credit_code=credit_code("11", "410100", serial))
        department.name, department.short_name, department.region = name, short_name, city
        department.full_clean()
        department.save()
        departments[code] = department
    return departments


def _applicant(**fields) -> Applicant:
    existing = Applicant.objects.filter(id_number=fields["id_number"]).first()
    return existing or services.applicant_create(**fields)


def _applicant_user(username: str, applicant: Applicant) -> User:
    return User.objects.filter(username=username).first() or services.user_create_applicant(
        username=username, password=DEMO_PASSWORD, applicant=applicant
    )


def _staff(username: str, name: str, *, superuser: bool = False) -> User:
    return User.objects.filter(username=username).first() or services.user_create_staff(
        username=username, password=DEMO_PASSWORD, name=name, is_superuser=superuser
    )


@transaction.atomic
def load() -> list[DemoLogin]:
    """Load the demo city and accounts; return the logins to show the user."""
    regions = load_regions()
    city, jinshui = regions[CITY], regions["410105000000"]
    departments = load_departments(city)
    logins: list[DemoLogin] = []

    zhang = _applicant(
        kind=Applicant.Kind.PERSON,
        name="张三",
        id_number=citizen_id("410105", "19900307", 123),
        phone="13800000001",
        region=jinshui,
    )
    _applicant_user("zhangsan", zhang)
    logins.append(DemoLogin("自然人申请人", "zhangsan", zhang.name))

    li = _applicant(
        kind=Applicant.Kind.PERSON,
        name="李四",
        id_number=citizen_id("410102", "19850612", 246),
        phone="13800000002",
        region=regions["410102000000"],
    )
    li_user = _applicant_user("lisi", li)
    logins.append(DemoLogin("自然人申请人（餐饮公司法定代表人）", "lisi", li.name))

    company = _applicant(
        kind=Applicant.Kind.ORGANIZATION,
        name="郑州鸿图餐饮管理有限公司",
        id_number=credit_code("91", "410105", "MA3XKT0Q"),
        phone="037100000003",
        region=jinshui,
        legal_representative_name=li.name,
        legal_representative_id_number=li.id_number,
    )
    _applicant_user("hongtu", company)
    services.organization_member_add(organization=company, user=li_user, role="legal_representative")
    logins.append(DemoLogin("法人申请人", "hongtu", company.name))

    clerk = _staff("chuangkou", "王晓窗")
    services.role_assign(user=clerk, role_code="window_clerk", region=city, department=departments["zz-spj"])
    logins.append(DemoLogin("综合窗口人员", "chuangkou", clerk.name))

    supervisor = _staff("jiancha", "赵监察")
    services.role_assign(user=supervisor, role_code="supervisor", region=city)
    logins.append(DemoLogin("监察人员", "jiancha", supervisor.name))

    catalog_admin = _staff("mulu", "钱目录")
    services.role_assign(user=catalog_admin, role_code="catalog_admin", region=city)
    logins.append(DemoLogin("目录管理员", "mulu", catalog_admin.name))

    admin = _staff("admin", "系统管理员", superuser=True)
    services.role_assign(user=admin, role_code="system_admin", region=regions["410000000000"])
    logins.append(DemoLogin("系统管理员", "admin", admin.name))
    return logins


@transaction.atomic
def load_approvers() -> list[DemoLogin]:
    """One approver for each demo department and each department that implements a catalog item."""
    core = [code for code, *_rest in DEPARTMENTS]
    with_items = Department.objects.filter(items__isnull=False).exclude(code__in=core).distinct().order_by("code")
    departments = [*Department.objects.filter(code__in=core).order_by("pk"), *with_items]
    logins = []
    for department in departments:
        username = f"shenpi-{department.code.removeprefix('zz-')}"
        short_name = department.short_name or department.name
        approver = _staff(username, f"{short_name}审批员")
        services.role_assign(user=approver, role_code="approver", department=department)
        logins.append(DemoLogin(f"部门审批人员（{short_name}）", username, approver.name))
    return logins
