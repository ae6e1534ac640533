#!/usr/bin/env python3
"""Write the sample spending set of samples/spending/ from one table.

    python3 samples/spending/make_samples.py            # write the sample files
    python3 samples/spending/make_samples.py --check    # fail if a file would change
    python3 samples/spending/make_samples.py --yaml OUT # also write the rows as YAML
                                                        # records (Chinese headers, text
                                                        # values) for `policycheck check`

Deterministic: one seeded random generator, fixed iteration order, fixed workbook
timestamps. Every output is written from the same list of rows:

  expenses-2022-2024.csv          UTF-8, Chinese column headers (the schema's aliases),
                                  amounts in 元 in mixed forms (1234.5, 1,234.50, ¥1,234.50),
                                  dates in mixed forms (2023-03-05, 2023/3/5, 2023年3月5日),
                                  booleans 是/否, an empty cell for a field left out
  expenses-2022-2024.gb18030.csv  the same text encoded in GB18030
  expenses-2022-2024.jsonl        the same records, canonical English keys, typed values
                                  (numbers, ISO dates, true/false), "type": "expense"
  expenses-2022-2024.xlsx         the same table, first sheet 支出明细: plain numbers as
                                  number cells, ISO dates as date cells, every other value
                                  as the CSV's text
  three-public-accounts.yaml      the units' published 三公 tables for 2022–2024
                                  (records of type three_public_account)

The planted violations are listed in EXPECTED.md beside this script; the budget table
the pack's SX-17-THREE-PUBLIC-BUDGET reads (data/three_public_budgets.yaml) is BUDGETS
below, printed with --budgets.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import re
import sys
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20220410  # the seed document's signing date
YEARS = (2022, 2023, 2024)
THREE_PUBLIC = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")

UNITS = [
    # code, name, short name used in descriptions
    ("FGW", "绍兴市发展和改革委员会", "市发改委"),
    ("CZJ", "绍兴市财政局", "市财政局"),
    ("JTJ", "绍兴市交通运输局", "市交通运输局"),
    ("WGL", "绍兴市文化广电旅游局", "市文广旅游局"),
    ("SJJ", "绍兴市市场监督管理局", "市市场监管局"),
]

# (canonical field, CSV header): the header is one of the schema's aliases; 金额 carries
# its unit as exports print it (金额（元） is matched to the alias 金额).
COLUMNS = [
    ("id", "单据编号"), ("unit", "单位名称"), ("date", "发生日期"), ("category", "经费类别"),
    ("amount", "金额（元）"), ("budget_item", "预算科目"), ("payment_method", "支付方式"),
    ("approved_on", "审批日期"), ("approver", "审批人"), ("description", "事由"),
    # reception
    ("guest_unit", "来访单位"), ("guest_count", "接待对象人数"), ("guest_top_rank", "接待对象最高职级"),
    ("visit_start", "来访日期"), ("visit_end", "接待结束日期"), ("official_letter_no", "公函编号"),
    ("letter_guest_count", "公函人数"), ("accompany_count", "陪餐人数"), ("work_meals", "工作餐次数"),
    ("meal_amount", "餐费"), ("venue_type", "用餐场所类型"), ("alcohol_served", "是否上酒"),
    ("premium_alcohol", "高档酒水"), ("cigarettes", "香烟"), ("premium_dishes", "高档菜肴"),
    ("wild_animal_dishes", "野生动物菜肴"), ("lodging_arranged", "安排住宿"), ("room_type", "房型"),
    ("lodging_paid_by_host", "住宿费由接待单位承担"), ("gifts", "赠送礼品纪念品土特产"),
    ("sightseeing", "旅游参观"), ("entertainment", "娱乐健身"), ("welcome_ceremony", "迎送"),
    ("reception_list", "接待清单"), ("reception_list_signed", "清单审签"),
    # vehicle purchase / operation
    ("plate_no", "车牌号"), ("vehicle_use_type", "车辆类别"), ("body_type", "车型"),
    ("vehicle_price", "购置价格"), ("displacement_l", "排气量"), ("new_energy", "新能源"),
    ("domestic", "国产"), ("replaced_vehicle_years", "被更新车辆使用年限"),
    # travel
    ("traveler", "出差人"), ("traveler_rank", "职级"), ("destination_city", "出差地"),
    ("destination_province", "省份"), ("depart_on", "出发日期"), ("return_on", "返回日期"),
    ("trip_approved_on", "出差审批日期"), ("transport_class", "交通工具及等级"),
    ("transport_amount", "城市间交通费"), ("lodging_amount", "住宿费"), ("lodging_nights", "住宿天数"),
    ("meal_allowance", "伙食补助费"), ("local_transport_allowance", "市内交通费"),
    ("host_transport", "接待单位提供交通"),
    # meeting
    ("meeting_name", "会议名称"), ("meeting_class", "会议类别"), ("meeting_kind", "会议性质"),
    ("in_annual_plan", "列入年度计划"), ("start_on", "开始日期"), ("end_on", "结束日期"),
    ("delegates", "代表人数"), ("staff", "工作人员数"), ("venue_star", "星级"),
    ("designated_venue", "定点饭店"), ("scenic_area", "风景名胜区"), ("lodging_provided", "是否安排住宿"),
    ("other_amount", "其他费用"), ("banquet", "宴请"), ("souvenirs", "纪念品"),
    ("sign_in_sheet", "签到表"), ("itemised_bill", "费用明细单据"),
    # training
    ("training_name", "培训名称"), ("training_class", "培训类别"), ("trainees", "参训人数"),
    ("lecturer_fees", "师资费"), ("lecture_title", "讲师职称"), ("lecture_hours", "学时"),
    ("lecture_half_days", "半天数"), ("lecture_fee_after_tax", "讲课费（税后）"),
    # overseas
    ("group_size", "团组人数"), ("countries", "出访国家和地区数"), ("days_abroad", "在外天数"),
    ("approval_no", "批件号"),
    ("notes", "备注"),
]
FIELDS = [f for f, _ in COLUMNS]
HEADER = dict(COLUMNS)
DATE_FIELDS = {"date", "approved_on", "visit_start", "visit_end", "depart_on", "return_on",
               "trip_approved_on", "start_on", "end_on"}
MONEY_FIELDS = {"amount", "meal_amount", "vehicle_price", "transport_amount", "lodging_amount",
                "meal_allowance", "local_transport_allowance", "other_amount", "lecturer_fees",
                "lecture_fee_after_tax"}
INT_FIELDS = {"guest_count", "letter_guest_count", "accompany_count", "work_meals", "lodging_nights",
              "delegates", "staff", "venue_star", "trainees", "group_size", "countries", "days_abroad"}
NUM_FIELDS = {"displacement_l", "replaced_vehicle_years", "lecture_hours", "lecture_half_days"}

# Approved 三公 budgets, unit → year → category → 元 (the pack's data/three_public_budgets.yaml).
# 绍兴市财政局 2023 公务接待费 is planted below its spending; 绍兴市市场监督管理局 2024 is
# left out on purpose (a missing budget is reported as not evaluated, not guessed).
BUDGETS = {
    "绍兴市发展和改革委员会": {
        "2022": {"公务接待费": 3000, "公务用车运行维护费": 180000},
        "2023": {"因公出国（境）费": 55000, "公务接待费": 4000, "公务用车运行维护费": 120000},
        "2024": {"公务接待费": 3000, "公务用车运行维护费": 160000},
    },
    "绍兴市财政局": {
        "2022": {"公务接待费": 4500, "公务用车运行维护费": 145000},
        "2023": {"公务接待费": 4000, "公务用车运行维护费": 135000},
        "2024": {"公务接待费": 2500, "公务用车运行维护费": 130000},
    },
    "绍兴市交通运输局": {
        "2022": {"因公出国（境）费": 40000, "公务接待费": 4000, "公务用车运行维护费": 135000},
        "2023": {"公务接待费": 3000, "公务用车运行维护费": 160000},
        "2024": {"公务用车购置费": 200000, "公务接待费": 5000, "公务用车运行维护费": 110000},
    },
    "绍兴市文化广电旅游局": {
        "2022": {"公务接待费": 3500, "公务用车运行维护费": 175000},
        "2023": {"因公出国（境）费": 45000, "公务接待费": 3500, "公务用车运行维护费": 125000},
        "2024": {"因公出国（境）费": 50000, "公务接待费": 4500, "公务用车运行维护费": 120000},
    },
    "绍兴市市场监督管理局": {
        "2022": {"公务用车购置费": 240000, "公务接待费": 3000, "公务用车运行维护费": 120000},
        "2023": {"公务接待费": 4500, "公务用车运行维护费": 160000},
    },
}

# 三公 totals per unit and year (sum of the four categories in the sample rows). The fourth-
# quarter vehicle-operation row of each unit and year is set so that the rows add up to these.
# 绍兴市交通运输局 rises 2023 → 2024 (a new 应急保障用车); 绍兴市文化广电旅游局 is flat 2023 → 2024.
TARGETS = {
    "FGW": {2022: "178420.00", 2023: "171385.50", 2024: "158960.00"},
    "CZJ": {2022: "142300.00", 2023: "131760.00", 2024: "124518.00"},
    "JTJ": {2022: "168600.00", 2023: "155480.00", 2024: "302150.00"},
    "WGL": {2022: "172300.00", 2023: "163640.00", 2024: "163640.00"},
    "SJJ": {2022: "352860.00", 2023: "156300.00", 2024: "151870.00"},
}
# the 2021 totals the 2022 published tables compare with
TOTALS_2021 = {"FGW": "189750.00", "CZJ": "151200.00", "JTJ": "181480.00", "WGL": "186600.00", "SJJ": "361500.00"}

# Planted violations: (unit code, year, kind, index) → the rule it breaks. Each planted row
# breaks that one per-record rule and no other.
PLANTED = {
    ("FGW", 2023, "reception", 1): "SX-17-RECEPTION-LETTER",
    ("JTJ", 2024, "reception", 0): "SX-17-RECEPTION-ACCOMPANY",
    ("WGL", 2022, "reception", 2): "SX-17-RECEPTION-ONE-MEAL",
    ("SJJ", 2023, "reception", 1): "SX-17-RECEPTION-PROHIBITED-ITEMS",
    ("CZJ", 2022, "reception", 0): "SX-17-RECEPTION-MEAL-CAP",
    ("FGW", 2024, "reception", 2): "SX-17-RECEPTION-LIST",
    ("WGL", 2023, "reception", 0): "SX-17-RECEPTION-PAYMENT",
    ("JTJ", 2022, "reception", 1): "SX-17-RECEPTION-LODGING",
    ("CZJ", 2024, "reception", 1): "SX-17-RECEPTION-EXTRAS",
    ("SJJ", 2022, "purchase", 0): "SX-17-VEHICLE-STANDARD",
    ("FGW", 2022, "travel", 1): "SX-17-TRAVEL-PREAPPROVAL",
    ("CZJ", 2023, "travel", 0): "SX-17-TRAVEL-TRANSPORT-CLASS",
    ("JTJ", 2023, "travel", 2): "SX-17-TRAVEL-LODGING",
    ("WGL", 2024, "travel", 1): "SX-17-TRAVEL-ALLOWANCES",
    ("SJJ", 2024, "meeting", 1): "SX-17-MEETING-PLAN",
    ("FGW", 2023, "meeting", 0): "SX-17-MEETING-COST-CAP",
    ("JTJ", 2022, "meeting", 1): "SX-17-MEETING-SCALE",
    ("WGL", 2023, "meeting", 1): "SX-17-MEETING-CONDUCT",
    ("CZJ", 2024, "training", 0): "SX-17-TRAINING-PLAN",
    ("SJJ", 2023, "training", 0): "SX-17-TRAINING-COST-CAP",
    ("FGW", 2024, "training", 0): "SX-17-TRAINING-LECTURE-FEE",
}
# A trip to a city missing from params.travel_lodging_caps: SX-17-TRAVEL-LODGING cannot be
# evaluated (an info finding), documented in EXPECTED.md.
UNLISTED_CITY_TRIP = ("SJJ", 2024, "travel", 2)

GUEST_UNITS = ["杭州市发展和改革委员会", "宁波市财政局", "嘉兴市交通运输局", "湖州市文化广电旅游局",
               "金华市市场监督管理局", "台州市发展和改革委员会", "浙江省财政厅", "浙江省交通运输厅",
               "浙江省文化和旅游厅", "浙江省市场监督管理局", "衢州市财政局", "温州市交通运输局",
               "丽水市文化广电旅游局", "舟山市市场监督管理局", "诸暨市人民政府"]
LETTER_ABBR = {"杭州": "杭", "宁波": "甬", "嘉兴": "嘉", "湖州": "湖", "金华": "金", "台州": "台",
               "浙江": "浙", "衢州": "衢", "温州": "温", "丽水": "丽", "舟山": "舟", "诸暨": "诸"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = ["建国", "敏", "志强", "丽华", "伟", "静", "海波", "晓燕", "国平", "婷", "立新", "红梅",
         "俊杰", "雪芳", "国庆", "文博", "卫东", "佳怡", "少华", "永明"]
PLATES = {"FGW": ["浙D·A0316", "浙D·A0527"], "CZJ": ["浙D·A0208", "浙D·A0619"],
          "JTJ": ["浙D·A1135", "浙D·A1172", "浙D·A1190"], "WGL": ["浙D·A0841", "浙D·A0855"],
          "SJJ": ["浙D·A0733", "浙D·A0762", "浙D·A0788"]}
MEETINGS = {
    "FGW": [("全市发展改革工作会议", "三类", "工作会议"), ("重大项目谋划推进座谈会", "四类", "座谈会")],
    "CZJ": [("全市财政工作会议", "三类", "传达布置类"), ("预算绩效评价专家评审会", "四类", "评审会")],
    "JTJ": [("全市交通运输工作会议", "三类", "工作会议"), ("农村公路建设项目评审会", "四类", "评审会")],
    "WGL": [("全市文化和旅游工作会议", "三类", "工作会议"), ("文旅融合发展研讨会", "四类", "研讨会")],
    "SJJ": [("全市市场监管工作会议", "三类", "工作会议"), ("食品安全风险会商座谈会", "四类", "座谈会")],
}
TRAININGS = {
    "FGW": "全市发展改革系统业务能力提升培训班", "CZJ": "全市财政业务骨干培训班",
    "JTJ": "全市交通运输安全生产执法培训班", "WGL": "全市文化市场综合执法培训班",
    "SJJ": "全市市场监管执法办案能力培训班",
}
OVERSEAS = {
    ("FGW", 2023): ("赴德国、荷兰开展先进制造业招商考察", 2, 8, 52680.00),
    ("JTJ", 2022): ("赴新加坡开展港航物流合作交流", 1, 5, 38760.00),
    ("WGL", 2023): ("赴日本开展绍兴文化旅游推介", 1, 5, 41250.00),
    ("WGL", 2024): ("赴韩国、日本开展文旅交流推介", 2, 8, 46980.00),
}
OTHER = ["办公用品采购", "文件资料印刷", "邮电通讯费", "档案整理服务", "办公设备维修"]

D = Decimal
CENT = D("0.01")


def money(x) -> Decimal:
    return D(str(x)).quantize(CENT, rounding=ROUND_HALF_UP)


class Gen:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.rows: list[dict] = []
        self.planted: list[tuple[str, str, str]] = []  # (row id, rule, why)
        self.notes: list[tuple[str, str, str]] = []    # (row id, rule, what is expected)
        self.seq: dict[tuple[str, int], int] = {}

    # ── helpers ────────────────────────────────────────────────────────────
    def new_id(self, code: str, year: int) -> str:
        n = self.seq.get((code, year), 0) + 1
        self.seq[(code, year)] = n
        return f"{code}-{year}-{n:03d}"

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def day(self, year: int, month: int, lo: int = 1, hi: int = 26) -> dt.date:
        d = dt.date(year, month, self.rng.randint(lo, hi))
        while d.weekday() >= 5:  # working days
            d += dt.timedelta(days=1)
        return d

    def base(self, code, name, year, when, category, budget_item, description) -> dict:
        return {"id": None, "unit": name, "date": when, "category": category,
                "budget_item": budget_item, "description": description,
                "_code": code, "_year": year}

    # ── categories ─────────────────────────────────────────────────────────
    def reception(self, code, name, year, idx, month):
        key = (code, year, "reception", idx)
        rule = PLANTED.get(key)
        when = self.day(year, month)
        guest_unit = self.rng.choice(GUEST_UNITS)
        guests = self.rng.randint(3, 9)
        hosts = min(3, max(1, guests // 3 + self.rng.randint(0, 1)))
        top = self.rng.choice(["县处级", "县处级", "厅局级", "乡科级及以下"])
        per_head = D(self.rng.choice([88, 96, 105, 112, 118, 125, 132, 138, 145]))
        meal = money(per_head * (guests + hosts))
        abbr = LETTER_ABBR[next(k for k in LETTER_ABBR if guest_unit.startswith(k))]
        letter = f"{abbr}{self.rng.choice(['发改', '财', '交', '文旅', '市监', '政'])}函〔{year}〕{self.rng.randint(8, 160)}号"
        r = self.base(code, name, year, when, "公务接待费", "公务接待费",
                      f"接待{guest_unit}来绍调研考察")
        r.update({
            "payment_method": self.rng.choice(["公务卡", "公务卡", "银行转账"]),
            "approved_on": when - dt.timedelta(days=self.rng.randint(1, 4)), "approver": self.person(),
            "guest_unit": guest_unit, "guest_count": guests, "guest_top_rank": top,
            "visit_start": when, "visit_end": when, "official_letter_no": letter,
            "letter_guest_count": guests, "accompany_count": hosts, "work_meals": 1,
            "meal_amount": meal, "amount": meal,
            "venue_type": self.rng.choice(["机关食堂", "机关食堂", "定点饭店"]),
            "alcohol_served": False, "premium_alcohol": False, "cigarettes": False,
            "premium_dishes": False, "wild_animal_dishes": False, "lodging_arranged": False,
            "gifts": False, "sightseeing": False, "entertainment": False, "welcome_ceremony": False,
            "reception_list": True, "reception_list_signed": True,
        })
        why = None
        if rule == "SX-17-RECEPTION-LETTER":
            r["official_letter_no"] = None
            r["notes"] = "电话联系来访，未收到公函"
            why = f"无派出单位公函（公函编号为空），来访单位{guest_unit}"
        elif rule == "SX-17-RECEPTION-ACCOMPANY":
            r.update(guest_count=12, letter_guest_count=12, accompany_count=5, venue_type="定点饭店",
                     guest_top_rank="厅局级")
            r["meal_amount"] = r["amount"] = money(D("136") * 17)
            why = "接待对象12人，陪餐5人（超过10人的，陪餐不得超过三分之一，即4人）"
        elif rule == "SX-17-RECEPTION-ONE-MEAL":
            r.update(guest_count=5, letter_guest_count=5, accompany_count=3, work_meals=2)
            r["meal_amount"] = r["amount"] = money(D("1140"))
            r["notes"] = "午餐、晚餐各一次"
            why = "一次接待安排工作餐2次"
        elif rule == "SX-17-RECEPTION-PROHIBITED-ITEMS":
            r.update(venue_type="定点饭店", alcohol_served=True, premium_alcohol=True)
            r["notes"] = "含高档白酒2瓶"
            why = f"{when.isoformat()}（2025-05-02禁酒日期前）工作餐提供高档酒水"
        elif rule == "SX-17-RECEPTION-MEAL-CAP":
            r.update(guest_count=5, letter_guest_count=5, accompany_count=3, venue_type="定点饭店")
            r["meal_amount"] = r["amount"] = money("1860")
            why = "餐费1860元，就餐8人（5+3），人均232.50元，超过150元/人（占位标准）"
        elif rule == "SX-17-RECEPTION-LIST":
            r["reception_list_signed"] = False
            why = "接待清单未经相关负责人审签"
        elif rule == "SX-17-RECEPTION-PAYMENT":
            r["payment_method"] = "现金"
            why = "接待费以现金结算"
        elif rule == "SX-17-RECEPTION-LODGING":
            r.update(guest_top_rank="厅局级", lodging_arranged=True, room_type="普通套间",
                     lodging_paid_by_host=False, visit_end=when + dt.timedelta(days=1))
            r["notes"] = "住宿费由来访单位回本单位报销"
            why = "为厅局级接待对象安排普通套间（省部级方可安排普通套间）"
        elif rule == "SX-17-RECEPTION-EXTRAS":
            r["gifts"] = True
            r["notes"] = "赠送绍兴黄酒礼盒6份"
            why = "接待中赠送土特产（黄酒礼盒）"
        elif self.rng.random() < 0.15 and year < 2025:
            # ordinary alcohol before the 2025 ban: allowed by the 2013 rule
            r.update(alcohol_served=True, venue_type="定点饭店", notes="黄酒（普通）")
        return r, rule, why

    def vehicle_operation(self, code, name, year, quarter):
        month = quarter * 3
        when = self.day(year, month, 18, 26)
        plate = self.rng.choice(PLATES[code])
        what = ["一季度", "二季度", "三季度", "四季度"][quarter - 1]
        desc = self.rng.choice(["加油及过路过桥费", "车辆维修保养", "加油费", "车辆保险及加油"])
        r = self.base(code, name, year, when, "公务用车运行维护费", "公务用车运行维护费",
                      f"{what}公务用车{desc}")
        r.update({"payment_method": "公务卡" if quarter < 4 else "银行转账", "plate_no": plate,
                  "approver": self.person()})
        r["amount"] = money(self.rng.randint(1500000, 4200000) / 100)
        return r

    def purchase(self, code, name, year):
        key = (code, year, "purchase", 0)
        rule = PLANTED.get(key)
        when = self.day(year, 5)
        r = self.base(code, name, year, when, "公务用车购置费", "公务用车购置费", "更新应急保障用车1辆")
        if rule == "SX-17-VEHICLE-STANDARD":
            price, disp = money("213800"), D("2.0")
            why = "应急保障用车（轿车）购置价格213800元、排气量2.0升，超过18万元/1.8升标准"
            r["notes"] = "原车使用9年报废更新"
            plate = "浙D·A0795"
        else:
            price, disp = money("176800"), D("1.5")
            why = None
            r["notes"] = "原车使用10年报废更新"
            plate = "浙D·A1208"
        r.update({"payment_method": "国库集中支付", "approved_on": when - dt.timedelta(days=40),
                  "approver": self.person(), "plate_no": plate, "vehicle_use_type": "应急保障用车",
                  "body_type": "轿车", "vehicle_price": price, "displacement_l": disp,
                  "new_energy": False, "domestic": True,
                  "replaced_vehicle_years": D(9 if rule else 10)})
        r["amount"] = money(price * D("1.1"))  # price excludes the 10% purchase tax
        return r, rule, why

    def overseas(self, code, name, year):
        desc, countries, days, amount = OVERSEAS[(code, year)]
        when = self.day(year, 9)
        r = self.base(code, name, year, when, "因公出国（境）费", "因公出国（境）费", desc)
        r.update({"payment_method": "公务卡", "approved_on": when - dt.timedelta(days=35),
                  "approver": self.person(), "group_size": self.rng.randint(4, 6),
                  "countries": countries, "days_abroad": days,
                  "approval_no": f"浙外办〔{year}〕{self.rng.randint(100, 900)}号",
                  "amount": money(amount)})
        return r

    def travel(self, code, name, year, idx, month):
        key = (code, year, "travel", idx)
        rule = PLANTED.get(key)
        unlisted = key == UNLISTED_CITY_TRIP
        depart = self.day(year, month)
        rank = self.rng.choice(["县处级", "县处级", "乡科级及以下", "乡科级及以下", "厅局级"])
        if unlisted:
            city, province, days = "南京", "江苏省", 3
        else:
            city, province, days = self.rng.choice([
                ("杭州", "浙江省", 2), ("杭州", "浙江省", 1), ("北京", "北京市", 4),
                ("上海", "上海市", 2), ("宁波", "浙江省", 1), ("北京", "北京市", 3)])
        if rule == "SX-17-TRAVEL-LODGING":
            city, province, days, rank = "北京", "北京市", 4, "县处级"
        if rule == "SX-17-TRAVEL-TRANSPORT-CLASS":
            city, province, days, rank = "上海", "上海市", 2, "县处级"
        if rule == "SX-17-TRAVEL-ALLOWANCES":
            city, province, days, rank = "北京", "北京市", 4, "乡科级及以下"
        ret = depart + dt.timedelta(days=days - 1)
        travel_rank = {"厅局级": "司局级"}.get(rank, "其余人员")
        if city == "北京":
            tclass = "飞机经济舱"
            transport = money(self.rng.choice([1680, 1920, 2140, 2360]))
        elif travel_rank == "司局级":
            tclass = "高铁一等座"
            transport = money({"杭州": 98, "上海": 312, "宁波": 150, "南京": 468}[city] * 2)
        else:
            tclass = "高铁二等座"
            transport = money({"杭州": 60, "上海": 196, "宁波": 96, "南京": 292}[city] * 2)
        caps = {"杭州": {"司局级": 500, "其余人员": 400}, "北京": {"司局级": 500, "其余人员": 350},
                "上海": {"司局级": 500, "其余人员": 350}, "南京": {"司局级": 480, "其余人员": 380},
                "宁波": {"司局级": 480, "其余人员": 380}}
        nights = days - 1
        per_night = D(caps[city][travel_rank]) - D(self.rng.choice([0, 12, 26, 38, 50, 72]))
        lodging = money(per_night * nights)
        meal = money(100 * days)
        local = money(80 * days)
        traveler = self.person()
        r = self.base(code, name, year, depart, "差旅费", "差旅费",
                      f"赴{city}{self.rng.choice(['参加业务培训', '汇报工作', '对接项目', '参加会议', '学习考察'])}")
        r.update({"payment_method": "公务卡", "approver": self.person(), "traveler": traveler,
                  "traveler_rank": rank, "destination_city": city, "destination_province": province,
                  "depart_on": depart, "return_on": ret,
                  "trip_approved_on": depart - dt.timedelta(days=self.rng.randint(1, 6)),
                  "transport_class": tclass, "transport_amount": transport,
                  "lodging_amount": lodging if nights else None, "lodging_nights": nights if nights else None,
                  "meal_allowance": meal, "local_transport_allowance": local, "host_transport": False})
        why = None
        if rule == "SX-17-TRAVEL-PREAPPROVAL":
            r["trip_approved_on"] = depart + dt.timedelta(days=2)
            why = f"出发{depart.isoformat()}，出差审批{r['trip_approved_on'].isoformat()}（事后补批）"
        elif rule == "SX-17-TRAVEL-TRANSPORT-CLASS":
            r["transport_class"] = "高铁一等座"
            r["transport_amount"] = money(312 * 2)
            why = "县处级（其余人员）乘坐高铁一等座"
        elif rule == "SX-17-TRAVEL-LODGING":
            r["lodging_amount"] = money(1380)
            why = "北京3晚住宿费1380元（460元/晚），其余人员标准350元/晚（占位标准）"
        elif rule == "SX-17-TRAVEL-ALLOWANCES":
            r["meal_allowance"] = money(500)
            why = "出差4天（含出发、返回当天），伙食补助费500元，标准400元"
        if unlisted:
            self.notes.append((None, "SX-17-TRAVEL-LODGING",
                               "提示（无法判定）：出差地南京不在 params.travel_lodging_caps 中（no such key），不作猜测"))
        amount = sum(x for x in (r["transport_amount"], r["lodging_amount"], r["meal_allowance"],
                                 r["local_transport_allowance"]) if x is not None)
        r["amount"] = money(amount)
        return r, rule, why, unlisted

    def meeting(self, code, name, year, idx, month):
        key = (code, year, "meeting", idx)
        rule = PLANTED.get(key)
        mname, mclass, mkind = MEETINGS[code][idx]
        start = self.day(year, month)
        why = None
        caps = {"三类": (550, 340), "四类": (550, 340)}
        r = self.base(code, name, year, start, "会议费", "会议费", f"召开{year}年{mname}")
        if mclass == "三类":
            delegates = self.rng.randint(70, 110)
            staff = min(self.rng.randint(5, 9), delegates // 10)
            days = 1
            lodging = False
            star = 3
        else:
            delegates, staff = self.rng.randint(18, 36), self.rng.randint(2, 4)
            days = 1
            lodging = False
            star = None
        end = start + dt.timedelta(days=days - 1)
        total, lodge_part = caps[mclass]
        per_day = D(total - (0 if lodging else lodge_part))
        cap = per_day * (delegates + staff) * days
        amount = money(cap * D(self.rng.choice(["0.62", "0.71", "0.78", "0.85", "0.9"])))
        meal = money(amount * D("0.7"))
        other = amount - meal
        r.update({"payment_method": "银行转账", "approver": self.person(), "meeting_name": f"{year}年{mname}",
                  "meeting_class": mclass, "meeting_kind": mkind, "in_annual_plan": True,
                  "start_on": start, "end_on": end, "delegates": delegates, "staff": staff,
                  "venue_star": star, "designated_venue": True if star else None,
                  "scenic_area": False, "lodging_provided": lodging, "meal_amount": meal,
                  "other_amount": other, "amount": amount, "banquet": False, "sightseeing": False,
                  "souvenirs": False, "sign_in_sheet": True, "itemised_bill": True})
        if rule == "SX-17-MEETING-COST-CAP":
            over = money(per_day * (delegates + staff) * days + D("3860"))
            r["amount"] = over
            r["other_amount"] = over - r["meal_amount"]
            why = (f"三类会议1天{delegates + staff}人，未安排住宿，综合定额{per_day}元/人·天，"
                   f"上限{money(per_day * (delegates + staff))}元，实际{over}元")
        elif rule == "SX-17-MEETING-SCALE":
            r.update(delegates=52, staff=6)
            why = "四类会议参会58人（代表52、工作人员6），超过50人（警告）"
        elif rule == "SX-17-MEETING-CONDUCT":
            r.update(scenic_area=True, venue_star=4, designated_venue=True)
            r["notes"] = "会址：会稽山旅游度假区内定点饭店"
            why = "会议在风景名胜区召开"
        elif rule == "SX-17-MEETING-PLAN":
            r["in_annual_plan"] = False
            why = "会议未列入年度会议计划，也无事前审批"
        return r, rule, why

    def training(self, code, name, year, idx, month):
        key = (code, year, "training", idx)
        rule = PLANTED.get(key)
        start = self.day(year, month, 1, 20)
        days = self.rng.choice([2, 3, 3, 4, 5])
        end = start + dt.timedelta(days=days - 1)
        trainees, staff = self.rng.randint(30, 60), self.rng.randint(2, 4)
        cap = D(550) * (trainees + staff) * days
        body = money(cap * D(self.rng.choice(["0.55", "0.63", "0.7", "0.76", "0.82"])))
        title = self.rng.choice(["副高", "副高", "正高", "中级及以下"])
        hours = self.rng.choice([3, 4])
        fee = money({"中级及以下": 300, "副高": 500, "正高": 1000}[title] * hours)
        lecturer_fees = money(fee / D("0.8"))
        r = self.base(code, name, year, start, "培训费", "培训费", f"举办{year}年{TRAININGS[code]}")
        r.update({"payment_method": "银行转账", "approver": self.person(),
                  "training_name": f"{year}年{TRAININGS[code]}", "training_class": "三类",
                  "in_annual_plan": True, "start_on": start, "end_on": end, "trainees": trainees,
                  "staff": staff, "lecturer_fees": lecturer_fees, "lecture_title": title,
                  "lecture_hours": D(hours), "lecture_half_days": D(1), "lecture_fee_after_tax": fee,
                  "amount": body + lecturer_fees, "sign_in_sheet": True, "itemised_bill": True})
        why = None
        if rule == "SX-17-TRAINING-PLAN":
            r["in_annual_plan"] = False
            r["approved_on"] = start + dt.timedelta(days=3)
            why = f"培训未列入年度计划，{start.isoformat()}开班后{r['approved_on'].isoformat()}才审批"
        elif rule == "SX-17-TRAINING-COST-CAP":
            over = money(cap + D("5250"))
            r["amount"] = over + lecturer_fees
            why = (f"三类培训{trainees + staff}人{days}天，综合定额550元/人·天，上限{money(cap)}元，"
                   f"扣除师资费后实际{over}元")
        elif rule == "SX-17-TRAINING-LECTURE-FEE":
            r.update(lecture_title="副高", lecture_hours=D(4), lecture_half_days=D(1),
                     lecture_fee_after_tax=money(2800))
            r["lecturer_fees"] = money(3500)
            r["amount"] = body + r["lecturer_fees"]
            why = "副高职称讲师4学时讲课费（税后）2800元，即700元/学时，标准500元/学时"
        return r, rule, why

    def other(self, code, name, year):
        when = self.day(year, self.rng.randint(2, 11))
        what = self.rng.choice(OTHER)
        r = self.base(code, name, year, when, "其他", "办公费", what)
        r.update({"payment_method": "银行转账", "approver": self.person(),
                  "amount": money(self.rng.randint(180000, 1860000) / 100)})
        return r

    # ── the whole table ────────────────────────────────────────────────────
    def build(self) -> None:
        for code, name, _short in UNITS:
            for year in YEARS:
                batch: list[dict] = []
                for idx, month in enumerate((3, 7, 11)):
                    r, rule, why = self.reception(code, name, year, idx, month)
                    batch.append(r)
                    if rule:
                        r["_planted"] = (rule, why)
                if (code, year) in (("SJJ", 2022), ("JTJ", 2024)):
                    r, rule, why = self.purchase(code, name, year)
                    batch.append(r)
                    if rule:
                        r["_planted"] = (rule, why)
                if (code, year) in OVERSEAS:
                    batch.append(self.overseas(code, name, year))
                for idx, month in enumerate((4, 6, 9, 10)):
                    r, rule, why, unlisted = self.travel(code, name, year, idx, month)
                    batch.append(r)
                    if rule:
                        r["_planted"] = (rule, why)
                    if unlisted:
                        r["_unlisted"] = True
                for idx, month in enumerate((2, 8)):
                    r, rule, why = self.meeting(code, name, year, idx, month)
                    batch.append(r)
                    if rule:
                        r["_planted"] = (rule, why)
                n_training = 2 if (code, year) in (("CZJ", 2024), ("SJJ", 2023), ("FGW", 2024), ("JTJ", 2023)) else 1
                for idx, month in enumerate((5, 10)[:n_training]):
                    r, rule, why = self.training(code, name, year, idx, month)
                    batch.append(r)
                    if rule:
                        r["_planted"] = (rule, why)
                batch.append(self.other(code, name, year))
                ops = [self.vehicle_operation(code, name, year, q) for q in (1, 2, 3, 4)]
                batch.extend(ops)
                # the fourth-quarter row balances the 三公 total to TARGETS
                fixed = sum(r["amount"] for r in batch if r["category"] in THREE_PUBLIC and r is not ops[-1])
                balance = money(D(TARGETS[code][year]) - fixed)
                if "--debug" in sys.argv: print(code, year, fixed, file=sys.stderr)
                if not D(8000) <= balance <= D(80000):
                    print(f"{code} {year}: fixed {fixed}, balancing row {balance} out of range; adjust TARGETS",
                          file=sys.stderr)
                    self.bad_targets = True
                ops[-1]["amount"] = balance
                batch.sort(key=lambda r: (r["date"], r["category"]))
                for r in batch:
                    r["id"] = self.new_id(code, year)
                    if "_planted" in r:
                        rule, why = r["_planted"]
                        self.planted.append((r["id"], rule, why))
                    if r.get("_unlisted"):
                        self.notes = [(r["id"], a, b) if i is None else (i, a, b) for i, a, b in self.notes]
                self.rows.extend(batch)
        if getattr(self, "bad_targets", False):
            raise SystemExit(1)
        got = {p[1] for p in self.planted}
        missing = set(PLANTED.values()) - got
        if missing:
            raise SystemExit(f"planted rules not placed: {sorted(missing)}")

    # ── value forms ────────────────────────────────────────────────────────
    def text_forms(self) -> list[dict[str, str]]:
        """The CSV's text of every cell, chosen once so that every output agrees."""
        rng = random.Random(SEED + 1)
        out = []
        for r in self.rows:
            cells = {}
            for f in FIELDS:
                v = r.get(f)
                if v is None:
                    cells[f] = ""
                elif isinstance(v, bool):
                    cells[f] = "是" if v else "否"
                elif isinstance(v, dt.date):
                    form = rng.choices(["iso", "slash", "cn"], weights=[6, 2, 2])[0]
                    if form == "iso":
                        cells[f] = v.isoformat()
                    elif form == "slash":
                        cells[f] = f"{v.year}/{v.month}/{v.day}"
                    else:
                        cells[f] = f"{v.year}年{v.month}月{v.day}日"
                elif f in MONEY_FIELDS:
                    v = money(v)
                    plain = f"{v:.2f}" if v != v.to_integral() else f"{int(v)}"
                    grouped = f"{v:,.2f}"
                    if f == "amount":
                        form = rng.choices(["plain", "grouped", "yen"], weights=[5, 3, 2])[0]
                    else:
                        form = rng.choices(["plain", "grouped"], weights=[8, 2])[0]
                    cells[f] = {"plain": plain, "grouped": grouped, "yen": "¥" + grouped}[form]
                elif isinstance(v, Decimal):
                    cells[f] = format(v.normalize(), "f")
                else:
                    cells[f] = str(v)
            out.append(cells)
        return out


def typed(r: dict) -> dict:
    """A row as a canonical JSON record."""
    rec = {"type": "expense"}
    for f in FIELDS:
        v = r.get(f)
        if v is None:
            continue
        if isinstance(v, bool):
            rec[f] = v
        elif isinstance(v, dt.date):
            rec[f] = v.isoformat()
        elif isinstance(v, Decimal):
            rec[f] = float(v) if v != v.to_integral() else int(v)
        else:
            rec[f] = v
    return rec


def jsonl(rows: list[dict]) -> bytes:
    lines = []
    for r in rows:
        rec = typed(r)
        # decimals: write them exactly as the text holds them
        s = json.dumps(rec, ensure_ascii=False, separators=(", ", ": "))
        lines.append(s)
    return ("\n".join(lines) + "\n").encode("utf-8")


def csv_text(texts: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([HEADER[f] for f in FIELDS])
    for cells in texts:
        w.writerow([cells[f] for f in FIELDS])
    return buf.getvalue()


def xlsx_bytes(texts: list[dict[str, str]], rows: list[dict]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "支出明细"
    ws.append([HEADER[f] for f in FIELDS])
    for c in ws[1]:
        c.font = Font(bold=True)
    for cells, r in zip(texts, rows):
        values = []
        for f in FIELDS:
            t = cells[f]
            v = r.get(f)
            if t == "":
                values.append(None)
            elif isinstance(v, dt.date) and t == v.isoformat():
                values.append(dt.datetime(v.year, v.month, v.day))
            elif isinstance(v, (Decimal, int)) and not isinstance(v, bool) and t.replace(".", "", 1).isdigit():
                # a plain number (no grouping, no ¥) is a number cell, as Excel keeps it
                values.append(int(t) if t.isdigit() else float(t))
            else:
                values.append(t)
        ws.append(values)
    for row in ws.iter_rows(min_row=2):
        for c in row:
            if isinstance(c.value, dt.datetime):
                c.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    fixed = dt.datetime(2025, 1, 1)
    wb.properties.creator = "make_samples.py"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    raw = io.BytesIO()
    wb.save(raw)
    # rewrite the zip with fixed member timestamps so the bytes are reproducible
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time as `modified`; pin it
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-01-01T00:00:00Z", data)
            zi = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            dst.writestr(zi, data)
    return out.getvalue()


def accounts_yaml(g: Gen) -> str:
    """Published 三公 tables, derived from the rows: one record per unit and year."""
    sums: dict[tuple[str, int], dict[str, Decimal]] = {}
    for r in g.rows:
        if r["category"] in THREE_PUBLIC:
            k = (r["_code"], r["_year"])
            sums.setdefault(k, {c: D(0) for c in THREE_PUBLIC})
            sums[k][r["category"]] += r["amount"]
    out = ["# Published “三公”经费 tables of the sample units (部门决算公开), 2022–2024.",
           "# Generated by make_samples.py from expenses-2022-2024.csv; type three_public_account.",
           "# Planted: 绍兴市交通运输局 2024 rises (SX-17-THREE-PUBLIC-ACCOUNTS, error);",
           "# 绍兴市文化广电旅游局 2024 is flat (SX-17-THREE-PUBLIC-ACCOUNTS-FLAT, warning);",
           "# 绍兴市市场监督管理局 2023 prints a total that its items do not add up to",
           "# (SX-17-THREE-PUBLIC-ACCOUNTS-SUM, info). 绍兴市文化广电旅游局 is written as its table",
           "# prints it: Chinese row labels and amounts in 万元 to two decimals."]
    for code, name, _ in UNITS:
        prev = D(TOTALS_2021[code])
        for year in YEARS:
            s = sums[(code, year)]
            total = sum(s.values())
            assert total == D(TARGETS[code][year]), (code, year, total)
            rid = f"SG-{code}-{year}"
            printed_total = total
            note = None
            if (code, year) == ("SJJ", 2023):
                # a transposition in the printed total: 156300 → 153600
                printed_total = D("153600.00")
                note = "合计数录入有误（分项之和为156300元）"
            if code == "WGL":
                wan = lambda x: (x / D(10000)).quantize(CENT, rounding=ROUND_HALF_UP)
                out.append("---")
                out.append("type: three_public_account")
                out.append(f"编号: {rid}")
                out.append(f"单位名称: {name}")
                out.append(f"年度: {year}")
                out.append(f"因公出国（境）费: {wan(s['因公出国（境）费'])}万")
                out.append(f"公务用车购置及运行维护费: {wan(s['公务用车购置费'] + s['公务用车运行维护费'])}万")
                out.append(f"公务用车购置费: {wan(s['公务用车购置费'])}万")
                out.append(f"公务用车运行维护费: {wan(s['公务用车运行维护费'])}万")
                out.append(f"公务接待费: {wan(s['公务接待费'])}万")
                out.append(f"合计: {wan(printed_total)}万")
                out.append(f"上年合计: {wan(prev)}万")
            else:
                out.append("---")
                out.append("type: three_public_account")
                out.append(f"id: {rid}")
                out.append(f"unit: {name}")
                out.append(f"year: {year}")
                out.append(f"overseas: {s['因公出国（境）费']}")
                out.append(f"vehicle_purchase: {s['公务用车购置费']}")
                out.append(f"vehicle_operation: {s['公务用车运行维护费']}")
                out.append(f"reception: {s['公务接待费']}")
                out.append(f"total: {printed_total}")
                out.append(f"previous_total: {prev}")
                if code == "JTJ" and year == 2024:
                    out.append("notes: 更新应急保障用车1辆（原车使用10年报废）")
                if note:
                    out.append(f"notes: {note}")
            prev = total
    return "\n".join(out) + "\n"


def budgets_yaml() -> str:
    lines = ["schema_version: 1", "name: three_public_budgets", "kind: table",
             "description: 样例单位“三公”经费年度预算（元），单位 → 年度 → 经费类别；与 samples/spending/ 配套",
             "source: 样例数据（samples/spending/make_samples.py 的 BUDGETS），非真实预算",
             "type: map(string, map(string, map(string, number)))",
             "# 绍兴市财政局 2023 公务接待费 is planted below its sample spending; 绍兴市市场监督管理局",
             "# 2024 is left out on purpose: SX-17-THREE-PUBLIC-BUDGET reports it as not evaluated.",
             "value:"]
    for unit, years in BUDGETS.items():
        lines.append(f"  {unit}:")
        for year, cats in years.items():
            items = ", ".join(f"{c}: {v}" for c, v in cats.items())
            lines.append(f'    "{year}": {{ {items} }}')
    return "\n".join(lines) + "\n"


def yaml_records(texts: list[dict[str, str]]) -> str:
    """The CSV rows as YAML records keyed by the bare aliases, values as text: what a CSV
    reader hands the checker, for `policycheck check --type expense` before it reads CSV."""
    out = []
    for cells in texts:
        out.append("-")
        for f in FIELDS:
            if cells[f] == "":
                continue
            key = HEADER[f].replace("（元）", "")
            out.append(f"  {key}: {json.dumps(cells[f], ensure_ascii=False)}")
    return "\n".join(out) + "\n"


def budget_overruns(g: Gen) -> list[tuple[str, str, str, Decimal, object]]:
    """(unit, year, category, spent, budget) for every 三公 group over its budget or without one."""
    sums: dict[tuple[str, str, str], Decimal] = {}
    for r in g.rows:
        if r["category"] in THREE_PUBLIC:
            k = (r["unit"], str(r["_year"]), r["category"])
            sums[k] = sums.get(k, D(0)) + r["amount"]
    out = []
    for (unit, year, cat), spent in sorted(sums.items()):
        budget = BUDGETS.get(unit, {}).get(year, {}).get(cat)
        if budget is None or spent > budget:
            out.append((unit, year, cat, spent, budget))
    return out


def expected_check(g: Gen) -> None:
    by_rule = {}
    for rid, rule, _ in g.planted:
        by_rule.setdefault(rule, []).append(rid)
    for rule in sorted(set(PLANTED.values())):
        assert len(by_rule.get(rule, [])) == 1, rule
    over = [(u, y, c) for u, y, c, _, b in budget_overruns(g) if b is not None]
    assert over == [("绍兴市财政局", "2023", "公务接待费")], over
    missing = sorted({(u, y) for u, y, _, _, b in budget_overruns(g) if b is None})
    assert missing == [("绍兴市市场监督管理局", "2024")], missing


def main(argv: list[str]) -> int:
    g = Gen()
    g.build()
    expected_check(g)
    texts = g.text_forms()
    text = csv_text(texts)
    files = {
        "expenses-2022-2024.csv": text.encode("utf-8"),
        "expenses-2022-2024.gb18030.csv": text.encode("gb18030"),
        "expenses-2022-2024.jsonl": jsonl(g.rows),
        "expenses-2022-2024.xlsx": xlsx_bytes(texts, g.rows),
        "three-public-accounts.yaml": accounts_yaml(g).encode("utf-8"),
    }
    if "--budgets" in argv:
        sys.stdout.write(budgets_yaml())
        return 0
    if "--planted" in argv:
        for rid, rule, why in g.planted:
            print(f"{rid}\t{rule}\t{why}")
        for rid, rule, why in g.notes:
            print(f"{rid}\t{rule}\t{why}")
        return 0
    if "--yaml" in argv:
        Path(argv[argv.index("--yaml") + 1]).write_text(yaml_records(texts), encoding="utf-8")
    if "--check" in argv:
        stale = [n for n, b in files.items() if not (HERE / n).exists() or (HERE / n).read_bytes() != b]
        if stale:
            print("out of date: " + ", ".join(stale), file=sys.stderr)
            return 1
        print(f"{len(files)} files up to date ({len(g.rows)} rows)")
        return 0
    for n, b in files.items():
        (HERE / n).write_bytes(b)
    print(f"wrote {len(files)} files, {len(g.rows)} rows, {len(g.planted)} planted violations")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
