"""年报审查台 core: readers, extractor, checker and store. Pure Python, never imports Qt."""
