"""Choreo Studio: a choreography editor that turns music into full-body dances."""

__version__ = "0.1.0"
