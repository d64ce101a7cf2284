"""The Atlas records in the Wagtail admin, grouped under one menu."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .forms import PartnerAuthorityAdminForm
from .models import (
    AidDeclaration,
    Authority,
    Contact,
    Cooperation,
    Country,
    Network,
    PartnerAuthority,
    Project,
    Theme,
)
from .widgets import LocalLeafletPanel


class AuthorityViewSet(SnippetViewSet):
    model = Authority
    icon = "home"
    menu_label = _("French authorities")
    list_display = ["name", "kind", "region", "departement", "code"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "code"]
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("code")]),
        FieldRowPanel([FieldPanel("region"), FieldPanel("departement")]),
        FieldRowPanel([FieldPanel("website"), FieldPanel("population")]),
        FieldPanel("logo"),
        FieldPanel("networks"),
        LocalLeafletPanel("location"),
    ]


class PartnerAuthorityViewSet(SnippetViewSet):
    model = PartnerAuthority
    icon = "globe"
    menu_label = _("Partner authorities")
    list_display = ["name", "country", "level"]
    list_filter = ["level", "country__continent"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("confirm_new_partner"),
            FieldRowPanel([FieldPanel("country"), FieldPanel("level")]),
            LocalLeafletPanel("location"),
        ],
        base_form_class=PartnerAuthorityAdminForm,
    )


class CooperationViewSet(SnippetViewSet):
    model = Cooperation
    icon = "link"
    menu_label = _("Cooperations")
    list_display = ["authority", "partner", "kind", "is_twinning", "since_year"]
    list_filter = ["kind", "is_twinning"]
    panels = [
        FieldPanel("authority"),
        FieldPanel("partner"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("is_twinning"), FieldPanel("since_year")]),
    ]


class ProjectViewSet(SnippetViewSet):
    model = Project
    icon = "doc-full"
    menu_label = _("Project sheets")
    list_display = ["title", "cooperation", "status", "start_year"]
    list_filter = ["status", "funding_framework", "themes"]
    search_fields = ["title", "summary"]
    panels = [
        FieldPanel("cooperation"),
        FieldPanel("title"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("themes"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("status"), FieldPanel("start_year"), FieldPanel("end_year")])],
            heading=_("Status"),
        ),
        FieldRowPanel([FieldPanel("budget"), FieldPanel("funding_framework")]),
    ]


class ContactViewSet(SnippetViewSet):
    model = Contact
    icon = "user"
    menu_label = _("Officials and staff")
    list_display = ["__str__", "title", "kind", "authority"]
    list_filter = ["kind"]
    search_fields = ["first_name", "last_name", "title"]


class NetworkViewSet(SnippetViewSet):
    model = Network
    icon = "group"
    menu_label = _("Networks")
    list_display = ["name", "acronym"]
    search_fields = ["name", "acronym"]


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Themes")


class CountryViewSet(SnippetViewSet):
    model = Country
    icon = "site"
    menu_label = _("Countries")
    list_display = ["name", "code", "continent", "oda_eligible"]
    list_filter = ["continent", "oda_eligible"]
    search_fields = ["name", "code"]


class AidDeclarationViewSet(SnippetViewSet):
    model = AidDeclaration
    icon = "form"
    menu_label = _("Development aid (APD)")
    list_display = ["authority", "year"]
    list_filter = ["year"]
    panels = [
        FieldRowPanel([FieldPanel("authority"), FieldPanel("year")]),
        FieldPanel("document"),
        InlinePanel("lines", label=_("Amounts")),
    ]


class AtlasViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Atlas")
    menu_icon = "globe"
    menu_order = 200
    items = (
        AuthorityViewSet,
        PartnerAuthorityViewSet,
        CooperationViewSet,
        ProjectViewSet,
        ContactViewSet,
        NetworkViewSet,
        AidDeclarationViewSet,
        ThemeViewSet,
        CountryViewSet,
    )


register_snippet(AtlasViewSetGroup)
