"""The takedown feed, Scrapy-free: from confirmed hits to evidenced requests and verified removal.

- :mod:`~pipelines.takedowns.config`: settings (:class:`TakedownConfig`), durations;
- :mod:`~pipelines.takedowns.store`: the hit index (queries, version-guarded updates);
- :mod:`~pipelines.takedowns.channels`: which abuse desk hears about a hit;
- :mod:`~pipelines.takedowns.rdap`: registrar and hosting abuse contacts (RDAP), security.txt;
- :mod:`~pipelines.takedowns.campaigns`: clusters of hits (shared links, MinHash near duplicates);
- :mod:`~pipelines.takedowns.incidents`: one reported URL and its X-ARF v4 report;
- :mod:`~pipelines.takedowns.notices`, :mod:`~pipelines.takedowns.writers`: the files;
- :mod:`~pipelines.takedowns.export`: ``takedowns export``;
- :mod:`~pipelines.takedowns.recheck`: ``takedowns recheck`` (removal, time to removal);
- :mod:`~pipelines.takedowns.review`: ``hits mark``;
- :mod:`~pipelines.takedowns.report`: ``report`` (self-contained HTML).
"""
