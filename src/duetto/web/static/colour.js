// colour.js — palettes and recolouring of a picture.
//   palette:  POST /api/palette {source: "#hex" | mood word, harmony?, project} → rows of swatches
//             POST /api/palette {version, harmony?}                           → the picture's own colours
//   recolour: POST /api/versions/{id}/recolour {palette: [hex…]}  (one row, one click)
//             POST /api/versions/{id}/recolour {harmony, base}    (a harmony of a chosen colour)

import { api } from "./api.js";
import { busy } from "./acts.js";
import { lang, t, tOr } from "./i18n.js";
import { node } from "./media.js";
import { can } from "./roles.js";

// The API's harmony names → their i18n keys (a key cannot hold a hyphen).
const HARMONIES = { complementary: "complementary", analogous: "analogous", triadic: "triadic",
                    "split-complementary": "split", tetradic: "tetradic", monochrome: "monochrome" };

const $ = (sel) => document.querySelector(sel);

export class Colour {
  constructor(ctx) {
    this.ctx = ctx;
    this.result = null;  // the last palette answer, redrawn when the language changes
    $("#palette-from-colour").addEventListener("click", (e) => this.palette(e.currentTarget, false));
    $("#palette-from-picture").addEventListener("click", (e) => this.palette(e.currentTarget, true));
    $("#recolour-harmony").addEventListener("click", (e) => this.recolour(e.currentTarget, this.harmonyBody()));
  }

  open() { this.result = null; $("#palette-rows").replaceChildren(); }

  relabel() { if (this.result) this.draw(); }

  harmony() { return $("#palette-harmony").value || null; }

  // The colour field, or a mood word typed beside it ("平静", "calm").
  source() { return $("#palette-mood").value.trim() || $("#palette-colour").value; }

  harmonyBody() {
    return { harmony: this.harmony() || "complementary", base: this.source() };
  }

  async palette(button, ofPicture) {
    const v = this.ctx.current();
    if (!v) return;
    const body = ofPicture ? { version: v.id } : { source: this.source(), project: this.ctx.project() };
    if (this.harmony()) body.harmony = this.harmony();
    try {
      this.result = await busy(button, () => api("/api/palette", { method: "POST", body }));
      this.draw();
    } catch (err) { this.ctx.fail(err); }
  }

  label(row) {
    if (!row.harmony) return t("palette.extracted");
    return tOr(`harmony.${HARMONIES[row.harmony]}`, row.harmony);
  }

  draw() {
    const zh = lang() === "zh";
    const maker = can(this.ctx.role(), "create");
    $("#palette-rows").replaceChildren(...this.result.rows.map((row) => {
      const swatches = row.swatches.map((s) => {
        const name = zh ? s.name_zh : s.name_en;
        const share = s.share ? ` · ${Math.round(s.share * 100)}%` : "";
        const chip = node("span", { class: "chip", "data-hex": s.hex, title: `${name} ${s.hex}${share}` });
        chip.style.background = s.hex;
        return chip;
      });
      const li = node("li", { class: "palette-row", "data-harmony": row.harmony || "extracted" },
                      node("span", { class: "label" }, this.label(row)), node("span", { class: "chips" }, ...swatches));
      if (maker) {
        const use = node("button", { type: "button", class: "use" }, t("recolour.useRow"));
        use.dataset.act = "recolour";
        use.addEventListener("click", () => this.recolour(use, { palette: row.swatches.map((s) => s.hex) }));
        li.append(use);
      }
      return li;
    }));
  }

  async recolour(button, body) {
    const v = this.ctx.current();
    if (!v) return;
    await busy(button, () => this.ctx.run(`/api/versions/${v.id}/recolour`, body, 1));
  }
}
