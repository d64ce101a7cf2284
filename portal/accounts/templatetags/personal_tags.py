"""Pieces of the personal space that other products' pages show: {% save_map_form query_string as form %}
gives the form that saves the current Atlas search, so that its fields are rendered as every form's."""

from django import template

from ..personal_forms import SaveMapForm

register = template.Library()


@register.simple_tag
def save_map_form(query_string):
    return SaveMapForm(initial={"query": query_string}, auto_id="save-map-%s")
