"""Report tables in a real browser: a click on a column header sorts the rows (and says so to assistive
technology), the totals row stays put, and the reach report does not scroll the page sideways on a
laptop (1366 px) or a phone (390 px): wide tables scroll inside their own box."""

import pytest

from tests.reports.fixtures import pair, results, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sign_in(page, server, language="en"):
    page.goto(f"{server.url}/{language}/accounts/login/")
    page.fill("#id_username", "pm")
    page.fill("#id_password", "correct-horse-9")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def no_overflow(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def column(page, table, index):
    return page.locator(f"{table} tbody tr").evaluate_all(
        f"(rows) => rows.map((row) => row.cells[{index}].textContent.trim())")


def test_a_report_table_sorts_on_click(live_server, page, screenshot, world, results, manager, axe_check):  # noqa: F811
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/en/reports/reach/")
    table = "#by-agency"
    header = page.locator(f"{table} thead th").nth(1)  # people reached
    button = header.locator("button.sort-button")
    assert button.count() == 1
    button.click()
    assert header.get_attribute("aria-sort") == "ascending"
    values = [int(value) for value in column(page, table, 1)]
    assert values == sorted(values)
    button.press("Enter")
    assert header.get_attribute("aria-sort") == "descending"
    values = [int(value) for value in column(page, table, 1)]
    assert values == sorted(values, reverse=True) and len(values) >= 2 and values[0] > values[-1]
    # by name, in the page's language; the totals row of the cohorts table stays in <tfoot>
    first = page.locator("#cohorts thead th").first
    first.locator("button").click()
    assert first.get_attribute("aria-sort") == "ascending"
    assert page.locator("#cohorts thead [aria-sort]").count() == 1
    assert page.locator("#cohorts tfoot tr").count() == 1
    axe_check(page, "the reach report")
    screenshot("reach-sorted-1366")

    page.goto(f"{live_server.url}/ru/reports/knowledge-gain/")
    items = "#items table"
    header = page.locator(f"{items} thead th").nth(2)  # facility
    header.locator("button").click()
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    sorts = page.locator(f"{items} tbody tr").evaluate_all(
        "(rows) => rows.map((row) => Number(row.cells[2].dataset.sort))")
    assert sorts == sorted(sorts, reverse=True)
    axe_check(page, "the knowledge-gain report")
    screenshot("knowledge-gain-ru-1366")
    assert not errors


@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)])
def test_the_reach_report_fits_the_screen(live_server, page, screenshot, world, manager, width, height):  # noqa: F811
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, live_server)
    for language in ("en", "ru", "tk"):
        page.goto(f"{live_server.url}/{language}/reports/reach/")
        assert page.locator("#sessions .table-scroll").count() == 1
        assert no_overflow(page), f"{language} at {width} px scrolls sideways"
        screenshot(f"reach-{language}-{width}")
    page.goto(f"{live_server.url}/tk/reports/knowledge-gain/")
    assert no_overflow(page)
