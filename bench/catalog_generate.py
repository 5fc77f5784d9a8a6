"""Write a large synthetic catalog in the import format (default: 10,000 items, 1,000 ten-item life events).

    python bench/catalog_generate.py [ITEMS] > /tmp/catalog-10k.yaml

Items look like real ones: 4–8 materials drawn from a shared pool (so bundles merge them), 4–8 fields, 4 steps,
Chinese names and text from a vocabulary of common service words.
"""

import random
import sys

sys.path.insert(0, ".")
from yijianshi.catalog.yaml_writer import dumps
from yijianshi.demo.identifiers import credit_code

WORDS = [
    "营业执照",
    "食品经营",
    "许可",
    "登记",
    "备案",
    "变更",
    "注销",
    "证明",
    "申领",
    "补领",
    "核发",
    "社会保障卡",
    "医保",
    "参保",
    "户口",
    "出生",
    "死亡",
    "婚姻",
    "生育",
    "残疾人",
    "补贴",
    "养老",
    "退休",
    "公积金",
    "提取",
    "道路运输",
    "车辆",
    "招牌",
    "消防",
    "环评",
    "排水",
    "施工",
    "不动产",
    "税务",
    "发票",
    "印章",
    "银行",
    "就业",
    "失业",
    "职业资格",
    "教育",
    "入学",
    "学籍",
    "医疗",
    "药品",
    "诊所",
    "烟草",
    "酒类",
    "广告",
    "餐饮",
    "住房",
    "租赁",
    "水电气",
    "报装",
    "信用",
    "修复",
]
MATERIALS = [f"m{i}" for i in range(200)]
FIELDS = [f"f{i}" for i in range(120)]


def text(rng, words=6):
    return "".join(rng.sample(WORDS, words))


def item(rng, index, departments):
    code = f"BENCH{index:06d}"
    return {
        "code": code,
        "basic_code": f"{index + 100000000000:012d}",
        "name": text(rng, 3) + "事项",
        "aliases": [text(rng, 2)],
        "item_type": rng.choice(["01", "07", "20"]),
        "use_level": 3,
        "department": rng.choice(departments),
        "region": "410100000000",
        "applicable_to": text(rng, 8),
        "legal_basis": "《" + text(rng, 3) + "条例》第十条",
        "conditions": text(rng, 12),
        "statutory_limit": {"value": 20},
        "promised_limit": {"value": rng.randint(1, 15)},
        "case_kind": 2,
        "visits": rng.randint(0, 2),
        "result": {"name": text(rng, 2) + "证", "type": "certificate", "material_key": rng.choice(["", *MATERIALS])},
        "status": "published",
        "sample": True,
        "materials": [
            {"key": key, "name": f"材料{key}", "type": 3, "source": 10}
            for key in rng.sample(MATERIALS, rng.randint(4, 8))
        ],
        "fields": [{"key": key, "label": f"字段{key}"} for key in rng.sample(FIELDS, rng.randint(4, 8))],
        "steps": [
            {"kind": kind, "name": kind, "limit": {"value": 1}} for kind in ("accept", "review", "decide", "deliver")
        ],
    }


def generate(count: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    departments = [
        {
            "code": f"bench-{i}",
            "credit_code": credit_code("11", "410100", f"{900 + i:08d}"),
            "name": f"基准测试局{i}",
            "region": "410100000000",
        }
        for i in range(40)
    ]
    items = [item(rng, i, [d["code"] for d in departments]) for i in range(count)]
    life_events = []
    for start in range(0, count - 9, 10):
        members = items[start : start + 10]
        # A producer's key must not be asked for by an earlier member (that would be a cycle).
        for position, member in enumerate(members):
            asked_before = {m["key"] for other in members[:position] for m in other["materials"]}
            if member["result"]["material_key"] in asked_before:
                member["result"]["material_key"] = ""
        life_events.append(
            {
                "code": f"LE-BENCH{start // 10:05d}",
                "name": text(rng, 3) + "一件事",
                "audience": "person",
                "life_stage": "birth",
                "lead_department": members[0]["department"],
                "status": "published",
                "sample": True,
                "items": [
                    {"item": m["code"], "depends_on": [members[p - 1]["code"]] if p % 3 == 2 else []}
                    for p, m in enumerate(members)
                ],
                "questions": [
                    {
                        "key": "situation",
                        "text": "您的情况是？",
                        "options": [
                            {"key": "a", "label": "情形一"},
                            {"key": "b", "label": "情形二", "exclude_items": [members[-1]["code"]]},
                        ],
                    }
                ],
            }
        )
    return {"format": "yijianshi-catalog/1", "departments": departments, "items": items, "life_events": life_events}


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    sys.stdout.write(dumps(generate(count)))
