/// The clerk's page at `GET /`: one self-contained HTML document (no CDN, no external file), in
/// Chinese with an English switch. A clerk pastes or uploads a record, or fills the decision form
/// (built from `GET /v1/schemas/decision`), and sees each finding with its clause, the document's
/// words and what to fix. It calls the same `/v1/check` as any other client.
enum ClerkPage {
    static let html = #"""
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>政策合规检查 · policycheck</title>
<style>
  :root { --ink:#1f2328; --muted:#59636e; --line:#d1d9e0; --error:#cf222e; --warning:#9a6700; --info:#0969da; --ok:#1a7f37; --bg:#f6f8fa; }
  * { box-sizing: border-box; }
  body { margin:0; font: 15px/1.6 "Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif; color:var(--ink); background:#fff; }
  header { display:flex; align-items:center; justify-content:space-between; padding:12px 24px; border-bottom:1px solid var(--line); background:var(--bg); }
  header h1 { font-size:18px; margin:0; }
  header .pack { color:var(--muted); font-size:13px; }
  main { display:grid; grid-template-columns: minmax(320px, 1fr) minmax(360px, 1.2fr); gap:24px; padding:20px 24px; }
  @media (max-width: 900px) { main { grid-template-columns: 1fr; } }
  .tabs { display:flex; gap:4px; margin-bottom:8px; }
  .tabs button { border:1px solid var(--line); background:#fff; padding:6px 12px; border-radius:6px 6px 0 0; cursor:pointer; }
  .tabs button[aria-selected="true"] { background:var(--bg); font-weight:600; border-bottom-color:var(--bg); }
  .panel { border:1px solid var(--line); border-radius:0 6px 6px 6px; padding:12px; background:var(--bg); }
  textarea { width:100%; min-height:340px; font: 13px/1.5 ui-monospace,"Noto Sans Mono CJK SC",monospace; border:1px solid var(--line); border-radius:6px; padding:8px; }
  fieldset { border:1px solid var(--line); border-radius:6px; margin:8px 0; padding:8px 12px; background:#fff; }
  legend { font-weight:600; font-size:14px; }
  label.field { display:grid; grid-template-columns: 12em 1fr; gap:8px; align-items:center; margin:4px 0; font-size:14px; }
  label.field input, label.field select { width:100%; padding:4px 6px; border:1px solid var(--line); border-radius:4px; font:inherit; }
  .checks { display:flex; flex-wrap:wrap; gap:4px 12px; }
  .checks label { font-size:13px; }
  .req::after { content:" *"; color:var(--error); }
  .actions { display:flex; gap:8px; align-items:center; margin-top:10px; flex-wrap:wrap; }
  button.primary { background:#1f6feb; color:#fff; border:0; border-radius:6px; padding:8px 18px; font:inherit; font-weight:600; cursor:pointer; }
  button.secondary { background:#fff; border:1px solid var(--line); border-radius:6px; padding:7px 12px; font:inherit; cursor:pointer; }
  #summary { padding:10px 12px; border-radius:6px; margin-bottom:12px; font-weight:600; }
  #summary.pass { background:#dafbe1; color:var(--ok); }
  #summary.fail { background:#ffebe9; color:var(--error); }
  #summary.incomplete { background:#fff8c5; color:var(--warning); }
  .finding { border:1px solid var(--line); border-left:5px solid var(--info); border-radius:6px; padding:10px 12px; margin-bottom:10px; }
  .finding.error { border-left-color:var(--error); }
  .finding.warning { border-left-color:var(--warning); }
  .finding h3 { margin:0 0 4px; font-size:15px; }
  .badge { display:inline-block; font-size:12px; padding:0 6px; border-radius:10px; color:#fff; margin-right:6px; vertical-align:1px; }
  .badge.error { background:var(--error); } .badge.warning { background:var(--warning); } .badge.info { background:var(--info); }
  .meta { color:var(--muted); font-size:13px; }
  .finding dl { display:grid; grid-template-columns: 6.5em 1fr; gap:2px 10px; margin:6px 0 0; font-size:14px; }
  .finding dt { color:var(--muted); }
  .finding dd { margin:0; }
  blockquote { margin:0; padding:2px 8px; border-left:3px solid var(--line); color:#3d444d; }
  code { font-family: ui-monospace, monospace; font-size:13px; background:var(--bg); padding:0 3px; border-radius:3px; }
  .problem { border:1px solid #d4a72c; background:#fff8c5; border-radius:6px; padding:8px 12px; margin-bottom:8px; font-size:14px; }
  .hidden, [hidden] { display:none !important; }
  #token-row input { width:24em; }
</style>
</head>
<body>
<header>
  <div>
    <h1 data-i18n="title">政策合规检查</h1>
    <div class="pack" id="pack-info"></div>
  </div>
  <div>
    <button class="secondary" id="lang-zh" type="button">中文</button>
    <button class="secondary" id="lang-en" type="button">English</button>
  </div>
</header>
<main>
  <section aria-labelledby="input-heading">
    <h2 id="input-heading" style="font-size:16px;margin:0 0 8px" data-i18n="inputHeading">待检查的记录</h2>
    <div class="tabs" role="tablist">
      <button type="button" role="tab" id="tab-paste" aria-selected="true" data-i18n="tabPaste">粘贴或上传</button>
      <button type="button" role="tab" id="tab-form" aria-selected="false" data-i18n="tabForm">填写决策表单</button>
    </div>
    <div class="panel" id="panel-paste">
      <textarea id="record-text" spellcheck="false" aria-label="record"></textarea>
      <div class="actions">
        <label class="secondary"><span data-i18n="upload">上传文件</span>
          <input type="file" id="record-file" accept=".yaml,.yml,.json"></label>
        <select id="record-format" aria-label="format">
          <option value="auto" data-i18n="formatAuto">自动识别格式</option>
          <option value="json">JSON</option>
          <option value="yaml">YAML</option>
        </select>
      </div>
    </div>
    <div class="panel hidden" id="panel-form"><form id="decision-form" autocomplete="off"></form></div>
    <div class="actions" id="token-row" hidden>
      <label><span data-i18n="token">访问令牌</span> <input type="password" id="token"></label>
    </div>
    <div class="actions">
      <button class="primary" type="button" id="check-button" data-i18n="check">检查</button>
      <button class="secondary" type="button" id="example-button" data-i18n="example">填入示例</button>
      <span class="meta" id="status"></span>
    </div>
  </section>
  <section aria-live="polite">
    <h2 style="font-size:16px;margin:0 0 8px" data-i18n="resultHeading">检查结果</h2>
    <div id="results"><p class="meta" data-i18n="nothingYet">尚未检查。粘贴记录或填写表单后点击“检查”。</p></div>
  </section>
</main>
<script>
"use strict";
const TEXT = {
  zh: { title:"政策合规检查", inputHeading:"待检查的记录", tabPaste:"粘贴或上传", tabForm:"填写决策表单", upload:"上传文件",
        formatAuto:"自动识别格式", token:"访问令牌", check:"检查", example:"填入示例", resultHeading:"检查结果",
        nothingYet:"尚未检查。粘贴记录或填写表单后点击“检查”。", checking:"检查中…", pass:"未发现问题：{records} 条记录符合已编码的规则",
        fail:"{records} 条记录，{count} 项发现（错误 {error}，警告 {warning}，提示 {info}）",
        incomplete:"记录有输入错误，未能全部检查（输入错误 {inputErrors}）", record:"记录", clause:"条款", basis:"文件依据",
        clauseText:"条款原文", fix:"如何改正", fixText:"使记录符合「{title}」：请核对并更正 {fields}。", fixMissing:"补全所需字段后重新检查。",
        inputErrors:"输入错误", inputWarnings:"提示", at:"位置", help:"建议", severity:{error:"错误",warning:"警告",info:"提示"},
        unauthorized:"需要访问令牌。", failed:"请求失败：", yes:"是", no:"否", unset:"（未填）", packLabel:"规则包" },
  en: { title:"Policy compliance check", inputHeading:"Record to check", tabPaste:"Paste or upload", tabForm:"Fill in a decision",
        upload:"Upload a file", formatAuto:"Detect format", token:"Access token", check:"Check", example:"Use an example",
        resultHeading:"Findings", nothingYet:"Nothing checked yet. Paste a record or fill in the form, then press Check.",
        checking:"Checking…", pass:"No findings: {records} record(s) meet the encoded rules",
        fail:"{records} record(s), {count} finding(s) ({error} error, {warning} warning, {info} info)",
        incomplete:"The record has input errors and could not be fully checked ({inputErrors} input error(s))",
        record:"Record", clause:"Clause", basis:"Document", clauseText:"Clause text", fix:"What to fix",
        fixText:"Make the record meet “{title}”: check and correct {fields}.", fixMissing:"Fill in the fields the rule needs, then check again.",
        inputErrors:"Input errors", inputWarnings:"Notes", at:"at", help:"help", severity:{error:"error",warning:"warning",info:"info"},
        unauthorized:"An access token is needed.", failed:"The request failed: ", yes:"yes", no:"no", unset:"(not set)", packLabel:"pack" }
};
const EXAMPLE = {
  id:"D-2024-099", type:"decision", unit:"绍兴市人民政府", title:"绍兴市区停车收费管理办法", category:"重大公共政策",
  participation:{ methods:["向社会公开征求意见"], comment_start:"2024-03-01", comment_end:"2024-03-20" },
  hearing:{ held:false }, legality_review:{ submitted_on:"2024-04-01", completed_on:"2024-04-12", conclusion:"合法" },
  deliberation:{ body:"常务会议", date:"2024-04-10", minutes_recorded:true, head_spoke_last:true }, result:"通过",
  publication:{ date:"2024-04-20", channels:["政府网站"] }
};
let lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "zh";
let rules = {}, ruleDetails = {}, schema = null, lastReport = null, mode = "paste";
const $ = (id) => document.getElementById(id);
const t = (key, values) => (TEXT[lang][key] || key).replace(/\{(\w+)\}/g, (_, k) => values && k in values ? values[k] : "");
const el = (tag, attrs, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) { if (k === "class") node.className = v; else node.setAttribute(k, v); }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
  return node;
};
const text = (value) => value && typeof value === "object" ? (value[lang] || value.zh || "") : (value || "");

function headers(extra) {
  const h = Object.assign({}, extra || {});
  const token = $("token").value.trim();
  if (token) h["Authorization"] = "Bearer " + token;
  return h;
}

async function getJSON(path) {
  const response = await fetch(path, { headers: headers() });
  if (response.status === 401) { $("token-row").hidden = false; throw new Error(t("unauthorized")); }
  if (!response.ok) throw new Error(response.status + " " + path);
  return response.json();
}

function applyLanguage() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  $("lang-zh").disabled = lang === "zh"; $("lang-en").disabled = lang === "en";
  if (schema) buildForm();
  // Messages come from the server in the language asked for: check again rather than show stale ones.
  if (lastReport) check();
}

async function loadPack() {
  try {
    const list = await getJSON("/v1/rules");
    rules = Object.fromEntries(list.rules.map((r) => [r.id, r]));
    $("pack-info").textContent = t("packLabel") + " " + list.pack.id + " · " + list.pack.document + " · " + list.pack.hash.slice(0, 19);
    schema = await getJSON("/v1/schemas/decision");
    buildForm();
  } catch (error) { $("status").textContent = error.message; }
}

function buildForm() {
  const form = $("decision-form");
  const values = mode === "form" ? readForm() : null;
  form.replaceChildren(...schema.fields.filter((f) => f.name !== "type").map((f) => fieldNode(f, f.name)));
  if (values) fillForm(values);
}

function fieldNode(field, path) {
  const title = field.description ? text(field.description) : field.name;
  if (field.type === "object" && field.fields) {
    return el("fieldset", { "data-path": path }, el("legend", {}, title), field.fields.map((f) => fieldNode(f, path + "." + f.name)));
  }
  const caption = el("span", { class: field.required ? "req" : "", title: field.name }, title);
  let input;
  if (field.type === "bool") {
    input = el("select", { name: path, "data-type": "bool" }, el("option", { value: "" }, t("unset")),
               el("option", { value: "true" }, t("yes")), el("option", { value: "false" }, t("no")));
  } else if (field.type === "list(string)" && field.values) {
    input = el("span", { class: "checks", "data-name": path, "data-type": "list" },
               field.values.map((v) => el("label", {}, el("input", { type: "checkbox", name: path, value: v }), " " + v)));
  } else if (field.values) {
    input = el("select", { name: path, "data-type": "string" }, el("option", { value: "" }, t("unset")),
               field.values.map((v) => el("option", { value: v }, v)));
  } else {
    const kind = field.type === "date" ? "date" : field.type === "number" || field.type === "integer" ? "number" : "text";
    input = el("input", { name: path, type: kind, "data-type": field.type.startsWith("list") ? "list" : field.type });
  }
  return el("label", { class: "field" }, caption, input);
}

function setPath(target, path, value) {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) node = node[part] = node[part] || {};
  node[parts[parts.length - 1]] = value;
}

function readForm() {
  const record = { type: "decision" };
  for (const input of $("decision-form").querySelectorAll("input, select")) {
    if (input.type === "checkbox") continue;
    const value = input.value.trim();
    if (!value) continue;
    const type = input.dataset.type;
    if (type === "bool") setPath(record, input.name, value === "true");
    else if (type === "number" || type === "integer") setPath(record, input.name, Number(value));
    else if (type === "list") setPath(record, input.name, value.split(/[、,，;；]/).map((s) => s.trim()).filter(Boolean));
    else setPath(record, input.name, value);
  }
  for (const group of $("decision-form").querySelectorAll("[data-type=list][data-name]")) {
    const checked = [...group.querySelectorAll("input:checked")].map((c) => c.value);
    if (checked.length) setPath(record, group.dataset.name, checked);
  }
  return record;
}

function fillForm(record) {
  const get = (path) => path.split(".").reduce((node, key) => node && node[key], record);
  for (const input of $("decision-form").querySelectorAll("input, select")) {
    const value = get(input.name);
    if (input.type === "checkbox") input.checked = Array.isArray(value) && value.includes(input.value);
    else if (value !== undefined && value !== null) input.value = Array.isArray(value) ? value.join("、") : String(value);
  }
}

function switchMode(next) {
  mode = next;
  $("tab-paste").setAttribute("aria-selected", String(next === "paste"));
  $("tab-form").setAttribute("aria-selected", String(next === "form"));
  $("panel-paste").classList.toggle("hidden", next !== "paste");
  $("panel-form").classList.toggle("hidden", next !== "form");
}

function requestBody() {
  if (mode === "form") return { body: JSON.stringify(readForm()), type: "application/json" };
  const body = $("record-text").value;
  let format = $("record-format").value;
  if (format === "auto") format = /^\s*[\[{]/.test(body) ? "json" : "yaml";
  return { body, type: format === "json" ? "application/json" : "application/yaml" };
}

async function check() {
  const { body, type } = requestBody();
  $("status").textContent = t("checking");
  $("check-button").disabled = true;
  try {
    const response = await fetch("/v1/check?lang=" + lang, { method: "POST", headers: headers({ "Content-Type": type }), body });
    if (response.status === 401) { $("token-row").hidden = false; throw new Error(t("unauthorized")); }
    const report = await response.json();
    if (!report.summary) throw new Error(report.error ? report.error.message : String(response.status));
    report.outcome = response.headers.get("Policycheck-Outcome") || "";
    await loadDetails(report);
    lastReport = report;
    render(report);
    $("status").textContent = "HTTP " + response.status;
  } catch (error) {
    $("status").textContent = t("failed") + error.message;
  } finally {
    $("check-button").disabled = false;
  }
}

async function loadDetails(report) {
  const ids = [...new Set(report.violations.map((f) => f.rule))].filter((id) => !ruleDetails[id]);
  await Promise.all(ids.map(async (id) => {
    try { ruleDetails[id] = await getJSON("/v1/rules/" + encodeURIComponent(id)); } catch (_) { ruleDetails[id] = null; }
  }));
}

function render(report) {
  const s = report.summary;
  const outcome = s.inputErrors > 0 ? "incomplete" : s.violations > 0 ? "fail" : "pass";
  const summaryText = outcome === "incomplete" ? t("incomplete", s)
                    : outcome === "fail" ? t("fail", Object.assign({ count: s.violations }, s)) : t("pass", s);
  const children = [el("div", { id: "summary", class: outcome, "data-outcome": outcome }, summaryText)];
  for (const problem of report.inputErrors) children.push(problemNode(problem, t("inputErrors")));
  for (const finding of report.violations) children.push(findingNode(finding));
  for (const problem of report.inputWarnings) children.push(problemNode(problem, t("inputWarnings")));
  $("results").replaceChildren(...children);
}

function problemNode(problem, heading) {
  const where = problem.file ? problem.file + (problem.line ? ":" + problem.line + ":" + problem.column : "") : "";
  return el("div", { class: "problem input-error", "data-code": problem.code },
    el("strong", {}, heading + " "), el("code", {}, problem.code), " ", problem.message,
    where ? el("div", { class: "meta" }, t("at") + " " + where) : null,
    problem.help ? el("div", { class: "meta" }, t("help") + ": " + problem.help) : null);
}

function findingNode(finding) {
  const rule = rules[finding.rule] || {};
  const detail = ruleDetails[finding.rule];
  const fields = Object.keys(finding.values || {});
  const fix = finding.kind === "not-evaluated" ? t("fixMissing")
            : t("fixText", { title: text(rule.title) || finding.rule, fields: fields.length ? fields.map((f) => f + " = " + JSON.stringify(finding.values[f])).join("；") : "—" });
  const record = finding.record;
  return el("article", { class: "finding " + finding.severity, "data-rule": finding.rule },
    el("h3", {}, el("span", { class: "badge " + finding.severity }, TEXT[lang].severity[finding.severity] || finding.severity),
       el("span", { class: "finding-message" }, finding.message)),
    el("div", { class: "meta" }, el("code", { class: "finding-rule" }, finding.rule),
       record ? " · " + t("record") + " " + record.id + " (" + record.source.file + ":" + record.source.line + ":" + record.source.column + ")" : ""),
    el("dl", {},
      el("dt", {}, t("clause")), el("dd", { class: "finding-clause" }, finding.clause + " " + text(rule.clauseTitle)),
      el("dt", {}, t("basis")), el("dd", { class: "finding-basis" }, el("blockquote", {}, rule.basis || "")),
      detail && detail.clauseText ? el("dt", {}, t("clauseText")) : null,
      detail && detail.clauseText ? el("dd", {}, el("details", { open: "" }, el("summary", {}, finding.clause), el("blockquote", {}, detail.clauseText))) : null,
      el("dt", {}, t("fix")), el("dd", { class: "finding-fix" }, fix)));
}

$("lang-zh").addEventListener("click", () => { lang = "zh"; applyLanguage(); });
$("lang-en").addEventListener("click", () => { lang = "en"; applyLanguage(); });
$("tab-paste").addEventListener("click", () => switchMode("paste"));
$("tab-form").addEventListener("click", () => switchMode("form"));
$("check-button").addEventListener("click", check);
$("example-button").addEventListener("click", () => {
  $("record-text").value = JSON.stringify(EXAMPLE, null, 2);
  $("record-format").value = "json";
  if (schema) fillForm(EXAMPLE);
});
$("record-file").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  $("record-text").value = await file.text();
  $("record-format").value = /\.json$/i.test(file.name) ? "json" : "yaml";
  switchMode("paste");
});
applyLanguage();
loadPack();
</script>
</body>
</html>
"""#
}
