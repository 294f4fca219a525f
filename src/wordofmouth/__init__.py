"""wordofmouth: who brought each customer, and what is owed to whom."""

__version__ = "0.1.0"
