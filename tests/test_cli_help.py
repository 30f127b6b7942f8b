"""Every command explains itself: `--help` works and shows an example."""

from __future__ import annotations

import errno
import io
import sys

import click
import pytest
from click.testing import CliRunner

from generator.cli import cli


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*prefix, name)))
    return found


def test_the_expected_commands_exist() -> None:
    names = {" ".join(c) for c in _commands(cli)}
    expected = {"init", "check", "definitions", "approvals", "conventions", "evaluations",
                "reminders", "all", "templates", "templates check", "dashboard", "calendar"}
    assert expected <= names


@pytest.mark.parametrize("command", _commands(cli), ids=" ".join)
def test_every_command_has_help_with_an_example(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Exemple" in result.output, f"« gen {' '.join(command)} --help » sans exemple"
    assert "Show this message" not in result.output  # the help speaks French throughout


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("gen ")


def test_reminders_reason_choices_are_the_plans_reasons() -> None:
    # The CLI reads the reasons from the declaration of the process, in French words.
    from generator.process import REASON_KEYS, REASON_WORDS

    command = cli.commands["reminders"]
    (option,) = [p for p in command.params if p.name == "reasons"]
    assert isinstance(option.type, click.Choice)
    assert tuple(option.type.choices) == tuple(REASON_WORDS[key] for key in REASON_KEYS)
    assert "approval" not in option.type.choices and "accord" in option.type.choices


def test_all_lists_every_document_kind() -> None:
    from generator.process import DOCUMENT_KINDS

    help_text = " ".join(CliRunner().invoke(cli, ["all", "--help"]).output.split())
    for kind in DOCUMENT_KINDS:
        assert kind.title[1:] in help_text, kind.key


def test_format_option_says_what_each_choice_gives() -> None:
    help_text = " ".join(CliRunner().invoke(cli, ["check", "--help"]).output.split())
    assert "--format [text|json]" in help_text  # the choices are cli.md's contract
    assert "text : lisible" in help_text and "json : pour un programme" in help_text



class _ClosedPipe(io.StringIO):
    """A stdout whose reader has gone, as behind `| head -1`."""

    def write(self, _text: str) -> int:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def test_a_closed_stdout_ends_quietly(monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """`gen templates check | head`: gen stops without a message, as Unix tools do."""
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    with pytest.raises(SystemExit):
        cli.main(["templates", "check"], prog_name="gen")
    assert capsys.readouterr().err == ""
