"""The answers layer: one question each (names, the disagreement rule, topics, search, the matrix)."""
