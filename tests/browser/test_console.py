"""The guard of conftest.py: a page that logs an error or throws fails the test that opened it.

No test here needs the database: `migrated_content` is overridden so that the end-to-end check below can run
this module again in a subprocess without creating a test database beside the one of the running suite."""

import os

import pytest

from tests.browser.conftest import run_probe

pytestmark = [pytest.mark.browser]

PROBE = "CONSOLE_ERRORS_PROBE"


@pytest.fixture
def migrated_content():
    """Nothing to put back: these tests use no database."""


def test_a_console_error_fails_the_test(page, console_errors):
    with page.expect_console_message(lambda message: message.type == "error"):
        page.evaluate("console.error('the map could not load')")
    with pytest.raises(pytest.fail.Exception, match="console.error at .*the map could not load"):
        console_errors.check()


def test_an_uncaught_exception_fails_the_test(browser, console_errors):
    # A context made by the test itself, not by the fixture: it is watched too.
    page = browser.new_context().new_page()
    with page.expect_event("pageerror"):
        page.evaluate("setTimeout(() => { throw new TypeError('menu is null'); })")
    with pytest.raises(pytest.fail.Exception, match="uncaught TypeError .*menu is null"):
        console_errors.check()


def test_a_page_without_errors_passes(page, console_errors):
    with page.expect_console_message():
        page.evaluate("console.log('just information'); console.warn('a warning is not an error')")
    console_errors.check()


@pytest.mark.skipif(PROBE not in os.environ, reason="run by the test below, in a subprocess")
def test_probe_that_logs_an_error(page):
    with page.expect_console_message():
        page.evaluate("console.error('probe error')")


def test_the_fixture_fails_a_test_whose_page_logged_an_error():
    """The whole path: the autouse fixture, its hook on the `page` fixture and the failure at teardown."""
    result = run_probe(__file__, "test_probe_that_logs_an_error", PROBE)
    assert "console.error at about:blank: probe error" in result.stdout, result.stdout
