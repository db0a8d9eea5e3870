"""The standard-code parser on real codes of every level, on malformed ones, and on
random text (Hypothesis). No database, no Django."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhizao.stdcodes import (
    ErrorCode,
    Kind,
    Level,
    StandardCodeError,
    normalise,
    parse,
    parse_code,
    same_standard,
    standard_key,
)
from zhizao.stdcodes.bodies import INDUSTRY, PROVINCES
from zhizao.stdcodes.codes import clean

TODAY = dt.date(2026, 12, 1)

INT, NAT, IND, LOC, GRP, ENT = (
    Level.INTERNATIONAL,
    Level.NATIONAL,
    Level.INDUSTRY,
    Level.LOCAL,
    Level.GROUP,
    Level.ENTERPRISE,
)
M, R, G = Kind.MANDATORY, Kind.RECOMMENDED, Kind.GUIDANCE
IS, TS, GUIDE, REC = Kind.STANDARD, Kind.TECHNICAL_SPECIFICATION, Kind.GUIDE, Kind.RECOMMENDATION
JJF, JJG, V = Kind.METROLOGY_SPECIFICATION, Kind.VERIFICATION_REGULATION, Kind.VOLUNTARY

# Codes as printed on real standards (and on the covers of their PDFs): input, normalised code,
# body, kind, number, part, year, level.
REAL_CODES: list[tuple[str, str, str, Kind, str, str | None, int | None, Level]] = [
    # international
    ("ISO 9001:2015", "ISO 9001:2015", "ISO", IS, "9001", None, 2015, INT),
    ("ISO 14001:2015", "ISO 14001:2015", "ISO", IS, "14001", None, 2015, INT),
    ("ISO 45001:2018", "ISO 45001:2018", "ISO", IS, "45001", None, 2018, INT),
    ("ISO 2859-1:1999", "ISO 2859-1:1999", "ISO", IS, "2859", "1", 1999, INT),
    ("ISO 8601-1:2019", "ISO 8601-1:2019", "ISO", IS, "8601", "1", 2019, INT),
    ("ISO/IEC 17025:2017", "ISO/IEC 17025:2017", "ISO/IEC", IS, "17025", None, 2017, INT),
    ("ISO/IEC 17020:2012", "ISO/IEC 17020:2012", "ISO/IEC", IS, "17020", None, 2012, INT),
    ("ISO/IEC 17065:2012", "ISO/IEC 17065:2012", "ISO/IEC", IS, "17065", None, 2012, INT),
    ("ISO/IEC 27001:2022", "ISO/IEC 27001:2022", "ISO/IEC", IS, "27001", None, 2022, INT),
    ("IEC 61508-1:2010", "IEC 61508-1:2010", "IEC", IS, "61508", "1", 2010, INT),
    ("IEC 60068-2-6:2007", "IEC 60068-2-6:2007", "IEC", IS, "60068", "2-6", 2007, INT),
    ("IEC 62443-3-3:2013", "IEC 62443-3-3:2013", "IEC", IS, "62443", "3-3", 2013, INT),
    ("ISO/TS 16949:2009", "ISO/TS 16949:2009", "ISO", TS, "16949", None, 2009, INT),
    ("ISO/IEC Guide 98-3:2008", "ISO/IEC Guide 98-3:2008", "ISO/IEC", GUIDE, "98", "3", 2008, INT),
    ("ITU-T H.264", "ITU-T H.264", "ITU-T", REC, "H.264", None, None, INT),
    ("ITU-T G.711", "ITU-T G.711", "ITU-T", REC, "G.711", None, None, INT),
    ("ITU-T Rec. X.509 (10/2019)", "ITU-T X.509 (2019)", "ITU-T", REC, "X.509", None, 2019, INT),
    # national: mandatory, recommended, guidance; metrology documents
    ("GB 3095-2012", "GB 3095-2012", "GB", M, "3095", None, 2012, NAT),
    ("GB 3095-1996", "GB 3095-1996", "GB", M, "3095", None, 1996, NAT),
    ("GB 3838-2002", "GB 3838-2002", "GB", M, "3838", None, 2002, NAT),
    ("GB/T 2260-2007", "GB/T 2260-2007", "GB", R, "2260", None, 2007, NAT),
    ("GB 32100-2015", "GB 32100-2015", "GB", M, "32100", None, 2015, NAT),
    ("GB/T 19580-2012", "GB/T 19580-2012", "GB", R, "19580", None, 2012, NAT),
    ("GB/Z 19579-2012", "GB/Z 19579-2012", "GB", G, "19579", None, 2012, NAT),
    ("GB/Z 20986-2007", "GB/Z 20986-2007", "GB", G, "20986", None, 2007, NAT),
    ("GB 5749-2022", "GB 5749-2022", "GB", M, "5749", None, 2022, NAT),
    ("GB 18918-2002", "GB 18918-2002", "GB", M, "18918", None, 2002, NAT),
    ("GB/T 5009.199-2003", "GB/T 5009.199-2003", "GB", R, "5009", "199", 2003, NAT),
    ("GB/T 19001-2016", "GB/T 19001-2016", "GB", R, "19001", None, 2016, NAT),
    ("GB 2760-2014", "GB 2760-2014", "GB", M, "2760", None, 2014, NAT),
    ("GB 4706.1-2005", "GB 4706.1-2005", "GB", M, "4706", "1", 2005, NAT),
    ("GB/T 1.1-2020", "GB/T 1.1-2020", "GB", R, "1", "1", 2020, NAT),
    ("GB/T 2828.1-2012", "GB/T 2828.1-2012", "GB", R, "2828", "1", 2012, NAT),
    ("GB/T 8170-2008", "GB/T 8170-2008", "GB", R, "8170", None, 2008, NAT),
    ("GB/T 27025-2019", "GB/T 27025-2019", "GB", R, "27025", None, 2019, NAT),
    ("GB/T 14848-2017", "GB/T 14848-2017", "GB", R, "14848", None, 2017, NAT),
    ("GB 8978-1996", "GB 8978-1996", "GB", M, "8978", None, 1996, NAT),
    ("GB/T 18376.1-2008", "GB/T 18376.1-2008", "GB", R, "18376", "1", 2008, NAT),
    ("JJF 1059.1-2012", "JJF 1059.1-2012", "JJF", JJF, "1059", "1", 2012, NAT),
    ("JJG 707-2014", "JJG 707-2014", "JJG", JJG, "707", None, 2014, NAT),
    # old two-digit years
    ("GB 5749-85", "GB 5749-1985", "GB", M, "5749", None, 1985, NAT),
    ("GB 3838-88", "GB 3838-1988", "GB", M, "3838", None, 1988, NAT),
    ("GB 3095-82", "GB 3095-1982", "GB", M, "3095", None, 1982, NAT),
    # em dash of printed standards, full-width characters, stray spaces
    ("GB 3095—2012", "GB 3095-2012", "GB", M, "3095", None, 2012, NAT),
    ("GB/T 19001——2016", "GB/T 19001-2016", "GB", R, "19001", None, 2016, NAT),
    ("ＧＢ／Ｔ　１９００１－２０１６", "GB/T 19001-2016", "GB", R, "19001", None, 2016, NAT),
    ("ＨＪ　６３３—２０１２", "HJ 633-2012", "HJ", M, "633", None, 2012, IND),
    ("  gb / t  19001 - 2016 ", "GB/T 19001-2016", "GB", R, "19001", None, 2016, NAT),
    ("GB/T19001-2016", "GB/T 19001-2016", "GB", R, "19001", None, 2016, NAT),
    ("ISO 9001 : 2015", "ISO 9001:2015", "ISO", IS, "9001", None, 2015, INT),
    # industry (19 bodies)
    ("HJ 633-2012", "HJ 633-2012", "HJ", M, "633", None, 2012, IND),
    ("HJ 663-2013", "HJ 663-2013", "HJ", M, "663", None, 2013, IND),
    ("HJ/T 91-2002", "HJ/T 91-2002", "HJ", R, "91", None, 2002, IND),
    ("TB/T 3500-2018", "TB/T 3500-2018", "TB", R, "3500", None, 2018, IND),
    ("JT/T 808-2019", "JT/T 808-2019", "JT", R, "808", None, 2019, IND),
    ("SJ/T 11364-2014", "SJ/T 11364-2014", "SJ", R, "11364", None, 2014, IND),
    ("NY/T 391-2013", "NY/T 391-2013", "NY", R, "391", None, 2013, IND),
    ("QC/T 29106-2014", "QC/T 29106-2014", "QC", R, "29106", None, 2014, IND),
    ("YY 0505-2012", "YY 0505-2012", "YY", M, "0505", None, 2012, IND),
    ("YY/T 0287-2017", "YY/T 0287-2017", "YY", R, "0287", None, 2017, IND),
    ("DL/T 645-2007", "DL/T 645-2007", "DL", R, "645", None, 2007, IND),
    ("GA 36-2018", "GA 36-2018", "GA", M, "36", None, 2018, IND),
    ("JGJ 130-2011", "JGJ 130-2011", "JGJ", M, "130", None, 2011, IND),
    ("CJJ 1-2008", "CJJ 1-2008", "CJJ", M, "1", None, 2008, IND),
    ("RB/T 214-2017", "RB/T 214-2017", "RB", R, "214", None, 2017, IND),
    ("GM/T 0044-2016", "GM/T 0044-2016", "GM", R, "0044", None, 2016, IND),
    ("SL 252-2017", "SL 252-2017", "SL", M, "252", None, 2017, IND),
    ("AQ 3013-2008", "AQ 3013-2008", "AQ", M, "3013", None, 2008, IND),
    ("WS/T 367-2012", "WS/T 367-2012", "WS", R, "367", None, 2012, IND),
    ("NB/T 47013.1-2015", "NB/T 47013.1-2015", "NB", R, "47013", "1", 2015, IND),
    ("HG/T 20592-2009", "HG/T 20592-2009", "HG", R, "20592", None, 2009, IND),
    ("JB/T 10391-2008", "JB/T 10391-2008", "JB", R, "10391", None, 2008, IND),
    # local, several provinces; mandatory ones are printed with a bare slash
    ("DB11/ 501-2017", "DB11/ 501-2017", "DB11", M, "501", None, 2017, LOC),
    ("DB31/ 933-2015", "DB31/ 933-2015", "DB31", M, "933", None, 2015, LOC),
    ("DB44/ 27-2001", "DB44/ 27-2001", "DB44", M, "27", None, 2001, LOC),
    ("DB44/26-2001", "DB44/ 26-2001", "DB44", M, "26", None, 2001, LOC),
    ("DB32/ 4041-2021", "DB32/ 4041-2021", "DB32", M, "4041", None, 2021, LOC),
    ("DB43/T 388-2020", "DB43/T 388-2020", "DB43", R, "388", None, 2020, LOC),
    ("DB43/T 1234—2020", "DB43/T 1234-2020", "DB43", R, "1234", None, 2020, LOC),
    ("DB4302/T 12-2021", "DB4302/T 12-2021", "DB4302", R, "12", None, 2021, LOC),
    # group and enterprise
    ("T/CAQ 10201-2020", "T/CAQ 10201-2020", "T/CAQ", V, "10201", None, 2020, GRP),
    ("T/CSAE 53-2017", "T/CSAE 53-2017", "T/CSAE", V, "53", None, 2017, GRP),
    ("T/CAS 123-2019", "T/CAS 123-2019", "T/CAS", V, "123", None, 2019, GRP),
    ("T/CAS123—2019", "T/CAS 123-2019", "T/CAS", V, "123", None, 2019, GRP),
    ("Q/GDW 1168-2013", "Q/GDW 1168-2013", "Q/GDW", V, "1168", None, 2013, ENT),
    ("Q/CR 9604-2015", "Q/CR 9604-2015", "Q/CR", V, "9604", None, 2015, ENT),
    ("Q/ZZ 001-2020", "Q/ZZ 001-2020", "Q/ZZ", V, "001", None, 2020, ENT),
]  # fmt: skip

MALFORMED: list[tuple[str, ErrorCode]] = [
    ("", ErrorCode.EMPTY),
    ("  \u3000 ", ErrorCode.EMPTY),
    ("x" * 100, ErrorCode.TOO_LONG),
    ("19001-2016", ErrorCode.MISSING_BODY),
    ("质量管理体系", ErrorCode.MISSING_BODY),
    ("XY 123-2010", ErrorCode.UNKNOWN_BODY),
    ("GJB 9001C-2017", ErrorCode.UNKNOWN_BODY),  # military standards are not covered
    ("ISOX 9001", ErrorCode.UNKNOWN_BODY),
    ("DB99/T 1-2020", ErrorCode.UNKNOWN_PROVINCE),
    ("DB81/T 1-2020", ErrorCode.UNKNOWN_PROVINCE),  # Hong Kong issues no DB standards
    ("DB4300/T 1-2020", ErrorCode.UNKNOWN_PROVINCE),
    ("DB431/T 1-2020", ErrorCode.UNKNOWN_PROVINCE),
    ("T/ 123-2019", ErrorCode.MISSING_ISSUER),
    ("Q/ 001-2020", ErrorCode.MISSING_ISSUER),
    ("GB/X 1-2000", ErrorCode.UNKNOWN_KIND),
    ("GB/ 3095-2012", ErrorCode.UNKNOWN_KIND),
    ("DB43/Z 1-2020", ErrorCode.KIND_NOT_ALLOWED),
    ("JJG/T 707-2014", ErrorCode.KIND_NOT_ALLOWED),
    ("GB/T", ErrorCode.MISSING_NUMBER),
    ("GB/T -2016", ErrorCode.MISSING_NUMBER),
    ("ISO", ErrorCode.MISSING_NUMBER),
    ("GB/T ABC-2016", ErrorCode.BAD_NUMBER),
    ("ITU-T 264", ErrorCode.BAD_NUMBER),
    ("GB 3095-201", ErrorCode.BAD_YEAR),
    ("GB 3095-20122", ErrorCode.BAD_YEAR),
    ("ISO 9001:15", ErrorCode.BAD_YEAR),
    ("GB 3095-2099", ErrorCode.FUTURE_YEAR),
    ("ISO 9001:2027", ErrorCode.FUTURE_YEAR),
    ("GB 1-1900", ErrorCode.YEAR_TOO_EARLY),
    ("ISO 9001-2015", ErrorCode.YEAR_SEPARATOR),
    ("IEC 61508-1-2010", ErrorCode.YEAR_SEPARATOR),
    ("GB/T 19001-2016 质量管理体系 要求", ErrorCode.TRAILING_TEXT),
    ("GB/T 19001-2016/ISO 9001:2015", ErrorCode.TRAILING_TEXT),
]


def test_the_vectors_cover_every_level_and_enough_codes() -> None:
    assert len(REAL_CODES) >= 60
    assert {row[7] for row in REAL_CODES} == set(Level)
    assert {row[3] for row in REAL_CODES if row[7] is NAT} >= {M, R, G}
    assert len({row[2] for row in REAL_CODES if row[7] is IND}) >= 15
    assert len({row[2] for row in REAL_CODES if row[7] is LOC}) >= 5
    assert len(MALFORMED) >= 20
    assert {code for _text, code in MALFORMED} == set(ErrorCode)


@pytest.mark.parametrize(
    ("text", "code", "body", "kind", "number", "part", "year", "level"),
    REAL_CODES,
    ids=[row[0] for row in REAL_CODES],
)
def test_real_code(
    text: str,
    code: str,
    body: str,
    kind: Kind,
    number: str,
    part: str | None,
    year: int | None,
    level: Level,
) -> None:
    result = parse(text, today=TODAY)
    assert result.error is None
    standard = result.standard
    assert standard is not None
    assert (standard.code, standard.body, standard.kind, standard.number) == (
        code,
        body,
        kind,
        number,
    )
    assert (standard.part, standard.year, standard.level) == (part, year, level)
    assert normalise(text, today=TODAY) == code
    assert parse(code, today=TODAY) == result  # the normalised form reads back the same
    assert standard.body_name.zh
    assert standard.body_name.en


@pytest.mark.parametrize(("text", "reason"), MALFORMED, ids=[row[0][:30] for row in MALFORMED])
def test_malformed_code(text: str, reason: ErrorCode) -> None:
    result = parse(text, today=TODAY)
    assert result.standard is None
    assert result.error is not None
    assert result.error.code is reason
    assert result.error.message_zh != result.error.message_en
    assert any("\u4e00" <= char <= "\u9fff" for char in result.error.message_zh)
    assert result.error.message("zh-hans") == result.error.message_zh
    assert result.error.message("en") == result.error.message_en
    with pytest.raises(StandardCodeError) as raised:
        parse_code(text, today=TODAY)
    assert raised.value.error == result.error


def test_messages_name_the_offending_part() -> None:
    error = parse("DB99/T 1-2020", today=TODAY).error
    assert error is not None
    assert "99" in error.message_zh
    assert "GB/T 2260" in error.message_en
    error = parse("GB 3095-2099", today=TODAY).error
    assert error is not None
    assert "2099" in error.message_en
    assert "2026" in error.message_zh
    error = parse("ISO 9001-2015", today=TODAY).error
    assert error is not None
    assert "ISO 9001:2015" in error.message_en


def test_future_year_follows_today() -> None:
    assert parse("GB 1-2027", today=TODAY).error is not None
    assert parse("GB 1-2027", today=dt.date(2027, 1, 1)).standard is not None


def test_seismic_industry_code_and_local_code_differ() -> None:
    seismic = parse_code("DB/T 17-2006", today=TODAY)
    assert (seismic.level, seismic.body, seismic.kind) == (IND, "DB", R)
    local = parse_code("DB43/T 17-2006", today=TODAY)
    assert (local.level, local.body) == (LOC, "DB43")
    assert local.body_name.zh == "湖南省地方标准"


def test_letters_without_slash_are_read_as_the_kind() -> None:
    assert normalise("GBT 19001-2016") == "GB/T 19001-2016"
    assert normalise("HJT 91-2002") == "HJ/T 91-2002"
    assert normalise("GBZ 19579-2012") == "GB/Z 19579-2012"


def test_international_deliverables_normalise_to_their_printed_form() -> None:
    assert normalise("ISO/IEC TS 27100:2020") == "ISO/IEC TS 27100:2020"
    assert normalise("iso ts 16949:2009") == "ISO/TS 16949:2009"
    assert normalise("ISO/TR 10013:2021") == "ISO/TR 10013:2021"
    assert parse_code("ISO/PAS 45005:2020").kind is Kind.PUBLICLY_AVAILABLE_SPECIFICATION


def test_the_same_standard_written_three_ways() -> None:
    ways = ["GB/T 19001", "GB/T19001-2016", "GB/T 19001—2016"]
    assert {standard_key(way) for way in ways} == {"GB/T 19001"}
    assert all(same_standard(one, other) for one in ways for other in ways)
    assert same_standard("ＧＢ／Ｔ １９００１－２０１６", "gb/t 19001")
    assert not same_standard("GB/T 19001-2016", "GB/T 19001-2008")  # two editions
    assert not same_standard("GB/T 19001", "GB 19001")  # another kind
    assert not same_standard("GB/T 5009.199", "GB/T 5009.19")  # another part
    assert not same_standard("GB/T 19001", "not a code")
    assert standard_key("not a code") is None
    assert standard_key("ISO/IEC 17025:2017") == "ISO/IEC 17025"
    assert standard_key("IEC 61508-1:2010") == "IEC 61508-1"


def test_every_province_code_is_accepted_and_industry_codes_are_two_or_three_letters() -> None:
    assert len(PROVINCES) == 31
    for region in PROVINCES:
        assert parse_code(f"DB{region}/T 1-2020", today=TODAY).level is LOC
    assert len(INDUSTRY) >= 67
    for body in INDUSTRY:
        assert body.isascii()
        assert body.isupper()
        assert 2 <= len(body) <= 3
        standard = parse_code(f"{body}/T 1-2020", today=TODAY)
        assert (standard.level, standard.body) == (IND, body)


# --- properties -------------------------------------------------------------------------------

CODE_ALPHABET = "GBTZHJDISOECQ/／-—–―:： .．0123456789０１２３ \u3000ＧＢＴｇｂｔ()"

code_like = st.one_of(
    st.text(),
    st.text(alphabet=CODE_ALPHABET, max_size=30),
    st.builds(
        lambda code, noise, at: code[:at] + noise + code[at:],
        st.sampled_from([row[0] for row in REAL_CODES]),
        st.text(alphabet=CODE_ALPHABET, max_size=3),
        st.integers(min_value=0, max_value=30),
    ),
)


@settings(max_examples=400, deadline=None)
@given(code_like)
def test_random_text_never_raises(text: str) -> None:
    result = parse(text, today=TODAY)
    assert (result.standard is None) != (result.error is None)
    assert result.input == text
    assert set(result.as_dict()) == {
        "input", "code", "body", "kind", "number", "part", "year", "level", "error"
    }  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(code_like)
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text, today=TODAY)
    assert normalise(once, today=TODAY) == once
    assert clean(clean(text)) == clean(text)


@settings(max_examples=400, deadline=None)
@given(code_like)
def test_parse_of_normalised_equals_parse(text: str) -> None:
    assert parse(normalise(text, today=TODAY), today=TODAY) == parse(text, today=TODAY)
