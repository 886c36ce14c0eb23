// acts.js — which acts fit the open version. Each act's panel in the detail view names the kinds
// of version it is for (data-for="picture text" …); showFor() turns on the panels that fit, so a
// poem never offers a restyle and a picture never offers a form check. Roles are a separate
// matter (roles.js hides what the role cannot do); the two never touch the same attribute.
//   kinds: picture · poem · prose (story, script) · music; "text" = poem or prose; "any".

export function kindOf(v) {
  const mime = (v && v.mime) || "";
  if (mime.startsWith("image/")) return "picture";
  if (mime.startsWith("text/")) return v.spec && v.spec.medium === "poem" ? "poem" : "prose";
  if (mime === "audio/midi") return "music";
  return "other";
}

function fits(kind, wanted) {
  return wanted.split(/\s+/).some((w) => w === "any" || w === kind || (w === "text" && (kind === "poem" || kind === "prose")));
}

export function showFor(v, root = document) {
  const kind = kindOf(v);
  root.querySelectorAll("[data-for]").forEach((el) => {
    const on = fits(kind, el.dataset.for);
    if (!on && el.open) el.open = false;  // a panel that no longer fits closes, so its overlay goes too
    el.classList.toggle("on", on);
  });
}

// The bytes of a blob as base64, for an Upload in a JSON body ({name, data}).
export function base64Of(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

// Run an act from a button: the button is disabled until the act has finished, so a second
// click cannot send it twice.
export async function busy(button, work) {
  if (button) button.disabled = true;
  try { return await work(); } finally { if (button) button.disabled = false; }
}
