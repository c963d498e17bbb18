"""Lessons a partnership records, sharing them, the administrators' review, and the
published "what works" library (issue 14).
"""
