"""Published snapshots from before commitments: give their items the defaults the catalog format now has
(commitments configured as "not allowed", no instant approval, no credit repair), so plans of old versions — and the
cases that froze them — compute as before."""

from django.db import migrations

DEFAULTS = {
    "commitment": {
        "area": "general",
        "text": {"conditions": "", "content": "", "liability": ""},
        "replaces": [],
        "deferral_days": 0,
        "post_check": {"rule": "none", "risk": "low", "days": 20},
    },
    "instant_approval": {"allowed": False, "checks": []},
    "credit_repair": [],
}


def fill(apps, schema_editor):
    for name in ("ItemVersion", "LifeEventVersion"):
        model = apps.get_model("catalog", name)
        for version in model.objects.only("pk", "snapshot").iterator(chunk_size=500):
            items = (version.snapshot or {}).get("items", {})
            missing = [item for item in items.values() if any(key not in item for key in DEFAULTS)]
            if not missing:
                continue
            for item in missing:
                for key, value in DEFAULTS.items():
                    item.setdefault(key, value)
            model.objects.filter(pk=version.pk).update(snapshot=version.snapshot)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_commitments_instant_credit")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
