"""What the program ships that is not code (read through :mod:`core.resources`).

A package only so that an installed copy carries these files (pyproject package-data).
"""
