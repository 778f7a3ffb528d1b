"""The language: grammar, parser, tree to model, checks, and the model back to source text."""
