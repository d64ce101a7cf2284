"""The guard of conftest.py against the Content-Security-Policy: code the policy refuses in a page of the
portal (an inline style or script, as a template or a script might add one) fails the test that opened it.

The page here is the portal's own answer, with its header, from the live server: the API documentation, a
page that needs no demo content."""

import os

import pytest

from tests.browser.conftest import run_probe

pytestmark = [pytest.mark.browser]

PROBE = "CSP_VIOLATION_PROBE"
INLINE_STYLE = "document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">injected</p>')"
INLINE_SCRIPT = """
const script = document.createElement("script");
script.textContent = "window.injected = true";
document.body.append(script);
"""


REFUSED = "Content-Security-Policy violation"


def open_portal(page, live_server):
    response = page.goto(f"{live_server.url}/donnees/api/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("#operations-projets-projects_list")


def refused(message):
    return message.type == "error" and REFUSED in message.text


def test_an_inline_style_fails_the_test(page, live_server, console_errors):
    open_portal(page, live_server)
    with page.expect_console_message(refused):
        page.evaluate(INLINE_STYLE)
    with pytest.raises(pytest.fail.Exception, match=f"{REFUSED}: style-src-attr refused"):
        console_errors.check()


def test_an_inline_script_fails_the_test_and_does_not_run(page, live_server, console_errors):
    open_portal(page, live_server)
    with page.expect_console_message(refused):
        page.evaluate(INLINE_SCRIPT)
    assert page.evaluate("window.injected") is None
    with pytest.raises(pytest.fail.Exception, match=f"{REFUSED}: script-src-elem refused"):
        console_errors.check()


def test_markup_with_classes_only_is_no_violation(page, live_server, console_errors):
    open_portal(page, live_server)
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p class=\"fr-text\">from a class</p>')")
    page.wait_for_selector("p.fr-text")
    console_errors.check()


@pytest.mark.skipif(PROBE not in os.environ, reason="run by the test below, in a subprocess")
def test_probe_that_injects_an_inline_style(page, live_server):
    open_portal(page, live_server)
    with page.expect_console_message(refused):
        page.evaluate(INLINE_STYLE)


def test_the_fixture_fails_a_test_whose_page_broke_the_policy():
    """The whole path: the init script of every context, the autouse fixture and the failure at teardown."""
    result = run_probe(__file__, "test_probe_that_injects_an_inline_style", PROBE)
    assert f"{REFUSED}: style-src-attr refused inline" in result.stdout, result.stdout
