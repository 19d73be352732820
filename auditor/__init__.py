"""auditor: static compliance audit of social-care journal exports against written routines."""

__version__ = "0.1.0"
