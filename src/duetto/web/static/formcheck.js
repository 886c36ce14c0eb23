// formcheck.js — a poem against its form: POST /api/check {version, form?, rhyme} → the
// lines and every issue with its line and, where the rule is about one syllable, its position.
// The report shows the poem character by character and marks the very character that breaks a
// rule (a whole line when the rule is about the line); each mark names its rule.

import { api } from "./api.js";
import { busy } from "./acts.js";
import { lang, t } from "./i18n.js";
import { node } from "./media.js";

const $ = (sel) => document.querySelector(sel);

// The checkers write "第4句… / line 4 …": the half in the page's language.
function inLang(message) {
  const halves = String(message).split(" / ");
  return halves.length === 2 ? halves[lang() === "zh" ? 0 : 1] : String(message);
}

export class FormCheck {
  constructor(ctx) {
    this.ctx = ctx;
    this.report = null;
    $("#check-form").addEventListener("submit", (e) => { e.preventDefault(); this.check(e.submitter); });
  }

  open(v) {
    if (this.report && this.report.version !== v.id) { this.report = null; $("#check-out").replaceChildren(); }
  }

  relabel() { if (this.report) this.draw(); }

  async check(button) {
    const v = this.ctx.current();
    if (!v) return;
    const f = $("#check-form");
    const body = { version: v.id, rhyme: f.rhyme.value };
    if (f.form.value.trim()) body.form = f.form.value.trim();
    try {
      this.report = await busy(button, () => api("/api/check", { method: "POST", body }));
      this.draw();
    } catch (err) { this.ctx.fail(err); }
  }

  draw() {
    const r = this.report;
    const at = new Map();  // "line:position" or "line:" → issues
    for (const i of r.issues) {
      if (!i.line) continue;
      const key = `${i.line}:${i.position || ""}`;
      at.set(key, [...(at.get(key) || []), i]);
    }
    const lines = r.lines.map((text, n) => {
      const whole = at.get(`${n + 1}:`);
      const chars = [...text].map((ch, p) => {
        const hits = at.get(`${n + 1}:${p + 1}`);
        if (!hits) return node("span", {}, ch);
        return node("mark", { class: "break", "data-line": n + 1, "data-position": p + 1,
                              "data-rule": hits.map((h) => h.rule).join(" "), title: hits.map((h) => inLang(h.message)).join("\n") }, ch);
      });
      return node("div", { class: whole ? "line flagged" : "line", "data-line": n + 1,
                           title: whole ? whole.map((h) => inLang(h.message)).join("\n") : "" }, ...chars);
    });
    const issues = r.issues.map((i) => {
      const where = i.line ? (i.position ? t("check.at", { line: i.line, position: i.position }) : t("check.atLine", { line: i.line })) : "";
      return node("li", {}, where ? node("strong", {}, `${where} `) : "", inLang(i.message));
    });
    $("#check-out").replaceChildren(
      node("p", { class: r.ok ? "verdict ok" : "verdict bad" }, `${r.title} · ${t(r.ok ? "check.ok" : "check.bad", { n: r.issues.length })}`),
      node("div", { class: "poem checked" }, ...lines),
      ...(issues.length ? [node("ul", { class: "issues" }, ...issues)] : []),
      ...r.notes.map((n) => node("p", { class: "muted small" }, n)));
  }
}
