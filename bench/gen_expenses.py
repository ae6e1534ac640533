#!/usr/bin/env python3
"""Write a large, deterministic expense export for the batch-audit benchmark.

    python3 bench/gen_expenses.py --rows 1000000 --out bench/out/expenses-1m.csv

One UTF-8 CSV, one row per item of spending, with the Chinese column headers real exports
use (aliases of the pack's schemas/expense.yaml; the same header as samples/spending/),
amounts in 元 with two decimals, ISO dates, booleans 是/否 and an empty cell for a field
left out. Every row fills the common columns and the columns of its own category only.

What the rows look like:
  - 40 Shaoxing municipal budget units of different sizes, dates spread over 2022–2024;
  - the category mix of a municipal ledger: 差旅费 most common, then 会议费, 培训费,
    公务接待费, 公务用车运行维护费, 其他, and a few 因公出国（境）费 and 公务用车购置费 rows;
  - values drawn around the pack's standards (pack.yaml parameter defaults), with about
    1–5 % of the rows of a category breaking each per-record rule of c17-frugality, and
    rows sitting exactly on a limit (trip allowances of exactly days × rate, an approval
    on the day of departure, a cost equal to its cap, 10 / 11 / 12 guests …) so that an
    off-by-one or a `<` for `<=` shows up as a difference;
  - a few data-quality gaps the rules report as not evaluated (a trip to a city missing
    from the lodging table, host meals with no configured deduction, a vehicle use type
    with no configured standard, a missing rank or host count);
  - "三公" spending that falls year on year for most units and rises for some
    (SX-17-THREE-PUBLIC-DECLINE), and one unit whose 2024 total equals its 2023 total to
    the fen (SX-17-THREE-PUBLIC-FLAT): the file's last row is a vehicle bill of the unit
    whose 2024 total falls short of its 2023 total by the least, for exactly that gap.

Deterministic: the rows are drawn in blocks of BLOCK rows, each from its own
`random.Random` seeded with (seed, block number), so the same --rows and --seed always give
the same bytes whatever the number of processes the blocks are drawn on (all cores).
Rows are plain %-formatted lines (no value contains a comma or a quote, which is checked
at start-up).
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import operator
import os
import random
import sys
from collections import defaultdict

SEED = 20220410  # the seed document's signing date
BLOCK = 50_000
YEARS = (2022, 2023, 2024)
THREE_PUBLIC = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")

# (canonical field, CSV header): the header is one of the schema's aliases.
COLUMNS = [
    ("id", "单据编号"), ("unit", "单位名称"), ("date", "发生日期"), ("category", "经费类别"),
    ("amount", "金额（元）"), ("budget_item", "预算科目"), ("payment_method", "支付方式"),
    ("approved_on", "审批日期"), ("approver", "审批人"), ("description", "事由"),
    # reception
    ("guest_unit", "来访单位"), ("guest_count", "接待对象人数"), ("guest_top_rank", "接待对象最高职级"),
    ("visit_start", "来访日期"), ("visit_end", "接待结束日期"), ("official_letter_no", "公函编号"),
    ("has_official_letter", "有无公函"), ("letter_guest_count", "公函人数"), ("accompany_count", "陪餐人数"),
    ("work_meals", "工作餐次数"), ("meal_amount", "餐费"), ("venue_type", "用餐场所类型"),
    ("alcohol_served", "是否上酒"), ("premium_alcohol", "高档酒水"), ("cigarettes", "香烟"),
    ("premium_dishes", "高档菜肴"), ("wild_animal_dishes", "野生动物菜肴"), ("lodging_arranged", "安排住宿"),
    ("room_type", "房型"), ("lodging_paid_by_host", "住宿费由接待单位承担"), ("gifts", "赠送礼品纪念品土特产"),
    ("sightseeing", "旅游参观"), ("entertainment", "娱乐健身"), ("welcome_ceremony", "迎送"),
    ("reception_list", "接待清单"), ("reception_list_signed", "清单审签"),
    # vehicle purchase / operation
    ("plate_no", "车牌号"), ("vehicle_use_type", "车辆类别"), ("body_type", "车型"),
    ("vehicle_price", "购置价格"), ("displacement_l", "排气量"), ("new_energy", "新能源"),
    ("domestic", "国产"), ("special_approval", "特殊情况审批文号"),
    # travel
    ("traveler", "出差人"), ("traveler_rank", "职级"), ("destination_city", "出差地"),
    ("destination_province", "省份"), ("depart_on", "出发日期"), ("return_on", "返回日期"),
    ("trip_approved_on", "出差审批日期"), ("transport_class", "交通工具及等级"),
    ("transport_amount", "城市间交通费"), ("lodging_amount", "住宿费"), ("lodging_nights", "住宿天数"),
    ("meal_allowance", "伙食补助费"), ("host_meals", "接待单位安排用餐次数"),
    ("local_transport_allowance", "市内交通费"), ("host_transport", "接待单位提供交通"),
    # meeting
    ("meeting_name", "会议名称"), ("meeting_class", "会议类别"), ("meeting_kind", "会议性质"),
    ("in_annual_plan", "列入年度计划"), ("start_on", "开始日期"), ("end_on", "结束日期"),
    ("checkin_days", "报到离开天数"), ("delegates", "代表人数"), ("staff", "工作人员数"),
    ("venue_star", "星级"), ("designated_venue", "定点饭店"), ("scenic_area", "风景名胜区"),
    ("lodging_provided", "是否安排住宿"), ("other_amount", "其他费用"), ("banquet", "宴请"),
    ("souvenirs", "纪念品"), ("sign_in_sheet", "签到表"), ("itemised_bill", "费用明细单据"),
    # training
    ("training_name", "培训名称"), ("training_class", "培训类别"), ("trainees", "参训人数"),
    ("amount_excl_lecturers", "综合定额内费用"), ("lecturer_fees", "师资费"), ("lecture_title", "讲师职称"),
    ("lecture_hours", "学时"), ("lecture_half_days", "半天数"), ("lecture_fee_after_tax", "讲课费（税后）"),
    # overseas
    ("group_size", "团组人数"), ("countries", "出访国家和地区数"), ("days_abroad", "在外天数"),
    ("approval_no", "批件号"),
]
FIELDS = [field for field, _ in COLUMNS]
HEADER = ",".join(header for _, header in COLUMNS) + "\n"

COMMON = ("id", "unit", "date", "category", "amount", "budget_item", "payment_method", "approved_on",
          "approver", "description")
# The columns each category fills besides the common ones.
OWN = {
    "公务接待费": ("guest_unit", "guest_count", "guest_top_rank", "visit_start", "visit_end", "official_letter_no",
               "has_official_letter", "letter_guest_count", "accompany_count", "work_meals", "meal_amount",
               "venue_type", "alcohol_served", "premium_alcohol", "cigarettes", "premium_dishes",
               "wild_animal_dishes", "lodging_arranged", "room_type", "lodging_paid_by_host", "gifts",
               "sightseeing", "entertainment", "welcome_ceremony", "reception_list", "reception_list_signed"),
    "公务用车购置费": ("plate_no", "vehicle_use_type", "body_type", "vehicle_price", "displacement_l", "new_energy",
                "domestic", "special_approval"),
    "公务用车运行维护费": ("plate_no",),
    "差旅费": ("traveler", "traveler_rank", "destination_city", "destination_province", "depart_on", "return_on",
            "trip_approved_on", "transport_class", "transport_amount", "lodging_amount", "lodging_nights",
            "room_type", "meal_allowance", "host_meals", "local_transport_allowance", "host_transport"),
    "会议费": ("meeting_name", "meeting_class", "meeting_kind", "in_annual_plan", "start_on", "end_on",
            "checkin_days", "delegates", "staff", "venue_star", "designated_venue", "scenic_area",
            "lodging_provided", "lodging_amount", "meal_amount", "other_amount", "banquet", "sightseeing",
            "souvenirs", "sign_in_sheet", "itemised_bill"),
    "培训费": ("training_name", "training_class", "in_annual_plan", "start_on", "end_on", "trainees", "staff",
            "amount_excl_lecturers", "lecturer_fees", "lecture_title", "lecture_hours", "lecture_half_days",
            "lecture_fee_after_tax"),
    "因公出国（境）费": ("group_size", "countries", "days_abroad", "approval_no"),
    "其他": (),
}
# Per category: a getter of its fields' values in column order, and a %-format line with
# `%s` in those columns and every other cell empty.
FORMATS = {
    category: (operator.itemgetter(*[f for f in FIELDS if f in COMMON or f in own]),
               ",".join("%s" if f in COMMON or f in own else "" for f in FIELDS) + "\n")
    for category, own in OWN.items()
}

# The pack's parameter defaults the values are drawn around (rules/shaoxing-2022-6/pack.yaml).
SMALL_GROUP_MAX_GUESTS, SMALL_GROUP_MAX_ACCOMPANY, GUESTS_PER_ACCOMPANY = 10, 3, 3
MEAL_CAP_PER_PERSON = 150
MEAL_PER_DAY, MEAL_PER_DAY_HIGH, LOCAL_TRANSPORT_PER_DAY = 100, 120, 80
HIGH_ALTITUDE = {"西藏自治区", "青海省", "新疆维吾尔自治区"}
RANK_MAP = {"省部级": "部级", "厅局级": "司局级", "县处级": "其余人员", "乡科级及以下": "其余人员",
            "县处级及以下": "其余人员", "部级": "部级", "司局级": "司局级", "其余人员": "其余人员"}
LODGING_CAPS = {
    "杭州": {"部级": 800, "司局级": 500, "其余人员": 400}, "杭州市": {"部级": 800, "司局级": 500, "其余人员": 400},
    "北京": {"部级": 800, "司局级": 500, "其余人员": 350}, "北京市": {"部级": 800, "司局级": 500, "其余人员": 350},
    "上海": {"部级": 800, "司局级": 500, "其余人员": 350}, "上海市": {"部级": 800, "司局级": 500, "其余人员": 350},
    "其他": {"部级": 800, "司局级": 450, "其余人员": 350},
}
MEETING_CAPS = {"一类": (760, 500), "二类": (650, 400), "三类": (550, 340), "四类": (550, 340)}  # (total, lodging)
# The 一类 entries (and 四类's staff ratio) are not limits in the pack, only how such meetings
# usually run; the generator draws every class the same way.
MEETING_MAX_DAYS = {"一类": 4, "二类": 3, "三类": 2, "四类": 2}
MEETING_MAX_ATTENDEES = {"一类": 600, "二类": 300, "三类": 150, "四类": 50}
MEETING_STAFF_RATIO = {"一类": 0.1, "二类": 0.15, "三类": 0.1, "四类": 0.1}
MEETING_MAX_CHECKIN = {"一类": 2, "二类": 2, "三类": 2, "四类": 1}
MEETING_MAX_STAR = 4
TRAINING_CAPS = {"一类": 760, "二类": 650, "三类": 550}
LECTURE_FEE_CAPS = {"中级及以下": 300, "副高": 500, "正高": 1000, "院士或全国知名专家": 1500}
LECTURE_HOURS_PER_HALF_DAY = 4
VEHICLE_CAPS = {"机要通信用车": (120000, "1.6"), "应急保障用车": (180000, "1.8"), "其他公务用车": (180000, "1.8")}
VEHICLE_SPECIAL_CAPS = {"小型客车": (250000, "3.0"), "中型客车": (250000, "3.0"), "大型客车": (450000, None)}
NEV_SEDAN_MAX_PRICE = 180000

UNITS = [
    # code, name, relative size
    ("FGW", "绍兴市发展和改革委员会", 1.6), ("JYJ", "绍兴市教育局", 1.8), ("CZJ", "绍兴市财政局", 1.4),
    ("ZJJ", "绍兴市住房和城乡建设局", 1.5), ("JTJ", "绍兴市交通运输局", 1.7), ("WJW", "绍兴市卫生健康委员会", 1.6),
    ("MZJ", "绍兴市民政局", 0.9), ("SFJ", "绍兴市司法局", 0.9), ("STJ", "绍兴市生态环境局", 1.0),
    ("WGL", "绍兴市文化广电旅游局", 1.2), ("SJJ", "绍兴市市场监督管理局", 1.3), ("GAJ", "绍兴市公安局", 2.0),
    ("ZGJ", "绍兴市自然资源和规划局", 1.3), ("NYJ", "绍兴市农业农村局", 1.1), ("SLJ", "绍兴市水利局", 0.9),
    ("SWJ", "绍兴市商务局", 0.9), ("SJI", "绍兴市审计局", 0.7), ("TJJ", "绍兴市统计局", 0.6),
    ("YBJ", "绍兴市医疗保障局", 0.7), ("YJJ", "绍兴市应急管理局", 0.9), ("RSJ", "绍兴市人力资源和社会保障局", 1.1),
    ("JXJ", "绍兴市经济和信息化局", 1.1), ("KJJ", "绍兴市科学技术局", 0.8), ("TYJ", "绍兴市退役军人事务局", 0.6),
    ("TIY", "绍兴市体育局", 0.6), ("ZFB", "绍兴市人民政府办公室", 1.2), ("ZHZ", "绍兴市综合行政执法局", 1.2),
    ("XFJ", "绍兴市信访局", 0.5), ("JGS", "绍兴市机关事务管理中心", 0.8), ("DSJ", "绍兴市大数据发展管理局", 0.6),
    ("RFB", "绍兴市人民防空办公室", 0.5), ("GZW", "绍兴市国有资产监督管理委员会", 0.7),
    ("JRB", "绍兴市地方金融监督管理局", 0.5), ("DAG", "绍兴市档案馆", 0.4), ("MZZ", "绍兴市民族宗教事务局", 0.4),
    ("ZYJ", "绍兴市公共资源交易中心", 0.6), ("JKZ", "绍兴市疾病预防控制中心", 1.0),
    ("CJD", "绍兴市城市建设档案馆", 0.3), ("TCJ", "绍兴市投资促进中心", 0.6), ("LYJ", "绍兴市林业局", 0.5),
]
# Share of a unit's "三公" rows kept each year (the others become 其他): most units cut
# 三公 spending year on year; these units let it rise in the year given.
THREE_PUBLIC_KEEP = {2022: 1.0, 2023: 0.93, 2024: 0.86}
RISING = {"JTJ": 2024, "WJW": 2023, "GAJ": 2024, "SLJ": 2023, "DSJ": 2024}

CATEGORY_MIX = [("差旅费", 42), ("会议费", 14), ("培训费", 12), ("公务接待费", 11), ("公务用车运行维护费", 10),
                ("其他", 10), ("因公出国（境）费", 0.6), ("公务用车购置费", 0.4)]

GUEST_UNITS = [("杭州市发展和改革委员会", "杭发改"), ("宁波市财政局", "甬财"), ("嘉兴市交通运输局", "嘉交"),
               ("湖州市文化广电旅游局", "湖文旅"), ("金华市市场监督管理局", "金市监"), ("台州市教育局", "台教"),
               ("浙江省财政厅", "浙财"), ("浙江省交通运输厅", "浙交"), ("浙江省卫生健康委员会", "浙卫"),
               ("衢州市公安局", "衢公"), ("温州市住房和城乡建设局", "温建"), ("丽水市农业农村局", "丽农"),
               ("舟山市水利局", "舟水"), ("诸暨市人民政府", "诸政"), ("上虞区人民政府", "虞政"),
               ("江苏省南通市商务局", "通商"), ("安徽省黄山市人民政府", "黄政")]
GUEST_RANKS = [("省部级", 2), ("厅局级", 20), ("县处级", 45), ("乡科级及以下", 33)]
PURPOSES = ["调研考察", "工作交流", "检查指导", "学习考察", "项目对接", "座谈交流"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾沈钱"
GIVEN = ["建国", "敏", "志强", "丽华", "伟", "静", "海波", "晓燕", "国平", "婷", "立新", "红梅", "俊杰",
         "雪芳", "国庆", "文博", "卫东", "佳怡", "少华", "永明", "晨", "浩然", "思远", "秀英"]
TRAVEL_RANKS = [("乡科级及以下", 44), ("县处级", 34), ("厅局级", 12), ("其余人员", 6), ("司局级", 2.5),
                ("县处级及以下", 1), ("省部级", 0.2), ("", 0.3)]
# (city, province, weight): 其他 is how exports write "elsewhere"; the unlisted cities have
# no entry in params.travel_lodging_caps (lodging is then not evaluated).
CITIES = [("杭州", "浙江省", 30), ("其他", "", 30), ("北京", "北京市", 13), ("上海", "上海市", 13),
          ("杭州市", "浙江省", 3), ("北京市", "北京市", 2), ("上海市", "上海市", 2), ("宁波", "浙江省", 2),
          ("南京", "江苏省", 1.5), ("拉萨", "西藏自治区", 0.9), ("西宁", "青海省", 0.6),
          ("乌鲁木齐", "新疆维吾尔自治区", 0.6)]
TRAVEL_PURPOSES = ["参加业务培训", "参加工作会议", "汇报工作", "项目对接", "考察学习", "招商引资"]
# Classes each travel rank usually takes, and above-standard ones it sometimes takes.
USUAL_CLASS = {
    "其余人员": [("高铁二等座", 62), ("飞机经济舱", 22), ("火车硬卧", 4), ("其他", 12)],
    "司局级": [("高铁一等座", 45), ("高铁二等座", 25), ("飞机经济舱", 25), ("火车软卧", 5)],
    "部级": [("飞机头等舱", 20), ("飞机公务舱", 30), ("高铁商务座", 20), ("高铁一等座", 30)],
}
ABOVE_CLASS = {"其余人员": ["高铁一等座", "飞机公务舱", "高铁商务座", "火车软卧"],
               "司局级": ["飞机公务舱", "高铁商务座", "飞机头等舱"], "部级": ["飞机头等舱"]}
MEETING_TOPICS = ["工作会议", "推进会", "座谈会", "专家评审会", "业务研讨会", "工作部署会", "现场会"]
MEETING_KINDS = [("传达布置类", 18), ("工作会议", 35), ("研讨会", 15), ("座谈会", 15), ("评审会", 12), ("其他", 5)]
TRAINING_TOPICS = ["业务骨干培训班", "政策法规专题培训", "青年干部能力提升班", "安全生产培训班",
                   "数字化改革专题培训", "财务人员继续教育"]
OTHER_ITEMS = ["办公费", "印刷费", "邮电费", "物业管理费", "维修（护）费", "专用材料费", "委托业务费", "劳务费"]
PAYMENT = [("公务卡", 58), ("银行转账", 30), ("国库集中支付", 8)]
RECEPTION_PAYMENT = [("公务卡", 58), ("银行转账", 30), ("国库集中支付", 8), ("现金", 2), ("其他", 1), ("", 1)]

for text in [name for _, name, _ in UNITS] + [u for u, _ in GUEST_UNITS] + PURPOSES + GIVEN + OTHER_ITEMS:
    assert "," not in text and '"' not in text, text


def table(pairs, resolution=1000):
    """A list in which each value appears in proportion to its weight, for O(1) weighted picks."""
    total = sum(weight for _, weight in pairs)
    out = []
    for value, weight in pairs:
        out += [value] * max(1, round(weight * resolution / total))
    return out


def money(cents):
    """An amount of whole fen as 元 with two decimals, exactly."""
    return f"{cents // 100}.{cents % 100:02d}"


def yuan(x):
    """A float amount in 元, rounded to the fen."""
    return money(int(x * 100 + 0.5))


class Generator:
    """Draws rows category by category; every draw comes from one seeded generator."""

    def __init__(self, seed):
        r = self.r = random.Random(seed).random
        first = dt.date(2021, 9, 1)
        # every date a row can name, as text: approvals before 2022, returns after 2024
        self.days = [(first + dt.timedelta(days=i)).isoformat() for i in range(1300)]
        self.years = [int(day[:4]) for day in self.days]
        self.day0 = (dt.date(2022, 1, 1) - first).days
        self.span = (dt.date(2025, 1, 1) - dt.date(2022, 1, 1)).days
        self.unit_pick = table([(i, size) for i, (_, _, size) in enumerate(UNITS)])
        self.category_pick = table(CATEGORY_MIX, 10000)
        self.guest_rank_pick = table(GUEST_RANKS)
        self.travel_rank_pick = table(TRAVEL_RANKS, 10000)
        self.city_pick = table([((c, p), w) for c, p, w in CITIES])
        self.class_pick = {rank: table(pairs) for rank, pairs in USUAL_CLASS.items()}
        self.kind_pick = table(MEETING_KINDS)
        self.payment_pick = table(PAYMENT)
        self.reception_payment_pick = table(RECEPTION_PAYMENT)
        self.people = [s + g for s in SURNAMES for g in GIVEN]
        self.keep = {}
        for code, _, _ in UNITS:
            for year in YEARS:
                keep = THREE_PUBLIC_KEEP[year]
                if RISING.get(code) == year:
                    keep = THREE_PUBLIC_KEEP[year - 1] * 1.08
                self.keep[code, year] = keep
        self.three_public_cents = defaultdict(int)  # (unit code, year) → fen

        # the two draws every field uses, as closures (cheaper than method calls)
        def pick(values):
            return values[int(r() * len(values))]

        def between(low, high):
            """A whole number in [low, high]."""
            return low + int(r() * (high - low + 1))

        self.pick, self.between = pick, between

    def person(self):
        return self.pick(self.people)

    def row(self, n):
        """Row n (0-based) as a line of CSV."""
        r = self.r
        unit_index = self.pick(self.unit_pick)
        code, unit, _ = UNITS[unit_index]
        day = self.day0 + int(r() * self.span)
        year = self.years[day]
        category = self.pick(self.category_pick)
        if category in THREE_PUBLIC and r() > self.keep[code, year]:
            category = "其他"
        fields = getattr(self, CATEGORY_METHODS[category])(day)
        fields["id"] = f"{code}-{year}-{n + 1:07d}"
        fields["unit"] = unit
        fields["category"] = category
        fields.setdefault("date", self.days[day])
        fields.setdefault("budget_item", category)
        fields.setdefault("payment_method", self.pick(self.payment_pick))
        fields.setdefault("approved_on", "")
        fields.setdefault("approver", self.person())
        if category in THREE_PUBLIC:
            self.three_public_cents[code, year] += fields.pop("cents")
        getter, line = FORMATS[category]
        return line % getter(fields)

    # ── 公务接待费 ───────────────────────────────────────────────────────────────
    def reception(self, day):
        r, days = self.r, self.days
        guest_unit, letter_prefix = self.pick(GUEST_UNITS)
        guests = self.pick(GUEST_COUNTS)
        rank = self.pick(self.guest_rank_pick)
        limit = SMALL_GROUP_MAX_ACCOMPANY if guests <= SMALL_GROUP_MAX_GUESTS else guests // GUESTS_PER_ACCOMPANY
        x = r()
        work_meals = 0 if x < 0.18 else (1 if x < 0.97 else (2 if x < 0.992 else 3))
        x = r()
        if work_meals == 0:
            accompany = "" if x < 0.85 else "0"
        elif x < 0.003:
            accompany = ""  # a meal with no host count: SX-17-RECEPTION-ACCOMPANY is not evaluated
        elif x < 0.028:
            accompany = str(limit + 1 + int(r() * 2))
        elif x < 0.25:
            accompany = str(limit)
        else:
            accompany = str(self.between(1, limit))
        meal_cents = 0
        if work_meals:
            diners = guests + (int(accompany) if accompany else 0)
            x = r()
            if x < 0.025:
                per_person = self.between(15100, 26000)
            elif x < 0.06:
                per_person = MEAL_CAP_PER_PERSON * 100
            else:
                per_person = self.between(4000, 14999)
            meal_cents = per_person * diners
        x = r()
        if x < 0.955:
            letter_no, has_letter = f"{letter_prefix}函〔{days[day][:4]}〕{self.between(1, 260)}号", ""
        elif x < 0.975:
            letter_no, has_letter = "", "有"
        elif x < 0.99:
            letter_no, has_letter = "", ""
        else:
            letter_no, has_letter = "", "无"
        x = r()
        if x < 0.4:
            letter_count = ""  # the letter does not say how many
        elif x < 0.42 and guests > 1:
            letter_count = str(max(1, guests - 1 - int(r() * 3)))  # fewer than were received
        else:
            letter_count = str(guests)
        lodging = r() < 0.2
        room, paid_by_host = "", "否"
        lodging_cents = 0
        if lodging:
            x = r()
            if x < 0.7:
                room = "标准间"
            elif x < 0.9:
                room = "单间"
            elif x < 0.98:
                room = "普通套间"
            elif x < 0.99:
                room = "豪华套间"
            if r() < 0.03:
                paid_by_host = "是"
                lodging_cents = self.between(30000, 60000) * guests
        x = r()
        venue = ("机关食堂" if x < 0.5 else "定点饭店" if x < 0.85 else "社会餐馆" if x < 0.983
                 else "私人会所" if x < 0.993 else "高消费餐饮场所") if work_meals else ""
        x = r()
        reception_list = "是" if x < 0.985 else ("否" if x < 0.995 else "")
        x = r()
        signed = ("是" if x < 0.99 else ("否" if x < 0.997 else "")) if reception_list == "是" else ""
        visit_end = day + (0 if r() < 0.8 else (1 if r() < 0.75 else 2))
        cents = meal_cents + lodging_cents
        return {
            "date": days[day], "amount": money(cents), "cents": cents,
            "payment_method": self.pick(self.reception_payment_pick),
            "description": f"接待{guest_unit}来绍{self.pick(PURPOSES)}",
            "guest_unit": guest_unit, "guest_count": guests, "guest_top_rank": rank,
            "visit_start": days[day], "visit_end": days[visit_end], "official_letter_no": letter_no,
            "has_official_letter": has_letter, "letter_guest_count": letter_count,
            "accompany_count": accompany, "work_meals": work_meals,
            "meal_amount": money(meal_cents) if work_meals else "",
            "venue_type": venue,
            "alcohol_served": "是" if r() < 0.04 else "否",
            "premium_alcohol": "是" if r() < 0.007 else "否",
            "cigarettes": "是" if r() < 0.005 else "否",
            "premium_dishes": "是" if r() < 0.004 else "否",
            "wild_animal_dishes": "是" if r() < 0.001 else "否",
            "lodging_arranged": "是" if lodging else "否", "room_type": room,
            "lodging_paid_by_host": paid_by_host,
            "gifts": "是" if r() < 0.008 else "否",
            "sightseeing": "是" if r() < 0.005 else "否",
            "entertainment": "是" if r() < 0.003 else "否",
            "welcome_ceremony": "是" if r() < 0.005 else "否",
            "reception_list": reception_list, "reception_list_signed": signed,
        }

    # ── 公务用车购置费 / 公务用车运行维护费 ────────────────────────────────────────────
    def plate(self, new_energy=False):
        return f"浙D·{'D' if new_energy else 'A'}{self.between(1000, 9999)}"

    def vehicle_purchase(self, day):
        r = self.r
        use = self.pick(VEHICLE_USES)
        body = self.pick(BODY_BY_USE[use])
        special = ""
        if (body in VEHICLE_SPECIAL_CAPS and r() < 0.6) or r() < 0.01:
            special = f"绍财资〔{self.days[day][:4]}〕{self.between(1, 60)}号"
        new_energy = body in ("轿车", "越野车") and r() < 0.4
        if new_energy and body == "轿车" and not special:
            price_cap, displacement_cap = NEV_SEDAN_MAX_PRICE, None
        elif special and body in VEHICLE_SPECIAL_CAPS:
            price_cap, displacement_cap = VEHICLE_SPECIAL_CAPS[body]
        elif not special and use in VEHICLE_CAPS:
            price_cap, displacement_cap = VEHICLE_CAPS[use]
        else:  # no configured standard (执法执勤用车 …): the rule is not evaluated
            price_cap, displacement_cap = 260000, "2.0"
        x = r()
        if x < 0.03:
            price = price_cap + self.between(2000, 60000)
        elif x < 0.07:
            price = price_cap
        else:
            price = price_cap - self.between(2000, price_cap // 3)
        if new_energy:
            displacement = ""
        elif displacement_cap is None:
            displacement = f"{self.between(40, 80) / 10:.1f}"
        else:
            tenths = int(float(displacement_cap) * 10)
            x = r()
            if x < 0.03:
                tenths += self.between(1, 6)
            elif x >= 0.15:
                tenths -= self.between(1, 4)
            displacement = f"{tenths / 10:.1f}"
        cents = price * 100
        return {
            "amount": money(cents), "cents": cents, "payment_method": "国库集中支付",
            "approved_on": self.days[day - self.between(15, 90)],
            "description": f"购置{use}（{body}）", "plate_no": self.plate(new_energy),
            "vehicle_use_type": use, "body_type": body, "vehicle_price": money(cents),
            "displacement_l": displacement, "new_energy": "是" if new_energy else "否",
            "domestic": "是" if r() < 0.9 else "否", "special_approval": special,
        }

    def vehicle_operation(self, day, cents=None):
        r = self.r
        if cents is None:  # fuel and parking, repairs, insurance
            x = r()
            low, high = (15000, 80000) if x < 0.6 else (80000, 600000) if x < 0.95 else (600000, 1800000)
            cents = self.between(low, high)
        return {
            "amount": money(cents), "cents": cents,
            "budget_item": "公务用车运行维护费",
            "description": self.pick(["车辆加油", "车辆维修", "车辆保险", "车辆年检", "过路过桥费", "停车费"]),
            "plate_no": self.plate(r() < 0.3),
        }

    # ── 差旅费 ────────────────────────────────────────────────────────────────
    def travel(self, day):
        r, days = self.r, self.days
        rank = self.pick(self.travel_rank_pick)
        travel_rank = RANK_MAP.get(rank)
        city, province = self.pick(self.city_pick)
        trip_days = self.pick(TRIP_DAYS)
        ret = day + trip_days - 1
        # approval: on or before departure, or only the general approval date, or none, or late
        x = r()
        trip_approved, approved = "", ""
        if x < 0.93:
            trip_approved = days[day - (0 if r() < 0.15 else self.between(1, 10))]
        elif x < 0.97:
            approved = days[day - self.between(0, 7)]
        elif x < 0.984:
            pass
        else:
            trip_approved = days[day + self.between(1, 5)]
        # city-to-city transport
        x = r()
        if x < 0.06:
            transport_class, transport_cents = "", ""
        else:
            if x < 0.085 and travel_rank:
                transport_class = self.pick(ABOVE_CLASS[travel_rank])
            else:
                transport_class = self.pick(self.class_pick[travel_rank or "其余人员"])
            transport_cents = self.between(9000, 250000)
        # lodging: nights default to the calendar days less one
        nights = trip_days - 1
        lodging_cents = 0
        nights_cell, room = "", ""
        if nights == 0:
            lodging_cell = "" if r() < 0.7 else "0.00"
        else:
            cap = LODGING_CAPS.get(city, {}).get(travel_rank, 420) * nights * 100
            x = r()
            if x < 0.025:
                lodging_cents = int(cap * (1.02 + r() * 0.38))
            elif x < 0.075:
                lodging_cents = cap
            else:
                lodging_cents = int(cap * (0.55 + r() * 0.44))
            lodging_cell = money(lodging_cents)
            if r() < 0.5:
                nights_cell = str(nights)
            x = r()
            if x < 0.6:
                room = "标准间" if x < 0.45 else ("单间" if x < 0.588 else "普通套间")
        # allowances, by calendar days (both ends counted)
        rate = MEAL_PER_DAY_HIGH if province in HIGH_ALTITUDE else MEAL_PER_DAY
        x = r()
        if x < 0.02:
            meal_cents = None
        elif x < 0.04:
            meal_cents = (trip_days * rate + self.between(20, 200)) * 100
        elif x < 0.12:
            meal_cents = int(trip_days * rate * (0.3 + r() * 0.69)) * 100
        else:
            meal_cents = trip_days * rate * 100
        x = r()
        host_meals = "" if x < 0.965 else ("0" if x < 0.985 else str(self.between(1, 3)))
        host_transport = r() < 0.05
        x = r()
        if meal_cents is None and x < 0.5:
            local_cents = None  # neither allowance claimed: the rule does not apply
        elif host_transport:
            local_cents = 0 if x < 0.9 else (None if x < 0.95 else trip_days * LOCAL_TRANSPORT_PER_DAY * 100)
        elif x < 0.02:
            local_cents = None
        elif x < 0.04:
            local_cents = (trip_days * LOCAL_TRANSPORT_PER_DAY + self.between(10, 100)) * 100
        elif x < 0.08:
            local_cents = int(trip_days * LOCAL_TRANSPORT_PER_DAY * (0.3 + r() * 0.69)) * 100
        else:
            local_cents = trip_days * LOCAL_TRANSPORT_PER_DAY * 100
        cents = (transport_cents or 0) + lodging_cents + (meal_cents or 0) + (local_cents or 0)
        traveler = self.person()
        return {
            "date": days[day], "amount": money(cents), "approved_on": approved,
            "description": f"{traveler}赴{city}{self.pick(TRAVEL_PURPOSES)}",
            "traveler": traveler, "traveler_rank": rank, "destination_city": city,
            "destination_province": province, "depart_on": days[day], "return_on": days[ret],
            "trip_approved_on": trip_approved, "transport_class": transport_class,
            "transport_amount": money(transport_cents) if transport_cents else "",
            "lodging_amount": lodging_cell, "lodging_nights": nights_cell, "room_type": room,
            "meal_allowance": "" if meal_cents is None else money(meal_cents), "host_meals": host_meals,
            "local_transport_allowance": "" if local_cents is None else money(local_cents),
            "host_transport": "是" if host_transport else "否",
        }

    # ── 会议费 / 培训费: planning ───────────────────────────────────────────────────
    def plan(self, start):
        """(in_annual_plan, approved_on) for a meeting or course starting on day `start`."""
        r, days = self.r, self.days
        x = r()
        if x < 0.85:
            return "是", ""
        if x < 0.96:
            y = r()
            if y < 0.87:
                approved = days[start - self.between(3, 30)]
            elif y < 0.93:
                approved = days[start]  # on the first day itself
            elif y < 0.97:
                approved = days[start + self.between(1, 10)]  # too late
            else:
                approved = ""
            return "否", approved
        return "", (days[start - self.between(3, 30)] if r() < 0.7 else "")

    def priced(self, cap_cents):
        """An amount of fen around a cap: mostly under it, some exactly on it, a few over."""
        x = self.r()
        if x < 0.025:
            return int(cap_cents * (1.01 + self.r() * 0.29))
        if x < 0.075:
            return cap_cents
        return int(cap_cents * (0.45 + self.r() * 0.52))

    # ── 会议费 ────────────────────────────────────────────────────────────────
    def meeting(self, day):
        r, days = self.r, self.days
        meeting_class = self.pick(MEETING_CLASSES)
        kind = self.pick(self.kind_pick)
        max_days = 1 if kind == "传达布置类" else MEETING_MAX_DAYS[meeting_class]
        meeting_days = max_days + 1 if r() < 0.015 else self.between(1, max_days)
        lo, hi = MEETING_DELEGATES[meeting_class]
        delegates = self.between(lo, hi)
        ratio_cap = int(delegates * MEETING_STAFF_RATIO[meeting_class])
        x = r()
        if x < 0.012:
            staff = ratio_cap + self.between(1, 3)  # over the staff ratio
        elif x < 0.1:
            staff = ratio_cap
        else:
            staff = self.between(0, ratio_cap)
        if r() < 0.012:
            delegates = MEETING_MAX_ATTENDEES[meeting_class] - staff + self.between(1, 20)
        staff_cell = "" if r() < 0.1 and staff == 0 else str(staff)
        x = r()
        max_checkin = MEETING_MAX_CHECKIN[meeting_class]
        if x < 0.7:
            checkin = ""
        elif x < 0.705:
            checkin = str(max_checkin + 1)
        else:
            checkin = str(self.between(1, max_checkin))
        # venue: the unit's own room (no star, no designation) or a hotel
        x = r()
        if x < 0.2:
            star, designated = "", ""
        else:
            y = r()
            star = str(MEETING_MAX_STAR - 1 if y < 0.47 else MEETING_MAX_STAR if y < 0.97 else 2 if y < 0.985
                       else MEETING_MAX_STAR + 1)
            designated = "是" if r() < 0.99 else "否"
        total, lodging_part = MEETING_CAPS[meeting_class]
        x = r()
        if meeting_days > 1:
            provided = "是" if x < 0.75 else ("否" if x < 0.95 else "")
        else:
            provided = "否" if x < 0.7 else ("" if x < 0.95 else "是")
        with_lodging = provided == "是"
        people = delegates + staff
        cap_cents = (total if with_lodging else total - lodging_part) * people * meeting_days * 100
        cents = self.priced(cap_cents)
        lodging_cents = cents * 55 // 100 if with_lodging else 0
        meal_cents = (cents - lodging_cents) * 6 // 10
        in_plan, approved = self.plan(day)
        name = f"{self.days[day][:4]}年{self.pick(MEETING_TOPICS)}"
        return {
            "date": days[day], "amount": money(cents), "approved_on": approved,
            "description": f"召开{name}", "meeting_name": name, "meeting_class": meeting_class,
            "meeting_kind": kind, "in_annual_plan": in_plan, "start_on": days[day],
            "end_on": days[day + meeting_days - 1], "checkin_days": checkin, "delegates": delegates,
            "staff": staff_cell, "venue_star": star, "designated_venue": designated,
            "scenic_area": "是" if r() < 0.004 else "否", "lodging_provided": provided,
            "lodging_amount": money(lodging_cents) if lodging_cents else "",
            "meal_amount": money(meal_cents), "other_amount": money(cents - lodging_cents - meal_cents),
            "banquet": "是" if r() < 0.004 else "否", "sightseeing": "是" if r() < 0.003 else "否",
            "souvenirs": "是" if r() < 0.004 else "否", "sign_in_sheet": "是" if r() < 0.97 else "否",
            "itemised_bill": "是" if r() < 0.98 else "否",
        }

    # ── 培训费 ────────────────────────────────────────────────────────────────
    def training(self, day):
        r, days = self.r, self.days
        training_class = self.pick(TRAINING_CLASSES)
        x = r()
        course_days = (self.between(1, 5) if x < 0.85 else self.between(6, 10) if x < 0.95
                       else self.between(20, 30) if x < 0.98 else self.between(31, 45))
        trainees = self.between(15, 120)
        staff = "" if r() < 0.3 else str(self.between(1, 8))
        people = trainees + (int(staff) if staff else 0)
        # days beyond 30 count at 70 %: paid days in tenths, so that the cap stays a whole number of fen
        paid_tenths = min(course_days, 30) * 10 + 7 * max(course_days - 30, 0)
        cap_cents = TRAINING_CAPS[training_class] * people * paid_tenths * 10
        cost_cents = self.priced(cap_cents)
        lecturer_cents = 0 if r() < 0.3 else self.between(2000, 20000) * 100
        excl = money(cost_cents) if r() < 0.4 else ""
        lecture = {"lecture_title": "", "lecture_hours": "", "lecture_half_days": "", "lecture_fee_after_tax": ""}
        if r() < 0.6:
            title = self.pick(LECTURE_TITLES)
            half_days = 1 if r() < 0.7 else 2
            most_hours = LECTURE_HOURS_PER_HALF_DAY * half_days
            x = r()
            if x < 0.01:
                hours = most_hours + 1
            elif x < 0.3:
                hours = most_hours
            else:
                hours = self.between(1, most_hours)
            fee_cap = LECTURE_FEE_CAPS[title] * hours * 100
            x = r()
            if x < 0.02:
                fee = int(fee_cap * (1.05 + r() * 0.5))
            elif x < 0.12:
                fee = fee_cap
            else:
                fee = int(fee_cap * (0.6 + r() * 0.39))
            lecture = {"lecture_title": title, "lecture_hours": str(hours),
                       "lecture_half_days": "" if r() < 0.1 else str(half_days), "lecture_fee_after_tax": money(fee)}
        in_plan, approved = self.plan(day)
        name = f"{self.days[day][:4]}年{self.pick(TRAINING_TOPICS)}"
        return {
            "date": days[day], "amount": money(cost_cents + lecturer_cents), "approved_on": approved,
            "description": f"举办{name}", "training_name": name, "training_class": training_class,
            "in_annual_plan": in_plan, "start_on": days[day], "end_on": days[day + course_days - 1],
            "trainees": trainees, "staff": staff, "amount_excl_lecturers": excl,
            "lecturer_fees": money(lecturer_cents) if lecturer_cents else "", **lecture,
        }

    # ── 因公出国（境）费 / 其他 ───────────────────────────────────────────────────────
    def overseas(self, day):
        cents = self.between(1500000, 6000000)
        countries = self.between(1, 3)
        return {
            "amount": money(cents), "cents": cents, "approved_on": self.days[day - self.between(20, 60)],
            "description": "因公临时出国（境）考察", "group_size": self.between(2, 6), "countries": countries,
            "days_abroad": self.between(3, 4 + 2 * countries),
            "approval_no": f"浙外办〔{self.days[day][:4]}〕{self.between(1, 400)}号",
        }

    def other(self, day):
        item = self.pick(OTHER_ITEMS)
        return {"amount": yuan(50 + self.r() ** 2 * 60000), "budget_item": item, "description": f"支付{item}"}


CATEGORY_METHODS = {"公务接待费": "reception", "公务用车购置费": "vehicle_purchase", "公务用车运行维护费": "vehicle_operation",
                    "差旅费": "travel", "会议费": "meeting", "培训费": "training", "因公出国（境）费": "overseas",
                    "其他": "other"}
GUEST_COUNTS = table([(1, 3), (2, 10), (3, 12), (4, 12), (5, 10), (6, 9), (7, 7), (8, 6), (9, 5), (10, 5),
                      (11, 4), (12, 4), (13, 3), (14, 2), (15, 2), (16, 1.5), (18, 1.5), (20, 1), (24, 0.5)])
TRIP_DAYS = table([(1, 25), (2, 30), (3, 20), (4, 10), (5, 7), (6, 3), (7, 2), (9, 1), (12, 1), (15, 1)])
VEHICLE_USES = table([("机要通信用车", 20), ("应急保障用车", 25), ("其他公务用车", 35), ("执法执勤用车", 15),
                      ("特种专业技术用车", 5)])
BODY_BY_USE = {
    "机要通信用车": table([("轿车", 1)]),
    "应急保障用车": table([("轿车", 60), ("越野车", 30), ("小型客车", 10)]),
    "其他公务用车": table([("轿车", 50), ("小型客车", 20), ("中型客车", 20), ("大型客车", 10)]),
    "执法执勤用车": table([("轿车", 60), ("越野车", 40)]),
    "特种专业技术用车": table([("中型客车", 50), ("其他", 50)]),
}
MEETING_CLASSES = table([("一类", 2), ("二类", 10), ("三类", 45), ("四类", 43)])
MEETING_DELEGATES = {"一类": (100, 500), "二类": (50, 250), "三类": (20, 130), "四类": (8, 44)}
TRAINING_CLASSES = table([("一类", 5), ("二类", 25), ("三类", 70)])
LECTURE_TITLES = table([("中级及以下", 15), ("副高", 45), ("正高", 35), ("院士或全国知名专家", 5)])


def draw_block(job):
    """Rows [start, start + count) of block `index`, and the block's 三公 fen by (unit code, year)."""
    seed, index, start, count = job
    gen = Generator(f"{seed}/{index}")
    text = "".join([gen.row(n) for n in range(start, start + count)])
    return text, dict(gen.three_public_cents)


def generate(rows, out, seed=SEED):
    """Write `rows` rows to `out`; the last row makes one unit's 2024 三公 total equal its 2023 one."""
    jobs = [(seed, index, start, min(BLOCK, rows - 1 - start)) for index, start in enumerate(range(0, rows - 1, BLOCK))]
    totals = defaultdict(int)
    with open(out, "w", encoding="utf-8", newline="") as f, multiprocessing.Pool() as pool:
        f.write(HEADER)
        for text, cents in pool.imap(draw_block, jobs):
            f.write(text)
            for key, value in cents.items():
                totals[key] += value
        gaps = [(totals[code, 2023] - totals[code, 2024], code, name) for code, name, _ in UNITS
                if totals[code, 2023] > totals[code, 2024]]
        gap, code, unit = min(gaps) if gaps else (100, UNITS[0][0], UNITS[0][1])
        gen = Generator(f"{seed}/last")
        fields = gen.vehicle_operation(gen.days.index("2024-12-31"), cents=gap)
        fields.update(id=f"{code}-2024-{rows:07d}", unit=unit, date="2024-12-31", category="公务用车运行维护费",
                      payment_method="公务卡", approved_on="", approver=gen.person(),
                      description="车辆维修（年末结算）")
        getter, line = FORMATS["公务用车运行维护费"]
        f.write(line % getter(fields))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows to write (default 100000)")
    parser.add_argument("--out", required=True, help="the CSV file to write")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    args = parser.parse_args()
    if args.rows < 2:
        parser.error("--rows must be at least 2")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    generate(args.rows, args.out, args.seed)
    print(f"wrote {args.rows} rows to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
