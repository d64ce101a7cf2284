"""Sub-page addresses through atlas/urls_helper.py: {% atlas_url 'authority' authority.slug %}; "" when the
page is not live. {% atlas_url 'partner' '{}' as url %} gives a link template for scripts. (The Bourse's
{% bourse_url %} is in its own tag library, bourse_tags.)"""

from django import template

from .. import urls_helper

register = template.Library()


@register.simple_tag(takes_context=True)
def atlas_url(context, name, *args):
    return urls_helper.atlas_url(name, *args, request=context.get("request"))
