"""Batch screening: a list of projects (CSV, XLSX, JSONL) in, one result per row out.

readers → rows (cells → form) → runner (checkers in worker processes) → summary and writers.
The batch is a presenter of the core: it uses `Checker` and never reaches into the engine.
"""
