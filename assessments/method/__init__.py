"""The published method as a page: "How the levels are worked out".

Public: it shows a framework version's thresholds and links, as stored, and a
worked example scored for real by :mod:`assessments.scoring`; it holds no
partnership's data. The method in full is ``docs/scoring-method.md``.
"""
