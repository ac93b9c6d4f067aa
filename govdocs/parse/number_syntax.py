"""How a 发文字号 and a 令's number are written: the pattern sources the parser and the query
language both compile (`parse/patterns.py`; `index/query.py`, which imports `regex` only when a
query holds a bracket or a 令) — one spelling of each, so that what search recognises as a
number the parser recognises too. No imports: the search command reads this module.
"""

#: digits as printed: ASCII or full-width
DIGIT = r"[0-9０-９]"
#: Chinese numerals used in dates, section numbers and serials (〇/○/零 for zero)
CN_NUM = r"[〇○零一二三四五六七八九十百两]"
#: the brackets a 发文字号's year stands in, as printed and as typed: 〔 [ ［ （ ( ﹝ 【
YEAR_OPEN_CHARS = "〔[［（(﹝【"
YEAR_CLOSE_CHARS = "〕]］）)﹞】"
YEAR_OPEN = "[" + YEAR_OPEN_CHARS.replace("[", r"\[") + "]"
YEAR_CLOSE = "[" + YEAR_CLOSE_CHARS.replace("]", r"\]") + "]"
#: 机关代字: 1–8 Han characters (青政, 青政办, 国办发, 国办发明电)
AGENCY_CODE = r"\p{Han}{1,8}"
#: what follows the 机关代字 in a 发文字号: 〔2019〕45号, [2019]第45號
NUMBER_TAIL = rf"{YEAR_OPEN}\s*(?P<year>{DIGIT}{{4}})\s*{YEAR_CLOSE}\s*第?\s*(?P<serial>{DIGIT}{{1,5}})\s*[号號]"
#: one full 发文字号: 青政〔2019〕45号, 青政办[2019]68号, 国发（2015）40號, 青政［2019］45号
DOC_NUMBER = rf"(?P<code>{AGENCY_CODE})\s*{NUMBER_TAIL}"
#: a 令's or 公告's number: 国令第707号, 青海省人民政府令第12号, 交通运输部令2026年第8号,
#: 国家税务总局公告2019年第11号, 主席令第二十四号
DECREE_NUMBER = (r"(?P<issuer>\p{Han}{1,20}?)(?P<kind>令|公告)\s*(?:(?P<year>" + DIGIT + r"{4})\s*年\s*)?"
                 rf"第\s*(?P<serial>{DIGIT}{{1,5}}|{CN_NUM}{{1,6}})\s*[号號]")

#: \p{Han} (Unicode's Han script, as the `regex` module knows it) as a class the standard `re`
#: module reads: the search command compiles the two patterns above with `re`
#: (`for_standard_re`), since importing `regex` cost ~14 ms of a first query holding a number.
#: A test checks it against `regex`'s \p{Han} over every code point.
HAN_CLASS = ("[\u2e80-\u2e99\u2e9b-\u2ef3\u2f00-\u2fd5\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf"
             "\u4e00-\u9fff\uf900-\ufa6d\ufa70-\ufad9\U00016fe2-\U00016fe3\U00016ff0-\U00016ff6"
             "\U00020000-\U0002a6df\U0002a700-\U0002b81e\U0002b820-\U0002cead\U0002ceb0-\U0002ebe0"
             "\U0002ebf0-\U0002ee5d\U0002f800-\U0002fa1d\U00030000-\U0003134a\U00031350-\U00033479]")
#: \s as `regex` means it (the standard module's \s also matches U+001C–001F)
WHITE_SPACE_CLASS = "[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"


def for_standard_re(pattern: str) -> str:
    r"""A pattern above, for the standard `re` module: its \p{Han} and \s (each standing alone,
    never inside a class) spelled as classes `re` reads."""
    return pattern.replace(r"\p{Han}", HAN_CLASS).replace(r"\s", WHITE_SPACE_CLASS)

