import wagtail_factories

from pages import models


class HomePageFactory(wagtail_factories.PageFactory):
    title = "La coopération décentralisée"

    class Meta:
        model = models.HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = "À propos"
    intro = "Une page institutionnelle."

    class Meta:
        model = models.StandardPage


class RubricPageFactory(wagtail_factories.PageFactory):
    title = "Le rendez-vous du mois"

    class Meta:
        model = models.RubricPage


class CallsIndexPageFactory(wagtail_factories.PageFactory):
    title = "Appels à projets"

    class Meta:
        model = models.CallsIndexPage
