import importlib
import pkgutil

import factory
import pytest

from wagtail.models import Page, get_page_models

import tests


def all_page_factories():
    """Every factory in tests/<app>/factories.py, by the page model it builds."""
    found = {}
    for module_info in pkgutil.iter_modules(tests.__path__):
        try:
            module = importlib.import_module(f"tests.{module_info.name}.factories")
        except ModuleNotFoundError:
            continue
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, factory.django.DjangoModelFactory):
                found[obj._meta.model] = obj
    return found


PORTAL_PAGE_MODELS = [
    model
    for model in get_page_models()
    if model is not Page
    and not model._meta.abstract
    and model.__module__.split(".")[0] in {"pages", "atlas", "tourism", "search", "portal"}
]
FACTORIES = all_page_factories()


def test_every_page_type_has_a_factory():
    missing = [model.__name__ for model in PORTAL_PAGE_MODELS if model not in FACTORIES]
    assert not missing, f"Page types without a factory: {missing}"


@pytest.mark.parametrize("model", PORTAL_PAGE_MODELS, ids=lambda m: m.__name__)
def test_every_page_type_renders(client, home, model):
    parent = home if model.__name__ != "HomePage" else Page.get_first_root_node()
    # Page types that live only under a given parent type (features under the rubric) get one made for them.
    allowed = [
        parent_model for parent_model in model.allowed_parent_page_models() if parent_model is not Page
    ]
    if model.__name__ != "HomePage" and type(home) not in allowed:
        parent = FACTORIES[allowed[0]](parent=home, title="Un parent", slug="parent")
    page = FACTORIES[model](parent=parent, title=f"Une page {model.__name__}")
    response = client.get(page.url or f"/{page.slug}/")
    if model.__name__ == "HomePage":
        # A second home page sits outside the site: Wagtail serves it from its own URL path only.
        response = client.get("/")
    assert response.status_code == 200
    assert "fr-header" in response.text
