// Prints, as JSON, what markwhen's own parser (@markwhen/parser, pinned in
// tests/browser/package.json) makes of each .mw file named on the command line:
// {"file": {"header": {...}, "events": [{start, end, title, tags, id, groups,
// line}], "messages": [...]}}.  Used by tests/test_markwhen.py (the differential
// test); "now" is fixed by the NOW environment variable so ranges ending in
// "now" compare.  Run with TZ=UTC so a file without a timezone reads in UTC.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "..", "browser", "package.json"));
const { parse } = require("@markwhen/parser");

function walk(node, groups, out, lineOf) {
  for (const child of node.children) {
    if (child.children) {
      walk(child, [...groups, child.title], out, lineOf);
    } else {
      out.push({
        line: lineOf(child.textRanges.whole.from),
        start: child.dateRangeIso.fromDateTimeIso,
        end: child.dateRangeIso.toDateTimeIso,
        title: child.firstLine.restTrimmed,
        tags: child.tags,
        id: child.id ?? null,
        groups,
        properties: child.properties,
      });
    }
  }
}

const result = {};
for (const path of process.argv.slice(2)) {
  const text = readFileSync(path, "utf-8");
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  const lineOf = (offset) => {
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
    return line + 1;
  };
  const parsed = parse(text, undefined, process.env.NOW || "2025-01-01T00:00:00Z");
  const events = [];
  walk(parsed.events, [], events, lineOf);
  result[path] = {
    header: parsed.header,
    events,
    messages: parsed.parseMessages.map((m) => ({ message: m.message, line: lineOf(m.pos[0]) })),
  };
}
process.stdout.write(JSON.stringify(result, null, 1) + "\n");
