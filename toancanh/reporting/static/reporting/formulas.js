// The formula language of report forms, in the browser: the same language and the same results as
// toancanh/reporting/formulas.py and sheet.py (read their docstrings for the language). Keep the two
// in step: tests/test_formulas_js.py runs generated forms through both and compares exactly.

export class FormulaError extends Error {}

const err = (code) => Object.freeze({ error: code });
export const DIV0 = err("#DIV/0!");
export const REF = err("#REF!");
export const VALUE = err("#VALUE!");
export const NUM = err("#NUM!");
export const isError = (v) => v !== null && typeof v === "object" && "error" in v;

const AGGREGATES = new Set(["SUM", "AVERAGE", "MIN", "MAX", "AND", "OR"]);
const SHIFTS = new Set(["PREV", "LASTYEAR", "YTD"]);
const ARITY = { ROUND: [1, 2], ABS: [1, 1], IF: [2, 3], IFERROR: [2, 2], NOT: [1, 1] };
for (const n of AGGREGATES) ARITY[n] = [1, 255];
for (const n of SHIFTS) ARITY[n] = [1, 1];

const TOKEN =
  /\s*(?:(?<num>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)|(?<ref>\[[^\[\]]*\](?:\.[A-Za-z0-9_]+)?)|(?<str>"(?:[^"]|"")*")|(?<name>[A-Za-z_][A-Za-z0-9_]*)|(?<op><>|<=|>=|[-+*/^&=<>%(),;]))/y;
const CELL = /^\s*([A-Za-z0-9_.]+?)\.([A-Za-z0-9_]+)\s*$/;
const ROW = /^\s*([A-Za-z0-9_.]+)\s*$/;

export function tokenize(source) {
  const tokens = [];
  const text = source.trim();
  let pos = text.startsWith("=") ? 1 : 0;
  while (pos < text.length) {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m || TOKEN.lastIndex === pos) {
      if (text.slice(pos).trim() === "") break;
      throw new FormulaError(`Không hiểu “${text.slice(pos).trim().slice(0, 20)}” trong công thức.`);
    }
    const kind = Object.keys(m.groups).find((k) => m.groups[k] !== undefined);
    tokens.push([kind, m.groups[kind]]);
    pos = TOKEN.lastIndex;
  }
  tokens.push(["end", ""]);
  return tokens;
}

function reference(text) {
  const close = text.indexOf("]");
  const inside = text.slice(1, close);
  const col = text.slice(close + 2);
  if (inside.includes(":")) {
    const i = inside.indexOf(":");
    const first = inside.slice(0, i);
    const last = inside.slice(i + 1);
    if (col && ROW.test(first) && ROW.test(last)) return { t: "range", first: first.trim(), last: last.trim(), col };
  } else if (col && ROW.test(inside)) {
    return { t: "ref", row: inside.trim(), col };
  } else if (!col) {
    const m = CELL.exec(inside);
    if (m) return { t: "ref", row: m[1], col: m[2] };
  }
  throw new FormulaError(`“${text}” không phải tham chiếu ô: viết [DÒNG.CỘT] hoặc [DÒNG1:DÒNG2].CỘT.`);
}

const BINARY = { "=": 10, "<>": 10, "<": 10, "<=": 10, ">": 10, ">=": 10, "&": 20, "+": 30, "-": 30, "*": 40, "/": 40, "^": 50 };
const PERCENT = 60;
const PREFIX = 70;

export function parse(text) {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = () => tokens[pos++];
  const expect = (value) => {
    const [kind, t] = take();
    if (t !== value || kind !== "op") throw new FormulaError(`Thiếu “${value}” trong công thức (gặp “${t}”).`);
  };
  function expression(minBp) {
    let node = prefix();
    for (;;) {
      const [kind, op] = peek();
      if (kind !== "op") {
        if (kind !== "end") throw new FormulaError(`Thiếu phép toán trước “${op}”.`);
        return node;
      }
      if (op === "%" && PERCENT > minBp) {
        take();
        node = { t: "unary", op: "%", operand: node };
        continue;
      }
      const bp = BINARY[op];
      if (bp === undefined || bp <= minBp) return node;
      take();
      node = { t: "binary", op, left: node, right: expression(bp) };
    }
  }
  function prefix() {
    const [kind, text] = take();
    if (kind === "num") return { t: "num", value: Number(text) };
    if (kind === "str") return { t: "str", value: text.slice(1, -1).replaceAll('""', '"') };
    if (kind === "ref") return reference(text);
    if (kind === "op" && (text === "-" || text === "+")) return { t: "unary", op: text, operand: expression(PREFIX) };
    if (kind === "op" && text === "(") {
      const node = expression(0);
      expect(")");
      return node;
    }
    if (kind === "name") {
      const name = text.toUpperCase();
      if ((name === "TRUE" || name === "FALSE") && peek()[1] !== "(") return { t: "bool", value: name === "TRUE" };
      if (!(name in ARITY)) throw new FormulaError(`Không có hàm ${text}.`);
      expect("(");
      const args = [];
      if (peek()[1] !== ")") {
        args.push(expression(0));
        while (peek()[1] === "," || peek()[1] === ";") {
          take();
          args.push(expression(0));
        }
      }
      expect(")");
      const [least, most] = ARITY[name];
      if (args.length < least || args.length > most) throw new FormulaError(`Hàm ${name} nhận từ ${least} đến ${most} đối số.`);
      if (SHIFTS.has(name)) {
        if (args[0].t !== "ref" && args[0].t !== "range") throw new FormulaError(`Hàm ${name}() nhận một tham chiếu ô hoặc một khoảng dòng.`);
        return { t: "shift", kind: name, ref: args[0] };
      }
      return { t: "call", name, args };
    }
    if (kind === "end") throw new FormulaError("Công thức kết thúc quá sớm.");
    throw new FormulaError(`Không hiểu “${text}” trong công thức.`);
  }
  if (peek()[0] === "end") throw new FormulaError("Công thức trống.");
  const node = expression(0);
  if (peek()[0] !== "end") throw new FormulaError(`Không hiểu “${peek()[1]}” trong công thức.`);
  return node;
}

// --- values ------------------------------------------------------------------------------------

const NUMERIC = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const isNumber = (v) => typeof v === "number";

export function toNumber(v) {
  if (isError(v)) return v;
  if (v === null || v === undefined) return 0;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (isNumber(v)) return v;
  if (typeof v === "string" && NUMERIC.test(v)) return Number(v);
  return VALUE;
}

export function toBool(v) {
  if (isError(v)) return v;
  if (v === null || v === undefined) return false;
  if (typeof v === "boolean") return v;
  if (isNumber(v)) return v !== 0;
  if (typeof v === "string" && (v.toUpperCase() === "TRUE" || v.toUpperCase() === "FALSE")) return v.toUpperCase() === "TRUE";
  return VALUE;
}

function toText(v) {
  if (isError(v)) return v;
  if (v === null || v === undefined) return "";
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (isNumber(v)) return String(v);
  return String(v);
}

const finite = (x) => (Number.isFinite(x) ? (x === 0 ? 0 : x) : NUM);

export function ipow(base, n) {
  const negative = n < 0;
  n = Math.abs(n);
  let result = 1;
  while (n) {
    if (n % 2 === 1) result *= base;
    n = Math.floor(n / 2);
    if (n) base *= base;
  }
  return negative ? 1 / result : result;
}

function power(a, b) {
  if (a === 0 && b < 0) return DIV0;
  if (b === Math.trunc(b) && Math.abs(b) <= 1000000) return finite(ipow(a, b));
  if (a < 0) return NUM;
  return finite(Math.pow(a, b));
}

export function excelRound(x, digits) {
  const d = Math.trunc(digits);
  const factor = ipow(10, Math.abs(d));
  let y = d >= 0 ? Math.abs(x) * factor : Math.abs(x) / factor;
  if (!Number.isFinite(y)) return NUM;
  y = Number(y.toPrecision(15));
  let r = Math.floor(y + 0.5);
  r = d >= 0 ? r / factor : r * factor;
  return finite(x < 0 ? -r : r);
}

const rank = (v) => (typeof v === "boolean" ? 2 : typeof v === "string" ? 1 : 0);

function compare(op, a, b) {
  if (isError(a)) return a;
  if (isError(b)) return b;
  if (a === null || a === undefined) a = typeof b === "string" ? "" : typeof b === "boolean" ? false : 0;
  if (b === null || b === undefined) b = typeof a === "string" ? "" : typeof a === "boolean" ? false : 0;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) {
    a = ra;
    b = rb;
  } else if (ra === 1) {
    a = a.toLowerCase();
    b = b.toLowerCase();
  }
  switch (op) {
    case "=": return a === b;
    case "<>": return a !== b;
    case "<": return a < b;
    case "<=": return a <= b;
    case ">": return a > b;
    default: return a >= b;
  }
}

// --- the sheet -----------------------------------------------------------------------------------

export class Layout {
  constructor(rows, columns) {
    this.rows = rows;
    this.columns = columns;
    this.rowIndex = new Map(rows.map((r, i) => [r, i]));
    this.colSet = new Set(columns);
  }
  has(ref) {
    return this.rowIndex.has(ref.row) && this.colSet.has(ref.col);
  }
  expand(rng) {
    if (!this.rowIndex.has(rng.first) || !this.rowIndex.has(rng.last) || !this.colSet.has(rng.col)) return null;
    const [a, b] = [this.rowIndex.get(rng.first), this.rowIndex.get(rng.last)].sort((x, y) => x - y);
    return this.rows.slice(a, b + 1).map((row) => ({ t: "ref", row, col: rng.col }));
  }
  keys() {
    return this.rows.flatMap((r) => this.columns.map((c) => `${r}.${c}`));
  }
}

const keyOf = (ref) => `${ref.row}.${ref.col}`;

function refsOf(node, currentOnly, out = []) {
  switch (node.t) {
    case "shift":
      if (node.kind === "YTD" || !currentOnly) out.push(node.ref);
      break;
    case "ref":
    case "range":
      out.push(node);
      break;
    case "unary":
      refsOf(node.operand, currentOnly, out);
      break;
    case "binary":
      refsOf(node.left, currentOnly, out);
      refsOf(node.right, currentOnly, out);
      break;
    case "call":
      for (const a of node.args) refsOf(a, currentOnly, out);
      break;
  }
  return out;
}

/** Parse every formula, order the cells; a cycle throws naming its cells (the server refuses it first). */
export function compileSheet(layout, formulas) {
  const asts = new Map();
  for (const [key, text] of Object.entries(formulas)) asts.set(key, parse(text));
  const depends = new Map();
  for (const [key, node] of asts) {
    const deps = [];
    for (const ref of refsOf(node, true)) {
      const cells = ref.t === "ref" ? [ref] : layout.expand(ref) || [];
      for (const c of cells) if (asts.has(keyOf(c))) deps.push(keyOf(c));
    }
    depends.set(key, [...new Set(deps)]);
  }
  const order = [];
  const state = new Map();
  for (const start of layout.keys().filter((k) => depends.has(k))) {
    if (state.get(start)) continue;
    const stack = [[start, 0]];
    const path = [start];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const deps = depends.get(top[0]);
      if (top[1] < deps.length) {
        const next = deps[top[1]++];
        if (state.get(next) === 1) {
          const cycle = [...path.slice(path.indexOf(next)), next].map((k) => `[${k}]`);
          throw new FormulaError(`Công thức của ô [${next}] tạo thành vòng lặp: ${cycle.join(" → ")}.`);
        }
        if (!state.get(next)) {
          state.set(next, 1);
          stack.push([next, 0]);
          path.push(next);
        }
      } else {
        stack.pop();
        path.pop();
        state.set(top[0], 2);
        order.push(top[0]);
      }
    }
  }
  return { layout, formulas: asts, order, depends };
}

const clean = (v) => (isNumber(v) ? (v === 0 ? 0 : v) : v === undefined ? null : v);

/** Every cell's value: entered values plus the formula cells computed in order. */
export function evaluateSheet(sheet, inputs, shifts = {}) {
  const values = new Map();
  for (const [k, v] of Object.entries(inputs)) if (!sheet.formulas.has(k)) values.set(k, clean(v));
  const ev = new Evaluator(sheet.layout, values, shifts);
  for (const key of sheet.order) {
    const result = ev.value(sheet.formulas.get(key));
    values.set(key, result === null || result === undefined ? 0 : result);
  }
  return values;
}

class Evaluator {
  constructor(layout, values, shifts) {
    this.layout = layout;
    this.values = values;
    this.shifts = shifts;
  }
  cell(ref, shift = null) {
    if (!this.layout.has(ref)) return REF;
    const key = keyOf(ref);
    if (shift === null) return clean(this.values.get(key));
    if (shift === "YTD") {
      const before = clean((this.shifts.YTD || {})[key]);
      const now = clean(this.values.get(key));
      if (before === null && now === null) return null;
      const a = toNumber(before);
      const b = toNumber(now);
      if (isError(a)) return a;
      return isError(b) ? b : finite(a + b);
    }
    return clean((this.shifts[shift] || {})[key]);
  }
  cells(node, shift = null) {
    const refs = node.t === "ref" ? [node] : this.layout.expand(node);
    if (refs === null) return REF;
    return refs.map((r) => this.cell(r, shift));
  }
  value(node) {
    switch (node.t) {
      case "num":
      case "str":
      case "bool":
        return node.value;
      case "ref":
        return this.cell(node);
      case "range":
        return VALUE;
      case "shift":
        return node.ref.t === "range" ? VALUE : this.cell(node.ref, node.kind);
      case "unary": {
        const v = this.value(node.operand);
        if (node.op === "+") return v;
        const n = toNumber(v);
        if (isError(n)) return n;
        return finite(node.op === "-" ? -n : n / 100);
      }
      case "binary":
        return this.binary(node);
      default:
        return this.call(node);
    }
  }
  binary(node) {
    const a = this.value(node.left);
    const b = this.value(node.right);
    const op = node.op;
    if (["=", "<>", "<", "<=", ">", ">="].includes(op)) return compare(op, a, b);
    if (op === "&") {
      const ta = toText(a);
      const tb = toText(b);
      if (isError(ta)) return ta;
      return isError(tb) ? tb : ta + tb;
    }
    const x = toNumber(a);
    const y = toNumber(b);
    if (isError(x)) return x;
    if (isError(y)) return y;
    if (op === "+") return finite(x + y);
    if (op === "-") return finite(x - y);
    if (op === "*") return finite(x * y);
    if (op === "/") return y === 0 ? DIV0 : finite(x / y);
    return power(x, y);
  }
  collect(args, logical) {
    const out = [];
    for (const arg of args) {
      if (arg.t === "ref" || arg.t === "range" || arg.t === "shift") {
        const items = arg.t === "shift" ? this.cells(arg.ref, arg.kind) : this.cells(arg);
        if (isError(items)) return items;
        for (const v of items) {
          if (isError(v)) return v;
          if (isNumber(v) || (logical && typeof v === "boolean")) out.push(v);
        }
      } else {
        const v = logical ? toBool(this.value(arg)) : toNumber(this.value(arg));
        if (isError(v)) return v;
        out.push(v);
      }
    }
    return out;
  }
  call(node) {
    const { name, args } = node;
    if (name === "IF") {
      const c = toBool(this.value(args[0]));
      if (isError(c)) return c;
      if (c) return this.value(args[1]);
      return args.length > 2 ? this.value(args[2]) : false;
    }
    if (name === "IFERROR") {
      const v = this.value(args[0]);
      return isError(v) ? this.value(args[1]) : v;
    }
    if (name === "AND" || name === "OR") {
      const items = this.collect(args, true);
      if (isError(items)) return items;
      if (!items.length) return VALUE;
      const truth = items.map((v) => Boolean(v));
      return name === "AND" ? truth.every((t) => t) : truth.some((t) => t);
    }
    if (name === "NOT") {
      const c = toBool(this.value(args[0]));
      return isError(c) ? c : !c;
    }
    if (["SUM", "AVERAGE", "MIN", "MAX"].includes(name)) {
      const items = this.collect(args, false);
      if (isError(items)) return items;
      if (name === "SUM" || name === "AVERAGE") {
        let total = 0;
        for (const v of items) total += v;
        if (name === "SUM") return finite(total);
        return items.length ? finite(total / items.length) : DIV0;
      }
      if (!items.length) return 0;
      return name === "MIN" ? Math.min(...items) : Math.max(...items);
    }
    const x = toNumber(this.value(args[0]));
    if (isError(x)) return x;
    if (name === "ABS") return Math.abs(x);
    const digits = args.length > 1 ? toNumber(this.value(args[1])) : 0;
    if (isError(digits)) return digits;
    return excelRound(x, digits);
  }
}

/** One formula over a form's values (validation rules beside the cell). */
export function evaluateFormula(text, layout, values, shifts = {}) {
  const map = values instanceof Map ? values : new Map(Object.entries(values).map(([k, v]) => [k, clean(v)]));
  return new Evaluator(layout, map, shifts).value(parse(text));
}
