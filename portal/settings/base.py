"""Settings shared by every environment. Deploy-time values come from the environment (see .env.example)."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal",
    "portal.accounts",
    "pages",
    "atlas",
    "atlas.bourse",
    "atlas.aid",
    "atlas.campaigns",
    "portal.funding",
    "tourism",
    "search",
    # Editorial pages translated through a translator workflow: one page tree per locale, the English one
    # kept in step with the French one (untranslated pages are aliases of the French ones).
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailgeowidget",
    "modelcluster",
    "taggit",
    "dsfr",
    "widget_tweaks",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's files served from our static files: the API's documentation loads nothing from elsewhere.
    "drf_spectacular_sidecar",
    "axes",
    # django-csp's system checks (they catch a setting of its older versions) and template tags.
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
]

MIDDLEWARE = [
    # Anonymous visitors' pages from the shared cache (portal/core/page_cache.py), outermost: a hit runs no
    # other middleware. The headers the others add (security, CSP, compression) are kept with the page when
    # it is made, and served with it.
    "portal.core.page_cache.PageCacheMiddleware",
    # Pages compressed for the browsers that accept it (a quarter of their size), outside the others so that
    # what they add is compressed too; static files come compressed already (WhiteNoise). Django's
    # gzip adds random bytes to each response against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The Content-Security-Policy (portal/core/csp.py), outside the database outage's page: the 503 gets it
    # too (and a page kept by the page cache keeps the header it was made with).
    "portal.core.csp.PortalCSPMiddleware",
    # The database away for a moment: a French 503 keeping what a POST carried (portal/core/db_outage.py).
    "portal.core.db_outage.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # E-mails sent while answering a request link to the address it came to (portal.core.links.absolute).
    "portal.core.links.CurrentRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A French 400 for control characters (NUL...) in the address or the data, before any view reads them.
    "portal.core.middleware.RejectUnreadableInputMiddleware",
    # The frame of a Wagtail page (site, route, view restrictions, settings, menu) kept per process under
    # the page families' versions (portal/core/route_cache.py): some ten queries less on every page served.
    "portal.core.route_cache.RouteCacheMiddleware",
    # A 404 or a French 400 for the parameters a few Wagtail admin views trust (portal/core/admin_guards.py).
    "portal.core.admin_guards.AdminInputGuardMiddleware",
    # An expired session's post of a long form (e-APD, dossier) is kept for after the login (core/keeper.py):
    # after the CSRF check and the authentication, once the input is known readable.
    "portal.core.keeper.KeepExpiredPostMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with its own page.
    "axes.middleware.AxesMiddleware",
]

# The e-APD declaration form posts up to 300 lines of 17 fields (atlas/aid/forms.py AID_LINES_MAX); Django's
# default of 1,000 fields would refuse a declaration of some sixty lines.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 6000

# Content-Security-Policy (django-csp, portal/core/csp.py): every script, style, image, font and request from
# this site only; no inline script or style, no nonce (the page cache would freeze it), no eval. A map tile
# server set in the site settings (or MAP_TILE_URL) is added to img-src by the middleware. data: images are
# the DSFR's icons and Leaflet's. frame-ancestors 'self' lets Wagtail's preview frame the site; a view that
# other sites may frame says so with portal.core.csp.embeddable (X-Frame-Options stays DENY for the older
# browsers that ignore frame-ancestors; embeddable lifts both).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# The Wagtail admin (/admin/, for signed-in staff only, never cached) under its own policy, relaxed only
# where Wagtail 7.4 needs it, as Chromium's console showed under the strict policy (the page and snippet
# editors, the users' list, the site settings: tests/browser/test_csp_admin.py now opens them):
# - script-src 'unsafe-inline': Wagtail's form widgets write their set-up as inline scripts
#   (`new ImageChooser(...)`, `new SnippetChooser(...)`, `initDateChooser(...)`, one per chooser or date
#   field), and the editor's code (vendor.js) runs those of a StreamField block or an InlinePanel child it
#   inserts. Their text changes with each field, so no hash can list them, and Wagtail's templates take no
#   nonce.
# - style-src 'unsafe-inline': the editor's React code (vendor.js) inserts <style> elements as it draws.
# - img-src blob:: the multiple image upload shows each chosen file before sending it.
# No 'unsafe-eval', and every file still from this site only.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
    }
}

AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

# The Atlas's open-data API (atlas/api/): read-only JSON, anonymous, described by an OpenAPI 3 schema.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Open data needs no credentials: no session or Authorization header is read unless a view asks.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": _("Atlas of decentralised cooperation API"),
    "DESCRIPTION": _(
        "Read-only open data of the Atlas of decentralised cooperation: its projects as JSON, with the "
        "columns of the downloads. No key is needed. The data are published under the Licence Ouverte / Open "
        "Licence 2.0 (etalab-2.0)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["atlas.api.schema.open_data_endpoints"],
    "LICENSE": {
        "name": "Licence Ouverte / Open Licence 2.0 (etalab-2.0)",
        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    },
    # Swagger UI and Redoc from drf-spectacular-sidecar's static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge fetched from validator.swagger.io: the page asks nothing of another host.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True, "defaultModelsExpandDepth": 0},
}
LOGIN_URL = "accounts:login"
# Members-only pages (Wagtail view restrictions) send visitors to the extranet login.
WAGTAIL_FRONTEND_LOGIN_URL = "/compte/connexion/"
LOGIN_REDIRECT_URL = "accounts:dashboard"
# Repeated failed logins: five tries per account and address, then a 30-minute pause.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "portal.core.input_guards.login_attempt_username"
# Behind a reverse proxy every visitor comes from the proxy's address: the throttling (and anything else that
# needs the visitor's address) reads X-Forwarded-For only from these proxies (addresses or networks, in the
# TRUSTED_PROXIES environment variable). None by default: REMOTE_ADDR alone counts (core/client_address.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "portal.core.client_address.client_address"
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
# Personal space: how many exports a member may send by e-mail in 24 hours.
PERSONAL_EXPORT_MAILS_PER_DAY = 10

# Responsible-tourism platform: what one member may add in 24 hours, when reports hide a comment, and
# what a photo may weigh before it is refused (photos are then resized to TOURISM_PHOTO_MAX_SIDE pixels).
TOURISM_CONTRIBUTIONS_PER_DAY = 5
TOURISM_COMMENTS_PER_DAY = 20
TOURISM_REPORTS_TO_HIDE = 3
TOURISM_PHOTO_MAX_BYTES = 8 * 1024 * 1024
TOURISM_PHOTO_MAX_SIDE = 1920
TOURISM_PHOTOS_PER_EXPERIENCE = 12

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]
# DSFR widgets ship their own templates: let form widgets find them.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# An SQLite file when DATABASE_URL is absent, so `make run` needs nothing installed.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DATABASE_IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Private files (kept PDF exports) live outside MEDIA_ROOT, so no URL of the web server reaches them: only
# views that check who asks serve them (portal/core/private_files.py).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
# Members' photos (tourism/photos.py names them so) are private files too, although Wagtail keeps them in the
# default storage: MediaStorage stores the names matching this pattern, originals and renditions, in the
# private folder, with addresses under PRIVATE_MEDIA_URL, a view that serves a photo to everybody once it is
# published and, before, only to its author and the moderators (tourism/photo_views.py).
# Wagtail cuts a rendition's name to 59 characters less its filter spec ("contribution-4f9fcdc9f.2e16d0ba.
# format-jpeg.fill-400x225.jpg"): the pattern admits the cut digits, or a member's draft photo would be
# rendered into the public media (tests/accounts/test_private_files.py tries every spec the templates use).
PRIVATE_MEDIA_NAME_PATTERN = r"contribution-[0-9a-f]{0,16}\."
PRIVATE_MEDIA_URL = "/photos-membres/"
STORAGES = {
    "default": {"BACKEND": "portal.core.private_files.MediaStorage"},
    "private": {
        "BACKEND": "portal.core.private_files.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "portal"),
    }
}

# The anonymous page cache (portal/core/page_cache.py): how long the cache keeps a page (clock-dependent
# content, a call or a window closing, is at most this late; an edit shows at once), how long a browser may
# keep one without asking, and how long a reverse proxy or CDN may (it shows an edit that late at most,
# unless it is purged: FRONTEND_CACHE_PURGE_URL below).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
PAGE_CACHE_BROWSER_SECONDS = int(os.environ.get("PAGE_CACHE_BROWSER_SECONDS", "0"))
PAGE_CACHE_PROXY_SECONDS = int(os.environ.get("PAGE_CACHE_PROXY_SECONDS", "60"))
# Optional: Wagtail's front-end cache invalidation purges a page's address from a reverse proxy (Varnish,
# nginx with a purge module...) when it is published, unpublished or moved. Off unless the proxy's purge
# address is given, e.g. FRONTEND_CACHE_PURGE_URL=http://127.0.0.1:8000 (an HTTP PURGE is sent to it).
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
        }
    }

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Portail de la coopération décentralisée <ne-pas-repondre@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work (PDF exports, e-mail, reminders). Immediate unless an environment swaps the backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

WAGTAIL_SITE_NAME = "Portail de la coopération décentralisée"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# One page tree per language of LANGUAGES (pages/migrations/0004 creates the locales): French is the source,
# English is kept in step by wagtail-localize's locale synchronisation.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# A page submitted for translation stays as it is in the other language until its translation is published
# (through the editorial workflow), instead of being published at once with the French text.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Page addresses in plain ASCII ("le-marche-de-dakar"): punctuation such as « » dropped, readable in e-mails.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# The admin loads nothing from another host: no Gravatar (it would also tell Gravatar who uses the admin).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

# French stemming with accents ignored on PostgreSQL: the "french_unaccent" configuration is created
# by search/migrations/0001. SQLite falls back to Wagtail's own database backend behaviour.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        **({"SEARCH_CONFIG": "french_unaccent"} if DATABASE_IS_POSTGRES else {}),
    }
}

# Admin map widgets: Leaflet comes from our static files (portal/core/widgets.py); no tile server by default.
GEO_WIDGET_DEFAULT_LOCATION = {"lat": 46.6, "lng": 2.4}
GEO_WIDGET_ZOOM = 5
GEO_WIDGET_LEAFLET_TILE_LAYER = os.environ.get("MAP_TILE_URL", "")
GEO_WIDGET_LEAFLET_TILE_LAYER_OPTIONS = {"attribution": os.environ.get("MAP_TILE_ATTRIBUTION", "")}

DSFR_USE_INTEGRITY_CHECKSUMS = False
# django-dsfr marks what its tags show (alerts, hence every success message with a title in it; notices,
# tables) as safe unless told otherwise: user text must stay text. Trusted markup (Wagtail rich text) is
# passed already marked safe, and stays so.
DSFR_CONTENT_IS_SAFE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
