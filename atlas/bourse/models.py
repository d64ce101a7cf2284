"""The Bourse-projets' records and page: foreign authorities' projects seeking a French partner, registered
by embassies; French authorities' interests in them; members' alerts; the BoursePage that shows them on a map
and in a list, each with its own page.

They keep the atlas app label (Meta.app_label), so their tables, content types, permissions and migrations
stay where they were when the Bourse lived in atlas/models/."""

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.contrib.routable_page.models import path
from wagtail.models import DraftStateMixin, LockableMixin, Page, RevisionMixin, WorkflowMixin
from wagtail.search import index

from atlas.models.pages import RESULTS_PER_PAGE, SubpageUrlsMixin
from atlas.models.records import Authority, LocatedModel, active_language, is_default_language
from portal.core.honeypot import is_robot
from portal.core.maps import map_config
from portal.core.pages import IntroBodyMixin, describe


class BourseProjectQuerySet(models.QuerySet):
    def visible(self):
        """What the public sees: published, still seeking (open or in discussion) and not expired."""
        return self.filter(
            live=True,
            status__in=[BourseProject.Status.OPEN, BourseProject.Status.IN_DISCUSSION],
            expires_on__gte=timezone.localdate(),
        )


class BourseProject(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    LocatedModel,
    index.Indexed,
    ClusterableModel,
):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_DISCUSSION = "in_discussion", _("in discussion")
        PARTNERED = "partnered", _("partnered")
        CLOSED = "closed", _("closed")

    class Size(models.TextChoices):
        ANY = "", _("any size")
        SMALL = "small", _("under 10,000 inhabitants")
        MEDIUM = "medium", _("10,000 to 100,000 inhabitants")
        LARGE = "large", _("over 100,000 inhabitants")

    partner = models.ForeignKey(
        "atlas.PartnerAuthority",
        verbose_name=_("foreign authority"),
        on_delete=models.PROTECT,
        related_name="bourse_projects",
    )
    # Kept beside the partner so that lists and filters need no join; set from the partner on save.
    country = models.ForeignKey(
        "atlas.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="bourse_projects",
        editable=False,
    )
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), max_length=600)
    description = models.TextField(_("description"), blank=True)
    original_language = models.CharField(
        _("language of the partner's own wording"),
        max_length=40,
        blank=True,
        help_text=_("For example: English, Portuguese, Arabic."),
    )
    original_title = models.CharField(_("title in the partner's wording"), max_length=255, blank=True)
    original_summary = models.TextField(_("summary in the partner's wording"), blank=True)
    # Foreign visitors read the portal in English: the embassy may write the project's English text.
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    summary_en = models.TextField(_("summary in English"), max_length=600, blank=True)
    themes = ParentalManyToManyField("atlas.Theme", verbose_name=_("themes"), related_name="bourse_projects")
    partner_kind_sought = models.CharField(
        _("kind of French authority sought"), max_length=12, choices=Authority.Kind.choices, blank=True
    )
    partner_size_sought = models.CharField(
        _("size of French authority sought"),
        max_length=10,
        choices=Size.choices,
        blank=True,
        default=Size.ANY,
    )
    budget = models.DecimalField(
        _("estimated budget (euros)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"), null=True, blank=True)
    working_languages = models.CharField(_("working languages"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.OPEN)
    expires_on = models.DateField(_("listed until"))
    embassy = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("registering embassy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bourse_projects",
        limit_choices_to=Q(kind="embassy"),
    )
    cooperation = models.ForeignKey(
        "atlas.Cooperation",
        verbose_name=_("resulting cooperation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = BourseProjectQuerySet.as_manager()

    search_fields = [
        index.SearchField("title"),
        index.SearchField("summary"),
        index.SearchField("description"),
        index.AutocompleteField("title"),
        index.FilterField("live"),
        index.FilterField("status"),
        index.FilterField("country_id"),
        # The site search lists visible() projects only, and filters through the index on these fields.
        index.FilterField("expires_on"),
    ]

    class Meta:
        app_label = "atlas"
        verbose_name = _("Bourse project")
        verbose_name_plural = _("Bourse projects")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.partner_id:
            self.country_id = self.partner.country_id
        super().save(*args, **kwargs)

    @property
    def shows_english(self):
        """Whether a visitor reading another language than French reads the English text first."""
        return not is_default_language(active_language()) and bool(self.title_en or self.summary_en)

    @property
    def text_language(self):
        """The language of the title and summary the visitor reads first ("en" or "fr")."""
        return "en" if self.shows_english else "fr"

    @property
    def local_title(self):
        return (self.title_en or self.title) if self.shows_english else self.title

    @property
    def local_summary(self):
        return (self.summary_en or self.summary) if self.shows_english else self.summary


class BourseInterest(models.Model):
    """A French authority's interest in a Bourse project: the public sees how many, the embassy sees who."""

    project = models.ForeignKey(BourseProject, on_delete=models.CASCADE, related_name="interests")
    authority = models.ForeignKey(Authority, verbose_name=_("French authority"), on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    message = models.TextField(_("message"), max_length=2000)
    created_at = models.DateTimeField(_("expressed at"), auto_now_add=True)
    put_in_touch_at = models.DateTimeField(_("put in touch at"), null=True, blank=True)

    class Meta:
        app_label = "atlas"
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        constraints = [
            models.UniqueConstraint(fields=["project", "authority"], name="one_interest_per_authority")
        ]

    def __str__(self):
        return f"{self.authority} → {self.project}"


class BourseAlert(models.Model):
    """Saved Bourse criteria: their owner gets at most one e-mail a day about newly published matches."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bourse_alerts")
    title = models.CharField(_("title"), max_length=120)
    query_string = models.CharField(_("criteria"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)

    class Meta:
        app_label = "atlas"
        verbose_name = _("Bourse alert")
        verbose_name_plural = _("Bourse alerts")

    def __str__(self):
        return self.title


class BourseContactRequest(models.Model):
    """A visitor's interest in a Bourse project, without an account (a foreign partner, an NGO, a French
    authority's agent not yet registered): kept for the embassy of the project's country, e-mailed to it."""

    project = models.ForeignKey(
        BourseProject,
        verbose_name=_("Bourse project"),
        on_delete=models.CASCADE,
        related_name="contact_requests",
    )
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200)
    country = models.ForeignKey(
        "atlas.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField(_("e-mail"))
    message = models.TextField(_("message"), max_length=2000)
    language = models.CharField(_("language of the form"), max_length=10)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        app_label = "atlas"
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.organisation}) → {self.project}"

    @property
    def language_name(self):
        """The form's language, named in the active language ("anglais" for "en" in French)."""
        try:
            return get_language_info(self.language)["name_translated"]
        except KeyError:
            return self.language


# Language names as embassies type them in French, beside the English names Django knows.
FRENCH_LANGUAGE_NAMES = {
    "anglais": "en",
    "arabe": "ar",
    "portugais": "pt",
    "espagnol": "es",
    "vietnamien": "vi",
    "malgache": "mg",
    "wolof": "wo",
    "chinois": "zh",
    "allemand": "de",
    "italien": "it",
    "russe": "ru",
    "français": "fr",
    "swahili": "sw",
    "khmer": "km",
    "lao": "lo",
}


def language_code(name):
    """The BCP 47 code of a language typed as a name ("Portuguese", "portugais") or a code ("pt"), or ""."""
    name = (name or "").strip().lower()
    if not name:
        return ""
    if name in FRENCH_LANGUAGE_NAMES:
        return FRENCH_LANGUAGE_NAMES[name]
    if len(name) <= 3 and name.isalpha():
        return name
    for code, info in LANG_INFO.items():
        if "name" in info and name in (info["name"].lower(), info.get("name_local", "").lower()):
            return code
    return FRENCH_LANGUAGE_NAMES.get(name.split()[0], "")


# The query parameter of the contact page once a request is sent (it then shows the confirmation).
SENT = "envoye"


class BoursePage(SubpageUrlsMixin, IntroBodyMixin, Page):
    """The Bourse-projets: foreign authorities' projects seeking a French partner, on a map and in a list,
    each with its own page."""

    # One per home, so one per locale (Wagtail's i18n: one page tree per language).
    max_count_per_parent = 1
    parent_page_types = ["pages.HomePage"]
    subpage_types = []
    projects_per_page = RESULTS_PER_PAGE
    # The routes name their templates; this one is Wagtail's default, named here since the page type lives in
    # the Bourse's package while keeping the atlas app label.
    template = "bourse/bourse_page.html"

    class Meta:
        app_label = "atlas"
        verbose_name = _("Bourse-projets")

    def map_config(self, request, **config):
        """What the map script needs, handed over as JSON in a data attribute (never as inline globals)."""
        return map_config(request, **config)

    @staticmethod
    def map_points(projects):
        """Map points for projects: ids are the projects' (the popups link to their pages), the position is
        the project's own or else its partner's."""
        points = []
        english = not is_default_language(active_language())
        for pk, lat, lng, partner_lat, partner_lng, title, partner_name, code, *title_en in projects:
            # The English title, where written, for a visitor reading another language than French.
            title = (title_en[0] if english and title_en and title_en[0] else None) or title
            lat, lng = (lat, lng) if lat is not None and lng is not None else (partner_lat, partner_lng)
            if lat is not None and lng is not None:
                points.append([pk, lat, lng, f"{title} ({partner_name})", code])
        return {"authorities": [], "partners": points, "ties": []}

    @staticmethod
    def point_values(queryset):
        return queryset.order_by().values_list(
            "pk",
            "latitude",
            "longitude",
            "partner__latitude",
            "partner__longitude",
            "title",
            "partner__name",
            "country__code",
            "title_en",
        )

    @path("")
    def projects(self, request):
        # Imported here, not with the models: the filters' choice lists are querysets that resolve model
        # relations when their class is made, which cannot happen while the models are still loading.
        from .filters import BourseFilterSet, bourse_queryset

        filterset = BourseFilterSet(request.GET or None, queryset=bourse_queryset())
        queryset = filterset.qs
        page_obj = Paginator(queryset, self.projects_per_page).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = self.get_context(request)
        context.update(
            filter=filterset,
            page_obj=page_obj,
            query_string=query.urlencode(),
            map_config=self.map_config(
                request, points=self.map_points(self.point_values(queryset)), view="world", cluster=True
            ),
        )
        return TemplateResponse(request, "bourse/bourse_page.html", context, status=200)

    def project_context(self, request, project):
        """The public sees how many French authorities are interested, never which ones."""
        return {"interest_count": project.interests.count()}

    @path("projets/<int:pk>/", name="project")
    def project(self, request, pk):
        project = get_object_or_404(
            BourseProject.objects.visible()
            .select_related("partner", "country", "embassy")
            .prefetch_related("themes"),
            pk=pk,
        )
        points = self.map_points(
            [
                (
                    project.pk,
                    project.latitude,
                    project.longitude,
                    project.partner.latitude,
                    project.partner.longitude,
                    project.title,
                    project.partner.name,
                    project.country.code,
                    project.title_en,
                )
            ]
        )
        context = self.get_context(request)
        context.update(
            project=project,
            sub_title=project.local_title,
            meta_description=describe(
                gettext("%(partner)s (%(country)s) seeks a French partner:")
                % {"partner": project.partner.name, "country": project.country.local_name},
                project.local_summary,
            ),
            original_lang=language_code(project.original_language),
            map_config=self.map_config(request, points=points, view="fit"),
            **self.project_context(request, project),
        )
        return TemplateResponse(request, "bourse/project.html", context)

    @path("projets/<int:pk>/contact/", name="contact")
    def contact(self, request, pk):
        """A visitor without an account tells the embassy of the project's country they are interested. A
        page of its own, so that the project's page keeps no CSRF token and stays in the page cache."""
        # Imported here, with the filters above: the form's country list is a queryset made with its class.
        from . import contact
        from .forms import ContactForm

        project = get_object_or_404(
            BourseProject.objects.visible().select_related("partner", "country", "embassy"), pk=pk
        )
        form = ContactForm(request.POST if request.method == "POST" else None)
        status = 200
        if request.method == "POST":
            status = 400  # the form again, with its errors and what was typed
            if is_robot(request):
                form.add_error(None, gettext("Your message could not be sent."))
            elif contact.over_rate(request):
                status = 429
                form.add_error(
                    None,
                    gettext("You have sent several messages in a short time: please try again in an hour."),
                )
            elif form.is_valid():
                contact.send_request(project, form.cleaned_data, request)
                # Sent: a reload does not send it again.
                return redirect(f"{request.path}?{SENT}=1")
        context = self.get_context(request)
        context.update(
            project=project,
            sub_title=project.local_title,
            form=form,
            sent=request.method == "GET" and request.GET.get(SENT) == "1",
        )
        return TemplateResponse(request, "bourse/contact.html", context, status=status)
