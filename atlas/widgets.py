"""wagtailgeowidget's Leaflet panel, with Leaflet served from our static files instead of a CDN."""

from django import forms

from wagtailgeowidget.panels import LeafletPanel
from wagtailgeowidget.widgets import LeafletField


class LocalLeafletField(LeafletField):
    @property
    def media(self):
        return forms.Media(
            css={"all": ("wagtailgeowidget/css/leaflet-field.css", "vendor/leaflet/leaflet.css")},
            js=(
                "vendor/leaflet/leaflet.js",
                "wagtailgeowidget/js/leaflet-field.js",
                "wagtailgeowidget/js/leaflet-field-controller.js",
            ),
        )


class LocalLeafletPanel(LeafletPanel):
    def widget_overrides(self):
        widget = super().widget_overrides()[self.field_name]
        widget.__class__ = LocalLeafletField
        return {self.field_name: widget}
