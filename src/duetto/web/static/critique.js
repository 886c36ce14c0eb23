// critique.js — what the studio sees in the open version and what it suggests trying next:
// POST /api/versions/{id}/critique {lang} → {summary, observations, strengths, suggestions}.
// A suggestion that carries a verified feedback phrase applies with one click, the way the
// critique's own command says: a picture (or music) is revised with the phrase, a text is
// rewritten with it as the instruction (POST …/revise {feedback} or …/write {edit: rewrite}).

import { api } from "./api.js";
import { busy, kindOf } from "./acts.js";
import { lang, t } from "./i18n.js";
import { node } from "./media.js";
import { can } from "./roles.js";

const $ = (sel) => document.querySelector(sel);

export class Critique {
  constructor(ctx) {
    this.ctx = ctx;
    this.shown = null;  // the version id whose critique is on show
    $("#critique-go").addEventListener("click", (e) => this.load(e.currentTarget));
  }

  open(v) {
    if (this.shown !== v.id) { this.shown = null; $("#critique-out").replaceChildren(); }
  }

  // The critique is written in the page's language: asked again when the language changes.
  relabel() { if (this.shown) this.load(null); }

  async load(button) {
    const v = this.ctx.current();
    if (!v) return;
    const language = lang();
    try {
      const c = await busy(button, () => api(`/api/versions/${v.id}/critique`, { method: "POST", body: { lang: language } }));
      if (!this.ctx.current() || this.ctx.current().id !== v.id) return;
      this.shown = v.id;
      this.draw(v, c, language);
    } catch (err) { this.ctx.fail(err); }
  }

  draw(v, c, language) {
    const maker = can(this.ctx.role(), "create");
    const list = (items, cls) => node("ul", { class: cls }, ...items.map((x) => node("li", {}, x)));
    const ideas = c.suggestions.map((s) => {
      const li = node("li", { class: "suggestion" }, node("strong", {}, s.change), node("p", { class: "muted small" }, s.reason));
      if (s.feedback && maker) {
        const apply = node("button", { type: "button", class: "apply", "data-feedback": s.feedback },
                           t("critique.apply", { feedback: s.feedback }));
        apply.dataset.act = "revise";
        apply.addEventListener("click", () => this.apply(apply, v, s.feedback));
        li.append(apply);
      }
      return li;
    });
    const parts = [node("p", { class: "summary" }, c.summary)];
    if (c.strengths.length) parts.push(node("h5", {}, t("critique.strengths")), list(c.strengths, "strengths"));
    parts.push(node("h5", {}, t("critique.suggestions")),
               ideas.length ? node("ol", { class: "suggestions" }, ...ideas) : node("p", { class: "muted" }, t("critique.none")));
    const seen = node("details", { class: "observations" }, node("summary", {}, t("critique.observations")),
                      list(c.observations, ""));
    parts.push(seen, ...c.notes.map((n) => node("p", { class: "muted small" }, n)));
    const out = $("#critique-out");
    out.dataset.lang = language;
    out.replaceChildren(...parts);
  }

  apply(button, v, feedback) {
    const body = kindOf(v) === "picture" || kindOf(v) === "music"
      ? ["revise", { feedback }] : ["write", { edit: { op: "rewrite", instruction: feedback } }];
    return busy(button, () => this.ctx.run(`/api/versions/${v.id}/${body[0]}`, body[1], 1));
  }
}
