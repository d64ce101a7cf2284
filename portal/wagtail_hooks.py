"""Editor rules that hold for every page and snippet of the admin."""

from django.http import JsonResponse
from django.utils.translation import gettext as _

from wagtail import hooks


def refuse_autosave_of_a_new_object(request, *args):
    """Autosave never creates: the first save of a page or a snippet is the editor's own.

    Wagtail's autosave posts the create form in the background and then switches the form to the new object's
    edit address; when that switch does not happen (a slow answer, a submission while an autosave is under
    way), each background post and the final submission create one more object. Refused here for every
    create view, with the error code the editor's script answers by turning autosave off for this form; the
    edit views, where autosave updates one object, keep it."""
    if request.method == "POST" and not request.accepts("text/html"):
        return JsonResponse(
            {
                "success": False,
                "error_code": "invalid_revision",
                "error_message": _("Autosave starts after the first save: save a draft to keep your work."),
            },
            status=400,
        )
    return None


hooks.register("before_create_page", refuse_autosave_of_a_new_object)
hooks.register("before_create_snippet", refuse_autosave_of_a_new_object)
