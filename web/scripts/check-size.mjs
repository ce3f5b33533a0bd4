// Fails when the gzipped JavaScript of the built SPA exceeds its budget.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 250 * 1024;
const assets = join(import.meta.dirname, "..", "dist", "assets");

let files;
try {
  files = readdirSync(assets).filter((name) => name.endsWith(".js"));
} catch {
  console.error("dist/assets is missing: run `npm run build` first");
  process.exit(2);
}
let total = 0;
for (const name of files) {
  const size = gzipSync(readFileSync(join(assets, name)), { level: 9 }).length;
  total += size;
  console.log(`${name}\t${(size / 1024).toFixed(1)} kB gzip`);
}
const verdict = total <= BUDGET_BYTES ? "within" : "over";
console.log(`total\t${(total / 1024).toFixed(1)} kB gzip, ${verdict} the ${BUDGET_BYTES / 1024} kB budget`);
process.exit(total <= BUDGET_BYTES ? 0 : 1);
