"""Administrators run partnerships, rounds and submissions in the admin."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import (
    Membership,
    Partnership,
    Round,
    Submission,
)
from survey.framework.services import framework_new_draft
from survey.models import Framework


def round_form(world, **changes):
    data = {"partnership": world.partnerships["Beta"].pk, "framework": world.framework.pk,
            "title": "Review 2027", "opens_on": "2027-01-01", "closes_on": "2027-03-31",
            "submissions-TOTAL_FORMS": "0", "submissions-INITIAL_FORMS": "0"}
    data.update(changes)
    return data


def test_a_new_round_defaults_to_the_current_published_framework(world, login):
    framework_new_draft(framework=world.framework)  # a draft is never offered
    client = login(world.user("adam"))
    html = client.get(reverse("admin:assessments_round_add")).content.decode()
    select = html[html.index('name="framework"'):html.index("</select>",
                                                            html.index('name="framework"'))]
    assert f'<option value="{world.framework.pk}" selected>' in select
    assert select.count("<option") == 2  # the empty choice and the published version


def test_an_administrator_opens_a_round(world, login):
    client = login(world.user("adam"))
    response = client.post(reverse("admin:assessments_round_add"), round_form(world))
    assert response.status_code == 302, response.content.decode()[:3000]
    round_ = Round.objects.get(title="Review 2027")
    assert round_.framework == world.framework and round_.status == "open"
    assert round_.history.latest().history_user == world.user("adam")


def test_a_round_cannot_open_on_a_draft_or_close_before_it_opens(world, login):
    draft = framework_new_draft(framework=world.framework)
    client = login(world.user("adam"))
    response = client.post(reverse("admin:assessments_round_add"),
                           round_form(world, framework=draft.pk, closes_on="2026-12-01"))
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "The closing date cannot be before the opening date." in html
    assert not Round.objects.filter(title="Review 2027").exists()


def test_the_framework_of_an_open_round_is_read_only(world, login):
    client = login(world.user("adam"))
    html = client.get(reverse("admin:assessments_round_change",
                              args=[world.rounds["Alpha"].pk])).content.decode()
    assert 'name="framework"' not in html
    assert "Download submitted answers (CSV)" in html and "Import answers (CSV)" in html


def test_close_and_open_again_actions(world, login):
    client = login(world.user("adam"))
    url = reverse("admin:assessments_round_changelist")
    response = client.post(url, {"action": "close_rounds",
                                 "_selected_action": [world.rounds["Alpha"].pk]}, follow=True)
    assert "Closed 1 round." in response.content.decode()
    round_ = Round.objects.get(pk=world.rounds["Alpha"].pk)
    assert round_.status == "closed" and not round_.is_open
    assert round_.history.latest().history_user == world.user("adam")
    client.post(url, {"action": "open_rounds_again",
                      "_selected_action": [world.rounds["Alpha"].pk]})
    assert Round.objects.get(pk=world.rounds["Alpha"].pk).is_open


def test_round_page_lists_its_submissions(world, login, answer_all):
    answer_all(world, "Alpha Fire", "bob", submit=True)
    answer_all(world, "Alpha Police", "alice")
    client = login(world.user("adam"))
    html = client.get(reverse("admin:assessments_round_change",
                              args=[world.rounds["Alpha"].pk])).content.decode()
    assert "Alpha Fire" in html and "Submitted" in html and "Draft" in html


def test_partnership_admin_adds_agencies_and_leads(world, login):
    client = login(world.user("adam"))
    partnership = Partnership.objects.create(name="Gamma", kind="prevention")
    url = reverse("admin:assessments_partnership_change", args=[partnership.pk])
    html = client.get(url).content.decode()
    assert "memberships-0-agency" in html and "memberships-0-leads" in html
    response = client.post(url, {
        "name": "Gamma", "kind": "prevention", "description": "",
        "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0",
        "memberships-0-agency": world.agencies["Beta Fire"].pk,
        "memberships-0-leads": [world.user("dan").pk],
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    membership = Membership.objects.get(partnership=partnership)
    assert list(membership.leads.all()) == [world.user("dan")]
    html = client.get(url).content.decode()
    invite = reverse("admin:assessments_invitation_add") + f"?membership={membership.pk}"
    assert invite in html


# --------------------------------------------------------------------------- reopen


def test_an_administrator_reopens_a_submission_with_a_reason(world, login, answer_all):
    submission = answer_all(world, "Alpha Fire", "bob", submit=True)
    client = login(world.user("adam"))
    url = reverse("admin:assessments_submission_changelist")
    page = client.post(url, {"action": "reopen_submissions",
                             "_selected_action": [submission.pk]})
    html = page.content.decode()
    assert page.status_code == 200 and "Reason for reopening" in html
    assert "Alpha Fire — Alpha: Alpha round 1" in html

    no_reason = client.post(url, {"action": "reopen_submissions", "apply": "1",
                                  "_selected_action": [submission.pk], "reason": ""})
    assert "This field is required." in no_reason.content.decode()
    assert Submission.objects.get().status == "submitted"

    done = client.post(url, {"action": "reopen_submissions", "apply": "1",
                             "_selected_action": [submission.pk],
                             "reason": "Police answers were entered as fire's"}, follow=True)
    assert "Reopened: Alpha Fire — Alpha: Alpha round 1." in done.content.decode()
    submission.refresh_from_db()
    assert submission.status == "reopened"
    record = submission.history.latest()
    assert record.history_change_reason == "Police answers were entered as fire's"
    assert record.history_user == world.user("adam")
    history = client.get(reverse("admin:assessments_submission_history",
                                 args=[submission.pk])).content.decode()
    assert "Police answers were entered as fire&#x27;s" in history

    # The lead sees who reopened it, when and why, and can change answers again.
    lead = login(world.user("bob"))
    args = [world.rounds["Alpha"].pk, world.agencies["Alpha Fire"].pk]
    page = lead.get(reverse("questionnaire:section", args=[*args, "enablers"])).content.decode()
    assert "Reopened by adam on" in page
    assert "Police answers were entered as fire&#x27;s" in page
    assert "Save draft" in page
    home = lead.get(reverse("home")).content.decode()
    assert "Reopened by an administrator: changes needed" in home


def test_the_per_submission_reopen_page(world, login, answer_all):
    submission = answer_all(world, "Alpha Fire", "bob", submit=True)
    client = login(world.user("adam"))
    change = client.get(reverse("admin:assessments_submission_change",
                                args=[submission.pk])).content.decode()
    url = reverse("admin:assessments_submission_reopen", args=[submission.pk])
    assert url in change and "Submitted answers (count in the results)" in change
    response = client.post(url, {"reason": "Wrong figures in B2"})
    assert response.status_code == 302
    assert Submission.objects.get().status == "reopened"


def test_reopening_a_draft_is_refused_with_a_message(world, login, answer_all):
    submission = answer_all(world, "Alpha Fire", "bob")
    client = login(world.user("adam"))
    response = client.post(reverse("admin:assessments_submission_changelist"), {
        "action": "reopen_submissions", "apply": "1", "_selected_action": [submission.pk],
        "reason": "test"}, follow=True)
    assert "is not submitted (it is draft), so it cannot be reopened" in \
        response.content.decode()


def test_submissions_cannot_be_added_or_deleted_in_the_admin(world, login, answer_all):
    submission = answer_all(world, "Alpha Fire", "bob")
    client = login(world.user("adam"))
    assert client.get(reverse("admin:assessments_submission_add")).status_code == 403
    assert client.post(reverse("admin:assessments_submission_delete", args=[submission.pk]),
                       {"post": "yes"}).status_code == 403
    assert Submission.objects.exists()


@pytest.mark.parametrize("username", ["bob", "rita"])
def test_only_administrators_reach_the_reopen_page(world, login, answer_all, username):
    submission = answer_all(world, "Alpha Fire", "bob", submit=True)
    response = login(world.user(username)).post(
        reverse("admin:assessments_submission_reopen", args=[submission.pk]), {"reason": "x"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert Submission.objects.get().status == "submitted"


def test_round_closing_date_in_the_past_shows_closed_to_leads(world, login):
    round_ = world.rounds["Alpha"]
    round_.opens_on = datetime.date(2020, 1, 1)
    round_.closes_on = datetime.date(2020, 1, 31)
    round_.save()
    assert Framework.objects.current() == world.framework
    html = login(world.user("alice")).get(reverse("home")).content.decode()
    assert "Closed before your agency submitted" in html


# --------------------------------------------------------------------------- issue 12


def test_delete_selected_is_not_offered_for_rounds_and_answered_rounds_stay(world, login,
                                                                          submit_answers):
    client = login(world.user("adam"))
    alpha, beta = world.rounds["Alpha"], world.rounds["Beta"]
    submit_answers(alpha, world.agencies["Alpha Police"], {"E1": 4})
    changelist = reverse("admin:assessments_round_changelist")
    assert 'value="delete_selected"' not in client.get(changelist).content.decode()
    client.post(changelist, {"action": "delete_selected", "post": "yes",
                             "_selected_action": [alpha.pk, beta.pk]})
    assert Round.objects.filter(pk__in=[alpha.pk, beta.pk]).count() == 2
    # A round with submissions cannot be deleted at all; one nobody answered can.
    assert client.get(reverse("admin:assessments_round_delete",
                              args=[alpha.pk])).status_code == 403
    assert "deletelink" not in client.get(reverse("admin:assessments_round_change",
                                                  args=[alpha.pk])).content.decode()
    assert client.post(reverse("admin:assessments_round_delete", args=[beta.pk]),
                       {"post": "yes"}).status_code == 302
    assert not Round.objects.filter(pk=beta.pk).exists()


def test_a_round_shows_its_framework_version_with_its_status_and_public_page(world, login):
    from survey.framework.services import framework_publish

    framework_publish(framework=framework_new_draft(framework=world.framework))
    client = login(world.user("adam"))
    html = client.get(reverse("admin:assessments_round_change",
                              args=[world.rounds["Alpha"].pk])).content.decode()
    assert reverse("framework:version", args=[world.framework.code, 1]) in html
    assert "v1, Superseded, still used by 2 open rounds" in html
    listing = client.get(reverse("admin:assessments_round_changelist")).content.decode()
    assert "Superseded, still used by 2 open rounds" in listing
    assert "Retired" not in listing


def test_the_admin_home_shows_open_rounds_and_who_is_still_to_submit(world, login,
                                                                   submit_answers):
    alpha = world.rounds["Alpha"]
    alpha.closes_on = datetime.date(2099, 3, 31)
    alpha.save()
    world.rounds["Beta"].status = "closed"
    world.rounds["Beta"].save()
    submit_answers(alpha, world.agencies["Alpha Fire"], {"E1": 4})
    client = login(world.user("adam"))
    html = client.get(reverse("admin:index")).content.decode()
    panel = html[html.index('id="open-rounds"'):html.index("</table>",
                                                         html.index('id="open-rounds"'))]
    assert reverse("admin:assessments_round_change", args=[alpha.pk]) in panel
    assert reverse("results:round", args=[alpha.pk]) in panel
    assert reverse("progress:round", args=[alpha.pk]) in panel
    assert "Alpha round 1" in panel and "31 Mar 2099" in panel
    assert "1 of 2" in panel
    assert "Alpha Police" in panel and "Alpha Fire" not in panel  # still to submit
    assert "Beta round 1" not in panel  # closed


def test_the_admin_home_says_when_no_round_is_open(world, login):
    Round.objects.update(status="closed")
    html = login(world.user("adam")).get(reverse("admin:index")).content.decode()
    assert "No round is open." in html
