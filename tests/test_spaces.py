"""`close_up`: which whitespace of a PDF extraction is stray (closed up) and which is the text's (kept)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qlrules.authoring.spaces import close_up, without_whitespace


@pytest.mark.parametrize(
    ("extracted", "meant"),
    [
        ("未纳\u00a0\u00a0入干部教育培训", "未纳入干部教育培训"),  # between two Han characters
        ("“躺 平式干部”", "“躺平式干部”"),
        ("“学习强国”、\u00a0\u00a0\u00a0\u00a0“三讲一争”", "“学习强国”、“三讲一争”"),  # CJK punctuation
        ("出现年轻干部违纪违法案件的, 扣2分", "出现年轻干部违纪违法案件的,扣2分"),  # the document's ASCII comma
        ("扣1 分", "扣1分"),
        ("扣0 .5分", "扣0.5分"),
        ("扣0. 5分", "扣0.5分"),
        ("全角\u3000空格", "全角空格"),
        ("案件编号 C-1 C-2 各扣1分", "案件编号 C-1 C-2 各扣1分"),  # beside Latin: kept
        ("every case counts", "every case counts"),
        ("第1 2项", "第1 2项"),  # two digits: may be two numbers, kept
    ],
)
def test_close_up(extracted: str, meant: str) -> None:
    assert close_up(extracted) == meant


@given(st.text(alphabet=st.sampled_from("扣分未纳入,、“”()0123456789.Ca- \u00a0\u3000\t")))
def test_close_up_removes_only_whitespace(text: str) -> None:
    """Closing up changes nothing but whitespace, and a second pass changes nothing more."""
    closed = close_up(text)
    assert without_whitespace(closed) == without_whitespace(text)
    assert close_up(closed) == closed
