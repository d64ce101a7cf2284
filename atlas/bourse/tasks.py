"""Background work of the Bourse-projets (django-tasks: at once in development, `db_worker` in production)."""

from django_tasks import task

from .matching import send_alert


@task()
def send_bourse_alert(alert_id):
    """E-mails one alert's newly published matches (at most once a day) and records when."""
    return send_alert(alert_id)
