"""tsunagu: a city's multi-layered welfare support data, validated, as a static site."""

from .errors import DataError, DataErrors
from .load import load_guide

__all__ = ["DataError", "DataErrors", "load_guide"]
