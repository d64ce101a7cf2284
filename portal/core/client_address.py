"""The visitor's address, as the throttling of logins (django-axes) and any rate limit must see it.

Behind the reverse proxy every request comes from the proxy, which appends the address it saw to
X-Forwarded-For. A client can put anything in that header before it reaches the proxy, so the header is read
only when the request really comes from a trusted proxy (settings.TRUSTED_PROXIES), and then from its right:
the first address that is not a trusted proxy is the one the last trusted proxy saw, the visitor's. With no
trusted proxy (the default) the header is ignored and REMOTE_ADDR counts.
"""

import ipaddress

from django.conf import settings


def trusted_networks():
    return [ipaddress.ip_network(entry, strict=False) for entry in getattr(settings, "TRUSTED_PROXIES", [])]


def parse(value):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def is_trusted(address, networks):
    return address is not None and any(address in network for network in networks)


def client_address(request):
    remote = request.META.get("REMOTE_ADDR", "")
    networks = trusted_networks()
    if not networks or not is_trusted(parse(remote), networks):
        return remote
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = parse(entry)
        if address is None:
            # Not written by a trusted proxy: the chain cannot be followed further.
            break
        if not is_trusted(address, networks):
            return str(address)
    return remote
