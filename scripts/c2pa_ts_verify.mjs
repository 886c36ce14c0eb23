// An independent C2PA reader for the tests: TrustNXT's pure-TypeScript c2pa-ts (npm
// @trustnxt/c2pa-ts, Apache-2.0), no code shared with c2pa-rs. It reads JPEG, PNG, HEIF and MP3
// (not WAV, WebP, GIF or sidecars) and validates signatures and hashes, but not the chain of
// trust. Prints one JSON object: {format, valid, codes, manifest, actions, title}.
//   node scripts/c2pa_ts_verify.mjs <node_modules dir> <file>
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

const [modules, file] = process.argv.slice(2);
const load = (sub) => import(pathToFileURL(path.join(modules, "@trustnxt/c2pa-ts/dist", sub, "index.js")).href);
const { JPEG, PNG, BMFF, MP3 } = await load("asset");
const { SuperBox } = await load("jumbf");
const { ManifestStore, ValidationResult } = await load("manifest");

const buf = new Uint8Array(await fs.readFile(file));
const kinds = [["jpeg", JPEG], ["png", PNG], ["bmff", BMFF], ["mp3", MP3]];
const found = kinds.find(([, K]) => K && K.canRead(buf));
if (!found) { console.log(JSON.stringify({ format: null, valid: false, codes: ["unsupported format"] })); process.exit(0); }
const asset = new found[1](buf);
const jumbf = asset.getManifestJUMBF();
if (!jumbf) { console.log(JSON.stringify({ format: found[0], valid: false, codes: ["no manifest"] })); process.exit(0); }
let result, store = null;
try {
  store = ManifestStore.read(SuperBox.fromBuffer(jumbf));
  result = await store.validate(asset);
} catch (e) {
  result = ValidationResult.fromError(e);
}
const active = store ? store.getActiveManifest() : null;
const actions = [];
for (const a of (active && active.assertions && active.assertions.assertions) || []) {
  for (const act of a.actions || []) actions.push(act.action);
}
console.log(JSON.stringify({
  format: found[0], valid: result.isValid, codes: result.statusEntries.map((s) => s.code),
  manifest: active ? active.label : null, actions,
}));
