// restyle.js — a picture restyled after one of the 26 built-in styles: the style sheet as
// thumbnails (one cell each of styles.svg, cut from the stylist's own sheet of the same picture,
// so no request is made per style) with their names, a strength slider, and the restyle act:
// POST /api/versions/{id}/restyle {style, strength}.

import { busy } from "./acts.js";
import { t } from "./i18n.js";
import { node } from "./media.js";

// The stylist's styles in index order (duetto.media.image.stylist.styles.STYLES); names in i18n.js.
export const STYLES = [
  "amber", "comic", "charcoal", "mosaic", "fresco", "tapestry", "etching", "fauve", "pastel", "embroidery",
  "terracotta", "gilded", "lavender", "expressionist", "porcelain", "stained_glass", "impressionist", "woven",
  "sepia", "starry_night", "ember", "pop_art", "woodcut", "nocturne", "cyanotype", "crosshatch",
];
const SHEET_COLUMNS = 13;  // styles.svg: two rows of 13 cells

const $ = (sel) => document.querySelector(sel);

export class Restyle {
  constructor(ctx) {
    this.ctx = ctx;
    this.style = null;
    const list = $("#styles");
    list.replaceChildren(...STYLES.map((name, i) => {
      const thumb = node("span", { class: "thumb" });
      thumb.style.setProperty("--col", String(i % SHEET_COLUMNS));
      thumb.style.setProperty("--row", String(Math.floor(i / SHEET_COLUMNS)));
      const b = node("button", { type: "button", class: "style", "data-style": name, "aria-pressed": "false" },
                     thumb, node("span", { class: "name", "data-i18n": `look.${name}` }, t(`look.${name}`)));
      b.addEventListener("click", () => this.pick(name));
      return b;
    }));
    const strength = $("#restyle-strength");
    strength.addEventListener("input", () => { $("#restyle-strength-out").textContent = Number(strength.value).toFixed(2); });
    $("#restyle-form").addEventListener("submit", (e) => { e.preventDefault(); this.submit(e.submitter); });
  }

  pick(name) {
    this.style = this.style === name ? null : name;
    document.querySelectorAll("#styles .style").forEach((b) => {
      b.setAttribute("aria-pressed", String(b.dataset.style === this.style));
    });
    $("#restyle-go").disabled = !this.style;
  }

  open() { $("#restyle-go").disabled = !this.style; }

  relabel() {}

  async submit(button) {
    const v = this.ctx.current();
    if (!v || !this.style) return;
    const body = { style: this.style, strength: Number($("#restyle-strength").value) };
    await busy(button, () => this.ctx.run(`/api/versions/${v.id}/restyle`, body, 1));
    $("#restyle-go").disabled = !this.style;
  }
}
