"""Parts that the products (the Bourse-projets' suggestions and alerts…) add to the member's dashboard,
through a Wagtail hook: the extranet imports no product.

"accounts_dashboard_panels": fn(request) -> HTML (a safe string) or None, shown after "What you may do", in
the hooks' order (Wagtail's `order` argument)."""

from django.utils.safestring import mark_safe

from wagtail import hooks

DASHBOARD_PANELS = "accounts_dashboard_panels"


def dashboard_panels(request):
    """The HTML of every dashboard panel, those that answer None or "" left out; one safe string."""
    parts = [fn(request) for fn in hooks.get_hooks(DASHBOARD_PANELS)]
    # Each panel renders its own template (auto-escaped); the dashboard only puts them one after the other.
    return mark_safe("".join(str(part) for part in parts if part))  # noqa: S308
