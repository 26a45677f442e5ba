"""The checker's rule groups, one module each; :func:`core.checker.check` runs them all.

structure (sections, tables, rows, blanks), values (cell validity, fee plausibility),
arithmetic (sums of tables 三 and 四), dates (year, format, publication), labels
(headings and table labels), prose (figures in the text against the tables), content
(sections 一/五/六), crossyear (against the previous report).
"""
