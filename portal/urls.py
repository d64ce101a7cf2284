from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from atlas import urls as atlas_urls
from atlas.bourse import export_urls as bourse_export_urls
from atlas.bourse import member_urls as bourse_member_urls
from pages import translation_views
from pages.sitemaps import LocalizedSitemap
from portal.accounts import urls as accounts_urls
from portal.accounts.choosers import page_browse, page_chosen_multiple
from search import views as search_views
from tourism import photo_views

from . import views

# A French DSFR page for the requests Django refuses as bad (and for those portal.core.middleware refuses).
handler400 = "portal.core.middleware.bad_request"
# A database error raised outside a view (a session saved on the way out) still gets the outage page.
handler500 = "portal.core.db_outage.server_error"

urlpatterns = [
    # Before Wagtail's own: the page chooser's "chosen" answer limited to the pages the user may choose.
    path("admin/choose-page/chosen-multiple/", page_chosen_multiple),
    # ... and its listing of a parent page's children, which shows the parent's title: not for a draft the
    # user may not see. Named as Wagtail's, so that portal.core.admin_guards checks its parameters too.
    path("admin/choose-page/", page_browse, name="wagtailadmin_choose_page"),
    path("admin/choose-page/<int:parent_page_id>/", page_browse, name="wagtailadmin_choose_page_child"),
    # Before Wagtail's own: wagtail-localize's views that publish, refused to those who may not publish
    # (translators go through the editorial workflow: pages/translation_views.py).
    path("admin/localize/update/<int:translation_source_id>/", translation_views.update_translations),
    path("admin/localize/page/<int:page_id>/convert_to_alias/", translation_views.convert_to_alias),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # Every language's page tree (pages/sitemaps.py).
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": LocalizedSitemap}}, name="sitemap"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Members' photos: private files, served after a check (core/private_files.py), never as public media.
    path(
        f"{settings.PRIVATE_MEDIA_URL.strip('/')}/<path:name>", photo_views.serve_photo, name="member_photo"
    ),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The Bourse's open data and member pages keep the namespaces they were born in ("atlas_data", "accounts"),
# joined here to the Atlas's and the extranet's addresses: neither the Atlas nor the extranet imports the
# Bourse.
atlas_data = (atlas_urls.urlpatterns + bourse_export_urls.urlpatterns, atlas_urls.app_name)
accounts = (
    accounts_urls.urlpatterns + [path("bourse/", include(bourse_member_urls))],
    accounts_urls.app_name,
)

# French has no prefix; English lives under /en/.
urlpatterns += i18n_patterns(
    path("recherche/", search_views.search, name="search"),
    path("donnees/apd/", include("atlas.aid.public_urls")),
    path("donnees/", include(atlas_data)),
    path("compte/tourisme/", include("tourism.urls")),
    path("compte/", include(accounts)),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
