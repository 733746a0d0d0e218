"""The evidence: records, vocabularies, the data files, loading, the YAML reader and the cache."""
