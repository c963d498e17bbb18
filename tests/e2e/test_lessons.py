"""Lessons in a real browser: record a lesson, share it without the name, an
administrator publishes it, another partnership finds it in the library on a phone;
axe finds nothing on these pages."""

import pytest

from assessments.lessons.services import research_lessons_load

pytestmark = pytest.mark.django_db(transaction=True)


def test_record_share_publish_and_find_on_a_phone(browser_login, page, world, axe_check):
    from assessments.lessons.models import Lesson

    research_lessons_load()
    browser_login("alice")
    page.goto(f"/partnerships/{world.partnerships['Alpha'].pk}/lessons/new/")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("#error-summary")
    axe_check(page, "new lesson with errors")
    page.get_by_label("Title").fill("One HR team")
    page.get_by_label("What we tried").fill("One HR team for police and fire.")
    page.get_by_label("O1 More single (shared) back offices").check()
    page.get_by_label("Tried from").fill("2025-01-01")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("text=Lesson saved.")
    axe_check(page, "a partnership's lesson")
    page.get_by_role("link", name="Share it with other partnerships").click()
    axe_check(page, "share a lesson")
    page.get_by_label("Without our name", exact=False).check()
    page.get_by_role("button", name="Share it for review").click()
    page.wait_for_selector("text=an administrator will review it")
    lesson = Lesson.objects.get(title="One HR team")
    assert lesson.status == "awaiting_review"

    page.context.clear_cookies()
    browser_login("adam")
    page.goto("/what-works/review/")
    axe_check(page, "review queue")
    page.get_by_role("link", name="One HR team").click()
    axe_check(page, "review a lesson")
    page.get_by_label("Publish it in the library").check()
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_selector("text=Published: it is now in the library.")

    page.context.clear_cookies()
    browser_login("carol")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/what-works/?option=O1")
    main = page.inner_text("main")
    assert "One HR team" in main and "'H3' partnership" in main
    assert "Alpha" not in main
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    axe_check(page, "library (phone)")
    page.get_by_role("link", name="One HR team").click()
    assert "A partnership of police and fire services in England" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    axe_check(page, "a lesson in the library (phone)")
