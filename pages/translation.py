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

from portal.accounts.roles import ROLES
from portal.core.translations import is_untranslated
from portal.core.workflow import ensure_permission

from .workflow import EDITOR_IN_CHIEF_GROUP, WORKFLOW_NAME

# The translators' role (portal.accounts.roles): its group.
TRANSLATOR_GROUP = next(role.group for role in ROLES if role.slug == "translator")
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
    """On every translated tree: the translators may edit it; each group's rights and each workflow set on a
    French page hold on its translations too (the editor-in-chief's on the English rubric, the tourism
    moderators' on the English tourism pages...); elsewhere the editorial workflow applies, so that what a
    translator submits is published once the editor-in-chief approves it."""
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    translators = ensure_translators(apps)
    change = ensure_permission(apps, "wagtailcore", "page", TRANSLATOR_PAGE_PERMISSIONS[0])
    homes = list(translated_homes(apps))
    if not homes:
        return
    locales = {home.locale_id for home in homes}
    french = Page.objects.filter(depth__gt=1).exclude(locale_id__in=locales)

    def twins(page_id):
        key = Page.objects.filter(pk=page_id).values_list("translation_key", flat=True).first()
        return Page.objects.filter(translation_key=key, locale_id__in=locales).values_list("pk", flat=True)

    for grant in GroupPagePermission.objects.filter(page__in=french).exclude(group=translators):
        for twin in twins(grant.page_id):
            GroupPagePermission.objects.get_or_create(
                group_id=grant.group_id, page_id=twin, permission_id=grant.permission_id
            )
    for attached in WorkflowPage.objects.filter(page__in=french):
        for twin in twins(attached.page_id):
            WorkflowPage.objects.get_or_create(page_id=twin, defaults={"workflow_id": attached.workflow_id})
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    for home in homes:
        GroupPagePermission.objects.get_or_create(group=translators, page_id=home.pk, permission=change)
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
