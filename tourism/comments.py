def comments_context(page, request):
    """Placeholder until the comments land."""
    return {}
