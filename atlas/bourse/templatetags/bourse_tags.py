"""Bourse-projets pieces templates include: `{% bourse_url %}` addresses, the dashboard's suggestions, a
project page's interest form."""

from django import template

from portal.accounts.scope import scope_for

from .. import links
from .. import matching as bourse
from ..forms import InterestForm

register = template.Library()


@register.simple_tag(takes_context=True)
def bourse_url(context, name, *args):
    """{% bourse_url 'project' project.pk %} (links.py); "" when the Bourse page is not live.
    {% bourse_url 'project' '{}' as url %} gives a link template for scripts."""
    return links.bourse_url(name, *args, request=context.get("request"))


@register.simple_tag(takes_context=True)
def bourse_suggestions(context):
    """`{% bourse_suggestions as suggestions %}`: Bourse projects for the user's authorities, with links."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    projects = list(bourse.suggestions_for(scope_for(user).authority_ids))
    if not projects:
        return []
    return [(project, bourse.project_url(project, request)) for project in projects]


@register.simple_tag(takes_context=True)
def bourse_interest(context, project):
    """`{% bourse_interest project as interest %}`: what the interest include needs for this user."""
    request = context.get("request")
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    authority_ids = scope_for(user).authority_ids if authenticated else set()
    result = {"authenticated": authenticated, "may_express": bool(authority_ids), "form": None, "done": []}
    if authority_ids:
        result["done"] = list(
            project.interests.filter(authority_id__in=authority_ids).select_related("authority")
        )
        if len(result["done"]) < len(authority_ids):
            result["form"] = InterestForm(user=user, project=project)
    return result
