"""The whole questionnaire with the keyboard alone: no mouse, no programmatic filling.

Tab and Shift+Tab move between controls, arrow keys move within a radio group,
Space ticks, Enter presses; text goes in through ``page.keyboard.type``.
"""

import pytest

from assessments.models import Submission, SubmittedAnswer

pytestmark = pytest.mark.django_db(transaction=True)

# Position of each answer in a radio group: 1–5, then "Don't know".
CHOICES = ["1", "2", "3", "4", "5", "dk"]

FOCUS_VISIBLE = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow && style.boxShadow !== "none";
    return outline || shadow;
}"""


def active(page, attribute="id"):
    return page.evaluate(f"() => document.activeElement.getAttribute('{attribute}')")


def tab_until(page, matches, *, key="Tab", limit=400):
    """Press Tab (or Shift+Tab) until the focused element matches a CSS selector."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("sel => document.activeElement.matches(sel)", matches):
            return
    pytest.fail(f"{matches} never received focus with {key}")


def assert_focus_visible(page, where):
    assert page.evaluate(FOCUS_VISIBLE), f"no visible focus indicator on {where}: " \
        f"{page.evaluate('() => document.activeElement.outerHTML.slice(0, 200)')}"


def choose(page, code, choice):
    """Focus is on the first answer of an unanswered group: tick the wanted one."""
    assert active(page) == f"{code}-value-1"
    page.keyboard.press("Space")
    for _ in range(CHOICES.index(choice)):
        page.keyboard.press("ArrowDown")
    assert page.locator(f"#{code}-value-{choice}").is_checked()


def test_a_lead_completes_the_whole_questionnaire_with_the_keyboard(page, world):
    from tests.conftest import PASSWORD

    page.goto("/accounts/login/")
    tab_until(page, "#id_username")
    assert_focus_visible(page, "the username box")
    page.keyboard.type("bob")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.inner_text("h1") != "Log in"

    round_, agency = world.rounds["Alpha"], world.agencies["Alpha Fire"]
    tab_until(page, f"a[href*='/rounds/{round_.pk}/agencies/{agency.pk}/']")
    assert_focus_visible(page, "the link to the questionnaire")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expected = {}
    position = 0
    for number, section in enumerate(["Enablers", "Barriers", "Collaboration options"], start=1):
        assert f"Section {number} of 3: {section}" in page.inner_text("#progress-label")
        codes = page.eval_on_selector_all("fieldset[id^=item-]",
                                          "els => els.map(el => el.id.slice(5))")
        assert codes, section
        tab_until(page, f"#{codes[0]}-value-1")
        assert_focus_visible(page, f"the first answer of {codes[0]}")
        for index, code in enumerate(codes):
            choice = CHOICES[position % len(CHOICES)]
            position += 1
            choose(page, code, choice)
            page.keyboard.press("Tab")
            assert active(page) == f"{code}-comment"
            comment = ""
            if index == 0:
                comment = f"Seen in {section.lower()} minutes"
                page.keyboard.type(comment)
                assert_focus_visible(page, "an evidence box")
                # Back to the answers with Shift+Tab, and change one with the arrows.
                page.keyboard.press("Shift+Tab")
                assert active(page) == f"{code}-value-{choice}"
                page.keyboard.press("ArrowUp")
                choice = CHOICES[CHOICES.index(choice) - 1]
                assert page.locator(f"#{code}-value-{choice}").is_checked()
                page.keyboard.press("Tab")
                assert active(page) == f"{code}-comment"
            expected[code] = (None if choice == "dk" else int(choice), comment)
            if index + 1 < len(codes):
                page.keyboard.press("Tab")
        # Save: the first button after the last evidence box saves and moves on.
        tab_until(page, "button[type=submit][name=action]")
        assert active(page, "value") == ("review" if number == 3 else "next")
        assert_focus_visible(page, f"the save button of {section}")
        with page.expect_navigation():
            page.keyboard.press("Enter")

    main = page.inner_text("main")
    assert f"{len(expected)} of {len(expected)} answered" in main
    assert "Check your answers before submitting" in main
    tab_until(page, "#id_confirm")
    assert_focus_visible(page, "the confirmation box")
    page.keyboard.press("Space")
    assert page.locator("#id_confirm").is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent").strip() == \
        "Submit Alpha Fire's answers"
    assert_focus_visible(page, "the submit button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Submitted by bob on" in page.inner_text("main")

    submission = Submission.objects.get(agency=agency)
    assert submission.status == "submitted"
    stored = {a.item.code: (a.value, a.comment)
              for a in SubmittedAnswer.objects.filter(submission=submission)
              .select_related("item")}
    assert stored == expected
    # Every answer, "Don't know" included, went through.
    assert None in {value for value, _ in stored.values()}
    assert {1, 2, 3, 4, 5} <= {value for value, _ in stored.values()}
