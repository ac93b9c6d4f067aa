"""The query language, parsed into Whoosh queries.

    王予波 任免           both words (AND is the default; `AND` may be written)
    人民政府 OR 国务院     either
    -废止  NOT 废止        exclude
    "省人民政府 工作规则"  a phrase: words next to each other, spaces ignored
    (a OR b) c            grouping
    青政[2019]45号        a 发文字号, any printed variant: the document with that number, then
                          the records citing it (also 国令第707号, traditional 國辦發…號)
    国办函                a 机关代字 alone: every document numbered with it (and its words)

A run of Chinese that jieba cuts into several words is a phrase (`工作规则` = 工作 then 规则),
matched at word and sub-word boundaries alike (`analyzer`), or any dictionary word holding the
whole run; a single word also matches where it is a sub-word of a longer word.
Words search the title (weighted ×2), the text, and a document's recipients, signatures and
notes (×0.5).
"""

from __future__ import annotations

import re  # the standard module: importing `regex` would lengthen every search command (docs/performance.md)
from dataclasses import dataclass
from functools import cache

from whoosh import query as Q

from govdocs.index.analyzer import NAME_END_MARK, NAME_ENDS, Analysis
from govdocs.index.fold import to_simplified
from govdocs.parse import number_syntax
from govdocs.parse.docnumber import decree_number, normalize_doc_number

TEXT_FIELDS = ("title", "content", "parties")
#: the title's weight at query time, on top of its field boost (×2, `schema`): a record whose
#: title holds the words outranks records that mention them (tuned on the judged needs,
#: `bench/relevance.py`; docs/ranking.md)
TITLE_BOOST = 2.0
#: the weight of the words typed apart standing in a row in a title, on top of each word's own
PHRASE_BONUS = 1.0


def _boost(fieldname: str) -> float:
    return TITLE_BOOST if fieldname == "title" else 1.0


def _with_phrase_bonus(query: Q.Query, words: list[str]) -> Q.Query:
    """国务院 工作规则: the records whose title holds the words in a row, as typed, score more
    (the same records match: the phrase holds only where all the words do). Titles only: a
    phrase check over the text of every match of two common words costs more than the search."""
    return Q.Or([query, Q.Phrase("title", words, boost=PHRASE_BONUS * _boost("title"))])


#: a match on the number (or 机关代字) a query names outweighs a citation of it or a word match
NUMBER_BOOST = 2.0
#: a word that may be a 机关代字 (国办函, 青政办, 国令): 2–8 characters of U+4E00–9FFF
_CODE = re.compile(r"[\u4e00-\u9fff]{2,8}")
#: white space as `regex` means \s: the standard module's \s also matches U+001C–001F (a test checks)
_WS = r"[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_TOKEN = re.compile(rf'{_WS}*(?:(?P<quote>"[^"]*"?|“[^”]*”?)|(?P<open>\()|(?P<close>\))|(?P<word>(?:(?!{_WS})[^()"“])+))')


@cache
def _decree_pattern() -> re.Pattern:
    """A 令's or 公告's number as the parser reads it: 国令第707号, 国务院令第707号, 青海省人民政府令第120号,
    国家税务总局公告2019年第11号 (the parser's pattern, for the standard `re` module: compiled when
    a query holds 令 or 公告)."""
    return re.compile(number_syntax.for_standard_re(number_syntax.DECREE_NUMBER))


@cache
def _number_pattern() -> re.Pattern:
    """A 发文字号 as the parser reads it: 机关代字, year in any brackets, optional 第, serial, 号 —
    spaces allowed (the parser's pattern, for the standard `re` module: compiled when a query
    has a bracket)."""
    return re.compile(number_syntax.for_standard_re(number_syntax.DOC_NUMBER))


#: bounds on a query: its length in characters and how deep its ( ) groups nest
MAX_QUERY = 2000
MAX_DEPTH = 32


def _depth(text: str) -> int:
    depth = deepest = 0
    for ch in text:
        if ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth = max(depth - 1, 0)
    return deepest


class QuerySyntaxError(ValueError):
    """Bad query syntax; the message says what to change."""


@dataclass
class ParsedQuery:
    query: Q.Query
    #: every analysed word: (typed text, [terms]) — for --show-query
    tokens: list[tuple[str, list[str]]]
    #: the normalised 发文字号 the query names (a hit says whether it holds or cites them)
    numbers: list[str]


def normalize_number(text: str) -> str | None:
    """The normalised 发文字号 if `text` is one (青政[2019]45号, 青政（２０１９）第45號 → 青政〔2019〕45号;
    國辦發〔2018〕104號 → 国办发〔2018〕104号; 国务院令第707号 → 国令第707号)."""
    text = to_simplified(text.strip())
    if m := _number_pattern().fullmatch(text):
        return normalize_doc_number(m["code"], m["year"], m["serial"])
    if ("令" in text or "公告" in text) and (m := _decree_pattern().fullmatch(text)):
        return decree_number(m["issuer"], m["serial"], m["kind"], m["year"])[1]
    return None


class QueryParser:
    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.tokens: list[tuple[str, list[str]]] = []
        self.numbers: list[str] = []

    def parse(self, text: str) -> ParsedQuery:
        if len(text) > MAX_QUERY:
            raise QuerySyntaxError(f"the query is {len(text)} characters long — keep it under {MAX_QUERY}")
        if any("\ud800" <= ch <= "\udfff" for ch in text):
            raise QuerySyntaxError("the query holds bytes that are not UTF-8 text — type it again in UTF-8")
        if text.count("(") > MAX_DEPTH and _depth(text) > MAX_DEPTH:
            raise QuerySyntaxError(f"groups nested more than {MAX_DEPTH} deep — remove some ( )")
        self.tokens, self.numbers = [], []
        items = self._lex(text)
        if not items:
            return ParsedQuery(Q.Every(), [], [])
        self._items, self._i = items, 0
        query = self._or()
        if self._i < len(items):
            raise QuerySyntaxError("unmatched ')' — remove it or add the '(' it closes")
        return ParsedQuery(query.normalize(), self.tokens, self.numbers)

    def _lex(self, text: str) -> list[tuple[str, str]]:
        items, pos = [], 0
        text = text.strip()
        numbers = _number_pattern() if any(b in text for b in number_syntax.YEAR_OPEN_CHARS) else None
        decrees = _decree_pattern() if "令" in text or "公告" in text else None
        while pos < len(text):
            while pos < len(text) and text[pos].isspace():
                pos += 1
            # before "(": 青政(2019)45号 is one token
            if (numbers and (number := numbers.match(text, pos))) or (decrees and (number := decrees.match(text, pos))):
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
        positive: list[Q.Query] = []
        negative: list[Q.Query] = []
        plain = True  # every positive unit a plain word: its words in a row earn PHRASE_BONUS
        typed: list[str] = []  # the positive words' terms, in order
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
            plain = plain and (negate or self._peek() == "word")
            before = len(self.tokens)
            (negative if negate else positive).append(self._unit())
            if not negate:
                typed += [w for _t, terms in self.tokens[before:] for w in terms]
        if not positive:
            if negative:
                raise QuerySyntaxError("a query cannot only exclude — add a word to search for")
            raise QuerySyntaxError("empty group or dangling operator — put a word there")
        query = positive[0] if len(positive) == 1 else Q.And(positive)
        if plain and len(positive) > 1:
            query = _with_phrase_bonus(query, typed)
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
        number = normalize_number(value) if kind == "number" else None
        if number is not None:  # always, for a "number" item: `_lex` matched the same patterns
            self.tokens.append((value, [number]))
            self.numbers.append(number)
            # the document with the number first, then the records citing it (hits say which)
            return Q.Or([Q.Term("doc_number", number, boost=NUMBER_BOOST), Q.Term("cites", number)])
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
        query = parts[0] if len(parts) == 1 else Q.And(parts)
        if _CODE.fullmatch(text):  # 国办函, 青政办: every document numbered with that 机关代字
            code = Q.Term("codes", to_simplified(text), boost=NUMBER_BOOST)
            # flat, as Whoosh's normalize() would make it — without its deep copy of every part
            query = Q.Or([*query.subqueries, code]) if isinstance(query, Q.Or) and query.boost == 1 else Q.Or([query, code])
        return query

    def _run(self, words: list[str]) -> Q.Query:
        """One word → a term; several → a phrase, or any dictionary word that holds the whole
        run (发展改革委 → 省发展改革委, 国家发展改革委: the phrase 发展/改革/委 cannot match
        inside them, 委 being no word of its own there)."""
        if len(words) == 1:
            word = words[0]
            terms = [Q.Term(f, word, boost=_boost(f)) for f in TEXT_FIELDS]
            if self._starts_across(word):  # 省政府 printed 青海省|政府: the phrase 省 / 政府
                terms += [Q.Phrase(f, [NAME_END_MARK + word[0], word[1:]], boost=_boost(f)) for f in TEXT_FIELDS]
            return Q.Or(terms)
        holders = self._holders("".join(words))
        return Q.Or([Q.Phrase(f, words, boost=_boost(f)) for f in TEXT_FIELDS]
                    + [Q.Term(f, w, boost=_boost(f)) for w in holders for f in TEXT_FIELDS])

    def _starts_across(self, word: str) -> bool:
        """Can `word` stand in a text with its first character ending the word before (the
        analyzer indexes the last character of a long place or organ name)? A Han word of three
        or more characters opening with such a character, whose rest is a dictionary word."""
        return (len(word) > 2 and word[0] in NAME_ENDS and _CODE.fullmatch(word) is not None
                and self.analysis.segmenter.has_word(word[1:]))

    def _holders(self, run: str) -> list[str]:
        containing = getattr(self.analysis.segmenter, "containing", None)  # the query segmenter's
        return containing(run) if containing is not None else []
