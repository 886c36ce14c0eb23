// derive.js — the open version in another medium, joining the same work as its child (a poem
// for a painting, music for a poem, with the poem's own words sung when asked):
// POST /api/versions/{id}/derive {medium, sing?}.

import { busy, kindOf } from "./acts.js";

const $ = (sel) => document.querySelector(sel);

export class Derive {
  constructor(ctx) {
    this.ctx = ctx;
    $("#derive-form").addEventListener("submit", (e) => { e.preventDefault(); this.submit(e.submitter); });
    $("#derive-form select[name=medium]").addEventListener("change", () => this.singable());
  }

  // Its own medium is not offered; singing is for music from a poem.
  open(v) {
    const own = v.spec && v.spec.medium;
    const select = $("#derive-form select[name=medium]");
    [...select.options].forEach((o) => { o.hidden = o.disabled = o.value === own; });
    if (select.value === own) select.value = [...select.options].find((o) => !o.disabled).value;
    this.singable();
  }

  singable() {
    const v = this.ctx.current();
    $("#derive-sing").hidden = !(v && kindOf(v) === "poem" && $("#derive-form select[name=medium]").value === "music");
  }

  relabel() {}

  async submit(button) {
    const v = this.ctx.current();
    if (!v) return;
    const f = $("#derive-form");
    const body = { medium: f.medium.value };
    if (!$("#derive-sing").hidden && f.sing.checked) body.sing = true;
    await busy(button, () => this.ctx.run(`/api/versions/${v.id}/derive`, body, 1));
  }
}
