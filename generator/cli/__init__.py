"""The `gen` command line: thin commands over the library; the only place with exit statuses,
colours and click. One module per family of commands, all on the group of `base`."""

# each module registers its commands on the group
from generator.cli import check, collect, documents, reminders, views  # noqa: F401
from generator.cli.base import cli, main

__all__ = ["cli", "main"]
