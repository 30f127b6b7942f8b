"""The `gen` command line: thin commands over the library; the only place with exit statuses,
colours and click. One module per family of commands, all on the group of `base`."""

from generator.cli import check, documents, reminders  # noqa: F401  (they register commands)
from generator.cli.base import cli, main

__all__ = ["cli", "main"]
