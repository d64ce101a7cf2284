"""The post of an expired session is not lost.

A person who types for long may find their session expired when they save: the admin would send them to the
login page and drop what they posted. For the views marked `@keeps_expired_post`, KeepExpiredPostMiddleware
(after the CSRF check and the authentication in settings.MIDDLEWARE) keeps the typed fields in the session
first; Django keeps the session's data when the agent logs in, and the form, opened again, shows them
(`kept_input`). The autosave's posts get a JSON error the admin's autosave shows, and go on once the agent has
logged in again. Files are not kept: a browser never posts a chosen file again.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

SESSION_KEY = "aid_kept_post"
#: Form fields never kept with the typed input: the CSRF token and the buttons.
NOT_INPUT = {"csrfmiddlewaretoken", "intent"}


def typed_input(post):
    """The typed fields of a posted form, as a JSON-able dict of lists (files are not kept)."""
    return {key: post.getlist(key) for key in post if key not in NOT_INPUT}


def keeps_expired_post(view):
    view.keeps_expired_post = True
    return view


def kept_input(request):
    """The fields an expired session posted to this address, once (then forgotten), or None."""
    kept = request.session.get(SESSION_KEY)
    if not isinstance(kept, dict) or kept.get("path") != request.path:
        return None
    del request.session[SESSION_KEY]
    return kept.get("data") or None


class KeepExpiredPostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.user.is_authenticated:
            return None
        if not getattr(view_func, "keeps_expired_post", False):
            return None
        request.session[SESSION_KEY] = {
            "path": request.path,
            "data": typed_input(request.POST),
            "at": timezone.now().isoformat(),
        }
        if not request.accepts("text/html"):
            return JsonResponse(
                {
                    "success": False,
                    "error_code": "validation_error",
                    "error_message": _(
                        "Your session has expired: what you typed is kept. Log in again to go on saving."
                    ),
                },
                status=401,
            )
        messages.warning(
            request,
            _("Your session had expired: log in again. What you typed was kept and will be shown again."),
        )
        login_url = getattr(settings, "WAGTAILADMIN_LOGIN_URL", None) or reverse("wagtailadmin_login")
        return redirect_to_login(request.get_full_path(), login_url)
