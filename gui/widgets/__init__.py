"""The window's panels: tables, source view, findings, report list, import progress."""
