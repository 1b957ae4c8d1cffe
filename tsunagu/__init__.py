"""tsunagu: a city's multi-layered welfare support data, validated, as a static site."""

__all__ = ["DataError", "DataErrors", "load_guide"]


def __getattr__(name: str):
    """Loaded on first use, so that a process needing one small module (the offline copy's zip
    process) does not load the data model."""
    if name in ("DataError", "DataErrors"):
        from .data import errors
        return getattr(errors, name)
    if name == "load_guide":
        from .site.checks import load_guide
        return load_guide
    raise AttributeError(f"module 'tsunagu' has no attribute {name!r}")
