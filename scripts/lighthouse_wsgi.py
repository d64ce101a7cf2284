"""The portal as scripts/lighthouse.sh serves it to Lighthouse: gunicorn with the production settings, plus
the public media files (image renditions), which production leaves to the front web server (nginx, see
`make stack`). WhiteNoise stands in for that server here, with the far-future lifetime renditions get there
(their names change with their content), looking files up at each request since pages create renditions
while they are measured."""

from whitenoise import WhiteNoise

from django.conf import settings

from portal.wsgi import application as portal

application = WhiteNoise(portal, autorefresh=True, max_age=365 * 24 * 3600)
application.add_files(str(settings.MEDIA_ROOT), prefix=settings.MEDIA_URL)
