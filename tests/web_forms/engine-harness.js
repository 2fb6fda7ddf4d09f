// ODK's XForm engine (@getodk/xforms-engine, the engine inside ODK Web Forms) without its UI: the parity test loads an
// XForm, sets answers and reads which questions the form's own constraints and required conditions refuse, with
// their messages. Rebuild with `make web-forms-harness` after changing this file.
import { createInstance } from "@getodk/xforms-engine";

function walk(node, out) {
  out.push(node);
  for (const child of node.currentState.children ?? []) walk(child, out);
  return out;
}

function byPath(root) {
  // "/data/items[2]/quantity" → "items.1.quantity"; "/data/cleared_area_m2" → "cleared_area_m2".
  const found = {};
  for (const node of walk(root, [])) {
    const parts = node.currentState.reference.split("/").slice(2);
    const path = parts
      .map((part) => {
        const match = part.match(/^(.*)\[(\d+)\]$/);
        return match ? `${match[1]}.${Number(match[2]) - 1}` : part;
      })
      .join(".");
    found[path] = node;
  }
  return found;
}

// answers: {path: value}; repeats: {name: count} of repeat instances to have. Returns {path: [condition, message]}.
window.xformViolations = async (xml, answers, repeats, language) => {
  const form = await createInstance(xml, {
    form: {
      fetchFormAttachment: async () => new Response("name,label\n", { status: 200 }),
      missingResourceBehavior: "BLANK",
    },
  });
  const root = form.root ?? form;
  if (language) {
    const wanted = root.languages.find((l) => l.language.includes(`(${language})`));
    if (wanted) root.setLanguage(wanted);
  }
  for (const [name, count] of Object.entries(repeats)) {
    const range = byPath(root)[name];
    const existing = range.currentState.children.length;
    if (count > existing) range.addInstances(existing - 1, count - existing);
    if (count < existing) range.removeInstances(count, existing - count);
  }
  const nodes = byPath(root);
  for (const [path, value] of Object.entries(answers)) {
    const node = nodes[path];
    if (!node) throw new Error(`No question ${path}`);
    if (node.nodeType === "select") node.selectValues(value ? value.split(" ") : []);
    else node.setValue(value === "" && node.valueType !== "string" ? null : value);
  }
  const found = {};
  for (const entry of root.validationState.violations) {
    const path = Object.entries(byPath(root)).find(([, node]) => node.nodeId === entry.nodeId)?.[0] ?? entry.reference;
    found[path] = [entry.violation.condition, entry.violation.message?.asString ?? ""];
  }
  return found;
};
window.engineReady = true;
