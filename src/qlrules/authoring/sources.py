"""The official document as a sequence of blocks, whatever its format: `.docx`, `.pdf`, `.txt`/`.md`.

`qlrules draft` reads a document's structure from blocks, not from a file format: a `Line` is a
line of running text (a paragraph, or a line of a PDF page outside its tables), a `Row` a table
row whose cells carry the role their column's header gives them (考评项目, 具体内容, 考评标准,
责任科室, 分值). A merged cell belongs to every row it spans; its text is read once, in the row
where it starts (`Cell.first`), and later rows see it as a continuation. A table without a header
the reader knows becomes lines, one cell a line, as a flattened table is.

Each reader turns every failure of a damaged or hostile file (a broken zip, a zip bomb, a broken
PDF) into an `InputError` naming the file, before or while the third-party parser reads it.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

import attrs

from ..errors import InputError
from ..i18n import _

__all__ = [
    "MAX_DOCUMENT_BYTES", "MAX_PDF_PAGES", "MAX_UNPACKED_BYTES", "Block", "Cell", "Line", "Row",
    "column_role", "read_blocks", "text_blocks",
]

#: A document file larger than this is refused before it is parsed (the 附件 of a rubric is well under 1 MB).
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
#: A .docx whose parts, uncompressed, add up to more than this is refused (a zip bomb).
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_DOCX_PARTS = 5_000
MAX_PDF_PAGES = 500
#: More table rows than any rubric has: past this, the document is refused rather than read on.
MAX_ROWS = 20_000


@attrs.frozen
class Line:
    """A line of running text: a paragraph of a .docx, a line of a text file or of a PDF page."""

    text: str


@attrs.frozen
class Cell:
    """One cell of a table row: its column's role, its text, and whether its text starts here (not a merge's continuation)."""

    role: str
    text: str
    first: bool = True


@attrs.frozen
class Row:
    """A table row under a known header: its cells in column order, with their roles."""

    cells: tuple[Cell, ...]

    def get(self, role: str) -> list[Cell]:
        return [cell for cell in self.cells if cell.role == role]


Block = Line | Row


# ---------------------------------------------------------------------------
# Column roles: what a table's header row says each column holds

#: Header words and the role of their column. The first that a header cell contains decides.
_ROLES = (
    ("序号", "number"),
    ("分值", "points"), ("分数", "points"), ("标准分", "points"), ("赋分", "points"),
    ("责任", "owner"), ("牵头", "owner"), ("提供部门", "owner"), ("科室", "owner"), ("部门", "owner"),
    ("标准", "criteria"), ("细则", "criteria"), ("扣分", "criteria"), ("评分", "criteria"),
    ("内容", "content"),
    ("项目", "project"), ("类别", "project"), ("指标", "project"),
    ("备注", "other"),
)


def column_role(header: str) -> str | None:
    """The role of a column from its header cell's text, or None when the text is no header word."""
    compact = re.sub(r"\s+", "", header)
    if not compact or len(compact) > 8 or not re.fullmatch(r"[\u4e00-\u9fff()（）]+", compact) or re.search(r"分[)）]?$", compact):
        return None
    for word, role in _ROLES:
        if word in compact:
            return role
    return None


def _header_roles(texts: Sequence[str]) -> list[str] | None:
    """The roles of a header row, or None when the row is not one (most cells must be header words)."""
    roles = [column_role(text) for text in texts]
    known = [role for role in roles if role]
    if len(known) < 2 or len(known) * 2 < len([t for t in texts if t.strip()]):
        return None
    if not {"content", "criteria"} & set(known):
        return None
    return [role or "other" for role in roles]


# ---------------------------------------------------------------------------
# Entry point


def read_blocks(path: str | Path, source: str | None = None) -> list[Block]:
    """The blocks of the document at ``path``, chosen by its suffix; ``-`` is standard input (text).

    Raises:
        InputError: a format qlrules does not read (.doc, .wps, spreadsheets), a file that cannot be
            read, is too large, damaged or hostile, or a text that is not UTF-8.
    """
    source = source or str(path)
    suffix = Path(str(path)).suffix.lower()
    if suffix in (".doc", ".wps", ".wpt", ".dot", ".rtf", ".odt"):
        raise InputError(_("{path}: a {suffix} document, which qlrules draft does not read; open it in Word or WPS, "
                           "save it as .docx (Word document) and draft from that").format(path=source, suffix=suffix))
    if suffix in (".xlsx", ".xls", ".et", ".ods", ".csv"):
        raise InputError(_("{path}: a spreadsheet ({suffix}); qlrules draft reads the official document as .docx, .pdf "
                           "or text: save the 附件 as .docx (Word document) and draft from that").format(path=source, suffix=suffix))
    if suffix == ".docx":
        return docx_blocks(path, source)
    if suffix == ".pdf":
        return pdf_blocks(path, source)
    from ..io.text import read_text

    return text_blocks(read_text(path, "document")[0])


def text_blocks(text: str) -> list[Block]:
    """A plain text (or Markdown) document: one `Line` for each line that is not blank."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return [Line(line.strip()) for line in text.split("\n") if line.strip()]


def _size_checked(path: str | Path, source: str) -> int:
    try:
        size = Path(path).stat().st_size
    except OSError as exc:
        raise InputError(_("{path}: cannot read the document: {reason}").format(path=source, reason=exc.strerror or exc)) from None
    if size > MAX_DOCUMENT_BYTES:
        raise InputError(_("{path}: {size} MB, larger than any official document can be (the limit is {limit} MB)").format(
            path=source, size=_megabytes(size), limit=_megabytes(MAX_DOCUMENT_BYTES)))
    return size


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def _damaged(source: str, kind: str, reason: object) -> InputError:
    return InputError(_("{path}: not a {kind} file that can be read: {reason}").format(path=source, kind=kind, reason=reason))


# ---------------------------------------------------------------------------
# .docx


def _check_docx(path: str | Path, source: str) -> None:
    """Refuse a .docx past the limits, a damaged zip or XML declaring entities, before python-docx parses it."""
    _size_checked(path, source)
    try:
        with open(path, "rb") as file:
            magic = file.read(8)
        if magic.startswith(b"\xd0\xcf\x11\xe0"):
            raise InputError(_("{path}: an old Word document (.doc) or one protected by a password; save it as .docx "
                               "without a password and draft from that").format(path=source))
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_DOCX_PARTS:
                raise _damaged(source, ".docx", _("{count} parts in the zip, more than any document has").format(count=len(parts)))
            total = sum(part.file_size for part in parts)
            if total > MAX_UNPACKED_BYTES:
                raise InputError(_("{path}: {size} MB uncompressed, larger than any official document can be "
                                   "(the limit is {limit} MB)").format(
                    path=source, size=_megabytes(total), limit=_megabytes(MAX_UNPACKED_BYTES)))
            if "word/document.xml" not in {part.filename for part in parts}:
                raise _damaged(source, ".docx", _("it has no word/document.xml"))
            for part in parts:
                if not part.filename.lower().endswith((".xml", ".rels")):
                    continue
                with archive.open(part) as data:
                    tail = b""
                    while chunk := data.read(1 << 16):
                        if b"<!DOCTYPE" in tail + chunk or b"<!ENTITY" in tail + chunk:
                            raise InputError(_("{path}: its part {part} declares XML entities (<!DOCTYPE …>), which no "
                                               "Word document does; refused as unsafe").format(path=source, part=part.filename))
                        tail = chunk[-16:]
    except OSError as exc:
        raise InputError(_("{path}: cannot read the document: {reason}").format(path=source, reason=exc.strerror or exc)) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise _damaged(source, ".docx", exc) from None


def docx_blocks(path: str | Path, source: str) -> list[Block]:
    """Paragraphs and table rows of the document's body in document order (headers and footers are page furniture)."""
    _check_docx(path, source)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(str(path))
        blocks: list[Block] = []
        for part in document.iter_inner_content():
            if isinstance(part, Paragraph):
                blocks.extend(text_blocks(part.text))
            elif isinstance(part, Table):
                blocks.extend(_docx_table(part, Table))
            if len(blocks) > MAX_ROWS:
                raise InputError(_("{path}: more than {limit} lines and rows, more than any official document has").format(
                    path=source, limit=MAX_ROWS))
        return blocks
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged part: whatever python-docx or lxml raise, the file is the cause
        raise _damaged(source, ".docx", f"{type(exc).__name__}: {exc}") from None


def _cell_text(cell: Any, table_type: type) -> str:
    """A cell's paragraphs and nested tables, in order, one line each."""
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for part in cell.iter_inner_content():
        if isinstance(part, Paragraph):
            lines.append(part.text)
        elif isinstance(part, table_type):
            part = cast(Any, part)
            for row in part.rows:
                seen: set[Any] = set()
                for inner in row.cells:
                    if inner._tc not in seen:
                        seen.add(inner._tc)
                        lines.append(_cell_text(inner, table_type))
    return "\n".join(line for line in lines if line.strip())


def _docx_table(table: Any, table_type: type) -> Iterator[Block]:
    """The rows of a table under its header row; a table without a known header, as lines (one cell a line)."""
    roles: list[str] | None = None
    # Merged cells: python-docx gives the same <w:tc> for every grid cell one covers. The set holds the
    # elements themselves (not their id()), so that lxml keeps one proxy per element while it is read.
    seen: set[Any] = set()
    for row in table.rows:
        cells = row.cells
        texts: list[str] = []
        firsts: list[bool] = []
        for cell in cells:
            key = cell._tc
            firsts.append(key not in seen)
            seen.add(key)
            texts.append(_cell_text(cell, table_type))
        header = _header_roles(texts)
        if header is not None and (roles is None or header == _fit(roles, len(texts))):
            roles = roles or header
            continue  # the header row, first or repeated on a later page
        if roles is None or sum(firsts) == 1:
            # No header yet, or one cell across the whole row (a section's heading): running text.
            for text, first in zip(texts, firsts, strict=True):
                if first:
                    yield from text_blocks(text)
            continue
        yield Row(tuple(Cell(role, text, first) for role, text, first in zip(_fit(roles, len(texts)), texts, firsts, strict=True)))


def _fit(roles: Sequence[str], width: int) -> list[str]:
    return (list(roles) + ["other"] * width)[:width]


# ---------------------------------------------------------------------------
# .pdf


def pdf_blocks(path: str | Path, source: str) -> list[Block]:
    """Each page's lines outside its tables and its tables' rows, top to bottom; repeated headers and footers dropped."""
    _size_checked(path, source)
    try:
        with open(path, "rb") as file:
            if not file.read(1024).lstrip().startswith(b"%PDF"):
                raise _damaged(source, ".pdf", _("it does not start with %PDF"))
        import pdfplumber

        pages: list[list[tuple[float, list[Block | _HeaderMark | _Pending]]]] = []
        with pdfplumber.open(str(path)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise InputError(_("{path}: {count} pages, more than any official document has (the limit is {limit})").format(
                    path=source, count=len(pdf.pages), limit=MAX_PDF_PAGES))
            for page in pdf.pages:
                pages.append(_pdf_page(page))
                page.close()
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on a broken file: the file is the cause
        raise _damaged(source, ".pdf", f"{type(exc).__name__}: {exc}") from None
    return _without_furniture(pages)


def _pdf_page(page: Any) -> list[tuple[float, list[Block | _HeaderMark | _Pending]]]:
    """(top, blocks) pieces of one page: its text lines outside tables, and each table as rows or lines."""
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    pieces: list[tuple[float, list[Block | _HeaderMark | _Pending]]] = []
    for line in page.filter(outside).extract_text_lines(keep_blank_chars=False):
        text = line["text"].strip()
        if text:
            pieces.append((float(line["top"]), [Line(text)]))
    for table in tables:
        pieces.append((float(table.bbox[1]), list(_pdf_rows(table.extract()))))
    pieces.sort(key=lambda piece: piece[0])
    return pieces


def _join_cell(text: str | None) -> str:
    """A PDF cell's text: the lines the cell's width broke joined (no space between Chinese characters)."""
    if not text:
        return ""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    joined = ""
    for line in lines:
        latin = joined[-1:].isascii() and joined[-1:].isalnum() and line[:1].isascii() and line[:1].isalnum()
        joined += (" " if latin else "") + line
    return joined


def _pdf_rows(rows: Iterable[Sequence[str | None]]) -> Iterator[Block | _HeaderMark | _Pending]:
    """A PDF table's rows. pdfplumber gives None for a grid cell a merged cell covers: a continuation.

    The header row seen on an earlier page is remembered (tables go on across pages under a repeated
    header) through `_PdfTables`.
    """
    roles: list[str] | None = None
    above: list[str] = []
    for raw in rows:
        # A merged cell is None in the rows it covers below its first: it carries the text above (read once).
        texts = [_join_cell(text) if text is not None else (above[n] if n < len(above) else "") for n, text in enumerate(raw)]
        firsts = [text is not None for text in raw]
        above = texts
        header = _header_roles([_join_cell(text) for text in raw])
        if header is not None:
            # A header cell merged across columns (考评项目 over two) gives its role to the columns it covers.
            for n in range(1, len(header)):
                if raw[n] is None:
                    header[n] = header[n - 1]
            roles = header
            yield _HeaderMark(tuple(header))
            continue
        if roles is None:
            yield _Pending(tuple(texts), tuple(firsts))
            continue
        if sum(firsts) == 1 and len(raw) > 1:
            # One cell across the whole row (a section's heading): running text.
            yield from (Line(text) for text, first in zip(texts, firsts, strict=True) if first and text)
            continue
        yield Row(tuple(Cell(role, text, first) for role, text, first in zip(_fit(roles, len(texts)), texts, firsts, strict=True)))


@attrs.frozen
class _HeaderMark:
    roles: tuple[str, ...]


@attrs.frozen
class _Pending:
    """A row of a table whose header is on an earlier page."""

    texts: tuple[str, ...]
    firsts: tuple[bool, ...]


def _without_furniture(pages: list[list[tuple[float, list[Block | _HeaderMark | _Pending]]]]) -> list[Block]:
    """All pages' blocks in order, without the running header and footer lines that repeat on the pages.

    A line counts as furniture when the same text stands among the first or last two lines of
    at least two pages and of at least half of them. Rows of a table whose header row was on an
    earlier page take that header's roles.
    """
    edges: Counter[str] = Counter()
    for page in pages:
        lines = [block.text for _top, blocks in page for block in blocks if isinstance(block, Line)]
        for text in set(lines[:2] + lines[-2:]):
            edges[_furniture_key(text)] += 1
    threshold = max(2, (len(pages) + 1) // 2)
    furniture = {text for text, count in edges.items() if count >= threshold}
    out: list[Block] = []
    roles: tuple[str, ...] | None = None
    for page in pages:
        page_start = True  # the next row is the first of this page: it may finish the last row of the page before
        for _top, blocks in page:
            for block in blocks:
                if isinstance(block, _HeaderMark):
                    roles = block.roles
                    continue
                if isinstance(block, _Pending):
                    if roles is None:
                        out.extend(Line(text) for text, first in zip(block.texts, block.firsts, strict=True) if first and text)
                        continue
                    cells = zip(_fit(roles, len(block.texts)), block.texts, block.firsts, strict=True)
                    block = Row(tuple(Cell(role, text, first) for role, text, first in cells))
                if isinstance(block, Line):
                    if _furniture_key(block.text) not in furniture:
                        out.append(block)
                    continue
                previous = next((b for b in reversed(out) if isinstance(b, Row) or _furniture_key(b.text) not in furniture), None)
                if page_start and isinstance(previous, Row) and _continues(block):
                    out[out.index(previous)] = _joined(previous, block)
                else:
                    out.append(_carried(previous, block) if isinstance(previous, Row) else block)
                page_start = False
    return out


def _furniture_key(text: str) -> str:
    """A line as compared across pages: no spaces, every number alike (the page number changes)."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


#: The start of a numbered item or heading: 1. 1、 (1) （一） ① 一、
_NUMBER_START = re.compile(r"^\s*(?:\d{1,3}\s*[.．、]|[(（]\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3})\s*[)）]|[①-⑳]|[一二三四五六七八九十]{1,3}\s*、)")


def _continues(row: Row) -> bool:
    """The first row of a page that is the rest of a row the page break cut: no heading, no number of its own."""
    if any(cell.text for cell in row.get("project")):
        return False
    texts = [cell.text for cell in row.cells if cell.role in ("content", "criteria") and cell.text]
    return bool(texts) and not _NUMBER_START.match(texts[0])


def _carried(above: Row, row: Row) -> Row:
    """A row under a merged cell (one that began on the page before, too): it carries that cell's text."""
    texts: dict[str, list[str]] = {}
    for cell in above.cells:
        texts.setdefault(cell.role, []).append(cell.text)
    seen: Counter[str] = Counter()
    cells = []
    for cell in row.cells:
        index = seen[cell.role]
        seen[cell.role] += 1
        if not cell.first and not cell.text and index < len(texts.get(cell.role, [])):
            cell = attrs.evolve(cell, text=texts[cell.role][index])
        cells.append(cell)
    return Row(tuple(cells))


def _joined(head: Row, tail: Row) -> Row:
    """A row cut by a page break, whole again: each cell's text continued by the tail's text of the same role."""
    rest: dict[str, list[str]] = {}
    for cell in tail.cells:
        if cell.text:
            rest.setdefault(cell.role, []).append(cell.text)
    cells = []
    for cell in head.cells:
        more = rest.pop(cell.role, []) if cell.first or cell.text else []
        cells.append(attrs.evolve(cell, text=_join_cell("\n".join([cell.text, *more]))))
    return Row(tuple(cells))
