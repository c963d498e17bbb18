"""A round's progress: each agency, its leads, answered of all items, last saved, submitted."""
