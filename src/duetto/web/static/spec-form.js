// spec-form.js — the brief's optional hand-set choices: colour swatches and the energy/density
// sliders, sent as the API's SpecChoices (they override what the brief's words imply). A slider
// starts "not set" and is left out until moved, so an untouched form changes nothing.
import { t } from "./i18n.js";
import { node } from "./media.js";

const MAX_COLOURS = 8;  // SpecChoices.colours max_length

// Swatches offered next to the brief: an i18n key for the name, and the colour sent as-is.
const SWATCHES = [
  ["red", "#d62828"], ["orange", "#f07f13"], ["gold", "#d4a017"], ["yellow", "#f2d024"],
  ["green", "#2a9d4b"], ["teal", "#00807f"], ["skyblue", "#4fa8e0"], ["blue", "#2563c9"],
  ["indigo", "#3f3aa0"], ["purple", "#7b3fa0"], ["pink", "#f2a0bd"], ["brown", "#7b4a2a"],
  ["ink", "#1c1c1c"], ["white", "#f5f5f0"],
];

function setSlider(row, value) {
  const input = row.querySelector("input"), out = row.querySelector("output");
  input.classList.toggle("unset", value === null);
  row.querySelector(".reset").hidden = value === null;
  if (value === null) { out.dataset.i18n = "spec.unset"; out.textContent = t("spec.unset"); return; }
  delete out.dataset.i18n;
  out.textContent = Number(value).toFixed(2);
}

export class SpecForm {
  constructor() { this.palette = []; }  // hex colours in the order they were clicked

  // Draw the swatches and wire the sliders; tooMany() is told when a ninth colour is refused.
  wire(tooMany) {
    document.querySelectorAll(".slider").forEach((row) => {
      row.querySelector("input").addEventListener("input", (e) => setSlider(row, e.target.value));
      row.querySelector(".reset").addEventListener("click", () => setSlider(row, null));
    });
    document.querySelector("#swatches").replaceChildren(...SWATCHES.map(([key, hex]) => {
      const b = node("button", { type: "button", class: "swatch", "data-i18n-title": `colour.${key}`,
                                 "data-hex": hex, "aria-pressed": "false" });
      b.title = t(`colour.${key}`);
      b.style.background = hex;
      b.addEventListener("click", () => this.toggle(hex, b, tooMany));
      return b;
    }));
  }

  toggle(hex, button, tooMany) {
    const i = this.palette.indexOf(hex);
    if (i >= 0) this.palette.splice(i, 1);
    else if (this.palette.length >= MAX_COLOURS) { tooMany(); return; }
    else this.palette.push(hex);
    button.setAttribute("aria-pressed", String(this.palette.includes(hex)));
  }

  // The choices as the API takes them, or null when nothing was chosen by hand.
  choices() {
    const out = {};
    if (this.palette.length) out.colours = this.palette.slice(0, MAX_COLOURS);
    for (const name of ["energy", "density"]) {
      const input = document.querySelector(`#${name}`);
      if (!input.classList.contains("unset")) out[name] = Number(input.value);
    }
    return Object.keys(out).length ? out : null;
  }
}
