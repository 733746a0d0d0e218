"""The evidence layer: loading and its problem codes, the YAML reader, the cache, and the shipped data itself."""
