"""One-time sign-in codes for the self-service kiosk (自助终端)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_credit_scope"),
    ]

    operations = [
        migrations.CreateModel(
            name="LoginCode",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("id_digest", models.CharField(editable=False, max_length=64, verbose_name="证件号码摘要")),
                ("code_digest", models.CharField(editable=False, max_length=64, verbose_name="验证码摘要")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="发送时间"),
                ),
                ("expires_at", models.DateTimeField(verbose_name="过期时间")),
                ("failed_attempts", models.PositiveSmallIntegerField(default=0, verbose_name="错误次数")),
                ("used_at", models.DateTimeField(blank=True, null=True, verbose_name="使用时间")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="用户",
                    ),
                ),
            ],
            options={
                "verbose_name": "登录验证码",
                "verbose_name_plural": "登录验证码",
                "indexes": [
                    models.Index(fields=["id_digest", "created_at"], name="login_code_per_id"),
                    models.Index(fields=["created_at"], name="login_code_age"),
                ],
            },
        ),
    ]
