"""Admin pages of assessments.actions (imported by assessments.admin)."""
