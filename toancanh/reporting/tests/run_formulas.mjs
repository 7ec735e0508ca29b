// Reads forms as JSON on stdin, evaluates them with formulas.js, writes the results as JSON.
// Used by test_formulas_js.py (the server and the browser must agree exactly).
import { readFileSync } from "node:fs";
import { Layout, compileSheet, evaluateSheet, evaluateFormula, FormulaError } from "../static/reporting/formulas.js";

const cases = JSON.parse(readFileSync(0, "utf8"));
const out = cases.map((c) => {
  const layout = new Layout(c.rows, c.columns);
  try {
    if (c.single !== undefined) return { value: evaluateFormula(c.single, layout, c.inputs, c.shifts) };
    const sheet = compileSheet(layout, c.formulas);
    return { values: Object.fromEntries(evaluateSheet(sheet, c.inputs, c.shifts)) };
  } catch (e) {
    if (e instanceof FormulaError) return { refused: true };
    throw e;
  }
});
process.stdout.write(JSON.stringify(out));
