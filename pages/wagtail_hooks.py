from django.urls import path

from wagtail import hooks

from . import translation_views


@hooks.register("register_admin_urls")
def register_translation_urls():
    # The translators' "submit for validation", beside wagtail-localize's editor (translation_views.py).
    return [
        path(
            "translations/<int:page_id>/submit/",
            translation_views.submit_for_review,
            name="pages_translation_submit",
        )
    ]
