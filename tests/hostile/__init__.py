"""Hostile input: data files and arguments from others get a clear error, never a traceback, a hang or an escape."""
