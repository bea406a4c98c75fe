"""Renderers: turn a typed Report into Markdown, plain text, JSON or chat messages.

Each renderer reads only ``core.report`` objects and ``core.formatting``; none computes a figure.
"""
