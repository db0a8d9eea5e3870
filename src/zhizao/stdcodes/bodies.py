"""The bodies a standard code can name: international bodies, the national code, the official
industry codes (行业标准代号) and the province codes of local standards (GB/T 2260).

Sources (docs/standards.md, "Sources of the tables"):

* Industry codes: the table of officially published 行业标准代号 of the Standardization
  Administration of China (国家标准化管理委员会), as reproduced with each code's competent
  department in the standard-code compilations of national technical committees (e.g. the
  2013 table of 全国钟表标准化技术委员会) — 57 codes — plus the codes approved later for work
  safety (AQ), grain (LS), energy (NB), certification and accreditation (RB), cryptography (GM),
  justice (SF), cultural heritage (WW), traditional Chinese medicine (ZY), supply and marketing
  cooperatives (GH), emergency management (YJ) and fire and rescue (XF).
* Engineering-construction industry codes JGJ and CJJ (工程建设行业标准) are not in that table but
  are printed on building and municipal-engineering standards, so they are accepted too.
* Province codes: the first two digits of GB/T 2260 (中华人民共和国行政区划代码), the 31
  provincial-level divisions of the mainland. 71 (Taiwan), 81 (Hong Kong) and 82 (Macao) are in
  GB/T 2260 but issue no DB local standards, so ``DB81`` is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, NamedTuple


class BodyName(NamedTuple):
    zh: str
    en: str


INTERNATIONAL: Final[Mapping[str, BodyName]] = MappingProxyType(
    {
        "ISO": BodyName("国际标准化组织", "International Organization for Standardization"),
        "IEC": BodyName("国际电工委员会", "International Electrotechnical Commission"),
        "ISO/IEC": BodyName("国际标准化组织/国际电工委员会", "ISO and IEC jointly"),
        "ITU-T": BodyName(
            "国际电信联盟电信标准化部门",
            "International Telecommunication Union, Telecommunication Standardization Sector",
        ),
    }
)

NATIONAL: Final[Mapping[str, BodyName]] = MappingProxyType(
    {
        "GB": BodyName(
            "中华人民共和国国家标准", "National standard of the People's Republic of China"
        )
    }
)

METROLOGY: Final[Mapping[str, BodyName]] = MappingProxyType(
    {
        "JJG": BodyName("国家计量检定规程", "National metrological verification regulation"),
        "JJF": BodyName("国家计量技术规范", "National metrological technical specification"),
    }
)
"""National metrology documents: not standards, but cited like them in accredited scopes."""

INDUSTRY: Final[Mapping[str, BodyName]] = MappingProxyType(
    {
        # The SAC table of published industry codes (57 codes).
        "NY": BodyName("农业", "Agriculture"),
        "SC": BodyName("水产", "Fisheries"),
        "SL": BodyName("水利", "Water resources"),
        "LY": BodyName("林业", "Forestry"),
        "QB": BodyName("轻工", "Light industry"),
        "FZ": BodyName("纺织", "Textiles"),
        "YY": BodyName("医药", "Pharmaceuticals and medical devices"),
        "MZ": BodyName("民政", "Civil affairs"),
        "JY": BodyName("教育", "Education"),
        "YC": BodyName("烟草", "Tobacco"),
        "YB": BodyName("黑色冶金", "Ferrous metallurgy"),
        "YS": BodyName("有色冶金", "Non-ferrous metallurgy"),
        "SY": BodyName("石油天然气", "Petroleum and natural gas"),
        "HG": BodyName("化工", "Chemical industry"),
        "SH": BodyName("石油化工", "Petrochemicals"),
        "JC": BodyName("建材", "Building materials"),
        "DZ": BodyName("地质矿产", "Geology and mineral resources"),
        "TD": BodyName("土地管理", "Land administration"),
        "CH": BodyName("测绘", "Surveying and mapping"),
        "JB": BodyName("机械", "Machinery"),
        "QC": BodyName("汽车", "Automotive"),
        "MH": BodyName("民用航空", "Civil aviation"),
        "WJ": BodyName("兵工民品", "Civil products of the ordnance industry"),
        "CB": BodyName("船舶", "Shipbuilding"),
        "HB": BodyName("航空", "Aviation"),
        "QJ": BodyName("航天", "Aerospace"),
        "EJ": BodyName("核工业", "Nuclear industry"),
        "TB": BodyName("铁路运输", "Railway transport"),
        "JT": BodyName("交通", "Transport"),
        "LD": BodyName("劳动和劳动安全", "Labour and labour safety"),
        "SJ": BodyName("电子", "Electronics"),
        "YD": BodyName("通信", "Telecommunications"),
        "GY": BodyName("广播电影电视", "Radio, film and television"),
        "DL": BodyName("电力", "Electric power"),
        "JR": BodyName("金融", "Finance"),
        "HY": BodyName("海洋", "Oceans"),
        "DA": BodyName("档案", "Archives"),
        "SN": BodyName("出入境检验检疫", "Entry-exit inspection and quarantine"),
        "WH": BodyName("文化", "Culture"),
        "TY": BodyName("体育", "Sport"),
        "SB": BodyName("商业", "Commerce"),
        "WB": BodyName("物资管理", "Materials management"),
        "HJ": BodyName("环境保护", "Environmental protection"),
        "XB": BodyName("稀土", "Rare earths"),
        "CJ": BodyName("城镇建设", "Urban construction"),
        "JG": BodyName("建筑工业", "Building industry"),
        "CY": BodyName("新闻出版", "Press and publication"),
        "MT": BodyName("煤炭", "Coal"),
        "WS": BodyName("卫生", "Health"),
        "GA": BodyName("公共安全", "Public security"),
        "BB": BodyName("包装", "Packaging"),
        "DB": BodyName("地震", "Earthquake"),
        "LB": BodyName("旅游", "Tourism"),
        "QX": BodyName("气象", "Meteorology"),
        "WM": BodyName("外经贸", "Foreign trade and economic cooperation"),
        "HS": BodyName("海关", "Customs"),
        "YZ": BodyName("邮政", "Postal services"),
        # Approved after that table.
        "AQ": BodyName("安全生产", "Work safety"),
        "LS": BodyName("粮食", "Grain"),
        "NB": BodyName("能源", "Energy"),
        "RB": BodyName("认证认可", "Certification and accreditation"),
        "GM": BodyName("密码", "Cryptography"),
        "SF": BodyName("司法", "Justice"),
        "WW": BodyName("文物保护", "Cultural heritage"),
        "ZY": BodyName("中医药", "Traditional Chinese medicine"),
        "GH": BodyName("供销合作", "Supply and marketing cooperatives"),
        "YJ": BodyName("应急管理", "Emergency management"),
        "XF": BodyName("消防救援", "Fire and rescue"),
        # Engineering-construction industry standards (工程建设行业标准).
        "JGJ": BodyName("建筑工程", "Building engineering construction"),
        "CJJ": BodyName("城镇建设工程", "Urban engineering construction"),
    }
)

PROVINCES: Final[Mapping[str, BodyName]] = MappingProxyType(
    {
        "11": BodyName("北京市", "Beijing"),
        "12": BodyName("天津市", "Tianjin"),
        "13": BodyName("河北省", "Hebei"),
        "14": BodyName("山西省", "Shanxi"),
        "15": BodyName("内蒙古自治区", "Inner Mongolia"),
        "21": BodyName("辽宁省", "Liaoning"),
        "22": BodyName("吉林省", "Jilin"),
        "23": BodyName("黑龙江省", "Heilongjiang"),
        "31": BodyName("上海市", "Shanghai"),
        "32": BodyName("江苏省", "Jiangsu"),
        "33": BodyName("浙江省", "Zhejiang"),
        "34": BodyName("安徽省", "Anhui"),
        "35": BodyName("福建省", "Fujian"),
        "36": BodyName("江西省", "Jiangxi"),
        "37": BodyName("山东省", "Shandong"),
        "41": BodyName("河南省", "Henan"),
        "42": BodyName("湖北省", "Hubei"),
        "43": BodyName("湖南省", "Hunan"),
        "44": BodyName("广东省", "Guangdong"),
        "45": BodyName("广西壮族自治区", "Guangxi"),
        "46": BodyName("海南省", "Hainan"),
        "50": BodyName("重庆市", "Chongqing"),
        "51": BodyName("四川省", "Sichuan"),
        "52": BodyName("贵州省", "Guizhou"),
        "53": BodyName("云南省", "Yunnan"),
        "54": BodyName("西藏自治区", "Xizang"),
        "61": BodyName("陕西省", "Shaanxi"),
        "62": BodyName("甘肃省", "Gansu"),
        "63": BodyName("青海省", "Qinghai"),
        "64": BodyName("宁夏回族自治区", "Ningxia"),
        "65": BodyName("新疆维吾尔自治区", "Xinjiang"),
    }
)
