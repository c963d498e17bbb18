"""Actions a partnership adopts from its action plan (or from scratch), their dated
progress notes, and whether their factor and options moved between rounds (issue 14).
"""
