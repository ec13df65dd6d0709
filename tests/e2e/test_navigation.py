"""The header menu on a phone (390 px: folded behind "Menu", no sideways scroll) and on a desktop (1366 px)."""

import pytest
from django.core.management import call_command

from tests.e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def seeded_server(live_server):
    call_command("seed_demo", "--without-curriculum", verbosity=0)
    return live_server


def _page(browser, width, height):
    context = browser.new_context(locale="en-GB", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _log_in(page, server, username):
    page.goto(server.url + "/en/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "tot-demo-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/dashboard/")


def _shot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_on_a_phone_the_menu_opens_and_leads_to_a_section(seeded_server, browser, axe_check):
    context, page = _page(browser, 390, 844)
    try:
        _log_in(page, seeded_server, "coordinator")
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        assert not page.locator(".site-bar").is_visible()
        menu = page.locator("details.site-menu")
        assert not menu.locator(".site-nav").is_visible()
        _shot(page, "nav-390-closed")

        menu.locator("summary").click()
        assert menu.locator(".site-nav").is_visible()
        assert page.locator("#site-search-phone").is_visible()
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        axe_check(page, "the open menu on a phone")
        _shot(page, "nav-390-open")

        menu.get_by_role("link", name="Sessions").click()
        page.wait_for_url("**/en/training/sessions/")
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        crumbs = page.get_by_role("navigation", name="Breadcrumb")
        assert crumbs.locator('[aria-current="page"]').inner_text() == "Cascade sessions"
        page.locator("details.site-menu summary").click()
        current = page.locator('details.site-menu .site-nav a[aria-current="page"]')
        assert current.inner_text() == "Sessions"
        _shot(page, "nav-390-sessions")

        page.fill("#site-search-phone", "trafficking")
        page.press("#site-search-phone", "Enter")
        page.wait_for_url("**/en/learn/search/?q=trafficking")
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
    finally:
        context.close()


def test_on_a_desktop_the_menu_is_a_bar(seeded_server, browser):
    context, page = _page(browser, 1366, 900)
    try:
        _log_in(page, seeded_server, "manager")
        assert not page.locator("details.site-menu").is_visible()
        bar = page.locator(".site-bar")
        assert bar.get_by_role("link", name="Dashboard").get_attribute("aria-current") == "page"
        assert bar.get_by_role("searchbox", name="Search the courses").is_visible()
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        _shot(page, "nav-1366-dashboard")
        bar.get_by_role("link", name="Reach").click()
        page.wait_for_url("**/en/reports/reach/")
        assert page.get_by_role("navigation", name="Breadcrumb").is_visible()
        _shot(page, "nav-1366-reach")
    finally:
        context.close()


def test_a_learner_reaches_the_glossary_from_the_menu(seeded_server, browser, axe_check):
    for width, height in ((1366, 900), (390, 844)):
        context, page = _page(browser, width, height)
        try:
            _log_in(page, seeded_server, "trainee")
            if width < 600:
                page.locator("details.site-menu summary").click()
                nav = page.locator("details.site-menu .site-nav")
            else:
                nav = page.locator(".site-bar")
            nav.get_by_role("link", name="Glossary").click()
            page.wait_for_url("**/en/learn/glossary/")
            assert page.evaluate(NO_SIDEWAYS_SCROLL)
            if width < 600:
                page.locator("details.site-menu summary").click()
            assert page.locator('a[data-menu="glossary"][aria-current="page"]:visible').count() == 1
            axe_check(page, f"the glossary at {width} px")
            _shot(page, f"nav-{width}-glossary")
        finally:
            context.close()
