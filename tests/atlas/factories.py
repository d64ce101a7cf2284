import wagtail_factories

from atlas import models


class AtlasPageFactory(wagtail_factories.PageFactory):
    title = "Atlas de la coopération décentralisée"

    class Meta:
        model = models.AtlasPage


class BoursePageFactory(wagtail_factories.PageFactory):
    title = "Bourse-projets"

    class Meta:
        model = models.BoursePage
