"""qlrules inside other tools: the Sphinx domain and the Pygments lexer."""
