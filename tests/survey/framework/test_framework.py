"""The published framework as versioned data (issue: Foundation)."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.db.models import ProtectedError

from assessments.frameworks import framework_spec
from survey.framework.services import (
    DEFAULT_FRAMEWORK_FILE,
    framework_load,
    framework_new_draft,
    framework_publish,
)
from survey.models import (
    Framework,
    FrameworkLocked,
    Item,
    Scale,
)

SPEC_LINKS = {  # docs/scoring-method.md, "Default links"
    "O1": ("E1 E3 E6", "B2 B3"), "O2": ("E1 E4 E6", "B3 B6"), "O3": ("E3 E5 E6", "B2 B5"),
    "O4": ("E2 E3 E7", "B2 B3"), "O5": ("E1 E5", "B2 B6"), "O6": ("E1 E2", "B1"),
    "O7": ("E2 E6", "B3 B5"), "O8": ("E2 E4", "B3"), "O9": ("E2 E7", "B3 B4 B5"),
    "O10": ("E2 E6 E7", "B3 B5"), "O11": ("E3 E6", "B3"), "O12": ("E2 E3", "B2 B4"),
    "O13": ("E1 E2", "B1"), "O14": ("E5", "B6"), "O15": ("E5 E6", "B5 B6"),
    "O16": ("E2 E3 E6 E7", "B2 B3 B4"), "O17": ("E3 E5 E6", "B2 B5 B6"),
    "O18": ("E2 E3", "B3 B4 B5"), "O19": ("E3 E5", "B2 B4"), "O20": ("E5 E6", "B5 B6"),
}
SPEC_LEVELS = {f"O{i}": 1 for i in range(1, 9)} | {f"O{i}": 2 for i in range(9, 16)} | {
    f"O{i}": 3 for i in range(16, 21)}
SPEC_THEMES = {"E1": "clear_vision", "E4": "clear_vision", "E5": "clear_vision",
               "E3": "consistency", "E6": "consistency", "B1": "consistency",
               "B2": "consistency", "B5": "consistency", "B6": "consistency",
               "E2": "culture", "E7": "culture", "B3": "culture", "B4": "culture"}


def test_fixture_loads_exactly_the_codes_levels_links_and_themes_of_the_spec(framework):
    assert framework.status == Framework.Status.PUBLISHED
    assert Framework.objects.current() == framework
    items = {i.code: i for i in framework.items.all()}
    assert sorted(c for c, i in items.items() if i.kind == "enabler") == [
        f"E{i}" for i in range(1, 8)]
    assert sorted(c for c, i in items.items() if i.kind == "barrier") == [
        f"B{i}" for i in range(1, 7)]
    assert sorted((c for c, i in items.items() if i.kind == "option"),
                  key=lambda c: int(c[1:])) == [f"O{i}" for i in range(1, 21)]
    assert items["E2"].title == "Trust at all levels"
    assert items["O20"].title == "Police devolution"
    spec = framework_spec(framework=framework)
    assert {o.code: o.published_level for o in spec.options} == SPEC_LEVELS
    assert {o.code: (" ".join(o.enablers), " ".join(o.barriers))
            for o in spec.options} == SPEC_LINKS
    assert {f.code: f.theme for f in spec.factors} == SPEC_THEMES
    assert spec.thresholds.support_share_min == 0.75
    assert spec.thresholds.min_agencies == 2
    scale = framework.scales.get(kind="barrier")
    assert [label for _, label in scale.labels] == [
        "Not at all", "Slightly", "Moderately", "Significantly", "Blocking"]
    assert all(i.help_text for i in items.values()), "every item has help text"


def test_loading_twice_changes_nothing(framework):
    counts = (Framework.objects.count(), Item.objects.count(), Scale.objects.count(),
              Framework.history.count(), Item.history.count())
    again, created = framework_load()
    assert not created and again == framework
    call_command("load_framework")
    assert counts == (Framework.objects.count(), Item.objects.count(), Scale.objects.count(),
                      Framework.history.count(), Item.history.count())


def test_loading_a_changed_file_with_the_same_version_is_refused(framework, tmp_path):
    doc = json.loads(DEFAULT_FRAMEWORK_FILE.read_text())
    doc["enablers"][0]["title"] = "Something else"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(doc))
    with pytest.raises(ValidationError, match="already loaded with different definitions"):
        framework_load(path=changed)
    assert framework.items.get(code="E1").title == "Clear and shared vision"


def test_published_framework_refuses_edits(framework):
    framework.enabler_weak_mean = 2.5
    with pytest.raises(FrameworkLocked), transaction.atomic():
        framework.save()
    item = framework.items.get(code="E1")
    item.title = "Changed"
    with pytest.raises(FrameworkLocked), transaction.atomic():
        item.save()
    option = framework.items.get(code="O1")
    with pytest.raises(FrameworkLocked), transaction.atomic():
        option.enablers.add(framework.items.get(code="E2"))
    scale = framework.scales.get(kind="enabler")
    scale.label_1 = "Changed"
    with pytest.raises(FrameworkLocked), transaction.atomic():
        scale.save()
    with pytest.raises(FrameworkLocked), transaction.atomic():
        framework.delete()
    framework.refresh_from_db()
    assert framework.enabler_weak_mean == 3.0
    assert framework.items.get(code="E1").title == "Clear and shared vision"
    assert option.enablers.count() == 3


def test_new_draft_copies_everything_and_publishing_retires_the_old(framework):
    draft = framework_new_draft(framework=framework)
    assert (draft.code, draft.version, draft.status) == (framework.code, 2, "draft")
    assert draft.created_from == framework
    assert framework_spec(framework=draft) == framework_spec(framework=framework)
    assert draft.scales.count() == 3
    # The draft is editable; the original is not touched.
    e1 = draft.items.get(code="E1")
    e1.help_text = "Edited help"
    e1.save()
    draft.support_share_min = 0.8
    draft.save()
    draft.items.get(code="O1").enablers.remove(draft.items.get(code="E1"))
    assert framework.items.get(code="E1").help_text != "Edited help"
    assert framework.items.get(code="O1").enablers.filter(code="E1").exists()

    framework_publish(framework=draft)
    framework.refresh_from_db()
    assert framework.status == Framework.Status.RETIRED
    assert Framework.objects.current() == draft
    assert framework_spec(framework=Framework.objects.current()).thresholds.support_share_min == 0.8


def test_round_keeps_its_version_after_a_new_one_is_published(world):
    old_round = world.rounds["Alpha"]
    draft = framework_new_draft(framework=world.framework)
    framework_publish(framework=draft)
    old_round.refresh_from_db()
    assert old_round.framework == world.framework
    assert old_round.framework.items.get(code="E1").help_text == (
        world.framework.items.get(code="E1").help_text)


def test_publishing_an_incomplete_draft_is_refused_with_reasons(framework):
    draft = framework_new_draft(framework=framework)
    draft.scales.filter(kind="option").delete()
    with pytest.raises(ValidationError) as refused:
        framework_publish(framework=draft)
    assert "The rating scale for collaboration option is missing." in refused.value.messages


def test_thresholds_are_validated(framework):
    draft = framework_new_draft(framework=framework)
    draft.support_share_min = 1.5
    draft.oppose_value = 4
    with pytest.raises(ValidationError) as invalid:
        draft.full_clean()
    assert "support_share_min" in invalid.value.message_dict
    assert "oppose_value" in invalid.value.message_dict


def test_deleting_an_answered_factor_is_refused(world):
    from assessments.models import Answer, Submission

    draft = framework_new_draft(framework=world.framework)
    item = draft.items.get(code="E3")
    submission = Submission.objects.create(round=world.rounds["Alpha"],
                                           agency=world.agencies["Alpha Police"])
    Answer.objects.create(submission=submission, item=item, value=3)
    with pytest.raises(ProtectedError), transaction.atomic():
        item.delete()
    assert draft.items.filter(code="E3").exists()


# --------------------------------------------------------------------------- issue 12:
# the public page shows the current version and opens the earlier ones.


def test_framework_page_shows_the_current_version_and_lists_the_others(world, client):
    from django.urls import reverse
    from django.utils import timezone

    v2 = framework_new_draft(framework=world.framework)
    Item.objects.filter(framework=v2, code="E2").update(title="Trust, chiefs to crews")
    framework_publish(framework=v2)
    framework_new_draft(framework=v2)  # a draft (v3) is not public
    html = client.get(reverse("framework:page")).content.decode()
    assert "version 2." in html and "Code esc-2015" in html
    published = timezone.localtime(Framework.objects.get(pk=v2.pk).published_at)
    assert f"published on {published:%-d %B %Y}" in html
    assert "Trust, chiefs to crews" in html
    assert 'id="earlier-version"' not in html
    v1_url = reverse("framework:version", args=["esc-2015", 1])
    versions = html[html.index('id="versions"'):]
    assert f'href="{v1_url}"' in versions
    assert "Superseded, still used by 2 open rounds" in versions
    assert "Version 3" not in versions
    assert client.get(reverse("framework:version", args=["esc-2015", 3])).status_code == 404
    assert client.get(reverse("framework:version", args=["nope", 1])).status_code == 404

    old = client.get(v1_url).content.decode()
    assert 'id="earlier-version"' in old and "See the current version (2)" in old
    assert "version 1." in old and "Trust at all levels" in old
    assert "Trust, chiefs to crews" not in old


def test_a_rounds_questionnaire_and_results_link_to_its_version(world, login):
    from django.urls import reverse

    framework_publish(framework=framework_new_draft(framework=world.framework))
    link = reverse("framework:version", args=[world.framework.code, world.framework.version])
    client = login(world.user("alice"))
    alpha = world.rounds["Alpha"]
    page = client.get(reverse("questionnaire:start",
                              args=[alpha.pk, world.agencies["Alpha Police"].pk]), follow=True)
    assert page.status_code == 200
    assert f'href="{link}"' in page.content.decode()
    results = client.get(reverse("results:round", args=[alpha.pk])).content.decode()
    assert f'href="{link}"' in results
