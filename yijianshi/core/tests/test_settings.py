import json
import os
import stat
import subprocess
import sys

import pytest
import redis
from django.db.backends.sqlite3.base import DatabaseWrapper
from huey.utils import load_class

from config.settings import huey_config, local_secret_key, sqlite_options
from yijianshi.conftest import require_service

PROBE = """
import json
from django.conf import settings
import django
django.setup()
from huey.contrib.djhuey import HUEY
print(json.dumps({
    "debug": settings.DEBUG,
    "language": settings.LANGUAGE_CODE,
    "time_zone": settings.TIME_ZONE,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "huey": type(HUEY).__name__,
    "secret_len": len(settings.SECRET_KEY),
    "hashers": settings.PASSWORD_HASHERS[0],
    "options": {k: v for k, v in settings.DATABASES["default"].get("OPTIONS", {}).items() if k == "connect_timeout"},
}))
"""


def settings_under(env: dict, tmp_path) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL", "REDIS_URL", "SECRET_KEY")}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", "YJS_VAR_DIR": str(tmp_path / "var"), **env})
    out = subprocess.run([sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_defaults_are_safe_and_embedded(tmp_path):
    seen = settings_under({}, tmp_path)
    assert seen["debug"] is False
    assert seen["language"] == "zh-hans"
    assert seen["time_zone"] == "Asia/Shanghai"
    assert seen["engine"] == "django.db.backends.sqlite3"
    assert seen["db_name"] == str(tmp_path / "var" / "db.sqlite3")
    assert seen["huey"] == "SqliteHuey"
    assert seen["secret_len"] >= 50
    assert seen["hashers"] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert (tmp_path / "var" / "secret_key").exists()


def test_empty_variables_count_as_unset(tmp_path):
    seen = settings_under({"DATABASE_URL": "", "REDIS_URL": ""}, tmp_path)
    assert seen["engine"] == "django.db.backends.sqlite3"
    assert seen["huey"] == "SqliteHuey"


def test_environment_switches_database_and_queue(tmp_path):
    seen = settings_under(
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/yjs",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "DEBUG": "1",
        },
        tmp_path,
    )
    assert seen["engine"] == "django.db.backends.postgresql"
    assert seen["huey"] == "RedisHuey"
    assert seen["debug"] is True
    assert seen["options"] == {"connect_timeout": 10}  # an unreachable database fails in seconds


def test_the_connect_timeout_comes_from_the_address_or_the_environment(tmp_path):
    url = "postgres://postgres@127.0.0.1:5432/yjs"
    given = settings_under({"DATABASE_URL": url, "DATABASE_CONNECT_TIMEOUT": "3"}, tmp_path)
    in_address = settings_under({"DATABASE_URL": url + "?connect_timeout=7"}, tmp_path)
    assert given["options"] == {"connect_timeout": 3}
    assert in_address["options"]["connect_timeout"] in (7, "7")


def test_the_local_secret_key_is_private_and_stable(tmp_path):
    path = tmp_path / "secret_key"
    first = local_secret_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert local_secret_key(path) == first


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode(tmp_path):
    wrapper = DatabaseWrapper(
        {
            "NAME": str(tmp_path / "db.sqlite3"),
            "OPTIONS": sqlite_options(),
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "TEST": {},
        }
    )
    with wrapper.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    wrapper.close()


def test_huey_on_redis_reaches_the_server(tmp_path):
    config = huey_config(redis_url="redis://127.0.0.1:6379/15", var_dir=tmp_path, workers=1)
    cls = load_class(config.pop("huey_class"))
    config.pop("consumer")
    queue = cls(config.pop("name") + "-test", **config)
    try:
        queue.storage.conn.ping()
    except redis.ConnectionError:
        require_service("Redis on 127.0.0.1:6379")
    queue.flush()
    assert queue.pending_count() == 0


@pytest.mark.parametrize("workers", [1, 4])
def test_huey_defaults_to_a_sqlite_file_under_var(tmp_path, workers):
    config = huey_config(redis_url="", var_dir=tmp_path, workers=workers)
    assert config["huey_class"] == "huey.SqliteHuey"
    assert config["filename"] == str(tmp_path / "huey.db")
    assert config["consumer"]["workers"] == workers
