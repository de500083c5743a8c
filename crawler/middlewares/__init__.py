"""Downloader middlewares of lurewatch."""
