-- The expense rules of rules/shaoxing-2022-6/rules/c17-frugality/ written as DuckDB SQL,
-- for bench/audit_bench.py: the same checks policycheck makes, over the same CSV.
--
-- Inputs (DuckDB variables, set before this file runs):
--   expense_csv    the CSV export (Chinese headers, as bench/gen_expenses.py writes it)
--   period_start   first year of the audit period (policycheck --period FIRST..LAST)
--   period_end     last year of the audit period
-- Outputs (views):
--   record_findings (rule, id)          per-record rules: the records that break them
--   group_findings  (rule, unit, year)  aggregate rules: the groups that break them
--
-- Semantics, kept to the rules' YAML:
--   - A record breaks a rule when `when` is true and `require` is false. policycheck
--     reports a rule it cannot evaluate (an absent field compared, a missing table key, a
--     parameter not configured) as "not evaluated", never as a violation; here such a
--     value is SQL NULL, and `&&` / `||` absorb it the way SQL's AND / OR do (false && error
--     is false, true || error is true). So each check is `WHERE <when> AND (<require>) IS FALSE`.
--   - `has(f)` is `f IS NOT NULL`: an empty cell is an absent field. `f == true` and
--     `f != false` never fail on an absent field (IS TRUE, IS DISTINCT FROM false);
--     comparisons and arithmetic do (NULL). A ternary on a possibly absent condition is a
--     CASE with an explicit NULL branch, and least/greatest (which skip NULLs in DuckDB)
--     are guarded the same way.
--   - Booleans with `default: false` in schemas/expense.yaml read an empty cell as false;
--     the others (reception_list, in_annual_plan, designated_venue …) stay NULL.
--   - Parameters are pack.yaml's defaults, written inline with their names; the maps are
--     small tables. Days are calendar days: `days_between(a, b) + 1` is `b - a + 1`.
--   - Amounts are DECIMAL, so sums and caps (0.7 × days, 0.15 × delegates) are exact, as
--     policycheck's decimal numbers are.
--
-- Not covered: SX-17-THREE-PUBLIC-BUDGET (it reads the pack's data/three_public_budgets
-- table). No c17 expense rule uses the working-day calendar, so every other one is here.

CREATE OR REPLACE TEMP MACRO yn(x) AS                                  -- a 是/否 cell as policycheck reads it
    CASE WHEN trim(x) IN ('true', '是', '有', 'Y', 'y', '√', '✓', '✔') THEN true
         WHEN trim(x) IN ('false', '否', '无', 'N', 'n', '×', '✗', '✘') THEN false END;

-- The columns the rules read, under the schema's field names.
CREATE OR REPLACE TEMP TABLE expense AS
SELECT
    "单据编号" AS id, "单位名称" AS unit, "发生日期" AS date, "经费类别" AS category, "金额（元）" AS amount,
    "支付方式" AS payment_method, "审批日期" AS approved_on,
    -- reception
    "接待对象人数" AS guest_count, "接待对象最高职级" AS guest_top_rank, "公函编号" AS official_letter_no,
    yn("有无公函") AS has_official_letter, "公函人数" AS letter_guest_count, "陪餐人数" AS accompany_count,
    "工作餐次数" AS work_meals, "餐费" AS meal_amount, "用餐场所类型" AS venue_type,
    coalesce(yn("是否上酒"), false) AS alcohol_served, coalesce(yn("高档酒水"), false) AS premium_alcohol,
    coalesce(yn("香烟"), false) AS cigarettes, coalesce(yn("高档菜肴"), false) AS premium_dishes,
    coalesce(yn("野生动物菜肴"), false) AS wild_animal_dishes, coalesce(yn("安排住宿"), false) AS lodging_arranged,
    "房型" AS room_type, coalesce(yn("住宿费由接待单位承担"), false) AS lodging_paid_by_host,
    coalesce(yn("赠送礼品纪念品土特产"), false) AS gifts, coalesce(yn("旅游参观"), false) AS sightseeing,
    coalesce(yn("娱乐健身"), false) AS entertainment, coalesce(yn("迎送"), false) AS welcome_ceremony,
    yn("接待清单") AS reception_list, yn("清单审签") AS reception_list_signed,
    -- vehicle purchase
    "车辆类别" AS vehicle_use_type, "车型" AS body_type, "购置价格" AS vehicle_price, "排气量" AS displacement_l,
    coalesce(yn("新能源"), false) AS new_energy, "特殊情况审批文号" AS special_approval,
    -- travel
    "职级" AS traveler_rank, "出差地" AS destination_city, "省份" AS destination_province,
    "出发日期" AS depart_on, "返回日期" AS return_on, "出差审批日期" AS trip_approved_on,
    "交通工具及等级" AS transport_class, "住宿费" AS lodging_amount, "住宿天数" AS lodging_nights,
    "伙食补助费" AS meal_allowance, "接待单位安排用餐次数" AS host_meals, "市内交通费" AS local_transport_allowance,
    coalesce(yn("接待单位提供交通"), false) AS host_transport,
    -- meeting
    "会议类别" AS meeting_class, "会议性质" AS meeting_kind, yn("列入年度计划") AS in_annual_plan,
    "开始日期" AS start_on, "结束日期" AS end_on, "报到离开天数" AS checkin_days, "代表人数" AS delegates,
    "工作人员数" AS staff, "星级" AS venue_star, yn("定点饭店") AS designated_venue,
    coalesce(yn("风景名胜区"), false) AS scenic_area, yn("是否安排住宿") AS lodging_provided,
    coalesce(yn("宴请"), false) AS banquet, coalesce(yn("纪念品"), false) AS souvenirs,
    -- training
    "培训类别" AS training_class, "参训人数" AS trainees, "综合定额内费用" AS amount_excl_lecturers,
    "师资费" AS lecturer_fees, "讲师职称" AS lecture_title, "学时" AS lecture_hours,
    "半天数" AS lecture_half_days, "讲课费（税后）" AS lecture_fee_after_tax
FROM read_csv_auto(getvariable('expense_csv'), header = true, types = {
    '单据编号': 'VARCHAR', '单位名称': 'VARCHAR', '发生日期': 'DATE', '经费类别': 'VARCHAR',
    '金额（元）': 'DECIMAL(18,2)', '支付方式': 'VARCHAR', '审批日期': 'DATE',
    '接待对象人数': 'INTEGER', '接待对象最高职级': 'VARCHAR', '公函编号': 'VARCHAR', '有无公函': 'VARCHAR',
    '公函人数': 'INTEGER', '陪餐人数': 'INTEGER', '工作餐次数': 'INTEGER', '餐费': 'DECIMAL(18,2)',
    '用餐场所类型': 'VARCHAR', '是否上酒': 'VARCHAR', '高档酒水': 'VARCHAR', '香烟': 'VARCHAR',
    '高档菜肴': 'VARCHAR', '野生动物菜肴': 'VARCHAR', '安排住宿': 'VARCHAR', '房型': 'VARCHAR',
    '住宿费由接待单位承担': 'VARCHAR', '赠送礼品纪念品土特产': 'VARCHAR', '旅游参观': 'VARCHAR',
    '娱乐健身': 'VARCHAR', '迎送': 'VARCHAR', '接待清单': 'VARCHAR', '清单审签': 'VARCHAR',
    '车辆类别': 'VARCHAR', '车型': 'VARCHAR', '购置价格': 'DECIMAL(18,2)', '排气量': 'DECIMAL(6,2)',
    '新能源': 'VARCHAR', '特殊情况审批文号': 'VARCHAR',
    '职级': 'VARCHAR', '出差地': 'VARCHAR', '省份': 'VARCHAR', '出发日期': 'DATE', '返回日期': 'DATE',
    '出差审批日期': 'DATE', '交通工具及等级': 'VARCHAR', '住宿费': 'DECIMAL(18,2)', '住宿天数': 'INTEGER',
    '伙食补助费': 'DECIMAL(18,2)', '接待单位安排用餐次数': 'INTEGER', '市内交通费': 'DECIMAL(18,2)',
    '接待单位提供交通': 'VARCHAR',
    '会议类别': 'VARCHAR', '会议性质': 'VARCHAR', '列入年度计划': 'VARCHAR', '开始日期': 'DATE',
    '结束日期': 'DATE', '报到离开天数': 'INTEGER', '代表人数': 'INTEGER', '工作人员数': 'INTEGER',
    '星级': 'INTEGER', '定点饭店': 'VARCHAR', '风景名胜区': 'VARCHAR', '是否安排住宿': 'VARCHAR',
    '宴请': 'VARCHAR', '纪念品': 'VARCHAR',
    '培训类别': 'VARCHAR', '参训人数': 'INTEGER', '综合定额内费用': 'DECIMAL(18,2)', '师资费': 'DECIMAL(18,2)',
    '讲师职称': 'VARCHAR', '学时': 'DECIMAL(8,2)', '半天数': 'DECIMAL(8,2)', '讲课费（税后）': 'DECIMAL(18,2)'
});

-- ── parameter maps (pack.yaml defaults) ───────────────────────────────────────────────
CREATE OR REPLACE TEMP TABLE rank_map AS                           -- rank_map
FROM (VALUES ('省部级', '部级'), ('厅局级', '司局级'), ('县处级', '其余人员'), ('乡科级及以下', '其余人员'),
             ('县处级及以下', '其余人员'), ('部级', '部级'), ('司局级', '司局级'), ('其余人员', '其余人员'))
     AS t(local_rank, travel_rank);

CREATE OR REPLACE TEMP TABLE transport_classes AS                   -- travel_transport_classes
SELECT travel_rank, unnest(classes) AS transport_class
FROM (VALUES ('部级', ['飞机头等舱', '飞机公务舱', '飞机经济舱', '高铁商务座', '高铁一等座', '高铁二等座', '火车软卧',
                       '火车软座', '火车硬卧', '火车硬座', '轮船一等舱', '轮船二等舱', '轮船三等舱', '其他']),
             ('司局级', ['飞机经济舱', '高铁一等座', '高铁二等座', '火车软卧', '火车软座', '火车硬卧', '火车硬座',
                         '轮船二等舱', '轮船三等舱', '其他']),
             ('其余人员', ['飞机经济舱', '高铁二等座', '火车硬卧', '火车硬座', '轮船三等舱', '其他'])) AS t(travel_rank, classes);

CREATE OR REPLACE TEMP TABLE lodging_caps AS                       -- travel_lodging_caps
SELECT city, unnest(['部级', '司局级', '其余人员']) AS travel_rank, unnest(caps) AS cap
FROM (VALUES ('杭州', [800, 500, 400]), ('杭州市', [800, 500, 400]), ('北京', [800, 500, 350]),
             ('北京市', [800, 500, 350]), ('上海', [800, 500, 350]), ('上海市', [800, 500, 350]),
             ('其他', [800, 450, 350])) AS t(city, caps);

CREATE OR REPLACE TEMP TABLE meeting_caps AS                       -- meeting_caps
FROM (VALUES ('一类', 760, 500), ('二类', 650, 400), ('三类', 550, 340), ('四类', 550, 340))
     AS t(meeting_class, total, lodging);

-- meeting_max_days, meeting_max_attendees, meeting_max_staff_ratio, meeting_max_checkin_days:
-- NULL where the map has no entry for the class (that limit is then not checked)
CREATE OR REPLACE TEMP TABLE meeting_limits AS
FROM (VALUES ('一类', NULL, NULL, NULL, 2), ('二类', 3, 300, 0.15, 2), ('三类', 2, 150, 0.1, 2), ('四类', 2, 50, NULL, 1))
     AS t(meeting_class, max_days, max_attendees, max_staff_ratio, max_checkin);

CREATE OR REPLACE TEMP TABLE training_caps AS                      -- training_caps
FROM (VALUES ('一类', 760), ('二类', 650), ('三类', 550)) AS t(training_class, cap);

CREATE OR REPLACE TEMP TABLE lecture_fee_caps AS                   -- lecture_fee_caps
FROM (VALUES ('中级及以下', 300), ('副高', 500), ('正高', 1000), ('院士或全国知名专家', 1500)) AS t(title, cap);

-- vehicle_caps by use type, vehicle_special_caps by body type (大型客车 has no displacement entry)
CREATE OR REPLACE TEMP TABLE vehicle_caps AS
FROM (VALUES (false, '机要通信用车', 120000, 1.6), (false, '应急保障用车', 180000, 1.8), (false, '其他公务用车', 180000, 1.8),
             (true, '小型客车', 250000, 3.0), (true, '中型客车', 250000, 3.0), (true, '大型客车', 450000, NULL))
     AS t(special, key, price, displacement);

-- ── per-record rules ──────────────────────────────────────────────────────────────────
CREATE OR REPLACE TEMP VIEW record_findings AS

SELECT 'SX-17-RECEPTION-LETTER' AS rule, id FROM expense
WHERE category = '公务接待费'
  AND (coalesce(length(trim(official_letter_no)) > 0, false) OR has_official_letter IS TRUE) IS FALSE

UNION ALL
SELECT 'SX-17-RECEPTION-ACCOMPANY', id FROM expense
WHERE category = '公务接待费' AND (accompany_count IS NOT NULL OR work_meals > 0)
  AND (CASE WHEN guest_count <= 10 /* reception_small_group_max_guests */
            THEN accompany_count <= 3 /* reception_small_group_max_accompany */
            WHEN guest_count > 10
            THEN accompany_count * 3 /* reception_large_group_guests_per_accompany */ <= guest_count END) IS FALSE

UNION ALL
SELECT 'SX-17-RECEPTION-ONE-MEAL', id FROM expense
WHERE category = '公务接待费' AND work_meals IS NOT NULL
  AND (work_meals <= 1 /* reception_work_meals_max */) IS FALSE

UNION ALL
SELECT 'SX-17-RECEPTION-PROHIBITED-ITEMS', id FROM expense
WHERE category = '公务接待费'
  AND (NOT cigarettes AND NOT premium_dishes AND NOT wild_animal_dishes
       AND (venue_type IS NULL OR venue_type NOT IN ('私人会所', '高消费餐饮场所') /* reception_prohibited_venues */)
       AND CASE WHEN date >= DATE '2025-05-02' /* reception_alcohol_ban_from */
                THEN NOT alcohol_served AND NOT premium_alcohol
                ELSE NOT premium_alcohol END) IS FALSE

UNION ALL
SELECT 'SX-17-RECEPTION-PAYMENT', id FROM expense
WHERE category = '公务接待费' AND payment_method IS NOT NULL
  AND (payment_method IN ('公务卡', '银行转账', '国库集中支付') /* reception_payment_methods */) IS FALSE

UNION ALL
SELECT 'SX-17-RECEPTION-EXTRAS', id FROM expense
WHERE category = '公务接待费'
  AND (NOT gifts AND NOT sightseeing AND NOT entertainment AND NOT welcome_ceremony) IS FALSE

UNION ALL
SELECT 'SX-17-RECEPTION-LIST', id FROM expense
WHERE category = '公务接待费'
  AND (reception_list IS TRUE AND reception_list_signed IS TRUE
       AND (letter_guest_count IS NULL OR guest_count <= letter_guest_count)) IS FALSE

UNION ALL
SELECT 'SX-17-RECEPTION-LODGING', id FROM expense
WHERE category = '公务接待费' AND lodging_arranged
  AND ((coalesce(room_type IN ('标准间', '单间'), false)
        OR coalesce(room_type = '普通套间' AND guest_top_rank = '省部级', false))
       AND NOT lodging_paid_by_host) IS FALSE

UNION ALL
SELECT 'SX-17-RECEPTION-MEAL-CAP', id FROM expense
WHERE category = '公务接待费' AND meal_amount > 0
  AND (meal_amount <= 150 /* reception_meal_cap_per_person */ * (guest_count + coalesce(accompany_count, 0))) IS FALSE

UNION ALL
SELECT 'SX-17-VEHICLE-STANDARD', v.id
FROM (SELECT id, vehicle_price, displacement_l, new_energy, body_type, vehicle_use_type,
             coalesce(length(trim(special_approval)) > 0, false) AS special
      FROM expense WHERE category = '公务用车购置费') v
LEFT JOIN vehicle_caps c ON c.special = v.special AND c.key = CASE WHEN v.special THEN v.body_type ELSE v.vehicle_use_type END
WHERE (v.vehicle_price <= CASE WHEN v.new_energy AND coalesce(v.body_type = '轿车', false) AND NOT v.special
                               THEN 180000 /* vehicle_nev_sedan_max_price */ ELSE c.price END
       AND CASE WHEN v.new_energy THEN true
                WHEN c.key IS NULL THEN NULL                        -- no standard for the type: not evaluated
                WHEN c.displacement IS NULL THEN true
                ELSE v.displacement_l <= c.displacement END) IS FALSE

UNION ALL
SELECT 'SX-17-TRAVEL-PREAPPROVAL', id FROM expense
WHERE category = '差旅费'
  AND (coalesce(trip_approved_on, approved_on) IS NOT NULL
       AND coalesce(trip_approved_on, approved_on) <= coalesce(depart_on, date)) IS FALSE

UNION ALL
SELECT 'SX-17-TRAVEL-ALLOWANCES', id
FROM (
    SELECT id, meal_allowance, local_transport_allowance, trip_days,
           trip_days * CASE WHEN coalesce(destination_province IN ('西藏', '西藏自治区', '青海', '青海省', '新疆', '新疆维吾尔自治区'), false)
                            THEN 120 /* travel_meal_allowance_high_altitude */
                            ELSE 100 /* travel_meal_allowance_per_day */ END
             - CASE WHEN host_meals > 0 THEN host_meals * CAST(NULL AS DECIMAL(18,2)) /* travel_meal_deduction_per_host_meal: not configured */
                    ELSE 0 END AS meal_cap,
           CASE WHEN host_transport THEN 0 ELSE trip_days * 80 /* travel_local_transport_per_day */ END AS transport_cap
    FROM (SELECT *, return_on - depart_on + 1 AS trip_days FROM expense
          WHERE category = '差旅费' AND (meal_allowance IS NOT NULL OR local_transport_allowance IS NOT NULL))
)
WHERE ((meal_allowance IS NULL OR meal_allowance <= meal_cap)
       AND (local_transport_allowance IS NULL OR local_transport_allowance <= transport_cap)) IS FALSE

UNION ALL
SELECT 'SX-17-TRAVEL-TRANSPORT-CLASS', e.id
FROM expense e
JOIN rank_map m ON m.local_rank = e.traveler_rank                  -- no travel rank: not evaluated
LEFT JOIN transport_classes t ON t.travel_rank = m.travel_rank AND t.transport_class = e.transport_class
WHERE e.category = '差旅费' AND e.transport_class IS NOT NULL AND t.transport_class IS NULL

UNION ALL
SELECT 'SX-17-TRAVEL-LODGING', e.id
FROM expense e
LEFT JOIN rank_map m ON m.local_rank = e.traveler_rank
LEFT JOIN lodging_caps c ON c.city = e.destination_city AND c.travel_rank = m.travel_rank
WHERE e.category = '差旅费' AND e.lodging_amount > 0
  AND (e.lodging_amount <= c.cap * coalesce(e.lodging_nights, e.return_on - e.depart_on)
       AND (e.room_type IS NULL OR e.room_type IN ('标准间', '单间')
            OR (e.room_type = '普通套间' AND m.travel_rank = '部级'))) IS FALSE

UNION ALL
SELECT 'SX-17-MEETING-PLAN', id FROM expense
WHERE category = '会议费'
  AND (in_annual_plan IS TRUE
       OR (approved_on IS NOT NULL AND approved_on <= coalesce(start_on, date))) IS FALSE

UNION ALL
SELECT 'SX-17-MEETING-COST-CAP', e.id
FROM expense e LEFT JOIN meeting_caps c ON c.meeting_class = e.meeting_class
WHERE e.category = '会议费'
  AND (e.amount <= CASE WHEN e.lodging_provided IS TRUE OR coalesce(e.lodging_amount > 0, false)
                        THEN c.total ELSE c.total - c.lodging END
                   * (e.delegates + coalesce(e.staff, 0)) * (e.end_on - e.start_on + 1)) IS FALSE

UNION ALL
SELECT 'SX-17-MEETING-CONDUCT', id FROM expense
WHERE category = '会议费'
  AND (NOT banquet AND NOT sightseeing AND NOT souvenirs AND NOT scenic_area
       AND (coalesce(meeting_class = '一类', false)
            OR (designated_venue IS DISTINCT FROM false
                AND (venue_star IS NULL OR venue_star <= 4 /* meeting_max_star */)))) IS FALSE

UNION ALL
SELECT 'SX-17-MEETING-SCALE', e.id
FROM expense e LEFT JOIN meeting_limits l ON l.meeting_class = e.meeting_class
WHERE e.category = '会议费'
  AND ((l.max_days IS NULL OR e.end_on - e.start_on + 1 <= l.max_days)
       AND (e.meeting_kind IS DISTINCT FROM '传达布置类' OR e.end_on - e.start_on + 1 <= 1 /* meeting_briefing_max_days */)
       AND (l.max_attendees IS NULL OR e.delegates + coalesce(e.staff, 0) <= l.max_attendees)
       AND (l.max_staff_ratio IS NULL OR coalesce(e.staff, 0) <= e.delegates * l.max_staff_ratio)
       AND (e.checkin_days IS NULL OR l.max_checkin IS NULL OR e.checkin_days <= l.max_checkin)) IS FALSE

UNION ALL
SELECT 'SX-17-TRAINING-PLAN', id FROM expense
WHERE category = '培训费'
  AND (in_annual_plan IS TRUE
       OR (approved_on IS NOT NULL AND approved_on <= coalesce(start_on, date))) IS FALSE

UNION ALL
SELECT 'SX-17-TRAINING-COST-CAP', id
FROM (
    SELECT e.id, e.amount, e.amount_excl_lecturers, e.lecturer_fees, c.cap, e.trainees + coalesce(e.staff, 0) AS people,
           e.end_on - e.start_on + 1 AS days
    FROM expense e LEFT JOIN training_caps c ON c.training_class = e.training_class
    WHERE e.category = '培训费'
)
WHERE (coalesce(amount_excl_lecturers, amount - coalesce(lecturer_fees, 0))
       <= cap * people * CASE WHEN days IS NOT NULL                 -- least/greatest would skip a NULL
                              THEN least(days, 30) + 0.7 * greatest(days - 30, 0) END
                              /* training_full_rate_days, training_excess_rate */) IS FALSE

UNION ALL
SELECT 'SX-17-TRAINING-LECTURE-FEE', e.id
FROM expense e LEFT JOIN lecture_fee_caps c ON c.title = e.lecture_title
WHERE e.category = '培训费' AND e.lecture_fee_after_tax IS NOT NULL  -- a CSV row has no `lectures` list
  AND (e.lecture_fee_after_tax <= c.cap * e.lecture_hours
       AND (e.lecture_half_days IS NULL
            OR e.lecture_hours <= 4 /* lecture_hours_max_per_half_day */ * e.lecture_half_days)) IS FALSE;

-- ── aggregate rules: 三公 spending by unit and year, against the same unit's previous year ──
CREATE OR REPLACE TEMP VIEW three_public AS
SELECT unit, year(date) AS year, sum(amount) AS total
FROM expense
WHERE category IN ('因公出国（境）费', '公务用车购置费', '公务用车运行维护费', '公务接待费')   -- three_public_categories
GROUP BY unit, year(date);

CREATE OR REPLACE TEMP VIEW group_findings AS
SELECT 'SX-17-THREE-PUBLIC-DECLINE' AS rule, g.unit, g.year
FROM three_public g JOIN three_public p ON p.unit = g.unit AND p.year = g.year - 1
WHERE g.year BETWEEN getvariable('period_start') AND getvariable('period_end') AND g.total > p.total
UNION ALL
SELECT 'SX-17-THREE-PUBLIC-FLAT', g.unit, g.year                   -- three_public_require_strict_decline: true
FROM three_public g JOIN three_public p ON p.unit = g.unit AND p.year = g.year - 1
WHERE g.year BETWEEN getvariable('period_start') AND getvariable('period_end') AND g.total = p.total AND g.total > 0;
