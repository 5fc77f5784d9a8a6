"""Settings for the test suite: the production settings with a private queue file and a fast hasher.

The database still comes from DATABASE_URL, so the same suite runs on SQLite and on PostgreSQL.
"""

import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import huey_config

TEST_DIR = Path(tempfile.mkdtemp(prefix="yjs-test-"))

# Argon2 stays available to verify hashes; new test passwords hash fast.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
HUEY = huey_config(redis_url="", var_dir=TEST_DIR, workers=1)
MEDIA_ROOT = TEST_DIR / "media"
STATIC_ROOT = TEST_DIR / "static"
STATIC_ROOT.mkdir()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
YJS_SMS_GATEWAY = "yijianshi.notifications.sms.OutboxSmsGateway"
YJS_WEBHOOK_TRANSPORT = "yijianshi.cases.webhooks.RecordingTransport"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

# A file, not SQLite's shared in-memory database: concurrency tests need real locking between connections.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(TEST_DIR / "test.sqlite3")}  # noqa: F405
