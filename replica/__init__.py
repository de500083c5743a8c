"""An offline replica of the platforms lurewatch crawls (Tumblr, WordPress.com and self-hosted
WordPress, Blogger, the blog-discovery search APIs) plus the landing pages their posts link to.

It serves the platforms' real endpoint formats (see ``../shared/platforms.md``) from a seeded
dataset with known ground truth, and dispatches on the ``Host`` header, so a crawl run with
``LUREWATCH_OFFLINE_ORIGIN`` pointing at it uses the platforms' real URLs unchanged.
"""
