"""Reading the facts of a project from the words people write about it (建设规模及内容)."""

from compliance.extract.extractor import Conflict, Extraction, Reading, extract

__all__ = ["Conflict", "Extraction", "Reading", "extract"]
