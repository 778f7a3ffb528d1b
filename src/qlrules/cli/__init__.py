"""The `qlrules` command: a group of thin commands, each in its own module, imported only when run.

A command parses its arguments, calls the library, and lets `user_errors`
turn what the user caused into a message and exit status 1; click's own
usage errors exit 2 (docs/scoring.md, “Exit status”). Everything a command
says, click's words included, is in one language (`.lang`).
"""

from __future__ import annotations

import importlib

import click

from ..i18n import N_, _
from .lang import Group, option


class LazyGroup(Group):
    """Commands are imported only when run (or listed by --help).

    `qlrules score` then pays for nothing other commands import (openpyxl,
    Lark, the authoring tools). The pattern is click's own documented one.
    Every command is lazy, so tools that list a group's commands (sphinx-click)
    see all of them through `list_commands`.
    """

    #: command name -> "module:attribute", relative to this package.
    lazy_commands: dict[str, str] = {
        "score": ".score:score",
        "check": ".check:check",
        "fmt": ".fmt:fmt",
        "diff": ".diff:diff",
        "test": ".test:test",
        "draft": ".draft:draft",
        "template": ".template:template",
        "schema": ".schema:schema",
        "serve": ".serve:serve",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy_commands])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy_commands:
            module, attribute = self.lazy_commands[name].split(":")
            command = getattr(importlib.import_module(module, __name__), attribute)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, name)


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from .. import __version__

        click.echo(_("{program}, version {version}").format(program=ctx.find_root().info_name, version=__version__))
        ctx.exit()


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("Score agencies against an integrity-assessment rubric, exactly and explained."))
@option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version, help=N_("Show the version and exit."))
def main() -> None:
    """The `qlrules` group: its options (--lang, --version, -h) act before any command runs."""


if __name__ == "__main__":  # pragma: no cover
    main()
