"""Inviting a lead by email: a signed, single-use, expiring link to set a password."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from assessments.models import Invitation
from assessments.questionnaire.invitations import invitation_send
from assessments.questionnaire.services import AssessmentError
from assessments.questionnaire.tokens import InvitationTokenGenerator, invitation_token_generator
from bluelight.roles import is_lead

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


def invite(world, email="dana.smith@northshire.example", agency="Alpha Fire", **kw):
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    return invitation_send(membership=world.memberships[agency], email=email,
                           invited_by=world.user("adam"), request=request, **kw)


def link_in(message) -> str:
    return re.search(r"http://testserver(/invitations/\S+/)", message.body).group(1)


def test_an_invitation_creates_a_lead_without_a_password_and_emails_the_link(world):
    invitation = invite(world, first_name="Dana", last_name="Smith")
    user = invitation.user
    assert user.username == "dana.smith@northshire.example"
    assert not user.has_usable_password()
    assert is_lead(user)
    assert world.memberships["Alpha Fire"].leads.filter(pk=user.pk).exists()
    assert (invitation.email, invitation.invited_by, invitation.accepted_at) == (
        "dana.smith@northshire.example", world.user("adam"), None)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dana.smith@northshire.example"]
    assert message.subject == "Invitation: lead the self-assessment for Alpha Fire"
    assert "Hello Dana Smith," in message.body
    assert "adam has made you a partnership lead for Alpha Fire in Alpha" in message.body
    assert "The link works once, for 14 days" in message.body
    assert link_in(message).startswith(f"/invitations/{invitation.pk}/")


def test_the_link_sets_a_password_logs_in_and_lands_on_the_questionnaire(world, client):
    invitation = invite(world)
    link = link_in(mail.outbox[0])
    page = client.get(link)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Set your password" in html and "lead the self-assessment for Alpha Fire in Alpha" \
        in html
    assert "Your username is <strong>dana.smith@northshire.example</strong>" in html

    weak = client.post(link, {"new_password1": "password", "new_password2": "password"})
    assert "This password is too common." in weak.content.decode()

    response = client.post(link, {"new_password1": NEW_PASSWORD,
                                  "new_password2": NEW_PASSWORD})
    questionnaire = reverse("questionnaire:start", args=[world.rounds["Alpha"].pk,
                                                   world.agencies["Alpha Fire"].pk])
    assert response.status_code == 302 and response["Location"] == questionnaire
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.user.check_password(NEW_PASSWORD)
    landed = client.get(questionnaire, follow=True)
    assert "Alpha Fire: Alpha round 1" in landed.content.decode()


def test_the_link_works_once(world, client):
    invite(world)
    link = link_in(mail.outbox[0])
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.logout()
    again = client.get(link)
    assert again.status_code == 400
    assert "This invitation link does not work" in again.content.decode()
    assert "has already been used" in again.content.decode()
    post = client.post(link, {"new_password1": "another-long-passphrase-43",
                              "new_password2": "another-long-passphrase-43"})
    assert post.status_code == 400
    user = get_user_model().objects.get(username="dana.smith@northshire.example")
    assert user.check_password(NEW_PASSWORD)


def test_the_link_expires(world, client, settings, monkeypatch):
    invitation = invite(world)
    link = link_in(mail.outbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    later = invitation_token_generator._now() + timedelta(days=14, minutes=1)
    monkeypatch.setattr(InvitationTokenGenerator, "_now", lambda self: later)
    assert not invitation_token_generator.check_token(invitation.user, token)
    assert client.get(link).status_code == 400
    settings.BLUELIGHT_INVITATION_DAYS = 15
    assert invitation_token_generator.check_token(invitation.user, token)


@pytest.mark.parametrize("tamper", [
    lambda link: link.replace("/invitations/", "/invitations/9"),    # another invitation
    lambda link: link[:-3] + "00/",                                  # a changed token
    lambda link: link.rsplit("/", 2)[0] + "/garbled/",               # not a token at all
])
def test_a_garbled_link_says_what_to_do(world, client, tamper):
    invite(world)
    response = client.get(tamper(link_in(mail.outbox[0])))
    assert response.status_code == 400
    html = response.content.decode()
    assert "This invitation link does not work" in html
    assert "ask the administrator who invited you to send a new invitation" in html


def test_a_password_reset_token_is_not_an_invitation_token(world):
    from django.contrib.auth.tokens import default_token_generator

    invitation = invite(world)
    reset = default_token_generator.make_token(invitation.user)
    assert not invitation_token_generator.check_token(invitation.user, reset)


def test_someone_with_an_account_is_added_and_told_to_log_in(world):
    invitation = invite(world, email="CAROL@example.org", agency="Alpha Police")
    assert invitation.user == world.user("carol")
    assert invitation.accepted_at is not None
    assert world.user("carol").check_password("correct-horse-battery-staple")
    assert world.memberships["Alpha Police"].leads.filter(pk=world.user("carol").pk).exists()
    body = mail.outbox[0].body
    assert "You already have an account (carol). Log in here to start:" in body
    assert "http://testserver/accounts/login/" in body and "/invitations/" not in body


def test_an_invitation_without_an_email_is_refused(world):
    with pytest.raises(AssessmentError, match="Give the email address"):
        invite(world, email="  ")
    assert not Invitation.objects.exists()


# --------------------------------------------------------------------------- the admin page


def test_an_administrator_invites_a_lead_from_the_admin(world, login):
    client = login(world.user("adam"))
    url = reverse("admin:assessments_invitation_add")
    membership = world.memberships["Beta Fire"]
    page = client.get(url + f"?membership={membership.pk}")
    html = page.content.decode()
    assert page.status_code == 200 and "Invite a lead" in html
    assert f'<option value="{membership.pk}" selected>Beta Fire in Beta</option>' in html
    response = client.post(url, {"membership": membership.pk, "email": "new.lead@beta.example",
                                 "first_name": "New", "last_name": "Lead"}, follow=True)
    assert "Invitation sent to new.lead@beta.example to lead for Beta Fire in Beta" in \
        response.content.decode()
    invitation = Invitation.objects.get()
    assert invitation.invited_by == world.user("adam")
    listing = client.get(reverse("admin:assessments_invitation_changelist")).content.decode()
    assert "new.lead@beta.example" in listing and "Waiting" in listing
    assert "/invitations/" in mail.outbox[0].body


def test_the_admin_invite_form_explains_a_bad_email(world, login):
    client = login(world.user("adam"))
    response = client.post(reverse("admin:assessments_invitation_add"),
                           {"membership": world.memberships["Beta Fire"].pk, "email": "nope"})
    assert "Enter a valid email address." in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_sending_again_records_a_new_invitation(world, login):
    invite(world)
    client = login(world.user("adam"))
    first = Invitation.objects.get()
    client.post(reverse("admin:assessments_invitation_changelist"),
                {"action": "send_again", "_selected_action": [first.pk]})
    assert Invitation.objects.count() == 2 and len(mail.outbox) == 2


@pytest.mark.parametrize("username", ["alice", "rita"])
def test_only_administrators_can_invite(world, login, username):
    response = login(world.user(username)).get(reverse("admin:assessments_invitation_add"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
