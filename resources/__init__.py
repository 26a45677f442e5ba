"""Files an office may adapt without touching code (templates of the papers it sends)."""
