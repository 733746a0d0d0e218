"""The whole tool: golden screens, the scripting contract, the installed command, the docs and the layering."""
