// poster.js — a poster, book cover, social card or square over the open picture, with a title
// and a subtitle set by the layout engine: POST /api/versions/{id}/layout {format, title, subtitle}.
// The result (a PNG, with a PDF beside it) opens as the new version.

import { busy } from "./acts.js";

const $ = (sel) => document.querySelector(sel);

export class Poster {
  constructor(ctx) {
    this.ctx = ctx;
    $("#layout-form").addEventListener("submit", (e) => { e.preventDefault(); this.submit(e.submitter); });
  }

  open() {}

  relabel() {}

  async submit(button) {
    const v = this.ctx.current();
    const f = $("#layout-form");
    const title = f.title.value.trim();
    if (!v || !title) return;
    const body = { format: f.format.value, title };
    if (f.subtitle.value.trim()) body.subtitle = f.subtitle.value.trim();
    await busy(button, () => this.ctx.run(`/api/versions/${v.id}/layout`, body, 1));
  }
}
