import wagtail_factories

from tourism import models


class TourismHomePageFactory(wagtail_factories.PageFactory):
    title = "Tourisme responsable"

    class Meta:
        model = models.TourismHomePage
