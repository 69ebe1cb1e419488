"""Matching questions to knowledge entries."""
