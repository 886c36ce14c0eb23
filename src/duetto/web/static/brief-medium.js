// brief-medium.js — the brief box's media: "auto" (the default) sends no media, and the server
// reads the medium from the brief; ticking a medium unticks auto, unticking every medium ticks
// it again. After a new work the server's note says which words decided ("medium: poem (from
// "七言绝句")"); it is shown under the box in the page's language.

import { t } from "./i18n.js";

const $ = (sel) => document.querySelector(sel);

export class BriefMedium {
  constructor() {
    this.note = null;  // the server's last "medium: …" note
    const boxes = () => [...document.querySelectorAll("#brief-form input[name=media]")];
    boxes().forEach((box) => box.addEventListener("change", () => {
      const auto = boxes().find((b) => b.value === "auto");
      if (box === auto && auto.checked) boxes().forEach((b) => { if (b !== auto) b.checked = false; });
      else if (box !== auto && box.checked) auto.checked = false;
      if (!boxes().some((b) => b.checked)) auto.checked = true;
    }));
  }

  // The media the person ticked, or null for auto.
  chosen() {
    const media = [...document.querySelectorAll("#brief-form input[name=media]:checked")]
      .map((x) => x.value).filter((m) => m !== "auto");
    return media.length ? media : null;
  }

  // The job's notes: keep the one that says how the medium was read, if any.
  show(notes) {
    this.note = (notes || []).find((n) => n.startsWith("medium: ")) || null;
    this.draw();
  }

  draw() {
    const box = $("#brief-note");
    box.hidden = !this.note;
    if (!this.note) return;
    const m = this.note.match(/^medium: (.+?) \((.*)\)$/);
    if (!m) { box.textContent = this.note; return; }
    const media = m[1].split(" + ").map((x) => t(`medium.${x}`)).join(" + ");
    const words = [...m[2].matchAll(/"([^"]+)"/g)].map((w) => `“${w[1]}”`);
    box.textContent = /^from /.test(m[2]) && words.length
      ? t("brief.autoFrom", { media, words: words.join(t("brief.and")) }) : t("brief.autoDefault", { media });
  }
}
