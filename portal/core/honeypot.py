"""The honeypot every public form carries: a field people never see (templates/includes/honeypot.html)
and robots fill in. A filled honeypot is refused before anything is saved or sent."""

HONEYPOT_FIELD = "website"


def is_robot(request):
    return request.method == "POST" and bool(request.POST.get(HONEYPOT_FIELD))
