"""The rich text members write outside the admin, cleaned to what the experience's RichTextField allows.

The body is stored as Wagtail's database format and rendered with `|richtext`: only the features of
tourism.models.pages.RICH_TEXT_FEATURES survive (paragraphs, line breaks, two heading levels, bold, italic,
lists and external or e-mail links). Everything else vanishes: scripts and styles with their content, event
attributes, images, frames, javascript: and relative links. Text typed without any tag becomes paragraphs.
"""

import html
import re

import nh3
from bs4 import BeautifulSoup, NavigableString

ALLOWED_TAGS = {"p", "br", "h2", "h3", "b", "strong", "i", "em", "ol", "ul", "li", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener"
# Removed with everything they hold (the other unknown tags are removed and their text kept).
DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "noscript",
    "template",
    "svg",
    "math",
    "textarea",
    "select",
    "title",
    "head",
}
BLOCK_TAGS = {"p", "h2", "h3", "ol", "ul"}
INLINE_TAGS = {"b", "strong", "i", "em", "a", "br"}

# Something that looks like a tag or a comment: "a < b" and "<3" stay plain text.
TAG_RE = re.compile(r"<!--|</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
# Tags renamed before cleaning so that their text keeps its own block: h1 is the page's title.
RENAMED_TAGS = [
    (re.compile(r"<(/?)\s*h1(?=[\s/>])", re.IGNORECASE), r"<\1h2"),
    (re.compile(r"<(/?)\s*h[4-6](?=[\s/>])", re.IGNORECASE), r"<\1h3"),
    (
        re.compile(
            r"<(/?)\s*(div|section|article|blockquote|pre|address|figcaption|tr|dt|dd)(?=[\s/>])",
            re.IGNORECASE,
        ),
        r"<\1p",
    ),
]
ABSOLUTE_LINK_RE = re.compile(r"^\s*(https?://[^\s/]|mailto:[^\s])", re.IGNORECASE)


def clean_rich_text(value):
    """Sanitised rich text for an ExperiencePage body; "" when nothing readable is left."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not value:
        return ""
    if not TAG_RE.search(value):
        value = paragraphs_from_text(value)
    for pattern, replacement in RENAMED_TAGS:
        value = pattern.sub(replacement, value)
    cleaned = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_absolute_links,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return _tidy(cleaned)


def paragraphs_from_text(text):
    """Plain text as HTML: a blank line starts a new paragraph, a single newline is a line break."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text)]
    return "".join(
        "<p>{}</p>".format("<br>".join(html.escape(line.strip()) for line in block.split("\n")))
        for block in blocks
        if block
    )


def _keep_absolute_links(tag, attribute, value):
    if tag == "a" and attribute == "href":
        return value.strip() if ABSOLUTE_LINK_RE.match(value) else None
    return value


def _tidy(cleaned):
    """Links left without a target are unwrapped, loose text and inline tags at the top level go into
    paragraphs (Wagtail's rich text is a sequence of blocks), empty paragraphs and items are dropped."""
    soup = BeautifulSoup(cleaned, "html.parser")
    for link in soup.find_all("a"):
        if not link.get("href"):
            link.unwrap()
        else:
            link["rel"] = LINK_REL
    for item in soup.find_all("li"):
        if item.parent is None or item.parent.name not in ("ol", "ul"):
            item.name = "p"
    _wrap_loose_inline(soup)
    for block in soup.find_all(["p", "h2", "h3", "li"]):
        if not block.get_text(strip=True):
            block.decompose()
    for block in soup.find_all(["ol", "ul"]):
        if not block.find("li"):
            block.decompose()
    result = str(soup).strip()
    return result if BeautifulSoup(result, "html.parser").get_text(strip=True) else ""


def _wrap_loose_inline(soup):
    run = []

    def flush():
        if any(not isinstance(node, NavigableString) or node.strip() for node in run):
            paragraph = soup.new_tag("p")
            run[0].insert_before(paragraph)
            for node in run:
                paragraph.append(node.extract())
        else:
            for node in run:
                node.extract()
        run.clear()

    for node in list(soup.contents):
        if isinstance(node, NavigableString) or node.name in INLINE_TAGS:
            run.append(node)
        else:
            if run:
                flush()
    if run:
        flush()
    # Line breaks at the edges of a block are noise.
    for paragraph in soup.find_all(["p", "h2", "h3", "li"]):
        while paragraph.contents and getattr(paragraph.contents[-1], "name", None) == "br":
            paragraph.contents[-1].extract()
        while paragraph.contents and getattr(paragraph.contents[0], "name", None) == "br":
            paragraph.contents[0].extract()


SIMPLE_TAGS = {"<p>", "</p>", "<br>", "<br/>", "<br />"}


def text_for_editing(value):
    """The stored text as the member edits it again: plain text (blank lines between paragraphs) when it
    holds nothing but paragraphs and line breaks and reads back the same, else the HTML itself."""
    value = (value or "").strip()
    if not value or any(tag not in SIMPLE_TAGS for tag in re.findall(r"<[^>]*>", value)):
        return value
    text = re.sub(r"</p>\s*<p>", "\n\n", value)
    text = re.sub(r"^<p>|</p>$", "", text)
    text = html.unescape(re.sub(r"<br\s*/?>", "\n", text))
    return text if clean_rich_text(text) == clean_rich_text(value) else value
