"""A visitor lands in Turkmen, switches to Russian, logs in and sees the dashboard in Russian."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def seeded_server(live_server):
    call_command("seed_demo", "--without-curriculum", verbosity=0)
    return live_server


def test_land_in_turkmen_switch_to_russian_and_log_in(seeded_server, page, screenshot):
    page.goto(seeded_server.url + "/")
    assert page.url == seeded_server.url + "/tk/"
    assert page.locator("html").get_attribute("lang") == "tk"
    assert "adam söwdasyna garşy okuw" in page.locator("h1").inner_text()
    screenshot("01-home-tk")

    page.locator('button[data-language="ru"]').click()
    page.wait_for_url(seeded_server.url + "/ru/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "торговле людьми" in page.locator("h1").inner_text()

    page.get_by_role("link", name="Войти").first.click()
    page.wait_for_url("**/ru/accounts/login/")
    page.fill("#id_username", "trainee")
    page.fill("#id_password", "tot-demo-2026")
    screenshot("02-login-ru")
    page.locator("main button[type=submit]").click()

    page.wait_for_url("**/ru/dashboard/")
    assert page.locator("html").get_attribute("lang") == "ru"
    heading = page.locator("h1").inner_text()
    assert "Serdar" in heading
    assert page.locator("#section-courses h2").inner_text() == "Мои курсы"
    screenshot("03-dashboard-ru")


def test_wrong_password_is_explained_in_turkmen(seeded_server, page):
    page.goto(seeded_server.url + "/tk/accounts/login/")
    page.fill("#id_username", "trainee")
    page.fill("#id_password", "not-the-password")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == "tk"
    assert page.locator(".form-errors").is_visible()
    assert "Please enter a correct" not in page.locator(".form-errors").inner_text()
