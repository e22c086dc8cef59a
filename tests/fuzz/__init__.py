"""Fuzz tests: generated valid and near-valid input for the form parser, the checker and the CLI."""
