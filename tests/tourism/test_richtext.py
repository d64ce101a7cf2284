"""What members write in an experience's text: the formatting it allows survives, nothing that runs or
loads anything does, and plain text becomes paragraphs."""

import pytest

from django.template import Context, Template

from tourism.richtext import clean_rich_text


def rendered(html):
    """The text as the public page renders it (Wagtail's |richtext filter)."""
    return Template("{% load wagtailcore_tags %}{{ body|richtext }}").render(Context({"body": html}))


@pytest.mark.parametrize(
    "dangerous",
    [
        '<p>Bonjour<script>alert("x")</script></p>',
        '<p onclick="alert(1)">Bonjour</p>',
        '<p><a href="javascript:alert(1)">Bonjour</a></p>',
        '<p><a href="JaVaScRiPt:alert(1)">Bonjour</a></p>',
        '<p>Bonjour<img src="x" onerror="alert(1)"></p>',
        '<p>Bonjour<iframe src="https://example.org/"></iframe></p>',
        "<style>p { display: none }</style><p>Bonjour</p>",
        '<p><b onmouseover="alert(1)">Bonjour</b></p>',
        '<p><a href="data:text/html;base64,PHNjcmlwdD4=">Bonjour</a></p>',
        "<svg><script>alert(1)</script></svg><p>Bonjour</p>",
        "<p>Bonjour<!-- <script>alert(1)</script> --></p>",
    ],
)
def test_nothing_that_runs_or_loads_survives(dangerous):
    cleaned = clean_rich_text(dangerous)
    for trace in ("script", "alert", "onclick", "onerror", "onmouseover", "javascript", "<img", "iframe"):
        assert trace not in cleaned.lower(), cleaned
    assert "style" not in cleaned
    assert "display" not in cleaned
    assert "data:" not in cleaned
    assert "Bonjour" in cleaned


def test_the_allowed_formatting_is_kept():
    html = (
        "<h2>Le projet</h2><h3>Les familles</h3>"
        "<p>Un <b>séjour</b> <strong>solidaire</strong>, <i>lent</i> et <em>sobre</em>.<br>Autre ligne.</p>"
        "<ul><li>accueil</li><li>école</li></ul><ol><li>un</li><li>deux</li></ol>"
    )
    assert clean_rich_text(html) == html.replace("<br>", "<br/>")


def test_links_are_kept_for_the_web_and_email_only_and_marked_nofollow():
    cleaned = clean_rich_text(
        '<p><a href="https://example.org/village?a=1&amp;b=2" target="_blank" class="x">le village</a>, '
        '<a href="mailto:contact@example.org">écrire</a>, <a href="/admin/">admin</a>, '
        '<a href="//evil.example">ailleurs</a>, <a href="ftp://example.org">ftp</a></p>'
    )
    assert (
        '<a href="https://example.org/village?a=1&amp;b=2" rel="nofollow noopener">le village</a>' in cleaned
    )
    assert '<a href="mailto:contact@example.org" rel="nofollow noopener">écrire</a>' in cleaned
    # Relative, protocol-relative and other schemes lose their link but keep their words.
    for words in ("admin", "ailleurs", "ftp"):
        assert f">{words}<" not in cleaned
        assert words in cleaned
    assert "target" not in cleaned
    assert "class" not in cleaned
    assert cleaned.count("<a ") == 2


def test_plain_text_becomes_paragraphs_and_line_breaks():
    text = (
        "Le village accueille des visiteurs.\nIls dorment chez l’habitant.\n\n\n"
        "Les recettes financent l’école & la cantine < 5 €."
    )
    assert clean_rich_text(text) == (
        "<p>Le village accueille des visiteurs.<br/>Ils dorment chez l’habitant.</p>"
        "<p>Les recettes financent l’école &amp; la cantine &lt; 5 €.</p>"
    )
    assert clean_rich_text("Une ligne\r\n\r\nUne autre") == "<p>Une ligne</p><p>Une autre</p>"


def test_other_tags_keep_their_words_in_blocks_wagtail_accepts():
    cleaned = clean_rich_text(
        "<h1>Titre</h1><div><span style='color:red'>Texte</span></div>Texte libre <b>gras</b><h5>Petit</h5>"
    )
    assert cleaned == "<h2>Titre</h2><p>Texte</p><p>Texte libre <b>gras</b></p><h3>Petit</h3>"


def test_empty_or_invisible_text_is_empty():
    assert clean_rich_text("") == ""
    assert clean_rich_text(None) == ""
    assert clean_rich_text("   \n ") == ""
    assert clean_rich_text("<p> </p><script>alert(1)</script><ul><li></li></ul>") == ""


def test_the_cleaned_text_renders_as_wagtail_rich_text(db):
    cleaned = clean_rich_text(
        'Première ligne\nseconde\n\n<b>non</b> : pas de balise ici ? <a href="https://example.org">lien</a>'
    )
    html = rendered(cleaned)
    assert "Première ligne" in html
    assert "https://example.org" in html
    html = rendered(clean_rich_text('<p>Un <a href="https://example.org">lien</a> et <b>du gras</b></p>'))
    assert '<a href="https://example.org"' in html
    assert "<b>du gras</b>" in html
