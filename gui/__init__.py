"""年报审查台 GUI (PySide6). Everything that imports Qt lives here; core/ stays Qt-free."""
