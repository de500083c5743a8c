"""The Kibana saved objects shipped with lurewatch (``lurewatch.ndjson``), as package data.

``lurewatch kibana import`` finds the file through ``importlib.resources``; ``kibana/build.py``
regenerates it in a checkout.
"""
