"""crps: what the sources say about CRPS treatments, side by side, with their studies."""

__version__ = "0.1.0"
# The date the shipped data was last brought in line with the source documents.
DATA_DATE = "2026-11-21"
