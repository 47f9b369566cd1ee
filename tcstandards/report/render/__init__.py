"""Renderers of the Governing Body report: the figures (JSON) drawn as HTML or XLSX, nothing computed."""
