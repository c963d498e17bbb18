"""Inviting partnership leads by email, and accepting an invitation.

An administrator invites a person to lead for an agency in a partnership. A
new person gets an account with no usable password, is made a lead of the
membership at once, and receives a link (signed, single-use, expiring: see
``tokens.py``) to set a password; setting it logs them in and lands them on
their agency's questionnaire. Someone who already has an account is added as a
lead and told so by email (no password to set). Every invitation is recorded.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Invitation, Round
from assessments.questionnaire.services import AssessmentError, person
from assessments.questionnaire.tokens import invitation_token_generator
from bluelight.roles import LEAD


def invitation_link(*, invitation: Invitation, request) -> str:
    """The absolute link in the email (valid until used or expired)."""
    token = invitation_token_generator.make_token(invitation.user)
    path = reverse("questionnaire:invitation_accept",
                   kwargs={"invitation_id": invitation.pk, "token": token})
    return request.build_absolute_uri(path)


@transaction.atomic
def invitation_send(*, membership, email: str, invited_by, request, first_name: str = "",
                    last_name: str = "") -> Invitation:
    """Make the person a lead of the membership and email them; returns the record."""
    User = get_user_model()
    email = User.objects.normalize_email((email or "").strip())
    if not email:
        raise AssessmentError(_("Give the email address of the person to invite."))
    matches = list(User.objects.filter(email__iexact=email)[:2])
    if len(matches) > 1:
        raise AssessmentError(_("More than one account uses %(email)s. Add the right one as a "
                                "lead on the partnership's page instead.") % {"email": email})
    user = matches[0] if matches else None
    if user is None:
        username = email.lower()
        if User.objects.filter(username__iexact=username).exists():
            raise AssessmentError(_("An account named %(name)s exists with another email "
                                    "address. Add it as a lead on the partnership's page "
                                    "instead.") % {"name": username})
        user = User.objects.create_user(username=username, email=email, password=None,
                                        first_name=first_name.strip(),
                                        last_name=last_name.strip())
    elif not user.is_active:
        raise AssessmentError(_("The account %(name)s is deactivated. Activate it under Users "
                                "first.") % {"name": user.get_username()})
    user.groups.add(Group.objects.get(name=LEAD))
    membership.leads.add(user)

    has_account = user.has_usable_password()
    invitation = Invitation.objects.create(
        membership=membership, user=user, email=email, invited_by=invited_by,
        accepted_at=timezone.now() if has_account else None)
    context = {
        "invitation": invitation, "user": user, "membership": membership,
        "agency": membership.agency, "partnership": membership.partnership,
        "invited_by": person(invited_by) if invited_by else None,
        "has_account": has_account, "days": settings.BLUELIGHT_INVITATION_DAYS,
        "expires": invitation.sent_at + invitation_token_generator.valid_for,
        "link": (request.build_absolute_uri(reverse("login")) if has_account
                 else invitation_link(invitation=invitation, request=request)),
    }
    subject = render_to_string("registration/invitation_subject.txt", context).strip()
    body = render_to_string("registration/invitation_email.txt", context)
    send_mail(subject, body, None, [email])
    return invitation


def invitation_is_valid(*, invitation: Invitation | None, token: str) -> bool:
    return invitation is not None and invitation_token_generator.check_token(invitation.user,
                                                                             token)


@transaction.atomic
def invitation_accept(*, invitation: Invitation, token: str, password: str):
    """Set the invited person's password (the link then stops working); returns the user.

    ``password`` must already have passed the password validators (the
    set-password form). Every pending invitation of the person is marked
    accepted.
    """
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=invitation.user_id)
    if not invitation_token_generator.check_token(user, token):
        raise AssessmentError(_("This invitation link has expired or has already been used."))
    user.set_password(password)
    user.save(update_fields=["password"])
    Invitation.objects.filter(user=user, accepted_at__isnull=True).update(
        accepted_at=timezone.now())
    return user


def invitation_landing(*, invitation: Invitation) -> str:
    """Where an accepted invitation leads: the agency's questionnaire in its open round."""
    membership = invitation.membership
    rounds = (Round.objects.filter(partnership_id=membership.partnership_id,
                                   status=Round.Status.OPEN)
              .order_by("-opens_on", "-id"))
    for round in rounds:
        if round.is_open:
            return reverse("questionnaire:start", kwargs={"round_id": round.pk,
                                                    "agency_id": membership.agency_id})
    return reverse("home")
