"""The shared core of the portal: services every product (atlas, tourism, pages, search, accounts) uses.

It imports no product, so that any product may import it without a cycle."""
