"""Parse, validate and normalise a standard code (标准编号).

``parse("ＧＢ／Ｔ 19001—2016")`` returns a :class:`ParseResult` whose ``standard`` is
``StandardCode(body="GB", kind=Kind.RECOMMENDED, number="19001", part=None, year=2016,
level=Level.NATIONAL)``, printed ``GB/T 19001-2016``; a code that cannot be parsed gives an
``error`` instead (an :class:`ErrorCode` and the reason in Chinese and English). ``parse`` never
raises; :func:`parse_code` raises :class:`StandardCodeError` for callers that prefer that.

Grammar after normalising the characters (NFKC, every dash to ``-``, upper case, spaces collapsed
and dropped around ``/ - : .``):

* international: ``ISO|IEC|ISO/IEC`` [``/TS|/TR|/PAS`` or `` TS|TR|PAS``] [``GUIDE``] number
  [``-part``…] [``:year``]; ``ITU-T`` [``REC.``] ``X.nnn`` [``(MM/YYYY)`` or ``(YYYY)``];
* national ``GB``, ``GB/T``, ``GB/Z`` and the metrology documents ``JJG`` / ``JJF``; industry
  ``XX``, ``XX/T``, ``XX/Z`` with an official industry code (bodies.py); local ``DB43``,
  ``DB43/``, ``DB43/T`` (or a four-digit city code, ``DB4302/T``): number [``.part``…]
  [``-year``], the year of four digits or, on old standards, two (``GB 5749-85`` is 1985);
* group ``T/<association> number-year`` and enterprise ``Q/<enterprise> number-year``, whose
  numbers may carry letters (``Q/GDW 1168-2013``).

Docs: docs/standards.md.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from zhizao.stdcodes.bodies import (
    INDUSTRY,
    INTERNATIONAL,
    METROLOGY,
    NATIONAL,
    PROVINCES,
    BodyName,
)

CHINA_STANDARD_TIME: Final = dt.timezone(dt.timedelta(hours=8), "CST")
MAX_LENGTH: Final = 80
"""Longer text is not a code (the longest real ones are about 30 characters)."""

EARLIEST_YEAR_INTERNATIONAL: Final = 1906
"""The IEC, the oldest body of the list, was founded in 1906."""
EARLIEST_YEAR_CHINESE: Final = 1949
"""Chinese national, industry, local, group and enterprise codes date from 1949 on."""


def today_in_china() -> dt.date:
    return dt.datetime.now(CHINA_STANDARD_TIME).date()


class Level(StrEnum):
    """The level of a standard (标准层级), which follows from its code."""

    INTERNATIONAL = "international"  # 国际标准
    NATIONAL = "national"  # 国家标准
    INDUSTRY = "industry"  # 行业标准
    LOCAL = "local"  # 地方标准
    GROUP = "group"  # 团体标准
    ENTERPRISE = "enterprise"  # 企业标准


class Kind(StrEnum):
    """What the code says about the document's force or deliverable type."""

    MANDATORY = "mandatory"  # 强制性 (GB, HJ, DB43)
    RECOMMENDED = "recommended"  # 推荐性 (/T)
    GUIDANCE = "guidance"  # 指导性技术文件 (/Z)
    STANDARD = "standard"  # ISO/IEC International Standard
    TECHNICAL_SPECIFICATION = "technical_specification"  # ISO/TS
    TECHNICAL_REPORT = "technical_report"  # ISO/TR
    PUBLICLY_AVAILABLE_SPECIFICATION = "publicly_available_specification"  # ISO/PAS
    GUIDE = "guide"  # ISO/IEC Guide
    RECOMMENDATION = "recommendation"  # ITU-T Recommendation
    VERIFICATION_REGULATION = "verification_regulation"  # JJG 国家计量检定规程
    METROLOGY_SPECIFICATION = "metrology_specification"  # JJF 国家计量技术规范
    VOLUNTARY = "voluntary"  # group (T/) and enterprise (Q/) standards, adopted voluntarily


class ErrorCode(StrEnum):
    """Why a code was refused; stable identifiers for tests, APIs and translations."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    MISSING_BODY = "missing_body"
    UNKNOWN_BODY = "unknown_body"
    UNKNOWN_PROVINCE = "unknown_province"
    MISSING_ISSUER = "missing_issuer"
    UNKNOWN_KIND = "unknown_kind"
    KIND_NOT_ALLOWED = "kind_not_allowed"
    MISSING_NUMBER = "missing_number"
    BAD_NUMBER = "bad_number"
    BAD_YEAR = "bad_year"
    FUTURE_YEAR = "future_year"
    YEAR_TOO_EARLY = "year_too_early"
    YEAR_SEPARATOR = "year_separator"
    TRAILING_TEXT = "trailing_text"


MESSAGES: Final[Mapping[ErrorCode, tuple[str, str]]] = {
    ErrorCode.EMPTY: ("标准编号为空", "the standard code is empty"),
    ErrorCode.TOO_LONG: (
        "文本过长（{length} 个字符），不是标准编号",
        "the text is too long ({length} characters) to be a standard code",
    ),
    ErrorCode.MISSING_BODY: (
        "“{text}”缺少标准代号（如 GB、GB/T、ISO、DB43/T）",
        "{text!r} has no body code (such as GB, GB/T, ISO, DB43/T)",
    ),
    ErrorCode.UNKNOWN_BODY: (
        "未知的标准代号“{body}”：不是国际、国家或已公布的行业标准代号",
        "unknown body {body!r}: not an international, national or published industry code",
    ),
    ErrorCode.UNKNOWN_PROVINCE: (
        "地方标准代号 DB{region} 中的“{region}”不是 GB/T 2260 的省级（两位）或市级（四位）"
        "行政区划代码",
        "in the local code DB{region}, {region!r} is not a province (two digits) or city "
        "(four digits) code of GB/T 2260",
    ),
    ErrorCode.MISSING_ISSUER: (
        "{prefix} 后缺少{issuer_zh}代号",
        "{prefix} is not followed by the {issuer_en} code",
    ),
    ErrorCode.UNKNOWN_KIND: (
        "“{body}{suffix}”中的“{suffix}”不是 /T（推荐性）或 /Z（指导性）",
        "{suffix!r} in {body}{suffix} is neither /T (recommended) nor /Z (guidance)",
    ),
    ErrorCode.KIND_NOT_ALLOWED: (
        "{body} 没有“{suffix}”类别",
        "{body} codes have no {suffix!r} kind",
    ),
    ErrorCode.MISSING_NUMBER: (
        "{body} 后缺少标准顺序号",
        "{body} is not followed by the standard's number",
    ),
    ErrorCode.BAD_NUMBER: (
        "“{number}”不是 {body} 标准的顺序号",
        "{number!r} is not a number of a {body} standard",
    ),
    ErrorCode.BAD_YEAR: (
        "年代号“{year}”应为四位数字（旧标准为两位）",
        "the year {year!r} must have four digits (two on old standards)",
    ),
    ErrorCode.FUTURE_YEAR: (
        "年代号 {year} 晚于今年（{this_year}）",
        "the year {year} is later than this year ({this_year})",
    ),
    ErrorCode.YEAR_TOO_EARLY: (
        "年代号 {year} 早于 {earliest} 年，不可能是 {body} 标准",
        "the year {year} is before {earliest}, impossible for a {body} standard",
    ),
    ErrorCode.YEAR_SEPARATOR: (
        "{body} 标准的年代号用冒号：应写作 {suggestion}（“-{year}”会被当作部分号）",
        "{body} years follow a colon: write {suggestion} ('-{year}' reads as a part number)",
    ),
    ErrorCode.TRAILING_TEXT: (
        "标准编号后有多余内容“{trail}”",
        "unexpected text {trail!r} after the standard code",
    ),
}


@dataclass(frozen=True)
class CodeError:
    """A refused code: the reason's identifier and its message in both languages."""

    code: ErrorCode
    message_zh: str
    message_en: str

    def message(self, language: str) -> str:
        """The message in ``language`` (``zh-hans``/``zh`` or anything else for English)."""
        return self.message_zh if language.lower().startswith("zh") else self.message_en

    def __str__(self) -> str:
        return f"{self.message_en} ({self.message_zh})"


class StandardCodeError(ValueError):
    """Raised by :func:`parse_code`; ``str()`` is ``"english (中文)"``."""

    def __init__(self, error: CodeError) -> None:
        self.error = error
        super().__init__(str(error))


@dataclass(frozen=True)
class StandardCode:
    """A valid standard code, in its parts."""

    body: str
    """``GB``, ``HJ``, ``ISO/IEC``, ``ITU-T``, ``DB43``, ``T/CAS``, ``Q/ZZ`` …"""
    kind: Kind
    number: str
    """The main number as printed (``19001``, ``001``, ``H.264``), without the part."""
    part: str | None
    """``2`` of ``GB/T 1234.2``, ``1`` of ``IEC 61508-1``, ``3-3`` of ``IEC 62443-3-3``."""
    year: int | None
    level: Level

    @property
    def code(self) -> str:
        """The normalised code: ``GB/T 19001-2016``, ``ISO/IEC 17025:2017`` …"""
        return _format(self, with_year=True)

    @property
    def key(self) -> str:
        """The code without its year: equal keys name the same standard (any edition)."""
        return _format(self, with_year=False)

    @property
    def body_name(self) -> BodyName:
        """The body's name in Chinese and English (the province's for a local standard)."""
        if self.level is Level.INTERNATIONAL:
            return INTERNATIONAL[self.body]
        if self.level is Level.NATIONAL:
            return NATIONAL.get(self.body) or METROLOGY[self.body]
        if self.level is Level.INDUSTRY:
            return INDUSTRY[self.body]
        if self.level is Level.LOCAL:
            province = PROVINCES[self.body[2:4]]
            return BodyName(f"{province.zh}地方标准", f"Local standard of {province.en}")
        issuer = self.body[2:]
        if self.level is Level.GROUP:
            return BodyName(f"团体标准（{issuer}）", f"Group standard ({issuer})")
        return BodyName(f"企业标准（{issuer}）", f"Enterprise standard ({issuer})")

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class ParseResult:
    """What :func:`parse` makes of one input: a standard or an error, never both."""

    input: str = field(compare=False)
    standard: StandardCode | None
    error: CodeError | None

    @property
    def ok(self) -> bool:
        return self.standard is not None

    def as_dict(self) -> dict[str, object]:
        """The ``zhizao standards parse --json`` shape of this result."""
        standard = self.standard
        error = self.error
        return {
            "input": self.input,
            "code": standard.code if standard else None,
            "body": standard.body if standard else None,
            "kind": standard.kind.value if standard else None,
            "number": standard.number if standard else None,
            "part": standard.part if standard else None,
            "year": standard.year if standard else None,
            "level": standard.level.value if standard else None,
            "error": (
                {"code": error.code.value, "zh": error.message_zh, "en": error.message_en}
                if error
                else None
            ),
        }


# --- characters -------------------------------------------------------------------------------

_DASHES: Final = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b"), "-"
)
_DASH_RUN: Final = re.compile(r"-{2,}")
_SPACES: Final = re.compile(r"\s+")
_SPACE_AROUND: Final = re.compile(r" ?([/:.\-]) ?")


def clean(text: str) -> str:
    """The characters of ``text`` normalised: NFKC (full-width to ASCII), every dash variant to
    ``-`` (a doubled em dash too), upper case, whitespace collapsed and dropped around
    ``/ - : .``. Idempotent."""
    previous = None
    for _ in range(4):  # upper-casing can leave text NFKC changes again; settle it
        if text == previous:
            break
        previous = text
        text = unicodedata.normalize("NFKC", text).upper().translate(_DASHES)
        text = _DASH_RUN.sub("-", text)
        text = _SPACES.sub(" ", text).strip()
        text = _SPACE_AROUND.sub(r"\1", text)
    return text


# --- grammar ----------------------------------------------------------------------------------

_INTERNATIONAL: Final = re.compile(
    r"(?P<body>ISO/IEC|ISO|IEC)(?![A-Z])"
    r"(?:/(?P<slash_kind>TS|TR|PAS)(?![A-Z])| (?P<space_kind>TS|TR|PAS) )?"
    r" ?(?P<guide>GUIDE(?![A-Z]))? ?(?P<rest>.*)"
)
_INTERNATIONAL_NUMBER: Final = re.compile(r"(?P<number>\d+)(?P<part>(?:-\d+)*)(?::(?P<year>\d+))?")
_ITU: Final = re.compile(r"ITU-T(?: ?REC\.?)? ?(?P<rest>.*)")
_ITU_NUMBER: Final = re.compile(
    r"(?P<number>[A-Z]\.\d+(?:\.\d+)*)(?: ?\((?:\d{1,2}/)?(?P<year>\d+)\))?"
)
_ISSUED: Final = re.compile(r"(?P<prefix>[TQ])/(?P<rest>.*)")
_LOCAL: Final = re.compile(r"DB(?P<region>\d+)(?P<suffix>/[A-Z]*)? ?(?P<rest>.*)")
_CHINESE: Final = re.compile(r"(?P<body>[A-Z]+)(?P<suffix>/[A-Z]*)? ?(?P<rest>.*)")
_CHINESE_NUMBER: Final = re.compile(r"(?P<number>\d+)(?P<part>(?:\.\d+)*)(?:[-:](?P<year>\d+))?")
_ISSUED_NUMBER: Final = re.compile(
    r"(?P<number>[A-Z]*\d+[A-Z]*)(?P<part>(?:\.\d+)*)(?:[-:](?P<year>\d+))?"
)

_INTERNATIONAL_KINDS: Final = {
    "TS": Kind.TECHNICAL_SPECIFICATION,
    "TR": Kind.TECHNICAL_REPORT,
    "PAS": Kind.PUBLICLY_AVAILABLE_SPECIFICATION,
}
_INTERNATIONAL_KIND_NAMES: Final = {kind: name for name, kind in _INTERNATIONAL_KINDS.items()}
_CHINESE_KINDS: Final = {"": Kind.MANDATORY, "/T": Kind.RECOMMENDED, "/Z": Kind.GUIDANCE}
_CHINESE_SUFFIXES: Final = {kind: suffix for suffix, kind in _CHINESE_KINDS.items()}
_METROLOGY_KINDS: Final = {
    "JJG": Kind.VERIFICATION_REGULATION,
    "JJF": Kind.METROLOGY_SPECIFICATION,
}


class _Refused(Exception):
    def __init__(self, code: ErrorCode, **params: object) -> None:
        zh, en = MESSAGES[code]
        self.error = CodeError(code, zh.format(**params), en.format(**params))
        super().__init__(self.error.message_en)


def parse(text: str, *, today: dt.date | None = None) -> ParseResult:
    """Parse ``text`` into a :class:`StandardCode`, or say why it is not one. Never raises."""
    cleaned = clean(text)
    try:
        standard = _parse(cleaned, today or today_in_china())
    except _Refused as refused:
        return ParseResult(input=text, standard=None, error=refused.error)
    return ParseResult(input=text, standard=standard, error=None)


def parse_code(text: str, *, today: dt.date | None = None) -> StandardCode:
    """Like :func:`parse`, but return the standard or raise :class:`StandardCodeError`."""
    result = parse(text, today=today)
    if result.standard is None:
        assert result.error is not None
        raise StandardCodeError(result.error)
    return result.standard


def normalise(text: str, *, today: dt.date | None = None) -> str:
    """The normalised code of ``text``; for text that is no valid code, its cleaned characters
    (so that ``normalise`` is idempotent and ``parse(normalise(x)) == parse(x)``)."""
    result = parse(text, today=today)
    return result.standard.code if result.standard else clean(text)


def standard_key(text: str, *, today: dt.date | None = None) -> str | None:
    """The "same standard" key of ``text`` (the code without its year), or None if invalid:
    ``GB/T 19001``, ``GB/T19001-2016`` and ``GB/T 19001—2016`` all give ``GB/T 19001``."""
    result = parse(text, today=today)
    return result.standard.key if result.standard else None


def same_standard(first: str, second: str, *, today: dt.date | None = None) -> bool:
    """Whether two codes name the same standard: same body, kind, number and part, and the same
    year unless one of them gives none. An invalid code matches nothing."""
    one, other = parse(first, today=today).standard, parse(second, today=today).standard
    if one is None or other is None or one.key != other.key:
        return False
    return one.year is None or other.year is None or one.year == other.year


def _parse(text: str, today: dt.date) -> StandardCode:
    if not text:
        raise _Refused(ErrorCode.EMPTY)
    if len(text) > MAX_LENGTH:
        raise _Refused(ErrorCode.TOO_LONG, length=len(text))
    if text.startswith("ITU-T"):
        return _parse_itu(text, today)
    international = _INTERNATIONAL.fullmatch(text)
    if international:
        return _parse_international(international, today)
    issued = _ISSUED.fullmatch(text)
    if issued:
        return _parse_issued(issued["prefix"], issued["rest"], today)
    local = _LOCAL.fullmatch(text)
    if local:
        return _parse_local(local, today)
    chinese = _CHINESE.fullmatch(text)
    if chinese is None:
        raise _Refused(ErrorCode.MISSING_BODY, text=text)
    return _parse_chinese(chinese, today)


def _parse_international(match: re.Match[str], today: dt.date) -> StandardCode:
    body = match["body"]
    deliverable = match["slash_kind"] or match["space_kind"]
    kind = _INTERNATIONAL_KINDS[deliverable] if deliverable else Kind.STANDARD
    if match["guide"]:
        kind = Kind.GUIDE
    rest = match["rest"]
    number = _INTERNATIONAL_NUMBER.match(rest)
    if number is None:
        _refuse_number(body, rest)
    assert number is not None
    _refuse_trailing(rest[number.end() :])
    part = number["part"][1:] or None
    year = _year(number["year"], body, EARLIEST_YEAR_INTERNATIONAL, today, two_digits=False)
    if year is None and part is not None:
        last = part.rsplit("-", 1)[-1]
        if len(last) == 4 and EARLIEST_YEAR_INTERNATIONAL <= int(last) <= today.year:
            meant = StandardCode(
                body, kind, number["number"], part[:-5] or None, int(last), Level.INTERNATIONAL
            )
            raise _Refused(ErrorCode.YEAR_SEPARATOR, body=body, year=last, suggestion=meant.code)
    return StandardCode(body, kind, number["number"], part, year, Level.INTERNATIONAL)


def _parse_itu(text: str, today: dt.date) -> StandardCode:
    match = _ITU.fullmatch(text)
    assert match is not None  # the pattern accepts anything after ITU-T
    rest = match["rest"]
    number = _ITU_NUMBER.match(rest)
    if number is None:
        _refuse_number("ITU-T", rest)
    assert number is not None
    _refuse_trailing(rest[number.end() :])
    year = _year(number["year"], "ITU-T", EARLIEST_YEAR_INTERNATIONAL, today, two_digits=False)
    return StandardCode(
        "ITU-T", Kind.RECOMMENDATION, number["number"], None, year, Level.INTERNATIONAL
    )


def _parse_issued(prefix: str, rest: str, today: dt.date) -> StandardCode:
    level = Level.GROUP if prefix == "T" else Level.ENTERPRISE
    if " " in rest:
        issuer, _, rest = rest.partition(" ")
    else:  # "T/CAS123-2019": the issuer is the leading letters
        letters = re.match(r"[A-Z]*", rest)
        issuer = letters[0] if letters else ""
        rest = rest[len(issuer) :]
    if not re.fullmatch(r"[A-Z][A-Z0-9]*", issuer):
        if level is Level.GROUP:
            names = {"issuer_zh": "社会团体", "issuer_en": "association"}
        else:
            names = {"issuer_zh": "企业", "issuer_en": "enterprise"}
        raise _Refused(ErrorCode.MISSING_ISSUER, prefix=f"{prefix}/", **names)
    body = f"{prefix}/{issuer}"
    number = _ISSUED_NUMBER.match(rest)
    if number is None:
        _refuse_number(body, rest)
    assert number is not None
    _refuse_trailing(rest[number.end() :])
    year = _year(number["year"], body, EARLIEST_YEAR_CHINESE, today, two_digits=True)
    part = number["part"][1:] or None
    return StandardCode(body, Kind.VOLUNTARY, number["number"], part, year, level)


def _parse_local(match: re.Match[str], today: dt.date) -> StandardCode:
    region = match["region"]
    city_ok = len(region) == 4 and region[2:] != "00"
    if region[:2] not in PROVINCES or not (len(region) == 2 or city_ok):
        raise _Refused(ErrorCode.UNKNOWN_PROVINCE, region=region)
    body = f"DB{region}"
    suffix = match["suffix"] or ""
    # Mandatory local standards are printed with a bare slash: "DB44/ 27-2001".
    kind = Kind.MANDATORY if suffix == "/" else _chinese_kind(body, suffix, allow_guidance=False)
    return _chinese_number(body, kind, Level.LOCAL, match["rest"], today)


def _parse_chinese(match: re.Match[str], today: dt.date) -> StandardCode:
    body, suffix = match["body"], match["suffix"] or ""
    known = NATIONAL.keys() | INDUSTRY.keys() | _METROLOGY_KINDS.keys()
    if body not in known and not suffix and body[-1:] in "TZ" and body[:-1] in known:
        body, suffix = body[:-1], f"/{body[-1]}"  # "GBT 19001-2016", as in file names
    if body in _METROLOGY_KINDS:
        if suffix:
            raise _Refused(ErrorCode.KIND_NOT_ALLOWED, body=body, suffix=suffix)
        return _chinese_number(body, _METROLOGY_KINDS[body], Level.NATIONAL, match["rest"], today)
    if body in NATIONAL:
        level = Level.NATIONAL
    elif body in INDUSTRY:
        level = Level.INDUSTRY
    else:
        raise _Refused(ErrorCode.UNKNOWN_BODY, body=body)
    kind = _chinese_kind(body, suffix, allow_guidance=True)
    return _chinese_number(body, kind, level, match["rest"], today)


def _chinese_kind(body: str, suffix: str, *, allow_guidance: bool) -> Kind:
    if suffix not in _CHINESE_KINDS:
        raise _Refused(ErrorCode.UNKNOWN_KIND, body=body, suffix=suffix)
    if suffix == "/Z" and not allow_guidance:
        raise _Refused(ErrorCode.KIND_NOT_ALLOWED, body=body, suffix=suffix)
    return _CHINESE_KINDS[suffix]


def _chinese_number(body: str, kind: Kind, level: Level, rest: str, today: dt.date) -> StandardCode:
    number = _CHINESE_NUMBER.match(rest)
    if number is None:
        _refuse_number(body, rest)
    assert number is not None
    _refuse_trailing(rest[number.end() :])
    year = _year(number["year"], body, EARLIEST_YEAR_CHINESE, today, two_digits=True)
    part = number["part"][1:] or None
    return StandardCode(body, kind, number["number"], part, year, level)


def _refuse_number(body: str, rest: str) -> None:
    if not rest or rest[0] in "-:":
        raise _Refused(ErrorCode.MISSING_NUMBER, body=body)
    raise _Refused(ErrorCode.BAD_NUMBER, body=body, number=rest.split(" ")[0])


def _refuse_trailing(trail: str) -> None:
    if trail:
        raise _Refused(ErrorCode.TRAILING_TEXT, trail=trail.strip())


def _year(
    digits: str | None, body: str, earliest: int, today: dt.date, *, two_digits: bool
) -> int | None:
    if digits is None:
        return None
    if len(digits) == 4:
        year = int(digits)
    elif len(digits) == 2 and two_digits:
        year = 1900 + int(digits)  # two-digit years were printed until the 1990s
    else:
        raise _Refused(ErrorCode.BAD_YEAR, year=digits)
    if year > today.year:
        raise _Refused(ErrorCode.FUTURE_YEAR, year=year, this_year=today.year)
    if year < earliest:
        raise _Refused(ErrorCode.YEAR_TOO_EARLY, year=year, earliest=earliest, body=body)
    return year


def _format(standard: StandardCode, *, with_year: bool) -> str:
    year = standard.year if with_year else None
    if standard.level is Level.INTERNATIONAL:
        if standard.body == "ITU-T":
            return f"ITU-T {standard.number}" + (f" ({year})" if year else "")
        deliverable = _INTERNATIONAL_KIND_NAMES.get(standard.kind)
        head = standard.body
        if deliverable:
            head += f" {deliverable}" if "/" in standard.body else f"/{deliverable}"
        if standard.kind is Kind.GUIDE:
            head += " Guide"
        part = f"-{standard.part}" if standard.part else ""
        return f"{head} {standard.number}{part}" + (f":{year}" if year else "")
    suffix = _CHINESE_SUFFIXES.get(standard.kind, "")
    if standard.level is Level.LOCAL and standard.kind is Kind.MANDATORY:
        suffix = "/"  # as printed: "DB44/ 27-2001"
    part = f".{standard.part}" if standard.part else ""
    return f"{standard.body}{suffix} {standard.number}{part}" + (f"-{year}" if year else "")
