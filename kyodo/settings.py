"""Settings, read from the environment (see README "Configuration").

Importing this module reads the environment and nothing else: it creates no file or folder (`make run`
makes `var/`; the code that writes a file makes its folder when it writes)."""

import importlib.util
import os
import re
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kyodo.core import errortracking
from kyodo.core.email_url import parse_email_url
from kyodo.core.net import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KYODO_VAR_DIR", BASE_DIR / "var"))


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """A yes/no variable. A word that is neither (`DEBUG=flase`) stops start-up rather than being read as
    "no": a misspelt production switch must not pass silently."""
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a yes/no value: use one of {', '.join(sorted(TRUE_WORDS | FALSE_WORDS))}."
    )


# Off unless asked for: an unset DEBUG is production (`make run` and kyodo/settings_test.py turn it on).
DEBUG = env_bool("DEBUG", False)

INSECURE_DEFAULT_KEY = "django-insecure-kyodo-development-only"
SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_DEFAULT_KEY if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == INSECURE_DEFAULT_KEY or len(SECRET_KEY) < 50):
    # Refuse to start in production with a missing, default or weak key.
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of 50+ characters when DEBUG is off "
        "(DEBUG is off unless set: for development, DEBUG=1 or `make run`)."
    )

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = [SITE_URL] if SITE_URL.startswith("https://") else []

INSTALLED_APPS = [
    # Ours first: our translations and templates take precedence over Django's and allauth's.
    "kyodo.core",
    "kyodo.groups",
    "kyodo.lending",
    "kyodo.consultations",
    "kyodo.community",
    "kyodo.rooms",
    "kyodo.reports",
    "kyodo.ops",
    "kyodo.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "ninja",
    # Uploads: a replaced or cleared file is deleted after the commit (must stay last, as it says).
    "django_cleanup.apps.CleanupConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # the CSP block below
    "django_permissions_policy.PermissionsPolicyMiddleware",  # the CSP block below
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "kyodo.core.middleware.RejectNullCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "kyodo.core.access.AccessMiddleware",
    "kyodo.core.doors.DomainErrorMiddleware",
]

# Bench instrumentation (kyodo.ops): a query counter and the /bench/floor/ page (kyodo/urls.py), only for
# load runs (`make bench` sets it); without it neither exists.
KYODO_BENCH = env_bool("KYODO_BENCH", False)
if KYODO_BENCH:
    MIDDLEWARE.insert(0, "kyodo.ops.middleware.QueryCountMiddleware")

ROOT_URLCONF = "kyodo.urls"
WSGI_APPLICATION = "kyodo.wsgi.application"

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
                "django.template.context_processors.i18n",
                "kyodo.core.context_processors.site",
            ],
        },
    }
]

# Every form is drawn by core/_form.html and core/_field.html (kyodo.core.formrender).
FORM_RENDERER = "kyodo.core.formrender.KyodoFormRenderer"

# Error pages (400, 403, 404, 500, CSRF) name the center: from the first location, or these when the
# database cannot be read (a 500 while it is down).
KYODO_CENTER_NAME = os.environ.get("KYODO_CENTER_NAME", "金沢市市民活動サポートセンター")
KYODO_CENTER_PHONE = os.environ.get("KYODO_CENTER_PHONE", "076-225-7763")
KYODO_CENTER_EMAIL = os.environ.get("KYODO_CENTER_EMAIL", "support_center@city.kanazawa.lg.jp")
CSRF_FAILURE_VIEW = "kyodo.core.errorpages.csrf_failure"

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kyodo.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Parallel writers queue (IMMEDIATE + busy timeout) instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("KYODO_TEST_SQLITE", str(VAR_DIR / "test.sqlite3"))
    }
# A read replica (PostgreSQL streaming replication) for statistics and exports: kyodo.core.replica.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True
    )
    # Tests have no second server: the replica alias reads the test database through its own connection.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
KYODO_READ_REPLICA = bool(DATABASE_REPLICA_URL)
DATABASE_ROUTERS = ["kyodo.core.replica.ReplicaRouter"]
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:profile"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"
ACCOUNT_ADAPTER = "kyodo.core.adapters.AccountAdapter"
# A password change or reset offers to revoke the person's API tokens too (kyodo.core.account_forms).
# Every account form is drawn as Kyodo's forms are, and sign-up asks for a name (kyodo.core.account_forms).
ACCOUNT_FORMS = {
    "login": "kyodo.core.account_forms.KyodoLoginForm",
    "signup": "kyodo.core.account_forms.KyodoSignupForm",
    "add_email": "kyodo.core.account_forms.KyodoAddEmailForm",
    "reset_password": "kyodo.core.account_forms.KyodoResetPasswordForm",
    "set_password": "kyodo.core.account_forms.KyodoSetPasswordForm",
    "change_password": "kyodo.core.account_forms.KyodoChangePasswordForm",
    "reset_password_from_key": "kyodo.core.account_forms.KyodoResetPasswordKeyForm",
}
# Failed sign-ins are throttled per IP and per account (allauth's rate limits).
ACCOUNT_RATE_LIMITS: dict[str, str] | bool = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
RATE_LIMITS_ON = env_bool("KYODO_RATE_LIMITS", True)
# Each KYODO_RATE_LIMIT_<NAME> is "count/seconds": a mistyped one stops start-up here, naming it, rather than
# answering every booking with a 500 (kyodo.core.ratelimit reads them).
for _name, _value in os.environ.items():
    if _name.startswith("KYODO_RATE_LIMIT_") and not re.fullmatch(r"\s*\d+\s*/\s*[1-9]\d*\s*", _value):
        raise ImproperlyConfigured(f'{_name} must be "count/seconds", e.g. "10/3600", not {_value!r}.')
if not RATE_LIMITS_ON:
    ACCOUNT_RATE_LIMITS = False
# How long an anonymous consultation booking (仮受付) holds its time until the mail's link confirms it.
CONSULTATION_HOLD_MINUTES = int(os.environ.get("KYODO_CONSULTATION_HOLD_MINUTES", "30"))

# --- Language and time ----------------------------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS: list[str] = []
USE_I18N = True
TIME_ZONE = "Asia/Tokyo"
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
WHITENOISE_USE_FINDERS = DEBUG
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads (kyodo.core.images): at most this many bytes and pixels; larger ones are refused with a message.
KYODO_UPLOAD_MAX_BYTES = int(os.environ.get("KYODO_UPLOAD_MAX_BYTES", 5 * 1024 * 1024))
KYODO_UPLOAD_MAX_PIXELS = int(os.environ.get("KYODO_UPLOAD_MAX_PIXELS", 25_000_000))
# --- Uploads in S3-compatible storage (scale-out; README "Scaling out") ----------------------------
# `pip install -e '.[s3]'` (django-storages); it reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY itself.
if os.environ.get("KYODO_S3_BUCKET"):
    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured("KYODO_S3_BUCKET is set: install the s3 extra, pip install -e '.[s3]'")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["KYODO_S3_BUCKET"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,  # unset: AWS itself
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "file_overwrite": False,  # names are random anyway; never replace another row's file
        },
    }
# --- end of S3 --------------------------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------------------
# Every message is first stored in the outbox table, in the transaction that produced it; a worker
# (`manage.py deliver_mail`) delivers it through KYODO_DELIVERY_BACKEND with retries.
EMAIL_BACKEND = "kyodo.core.mail.OutboxBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kyodo <noreply@example.jp>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 10
_email = parse_email_url(os.environ.get("EMAIL_URL", "dev://"))
KYODO_DELIVERY_BACKEND = str(_email.pop("BACKEND"))
for _k, _v in _email.items():
    globals()[_k] = _v
KYODO_MAIL_DIR = VAR_DIR / "mail"
# Deliver right after commit (handy under `make run`); in production the worker does it.
KYODO_DELIVER_ON_COMMIT = env_bool("KYODO_DELIVER_ON_COMMIT", DEBUG)
# A message that cannot be delivered is retried (back-off up to an hour) until it is this old, then given up
# and shown to staff with its error (/staff/outbox/, where they may send it again).
KYODO_MAIL_RETRY_HOURS = int(os.environ.get("KYODO_MAIL_RETRY_HOURS", 72))
KYODO_OUTBOX_KEEP_DAYS = int(os.environ.get("KYODO_OUTBOX_KEEP_DAYS", 30))  # stored mail holds personal data
KYODO_LOCK_TIMEOUT_MS = int(
    os.environ.get("KYODO_LOCK_TIMEOUT_MS", 5000)
)  # past it a booking answers "busy, retry"

# --- Security (manage.py check --deploy passes with DEBUG off) ------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- CSP and Permissions-Policy (README "Security headers") --------------------------------------
# Everything comes from the site itself: no inline script or style (not even in Django's admin, which
# needs neither), no images from elsewhere (Markdown turns them into links), no framing, forms post
# only here. The same policy in DEBUG, so that `make run` shows a violation before production does.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features no page of Kyodo uses, turned off for the site and anything it might embed. Only
# names Chromium knows (it warns in the console about others, e.g. ambient-light-sensor, bluetooth).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in [
        "accelerometer", "autoplay", "browsing-topics", "camera",
        "display-capture", "encrypted-media", "geolocation", "gyroscope", "hid", "idle-detection",
        "interest-cohort", "local-fonts", "magnetometer", "microphone", "midi", "payment",
        "picture-in-picture", "publickey-credentials-get", "screen-wake-lock", "serial", "usb",
        "xr-spatial-tracking",
    ]
}  # fmt: skip
# --- end of CSP and Permissions-Policy -----------------------------------------------------------

# --- Cache: shared by every app server (rate limits), so it lives in the database --------------
# CACHE_URL=redis://host:6379/0 uses Django's Redis cache instead, for deployments that run Redis.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// address, not {CACHE_URL!r}")
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "kyodo_cache"}
    }
# The reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated; none by
# default). kyodo.core.net.client_address reads it, for Kyodo's rate limits and for allauth's.
try:
    KYODO_TRUSTED_PROXIES = parse_networks(os.environ.get("KYODO_TRUSTED_PROXIES", ""))
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
if "KYODO_TRUST_X_FORWARDED_FOR" in os.environ:
    raise ImproperlyConfigured(
        "KYODO_TRUST_X_FORWARDED_FOR is gone: list the proxy's address in KYODO_TRUSTED_PROXIES instead."
    )

# --- Kyodo ----------------------------------------------------------------------------------------
KYODO_MUNICIPALITY_CODE = os.environ.get("KYODO_MUNICIPALITY_CODE", "172014")
KYODO_PREFECTURE = os.environ.get("KYODO_PREFECTURE", "石川県")
KYODO_MUNICIPALITY = os.environ.get("KYODO_MUNICIPALITY", "金沢市")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Error reports (kyodo.core.errortracking) -----------------------------------------------------
# With SENTRY_DSN (Sentry, or a self-hosted GlitchTip) the app, the mail worker and the daily job report
# their errors, personal data scrubbed; without it nothing is initialised and nothing leaves the server.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    errortracking.init(
        SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "development" if DEBUG else "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
    )
