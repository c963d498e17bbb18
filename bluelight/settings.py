"""Settings for bluelight, read from the environment.

With no environment variables at all the app runs for development: DEBUG on,
a SQLite file in the project folder, email printed to the console. Production
sets ``DJANGO_DEBUG=0``, ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` and
``DATABASE_URL`` (PostgreSQL); ``manage.py check --deploy`` is then clean.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "modeltranslation",  # before the admin: per-language framework texts (survey/translation.py)
    "bluelight.apps.BluelightAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    # Two-step verification: TOTP authenticator apps and single-use backup codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "survey",
    "assessments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed on the wire (Django's, with its BREACH mitigation; CSRF tokens are masked).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Nothing a logged-in person sees is kept by the browser or a proxy.
    "bluelight.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "bluelight.middleware.SessionIdleTimeoutMiddleware",
    "bluelight.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "bluelight.middleware.PermissionsPolicyMiddleware",
    # Last, as django-axes asks: locks out repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bluelight.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "bluelight.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "bluelight.wsgi.application"

# Cache: local memory by default (nothing to run for development); Redis when
# REDIS_URL is set (e.g. redis://127.0.0.1:6379/1), so several gunicorn hosts behind
# a load balancer share the framework pages, framework specs and results snapshots.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "bluelight"),
        "TIMEOUT": 60 * 60 * 24,
    } if REDIS_URL else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "bluelight",
        "TIMEOUT": 60 * 60 * 24,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# Database: DATABASE_URL (e.g. postgres://user:pass@host:5432/bluelight), else SQLite.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writes wait their turn instead of failing with "database is locked": every
    # transaction takes the write lock when it begins (IMMEDIATE, so a reader never
    # has to upgrade its lock mid-transaction, which SQLite refuses at once), a
    # writer waits up to 20 s for the lock, and WAL lets readers carry on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out login is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): 5 failures for one username from one address
# lock that pair out for 15 minutes, and 10 failures from one address, whatever
# the usernames, lock that address out (bluelight/throttle.py); a successful
# login clears that account's failures from that address.
AXES_FAILURE_LIMIT = int(os.environ.get("BLUELIGHT_LOGIN_FAILURE_LIMIT", "5"))
BLUELIGHT_LOGIN_ADDRESS_FAILURE_LIMIT = int(
    os.environ.get("BLUELIGHT_LOGIN_ADDRESS_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("BLUELIGHT_LOGIN_COOLOFF_MINUTES",
                                                         "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "bluelight.throttle.LoginThrottleHandler"
AXES_RESET_ON_SUCCESS = True
# Behind reverse proxies that append to X-Forwarded-For, how many: the client
# address is then the one the outermost proxy saw (0: the connecting address).
BLUELIGHT_PROXY_COUNT = int(os.environ.get("BLUELIGHT_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "bluelight.throttle.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Sessions end after this many hours without a request (the login page says so).
BLUELIGHT_SESSION_IDLE_HOURS = int(os.environ.get("BLUELIGHT_SESSION_IDLE_HOURS", "8"))
SESSION_COOKIE_AGE = BLUELIGHT_SESSION_IDLE_HOURS * 3600

# Two-step verification (TOTP app + backup codes): required for administrators and
# researchers when on (the default in production); leads may turn it on themselves.
# Off in development so the demo accounts log in with their password alone.
BLUELIGHT_REQUIRE_2FA = env_bool("BLUELIGHT_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = "bluelight"
# Administrators may remove a person's authenticator (a lost phone) but never see its key.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
BLUELIGHT_BACKUP_CODES = 10

# Password reset by email: a link valid for 1 hour; at most this many requests an
# hour from one address and emails an hour to one email address.
PASSWORD_RESET_TIMEOUT = 3600
BLUELIGHT_PASSWORD_RESET_PER_ADDRESS = int(
    os.environ.get("BLUELIGHT_PASSWORD_RESET_PER_ADDRESS", "10"))
BLUELIGHT_PASSWORD_RESET_PER_EMAIL = int(
    os.environ.get("BLUELIGHT_PASSWORD_RESET_PER_EMAIL", "3"))

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Framework titles, help texts and scale labels are stored per language
# (survey/translation.py); a text not yet translated falls back to English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en-gb"
MODELTRANSLATION_LANGUAGES = ("en-gb", "cy")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en-gb",)
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
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
# In production every static URL carries its content's hash, so whitenoise sends
# it compressed and cached for good (max-age ten years, immutable); the copies
# without a hash are not kept, so none is served with a short cache.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console in development (invitation and password-reset links are printed
# there); SMTP with STARTTLS on port 587 otherwise, since the links grant access.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "bluelight@localhost")
# Invitation links for partnership leads stop working after this many days.
BLUELIGHT_INVITATION_DAYS = int(os.environ.get("BLUELIGHT_INVITATION_DAYS", "14"))

# Uploads (CSV imports): refuse anything larger with a clear message in the form.
BLUELIGHT_MAX_UPLOAD_BYTES = int(os.environ.get("BLUELIGHT_MAX_UPLOAD_BYTES",
                                                str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Research pages: figures resting on fewer partnerships than this are suppressed.
BLUELIGHT_MIN_GROUP_SIZE = int(os.environ.get("BLUELIGHT_MIN_GROUP_SIZE", "5"))
# National surveys: breakdown cells with a base under this are suppressed.
BLUELIGHT_MIN_CELL_SIZE = int(os.environ.get("BLUELIGHT_MIN_CELL_SIZE", "10"))

# Security: secure cookies and HSTS whenever DEBUG is off.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is opt-in: once browsers ship the domain in their preload list,
    # it cannot quickly be taken back, so the domain's owner decides.
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]  # "HSTS preload is not set": on purpose

# Content-Security-Policy (django-csp): scripts only from our own static files or
# with the per-request nonce; nothing from another site. Plotly styles its
# charts with inline styles, so styles allow 'unsafe-inline' (no script risk).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Emails to partnership leads (assessments/notifications.py) are sent outside the
# request by django-tasks; the database backend keeps the queue in the database,
# worked by `manage.py db_worker` (started by `make run`; no Redis needed).
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {"default": {"BACKEND": os.environ.get("BLUELIGHT_TASK_BACKEND",
                                               "django_tasks_db.DatabaseBackend")}}
# The site's address, for the plain links in those emails (no request to build them from).
BLUELIGHT_SITE_URL = os.environ.get("BLUELIGHT_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The reminder before a round closes goes this many days before its closing date.
BLUELIGHT_CLOSING_REMINDER_DAYS = int(os.environ.get("BLUELIGHT_CLOSING_REMINDER_DAYS", "7"))
# 24-hour times in the admin and Django's default formats (bluelight/formats/).
FORMAT_MODULE_PATH = ["bluelight.formats"]

# How often a session's "last seen" time is written, and how long "has this person an
# authenticator?" is remembered in their session (seconds): a page read costs no write.
BLUELIGHT_SESSION_TOUCH_SECONDS = int(os.environ.get("BLUELIGHT_SESSION_TOUCH_SECONDS", "60"))
BLUELIGHT_SECOND_FACTOR_RECHECK_SECONDS = int(
    os.environ.get("BLUELIGHT_SECOND_FACTOR_RECHECK_SECONDS", "60"))
