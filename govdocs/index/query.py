"""The query language, parsed into Whoosh queries.

    王予波 任免           both words (AND is the default; `AND` may be written)
    人民政府 OR 国务院     either
    -废止  NOT 废止        exclude
    "省人民政府 工作规则"  a phrase: words next to each other, spaces ignored
    (a OR b) c            grouping
    青政[2019]45号        a 发文字号, any printed variant: exact match on the number

A run of Chinese that jieba cuts into several words is a phrase (`工作规则` = 工作 then 规则),
matched at word and sub-word boundaries alike (`analyzer`), or any dictionary word holding the
whole run; a single word also matches where it is a sub-word of a longer word.
Words search the title (weighted ×2) and the text.
"""

from __future__ import annotations

import re  # the standard module: a search command cannot afford importing `regex` (~20 ms)
from dataclasses import dataclass
from functools import cache

from whoosh import query as Q

from govdocs.index.analyzer import Analysis
from govdocs.parse.docnumber import normalize_doc_number

TEXT_FIELDS = ("title", "content")
#: the brackets a 发文字号's year stands in (a query without one has no 发文字号) — the parser's
#: (〔 [ （ ( ﹝ 【) and the full-width ［ users type
_YEAR_OPEN = "[［(（〔﹝【"
#: white space as `regex` means \s: the standard module's \s also matches U+001C–001F (a test checks)
_WS = r"[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_TOKEN = re.compile(rf'{_WS}*(?:(?P<quote>"[^"]*"?|“[^”]*”?)|(?P<open>\()|(?P<close>\))|(?P<word>(?:(?!{_WS})[^()"“])+))')


@cache
def _number_pattern():
    """A 发文字号 as users type it: 机关代字, year in any brackets, optional 第, serial, 号 —
    spaces allowed (`regex`, for \\p{Han}: imported when a query has a bracket)."""
    import regex

    return regex.compile(rf"(?P<code>\p{{Han}}{{1,8}})\s*[{regex.escape(_YEAR_OPEN)}]\s*(?P<year>[0-9０-９]{{4}})\s*[\]］)）〕﹞】]"
                         r"\s*第?\s*(?P<serial>[0-9０-９]{1,5})\s*[号號]")


class QuerySyntaxError(ValueError):
    """Bad query syntax; the message says what to change."""


@dataclass
class ParsedQuery:
    query: Q.Query
    #: every analysed word: (typed text, [terms]) — for --show-query
    tokens: list[tuple[str, list[str]]]


def normalize_number(text: str) -> str | None:
    """The normalised 发文字号 if `text` is one (青政[2019]45号, 青政（２０１９）第45號 → 青政〔2019〕45号)."""
    m = _number_pattern().fullmatch(text.strip())
    if not m:
        return None
    return normalize_doc_number(m["code"], m["year"], m["serial"])


class QueryParser:
    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.tokens: list[tuple[str, list[str]]] = []

    def parse(self, text: str) -> ParsedQuery:
        self.tokens = []
        items = self._lex(text)
        if not items:
            return ParsedQuery(Q.Every(), [])
        self._items, self._i = items, 0
        query = self._or()
        if self._i < len(items):
            raise QuerySyntaxError("unmatched ')' — remove it or add the '(' it closes")
        return ParsedQuery(query.normalize(), self.tokens)

    def _lex(self, text: str) -> list[tuple[str, str]]:
        items, pos = [], 0
        text = text.strip()
        numbers = _number_pattern() if any(b in text for b in _YEAR_OPEN) else None
        while pos < len(text):
            while pos < len(text) and text[pos].isspace():
                pos += 1
            if numbers and (number := numbers.match(text, pos)):  # before "(": 青政(2019)45号 is one token
                items.append(("number", number.group()))
                pos = number.end()
                continue
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                break
            pos = m.end()
            if m["quote"] is not None:
                q = m["quote"]
                if len(q) < 2 or q[-1] not in '"”':
                    raise QuerySyntaxError('unclosed quote — end the phrase with "')
                items.append(("phrase", q[1:-1]))
            elif m["open"]:
                items.append(("(", "("))
            elif m["close"]:
                items.append((")", ")"))
            elif m["word"] in ("AND", "OR", "NOT"):
                items.append((m["word"], m["word"]))
            else:
                items.append(("word", m["word"]))
        return items

    def _peek(self) -> str | None:
        return self._items[self._i][0] if self._i < len(self._items) else None

    def _or(self) -> Q.Query:
        parts = [self._and()]
        while self._peek() == "OR":
            self._i += 1
            if self._peek() in (None, ")", "OR", "AND"):
                raise QuerySyntaxError("OR needs a word on both sides — e.g. 人民政府 OR 国务院")
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else Q.Or(parts)

    def _and(self) -> Q.Query:
        positive, negative = [], []
        while self._peek() not in (None, ")", "OR"):
            kind = self._peek()
            if kind == "AND":
                self._i += 1
                continue
            negate = kind == "NOT"
            if negate:
                self._i += 1
            elif kind == "word" and self._items[self._i][1].startswith("-") and len(self._items[self._i][1]) > 1:
                negate = True
                self._items[self._i] = ("word", self._items[self._i][1][1:])
            if self._peek() in (None, ")", "OR", "AND", "NOT"):
                raise QuerySyntaxError("NOT needs a word after it — e.g. 通知 NOT 废止")
            (negative if negate else positive).append(self._unit())
        if not positive:
            if negative:
                raise QuerySyntaxError("a query cannot only exclude — add a word to search for")
            raise QuerySyntaxError("empty group or dangling operator — put a word there")
        query = positive[0] if len(positive) == 1 else Q.And(positive)
        return Q.AndNot(query, Q.Or(negative)) if negative else query

    def _unit(self) -> Q.Query:
        kind, value = self._items[self._i]
        self._i += 1
        if kind == "(":
            inner = self._or()
            if self._peek() != ")":
                raise QuerySyntaxError("unclosed '(' — add the ')' that ends the group")
            self._i += 1
            return inner
        if kind == ")":
            raise QuerySyntaxError("unmatched ')' — remove it or add the '(' it closes")
        if kind == "number":
            number = normalize_number(value)
            self.tokens.append((value, [number]))
            return Q.Term("doc_number", number)
        return self._text(value)

    def _text(self, text: str) -> Q.Query:
        """Words of `text`: one word → a term; several → phrases split at punctuation."""
        runs: list[list[str]] = []
        reach = None  # where the last word ended (positions count characters)
        for term, pos, start, end in self.analysis.terms(text, subwords=False):
            if reach is None or pos != reach:
                runs.append([])
            runs[-1].append(term)
            reach = pos + (end - start)
        self.tokens.append((text, [t for run in runs for t in run]))
        if not runs:
            raise QuerySyntaxError(f"{text!r} has no word to search for — use letters, digits or Chinese")
        parts = [self._run(run) for run in runs]
        return parts[0] if len(parts) == 1 else Q.And(parts)

    def _run(self, words: list[str]) -> Q.Query:
        """One word → a term; several → a phrase, or any dictionary word that holds the whole
        run (发展改革委 → 省发展改革委, 国家发展改革委: the phrase 发展/改革/委 cannot match
        inside them, 委 being no word of its own there)."""
        if len(words) == 1:
            return Q.Or([Q.Term(f, words[0]) for f in TEXT_FIELDS])
        holders = self._holders("".join(words))
        return Q.Or([Q.Phrase(f, words) for f in TEXT_FIELDS] + [Q.Term(f, w) for w in holders for f in TEXT_FIELDS])

    def _holders(self, run: str) -> list[str]:
        containing = getattr(self.analysis.segmenter, "containing", None)  # the query segmenter's
        return containing(run) if containing is not None else []
