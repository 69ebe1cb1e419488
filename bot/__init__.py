"""svbot: a Slack assistant for considering social value in UK public procurement."""

__version__ = "0.1.0"
