"""The command line: every command as a user meets it, and shell completion."""
