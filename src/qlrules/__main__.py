"""`python -m qlrules`: the command line."""

from .command import main

main()
