"""Screens of Tend: one module per screen, each with its own .tcss file."""
