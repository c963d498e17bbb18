"""Who may see and change a partnership's actions.

* The leads of any agency of the partnership: see and change them (adopt, edit, notes).
* Administrators: see them (they change them in the admin, where every change is
  recorded too); the pages' forms refuse them (403).
* A lead of another partnership: 404, as if the partnership did not exist.
* Researchers and people with no role: 403 (the views' ``role_required``);
  researchers see aggregates on the research pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from assessments.models import Membership, Partnership
from bluelight.roles import is_administrator, is_lead


@dataclass(frozen=True)
class Place:
    partnership: Partnership
    may_edit: bool


def partnership_place(user, partnership_id: int) -> Place:
    """The partnership and whether ``user`` may change its actions (one query), or 404."""
    if is_lead(user):
        membership = (Membership.objects.filter(partnership_id=partnership_id, leads=user)
                      .select_related("partnership").first())
        if membership is not None:
            return Place(partnership=membership.partnership, may_edit=True)
    if is_administrator(user):
        partnership = Partnership.objects.filter(pk=partnership_id).first()
        if partnership is not None:
            return Place(partnership=partnership, may_edit=False)
    raise Http404(_("No such partnership."))


def partnership_to_edit(user, partnership_id: int) -> Partnership:
    """The partnership, if ``user`` may change its actions: 404 if they may not see it,
    403 if they may only see it (administrators)."""
    place = partnership_place(user, partnership_id)
    if not place.may_edit:
        raise PermissionDenied
    return place.partnership
