"""Fill a .po catalog's empty translations from a Python mapping (a one-off helper for translators).

Usage: python tools/fill_po.py CATALOG.po TRANSLATIONS.py   (TRANSLATIONS.py defines ZH = {msgid: msgstr})
"""

import runpy
import sys

from babel.messages.pofile import read_po, write_po

catalog_path, table_path = sys.argv[1:3]
table = runpy.run_path(table_path)["ZH"]
with open(catalog_path, "rb") as f:
    catalog = read_po(f)
missing = []
for message in catalog:
    if message.id and not message.string:
        if message.id in table:
            message.string = table[message.id]
        else:
            missing.append(message.id)
with open(catalog_path, "wb") as f:
    write_po(f, catalog, omit_header=False, width=120)
print(f"filled; {len(missing)} still untranslated")
for m in missing:
    print("  ", repr(m))
