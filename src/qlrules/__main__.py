"""`python -m qlrules`: the command line."""

from .cli import main

main()
