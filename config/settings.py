"""Settings, read from the environment with safe defaults.

Every value a deployment changes comes from an environment variable; docs/operations.md lists them.
Without any, the platform runs on one machine: SQLite in WAL mode, Huey on SQLite and files under var/.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from yijianshi.core.logging import JSON_FORMATTER

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

VAR_DIR = Path(env.str("YJS_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def local_secret_key(path: Path) -> str:
    """Return the secret key kept at `path`, creating it (owner-readable only) on first use."""
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(50)
    path.touch(mode=0o600)
    path.write_text(key)
    return key


def sqlite_options() -> dict:
    """Options that let SQLite serve a web process and a worker at once."""
    return {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }


def huey_config(*, redis_url: str, var_dir: Path, workers: int) -> dict:
    """Huey on Redis when a URL is given, otherwise on a SQLite file under var/."""
    config: dict = {
        "name": "yijianshi",
        "immediate": False,
        "utc": True,
        "consumer": {"workers": workers, "worker_type": "thread", "periodic": True},
    }
    if redis_url:
        config.update({"huey_class": "huey.RedisHuey", "url": redis_url})
    else:
        config.update({"huey_class": "huey.SqliteHuey", "filename": str(var_dir / "huey.db")})
    return config


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="") or local_secret_key(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "axes",
    "huey.contrib.djhuey",
    "mozilla_django_oidc",
    "yijianshi.core",
    "yijianshi.accounts",
    "yijianshi.files",
    "yijianshi.notifications",
    "yijianshi.catalog",
    "yijianshi.licenses",
    "yijianshi.cases",
    "yijianshi.commitments",
    "yijianshi.reviews",
    "yijianshi.portal",
    "yijianshi.workbench",
    "yijianshi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "yijianshi.core.middleware.RequestLogMiddleware",
    "yijianshi.core.middleware.ApiErrorShapeMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yijianshi.core.context_processors.platform",
                "yijianshi.portal.context_processors.acting",
                "yijianshi.portal.context_processors.kiosk",
            ],
        },
    },
]

# An empty DATABASE_URL means "not set", as an unset one does.
DATABASES = {"default": env.db_url_config(env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = sqlite_options()
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Parameters bound by the server, and statements a connection runs often prepared once (psycopg's automatic
    # prepared statements): PostgreSQL then skips parsing and planning them. 0 turns preparing off, for a
    # transaction-pooling proxy that cannot keep prepared statements (docs/operations.md).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.update(server_side_binding=True, prepare_threshold=env.int("DATABASE_PREPARE_THRESHOLD", default=5) or None)
    # A database that does not answer fails the connection in seconds, not after minutes of TCP retries: a web
    # worker warming up at start (gunicorn replaces a worker not ready in 30 s) and a request get an error to report.
    options.setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=10))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
HUEY = huey_config(redis_url=REDIS_URL, var_dir=VAR_DIR, workers=env.int("HUEY_WORKERS", default=2))

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Accounts and login
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:landing"
LOGOUT_REDIRECT_URL = "portal:home"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=2 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
# Messages live in the session, not in a cookie: some carry secrets shown once (a new token).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None

# django-axes: a run of failed logins locks the account, from that address, for a while (连续失败锁定).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "yijianshi.accounts.lockout.lockout_response"
AXES_IPWARE_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0) or None
AXES_VERBOSE = False
# Lockout is per account *and* address (ADR 0005): nobody can lock someone else out from elsewhere, and a service
# hall sharing one public address is not locked as a whole.

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "yijianshi.accounts.admin_permissions.ScopePermissionBackend",
]

# The province's unified identity platform (统一身份认证), over OpenID Connect. Off unless configured.
OIDC_ENABLED = env.bool("OIDC_ENABLED", default=False)
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_CLAIM_CITIZEN_ID = env.str("OIDC_CLAIM_CITIZEN_ID", default="citizen_id")
OIDC_CLAIM_NAME = env.str("OIDC_CLAIM_NAME", default="name")
OIDC_CLAIM_PHONE = env.str("OIDC_CLAIM_PHONE", default="phone_number")
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("yijianshi.accounts.oidc.ProvincialIdentityBackend")

# API lists
NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_LIMIT = 100

# API tokens
YJS_TOKEN_TTL = timedelta(hours=env.int("YJS_TOKEN_TTL_HOURS", default=12))
YJS_CLIENT_TOKEN_TTL = timedelta(days=env.int("YJS_CLIENT_TOKEN_TTL_DAYS", default=365))

# 自助终端 (/kiosk/): sign-in by citizen ID and a one-time SMS code; the session ends after this many idle seconds.
YJS_KIOSK_IDLE_SECONDS = env.int("YJS_KIOSK_IDLE_SECONDS", default=120)
if YJS_KIOSK_IDLE_SECONDS < 30:
    raise ImproperlyConfigured("YJS_KIOSK_IDLE_SECONDS 应不少于 30 秒（自动退出前须提示 20 秒）")
# The one-time codes: valid for, wrong tries before a code is spent, seconds between two sends, sends per hour (per ID).
YJS_LOGIN_CODE_TTL_SECONDS = env.int("YJS_LOGIN_CODE_TTL_SECONDS", default=5 * 60)
YJS_LOGIN_CODE_MAX_TRIES = env.int("YJS_LOGIN_CODE_MAX_TRIES", default=5)
YJS_LOGIN_CODE_RESEND_SECONDS = env.int("YJS_LOGIN_CODE_RESEND_SECONDS", default=60)
YJS_LOGIN_CODE_SENDS_PER_HOUR = env.int("YJS_LOGIN_CODE_SENDS_PER_HOUR", default=5)
if min(YJS_LOGIN_CODE_TTL_SECONDS, YJS_LOGIN_CODE_MAX_TRIES, YJS_LOGIN_CODE_SENDS_PER_HOUR) < 1:
    raise ImproperlyConfigured("YJS_LOGIN_CODE_TTL_SECONDS、_MAX_TRIES、_SENDS_PER_HOUR 均应为正整数")

# The region this deployment serves (GB/T 2260, 12 digits); the demo city is Zhengzhou.
# A task or case turns yellow when at most this share of its limit is left (red once overdue).
YJS_DEADLINE_WARNING_RATIO = env.float("YJS_DEADLINE_WARNING_RATIO", default=0.2)
if not 0 <= YJS_DEADLINE_WARNING_RATIO < 1:
    raise ImproperlyConfigured("YJS_DEADLINE_WARNING_RATIO 应在 0 到 1 之间（不含 1），例如 0.2")

YJS_REGION_CODE = env.str("YJS_REGION_CODE", default="410100000000")

# 好差评: how long after the first rating an applicant may still change it.
YJS_REVIEW_EDIT_DAYS = env.int("YJS_REVIEW_EDIT_DAYS", default=7)

# 事后核查 sampling rates for items whose rule is "sampled", by risk level (e.g. YJS_POST_CHECK_RATES=low=0.1,...).
POST_CHECK_RATES_ERROR = "YJS_POST_CHECK_RATES 须为 low、medium、high 三个 0 到 1 之间的比例，如 low=0.1,high=1"
POST_CHECK_RATES_DEFAULT = {"low": "0.1", "medium": "0.3", "high": "1"}
try:
    YJS_POST_CHECK_RATES = {
        level: float(rate) for level, rate in env.dict("YJS_POST_CHECK_RATES", default=POST_CHECK_RATES_DEFAULT).items()
    }
except ValueError as error:
    raise ImproperlyConfigured(POST_CHECK_RATES_ERROR) from error
if set(YJS_POST_CHECK_RATES) != set(POST_CHECK_RATES_DEFAULT) or not all(
    0 <= rate <= 1 for rate in YJS_POST_CHECK_RATES.values()
):
    raise ImproperlyConfigured(POST_CHECK_RATES_ERROR)

# The key that encrypts the seals' SM2 private keys at rest (SM4-GCM, derived with HKDF-SM3). Production sets it from a
# secret store; without it a key is kept in the var directory, as the secret key is, for a trial machine.
YJS_SEAL_KEY = env.str("YJS_SEAL_KEY", default="") or local_secret_key(VAR_DIR / "seal_key")
# The public address printed on license QR codes (the verification page), e.g. https://zwfw.example.gov.cn
YJS_PUBLIC_URL = env.str("YJS_PUBLIC_URL", default="http://127.0.0.1:8000").rstrip("/")
YJS_PLATFORM_NAME = env.str("YJS_PLATFORM_NAME", default="一件事 · 一体化政务服务平台")

# Language and time
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Files
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MANIFEST_STRICT = False
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
YJS_UPLOAD_MAX_BYTES = env.int("YJS_UPLOAD_MAX_MB", default=20) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "yijianshi.files.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o640

# Mail: written to files under var/mail unless EMAIL_URL names a server.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default=f"filemail://{VAR_DIR / 'mail'}")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@yijianshi.local")
YJS_SMS_GATEWAY = env.str("YJS_SMS_GATEWAY", default="yijianshi.notifications.sms.LoggingSmsGateway")
YJS_SMS_SIGNATURE = env.str("YJS_SMS_SIGNATURE", default="一件事")
YJS_WEBHOOK_TRANSPORT = env.str("YJS_WEBHOOK_TRANSPORT", default="yijianshi.cases.webhooks.HttpTransport")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": JSON_FORMATTER},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        # Huey's consumer adds its own handler unless the logger has one; give it ours, once.
        "huey": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO"), "propagate": False},
    },
}
