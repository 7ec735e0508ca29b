"""Django settings for Toàn Cảnh, read from the environment.

Environment variables:
  DATABASE_URL       database (default: SQLite file under TOANCANH_DATA_DIR)
  REDIS_URL          optional cache (and, later, event bus) backend
  TOANCANH_DATA_DIR  where the SQLite database and uploads live (default: ./var)
  TOANCANH_SECRET_KEY, TOANCANH_DEBUG, TOANCANH_ALLOWED_HOSTS
  TOANCANH_HTTPS=1   deployed behind HTTPS: secure cookies, HSTS (TOANCANH_HSTS_SECONDS), redirect to https
  TOANCANH_TRUSTED_PROXIES  how many reverse proxies stand in front (their X-Forwarded-For/-Proto are believed)
  TOANCANH_SESSION_HOURS    how long a sign-in lasts (default 12)
  TOANCANH_LOGIN_FAILURE_LIMIT  failed sign-ins before an account, or an address, is locked for 15 minutes
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent
DATA_DIR = Path(os.environ.get("TOANCANH_DATA_DIR", Path.cwd() / "var")).resolve()
NODE_MODULES_DIR = Path(os.environ.get("TOANCANH_NODE_MODULES", REPO_DIR / "node_modules"))
SHARED_DATA_DIR = Path(os.environ.get("TOANCANH_SHARED_DATA", REPO_DIR.parent / "shared" / "data"))


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def _private(directory: Path) -> None:
    """The data directory (SQLite database, secret key, uploads) is the service user's alone."""
    directory.mkdir(parents=True, exist_ok=True)
    try:
        if directory.stat().st_uid == os.getuid() and directory.stat().st_mode & 0o077:
            directory.chmod(0o700)
    except OSError:  # a directory we do not own (a mounted volume): its owner decides
        pass


_private(DATA_DIR)
DEBUG = _flag("TOANCANH_DEBUG")
SECRET_KEY = os.environ.get("TOANCANH_SECRET_KEY", "")
if not SECRET_KEY:
    # A per-installation key kept beside the database, so sessions survive restarts.
    _private(DATA_DIR)
    _key_file = DATA_DIR / "secret_key"
    if not _key_file.exists():
        # Several processes may start at once (web workers, job runners): the first link wins.
        import secrets
        import tempfile

        with tempfile.NamedTemporaryFile("w", dir=DATA_DIR, prefix=".secret_key.", delete=False) as _tmp:
            _tmp.write(secrets.token_urlsafe(50))
        os.chmod(_tmp.name, 0o600)
        try:
            os.link(_tmp.name, _key_file)
        except FileExistsError:
            pass
        finally:
            os.unlink(_tmp.name)
    SECRET_KEY = _key_file.read_text().strip()

ALLOWED_HOSTS = os.environ.get("TOANCANH_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("TOANCANH_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# The sector packs that ship with Toàn Cảnh. Their order is the order of the demo catalogue (and
# of the demo's seeded figures): keep new ones at the end.
BUILT_IN_PACKS: list[str] = [
    "toancanh.packs.economy",
    "toancanh.packs.tourism",
    "toancanh.packs.health",
    "toancanh.packs.education",
    "toancanh.packs.government",
    "toancanh.packs.traffic",
    "toancanh.packs.public_order",
    "toancanh.packs.environment",
    "toancanh.packs.fisheries",
    "toancanh.packs.cyber",
]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "axes",
    "toancanh.core",
    "toancanh.units",
    "toancanh.accounts",
    "toancanh.indicators",
    "toancanh.operations",
    "toancanh.web",
    "toancanh.reporting",
    "toancanh.feedback",
    "toancanh.telemetry",
    # Sector packs: those that ship with Toàn Cảnh, then any named in TOANCANH_PACKS (comma-separated
    # app modules); "toancanh.packs" comes last and freezes the registry once all have declared.
    *BUILT_IN_PACKS,
    *[p.strip() for p in os.environ.get("TOANCANH_PACKS", "").split(",") if p.strip()],
    "toancanh.packs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "toancanh.core.middleware.VietnameseFirstMiddleware",
    "toancanh.core.middleware.RequestLimitsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "toancanh.urls"
WSGI_APPLICATION = "toancanh.wsgi.application"
ASGI_APPLICATION = "toancanh.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "toancanh.web.context.shell",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'toancanh.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _private(DATA_DIR)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE avoids lock upgrades mid-transaction.
        # A 64 MB page cache and memory-mapped reads keep index maintenance off the disk on large imports.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif _flag("TOANCANH_DB_POOL", True):
    # A connection pool per process (psycopg's): requests and workers borrow connections and give them
    # back, so many live screens and short requests never exhaust PostgreSQL's max_connections.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": int(os.environ.get("TOANCANH_DB_POOL_MAX", "10")),
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts and access ------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(float(os.environ.get("TOANCANH_SESSION_HOURS", "12")) * 3600)

# --- HTTPS deployments (behind a reverse proxy that ends TLS) ----------------------------------
HTTPS = _flag("TOANCANH_HTTPS")
TOANCANH_TRUSTED_PROXIES = int(os.environ.get("TOANCANH_TRUSTED_PROXIES", "0"))
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and _flag("TOANCANH_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("TOANCANH_HSTS_SECONDS", str(365 * 24 * 3600))) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and _flag("TOANCANH_HSTS_SUBDOMAINS")
SECURE_HSTS_PRELOAD = False
if TOANCANH_TRUSTED_PROXIES > 0:  # only a proxy we run may say the request came in over https
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Login throttling (django-axes): five failures lock the account (from anywhere) and, separately,
# the client address (for any account) for 15 minutes. The address is the connection's, or the
# one our own proxies report (toancanh.core.clientip): a forged X-Forwarded-For changes nothing.
AXES_FAILURE_LIMIT = int(os.environ.get("TOANCANH_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "toancanh.core.clientip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# --- Internationalisation: Vietnamese first -----------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"  # shown to people; the database stores UTC
# The working-day calendar (toancanh.core.workdays, docs/calendar.md): the normal working week as
# ISO weekdays (Monday–Friday for state agencies, QĐ 188/1999/QĐ-TTg [U]) and the office hours
# of a working day (07:30–11:30 and 13:30–17:00 [U]: common provincial practice, not a national rule).
TOANCANH_WORK_WEEK = os.environ.get("TOANCANH_WORK_WEEK", "1,2,3,4,5")
TOANCANH_OFFICE_HOURS = os.environ.get("TOANCANH_OFFICE_HOURS", "07:30-11:30,13:30-17:00")
# How often a process asks the database whether an administrator changed the calendar (seconds).
TOANCANH_CALENDAR_RECHECK_SECONDS = float(os.environ.get("TOANCANH_CALENDAR_RECHECK_SECONDS", "1"))
FORMAT_MODULE_PATH = ["toancanh.formats"]
USE_THOUSAND_SEPARATOR = True

# --- Static files (installed from the npm registry by the setup, never from a CDN) -------------
MEDIA_ROOT = DATA_DIR / "media"  # uploaded files; served only through views that check scope
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 2**20  # the largest JSON body any endpoint takes
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_PERMISSIONS = 0o600  # uploads readable by the service user only
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Request bodies per API endpoint (path prefix, * for one segment; the longest match wins).
TOANCANH_BODY_LIMITS = {
    "/api/": 1 * 2**20,
    "/api/v1/events": 16 * 2**20,
    "/api/v1/indicators/values": 16 * 2**20,
    "/api/v1/indicators/values/import": 10 * 2**20,
    "/api/v1/telemetry/readings": 16 * 2**20,  # up to 100,000 readings a batch
    "/api/v1/situations/*/attachments": 20 * 2**20 + 64 * 2**10,
}
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "toancanh.web.vendor.VendorFinder",
]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Content security policy: nothing inline, nothing from another origin.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "connect-src": [CSP.SELF],
    "worker-src": [CSP.SELF, "blob:"],
    "child-src": [CSP.SELF, "blob:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# An optional base map under the unit maps: a raster tile URL template ({z}/{x}/{y}) of the
# installation's own tile server (docs/maps.md). Unset: no base map, nothing from the internet.
TOANCANH_BASEMAP_URL = os.environ.get("TOANCANH_BASEMAP_URL", "").strip()
TOANCANH_BASEMAP_ATTRIBUTION = os.environ.get("TOANCANH_BASEMAP_ATTRIBUTION", "").strip()
if TOANCANH_BASEMAP_URL.startswith(("http://", "https://")):
    from urllib.parse import urlsplit

    _tiles = urlsplit(TOANCANH_BASEMAP_URL)
    for _directive in ("img-src", "connect-src"):
        SECURE_CSP[_directive].append(f"{_tiles.scheme}://{_tiles.netloc}")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Browser features the IOC never uses are off for its pages and anything they might embed.
TOANCANH_PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(self), payment=(), usb=(), serial=(), bluetooth=(), "
    "midi=(), magnetometer=(), gyroscope=(), accelerometer=()"
)

# --- API ----------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 1000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TOANCANH_LOG_LEVEL", "WARNING")},
}

# --- Decision 766 group 5 ---------------------------------------------------------------------------
# The government pack's index reads the citizen reports' on-time and satisfaction rates from here
# (a dotted path to ``source(by, keys, period)``); empty leaves group 5 N/A.
GOVERNMENT_SATISFACTION_SOURCE = os.environ.get(
    "TOANCANH_GOVERNMENT_SATISFACTION_SOURCE", "toancanh.feedback.queries.rates_for_766"
)
# How often the government pack's job turns overdue dossiers and tasks into events (seconds; the
# job runner's schedule, default hourly; each item still gives one event a day).
GOVERNMENT_SWEEP_SECONDS = float(os.environ.get("TOANCANH_GOVERNMENT_SWEEP_SECONDS", "3600"))
