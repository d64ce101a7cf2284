"""What a user of assistive technology gets from a rendered form: the error an input is described by."""

from bs4 import BeautifulSoup


def field_input(html, name, element_id=None):
    """The first visible input, select or textarea named `name` (and with that id, when the page has other
    fields of that name, such as the header's search); raises when there is none."""
    soup = html if isinstance(html, BeautifulSoup) else BeautifulSoup(html, "html.parser")
    attrs = {"name": name, **({"id": element_id} if element_id else {})}
    for element in soup.find_all(["input", "select", "textarea"], attrs=attrs):
        if element.get("type") != "hidden":
            return element
    raise AssertionError(f"no visible field named {name!r}")


def described_by(html, name, element_id=None):
    """The text of what the input named `name` is described by (aria-describedby): its hint, or its errors."""
    soup = BeautifulSoup(html, "html.parser")
    texts = []
    for described_id in field_input(soup, name, element_id).get("aria-describedby", "").split():
        described = soup.find(id=described_id)
        if described is not None:
            texts.append(described.get_text(" ", strip=True))
    return " ".join(texts)


def described_error(html, name, element_id=None):
    """What the input named `name` is described by when it is marked invalid (aria-invalid), or ""."""
    if field_input(html, name, element_id).get("aria-invalid") != "true":
        return ""
    return described_by(html, name, element_id)
