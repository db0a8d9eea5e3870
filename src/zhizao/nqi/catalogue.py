"""The demo one-stop catalogue (illustrative, synthetic): services of the four NQI elements across
the five lifecycle stages, in both languages. Providers are given by their index in the demo's
bodies (0 rail-transit centre, 1 cemented-carbide centre, 2 ceramics centre, 3 metrology test
centre, 4 certification body), with a price range in yuan and the promised days."""

from __future__ import annotations

from dataclasses import dataclass

from zhizao.nqi.choices import Element, Stage


@dataclass(frozen=True)
class Entry:
    title: str
    title_en: str
    description: str
    description_en: str
    keywords: str
    element: str
    stage: str
    providers: tuple[tuple[int, int, int, int], ...]


CATALOGUE = (
    Entry("计量器具校准", "Calibration of measuring instruments",
          "扭力扳手、卡尺、千分尺、压力表等计量器具的校准，出具校准证书，满足审核与量值溯源要求。",
          "Calibration of torque wrenches, calipers, micrometers and pressure gauges with a "
          "calibration certificate for audits and traceability.",
          "校准 扳手 量具 溯源 审核 calibrate calibration wrench gauge traceability",
          Element.METROLOGY, Stage.PRODUCTION, ((3, 50, 300, 5),)),
    Entry("计量器具检定", "Verification of legally controlled instruments",
          "强制检定计量器具（衡器、加油机、电能表）的检定。",
          "Verification of legally controlled instruments: scales, fuel dispensers, "
          "electricity meters.",
          "检定 强检 衡器 电子秤 电能表 verification scale meter",
          Element.METROLOGY, Stage.SUPPLY, ((3, 80, 500, 7),)),
    Entry("测量系统分析与计量咨询", "Measurement system analysis and metrology advice",
          "研发阶段测量方案设计、测量不确定度评定、测量系统分析（MSA）。",
          "Measurement design in R&D, measurement uncertainty evaluation and measurement "
          "system analysis (MSA).",
          "不确定度 测量系统 MSA 研发 uncertainty measurement design",
          Element.METROLOGY, Stage.RD, ((3, 2000, 8000, 15),)),
    Entry("标准查新与适用标准咨询", "Standards search and applicable standards advice",
          "查询产品适用的国家、行业、国际标准和出口市场的技术法规（如欧盟 CE、REACH），"
          "给出标准清单。",
          "Which national, industry and international standards and which export-market "
          "regulations (EU CE marking, REACH) apply to a product: a list of standards.",
          "标准 查新 适用 出口 欧盟 技术法规 standards apply export EU regulation CE REACH which",
          Element.STANDARDS, Stage.RD, ((0, 500, 3000, 5), (1, 500, 3000, 5))),
    Entry("企业标准与团体标准制定辅导", "Drafting enterprise and group standards",
          "帮助企业起草企业标准、团体标准，办理企业标准自我声明公开。",
          "Help drafting enterprise and group standards and publishing the enterprise "
          "standard self-declaration.",
          "企业标准 团体标准 起草 制定 自我声明 公开 draft enterprise group standard declaration",
          Element.STANDARDS, Stage.PRODUCTION, ((1, 5000, 20000, 30),)),
    Entry("采购技术条件与标准比对", "Purchasing specifications and standards comparison",
          "采购阶段供方技术条件与标准比对，编写采购技术规范。",
          "Comparing suppliers' specifications with the standards and writing the "
          "purchasing specification.",
          "采购 供方 技术条件 比对 规范 purchasing supplier specification compare",
          Element.STANDARDS, Stage.PROCUREMENT, ((0, 2000, 6000, 10),)),
    Entry("质量管理体系认证", "Quality management system certification",
          "ISO 9001 / GB/T 19001 质量管理体系认证审核及 IATF 16949、"
          "ISO/TS 22163 轨道行业体系认证。",
          "ISO 9001 / GB/T 19001 quality management system certification audits, IATF 16949 "
          "and ISO/TS 22163 for rail.",
          "体系认证 质量管理体系 认证 审核 9001 iso certification audit quality management system",
          Element.CERTIFICATION, Stage.PRODUCTION, ((4, 15000, 60000, 40),)),
    Entry("产品认证（CCC 与自愿性认证）", "Product certification (CCC and voluntary)",
          "强制性产品认证 CCC 和自愿性产品认证，出口产品认证（CE）咨询。",
          "Compulsory product certification (CCC), voluntary product certification and "
          "advice on export certification (CE).",
          "产品认证 CCC 3C 自愿性 出口认证 CE certification product compulsory export",
          Element.CERTIFICATION, Stage.SUPPLY, ((4, 10000, 50000, 45),)),
    Entry("供应商审核与第二方审核", "Supplier audits",
          "采购前对供应商的质量体系和过程进行第二方审核。",
          "Second-party audits of suppliers' quality systems and processes before purchasing.",
          "供应商审核 供方 审核 采购 supplier audit second party",
          Element.CERTIFICATION, Stage.PROCUREMENT, ((4, 5000, 15000, 15),)),
    Entry("实验室认可与检验检测机构资质认定辅导", "Laboratory accreditation and CMA guidance",
          "企业实验室申请 CNAS 认可、CMA 资质认定的辅导与能力验证。",
          "Guidance for an enterprise laboratory applying for CNAS accreditation or the CMA "
          "qualification, and proficiency testing.",
          "实验室 认可 CNAS CMA 资质认定 能力验证 laboratory accreditation proficiency",
          Element.CERTIFICATION, Stage.RD, ((3, 8000, 30000, 60),)),
    Entry("轨道交通装备型式试验", "Type tests of rail-transit equipment",
          "牵引电机、变流器、车辆部件的型式试验：绝缘电阻、冲击和振动、温升。",
          "Type tests of traction motors, converters and vehicle parts: insulation "
          "resistance, shock and vibration, temperature rise.",
          "型式试验 牵引电机 绝缘电阻 冲击 振动 轨道交通 rail traction motor type test "
          "insulation vibration",
          Element.INSPECTION, Stage.RD, ((0, 10000, 80000, 20),)),
    Entry("硬质合金性能检测", "Cemented-carbide property testing",
          "硬质合金刀片、棒材的硬度、密度、抗弯强度、金相检测。",
          "Hardness, density, transverse rupture strength and metallography of "
          "cemented-carbide inserts and rods.",
          "硬质合金 刀片 硬度 密度 抗弯强度 金相 carbide insert hardness density strength",
          Element.INSPECTION, Stage.PRODUCTION, ((1, 300, 2000, 7),)),
    Entry("日用陶瓷安全检测", "Safety testing of domestic ceramics",
          "日用陶瓷铅、镉溶出量和吸水率检测，出口陶瓷检测。",
          "Lead and cadmium release and water absorption of domestic ceramics, testing for "
          "export.",
          "陶瓷 铅 镉 溶出 吸水率 ceramic ceramics lead cadmium release tableware",
          Element.INSPECTION, Stage.SUPPLY, ((2, 400, 1500, 8),)),
    Entry("来料检验与抽样检验", "Incoming inspection and sampling",
          "原材料和外购件的来料检验、抽样方案（GB/T 2828.1）。",
          "Incoming inspection of raw materials and purchased parts, sampling plans "
          "(GB/T 2828.1).",
          "来料检验 抽样 原材料 外购件 incoming inspection sampling raw material",
          Element.INSPECTION, Stage.PROCUREMENT, ((0, 500, 5000, 5), (1, 500, 5000, 5))),
    Entry("售后失效分析与质量问题诊断", "After-sales failure analysis",
          "产品售后故障件的失效分析、断口分析和质量问题诊断。",
          "Failure analysis of parts returned after sale, fracture analysis and diagnosis "
          "of quality problems.",
          "售后 失效分析 故障 断口 诊断 after sales failure analysis fracture returned",
          Element.INSPECTION, Stage.AFTER_SALES, ((0, 3000, 20000, 15), (1, 3000, 20000, 15))),
    Entry("售后计量器具复校", "After-sales recalibration of delivered instruments",
          "已交付客户的测量设备的周期复校和现场校准。",
          "Periodic and on-site recalibration of measuring equipment delivered to customers.",
          "复校 现场校准 周期 recalibration on site periodic",
          Element.METROLOGY, Stage.AFTER_SALES, ((3, 100, 800, 7),)),
)  # fmt: skip
