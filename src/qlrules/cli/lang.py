"""The command line in one language: click's own words and qlrules' help, chosen before the arguments are parsed.

How it works, in three parts:

1. **When the language is chosen.** `Command.main` (the entry point of ``qlrules`` and of every
   command run alone) reads ``--lang zh|en`` from the raw arguments, wherever it stands, before
   click parses them; without it, `qlrules.i18n` reads ``QLRULES_LANG`` and the locale. So a
   usage error of the very command line that says ``--lang zh`` is in Chinese. Every command
   takes ``--lang`` (`Command` adds it), so ``qlrules score a.xlsx --lang zh`` works too. The
   choice lasts for that run only (`qlrules.i18n.use_language`).

2. **click's own words** ("Usage:", "Error: No such option", "Missing argument", "Options",
   "Show this message and exit." …). click asks `gettext` for them, through the ``_`` and
   ``ngettext`` each of its modules imports (``from gettext import gettext as _``); it has no
   catalog of its own. `install` puts translating functions in those modules' place, once: while
   a qlrules command runs they answer from the catalog ``locale/zh_CN/LC_MESSAGES/click.po``, whose
   message ids are extracted from the installed click itself (``make messages``); at any other
   time they are gettext's own, so a program that uses click beside qlrules is unaffected.

3. **qlrules' own help** (each command's and option's help, the argument names, the words of
   the usage line) is written as English message ids (`N_`) and translated when click reads it:
   `Command`, `Group`, `Option` and `Argument` keep the ids and give ``help``, ``short_help`` and
   ``metavar`` in the current language, and `PathType` and `IntRange` say what they are ("file",
   "integer range") in it. Nothing is translated when a module is imported, so one process can
   run commands in both languages (tests, embedding) and each says everything in its own.

And one matter of layout: click measures text in characters, a Chinese one takes two columns, so
`HelpFormatter` lays out help that holds Chinese by columns (help without is click's own layout).
"""

from __future__ import annotations

import functools
import gettext
import importlib
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import click

from ..i18n import LANGUAGES, N_, _, current_language, set_language, translations, use_language

F = TypeVar("F", bound=Callable[..., Any])

#: The catalog of click's own messages, beside qlrules' own (``qlrules.po``).
CLICK_DOMAIN = "click"
#: click's modules that ask gettext for the words a user sees.
CLICK_MODULES = ("click.core", "click.decorators", "click.exceptions", "click.formatting", "click.parser",
                 "click.termui", "click.types", "click.utils")

_running: ContextVar[bool] = ContextVar("qlrules_command_running", default=False)


# -- click's own words ------------------------------------------------------------------------------


def click_gettext(message: str) -> str:
    """click's ``_``: its message in the current language while a qlrules command runs, else gettext's answer."""
    if _running.get():
        return translations(current_language(), CLICK_DOMAIN).gettext(message)
    return gettext.gettext(message)


def click_ngettext(singular: str, plural: str, n: int) -> str:
    """click's ``ngettext``, as `click_gettext`."""
    if _running.get():
        return translations(current_language(), CLICK_DOMAIN).ngettext(singular, plural, n)
    return gettext.ngettext(singular, plural, n)


@functools.cache
def install() -> None:
    """Give click's modules the translating ``_`` and ``ngettext`` (once; they look them up when they speak)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = click_gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = click_ngettext  # type: ignore[attr-defined]


@contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Within the block, a qlrules command runs in ``language`` (None: the environment's), click's words included."""
    install()
    token = _running.set(True)
    try:
        with use_language(language):
            yield
    finally:
        _running.reset(token)


def language_asked(arguments: Sequence[str]) -> str | None:
    """The language the raw command line asks for (``--lang zh``, ``--lang=en``; the last one wins), else None.

    Read before click parses the line, so that its own errors are already in that language. A
    value that is not a language is left for click to refuse; ``--`` ends the options.
    """
    asked = None
    for index, word in enumerate(arguments):
        if word == "--":
            break
        value = arguments[index + 1] if word == "--lang" and index + 1 < len(arguments) else word.removeprefix("--lang=")
        if (word == "--lang" or word.startswith("--lang=")) and value in LANGUAGES:
            asked = value
    return asked


# -- Chinese takes two columns a character ------------------------------------------------------------

#: Where a line may break: at spaces, and in Chinese between characters (a closing mark stays with the one before).
_BREAKABLE = {
    "zh": r"\s+|[\u2e80-\u9fff\uf900-\ufaff][，。；：、）”’！？,.;:)]*|[^\s\u2e80-\u9fff\uf900-\ufaff]+",
    "en": r"\s+|\S+",  # a Chinese name in English text (清廉机关建设) stays whole
}


@functools.cache
def breakable(language: str) -> re.Pattern[str]:
    """`_BREAKABLE`, compiled when help is first shown (compiling costs more than the rest of the module's import)."""
    return re.compile(_BREAKABLE[language])


def _columns(text: str) -> int:
    """How many terminal columns ``text`` takes: two for each wide (CJK) character."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _is_wide(text: str) -> bool:
    return _columns(text) != len(text)


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` columns, each paragraph on its own, broken where `breakable` allows."""
    lines: list[str] = []
    for number, paragraph in enumerate(text.split("\n\n")):
        if number:
            lines.append("")
        line = ""
        for token in breakable(current_language()).findall(" ".join(paragraph.split())):
            if token.isspace():
                token = " "
            if line.strip() and _columns(indent + (line + token).rstrip()) > width:
                lines.append(indent + line.rstrip())
                line = "" if token == " " else token
            else:
                line += token
        lines.append(indent + line.rstrip())
    return lines


class HelpFormatter(click.HelpFormatter):
    """click's help layout, measuring Chinese as two columns a character (click counts characters).

    Text without wide characters is laid out by click itself, so the English help is click's exactly.
    """

    def write_text(self, text: str) -> None:
        if not _is_wide(text):
            return super().write_text(text)
        self.write("\n".join(_wrap(text, self.width, " " * self.current_indent)) + "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        if not any(_is_wide(first + second) for first, second in rows):
            return super().write_dl(rows, col_max, col_spacing)
        first_col = min(max((_columns(first) for first, _second in rows), default=0), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if _columns(first) <= first_col - col_spacing:
                self.write(" " * (first_col - _columns(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = _wrap(second, max(self.width - first_col - 2 - self.current_indent, 10))
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n" if line else "\n")


class Context(click.Context):
    """click's context, laying help out with `HelpFormatter`."""

    formatter_class = HelpFormatter


# -- qlrules' own help, given when shown ------------------------------------------------------------


def _translated(message: str | None) -> str | None:
    return _(message) if message else message


class Command(click.Command):
    """A click command whose help, short help and usage words are message ids, translated when shown."""

    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", N_("[OPTIONS]"))
        super().__init__(*args, **kwargs)
        self.params.append(language_option())
        self._qlrules_help_option: click.Option | None = None

    @property
    def help(self) -> str | None:
        return _translated(self._help_id)

    @help.setter
    def help(self, value: str | None) -> None:
        self._help_id = value

    @property
    def short_help(self) -> str | None:
        return _translated(self._short_help_id)

    @short_help.setter
    def short_help(self, value: str | None) -> None:
        self._short_help_id = value

    @property
    def options_metavar(self) -> str | None:
        return _translated(self._options_metavar_id)

    @options_metavar.setter
    def options_metavar(self, value: str | None) -> None:
        self._options_metavar_id = value

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """``-h``/``--help`` as an `Option` of ours (click's own would keep its help in the language it was made in)."""
        names = self.get_help_option_names(ctx)
        if not names or not self.add_help_option:
            return None
        if self._qlrules_help_option is None:
            self._qlrules_help_option = Option(names, is_flag=True, expose_value=False, is_eager=True, callback=_show_help,
                                               help=N_("Show this message and exit."))
        return self._qlrules_help_option

    def main(self, args: Sequence[str] | None = None, *more: Any, **kwargs: Any) -> Any:
        """Run the command in the language the command line asks for (read before click parses it), else the environment's."""
        with speaking(language_asked(sys.argv[1:] if args is None else list(args))):
            return super().main(args, *more, **kwargs)


class Group(Command, click.Group):
    """A click group as `Command`, its ``COMMAND [ARGS]...`` translated too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", N_("COMMAND [ARGS]..."))
        super().__init__(*args, **kwargs)

    @property
    def subcommand_metavar(self) -> str:
        return _(self._subcommand_metavar_id)

    @subcommand_metavar.setter
    def subcommand_metavar(self, value: str) -> None:
        self._subcommand_metavar_id = value


class _TranslatedTexts:
    """A parameter's help and metavar kept as message ids (click sets them when the parameter is made)
    and translated each time click reads them, in the language of that run."""

    @property
    def help(self) -> str | None:
        return _translated(self._help_id)

    @help.setter
    def help(self, value: str | None) -> None:
        self._help_id = value

    @property
    def metavar(self) -> str | None:
        return _translated(self._metavar_id)

    @metavar.setter
    def metavar(self, value: str | None) -> None:
        self._metavar_id = value


class Option(_TranslatedTexts, click.Option):
    """A click option whose help and metavar are message ids, translated when shown."""

    def get_help_extra(self, ctx: click.Context) -> Any:
        """click's ``[default: 1; required]``; its word "required" is not in click's catalog (it is not a literal there)."""
        extra = super().get_help_extra(ctx)
        if "required" in extra:
            extra["required"] = _("required")
        return extra


class Argument(_TranslatedTexts, click.Argument):
    """A click argument whose help and metavar (its name in usage lines and errors) are message ids."""


class PathType(click.Path):
    """click's Path, saying what it expects (file, directory, path) in the current language when shown."""

    @property
    def name(self) -> str:
        if self.file_okay and not self.dir_okay:
            return click_gettext("file")
        if self.dir_okay and not self.file_okay:
            return click_gettext("directory")
        return click_gettext("path")

    @name.setter
    def name(self, value: str) -> None:
        """click names the kind when the type is made, in the language of that moment; `name` says it when shown."""


class IntRange(click.IntRange):
    """click's IntRange, named in the current language (its metavar and its "not a valid …" error)."""

    @property
    def name(self) -> str:
        return _("integer range")

    @name.setter
    def name(self, value: str) -> None:
        """The class names itself in English; `name` says it when shown."""


class FloatRange(click.FloatRange):
    """click's FloatRange, named in the current language (its metavar and its "not a valid …" error)."""

    @property
    def name(self) -> str:
        return _("number range")

    @name.setter
    def name(self, value: str) -> None:
        """The class names itself in English; `name` says it when shown."""


def _show_help(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit()


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        set_language(value)  # as `Command.main` read it already; for a caller that parses without main


def language_option() -> Option:
    """``--lang zh|en``, which every command takes (read before parsing by `Command.main`)."""
    return Option(["--lang"], type=click.Choice(LANGUAGES), default=None, expose_value=False, is_eager=True,
                  callback=_choose_language,
                  help=N_("Language of messages and reports. Default: Chinese when the locale is Chinese, else English."))


# -- decorators: click's, making the classes above ----------------------------------------------------


def command(**attrs: Any) -> Callable[[Callable[..., Any]], Command]:
    """`click.command` making a `Command`; give ``help`` and ``short_help`` as `N_` message ids."""
    return click.command(cls=Command, **attrs)


def option(*param_decls: str, **attrs: Any) -> Callable[[F], F]:
    """`click.option` making an `Option`; give ``help`` (and any ``metavar``) as `N_` message ids."""
    return click.option(*param_decls, cls=Option, **attrs)


def argument(*param_decls: str, **attrs: Any) -> Callable[[F], F]:
    """`click.argument` making an `Argument`; give its ``metavar`` as an `N_` message id."""
    return click.argument(*param_decls, cls=Argument, **attrs)
