"""Build shim for ``scrapyd-deploy`` (it runs ``setup.py bdist_egg``): the metadata, packages and
package data are all in ``pyproject.toml``; the egg's ``scrapy`` entry point names the settings."""

from setuptools import setup

setup()
