"""The watchlists shipped with lurewatch (``*.yaml``), installed as package data.

A data-only package: nothing to import. ``pipelines.watchlists`` finds the files through
``importlib.resources``, so a wheel, an editable install and a checkout read the same files.
"""
