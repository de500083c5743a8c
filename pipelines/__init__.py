"""lurewatch's detection functions (Scrapy-free) and the thin item pipelines that apply them."""
