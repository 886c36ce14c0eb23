// shares.js — who holds what of the open version, and an amount divided by it:
//   shares  POST /api/versions/{id}/shares                      → {shares: [{payee, share, points, acts, holds_for}], …}
//   split   POST /api/versions/{id}/split {amount, currency}    → {rows: [{payee, share, amount}], amount, currency}
// The split's statement downloads as CSV, built here from the same rows the table shows.

import { api } from "./api.js";
import { busy } from "./acts.js";
import { t } from "./i18n.js";
import { node } from "./media.js";

const $ = (sel) => document.querySelector(sel);
const pct = (x, digits = 1) => `${(x * 100).toFixed(digits)}%`;

export class SharesPanel {
  constructor(ctx) {
    this.ctx = ctx;
    this.shown = null;  // the version id whose shares are on show
    this.held = null;   // the last shares and split answers, redrawn when the language changes
    this.split = null;
    $("#shares-go").addEventListener("click", (e) => this.load(e.currentTarget));
    $("#split-form").addEventListener("submit", (e) => { e.preventDefault(); this.divide(e.submitter); });
  }

  open(v) {
    if (this.shown !== v.id) {
      this.shown = null; this.held = null; this.split = null;
      $("#shares-out").replaceChildren(); $("#split-out").replaceChildren();
    }
  }

  relabel() { if (this.held) this.drawShares(); if (this.split) this.drawSplit(); }

  async load(button) {
    const v = this.ctx.current();
    if (!v) return;
    try {
      this.held = await busy(button, () => api(`/api/versions/${v.id}/shares`, { method: "POST" }));
      this.shown = v.id;
      this.drawShares();
    } catch (err) { this.ctx.fail(err); }
  }

  drawShares() {
    const s = this.held;
    const rows = s.shares.map((sh) => node("tr", {},
      node("td", {}, sh.payee, sh.holds_for.length
        ? node("span", { class: "muted small" }, " " + t("shares.holds", { who: sh.holds_for.join(", ") })) : ""),
      node("td", { class: "num" }, pct(sh.share)), node("td", { class: "num" }, String(sh.points))));
    $("#shares-out").replaceChildren(
      node("table", { class: "shares" }, node("thead", {}, node("tr", {}, node("th", {}, t("shares.payee")),
        node("th", { class: "num" }, t("shares.share")), node("th", { class: "num" }, t("shares.points")))), node("tbody", {}, ...rows)),
      node("p", { class: "muted small" }, t("shares.from", { acts: s.ledger.length })));
  }

  async divide(button) {
    const v = this.ctx.current();
    const f = $("#split-form");
    if (!v) return;
    try {
      this.split = await busy(button, () => api(`/api/versions/${v.id}/split`,
        { method: "POST", body: { amount: f.amount.value.trim(), currency: f.currency.value } }));
      this.shown = v.id;
      this.drawSplit();
    } catch (err) { this.ctx.fail(err); }
  }

  drawSplit() {
    const r = this.split;
    const rows = r.rows.map((row) => node("tr", {}, node("td", {}, row.payee),
      node("td", { class: "num" }, pct(row.share, 2)), node("td", { class: "num" }, row.amount)));
    rows.push(node("tr", { class: "total" }, node("td", {}, t("shares.total")), node("td", {}, ""), node("td", { class: "num" }, r.amount)));
    const quoted = (text) => `"${text.replaceAll('"', '""')}"`;
    const csv = ["payee,share,amount,currency",
      ...r.rows.map((row) => `${quoted(row.payee)},${row.share.toFixed(6)},${row.amount},${r.currency}`)].join("\n") + "\n";
    const link = node("a", { href: URL.createObjectURL(new Blob([csv], { type: "text/csv" })),
                             download: `split-${r.version.slice(0, 10)}.csv` }, t("shares.csv"));
    $("#split-out").replaceChildren(node("table", { class: "shares" }, node("thead", {}, node("tr", {},
      node("th", {}, t("shares.payee")), node("th", { class: "num" }, t("shares.share")), node("th", { class: "num" }, r.currency))),
      node("tbody", {}, ...rows)), link);
  }
}
