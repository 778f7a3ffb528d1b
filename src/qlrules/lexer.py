"""The Pygments lexer under its first name; it lives in `qlrules.integrations.pygments`."""

from .integrations.pygments import QlrulesLexer, TolerantQlrulesLexer

__all__ = ["QlrulesLexer", "TolerantQlrulesLexer"]
