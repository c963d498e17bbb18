"""Access-matrix rows of the researchers' follow-through page (assessments.research
.followthrough_views; merged into tests/test_access_matrix.py): researchers and
administrators only, read-only (a POST renders the same page: nothing changes)."""

from tests.access_kit import RESEARCH_ONLY, Page

PAGES: dict[str, Page] = {
    "research:followthrough": Page(lambda w: {}, RESEARCH_ONLY, RESEARCH_ONLY),
    "research:followthrough_workbook": Page(lambda w: {}, RESEARCH_ONLY, RESEARCH_ONLY),
    "research:followthrough_export": Page(lambda w: {"name": "movement", "fmt": "csv"},
                                          RESEARCH_ONLY, RESEARCH_ONLY),
}
