"""Admin pages of assessments.lessons (imported by assessments.admin)."""
