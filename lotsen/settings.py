"""Settings for Lotsen, read from the environment (see .env.example).

With no configuration at all the app runs on SQLite with a file-system Celery
broker, so that `make run` works on a bare machine. Production sets DATABASE_URL,
CELERY_BROKER_URL, EMAIL_URL, SECRET_KEY and ALLOWED_HOSTS.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from environs import Env, EnvError
from marshmallow.validate import URL, OneOf, Range

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = Env()
env.read_env(BASE_DIR / ".env", recurse=False)

try:
    DEBUG = env.bool("DEBUG", default=False)
    SECRET_KEY = env.str("SECRET_KEY", default="")
    # Earlier keys, comma separated, while what they signed should still hold (sessions,
    # the recovery codes' digests: decision 0015).
    SECRET_KEY_FALLBACKS: list[str] = env.list("SECRET_KEY_FALLBACKS", default=[])
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
    DATABASES = {
        "default": env.dj_db_url(
            "DATABASE_URL",
            default=f"sqlite:///{VAR_DIR / 'lotsen.sqlite3'}",
            conn_max_age=env.int("DB_CONN_MAX_AGE", default=60),
        )
    }
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
    EMAIL_CONFIG = env.dj_email_url(
        "EMAIL_URL", default="console://" if DEBUG else "smtp://localhost:25"
    )
    DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Lotsen <noreply@lotsen.local>")
    # The morning run sends its reminders over this many SMTP connections at once.
    EMAIL_CONNECTIONS = env.int("EMAIL_CONNECTIONS", default=3, validate=Range(min=1, max=10))
    SITE_URL = env.str(
        "SITE_URL", default="http://127.0.0.1:8000", validate=URL(require_tld=False)
    ).rstrip("/")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
    SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
    BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
    STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
    LOG_LEVEL = env.str(
        "LOG_LEVEL", default="INFO", validate=OneOf(["DEBUG", "INFO", "WARNING", "ERROR"])
    )
    PLAN_DUE_SOON_DAYS = env.int("PLAN_DUE_SOON_DAYS", default=7, validate=Range(min=0))
    PLAN_MISSING_AFTER_DAYS = env.int("PLAN_MISSING_AFTER_DAYS", default=14, validate=Range(min=0))
    DURATION_WARNING_MONTHS = env.int("DURATION_WARNING_MONTHS", default=3, validate=Range(min=0))
    WEEKLY_SUMMARY_WEEKDAY = env.int(
        "WEEKLY_SUMMARY_WEEKDAY", default=0, validate=Range(min=0, max=6)
    )
    REMINDER_RETRY_BASE_SECONDS = env.int(
        "REMINDER_RETRY_BASE_SECONDS", default=60, validate=Range(min=1)
    )
    REMINDER_RETRY_MAX = env.int("REMINDER_RETRY_MAX", default=8, validate=Range(min=0))
    DAILY_CHECKS_HOUR = env.int("DAILY_CHECKS_HOUR", default=6, validate=Range(min=0, max=23))
    CACHE_URL = env.str("CACHE_URL", default="locmem://")
    PUBLIC_FORM_LIMIT_PER_HOUR = env.int(
        "PUBLIC_FORM_LIMIT_PER_HOUR", default=5, validate=Range(min=1)
    )
    PUBLIC_FORM_MAX_BYTES = env.int("PUBLIC_FORM_MAX_BYTES", default=8192, validate=Range(min=1024))
    # Attendance of a day older than this many days is corrected with a reason, never
    # silently changed (0 = only today). Set the database's lotsen.correction_days to the
    # same number (scripts/db-roles.sql, decision 0016).
    # L3: a record is due this many years after its last entry; people born on these days
    # of a month are kept for research (empty: the municipality is exempt, none kept).
    RETENTION_YEARS = env.int("RETENTION_YEARS", default=5, validate=Range(min=1))
    RETENTION_EXEMPT_BIRTH_DAYS = env.list(
        "RETENTION_EXEMPT_BIRTH_DAYS", default=[5, 15, 25], subcast=int
    )
    ATTENDANCE_CORRECTION_DAYS = env.int(
        "ATTENDANCE_CORRECTION_DAYS", default=0, validate=Range(min=0)
    )
    # Staff log in with a password and a second factor (passkey or authenticator app). On by
    # default; off by default only with DEBUG, so that `make run` lets the demo logins in.
    REQUIRE_TWO_FACTOR = env.bool("REQUIRE_TWO_FACTOR", default=not DEBUG)
    # Passkeys are bound to this host name (the WebAuthn relying party id): the host of
    # SITE_URL unless set. Browsers accept it only over HTTPS or on localhost.
    WEBAUTHN_RP_ID = env.str("WEBAUTHN_RP_ID", default="")
except EnvError as error:
    # environs names the variable in its message; make it the only thing printed.
    raise ImproperlyConfigured(f"Invalid environment: {error}") from None

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default queues writers instead of failing them: every transaction takes
    # the write lock when it begins (so two staff taking the last place read one after the
    # other), a writer waits up to 20 s for the lock, and WAL lets readers go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
    # Tests get a file, not Django's in-memory default, so that threads share the database
    # the way web processes do. pytest-xdist workers each add their id (_gw0, _gw1, ...).
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-lotsen.sqlite3")}
    VAR_DIR.mkdir(exist_ok=True)

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An OLTP load of short indexed queries: PostgreSQL's JIT compiles for most of a second
    # once a plan's estimated cost is high (the registry's access filter at 50k+ people) and
    # never pays that back here. Ranking the overdue places sorts in memory, not on disk.
    # The register is read from memory (or SSD), not spinning disks (the default 4): at 4
    # the planner sorted the morning's third of a million overdue places (about 1 s) rather
    # than read them in order from their covering index (0.2-0.4 s), plans.reminders.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = " ".join(
        filter(
            None,
            [options.get("options", ""), "-c jit=off -c work_mem=32MB -c random_page_cost=1.1"],
        )
    )

if not CACHE_URL.startswith(("locmem://", "redis://", "rediss://")):
    raise ImproperlyConfigured("Invalid environment: CACHE_URL must be locmem:// or redis://…")

if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    SECRET_KEY = "insecure-development-key-only-for-DEBUG-mode-0123456789abcdef"  # noqa: S105
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off (see .env.example).")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "csp",
    "pgtrigger",
    "lotsen",
    "participants",
    "activities",
    "plans",
    "referrals",
    "journal",
    "treatment",
    "employment",
    "reporting",
    "home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lotsen.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lotsen.signin.SignedInMiddleware",  # django-otp's OTPMiddleware, user and device read together
    "lotsen.middleware.TwoFactorMiddleware",
    "lotsen.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
    "lotsen.middleware.NotAllowedPageMiddleware",
]

ROOT_URLCONF = "lotsen.urls"
WSGI_APPLICATION = "lotsen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "home.context_processors.navigation",
            ],
        },
    },
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "lotsen.User"
# The reminders' covering index (participants.Enrolment) carries non-key columns on
# PostgreSQL; the embedded SQLite ignores them, which is fine for a single user.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
# R20: the annual report is due on this (month, day) every year.
ANNUAL_REPORT_DUE = (3, 31)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "lotsen.signin.UserBackend",  # Django's ModelBackend (lotsen/signin.py)
    # Logs in no one by itself: passkeys are a second factor only (passwordless is off).
    "django_otp_webauthn.backends.WebAuthnBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lock out for an hour after ten failed logins for one user name, from whatever addresses
# (guessing one password from many), or from one address, whatever the user names (trying
# one password on many accounts). A success does not clear the count: a staff member could
# otherwise reset their address's count with their own password between guesses at others.
# Decision 0015.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False
# The connection's address; behind the TLS proxy (BEHIND_TLS_PROXY) the one that proxy
# appended to X-Forwarded-For, never what the client wrote there (django-ipware is not
# installed; axes calls this instead).
AXES_CLIENT_IP_CALLABLE = "lotsen.client.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

OTP_TOTP_ISSUER = "Lotsen"
OTP_WEBAUTHN_RP_NAME = "Lotsen"
# Browsers use passkeys only over HTTPS or on localhost, never on an IP address: the demo's
# http://127.0.0.1:8000 gets passkeys at http://localhost:8000 instead.
_site = urlsplit(SITE_URL)
if _site.scheme == "https" or _site.hostname == "localhost":
    OTP_WEBAUTHN_ALLOWED_ORIGINS = [SITE_URL]
else:
    OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"http://localhost:{_site.port or 80}"]
OTP_WEBAUTHN_RP_ID = WEBAUTHN_RP_ID or urlsplit(OTP_WEBAUTHN_ALLOWED_ORIGINS[0]).hostname
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# Sessions in the database, read with their user and second-factor device (lotsen.sessions).
SESSION_ENGINE = "lotsen.sessions"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "lotsen.views.csrf_failure"
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
    }
}

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("svenska")), ("en", _("engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["lotsen.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True

# The public form's rate limit counts here. Local memory (one process) by default so that a
# bare machine needs nothing; with several web processes set CACHE_URL to Redis.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if CACHE_URL.startswith("locmem://")
        else {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    )
}
# Sessions stay in the database alone (decision 0020's addendum): a session read from a
# cache outlives a logout made while the cache was unreachable.

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

vars().update(EMAIL_CONFIG)
EMAIL_SUBJECT_PREFIX = "[Lotsen] "
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: the embedded default is kombu's file-system transport under var/, which
# needs no server. Production and CI point CELERY_BROKER_URL at Redis.
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
        # Without this kombu writes its control files to ./control in the working directory.
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
    _queue_dir.mkdir(parents=True, exist_ok=True)
CELERY_BEAT_SCHEDULE = {
    "daily-checks": {
        "task": "plans.tasks.run_daily_checks",
        "schedule": crontab(hour=DAILY_CHECKS_HOUR, minute=0),
    },
    # L3: once a year, in time to finish by the end of the year after the one that is due.
    "retention-proposal": {
        "task": "reporting.tasks.propose_retention",
        "schedule": crontab(month_of_year=1, day_of_month=15, hour=DAILY_CHECKS_HOUR, minute=30),
    },
    "unsent-referral-notices": {
        "task": "referrals.tasks.notify_unsent_web_referrals",
        "schedule": crontab(hour=DAILY_CHECKS_HOUR, minute=5),
    },
    "expired-sessions": {
        "task": "lotsen.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
}
# With the broker down, a web request waits at most about a second to find out.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # No mail_admins handler: Django's error e-mails carry POST data and would
    # leak personal data; request errors go to the console log only.
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"level": "WARNING"},
    },
}
