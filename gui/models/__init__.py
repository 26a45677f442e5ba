"""Qt models, one per view: statutory tables, report list, findings, import status."""
