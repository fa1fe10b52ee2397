"""Catalogue of sanction measures: what a partner agency must refuse, review or allow (rulebook §2, §3).

Every measure is data: a stable UPPER_SNAKE code, Chinese and English titles, the implementing sector, its
legal basis (instrument, provision, rulebook rule code), the status that triggers it and whom it reaches.
Consumption measures (限高规定 Art. 3 ¶1 items XF1–XF9; rulebook §3.2 rows 31–36) fire on a consumption
restriction; joint sanctions (rows 1–30, 37–41) fire on the dishonest-debtor listing and end with it (D10).

Pure data and lookups: no I/O, no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Sector(StrEnum):
    """The implementing sector a partner agency belongs to. Values are stable API identifiers."""

    AVIATION = "aviation"
    RAIL = "rail"
    SHIPPING = "shipping"
    HOTELS = "hotels"
    TRAVEL = "travel"
    REAL_ESTATE = "real_estate"
    VEHICLES = "vehicles"
    PRIVATE_SCHOOLS = "private_schools"
    INSURANCE = "insurance"
    FINANCIAL_LICENCES = "financial_licences"
    BONDS = "bonds"
    CAPITAL_MARKETS = "capital_markets"
    SOCIAL_ORGANISATIONS = "social_organisations"
    PROCUREMENT = "procurement"
    GOVERNMENT_INVESTMENT = "government_investment"
    BIDDING = "bidding"
    SUBSIDIES = "subsidies"
    PREFERENTIAL_POLICIES = "preferential_policies"
    PUBLIC_HIRING = "public_hiring"
    PARTY_MEMBERSHIP = "party_membership"
    CANDIDATE_VETTING = "candidate_vetting"
    MILITARY_SERVICE = "military_service"
    SOE_POSTS = "soe_posts"
    PUBLIC_INSTITUTIONS = "public_institutions"
    FINANCIAL_POSTS = "financial_posts"
    MARKET_ACCESS = "market_access"
    HONOURS = "honours"
    CREDIT = "credit"
    STATE_ASSETS = "state_assets"
    EXIT_CONTROL = "exit_control"
    MARKET_SUPERVISION = "market_supervision"
    CREDIT_PUBLICITY = "credit_publicity"
    CRIMINAL_JUSTICE = "criminal_justice"
    INDUSTRY_ASSOCIATIONS = "industry_associations"

    @property
    def title_zh(self) -> str:
        """Short Chinese name of the sector."""
        return _SECTOR_TITLES[self][0]

    @property
    def title_en(self) -> str:
        """Short English name of the sector."""
        return _SECTOR_TITLES[self][1]


_SECTOR_TITLES: Mapping[Sector, tuple[str, str]] = MappingProxyType(
    {
        Sector.AVIATION: ("民航", "Civil aviation"),
        Sector.RAIL: ("铁路", "Rail"),
        Sector.SHIPPING: ("水路客运", "Passenger shipping"),
        Sector.HOTELS: ("宾馆酒店及高消费场所", "Hotels and high-end venues"),
        Sector.TRAVEL: ("旅游、旅行社", "Tourism and travel agencies"),
        Sector.REAL_ESTATE: ("不动产、房屋建设及办公租赁", "Real estate, house building and office leasing"),
        Sector.VEHICLES: ("车辆销售", "Vehicle sales"),
        Sector.PRIVATE_SCHOOLS: ("高收费私立学校", "High-fee private schools"),
        Sector.INSURANCE: ("保险理财产品", "Insurance and wealth-management products"),
        Sector.FINANCIAL_LICENCES: ("金融机构设立审批", "Financial-institution licensing"),
        Sector.BONDS: ("债券发行", "Bond issuance"),
        Sector.CAPITAL_MARKETS: ("资本市场", "Capital markets"),
        Sector.SOCIAL_ORGANISATIONS: ("社会组织登记", "Social-organisation registration"),
        Sector.PROCUREMENT: ("政府采购", "Government procurement"),
        Sector.GOVERNMENT_INVESTMENT: ("政府投资项目", "Government-invested projects"),
        Sector.BIDDING: ("招标投标及评标专家", "Public bidding and evaluation experts"),
        Sector.SUBSIDIES: ("政府补贴及社保资金支持", "Subsidies and social-security fund support"),
        Sector.PREFERENTIAL_POLICIES: ("优惠政策审批", "Preferential-policy approval"),
        Sector.PUBLIC_HIRING: ("公务员及事业单位招录", "Civil-service and public-institution hiring"),
        Sector.PARTY_MEMBERSHIP: ("党员发展", "Party membership"),
        Sector.CANDIDATE_VETTING: (
            "党代表、人大代表、政协委员候选人推荐",
            "Party/NPC/CPPCC candidate vetting",
        ),
        Sector.MILITARY_SERVICE: ("征兵", "Military enlistment"),
        Sector.SOE_POSTS: ("国有企业任职", "State-owned enterprise posts"),
        Sector.PUBLIC_INSTITUTIONS: ("事业单位登记", "Public-institution registration"),
        Sector.FINANCIAL_POSTS: ("金融机构任职", "Financial-institution posts"),
        Sector.MARKET_ACCESS: ("市场准入及资质", "Market access and qualifications"),
        Sector.HONOURS: ("荣誉评选", "Honours"),
        Sector.CREDIT: ("授信贷款", "Credit and loans"),
        Sector.STATE_ASSETS: ("国有土地及国有资产交易", "State land and state-asset transactions"),
        Sector.EXIT_CONTROL: ("出境管理", "Exit control"),
        Sector.MARKET_SUPERVISION: ("市场监管", "Market supervision"),
        Sector.CREDIT_PUBLICITY: ("信用信息公示", "Credit publicity"),
        Sector.CRIMINAL_JUSTICE: ("刑事追究", "Criminal justice"),
        Sector.INDUSTRY_ASSOCIATIONS: ("行业协会", "Trade associations"),
    }
)


class Trigger(StrEnum):
    """The subject status that fires a measure."""

    LISTED = "listed"  # on the active, published dishonest-debtor list
    RESTRICTED = "restricted"  # under an active consumption restriction order
    EITHER = "either"  # either status fires it

    def fires(self, *, listed: bool, restricted: bool) -> bool:
        """Whether a subject with these statuses fires a measure with this trigger."""
        if self is Trigger.LISTED:
            return listed
        if self is Trigger.RESTRICTED:
            return restricted
        return listed or restricted


class Target(StrEnum):
    """In which capacity a measure reaches a person or organisation."""

    DEBTOR_PERSON = "debtor_person"
    DEBTOR_ORGANISATION = "debtor_organisation"
    KEY_PERSON = "key_person"  # one of the four key persons of an organisation debtor (C-ORG-1)


class Effect(StrEnum):
    """What a measure does to those it reaches."""

    BAN = "ban"  # the partner must refuse
    REFERENCE = "reference"  # not a ban: a prudential reference or a monitoring flag


class KeyRole(StrEnum):
    """The four key persons of an organisation debtor (限高规定 Art. 3 ¶2, C-ORG-1)."""

    LEGAL_REPRESENTATIVE = "legal_representative"  # 法定代表人
    MAIN_RESPONSIBLE = "main_responsible"  # 主要负责人
    DIRECTLY_RESPONSIBLE = "directly_responsible"  # 影响债务履行的直接责任人员
    ACTUAL_CONTROLLER = "actual_controller"  # 实际控制人


ALL_KEY_ROLES: frozenset[KeyRole] = frozenset(KeyRole)


class Confidence(StrEnum):
    """The rulebook's confidence tag for the measure's source."""

    CONFIRMED = "confirmed"
    SECONDARY = "secondary"
    UNCONFIRMED = "unconfirmed"


class Instrument(StrEnum):
    """Legal instruments the catalogue cites. ``title_zh`` gives the instrument's name and number."""

    XG_RULES = "xg_rules"
    LIST_RULES = "list_rules"
    OPINION_2016 = "opinion_2016"
    MEMORANDUM_2016 = "memorandum_2016"
    BIDDING_NOTICE_2016 = "bidding_notice_2016"
    RAIL_OPINION_2018 = "rail_opinion_2018"
    AVIATION_OPINION_2018 = "aviation_opinion_2018"
    OPINION_2019 = "opinion_2019"
    CIVIL_SERVANT_LAW = "civil_servant_law"
    CIVIL_PROCEDURE_LAW = "civil_procedure_law"
    CRIMINAL_LAW = "criminal_law"

    @property
    def title_zh(self) -> str:
        """The instrument's Chinese name."""
        return _INSTRUMENT_TITLES[self][0]

    @property
    def number(self) -> str:
        """Document number, or the year or version in brackets where it has none (may be empty)."""
        return _INSTRUMENT_TITLES[self][1]


_INSTRUMENT_TITLES: Mapping[Instrument, tuple[str, str]] = MappingProxyType(
    {
        Instrument.XG_RULES: (
            "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》",
            "法释〔2010〕8号（2015年修正）",
        ),
        Instrument.LIST_RULES: ("《最高人民法院关于公布失信被执行人名单信息的若干规定》", "法释〔2017〕7号"),
        Instrument.OPINION_2016: (
            "《关于加快推进失信被执行人信用监督、警示和惩戒机制建设的意见》",
            "（2016年）",
        ),
        Instrument.MEMORANDUM_2016: (
            "《关于对失信被执行人实施联合惩戒的合作备忘录》",
            "发改财金〔2016〕141号",
        ),
        Instrument.BIDDING_NOTICE_2016: (
            "《关于在招标投标活动中对失信被执行人实施联合惩戒的通知》",
            "法〔2016〕285号",
        ),
        Instrument.RAIL_OPINION_2018: (
            "《关于在一定期限内适当限制特定严重失信人乘坐火车 推动社会信用体系建设的意见》",
            "（2018年）",
        ),
        Instrument.AVIATION_OPINION_2018: (
            "《关于在一定期限内适当限制特定严重失信人乘坐民用航空器 推动社会信用体系建设的意见》",
            "（2018年）",
        ),
        Instrument.OPINION_2019: (
            "《最高人民法院关于在执行工作中进一步强化善意文明执行理念的意见》",
            "法发〔2019〕35号",
        ),
        Instrument.CIVIL_SERVANT_LAW: ("《中华人民共和国公务员法》", "（2018年修订）"),
        Instrument.CIVIL_PROCEDURE_LAW: ("《中华人民共和国民事诉讼法》", "（2023年修正）"),
        Instrument.CRIMINAL_LAW: ("《中华人民共和国刑法》", ""),
    }
)


@dataclass(frozen=True)
class LegalBasis:
    """One legal source: instrument, provision within it, and the rulebook rule code where one exists."""

    instrument: Instrument
    provision: str
    rule: str | None = None

    def __str__(self) -> str:
        rule = f" [{self.rule}]" if self.rule else ""
        return f"{self.instrument.title_zh}{self.instrument.number} {self.provision}{rule}"


@dataclass(frozen=True)
class Reach:
    """Whom a measure reaches and how: a ban or only a reference/monitoring flag.

    ``roles`` matters only for ``Target.KEY_PERSON``: which of the four key roles it reaches.
    """

    target: Target
    effect: Effect = Effect.BAN
    roles: frozenset[KeyRole] = ALL_KEY_ROLES


@dataclass(frozen=True)
class Measure:
    """One sanction measure, as a partner agency applies it."""

    code: str
    title_zh: str
    title_en: str
    sector: Sector
    trigger: Trigger
    reach: tuple[Reach, ...]
    basis: tuple[LegalBasis, ...]
    confidence: Confidence
    table_rows: tuple[int, ...] = ()  # rows of rulebook §3.2
    humanitarian_liftable: bool = False  # flights and high-speed rail (C-HUMANITARIAN, D11)

    @property
    def is_consumption(self) -> bool:
        """A consumption measure: fired by a restriction, open to court permissions (C-PERMIT, C-ORG-2)."""
        return self.trigger is Trigger.RESTRICTED

    def reaches(self, target: Target, role: KeyRole | None = None) -> Reach | None:
        """The reach entry for ``target`` (and, for key persons, ``role``), or None if it does not reach."""
        for reach in self.reach:
            if reach.target is target and (role is None or role in reach.roles):
                return reach
        return None


class UnknownMeasure(KeyError):
    """No measure has this code."""


# --- Data -------------------------------------------------------------------------------------------------

_P = Reach(Target.DEBTOR_PERSON)
_O = Reach(Target.DEBTOR_ORGANISATION)
_K = Reach(Target.KEY_PERSON)
_P_REF = Reach(Target.DEBTOR_PERSON, Effect.REFERENCE)
_O_REF = Reach(Target.DEBTOR_ORGANISATION, Effect.REFERENCE)

_C_ORG_1 = LegalBasis(Instrument.XG_RULES, "Art. 3 ¶2", "C-ORG-1")
_MEMO = LegalBasis(Instrument.MEMORANDUM_2016, "惩戒措施及实施单位")
_NOTIFY = LegalBasis(Instrument.LIST_RULES, "Art. 8 ¶1", "L-NOTIFY-1")


def _xf(item: str, rule: str) -> LegalBasis:
    return LegalBasis(Instrument.XG_RULES, f"Art. 3 ¶1 ({item})", rule)


def _op(section: str) -> LegalBasis:
    return LegalBasis(Instrument.OPINION_2016, section)


def _consumption(
    code: str,
    title_zh: str,
    title_en: str,
    sector: Sector,
    basis: tuple[LegalBasis, ...],
    row: int,
    *,
    liftable: bool = False,
) -> Measure:
    """A 限高 Art. 3 item: reaches the debtor (person or organisation) and the organisation's key persons."""
    return Measure(
        code,
        title_zh,
        title_en,
        sector,
        Trigger.RESTRICTED,
        (_P, _O, _K),
        (*basis, _C_ORG_1),
        Confidence.CONFIRMED,
        (row,),
        liftable,
    )


def _listing(
    code: str,
    title_zh: str,
    title_en: str,
    sector: Sector,
    reach: tuple[Reach, ...],
    basis: tuple[LegalBasis, ...],
    row: int,
    confidence: Confidence,
) -> Measure:
    """A joint sanction that exists only because of the listing (D10)."""
    return Measure(code, title_zh, title_en, sector, Trigger.LISTED, reach, basis, confidence, (row,))


MEASURES: tuple[Measure, ...] = (
    # --- Consumption (限高规定 Art. 3 ¶1; 2016 Opinion (七); rows 31–36) ---------------------------------
    _consumption(
        "AVIATION_FLIGHT",
        "乘坐飞机（任何舱位）",
        "Flying on civil aircraft (any cabin)",
        Sector.AVIATION,
        (_xf("一", "XF1"), _op("(七)1"), LegalBasis(Instrument.AVIATION_OPINION_2018, "全文")),
        31,
        liftable=True,
    ),
    _consumption(
        "RAIL_HIGH_SPEED",
        "乘坐G字头动车组列车全部座位、其他动车组列车（D、C）一等以上座位及卧铺",
        "Any seat on G trains; first class and above (and first-class sleepers) on D and C trains",
        Sector.RAIL,
        (_xf("九", "XF9"), _xf("一", "XF1"), _op("(七)1"), LegalBasis(Instrument.RAIL_OPINION_2018, "全文")),
        31,
        liftable=True,
    ),
    _consumption(
        "RAIL_HIGH_CLASS",
        "乘坐其他列车软卧及以上、一等以上座位",
        "Soft sleeper and above, first class and above, on other trains (Z, T, K and others)",
        Sector.RAIL,
        (_xf("一", "XF1"), _xf("九", "XF9"), _op("(七)1"), LegalBasis(Instrument.RAIL_OPINION_2018, "全文")),
        31,
    ),
    _consumption(
        "SHIP_CABIN",
        "乘坐轮船二等以上舱位",
        "Second-class or higher ship cabins",
        Sector.SHIPPING,
        (_xf("一", "XF1"),),
        31,
    ),
    _consumption(
        "HOTEL_STAR",
        "在星级以上宾馆、国家一级以上酒店及其他高消费住宿场所消费",
        "Star-rated hotels, national class-1 or higher hotels and restaurants, other high-end lodging",
        Sector.HOTELS,
        (_xf("二", "XF2"), _op("(七)2")),
        32,
    ),
    _consumption(
        "LEISURE_VENUES",
        "在夜总会、高尔夫球场等场所进行高消费",
        "High consumption at nightclubs, golf courses and similar venues",
        Sector.HOTELS,
        (_xf("二", "XF2"), _op("(七)2")),
        32,
    ),
    _consumption(
        "TRAVEL_TOURS",
        "旅游、度假（含旅行社出境团队游及相关服务）",
        "Tourism and holidays, including outbound group tours and related travel-agency services",
        Sector.TRAVEL,
        (_xf("六", "XF6"), _op("(七)3")),
        33,
    ),
    _consumption(
        "REAL_ESTATE_PURCHASE",
        "购买不动产",
        "Buying real estate",
        Sector.REAL_ESTATE,
        (_xf("三", "XF3"),),
        36,
    ),
    _consumption(
        "HOUSING_CONSTRUCTION",
        "新建、扩建、高档装修房屋",
        "Building, extending or luxuriously renovating a house",
        Sector.REAL_ESTATE,
        (_xf("三", "XF3"), _op("(七)6")),
        36,
    ),
    _consumption(
        "OFFICE_LEASE_HIGH_END",
        "租赁高档写字楼、宾馆、公寓等场所办公",
        "Renting high-end office buildings, hotels or apartments as offices",
        Sector.REAL_ESTATE,
        (_xf("四", "XF4"),),
        36,
    ),
    _consumption(
        "VEHICLE_PURCHASE",
        "购买非经营必需车辆",
        "Buying vehicles not necessary for business",
        Sector.VEHICLES,
        (_xf("五", "XF5"), _op("(七)6")),
        36,
    ),
    _consumption(
        "PRIVATE_SCHOOL_FEES",
        "以其财产支付子女入学就读高收费私立学校",
        "Paying, with one's own property, for a child at a high-fee private school",
        Sector.PRIVATE_SCHOOLS,
        (_xf("七", "XF7"), LegalBasis(Instrument.OPINION_2016, "(七)4", "EDU-2")),
        34,
    ),
    _consumption(
        "INSURANCE_HIGH_PREMIUM",
        "支付高额保费购买具有现金价值的保险理财产品",
        "Paying high premiums for insurance or wealth-management products with cash value",
        Sector.INSURANCE,
        (_xf("八", "XF8"), _op("(七)5")),
        35,
    ),
    # --- Joint sanctions fired by the listing (2016 Opinion (一)–(十一); 发改财金〔2016〕141号) -------------
    _listing(
        "BANK_SETUP_REVIEW",
        "设立银行业金融机构及股权收购审批审慎参考",
        "Setting up, or buying equity in, a banking institution: prudential reference",
        Sector.FINANCIAL_LICENCES,
        (_P_REF, _O_REF),
        (_op("(一)"), _MEMO),
        1,
        Confidence.SECONDARY,
    ),
    _listing(
        "FINANCING_GUARANTEE_SETUP",
        "限制设立融资性担保公司",
        "Setting up a financing-guarantee company",
        Sector.FINANCIAL_LICENCES,
        (_P, _O),
        (_op("(一)"), _MEMO),
        2,
        Confidence.SECONDARY,
    ),
    _listing(
        "SECURITIES_FIRM_SETUP_REVIEW",
        "设立证券公司、基金管理公司、期货公司审批审慎参考",
        "Setting up a securities, fund-management or futures company: prudential reference",
        Sector.FINANCIAL_LICENCES,
        (_P_REF, _O_REF),
        (_op("(一)"), _MEMO),
        3,
        Confidence.UNCONFIRMED,
    ),
    _listing(
        "INSURER_SETUP_REVIEW",
        "设立保险公司审批审慎参考",
        "Setting up an insurance company: prudential reference",
        Sector.FINANCIAL_LICENCES,
        (_P_REF, _O_REF),
        (_op("(一)"), _MEMO),
        4,
        Confidence.UNCONFIRMED,
    ),
    _listing(
        "BOND_ENTERPRISE",
        "限制发行企业债券",
        "Issuing enterprise bonds",
        Sector.BONDS,
        (_O,),
        (_op("(一)"), _MEMO),
        5,
        Confidence.SECONDARY,
    ),
    _listing(
        "BOND_INTERBANK_REVIEW",
        "银行间市场发行债券严格审核",
        "Issuing bonds on the interbank market: strict review",
        Sector.BONDS,
        (_O_REF,),
        (_op("(一)"), _MEMO),
        6,
        Confidence.SECONDARY,
    ),
    _listing(
        "BOND_CORPORATE_PUBLIC",
        "限制公开发行公司债券",
        "Public issuance of corporate bonds",
        Sector.BONDS,
        (_O,),
        (_op("(一)"), _MEMO),
        7,
        Confidence.SECONDARY,
    ),
    _listing(
        "QFII_QUOTA_REVIEW",
        "合格境外机构投资者额度审批审慎参考",
        "QFII/RQFII quota approval: prudential reference",
        Sector.CAPITAL_MARKETS,
        (_O_REF,),
        (_op("(一)"), _MEMO),
        8,
        Confidence.UNCONFIRMED,
    ),
    _listing(
        "EQUITY_INCENTIVE",
        "上市公司股权激励：中止激励计划或激励对象资格",
        "Equity incentives at listed companies: plan or the person's eligibility suspended",
        Sector.CAPITAL_MARKETS,
        (_P, _O),
        (_op("(一)"), _MEMO),
        9,
        Confidence.UNCONFIRMED,
    ),
    _listing(
        "SHARE_ISSUANCE_REVIEW",
        "股票发行或全国中小企业股份转让系统挂牌审核参考",
        "Share issuance or NEEQ listing: reference",
        Sector.CAPITAL_MARKETS,
        (_O_REF,),
        (_op("(一)"), _MEMO),
        10,
        Confidence.UNCONFIRMED,
    ),
    _listing(
        "SOCIAL_ORG_FOUNDING",
        "限制设立社会组织",
        "Founding a social organisation",
        Sector.SOCIAL_ORGANISATIONS,
        (_P, _O),
        (_op("(一)"), _MEMO),
        11,
        Confidence.SECONDARY,
    ),
    _listing(
        "PROCUREMENT_SUPPLIER",
        "限制作为供应商参加政府采购活动",
        "Acting as a supplier in government procurement",
        Sector.PROCUREMENT,
        (_P, _O),
        (_op("(一)"), _MEMO, _NOTIFY),
        12,
        Confidence.SECONDARY,
    ),
    _listing(
        "GOV_INVESTED_PROJECT",
        "限制从事政府投资或主要使用财政性资金项目",
        "Projects invested by government or mainly funded by public money",
        Sector.GOVERNMENT_INVESTMENT,
        (_P, _O),
        (_op("(一)"), _MEMO),
        13,
        Confidence.SECONDARY,
    ),
    _listing(
        "BIDDING_BIDDER",
        "依法必须招标项目中限制失信被执行人投标",
        "Bidding in projects that must be tendered",
        Sector.BIDDING,
        (_P, _O),
        (LegalBasis(Instrument.BIDDING_NOTICE_2016, "一"), _op("(一)"), _NOTIFY),
        14,
        Confidence.SECONDARY,
    ),
    _listing(
        "BIDDING_AGENCY_REVIEW",
        "招标代理机构失信信息查询，优先选择无失信记录的机构",
        "Tender agents: listing checked when an agent is engaged",
        Sector.BIDDING,
        (_O_REF,),
        (LegalBasis(Instrument.BIDDING_NOTICE_2016, "二"),),
        14,
        Confidence.SECONDARY,
    ),
    _listing(
        "BIDDING_EXPERT",
        "不得担任评标专家，已担任的予以清退",
        "Serving as a bid-evaluation expert (existing experts removed)",
        Sector.BIDDING,
        (_P,),
        (LegalBasis(Instrument.BIDDING_NOTICE_2016, "三"),),
        14,
        Confidence.SECONDARY,
    ),
    _listing(
        "BIDDING_STAFF_REVIEW",
        "招标从业人员失信信息查询",
        "Tendering staff: listing checked",
        Sector.BIDDING,
        (_P_REF,),
        (LegalBasis(Instrument.BIDDING_NOTICE_2016, "四"),),
        14,
        Confidence.SECONDARY,
    ),
    _listing(
        "SUBSIDY_APPLICATION",
        "限制申请政府补贴资金和社会保障资金支持",
        "Applying for government subsidies and social-security fund support",
        Sector.SUBSIDIES,
        (_P, _O),
        (_op("(二)"), _MEMO, _NOTIFY),
        15,
        Confidence.SECONDARY,
    ),
    _listing(
        "PREFERENTIAL_POLICY_REVIEW",
        "投资、税收、进出口、科技等优惠政策审批审慎参考",
        "Investment, tax, import/export or technology preferential policies: prudential reference",
        Sector.PREFERENTIAL_POLICIES,
        # Rows 16 and 38 are about the entity (§3.3: its key people are only a reference about it). A listed
        # organisation's key persons are not listed for its debt (RULE-1, 2019 Opinion §16(b)): a flag on them
        # would tell the partner they are, so these rows never reach them. The other half of both rows, an
        # entity flagged because one of its key people is listed, is not served: such an entity is neither listed
        # nor restricted, so it is not in the screening index; the agency screens its key people themselves.
        (_P_REF, _O_REF),
        (_op("(二)"), _MEMO),
        16,
        Confidence.SECONDARY,
    ),
    _listing(
        "PUBLIC_RECRUITMENT",
        "不得招录（聘）为公务员或事业单位工作人员",
        "Recruitment as a civil servant or public-institution employee",
        Sector.PUBLIC_HIRING,
        (_P,),
        (_op("(三)"), _MEMO, LegalBasis(Instrument.CIVIL_SERVANT_LAW, "Art. 26")),
        17,
        Confidence.SECONDARY,
    ),
    _listing(
        "PUBLIC_STAFF_APPRAISAL_REVIEW",
        "在职公务员、事业单位工作人员考核、晋升、评优参考",
        "Serving civil servants and public-institution staff: appraisal, promotion and awards reference",
        Sector.PUBLIC_HIRING,
        (_P_REF,),
        (_op("(三)"), _MEMO),
        18,
        Confidence.UNCONFIRMED,
    ),
    _listing(
        "PARTY_MEMBERSHIP",
        "限制申请加入中国共产党、预备党员转正",
        "Joining the CPC, or confirmation of a probationary member",
        Sector.PARTY_MEMBERSHIP,
        (_P,),
        (_op("(三)"),),
        19,
        Confidence.SECONDARY,
    ),
    _listing(
        "CANDIDATE_NOMINATION",
        "不作为组织推荐的各级党代会代表、各级人大代表和政协委员候选人",
        "Nomination as a candidate for Party congress delegate, NPC deputy or CPPCC member",
        Sector.CANDIDATE_VETTING,
        (_P,),
        (_op("(三)"), _MEMO),
        20,
        Confidence.SECONDARY,
    ),
    _listing(
        "MILITARY_ENLISTMENT",
        "限制入伍服役",
        "Military enlistment",
        Sector.MILITARY_SERVICE,
        (_P,),
        (_op("(三)"),),
        21,
        Confidence.UNCONFIRMED,
    ),
    _listing(
        "SOE_EXECUTIVE_POST",
        "不得担任国有独资、国有控股公司董事、监事、高级管理人员，已担任的依法免职",
        "Director, supervisor or senior manager of a state-owned or state-controlled company (removed)",
        Sector.SOE_POSTS,
        (_P,),
        (_op("(三)"), _MEMO),
        22,
        Confidence.SECONDARY,
    ),
    _listing(
        "PUBLIC_INSTITUTION_LEGAL_REP",
        "不得登记为事业单位法定代表人",
        "Registration as legal representative of a public institution",
        Sector.PUBLIC_INSTITUTIONS,
        (_P,),
        (_op("(三)"), _MEMO),
        23,
        Confidence.SECONDARY,
    ),
    _listing(
        "FINANCIAL_INSTITUTION_POST",
        "不得担任银行、证券、基金、期货、保险、融资性担保机构董事、监事、高级管理人员",
        "Director, supervisor or senior manager of a bank, securities, fund, futures, insurer, guarantor",
        Sector.FINANCIAL_POSTS,
        (_P,),
        (_op("(三)"), _MEMO),
        24,
        Confidence.SECONDARY,
    ),
    _listing(
        "SOCIAL_ORG_LEADER",
        "不得登记或备案为社会组织负责人",
        "Registration or filing as the person in charge of a social organisation",
        Sector.SOCIAL_ORGANISATIONS,
        (_P,),
        (_op("(三)"), _MEMO),
        25,
        Confidence.SECONDARY,
    ),
    _listing(
        "CONSTRUCTION_CREDIT_RECORD",
        "房地产、建筑企业失信信息记入建筑市场信用档案，作为资质审核参考",
        "Real-estate and construction firms: recorded in market credit files, qualification reference",
        Sector.MARKET_ACCESS,
        (_O_REF,),
        (_op("(四)"), _MEMO),
        26,
        Confidence.SECONDARY,
    ),
    _listing(
        "LICENCE_QUALIFICATION_REVIEW",
        "其他行政许可、资质认定审慎参考（如林地、草原项目）",
        "Other licences and qualifications (e.g. forest-land and grassland projects): reference",
        Sector.MARKET_ACCESS,
        (_P_REF, _O_REF),
        (_op("(四)"), _MEMO, _NOTIFY),
        27,
        Confidence.SECONDARY,
    ),
    _listing(
        "HONOURS_EXCLUSION",
        "不得参评文明单位、道德模范及慈善类奖项，列入名单后所获荣誉予以撤销",
        "Civilised-unit, moral-model and charity honours: excluded; honours gained after listing revoked",
        Sector.HONOURS,
        (_P, _O),
        (_op("(五)"), _MEMO),
        28,
        Confidence.SECONDARY,
    ),
    _listing(
        "CREDIT_APPROVAL_REVIEW",
        "金融机构授信、贷款、信用卡审批参考",
        "Credit approval, loans and credit cards: reference",
        Sector.CREDIT,
        (_P_REF, _O_REF),
        (_NOTIFY, LegalBasis(Instrument.LIST_RULES, "Art. 8 ¶2", "L-NOTIFY-2"), _op("(五)")),
        29,
        Confidence.CONFIRMED,
    ),
    _listing(
        "STATE_ASSET_ACQUISITION",
        "限制取得国有土地使用权、受让国有产权等",
        "Acquiring state-owned land-use rights or state-owned assets",
        Sector.STATE_ASSETS,
        (_P, _O),
        (_op("(六)"), _MEMO),
        30,
        Confidence.UNCONFIRMED,
    ),
    Measure(
        "EXIT_RESTRICTION_CHECK",
        "出境管理：核查法院限制出境决定",
        "Exit control: check for a court exit-restriction decision (the status alone is not an exit ban)",
        Sector.EXIT_CONTROL,
        Trigger.EITHER,
        (
            _P_REF,
            Reach(Target.KEY_PERSON, Effect.REFERENCE, ALL_KEY_ROLES - {KeyRole.ACTUAL_CONTROLLER}),
        ),
        (_op("(八)"), LegalBasis(Instrument.CIVIL_PROCEDURE_LAW, "Art. 266")),
        Confidence.SECONDARY,
        (37,),
    ),
    _listing(
        "KEY_SUPERVISION",
        "列为重点监管对象，提高抽查比例和频次",
        "Key supervision target with more random inspections",
        Sector.MARKET_SUPERVISION,
        (_O_REF,),  # not the key persons of a listed organisation (RULE-1), as row 16
        (_op("(九)"), _MEMO),
        38,
        Confidence.SECONDARY,
    ),
    _listing(
        "CREDIT_PUBLICITY",
        "通过“信用中国”网站和企业信用信息公示系统公示",
        "Publication via Credit China and the enterprise credit publicity system",
        Sector.CREDIT_PUBLICITY,
        (_P_REF, _O_REF),
        (_op("(九)"), _MEMO, LegalBasis(Instrument.LIST_RULES, "Art. 7", "L-PUB-1")),
        39,
        Confidence.SECONDARY,
    ),
    _listing(
        "REFUSAL_TO_ENFORCE_PROSECUTION",
        "加大拒不执行判决、裁定罪追究力度",
        "Stronger prosecution for refusing to enforce a judgment or ruling (Criminal Law Art. 313)",
        Sector.CRIMINAL_JUSTICE,
        (_P_REF, _O_REF),
        (_op("(十)"), LegalBasis(Instrument.CRIMINAL_LAW, "Art. 313")),
        40,
        Confidence.SECONDARY,
    ),
    _listing(
        "INDUSTRY_RESTRICTIONS",
        "行业协会等实施市场性、行业性惩戒",
        "Market-based and industry restrictions by trade associations",
        Sector.INDUSTRY_ASSOCIATIONS,
        (_P_REF, _O_REF),
        (_op("(十一)"), _NOTIFY),
        41,
        Confidence.SECONDARY,
    ),
)

MEASURES_BY_CODE: Mapping[str, Measure] = MappingProxyType({m.code: m for m in MEASURES})


# --- Queries the API calls ----------------------------------------------------------------------------------


def list_sectors() -> tuple[Sector, ...]:
    """All sectors, in declaration order. Every sector has at least one measure."""
    return tuple(Sector)


def list_measures(sector: Sector | None = None, trigger: Trigger | None = None) -> tuple[Measure, ...]:
    """Measures in catalogue order, optionally filtered.

    ``sector``: keep only that sector's measures. ``trigger``: keep the measures that status fires —
    ``LISTED`` gives LISTED and EITHER measures, ``RESTRICTED`` gives RESTRICTED and EITHER measures,
    ``EITHER`` gives only the measures that either status alone fires. ``None`` means no filter.
    """
    # Coerce plain strings from the API: an unknown value raises ValueError instead of matching nothing.
    sector = None if sector is None else Sector(sector)
    trigger = None if trigger is None else Trigger(trigger)
    return tuple(
        m
        for m in MEASURES
        if (sector is None or m.sector is sector)
        and (trigger is None or m.trigger is trigger or m.trigger is Trigger.EITHER)
    )


def get_measure(code: str) -> Measure:
    """The measure with this code. Raises :class:`UnknownMeasure` (a ``KeyError``) for an unknown code."""
    try:
        return MEASURES_BY_CODE[code]
    except KeyError:
        raise UnknownMeasure(code) from None
