"""The authoring tools: fmt, lint, diff, draft and the worked-examples runner."""
