// music-edit.js — editing the open piece of music with the composer:
//   continue by N bars, reharmonise by an amount, regenerate bars a..b
//       → POST /api/versions/{id}/music {edit: {op, bars | weight | first_bar, last_bar}}
//   interpolate toward another piece of the work  → POST /api/blend {a, b, t} (music blends in place)
//   instrumentation in words ("solo piano", "加入二胡")  → POST /api/versions/{id}/revise {feedback}

import { busy, kindOf } from "./acts.js";
import { t } from "./i18n.js";
import { node } from "./media.js";

const $ = (sel) => document.querySelector(sel);

export class MusicEdit {
  constructor(ctx) {
    this.ctx = ctx;
    document.querySelectorAll("#music-box [data-edit]").forEach((b) => {
      b.addEventListener("click", () => this.edit(b, b.dataset.edit));
    });
    $("#music-blend").addEventListener("click", (e) => this.interpolate(e.currentTarget));
    document.querySelectorAll("#music-box [data-feedback]").forEach((b) => {
      b.addEventListener("click", () => this.revise(b, t(b.dataset.feedback)));
    });
    $("#music-words-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const words = e.target.words.value.trim();
      if (words) this.revise(e.submitter, words);
    });
    const weight = $("#music-weight");
    weight.addEventListener("input", () => { $("#music-weight-out").textContent = Number(weight.value).toFixed(2); });
  }

  // The other pieces of the work, newest first, to interpolate toward.
  open(v) {
    if (kindOf(v) !== "music") return;
    const others = this.ctx.versions().filter((x) => x.id !== v.id && kindOf(x) === "music" && !x.deleted)
      .sort((a, b) => b.seq - a.seq);
    $("#music-other").replaceChildren(...others.map((x) => node("option", { value: x.id }, `#${x.seq} · ${x.id.slice(0, 8)}`)));
    $("#music-blend").disabled = !others.length;
  }

  relabel() {}

  async edit(button, op) {
    const v = this.ctx.current();
    if (!v) return;
    let edit;
    if (op === "continue") edit = { op, bars: Number($("#music-bars").value) || 4 };
    else if (op === "reharmonise") edit = { op, weight: Number($("#music-weight").value) };
    else if (op === "regenerate") {
      const first = Number($("#music-first").value) || 1;
      edit = { op, first_bar: first, last_bar: Math.max(first, Number($("#music-last").value) || first) };
    } else return;
    await busy(button, () => this.ctx.run(`/api/versions/${v.id}/music`, { edit }, 1));
  }

  async interpolate(button) {
    const v = this.ctx.current(), other = $("#music-other").value;
    if (!v || !other) return;
    const body = { a: v.id, b: other, t: Number($("#music-t").value) };
    await busy(button, () => this.ctx.run("/api/blend", body, 1));
  }

  async revise(button, feedback) {
    const v = this.ctx.current();
    if (!v) return;
    await busy(button, () => this.ctx.run(`/api/versions/${v.id}/revise`, { feedback }, 1));
  }
}
