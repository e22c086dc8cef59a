"""Compliance checking of industrial projects against Chinese policy documents.

Rules are cited data (`rules/*.yaml`); every verdict quotes the clause it rests on.
"""

__version__ = "0.1.0"
