"""The guard of conftest.py: a page that logs an error or throws fails the test that opened it."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
