""""How the levels are worked out": the thresholds and links of a framework version as
stored, and a worked example scored for real, for anyone, linked from every dashboard."""

import re
from dataclasses import replace

import pytest
from django.urls import reverse
from django.utils import translation

from assessments.frameworks import framework_spec
from assessments.method.example import example_roles, worked_example
from survey.framework.services import framework_new_draft, framework_publish
from survey.models import Framework


def method_url(framework):
    return reverse("method:version", args=[framework.code, framework.version])


def thresholds_shown(html: str) -> dict[str, str]:
    """The table of thresholds on the page: field name -> value as written."""
    return dict(re.findall(r'<tr data-threshold="(\w+)">.*?<td[^>]*>([^<]*)</td>', html,
                           flags=re.S))


def example_levels(html: str) -> dict[str, str]:
    """The worked example's options: code -> level as written ("Level 1")."""
    return dict(re.findall(r'<tr data-option="(\w+)">.*?class="bl-level[^"]*">([^<]*)</td>',
                           html, flags=re.S))


def example_reasons(html: str, option: str) -> str:
    """The reasons the worked example gives for an option's level, as written."""
    return re.search(rf'<dd data-option="{option}">(.*?)</dd>', html, flags=re.S).group(1)


@pytest.fixture
def stricter(framework):
    """Version 2 of the framework, published, with a significant barrier from a highest
    answer of 2 (not 4) and two thirds of support enough (not three quarters)."""
    draft = framework_new_draft(framework=framework)
    draft.barrier_significant_max = 2
    draft.support_share_min = 0.66
    draft.save()
    return framework_publish(framework=draft)


def test_anyone_may_read_the_method_of_the_current_version(client, framework):
    html = client.get(reverse("method:page")).content.decode()

    assert "How the levels are worked out" in html
    assert thresholds_shown(html) == {
        "divergence_spread": "2", "enabler_weak_mean": "3", "enabler_weak_min": "2",
        "enabler_strong_mean": "4", "enabler_strong_min": "3", "enabler_absent_mean": "2",
        "barrier_key_max": "5", "barrier_significant_max": "4",
        "barrier_significant_mean": "3", "min_agencies": "2", "support_value": "4",
        "oppose_value": "2", "support_share_min": "0.75"}
    assert "it must reach 75%" in html
    assert "every enabler and barrier has the weight 1" in html


def test_each_version_shows_its_own_thresholds(client, framework, stricter):
    current = thresholds_shown(client.get(reverse("method:page")).content.decode())
    first = thresholds_shown(client.get(method_url(framework)).content.decode())

    assert current["barrier_significant_max"] == "2" and current["support_share_min"] == "0.66"
    assert first["barrier_significant_max"] == "4" and first["support_share_min"] == "0.75"
    assert client.get(method_url(stricter)).content.decode().count("it must reach 66%") == 1


def test_the_worked_example_puts_one_option_at_each_level(client, framework):
    html = client.get(method_url(framework)).content.decode()

    assert example_levels(html) == {"O1": "Level 1", "O2": "Level 2", "O3": "Level 3"}
    assert "E4 Agreed, realistic timeline and delivery pathway is weak" in example_reasons(
        html, "O2")
    assert "Fire and rescue opposes this" in example_reasons(html, "O3")
    # 0.7 × ES + 0.3 × (100 − BS) with ES = (83.33 + 41.67) / 2 and BS = (16.67 + 50) / 2
    assert "= <strong>63.8</strong> out of 100" in html


def test_the_worked_example_follows_a_changed_threshold(client, framework, stricter):
    before = client.get(method_url(framework)).content.decode()
    after = client.get(method_url(stricter)).content.decode()

    # B2 (highest answer 2) is minor under version 1 and significant under version 2.
    assert example_levels(before)["O1"] == "Level 1"
    assert example_levels(after)["O1"] == "Level 2"
    assert "B2 Funding streams and cycles is a significant barrier" in example_reasons(
        after, "O1")


def test_the_example_is_scored_with_the_thresholds_it_is_given(framework):
    spec = framework_spec(framework=framework)
    roles = example_roles(spec)
    lenient = replace(spec, thresholds=replace(spec.thresholds, enabler_weak_min=1,
                                               enabler_weak_mean=2.5))

    levels = {o.option.code: o.option.level
              for o in worked_example(spec=lenient, scales={}).options}

    # E4 (average 2.67, lowest 2) is no longer weak, so O2 has nothing left but B6.
    assert roles["weak_enabler"] == "E4" and roles["significant_barrier"] == "B6"
    assert levels == {"O1": 1, "O2": 2, "O3": 3}
    o2 = next(o for o in worked_example(spec=lenient, scales={}).options
              if o.option.code == "O2")
    assert [r.code for r in o2.option.reasons] == ["significant_barrier"]


def test_an_unknown_version_is_not_found(client, framework):
    assert client.get(reverse("method:version", args=["esc-2015", 99])).status_code == 404
    assert client.get(reverse("method:version", args=["no-such-framework", 1])
                      ).status_code == 404


def test_a_draft_is_shown_to_administrators_only(client, world, login):
    draft = framework_new_draft(framework=world.framework)
    draft.enabler_weak_min = 1
    draft.save()
    url = method_url(draft)

    assert client.get(url).status_code == 404
    assert login(world.user("alice")).get(url).status_code == 404
    html = login(world.user("adam")).get(url).content.decode()
    assert "This version is a draft" in html
    assert thresholds_shown(html)["enabler_weak_min"] == "1"


def test_a_retired_version_says_so_and_links_to_the_others(client, framework, stricter):
    html = client.get(method_url(framework)).content.decode()

    assert "This version is retired" in html
    assert f'href="{method_url(stricter)}"' in html


def test_every_results_dashboard_links_to_the_method_of_its_rounds_version(
        world, login, submit_answers, stricter):
    round_ = world.rounds["Alpha"]  # opened on version 1, before version 2 was published
    waiting = login(world.user("alice")).get(reverse("results:round", args=[round_.pk]))
    for agency in ("Alpha Police", "Alpha Fire"):
        submit_answers(round_, world.agencies[agency], {"E1": 4, "B1": 2, "O1": 4})
    ready = login(world.user("alice")).get(reverse("results:round", args=[round_.pk]))

    for page in (waiting, ready):
        assert page.status_code == 200
        assert f'href="{method_url(world.framework)}"' in page.content.decode()
    assert Framework.objects.current() == stricter


def test_the_framework_page_links_to_the_method_of_its_version(client, framework):
    html = client.get(reverse("framework:page")).content.decode()

    assert f'href="{method_url(framework)}"' in html


def test_the_page_is_in_welsh_for_a_welsh_reader(client, framework):
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    html = client.get(reverse("method:page")).content.decode()

    with translation.override("cy"):
        heading = translation.gettext("How the levels are worked out")
    assert heading != "How the levels are worked out"
    assert f"<h1>{heading}</h1>" in html
    assert "Gweledigaeth glir a chyffredin" in html  # E1's title, as the version stores it
    assert "every enabler and barrier" not in html
