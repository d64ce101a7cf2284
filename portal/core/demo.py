"""Helpers the products' demo loaders share."""


def ensure_child(parent, model, slug, **fields):
    """Returns the child page of `parent` with this slug, creating and publishing it when missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing:
        return existing.specific
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def paragraph(text):
    return [("paragraph", f"<p>{text}</p>")]
