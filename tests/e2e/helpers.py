"""Shared helpers of the browser tests."""

PASSWORD = "tot-demo-2026"  # the password of every demo account (seed_demo)


def login(page, server, username, language):
    page.goto(f"{server.url}/{language}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
