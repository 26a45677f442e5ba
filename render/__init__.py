"""The papers printed: checklists, the batch summary (and the notices to come) as PDF.

Above ``core`` (which gives the papers as data and HTML), below ``cli`` and ``gui``, which
both call :func:`render.papers.export_papers`. Uses Qt's QTextDocument and QPdfWriter
and draws the summary's charts with QPainter: no window, no widget, works without a
display (the application object is created offscreen when there is none).
"""
