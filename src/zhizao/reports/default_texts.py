# ruff: noqa: E501  (one sentence per line: a template line is a sentence and cannot wrap)
"""The narrative the report ships with, per section and language (reports/narrative.py): the
source article's sentences with its numbers replaced by the figures that compute them. A
sentence whose figure has no value is left out of the report with a note; staff replace these
per region on the report's text page."""

from __future__ import annotations

DEFAULT_TEXTS: dict[tuple[str, str], str] = {
    ("awards", "zh-hans"): """
截至目前，本市拥有{honours.china_award}个中国质量奖获奖企业、{honours.china_nomination}个中国质量奖提名奖。
本市{awards.governor.editions_won}次问鼎省长质量奖，共有{awards.governor.organizations}个组织获得省长质量奖，{awards.governor.individuals}个人获得荣誉，累计获奖数量居全省第{awards.governor.rank_in_province}位。
本市拥有{awards.mayor.winners}个市长质量奖、{honours.national_benchmark}个全国质量标杆企业、{honours.hunan_benchmark}个湖南省工业质量标杆企业。
本市拥有{honours.luban}个鲁班奖、{honours.furong}个芙蓉奖。
本市拥有{honours.madrid}件马德里国际商标、{honours.well_known}件中国驰名商标、{honours.gi_product}个国家地理标志保护产品、{honours.gi_cert}个国家地理标志证明商标。
""",
    ("awards", "en"): """
The city holds {honours.china_award} China Quality Award and {honours.china_nomination} China Quality Award nomination.
The city has won the Governor's Quality Award in {awards.governor.editions_won} editions: {awards.governor.organizations} organizations and {awards.governor.individuals} individual, ranking {awards.governor.rank_in_province} in the province.
The city holds {awards.mayor.winners} Mayor's Quality Awards, {honours.national_benchmark} national and {honours.hunan_benchmark} Hunan industrial quality benchmark enterprises.
The city holds {honours.luban} Luban Prizes and {honours.furong} Furong Prizes.
The city holds {honours.madrid} Madrid international trademarks, {honours.well_known} well-known Chinese trademarks, {honours.gi_product} geographical-indication product and {honours.gi_cert} geographical-indication certification marks.
""",
    ("foundation", "zh-hans"): """
全市拥有{nqi.national_inspection_centres}个国检中心、{nqi.mirror_committees}个国家标准化技术委员会国内对口单位、{nqi.national_tcs}个国家级、{nqi.provincial_tcs}个省级标准化专业技术委员会。
累计主导和参与制修订国际标准{standards.international}项、国家标准{standards.national}项、行业标准{standards.industry}项、地方标准{standards.local}项、团体标准{standards.group}项。
完成了{nqi.pilots.national}个国家级、{nqi.pilots.provincial}个省级标准化示范区项目试点。
""",
    ("foundation", "en"): """
The city has {nqi.national_inspection_centres} national inspection centres, {nqi.mirror_committees} national mirror committee, {nqi.national_tcs} national and {nqi.provincial_tcs} provincial standardization technical committees.
Its organizations led or took part in {standards.international} international, {standards.national} national, {standards.industry} industry, {standards.local} local and {standards.group} group standards.
It completed {nqi.pilots.national} national and {nqi.pilots.provincial} provincial standardization pilot projects.
""",
    ("onestop", "zh-hans"): """
{year}年质量基础设施一站式服务办件{nqi.onestop.requests}件，服务企业{nqi.onestop.enterprises_served}家，按时交付率{nqi.onestop.on_time_share}%。
""",
    ("onestop", "en"): """
In {year} the one-stop service handled {nqi.onestop.requests} requests for {nqi.onestop.enterprises_served} enterprises, {nqi.onestop.on_time_share}% of them on time.
""",
    ("testing", "zh-hans"): """
城区{rapidtest.rooms}个农贸市场和大型超市设立食用农产品快检室。
5年来，共累计检测{rapidtest.batches_5y}批次生鲜蔬菜、生鲜肉、水产品及其他类（其中农贸市场占{rapidtest.farmers_market_share}%的比例），合格率达到{rapidtest.pass_rate_5y}%。
{year}年，全市消费品质量合格率达{sampling.consumer_goods.pass_rate}%，农产品质量安全抽检检测合格率达{sampling.agri.pass_rate}%，食品安全评价性抽检合格率达{sampling.food_safety_evaluative.pass_rate}%，出口法定检验商品合格率达{sampling.export_legal.pass_rate}%。
""",
    ("testing", "en"): """
{rapidtest.rooms} farmers' markets and supermarkets of the urban area have a rapid-test room.
Over five years {rapidtest.batches_5y} batches of vegetables, meat, aquatic and other products were tested ({rapidtest.farmers_market_share}% in farmers' markets), {rapidtest.pass_rate_5y}% of them passing.
In {year} the pass rates were {sampling.consumer_goods.pass_rate}% for consumer goods, {sampling.agri.pass_rate}% for agricultural products, {sampling.food_safety_evaluative.pass_rate}% for evaluative food-safety sampling and {sampling.export_legal.pass_rate}% for export goods under legal inspection.
""",
    ("environment", "zh-hans"): """
水源达标率{water.drinking_source_compliance}%。
主城区自来水水质综合合格率{water.tap_pass_rate}%、出厂水合格率{water.tap_treated_pass_rate}%、管网水综合合格率{water.tap_network_pass_rate}%，污水出水水质合格率{water.effluent_pass_rate}%。
{year}年市区空气质量优良天数{air.good_days}天，空气质量优良率较2013年提升{air.good_day_ratio.change_vs_2013}个百分点。
综合指数为{air.composite_index}，数值越小，空气质量越好。
PM2.5、PM10、二氧化硫、二氧化氮、一氧化碳平均浓度较2013年分别变化{air.pm2_5.change_vs_2013}%、{air.pm10.change_vs_2013}%、{air.so2.change_vs_2013}%、{air.no2.change_vs_2013}%、{air.co.change_vs_2013}%。
""",
    ("environment", "en"): """
{water.drinking_source_compliance}% of drinking-water sources met their standard.
Tap water passed at {water.tap_pass_rate}% (treated water {water.tap_treated_pass_rate}%, network {water.tap_network_pass_rate}%); effluent passed at {water.effluent_pass_rate}%.
In {year} the urban area had {air.good_days} days of good air; the good-day ratio rose by {air.good_day_ratio.change_vs_2013} percentage points against 2013.
The composite index was {air.composite_index} (lower is better).
Against 2013, PM2.5, PM10, SO2, NO2 and CO changed by {air.pm2_5.change_vs_2013}%, {air.pm10.change_vs_2013}%, {air.so2.change_vs_2013}%, {air.no2.change_vs_2013}% and {air.co.change_vs_2013}%.
""",
    ("engineering", "zh-hans"): """
工程质量一次竣工验收合格率达{engineering.first_pass_rate}%。
新开工在建水利工程项目质量抽查合格率为{engineering.water_conservancy.pass_rate}%，交通工程项目质量合格率为{engineering.transport.pass_rate}%。
""",
    ("engineering", "en"): """
{engineering.first_pass_rate}% of projects passed their completion acceptance at the first time.
Quality inspections passed at {engineering.water_conservancy.pass_rate}% for new water-conservancy projects and {engineering.transport.pass_rate}% for transport projects.
""",
    ("incidents", "zh-hans"): """
本市已连续{incidents.years_without_major}年没有发生重大质量安全事故。
""",
    ("incidents", "en"): """
The city has had no major quality-safety incident for {incidents.years_without_major} years.
""",
    ("programme", "zh-hans"): """
{year}年首席质量官培训{enterprise.cqo_trained}人次，质量活动参与{enterprise.event_participants}人次。
{funds.ip_strategy.applicants}家企事业单位申报省知识产权战略实施专项，{funds.ip_strategy.funded}家获专项资金共计{funds.ip_strategy.granted}元，居全省第{funds.ip_strategy.rank_in_province}位。
标准化奖励资金累计发放{nqi.reward_grants}元。
""",
    ("programme", "en"): """
In {year}, {enterprise.cqo_trained} chief quality officer trainings were given and quality events had {enterprise.event_participants} participants.
{funds.ip_strategy.applicants} organizations applied to the provincial IP-strategy special fund; {funds.ip_strategy.funded} were granted {funds.ip_strategy.granted} yuan, ranking {funds.ip_strategy.rank_in_province} in the province.
Standardization rewards of {nqi.reward_grants} yuan were paid in all.
""",
    ("plans", "zh-hans"): """
义务教育大班额{dept.education.oversize_classes}个，新增学位{dept.education.new_school_places}个。
既有住宅加装电梯{dept.housing.lift_retrofits}台；居民15分钟健康服务圈覆盖率{dept.health.health_circle_coverage}%；管网抢修及时率{dept.water.repair_timeliness}%。
""",
    ("plans", "en"): """
Compulsory education had {dept.education.oversize_classes} over-size classes; {dept.education.new_school_places} new school places were added.
{dept.housing.lift_retrofits} lifts were added to existing housing; the 15-minute health-service circle covered {dept.health.health_circle_coverage}% of residents; {dept.water.repair_timeliness}% of water-main repairs were timely.
""",
}


def default_text(section: str, language: str) -> str:
    return DEFAULT_TEXTS.get((section, language), "").strip()
