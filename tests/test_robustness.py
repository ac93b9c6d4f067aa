"""Arbitrary text never raises; inputs that once broke the parser stay fixed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govdocs import DecodeError, parse_bytes, parse_file, parse_text
from govdocs.parse.lines import split_lines
from tests.conftest import FIXTURES
from tests.noloss import assert_nothing_lost

#: characters that exercise every pattern: markers, brackets, digits, Han, tabs, newlines
ALPHABET = st.sampled_from(list(
    "青海省人民政府办公厅关于印发转发通知意见任命免去同志为兼任职务并退休组长成员附件大事记年月日号第"
    "一二三四五六七八九十〇、，。；：:（）()〔〕[]《》“”●—-*<>p/ \t\n\r0123456789"
))
TEXTS = st.text(alphabet=ALPHABET, max_size=400)
LINES = st.lists(st.sampled_from([
    "青海省人民政府", "关于印发某某方案的通知", "青政〔2019〕45号", "各市、自治州人民政府：", "为深入落实要求，",
    "现通知如下。", "一、总体要求", "（一）指导思想。", "任命：", "甲乙同志为局长；", "免去：", "丙丁同志的局长职务。",
    "青海省人民政府", "2019年7月5日", "（此件公开发布）", "附件 1", "序号\t名称\t备注", "1\t甲\t", "(上转4页)",
    "省政府 2019 年 6 月份大事记", "●6月1日 会议。", "●6月11日至12日 调研", "组长：刘宁 省长", "", "- **粗体**",
]), max_size=40)


def _owned_once(text: str) -> None:
    """Every line lies in exactly one part (a leftover may lie inside the document whose
    fields its text did not reach), and no line's text is lost."""
    result = parse_text(text)
    spans = list(result.issue.front_matter) + [f for d in result.documents for f in d.fragments]
    if result.chronicle:
        spans.append(result.chronicle)
    for line in split_lines(text):
        holders = sum(1 for s in spans if s.start <= line.start and line.end <= s.end)
        left = any(s.start <= line.start and line.end <= s.end for s in result.leftovers)
        assert holders == 1 or (holders == 0 and left), line
    assert_nothing_lost(text, result)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(TEXTS)
def test_arbitrary_text_never_raises(text):
    parse_text(text).to_dict()


@settings(max_examples=300, deadline=None, derandomize=True)
@given(LINES)
def test_document_like_text_loses_nothing(lines):
    _owned_once("\n".join(lines))


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_parse_or_fail_cleanly(data):
    try:
        parse_bytes(data)
    except DecodeError as exc:
        assert str(exc) and "\n" not in str(exc)


@pytest.mark.parametrize("path", sorted((FIXTURES / "fatal").iterdir()), ids=lambda p: p.name)
def test_fatal_inputs(path: Path):
    try:
        result = parse_file(path)
    except DecodeError:
        assert path.suffix == ".bin"
        return
    _owned_once(path.read_text(encoding="utf-8"))
    assert result.to_dict()
