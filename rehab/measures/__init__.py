"""Outcome questionnaires: the measures log, its scorers and their minimal important changes."""
