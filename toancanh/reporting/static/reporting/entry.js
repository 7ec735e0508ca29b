// The report entry grid: arrows, Enter and Tab move between cells; a paste of cells copied from
// Excel (tab-separated lines) fills the grid from the current cell; formula results and checks are
// shown beside the cells as the clerk types, with formulas.js (the same evaluator as the server's).
import { Layout, compileSheet, evaluateSheet, evaluateFormula, isError } from "./formulas.js";

const form = document.getElementById("report-form");
const specNode = document.getElementById("report-spec");

// A number as a clerk types it; the same rules as forms._parse_number on the server.
const GROUPED = /^[+-]?\d{1,3}(\.\d{3})+$/;
export function parseNumber(raw) {
  let text = String(raw).trim().replaceAll(" ", "").replaceAll("\u00a0", "");
  if (!text) return null;
  if (GROUPED.test(text)) text = text.replaceAll(".", "");
  else if (text.includes(",") && text.includes(".")) {
    text = text.lastIndexOf(",") > text.lastIndexOf(".") ? text.replaceAll(".", "").replace(",", ".") : text.replaceAll(",", "");
  } else if (text.includes(",")) text = text.replace(",", ".");
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

const show = (v) => {
  if (v === null || v === undefined) return "";
  if (isError(v)) return v.error;
  if (typeof v === "number") return v.toLocaleString("vi-VN", { maximumFractionDigits: 6 });
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  return String(v);
};

if (form && specNode) {
  const spec = JSON.parse(specNode.textContent);
  const layout = new Layout(spec.rows, spec.columns);
  const formulas = Object.fromEntries(Object.entries(spec.cells).filter(([, c]) => c.formula).map(([k, c]) => [k, c.formula]));
  const sheet = compileSheet(layout, formulas);
  const inputs = [...form.querySelectorAll("input[data-key]")];
  const numeric = (key) => ["number", "integer", "percent"].includes((spec.cells[key] || { type: "number" }).type);
  const rulesList = form.querySelector(".report-rules");

  function recompute() {
    const values = {};
    for (const input of inputs) {
      const key = input.dataset.key;
      const msg = form.querySelector(`[data-msg="${CSS.escape(key)}"]`);
      const cell = spec.cells[key] || {};
      let problem = "";
      if (numeric(key)) {
        const n = parseNumber(input.value);
        if (n === undefined) problem = "Không phải là số";
        else if (n !== null && cell.type === "integer" && !Number.isInteger(n)) problem = "Cần số nguyên";
        else if (n !== null && cell.min !== null && cell.min !== undefined && n < cell.min) problem = `Nhỏ hơn ${cell.min}`;
        else if (n !== null && cell.max !== null && cell.max !== undefined && n > cell.max) problem = `Lớn hơn ${cell.max}`;
        values[key] = n === undefined ? input.value : n;
      } else values[key] = input.value.trim() === "" ? null : input.value;
      if (msg) msg.textContent = problem;
      input.classList.toggle("invalid", Boolean(problem));
      input.setAttribute("aria-invalid", problem ? "true" : "false");
    }
    const computed = evaluateSheet(sheet, values, spec.shifts);
    for (const out of form.querySelectorAll("output[data-key]")) {
      const v = computed.get(out.dataset.key);
      out.textContent = show(v);
      out.classList.toggle("invalid", isError(v));
    }
    rulesList.replaceChildren();
    const all = Object.fromEntries(computed);
    for (const rule of spec.rules) {
      let ok;
      try {
        ok = evaluateFormula(rule.expression, layout, all, spec.shifts) === true;
      } catch {
        ok = true;
      }
      if (!ok) {
        const li = document.createElement("li");
        li.textContent = rule.message;
        li.className = rule.blocking ? "blocking" : "warning";
        rulesList.append(li);
      }
    }
  }

  // --- keyboard navigation over the entry cells, as in a spreadsheet -------------------------------
  const position = (input) => {
    const td = input.closest("td");
    return { row: td.parentElement.rowIndex, col: td.cellIndex };
  };
  const at = new Map(inputs.map((i) => [`${position(i).row}:${position(i).col}`, i]));
  const rowsOf = [...new Set(inputs.map((i) => position(i).row))].sort((a, b) => a - b);
  const colsOf = [...new Set(inputs.map((i) => position(i).col))].sort((a, b) => a - b);

  function move(input, dRow, dCol) {
    const { row, col } = position(input);
    let r = rowsOf.indexOf(row);
    let c = colsOf.indexOf(col);
    for (let step = 0; step < rowsOf.length * colsOf.length; step++) {
      r += dRow;
      c += dCol;
      if (r < 0 || r >= rowsOf.length || c < 0 || c >= colsOf.length) return;
      const next = at.get(`${rowsOf[r]}:${colsOf[c]}`);
      if (next) {
        next.focus();
        next.select();
        return;
      }
    }
  }

  form.addEventListener("keydown", (event) => {
    const input = event.target.closest("input[data-key]");
    if (!input) return;
    const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const atEnd = input.selectionStart === input.value.length;
    const whole = input.selectionStart === 0 && input.selectionEnd === input.value.length;
    if (event.key === "ArrowDown" || (event.key === "Enter" && !event.shiftKey)) move(input, 1, 0);
    else if (event.key === "ArrowUp" || (event.key === "Enter" && event.shiftKey)) move(input, -1, 0);
    else if (event.key === "ArrowRight" && (atEnd || whole)) move(input, 0, 1);
    else if (event.key === "ArrowLeft" && (atStart || whole)) move(input, 0, -1);
    else return;
    event.preventDefault();
  });

  // --- paste a block copied from Excel -----------------------------------------------------------
  form.addEventListener("paste", (event) => {
    const input = event.target.closest("input[data-key]");
    const text = event.clipboardData && event.clipboardData.getData("text/plain");
    if (!input || input.readOnly || !text || !/[\t\n]/.test(text.replace(/\r?\n$/, ""))) return;
    event.preventDefault();
    const lines = text.replace(/\r/g, "").replace(/\n$/, "").split("\n");
    const { row, col } = position(input);
    const r0 = rowsOf.indexOf(row);
    const c0 = colsOf.indexOf(col);
    lines.forEach((line, i) => {
      line.split("\t").forEach((value, j) => {
        const target = at.get(`${rowsOf[r0 + i]}:${colsOf[c0 + j]}`);
        if (target && !target.readOnly) target.value = value.trim();
      });
    });
    recompute();
  });

  form.addEventListener("input", recompute);
  recompute();
}
