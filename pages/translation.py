"""Editorial pages in several languages: Wagtail's i18n (one page tree per locale) and wagtail-localize.

- The locales are those of settings.WAGTAIL_CONTENT_LANGUAGES; French (settings.LANGUAGE_CODE) is the source
  every other locale is synchronised from (wagtail-localize's LocaleSynchronization): a page written in French
  exists in every other tree, as an alias of the French page until it is translated, so that every French
  address has its /en/ twin.
- Translators (TRANSLATOR_GROUP) submit pages for translation and edit the translations, in the other locales'
  trees only; what they translate is published through the editorial workflow (pages.workflow): the
  editor-in-chief validates and publishes it, as for the French features.

Written against an `apps` registry where a data migration uses it (historical models), like pages.workflow.
"""

from django.apps import apps as django_apps
from django.conf import settings
from django.db import transaction

from wagtail_localize.models import LocaleSynchronization
from wagtail_localize.synctree import PageIndex, synchronize_tree

from portal.core.translations import is_untranslated
from portal.core.workflow import ensure_permission

from .workflow import EDITOR_IN_CHIEF_GROUP, PAGE_PERMISSIONS, WORKFLOW_NAME

TRANSLATOR_GROUP = "Traducteurs"
# What translators may do in a translated tree: edit its pages (never publish them: the workflow does).
TRANSLATOR_PAGE_PERMISSIONS = ["change_page"]


def default_language():
    return settings.LANGUAGE_CODE


def ensure_locales(apps):
    """A Locale for every content language, every other one kept in step with the French tree."""
    Locale = apps.get_model("wagtailcore", "Locale")
    LocaleSynchronization = apps.get_model("wagtail_localize", "LocaleSynchronization")
    source, _ = Locale.objects.get_or_create(language_code=default_language())
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        if code == source.language_code:
            continue
        locale, _ = Locale.objects.get_or_create(language_code=code)
        LocaleSynchronization.objects.get_or_create(locale=locale, defaults={"sync_from": source})


def ensure_translators(apps):
    """The translators' group: admin access, wagtail-localize's "submit translations", images to choose."""
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=TRANSLATOR_GROUP)
    group.permissions.add(
        ensure_permission(apps, "wagtailadmin", "admin", "access_admin"),
        ensure_permission(apps, "wagtail_localize", "translation", "submit_translation"),
    )
    return group


def translated_homes(apps):
    """The roots of the trees other than the French one (the homes' translations)."""
    Page = apps.get_model("wagtailcore", "Page")
    Locale = apps.get_model("wagtailcore", "Locale")
    source = Locale.objects.filter(language_code=default_language()).first()
    if source is None:
        return Page.objects.none()
    return Page.objects.filter(depth=2).exclude(locale=source)


def ensure_translated_trees_rules(apps):
    """On every translated tree: the translators may edit, the editorial groups have their French rights,
    and the editorial workflow applies (a translation is published once the editor-in-chief approves it)."""
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    translators = ensure_translators(apps)
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    rights = {TRANSLATOR_GROUP: TRANSLATOR_PAGE_PERMISSIONS, **PAGE_PERMISSIONS}
    for home in translated_homes(apps):
        for name, codenames in rights.items():
            group = translators if name == TRANSLATOR_GROUP else Group.objects.filter(name=name).first()
            if group is None:
                continue
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page_id=home.pk,
                    permission=ensure_permission(apps, "wagtailcore", "page", codename),
                )
        if workflow is not None:
            WorkflowPage.objects.get_or_create(page_id=home.pk, defaults={"workflow": workflow})


def synchronise_trees():
    """Every synchronised locale's tree brought in step with its source (aliases of the pages not yet in it),
    then the translated trees' rights and workflow. Idempotent: the demo and `make run` call it."""
    with transaction.atomic():
        # What the data migration made, made again where it is gone (a test database emptied between tests).
        ensure_locales(django_apps)
        ensure_translators(django_apps)
        for sync in LocaleSynchronization.objects.select_related("locale", "sync_from"):
            synchronize_tree(sync.sync_from, sync.locale, page_index=PageIndex.from_database())
        ensure_translated_trees_rules(django_apps)


__all__ = ["EDITOR_IN_CHIEF_GROUP", "TRANSLATOR_GROUP", "is_untranslated"]
