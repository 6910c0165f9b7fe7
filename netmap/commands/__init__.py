"""Command modules: each defines click commands in COMMANDS, registered by netmap.cli."""
