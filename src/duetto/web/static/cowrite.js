// cowrite.js — writing together on the open text: every act is POST /api/versions/{id}/write
// with an edit (duetto.engine.Edit):
//   poems:   keep the ticked lines and rewrite the rest {op: keep, lines}, another line
//            {op: line, line}, rewrite {op: rewrite, instruction}, translate {op: translate, language}
//   prose:   continue {op: continue, words}, rewrite, a new character {op: character, instruction},
//            translate.

import { busy, kindOf } from "./acts.js";
import { t } from "./i18n.js";
import { node } from "./media.js";

const $ = (sel) => document.querySelector(sel);

// A poem's lines as the writer counts them: a classical poem's couplet "…，…。" is two lines.
export function poemLines(text) {
  const rows = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (!rows.length || !rows.every((l) => /[，。！？；]/.test(l))) return rows;
  return rows.flatMap((l) => l.split(/[，。！？；]/).map((x) => x.trim()).filter(Boolean));
}

export class CoWrite {
  constructor(ctx) {
    this.ctx = ctx;
    document.querySelectorAll("#write-box [data-edit]").forEach((b) => {
      b.addEventListener("click", () => this.send(b, b.dataset.edit));
    });
  }

  async open(v) {
    const kind = kindOf(v);
    if (kind !== "poem" && kind !== "prose") return;
    $("#write-lines").replaceChildren();
    if (kind !== "poem") return;
    const text = await (await fetch(v.files[v.ext], { credentials: "same-origin" })).text();
    if (!this.ctx.current() || this.ctx.current().id !== v.id) return;
    $("#write-lines").replaceChildren(...poemLines(text).map((line, i) => {
      const keep = node("input", { type: "checkbox", name: "keep", value: String(i + 1) });
      const again = node("button", { type: "button", class: "again", "data-line": String(i + 1) }, t("write.again"));
      again.dataset.act = "write";
      again.title = t("write.againTitle", { n: i + 1 });
      again.addEventListener("click", () => this.send(again, "line", i + 1));
      return node("li", {}, node("label", {}, keep, node("span", { class: "text" }, line)), again);
    }));
  }

  relabel() {
    document.querySelectorAll("#write-lines .again").forEach((b) => {
      b.textContent = t("write.again");
      b.title = t("write.againTitle", { n: b.dataset.line });
    });
  }

  edit(op, line) {
    const instruction = $("#write-instruction").value.trim();
    if (op === "line") return { op, line };
    if (op === "keep") {
      const lines = [...document.querySelectorAll("#write-lines input[name=keep]:checked")].map((x) => Number(x.value));
      return lines.length ? { op, lines } : t("write.tickFirst");
    }
    if (op === "rewrite") return instruction ? { op, instruction } : t("write.sayHow");
    if (op === "continue") return { op, words: Number($("#write-words").value) || 120, ...(instruction ? { instruction } : {}) };
    if (op === "character") return { op, ...(instruction ? { instruction } : {}) };
    if (op === "translate") return { op, language: $("#write-language").value };
    return null;
  }

  async send(button, op, line) {
    const v = this.ctx.current();
    if (!v) return;
    const edit = this.edit(op, line);
    if (typeof edit === "string") { this.ctx.flash(edit, "info"); return; }
    await busy(button, () => this.ctx.run(`/api/versions/${v.id}/write`, { edit }, 1));
  }
}
