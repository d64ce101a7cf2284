from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


my_contributions = create = edit = preview = withdraw = _todo
