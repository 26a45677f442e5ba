"""The command line: everything the window does, headless. Above ``core``, beside ``gui``."""

from cli.main import main

__all__ = ["main"]
