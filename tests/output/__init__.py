"""The output layer: tables, piped text, narrow screens, citation formats, the brief, colour and pager."""
