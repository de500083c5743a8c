"""Spiders used only by the tests (added to SPIDER_MODULES by the test that needs them)."""
