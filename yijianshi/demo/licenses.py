"""Demo license types: one for every license the demo catalog's items produce or ask for, with the departments that
issue them taken from the catalog (the department of each item whose result is that license)."""

from yijianshi.accounts.models import Applicant, Department
from yijianshi.catalog.models import ServiceItem
from yijianshi.licenses.models import PDF_TEMPLATES, License, LicenseType
from yijianshi.licenses.services import license_issue

PERSON, ORGANIZATION = LicenseType.HolderKind.PERSON, LicenseType.HolderKind.ORGANIZATION


def _f(key: str, label: str, public: bool = False) -> dict:
    return {"key": key, "label": label, "public": public}


CHILD = [_f("child-name", "新生儿姓名"), _f("child-gender", "性别"), _f("child-birth-date", "出生日期")]
BUSINESS = [_f("business-name", "名称", True), _f("business-address", "住所（经营场所）", True)]

# code, name, defining authority, holder kind, validity in months (None: without limit), data fields
TYPES = [
    ("11100000000000019F001", "出生医学证明", "国家卫生健康委员会", PERSON, None,
     [*CHILD, _f("birth-place", "出生地点"), _f("mother-name", "母亲姓名"), _f("father-name", "父亲姓名")]),
    ("11100000000000019F002", "预防接种证", "国家卫生健康委员会", PERSON, None, CHILD),
    ("11100000000000019F003", "居民死亡医学证明（推断）书", "国家卫生健康委员会", PERSON, None, []),
    ("11100000000000027A001", "居民户口簿", "公安部", PERSON, None, [*CHILD, _f("household-address", "户籍地址")]),
    ("11100000000000027A002", "居民身份证", "公安部", PERSON, 240, []),
    ("11100000000000027A003", "居住证", "公安部", PERSON, None, []),
    ("11100000000000027A004", "机动车行驶证", "公安部", ORGANIZATION, None, []),
    ("111000000000000355001", "社会保障卡", "人力资源和社会保障部", PERSON, 120, [_f("card-bank", "合作银行")]),
    ("11100000000000051T001", "营业执照", "国家市场监督管理总局", ORGANIZATION, None,
     [*BUSINESS, _f("legal-representative", "法定代表人", True), _f("registered-capital", "注册资本（万元）", True),
      _f("business-scope", "经营范围", True)]),
    ("11100000000000051T002", "食品经营许可证", "国家市场监督管理总局", ORGANIZATION, 60,
     [*BUSINESS, _f("legal-representative", "法定代表人（负责人）", True),
      _f("food-business-items", "经营项目", True)]),
    ("11100000000000078J001", "结婚证", "民政部", PERSON, None, []),
    ("11100000000000078J002", "火化证明", "民政部", PERSON, None, []),
    ("11100000000000086D001", "公众聚集场所投入使用、营业前消防安全检查合格证", "应急管理部消防救援局",
     ORGANIZATION, None, BUSINESS),
    ("111000000000000948001", "建设工程消防验收意见书", "住房和城乡建设部", ORGANIZATION, None, []),
    ("11100000000000107X001", "中华人民共和国残疾人证", "中国残疾人联合会", PERSON, 120, []),
    ("11100000000000115Q001", "烟草专卖零售许可证", "国家烟草专卖局", ORGANIZATION, 60, BUSINESS),
    ("111000000000001661001", "酒类商品零售许可证", "商务部", ORGANIZATION, 36, BUSINESS),
    ("1110000000000006XJ001", "道路运输经营许可证", "交通运输部", ORGANIZATION, 48, BUSINESS),
    ("1110000000000006XJ002", "道路运输证", "交通运输部", ORGANIZATION, 36, []),
]  # fmt: skip


def load_license_types() -> int:
    """Create or update the demo license types and their issuing departments; return how many there are."""
    for code, name, authority, holder_kind, months, fields in TYPES:
        license_type, _created = LicenseType.objects.update_or_create(
            code=code,
            defaults={
                "name": name, "authority_name": authority, "holder_kind": holder_kind, "validity_months": months,
                "fields": fields,
                # Permits for businesses print landscape, certificates for people portrait.
                "pdf_template": PDF_TEMPLATES[1][0] if holder_kind == ORGANIZATION else PDF_TEMPLATES[0][0],
            },
        )  # fmt: skip
        issuers = Department.objects.filter(
            pk__in=ServiceItem.objects.filter(result_license_type=code).values("department_id")
        )
        license_type.issuing_departments.set(issuers)
    return len(TYPES)


ID_CARD = "11100000000000027A002"


def issue_identity_cards() -> int:
    """Every demo person holds their 居民身份证 as an e-license (issued by the demo city's public security bureau),
    as residents of a city with an e-license library do: items that ask for it then need no upload (免提交, 秒批).
    Loading twice issues nothing more."""
    license_type = LicenseType.objects.get(code=ID_CARD)
    issuer = Department.objects.get(code="zz-gaj")
    holders = Applicant.objects.filter(kind=Applicant.Kind.PERSON).exclude(
        pk__in=License.objects.filter(license_type=license_type).values("holder_id")
    )
    issued = 0
    for holder in holders:
        license_issue(license_type=license_type, holder=holder, issuer=issuer, data={}, by=None)
        issued += 1
    return issued
