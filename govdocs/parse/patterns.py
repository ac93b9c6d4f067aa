"""Every regular expression the parser uses, named and composed from parts.

All patterns use the `regex` module so that `\\p{Han}` matches every CJK ideograph
(including 〇 and extension blocks), which `[\\u4e00-\\u9fa5]` would miss.
Patterns match against a line's *cleaned* text (see `lines.py`) unless noted.
"""

from __future__ import annotations

import regex as re

from govdocs.model import Relation
from govdocs.parse.number_syntax import CN_NUM, DECREE_NUMBER, DIGIT, NUMBER_TAIL
from govdocs.parse.number_syntax import DOC_NUMBER as DOC_NUMBER_SOURCE
from govdocs.vocab import DOC_TYPE_FORMS, REGULATION_KINDS

# --- building blocks ---------------------------------------------------------

HAN = r"\p{Han}"
#: terminal punctuation: a line ending in one of these ends its paragraph
TERMINAL = "。；;：:！!？?"
#: closing brackets/quotes allowed after terminal punctuation
CLOSERS = "”’」』）)】〕》\"'"

# --- 发文字号 -----------------------------------------------------------------

#: the 发文字号 and 令 numbers (`number_syntax`, shared with the query language): one full
#: 发文字号 — 青政〔2019〕45号, 青政办[2019]68号, 国发（2015）40號, 青政［2019］45号
DOC_NUMBER = re.compile(DOC_NUMBER_SOURCE)
#: extra serials sharing the same code and year: 青政人〔2019〕9号、10号
_EXTRA = r"\s*[、,，和及]\s*第?{serial}\s*[号號]"
EXTRA_SERIAL = re.compile(_EXTRA.format(serial=rf"(?P<serial>{DIGIT}{{1,5}})"))
#: a line that is nothing but one or more 发文字号
DOC_NUMBER_LINE = re.compile(rf"^{DOC_NUMBER.pattern}(?:{_EXTRA.format(serial=rf'{DIGIT}{{1,5}}')})*$", re.X)
#: 令 and 公告 numbering on one line: 青海省人民政府令第12号, 交通运输部令2026年第8号,
#: 国家税务总局公告2019年第11号
DECREE_NUMBER_LINE = re.compile(rf"^{DECREE_NUMBER}$")
#: a 令's (or 公告's) heading on a line of its own, its number on the next: 中华人民共和国国务院令
DECREE_HEADING = re.compile(rf"^(?!.*关于)(?P<issuer>{HAN}{{2,20}}?)(?P<kind>令|公告)$")
#: a 令's or 公告's number on a line of its own: 第707号, （2019年第11号）, 第二十四号 (主席令)
DECREE_SERIAL = re.compile(rf"^[（(]?(?:(?P<year>{DIGIT}{{4}})\s*年\s*)?"
                           rf"第\s*(?P<serial>{DIGIT}{{1,5}}|{CN_NUM}{{1,6}})\s*号[)）]?$")

# --- issuers and titles -------------------------------------------------------

#: suffixes that end an organ's name, longest first so alternation prefers them
ORG_SUFFIX = (
    r"(?:人民政府办公厅|人民政府办公室|人民政府|人民代表大会常务委员会|常务委员会|"
    r"办公厅|办公室|委员会|政府|管理局|监督管理局|厅|局|委|署|院|部|办)"
)
#: one organ's name: 青海省人民政府, 国务院办公厅, 省国资委, 中央军委
ORG = rf"(?:国务院办公厅|国务院|中央军委办公厅|中央军委|(?!关于|转发|印发|批转){HAN}{{1,14}}?{ORG_SUFFIX})"
#: an issuer at the start of a line: 青海省人民政府, 国务院办公厅, 省国资委
ISSUER = re.compile(rf"^(?P<issuer>{ORG})")
#: the organ(s) opening a title — only where the title's own words follow them (关于…, 印发…),
#: so that a wrapped line beginning 工作时所提问题和建议办|理… or 三级公立医院|绩效… is no issuer.
#: Joint titles list their organs with 、: 国务院办公厅、中央军委办公厅关于…
TITLE_ISSUERS = re.compile(rf"^(?P<issuers>{ORG}(?:、{ORG})*)(?=关于|对|印发|转发|批转|颁发|发布|公布)")
#: joint organs printed apart by spaces, before white space is squashed out of the title:
#: 财政部 税务总局关于… (an organ's name holds no space, so none runs into the next)
TITLE_ISSUERS_SPACED = re.compile(rf"^(?P<issuers>{ORG}(?:[ \u3000]+{ORG})+)[ \u3000]*"
                                  r"(?=关于|对|印发|转发|批转|颁发|发布|公布)")
#: how the names of central organs begin (a provincial organ's name begins with its place)
CENTRAL_ORGAN_HEADS = ("国务院", "国家", "中共", "中央", "全国", "中国", "最高人民")
#: a line that is only an organ's name (a signature or an attachment's author)
ORG_LINE = re.compile(rf"^{ORG}$")
#: a signature by a person: 省长 刘宁, 总理　李克强, 中华人民共和国主席　习近平
PERSON_SIGNATURE = re.compile(
    rf"^(?P<post>(?:中华人民共和国|{HAN}{{2,8}}(?:省|市|部|委|局|厅))?(?:代)?(?:总理|省长|市长|州长|县长|主任|主席|局长|厅长|部长))"
    rf"\s*(?P<name>{HAN}[\p{{Han}}·\s]{{1,7}})$")

#: the 文种 a title ends with, as `vocab.DOC_TYPES` lists them, longest first
DOC_TYPE_AT_END = re.compile(rf"(?P<type>{'|'.join(sorted(DOC_TYPE_FORMS, key=len, reverse=True))})$")
#: a regulation's kind at the end of its title (not a 文种: the text a 令 or a notice carries)
REGULATION_AT_END = re.compile(rf"(?P<kind>{'|'.join(sorted(REGULATION_KINDS, key=len, reverse=True))})$")
#: a title line of a document: …关于……的通知
TITLE_WITH_ABOUT = re.compile(rf"关于.+(?:{'|'.join(DOC_TYPE_FORMS)})$")
#: a notice that carries another text: 关于印发 X 的通知 / 关于转发 X 的通知 / 转发 X 的通知 (the
#: organ's name may stand before the verb: 国务院办公厅转发国家地震局关于…报告的通知)
CARRIER_TITLE = re.compile(r"(?:关于|^(?:国务院办公厅|国务院|\p{Han}{1,14}?" + ORG_SUFFIX + r"))"
                           r"(?P<verb>印发|转发|批转|颁发|发布)(?P<carried>.+?)的(?:通知|决定|意见|函)$")
#: the history printed under a regulation's title: （2019年5月30日青海省第十三届人民代表大会常务委员会第十次会议通过）
REGULATION_HISTORY = re.compile(r"^[（(][^（）()]*(?:通过|公布|发布|施行|修订|修正)[^（）()]*[)）]$")
#: the sentence by which a 令 promulgates a regulation: 现公布修订后的《X》，自…起施行
#: (现公布修订后的《X》 / 《X》已经…通过，现予公布); the `regex` module lets both name the title
PROMULGATION = re.compile(r"(?:公布|发布|颁布)\p{Han}{0,8}《(?P<title>[^《》]{2,80})》"
                          r"|《(?P<title>[^《》]{2,80})》[^《》。]{0,80}?(?:现予|予以|现)(?:公布|发布|颁布)")

# --- recipients, dates, signatures, notes ----------------------------------------

#: 主送机关: ends with a colon
RECIPIENTS = re.compile(r"^(?P<recipients>.+?)[：:]$")
#: Arabic date: 2019年7月5日 (spaces tolerated: 2019 年 7 月 5 日)
DATE_ARABIC = re.compile(rf"(?P<year>{DIGIT}{{4}})\s*年\s*(?P<month>{DIGIT}{{1,2}})\s*月\s*(?P<day>{DIGIT}{{1,2}})\s*日")
#: Chinese-numeral date: 二〇〇四年八月十二日
DATE_CHINESE = re.compile(
    rf"(?P<year>[〇○零一二三四五六七八九]{{4}})年(?P<month>{CN_NUM}{{1,2}})月(?P<day>{CN_NUM}{{1,3}})日"
)
#: a date as printed in running text, Arabic or Chinese numerals; its groups are unnamed, as it
#: is read again by `numbers.find_date`
_ANY_DATE = (rf"(?:{DIGIT}{{4}}\s*年\s*{DIGIT}{{1,2}}\s*月\s*{DIGIT}{{1,2}}\s*日"
             rf"|[〇○零一二三四五六七八九]{{4}}年{CN_NUM}{{1,2}}月{CN_NUM}{{1,3}}日)")
#: a line that is only a date (the 成文日期 line)
DATE_LINE = re.compile(rf"^{_ANY_DATE}$")
#: 附注: （此件公开发布） / (此件主动公开) / （本文有删减）
NOTE_LINE = re.compile(r"^[（(](?:此件|本件|本文)[^（）()]{1,20}[)）]$")

# --- layout markers and debris -----------------------------------------------------

#: continuation markers of the two-column layout; 上转/上接 start a moved fragment
JUMP_FROM = re.compile(rf"^[（(]\s*(?:上转|上接|接上)\s*(?:第\s*)?{DIGIT}{{1,3}}\s*页\s*[)）]$")
#: 下转/下接 end the visible part of a document; the rest follows elsewhere
JUMP_TO = re.compile(rf"^[（(]\s*(?:下转|下接|转下|转)\s*(?:第\s*)?{DIGIT}{{1,3}}\s*页\s*[)）]$")
#: markdown emphasis and list bullets left over from the extraction
MD_BOLD = re.compile(r"\*\*")
MD_BULLET = re.compile(r"^[-*•]\s+")
HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*"
                      r"(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'<>=`]+))?)*\s*/?>")
#: space entities a website left as literal text (`2019年7月5日&nbsp;&nbsp;`, `&sp;`, a
#: double-escaped `&amp;nbsp;`), the semicolon optional where no letter or digit follows
ENTITY_DEBRIS = re.compile(r"&(?:amp;)*(?:nbsp|sp|ensp|emsp|thinsp|#160|#12288|#x3000|#xa0)(?:;|(?![A-Za-z0-9]))", re.I)
#: any white space (`\s` as CJK_GAP means it)
SPACE = re.compile(r"\s")
#: white space between two characters of which at least one is CJK or CJK punctuation
_CJK_OR_MARK = r"[\p{Han}\p{Ps}\p{Pe}\p{Pi}\p{Pf}，。、；：！？“”《》（）〔〕]"
CJK_GAP = re.compile(rf"(?<={_CJK_OR_MARK})\s+|\s+(?={_CJK_OR_MARK})")

# --- masthead and table of contents ------------------------------------------------

GAZETTE_NAME = re.compile(rf"^(?P<name>{HAN}{{2,10}}(?:政报|公报))$")
ISSUE_NUMBER = re.compile(rf"^(?P<year>{DIGIT}{{4}})\s*年\s*第\s*(?P<number>{DIGIT}{{1,3}})\s*期")
TOTAL_NUMBER = re.compile(rf"总\s*第\s*(?P<total>{DIGIT}{{1,5}})\s*期")
TOC_HEADING = re.compile(r"^目\s*录$")
#: a TOC line ending in its page number: …的通知 (3)
TOC_PAGE = re.compile(rf"\s*[（(]\s*(?P<page>{DIGIT}{{1,4}})\s*[)）]$")
#: rubrics of the TOC, printed letter-spaced: 省 政 府 文 件
TOC_RUBRIC = re.compile(rf"^(?:{HAN}\s*){{2,12}}$")
EDITORIAL_BOARD = re.compile(r"^编\s*辑\s*委\s*员\s*会$")

# --- structure ---------------------------------------------------------------------

#: section markers, in order of depth
SECTION_MARKERS: list[tuple[str, re.Pattern]] = [
    ("chapter", re.compile(rf"^第(?P<num>{CN_NUM}{{1,4}})章\s*")),
    ("part", re.compile(rf"^第(?P<num>{CN_NUM}{{1,4}})节\s*")),
    ("article", re.compile(rf"^第(?P<num>{CN_NUM}{{1,5}})条\s*")),
    ("cn", re.compile(rf"^(?P<num>{CN_NUM}{{1,3}})、\s*")),
    ("cn_paren", re.compile(rf"^[（(]\s*(?P<num>{CN_NUM}{{1,3}})\s*[)）]\s*")),
    ("arabic", re.compile(rf"^(?P<num>{DIGIT}{{1,3}})\s*[.．、](?!{DIGIT})\s*")),
    ("arabic_paren", re.compile(rf"^[（(]\s*(?P<num>{DIGIT}{{1,3}})\s*[)）]\s*")),
]
_MARKER_FIRST = {"chapter": "第", "part": "第", "article": "第", "cn": "〇○零一二三四五六七八九十百两",
                 "cn_paren": "（(", "arabic": "0123456789０１２３４５６７８９", "arabic_paren": "（("}
#: first character → the section markers that can begin with it (no other can)
SECTION_MARKERS_BY_FIRST: dict[str, list[tuple[str, re.Pattern]]] = {
    ch: [(kind, pattern) for kind, pattern in SECTION_MARKERS if ch in _MARKER_FIRST[kind]]
    for ch in "".join(_MARKER_FIRST.values())
}
#: a heading that runs into its paragraph ends at the first 。
INLINE_HEADING_END = re.compile(r"^(?P<heading>[^。！？]{1,60}?)[。](?P<rest>.*)$", re.S)

# --- annexes and attachments ---------------------------------------------------------

#: an annex label line: 附件 / 附件1 / 附件 1 / 附件一 / 附件： (a colon and nothing after it)
ANNEX_LABEL = re.compile(rf"^附\s*件\s*(?P<num>{DIGIT}{{1,2}}|{CN_NUM}{{1,3}})?\s*[：:]?$")
#: 附件说明 before the signature: 附件：1. ×××
ANNEX_LIST_HEAD = re.compile(r"^附\s*件\s*[：:]\s*(?P<rest>.*)$")
ANNEX_LIST_ITEM = re.compile(rf"^(?P<num>{DIGIT}{{1,2}})\s*[.．、]\s*(?P<title>.+)$")

# --- personnel ---------------------------------------------------------------------------

#: a person's name: 2–6 Han characters, possibly with a middle dot (乔·万玛才仁)
PERSON = rf"{HAN}[\p{{Han}}·]{{1,7}}?"
#: the heading word that governs the lines below it; may follow a lead-in and a reason
APPOINT_HEADING = re.compile(r"(?:(?P<reason>因[^，,：:]{2,20})[，,])?\s*(?P<verb>任命|免去|聘任|解聘)[：:]$")
APPOINT_AS = re.compile(rf"^(?P<person>{PERSON})同志为(?P<position>.+?)[；;。，,]?$")
APPOINT_CONCURRENT = re.compile(rf"^(?P<person>{PERSON})同志兼任(?P<position>.+?)[；;。，,]?$")
REMOVE_FROM = re.compile(rf"^(?P<person>{PERSON})同志的(?P<position>.+?)职务(?P<retire>并退休)?[；;。，,]?$")
#: a leading-group member line: 组长：刘宁 省长 ; continuation lines hold "name post"
MEMBER_ROLE = re.compile(r"^(?P<role>(?:常务)?副?(?:组\s*长|主\s*任|指挥长|召集人)|成\s*员|委\s*员|秘书长)"
                         r"\s*[：:]\s*(?P<rest>.*)$")
MEMBER_NAME_POST = re.compile(rf"^(?P<person>{HAN}(?:\s?{HAN}){{1,3}}|{HAN}+·{HAN}+)\s+(?P<position>\S.*)$")

# --- chronicle ---------------------------------------------------------------------------

CHRONICLE_HEADING = re.compile(
    rf"^(?P<prefix>.*?)(?P<year>{DIGIT}{{4}})\s*年\s*(?P<month>{DIGIT}{{1,2}})\s*月份?\s*大\s*事\s*记$"
)
CHRONICLE_ENTRY = re.compile(
    rf"""^●\s*(?P<month>{DIGIT}{{1,2}})月(?P<day>{DIGIT}{{1,2}})日
    (?:\s*(?:至|—|-|~|～)\s*(?:(?P<month_end>{DIGIT}{{1,2}})月)?(?P<day_end>{DIGIT}{{1,2}})日
      |\s*(?:和|、)\s*(?P<day_and>{DIGIT}{{1,2}})日)?
    \s*(?P<text>.*)$""",
    re.X,
)
#: the editors' credit line closing a chronicle: (责任编辑：… 辑录：…)
CHRONICLE_CREDITS = re.compile(r"^[（(].*(?:辑录|责编|责任编辑).*[)）]$")

# --- citations of other documents (citations.py) -------------------------------------------

#: a cited title: 《…》 without nested 《》 (inner titles use 〈〉)
CITED_TITLE = re.compile(r"《(?P<title>[^《》\n]{1,150})》")
#: a 发文字号 in running text, found from its year bracket: 〔2019〕45号. The 机关代字 is the
#: Han run before it (CODE_BEFORE), which may hold lead-in words (根据青政…) that
#: `agencies.trim_code` cuts off. Anchoring on the bracket keeps the search linear.
CITED_NUMBER_TAIL = re.compile(NUMBER_TAIL)
CODE_BEFORE = re.compile(rf"(?P<code>{HAN}{{1,12}})\s*$")
#: a national or local standard: GB 18218—2009, GB/T 9704-2012, DB63/T 1234-2014
STANDARD_NUMBER = re.compile(
    r"(?P<code>(?:GB|DB\d{0,2}|[A-Z]{2,3})(?:/[TZ])?)\s*(?P<serial>\d+(?:\.\d+)?)\s*[—–\-－]\s*(?P<year>\d{4})"
)
#: the parenthesis right after a cited title: （青政〔2014〕22号） / （国办发〔2019〕23号，以下简称《实施方案》）
CITATION_PAREN = re.compile(r"\s*[（(](?P<inner>[^（()）《》]{0,60}(?:《[^《》]{1,30}》[^（()）《》]{0,10})?)[）)]")
#: a short name given to a citation: 以下简称《实施方案》 / 简称“方案”
ALIAS = re.compile(r"(?:以下)?简称\s*[《“\"](?P<alias>[^》”\"]{1,30})[》”\"]")
#: relation words that end a lead-in: the organ is what follows the last of them
LEAD_IN_WORD = re.compile(r"根据|依据|依照|按照|遵照|参照|贯彻|落实|印发|转发|批转|废止|修订|修改|执行|同意")
#: the run right before a cited title where its organs may stand, joint ones joined by 、:
#: 按照国务院办公厅《关于…》, 国务院、中央军委颁发了《…》
ORGANS_RUN_BEFORE = re.compile(r"[\p{Han}、]{1,20}$")
#: the issuing act printed between an organ and the text it issued: 国务院办公厅印发了《…》,
#: 国务院、中央军委颁发了《…》 (转发/批转 are not: the forwarding organ is not the author)
ISSUED_BY_AT_END = re.compile(r"(?:印发|颁发|颁布|发布|公布|出台|下发|制定|制发)(?:了|的)?$")
#: an organ named by a pronoun: 你局, 你部, 你省, 贵委 (the organ addressed), 我省, 本部, 该局
PRONOUN_ORGAN = re.compile(
    r"^(?!贵州)(?:你|您|贵|我|本|该)(?:省|自治区|市|区|县|州|盟|旗|局|部|委|办|厅|院|署|会|司|处|室|所|"
    r"中心|单位|公司|政府)$")
#: the pronouns of the organ a document is addressed to (its 主送机关): 你局, 贵委
ADDRESSEE_PRONOUN = re.compile(r"^(?:你|您|贵)")
#: what a title alone must end in to count as a citation of a document (not a book, film,
#: speech or agreement); checked after dropping a draft marker such as （征求意见稿）
CITABLE_TITLE = re.compile(
    r"(?:法|条例|规定|办法|细则|规则|决定|决议|意见|通知|通告|公告|通报|批复|函|纪要|方案|规划|规划纲要|"
    r"计划|目录|标准|规范|准则|制度|报告|指南|章程|令|清单)$"
)
DRAFT_MARKER = re.compile(r"[（(](?:征求意见稿|送审稿|草案|试行|暂行|修订稿|修正案)[)）]$")
#: words right before a title that make it a work of art or a talk, not a document
_NOT_A_DOCUMENT_WORDS = ("题为", "话剧", "纪录片", "电影", "歌曲", "图书", "专著", "报纸", "杂志", "刊物", "节目", "展览")
NOT_A_DOCUMENT_BEFORE = re.compile(f"(?:{'|'.join(_NOT_A_DOCUMENT_WORDS)})$")
#: how far before a title NOT_A_DOCUMENT_BEFORE can reach: its longest word, and a line break
#: `$` matches before — searched from there, not from the paragraph's start at every title
NOT_A_DOCUMENT_REACH = max(map(len, _NOT_A_DOCUMENT_WORDS)) + 1

#: relation words in the clause *before* a citation; the one nearest the citation decides.
#: 印发/转发 are not among them: 国务院印发了《…》 reports someone else's act; a notice
#: issues or forwards only in its carrier sentence (CARRIER_SENTENCE)
RELATION_BEFORE: dict[Relation, re.Pattern[str]] = {
    "repeals": re.compile(r"废止|停止执行|代替|替代"),
    "amends": re.compile(r"修订|修改|修正"),
    "based_on": re.compile(r"根据|依据|依照|按照|遵照"),
    "refers_to": re.compile(r"参照|参考"),
    "implements": re.compile(r"贯彻|落实"),
}
#: relation words in the clause *after* a citation: 《…》（…）予以废止 / …部分内容进行修订
RELATION_AFTER: dict[Relation, re.Pattern[str]] = {
    "repeals": re.compile(r"废止|停止执行|不再执行"),
    "amends": re.compile(r"修订|修改|修正"),
}
#: the character that stands for a citation while the words around it are read (citations.py
#: masks every citation of a paragraph with it)
CITATION_MASK = "◇"
#: words that make a change asked for, planned, suggested, under way or reported rather than made
#: by the citing text: 抓紧修订, 适时修订, 研究修订, 拟废止, 建议废止, 正在修订, 各地要修订, 负责修订,
#: 已废止 (a state it reports). 研究决定 and 研究同意 decide: they are not among them
_NOT_YET = (r"(?:推动|推进|加快|抓紧|尽快|研究(?!决定|同意|通过)|适时|启动|及时|组织|着手|计划|拟|将要|即将|准备|"
            r"正在|应当|应该|(?<![相适对反供响效回感])应|需要|(?<![主重只纲摘提需])要|必须|务必|负责|牵头|做好|开展|"
            r"逐步|进一步|定期|请|建议|提请|申请|督促|指导|已(?:经|被)?(?!决定)|业已|被)")
#: a co-agent between the actor and the verb: 国家发展改革委正在会同有关部门修订《…》
_CO_AGENT = r"(?:会同|联合|协同|商)[\p{Han}、]{1,20}?"
#: the cited text as the object of the change, put before the verb: 抓紧对《…》进行修订
_OBJECT_FIRST = rf"[对将把][{CITATION_MASK}、和及与]+"
#: the words before a change verb (修订, 废止 …) that make it one not made by the citing text —
#: matched against the clause up to the verb, the citation masked: 加快修订 / 正在会同有关部门修订 /
#: 抓紧对◇进行修订 / 由省发展改革委会同有关部门修订 (a task given to someone)
PLANNED_CHANGE = re.compile(
    rf"{_NOT_YET}(?:{_CO_AGENT})?\p{{Han}}{{0,2}}(?:{_OBJECT_FIRST}\p{{Han}}{{0,2}})?$"
    rf"|由[\p{{Han}}、]{{2,24}}(?:{_OBJECT_FIRST}\p{{Han}}{{0,2}})?$"
)
#: words right after a change verb that make it no act of the citing text: a task or a noun
#: (修订完善, 修订建议, 修订意见, 修订工作, 修订稿 …), a revised text (修订后的《…》), a revision
#: another body adopted (《国务院工作规则》已经…常务会议修订通过，现予印发: the notice issues it),
#: a report of a past act (国务院修订了《…》)
CHANGE_NOT_MADE_AFTER = re.compile(r"完善|建议|意见|稿|草案|征求|工作|计划|任务|后|通过|了")
#: the sentence of a notice that issues or forwards the text it carries: 《…》已经省政府同意，现印发给你们
CARRIER_SENTENCE: dict[Relation, re.Pattern[str]] = {
    "issues": re.compile(r"现(?:予|将\p{Han}{0,6})?印发|印发给你们|现予发布|现发布|现(?:予)?公布"),
    "forwards": re.compile(r"现(?:予|将\p{Han}{0,6})?(?:转发|批转)|(?:转发|批转)给你们"),
}
#: where a clause ends (relation words govern within a clause)
CLAUSE_END = "。；;，,：:！？!?\n"
#: where a sentence ends (a reference keeps the sentence it stands in)
SENTENCE_END = "。！？!?；;\n"

# --- effect and validity (validity.py) -------------------------------------------------------

#: the verbs that make a text take effect
_TAKES_EFFECT = r"(?:起)?(?:施行|实施|执行|生效)"
#: how a text names itself in its effect clause: 本办法, 此方案, 本通知, 该规定
SELF_REFERENCE = ("本", "此", "该")
#: the number an article or item opens with, before its words: 第三十六条, 7.3, （二）
CLAUSE_NUMBERING = re.compile(rf"^(?:第{CN_NUM}{{1,5}}条"
                              rf"|[（(]?(?:{DIGIT}+(?:[.．]{DIGIT}+)*|{CN_NUM}{{1,3}})[)）、.．]?)\s*")
#: 本办法自2019年8月1日起施行 / 自2019年1月1日起实施
EFFECTIVE_FROM_DATE = re.compile(rf"自\s*(?P<date>{_ANY_DATE})\s*{_TAKES_EFFECT}")
#: 自印发之日起施行 / 自发布之日起实施 → the document's own date
EFFECTIVE_ON_ISSUE = re.compile(rf"自(?:印发|发布|下发|签发|发文)之日起{_TAKES_EFFECT}")
#: 自公布之日起施行 (a 令 or regulation) → the document's own date, the day it was published
EFFECTIVE_ON_PUBLICATION = re.compile(rf"自公布之日起{_TAKES_EFFECT}")
#: 有效期5年 / 有效期为三年 / 有效期限五年 — counted from the effective date, else the document's date
VALID_FOR_YEARS = re.compile(rf"有效期(?:限)?(?:为)?\s*(?P<years>{DIGIT}{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*年")
#: 有效期至2022年12月31日 / 有效期截至… — the last day it is valid
VALID_UNTIL = re.compile(rf"有效期(?:限)?(?:至|截至|到)\s*(?P<date>{_ANY_DATE})")
