"""The branded refusal and not-found pages, in a browser, pass axe."""


def test_a_lead_sees_the_branded_refusal_and_not_found_pages(browser_login, page, axe_check):
    browser_login("alice")
    response = page.goto("/research/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "You cannot open this page"
    axe_check(page, "403")
    page.get_by_role("link", name="Go to your home page").click()
    page.wait_for_url("**/")
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    axe_check(page, "404")
