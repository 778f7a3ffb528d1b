"""What an input's file name says it holds, known without importing the readers (openpyxl, YAML)."""

from __future__ import annotations

#: JSON Lines: one unit per line.
JSON_LINES = (".jsonl", ".ndjson")
#: Workbook suffixes read as a filled form.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
#: Spreadsheets in another format: refused, with the advice to save them as .xlsx (in a folder too).
OTHER_SPREADSHEETS = (".xls", ".xlsb", ".ods", ".et", ".ett")
