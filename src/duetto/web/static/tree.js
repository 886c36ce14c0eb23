// tree.js — the version DAG as SVG: one row per generation (depth), branches as curved edges,
// click a node to open that version.

const NS = "http://www.w3.org/2000/svg";
const W = 78, H = 56, R = 13;

function el(name, attrs) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

// versions: [{id, parents, operation, author_kind}] in creation order.
export function drawTree(host, versions, { selected, onOpen }) {
  const depth = new Map();
  for (const v of versions) {
    const ds = v.parents.filter((p) => depth.has(p)).map((p) => depth.get(p));
    depth.set(v.id, ds.length ? Math.max(...ds) + 1 : 0);
  }
  const rows = new Map();
  const pos = new Map();
  for (const v of versions) {
    const d = depth.get(v.id);
    const col = rows.get(d) || 0;
    rows.set(d, col + 1);
    pos.set(v.id, { x: col * W + W / 2, y: d * H + H / 2 });
  }
  const width = Math.max(1, ...rows.values()) * W, height = Math.max(1, rows.size) * H;
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img" });
  for (const v of versions) {
    for (const p of v.parents) {
      if (!pos.has(p)) continue;
      const a = pos.get(p), b = pos.get(v.id), my = (a.y + b.y) / 2;
      svg.append(el("path", { d: `M${a.x},${a.y} C${a.x},${my} ${b.x},${my} ${b.x},${b.y}`, class: "edge" }));
    }
  }
  versions.forEach((v, i) => {
    const { x, y } = pos.get(v.id);
    const g = el("g", { class: `node ${v.author_kind}${v.id === selected ? " selected" : ""}`, tabindex: 0,
                        "data-version": v.id });
    const title = el("title", {});
    title.textContent = `${v.id.slice(0, 10)} · ${v.operation} · ${v.author}`;
    g.append(title, el("circle", { cx: x, cy: y, r: R }));
    const label = el("text", { x, y: y + 4, "text-anchor": "middle" });
    label.textContent = String(v.seq ?? i + 1);
    g.append(label);
    g.addEventListener("click", () => onOpen(v.id));
    g.addEventListener("keydown", (e) => { if (e.key === "Enter") onOpen(v.id); });
    svg.append(g);
  });
  host.replaceChildren(svg);
}
