"""Researchers' writes: the record of anonymised answer downloads (differencing guard).

Small-group suppression hides a figure computed over fewer than the minimum
group size (``BLUELIGHT_MIN_GROUP_SIZE``) partnerships. Two selections that
differ by a few partnerships undo it: with six partnerships, the download of
all six minus the download of five gives the sixth's answers. So each
anonymised answer download is recorded (the set of partnerships, per person),
and a new selection that differs from one already downloaded by the same
person by at least one but fewer than the minimum group size is refused. The
same selection again, or one that differs by the minimum or more (a disjoint
one, say), is allowed.

What this does not cover is said on the research page and in the README: the
tables and charts on the page (researchers may open named dashboards anyway).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import AnswersDownload


class DifferencingRefused(Exception):
    """The selection is too close to one the person downloaded before."""

    def __init__(self, *, differs_by: int, min_group: int, earlier: datetime,
                 earlier_selection: str):
        super().__init__(differs_by, min_group)
        self.differs_by = differs_by
        self.min_group = min_group
        self.earlier = earlier
        self.earlier_selection = earlier_selection

    @property
    def message(self) -> str:
        return ngettext(
            "This selection differs by only %(n)d partnership from one you downloaded on "
            "%(date)s (%(selection)s). Comparing the two files would single out that "
            "partnership's answers, so the download is refused: choose a selection that "
            "differs by at least %(min)d partnerships from every one you have downloaded, "
            "or download the same selection again.",
            "This selection differs by only %(n)d partnerships from one you downloaded on "
            "%(date)s (%(selection)s). Comparing the two files would single out those "
            "partnerships' answers, so the download is refused: choose a selection that "
            "differs by at least %(min)d partnerships from every one you have downloaded, "
            "or download the same selection again.",
            self.differs_by) % {
            "n": self.differs_by, "min": self.min_group,
            "date": timezone.localtime(self.earlier).strftime("%Y-%m-%d %H:%M"),
            "selection": self.earlier_selection or _("another selection")}

    def __str__(self) -> str:
        return self.message


def differencing_check(*, user, partnerships: Collection[int], min_group: int) -> None:
    """Raise :class:`DifferencingRefused` when ``partnerships`` differs from a selection
    ``user`` already downloaded by at least one and fewer than ``min_group``."""
    chosen = frozenset(int(p) for p in partnerships)
    for earlier in AnswersDownload.objects.filter(user=user).order_by("-downloaded_at", "-id"):
        differs_by = len(chosen ^ frozenset(earlier.partnerships))
        if 0 < differs_by < min_group:
            raise DifferencingRefused(differs_by=differs_by, min_group=min_group,
                                      earlier=earlier.downloaded_at,
                                      earlier_selection=earlier.selection)


@transaction.atomic
def answers_download_record(*, user, partnerships: Collection[int], min_group: int,
                            selection: str = "") -> AnswersDownload:
    """Check ``partnerships`` against the person's earlier downloads, then record it.

    Raises :class:`DifferencingRefused` (nothing recorded). The same set
    downloaded again is not recorded twice.
    """
    # Lock the person's row so two downloads at once are checked one after the other.
    get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
    differencing_check(user=user, partnerships=partnerships, min_group=min_group)
    ids = sorted({int(p) for p in partnerships})
    same = [d for d in AnswersDownload.objects.filter(user=user) if d.partnerships == ids]
    if same:
        return same[0]
    return AnswersDownload.objects.create(user=user, partnerships=ids, selection=selection)
