"""Fill a .po catalog's empty translations from Python mappings, for translators who work in tables.

Usage: python tools/fill_po.py CATALOG.po TRANSLATIONS.py...   (each defines ZH = {msgid: msgstr})
Run `make messages` first, so the catalog has every message of the code.
"""

import runpy
import sys

from babel.messages.pofile import read_po, write_po

catalog_path, *table_paths = sys.argv[1:]
table: dict[str, str] = {}
for table_path in table_paths:
    table.update(runpy.run_path(table_path)["ZH"])
with open(catalog_path, "rb") as f:
    catalog = read_po(f)
missing = []
for message in catalog:
    if message.id in table:
        message.string = table[message.id]  # the tables are where translations are kept
    elif message.id and not message.string:
        missing.append(message.id)
with open(catalog_path, "wb") as f:
    write_po(f, catalog, omit_header=False, width=120)
print(f"filled; {len(missing)} still untranslated")
for m in missing:
    print("  ", repr(m))
