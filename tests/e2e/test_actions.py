"""Actions in a real browser: adopt one from the dashboard's action plan, set its owner
and due date, see it in the list on a phone; axe finds nothing on these pages."""

import pytest

from tests.conftest import full_answers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def alpha(world, submit_answers):
    round_ = world.rounds["Alpha"]
    for agency in ("Alpha Police", "Alpha Fire"):
        submit_answers(round_, world.agencies[agency], full_answers(E3=2, B2=4))
    return round_


def test_adopt_from_the_plan_then_the_list_on_a_phone(browser_login, alpha, world, axe_check):
    from assessments.actions.models import Action

    page = browser_login("alice")
    page.goto(f"/rounds/{alpha.pk}/results/")
    page.locator('#action-plan .bl-adopt button[name="factor"][value="E3"]').click()
    page.wait_for_selector("#action-form")
    assert "Action adopted" in page.inner_text("main")
    axe_check(page, "action page (lead)")
    page.get_by_label("Owner agency").select_option(label="Alpha Fire")
    page.get_by_label("Due").fill("2020-01-31")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_selector("text=Changes saved.")
    action = Action.objects.get()
    assert (action.owner.name, str(action.due_on)) == ("Alpha Fire", "2020-01-31")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/partnerships/{world.partnerships['Alpha'].pk}/actions/")
    card = page.locator(f"#action-{action.pk}")
    assert "Overdue" in card.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    axe_check(page, "actions list (phone)")
    page.goto(f"/rounds/{alpha.pk}/results/")
    assert "Adopted:" in page.inner_text("#action-plan")
    axe_check(page, "results dashboard with an adopted action")
