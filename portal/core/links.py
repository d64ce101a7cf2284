"""Absolute links for e-mails. They follow the address the site is really served at:

- during a request, the request's own scheme and host (`make run PORT=8001`, a proxy's public name), also for
  e-mails sent from signal handlers and immediate tasks that were not handed the request: the middleware
  below keeps the current request for them;
- without a request (a worker, a daily command), WAGTAILADMIN_BASE_URL (which `make run` sets to where it
  serves), or else the default Wagtail Site's address.
"""

from contextvars import ContextVar

from django.conf import settings

_current_request = ContextVar("current_request", default=None)


class CurrentRequestMiddleware:
    """Keeps the request being answered for `absolute()` (a context variable: one per thread or task)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def current_request():
    return _current_request.get()


def base_url():
    """The site's address when no request tells it (no trailing slash)."""
    configured = getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    if configured:
        return configured.rstrip("/")
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else ""


def absolute(path, request=None):
    request = request if request is not None else current_request()
    if request is not None:
        return request.build_absolute_uri(path)
    return base_url() + path
