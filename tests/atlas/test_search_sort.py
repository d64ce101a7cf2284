"""The sort list of the advanced search reads as a French reader expects: each order named once, in words."""

from django.utils import translation

from atlas.filters import ProjectFilterSet


def test_every_sort_order_has_its_own_french_label():
    with translation.override("fr"):
        labels = [str(label) for _value, label in ProjectFilterSet({}).form.fields["sort"].choices]
    # django-filter names an unlabelled descending order "… (descending)": each of ours has its own label.
    assert not [label for label in labels if "décroissant" in label or "descending" in label]
    assert "Les plus récents d’abord" in labels
    assert "Pays (Z à A)" in labels
