"""wagtailgeowidget's Leaflet panel on the portal's own basemap: Leaflet and the world outlines the public
maps use are served from our static files (no CDN, no tile server unless one is configured), and a click on
the map places the point."""

import json

from django import forms
from django.forms.utils import flatatt
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from wagtailgeowidget.panels import LeafletPanel
from wagtailgeowidget.widgets import LeafletField

# The outlines of the public maps (atlas-map.js): the detailed ones, since a point is placed at a town.
BASEMAP = "vendor/world-atlas/countries-50m.json"


class LocalLeafletField(LeafletField):
    def build_attrs(self, *args, **kwargs):
        attrs = super().build_attrs(*args, **kwargs)
        options = attrs.get("data-leaflet-field-options-value")
        if options:
            attrs["data-leaflet-field-options-value"] = json.dumps(
                {**json.loads(options), "basemap": static(BASEMAP)}
            )
        return attrs

    @property
    def media(self):
        return forms.Media(
            css={
                "all": (
                    "wagtailgeowidget/css/leaflet-field.css",
                    "vendor/leaflet/leaflet.css",
                    "atlas/css/admin-location-map.css",
                )
            },
            # The portal's script extends wagtailgeowidget's LeafletField before its Stimulus controller
            # (registered by the last script) creates one.
            js=(
                "vendor/leaflet/leaflet.js",
                "vendor/topojson-client/topojson-client.min.js",
                "wagtailgeowidget/js/leaflet-field.js",
                "atlas/js/admin-location-map.js",
                "wagtailgeowidget/js/leaflet-field-controller.js",
            ),
        )


class LocalLeafletPanel(LeafletPanel):
    def widget_overrides(self):
        widget = super().widget_overrides()[self.field_name]
        widget.__class__ = LocalLeafletField
        return {self.field_name: widget}


class FastSelect(forms.Select):
    """A <select> rendered in Python: Django renders each option through a template, which made the search
    form (some 300 options) most of the search page's time."""

    def render(self, name, value, attrs=None, renderer=None):
        values = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v is not None}
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option_value, mark_safe(" selected") if str(option_value) in values else "", label)
                for option_value, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)
