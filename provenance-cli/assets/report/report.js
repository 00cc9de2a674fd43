// provenance report: draws the run data embedded in #provenance-data as six views.
// Every text from the data goes in as a text node or an attribute, never as markup.
'use strict';
(() => {
const PAGE = 100, MAX_LINES = 20, POLL_MS = 2000;
const TABS = ['runs', 'compare', 'metrics', 'config', 'lineage', 'run'];
const SECTIONS = ['config', 'seeds', 'inputs', 'commit', 'dependencies', 'build', 'environment'];
const PALETTE = ['#1f6feb', '#d1495b', '#2a9d55', '#e08a00', '#8957e5', '#0f9aa8', '#b5478a', '#7a8a00', '#c2571a', '#56657a'];
const $ = id => document.getElementById(id);
const isObj = v => v != null && typeof v === 'object' && !Array.isArray(v);
const arr = v => (Array.isArray(v) ? v : []);
const obj = v => (isObj(v) ? v : {});
const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
const fin = v => typeof v === 'number' && Number.isFinite(v);
const int = n => Number(n).toLocaleString('en-US');
const coll = new Intl.Collator('en', { numeric: true });

// Builds an element: attributes holding a function become listeners, children that are not nodes become text.
function put(e, attrs, kids) {
  for (const k in attrs) {
    const v = attrs[k];
    if (v == null || v === false) continue;
    if (typeof v === 'function') e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of kids.flat(3)) if (c != null && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}
const h = (tag, attrs, ...kids) => put(document.createElement(tag), attrs || {}, kids);
const s = (tag, attrs, ...kids) => put(document.createElementNS('http://www.w3.org/2000/svg', tag), attrs || {}, kids);
const empty = msg => h('p', { class: 'empty' }, msg);
const runHref = k => '#run=' + encodeURIComponent(k);
const swatch = c => h('span', { class: 'sw', style: 'background:' + c });

function num(n) {
  if (!Number.isFinite(n) || Number.isInteger(n)) return String(n);
  const a = Math.abs(n);
  return a >= 1e-4 && a < 1e6 ? String(+n.toPrecision(6)) : n.toExponential(3);
}
const text = v => (v == null ? '' : typeof v === 'number' ? num(v) : typeof v === 'object' ? JSON.stringify(v) : String(v));
const statusWord = v => (v == null || v === '' ? 'unfinished' : String(v));
const statusCls = v => (v === 'ok' ? 'ok' : v === 'error' || v === 'panic' ? 'bad' : v == null || v === '' ? 'warn' : 'other');
const badge = v => h('span', { class: 'st st-' + statusCls(v) }, statusWord(v));
// ---- data ----
const tag = $('provenance-data');
// A live view (`provenance ui`) may be opened before any run is logged.
const NO_RUNS = tag && tag.getAttribute('data-live')
  ? 'No runs yet: they appear here as they are logged.'
  : 'Nothing to show: these logs hold no runs.';
const S = { tab: 'runs', run: null, sel: new Set(), filter: '', sort: null, desc: false, page: 0, showAll: false, metric: '', zoom: {} };
const parse = t => { try { return JSON.parse(t); } catch (e) { return undefined; } };
let D = prepare(parse(tag ? tag.textContent : ''));

// Reads the data once into the shapes the views use, tolerating missing or odd parts.
function prepare(raw) {
  const d = obj(raw), t = obj(d.table), lin = obj(d.lineage), runs = obj(d.runs), sessions = obj(d.sessions);
  // A session's sections (commit, dependencies, build, environment) are
  // written once for all its runs.
  for (const r of Object.values(runs)) {
    if (isObj(r) && isObj(sessions[r.session])) r.compare = { ...sessions[r.session], ...obj(r.compare) };
  }
  const P = {
    raw, bad: !isObj(raw), version: d.version, generated_at: d.generated_at, generator: d.generator,
    logs: arr(d.logs).map(String), options: obj(d.options),
    grouped: !!t.grouped, columns: arr(t.columns).map(String), rows: arr(t.rows).filter(isObj),
    runs, keys: Object.keys(runs).filter(k => isObj(runs[k])),
    series: arr(d.series).filter(x => isObj(x) && Array.isArray(x.steps) && Array.isArray(x.values)).map(x => ({ ...x, run: String(x.run), name: String(x.name) })),
    nodes: arr(lin.nodes).filter(n => isObj(n) && n.id != null), edges: arr(lin.edges).filter(isObj),
    names: {}, byRunName: new Map(), owners: obj(d.session_series),
  };
  for (const k of P.keys) { const n = nameOf(k, runs[k]); P.names[n] = (P.names[n] || 0) + 1; }
  for (const x of P.series) P.byRunName.set(x.run + '\u0001' + x.name, x);
  return P;
}
function nameOf(k, r) { return r.run != null ? String(r.run) : String(k); }
// A run's name, with its session's tail when runs of two sessions share the name.
function label(k) {
  const r = D.runs[k];
  // A session's own series, recorded outside its runs.
  if (!isObj(r)) return D.owners[k] != null ? `session …${String(D.owners[k]).slice(-6)} (outside runs)` : String(k);
  const n = nameOf(k, r);
  return D.names[n] > 1 && r.session ? n + ' · …' + String(r.session).slice(-6) : n;
}
const picked = () => [...S.sel].filter(k => isObj(D.runs[k]));

function renderHeader() {
  $('generated').textContent = [D.generated_at && 'generated ' + D.generated_at, D.generator && 'by ' + D.generator].filter(Boolean).join(' ');
  const n = D.logs.length;
  $('logs').textContent = !n ? (tag && tag.getAttribute('data-live') ? 'logs: none yet' : 'logs: none') : (n === 1 ? 'log: ' : n + ' logs: ') + D.logs.slice(0, 6).join(', ') + (n > 6 ? `, … and ${n - 6} more` : '');
  $('logs').title = D.logs.join('\n');
  const opts = Object.entries(D.options).filter(([, v]) => v != null && v !== '' && !(Array.isArray(v) && !v.length))
    .map(([k, v]) => k.replace(/_/g, ' ') + ': ' + (Array.isArray(v) ? v.map(text).join(k === 'where' ? ' and ' : ', ') : text(v)));
  $('options').textContent = 'options: ' + (opts.join(' · ') || 'none');
  const note = D.bad ? 'This page holds no readable report data.' : D.version !== 1 ? `This page reads report data version 1, not ${text(D.version)}.` : '';
  $('notice').textContent = note;
  $('notice').hidden = !note;
  renderSelBar();
}

// ---- Runs ----
const cell = (row, c) => (c === 'status' && !D.grouped ? statusWord(row[c]) : text(row[c]));
const hay = new WeakMap();
function rowText(row) {
  let t = hay.get(row);
  if (t == null) hay.set(row, (t = D.columns.map(c => cell(row, c)).join('\u0001').toLowerCase()));
  return t;
}
// Numbers as numbers and before text; empty cells last in either direction.
function order(x, y, c, dir) {
  const a = x[c], b = y[c], ea = a == null || a === '', eb = b == null || b === '';
  if (ea || eb) return ea === eb ? 0 : ea ? 1 : -1;
  const na = typeof a === 'number', nb = typeof b === 'number';
  return dir * (na && nb ? a - b : na !== nb ? (na ? -1 : 1) : coll.compare(text(a), text(b)));
}
let memo = {};
// The table's rows after the filter and the sort, kept until either or the data changes.
function visibleRows() {
  if (memo.d === D && memo.f === S.filter && memo.s === S.sort && memo.desc === S.desc) return memo.rows;
  const f = S.filter.trim().toLowerCase(), c = S.sort, dir = S.desc ? -1 : 1;
  const rows = f ? D.rows.filter(r => rowText(r).includes(f)) : D.rows.slice();
  if (c != null) rows.sort((x, y) => order(x, y, c, dir));
  memo = { d: D, f: S.filter, s: c, desc: S.desc, rows };
  return rows;
}
const runOf = r => (r.key != null && isObj(D.runs[r.key]) ? String(r.key) : null);

function renderRuns() {
  renderCounts();
  renderSelBar();
  const box = $('runs-table'), pick = !D.grouped, rows = visibleRows(), n = rows.length, pages = Math.max(1, Math.ceil(n / PAGE));
  S.page = Math.min(Math.max(0, S.page), pages - 1);
  const from = S.page * PAGE, part = rows.slice(from, from + PAGE);
  $('paging').textContent = (n ? `rows ${int(from + 1)}–${int(from + part.length)} of ${int(n)}` : 'rows 0 of 0') + (S.filter ? ` (filtered from ${int(D.rows.length)})` : '');
  $('prev').disabled = S.page === 0;
  $('next').disabled = S.page >= pages - 1;
  if (!D.rows.length) return box.replaceChildren(empty(D.keys.length ? 'No run matches the options this report was made with.' : NO_RUNS));
  const head = h('tr', null, pick && h('th', { class: 'pick', 'aria-label': 'select' }), D.columns.map(c => {
    const on = S.sort === c;
    return h('th', { scope: 'col', 'aria-sort': on ? (S.desc ? 'descending' : 'ascending') : null },
      h('button', { type: 'button', class: 'sort', 'data-col': c }, c, h('span', { class: 'arrow', 'aria-hidden': 'true' }, on ? (S.desc ? ' ▼' : ' ▲') : '')));
  }));
  const body = h('tbody');
  for (const r of part) {
    const key = runOf(r), on = key != null && S.sel.has(key);
    const tr = h('tr', { class: on ? 'picked' : null },
      pick && h('td', { class: 'pick' }, key != null && h('input', { type: 'checkbox', 'data-key': key, 'aria-label': 'select ' + label(key), checked: on })));
    for (const c of D.columns) {
      const v = r[c], t = cell(r, c);
      tr.append(c === 'status' && pick ? h('td', null, badge(v))
        : c === 'run' && key != null ? h('td', null, h('a', { href: runHref(key) }, t))
          : h('td', typeof v === 'number' ? { class: 'num', title: String(v) !== t ? String(v) : null } : null, t));
    }
    body.append(tr);
  }
  if (!n) body.append(h('tr', null, h('td', { class: 'empty', colspan: D.columns.length + pick }, `No row contains “${S.filter}”.`)));
  box.replaceChildren(h('table', { class: 'grid runs' }, h('thead', null, head), body));
}

function renderCounts() {
  const c = { ok: 0, bad: 0, warn: 0, other: 0 };
  const list = D.grouped ? D.keys.map(k => D.runs[k].status) : D.rows.map(r => (runOf(r) ? D.runs[r.key].status : r.status));
  for (const st of list) c[statusCls(st)]++; // an unknown status counts in the total only
  $('count-line').replaceChildren(...(list.length ? [`${int(list.length)} run${list.length === 1 ? '' : 's'}: `,
    h('span', { class: 'st st-ok' }, int(c.ok) + ' ok'), ' · ', h('span', { class: 'st st-bad' }, int(c.bad) + ' failed'), ' · ',
    h('span', { class: 'st st-warn' }, int(c.warn) + ' unfinished')] : ['no runs']));
}

function renderSelBar() {
  const keys = picked(), bar = $('sel-bar');
  $('sel-count').textContent = keys.length ? `(${keys.length})` : '';
  if (D.grouped) return bar.replaceChildren('Grouped rows: open a single run by clicking its line in Config vs metric (or its node in Lineage).');
  if (!keys.length) return bar.replaceChildren(D.rows.length ? 'Tick runs to compare them or to draw only their metrics.' : '');
  bar.replaceChildren(`${keys.length} selected: `,
    h('a', { href: '#compare' }, 'compare'), ' · ', h('a', { href: '#metrics' }, 'metrics'), ' · ',
    h('button', { type: 'button', onclick: () => { S.sel.clear(); renderRuns(); } }, 'clear'));
}

// ---- Compare ----
function renderCompare() {
  const box = $('compare-body'), keys = picked();
  if (keys.length < 2) {
    return box.replaceChildren(empty(!D.keys.length ? NO_RUNS : keys.length ? `Only ${label(keys[0])} is selected: tick one more run in the Runs tab.`
      : 'Tick two or more runs in the Runs tab to compare them.'));
  }
  const objs0 = keys.map(k => obj(D.runs[k].compare)), body = h('tbody');
  let total = 0;
  for (const sec of SECTIONS) {
    const objs = objs0.map(c => obj(c[sec])), fields = [...new Set(objs.flatMap(o => Object.keys(o)))];
    if (!fields.length) continue;
    // A field missing from one run differs from any value, null included.
    const rows = fields.map(f => {
      const sig = objs.map(o => (has(o, f) ? JSON.stringify(o[f]) : undefined));
      return { f, differs: sig.some(v => v !== sig[0]) };
    });
    const nd = rows.filter(r => r.differs).length;
    total += fields.length;
    body.append(h('tr', { class: 'section' }, h('th', { colspan: keys.length + 1, scope: 'colgroup' }, sec,
      h('span', { class: 'muted' }, nd ? ` · ${nd} of ${fields.length} differ` : ` · all ${fields.length} equal`))));
    for (const { f, differs } of rows) {
      if (differs || S.showAll) {
        body.append(h('tr', { class: differs ? 'differs' : null, 'data-field': f }, h('th', { scope: 'row' }, f),
          objs.map(o => { const m = !has(o, f) ? 'missing' : o[f] === null ? 'null' : null; return h('td', { class: m }, m || text(o[f])); })));
      }
    }
  }
  const head = h('tr', null, h('th', null, 'field'), keys.map(k => h('th', { scope: 'col' }, h('a', { href: runHref(k) }, label(k)), ' ', badge(D.runs[k].status))));
  box.replaceChildren(total ? h('table', { class: 'grid compare' }, h('thead', null, head), body) : empty('These runs recorded nothing to compare.'));
}

// ---- Metrics ----
function renderMetrics() {
  const box = $('metrics-body'), keys = picked(), allow = keys.length && new Set(keys);
  box.replaceChildren();
  $('metrics-note').textContent = keys.length ? `The ${keys.length} selected runs.` : 'All runs (tick runs in the Runs tab to draw only those).';
  const runs = keys.length ? keys : [...new Set(D.series.map(x => x.run))];
  const colors = new Map(runs.map((k, i) => [k, PALETTE[i] || `hsl(${Math.round(i * 137.5) % 360},60%,45%)`]));
  const color = k => colors.get(k) || '#888';
  const byName = new Map();
  for (const x of D.series) {
    if (allow && !allow.has(x.run)) continue;
    if (!byName.has(x.name)) byName.set(x.name, []);
    byName.get(x.name).push(x);
  }
  if (!byName.size) return box.append(empty(`Nothing to show: the ${keys.length ? 'selected ' : ''}runs recorded no metrics series.`));
  for (const [name, all] of byName) {
    const names = [...new Set(all.map(x => x.run))], keep = new Set(names.slice(0, MAX_LINES));
    const more = names.length > MAX_LINES ? `Drawing ${MAX_LINES} of ${int(names.length)} runs: tick runs in the Runs tab to choose which.` : '';
    box.append(chart(name, all.filter(x => keep.has(x.run)), color, more));
  }
}

// About n round numbers from lo to hi (whole ones for steps). Counted from the first, not
// as i * step, so a step finer than the numbers' spacing (past 2^53) cannot stall the loop.
function ticks(lo, hi, n, whole) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n, mag = Math.pow(10, Math.floor(Math.log10(raw))), r = raw / mag;
  const step = Math.max(whole ? 1 : 0, (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag), first = Math.ceil(lo / step) * step, out = [];
  for (let k = 0; k <= 3 * n + 2; k++) {
    const v = step < 1 ? +(first + k * step).toPrecision(12) : first + k * step;
    if (v > hi + step * 1e-9) break;
    if (v !== out[out.length - 1]) out.push(v);
  }
  return out;
}
// A tick's label: a whole number of 1e10 or more as a short exponent, as precise as the ticks' spacing asks.
function tickLabel(v, spacing) {
  const plain = num(v);
  if (!Number.isInteger(v) || Math.abs(v) < 1e10) return plain;
  const digits = Math.min(16, Math.max(0, Math.floor(Math.log10(Math.abs(v))) - Math.floor(Math.log10(spacing || 1))));
  const short = v.toExponential(digits).replace(/\.?0+e/, 'e').replace('e+', 'e');
  return short.length < plain.length ? short : plain;
}
// An axis's ticks and labels, fewer until the labels (about 7.5 px a character) stop overlapping.
function axisTicks(lo, hi, px, n, whole) {
  for (;; n--) {
    const t = ticks(lo, hi, n, whole), gap = t.length > 1 ? t[1] - t[0] : 0, labels = t.map(v => tickLabel(v, gap));
    const room = t.length > 1 ? px * gap / (hi - lo) : Infinity, need = 7.5 * Math.max(...labels.map(l => l.length)) + 12;
    // Still too close with two: label every other tick, or every third, ...
    if (room >= need || n <= 2) return t.map((v, i) => [v, i % Math.ceil(need / room) ? '' : labels[i]]);
  }
}
// First index whose step is >= v (after > v when `after`); steps ascend.
function find(steps, v, after) {
  let lo = 0, hi = steps.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (steps[m] < v || (after && steps[m] === v)) lo = m + 1; else hi = m; }
  return lo;
}
function nearest(steps, v) {
  const i = find(steps, v);
  return i <= 0 ? 0 : i >= steps.length ? steps.length - 1 : v - steps[i - 1] <= steps[i] - v ? i - 1 : i;
}
const DOT = 3; // the radius of a lone point's dot, in px
// One series' path between steps a and b, one point past each end so lines reach the edges,
// and `dots`, a dot for each point (or column) standing alone between gaps, which a line cannot show.
// The points falling in one half-pixel column are reduced to the first, lowest, highest and last.
function pathD(x, sx, sy, a, b) {
  const st = x.steps, vs = x.values, n = Math.min(st.length, vs.length), out = [], dots = [];
  let pen = false, col = null, cols = 0, dotY, first, last, lo, hi, loI, hiI;
  const close = () => {
    if (col == null) return;
    for (const v of [first, ...(lo === hi ? [] : loI < hiI ? [lo, hi] : [hi, lo]), last]) { out.push((pen ? 'L' : 'M') + col + ' ' + sy(v).toFixed(1)); pen = true; }
    if (++cols === 1) dotY = sy(first).toFixed(1);
  };
  // The end of a line: a line of one column draws nothing (or a vertical tick), so it gets a dot.
  const lift = () => {
    close();
    if (cols === 1) dots.push(`M${col - DOT} ${dotY}a${DOT} ${DOT} 0 1 0 ${2 * DOT} 0a${DOT} ${DOT} 0 1 0 ${-2 * DOT} 0`);
    pen = false; col = null; cols = 0;
  };
  for (let i = Math.max(0, find(st, a) - 1), end = Math.min(n, find(st, b) + 2); i < end; i++) {
    const v = vs[i];
    if (!fin(v) || !fin(st[i])) { lift(); continue; } // a gap: NaN or infinity in the log
    const px = Math.round(sx(st[i]) * 2) / 2;
    if (px !== col) { close(); col = px; first = last = lo = hi = v; loI = hiI = i; continue; }
    last = v;
    if (v < lo) { lo = v; loI = i; }
    if (v > hi) { hi = v; hiI = i; }
  }
  lift();
  return { d: out.join(''), dots: dots.join('') };
}

let clipSeq = 0;
function chart(name, list, color, more) {
  const W = Math.max(420, Math.min(1600, ($('metrics-body').clientWidth || 900) - 24)), H = 240, L = 64, T = 10, pw = W - L - 14, ph = H - T - 26;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const x of list) for (const st of x.steps) if (fin(st)) { x0 = Math.min(x0, st); x1 = Math.max(x1, st); }
  if (!(x0 <= x1)) x0 = x1 = 0;
  // Steps ascend (the data puts them in step order). One step alone is drawn mid-chart; past 2^53
  // neighbouring numbers are more than 1 apart, so a width of at least a few of their spacings.
  const z = S.zoom[name], room = v => Math.max(1, Math.abs(v) * Number.EPSILON * 4);
  let a = z ? z[0] : x0, b = z ? z[1] : x1;
  if (!(b > a)) { const m = a; a = m - room(m); b = m + room(m); }
  for (const x of list) {
    for (let i = find(x.steps, a), j = Math.min(find(x.steps, b, true), x.values.length); i < j; i++) {
      const v = x.values[i];
      if (fin(v)) { y0 = Math.min(y0, v); y1 = Math.max(y1, v); }
    }
  }
  if (!(y0 <= y1)) { y0 = 0; y1 = 1; }
  const pad = y1 > y0 ? (y1 - y0) * 0.05 : Math.abs(y0) * 0.05 || 1;
  y0 -= pad; y1 += pad;
  const sx = v => L + (v - a) / (b - a) * pw, sy = v => T + ph - (v - y0) / (y1 - y0) * ph, id = 'clip' + ++clipSeq;
  const svg = s('svg', { class: 'plot', width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': name + ' by step' },
    s('defs', null, s('clipPath', { id }, s('rect', { x: L, y: T, width: pw, height: ph }))));
  const yt = ticks(y0, y1, 5);
  for (const v of yt) { const y = sy(v); svg.append(s('line', { class: 'gl', x1: L, x2: L + pw, y1: y, y2: y }), s('text', { x: L - 6, y: y + 4, 'text-anchor': 'end' }, tickLabel(v, yt[1] - yt[0]))); }
  for (const [v, t] of axisTicks(a, b, pw, Math.max(2, Math.round(pw / 110)), true)) {
    // A label that would run past the chart's edge is anchored at its tick instead.
    const x = sx(v), half = 3.75 * t.length;
    svg.append(s('line', { class: 'gl', x1: x, x2: x, y1: T, y2: T + ph }));
    if (t) svg.append(s('text', { class: 'tick-x', x, y: H - 8, 'text-anchor': x - half < 0 ? 'start' : x + half > W ? 'end' : 'middle' }, t));
  }
  const hover = s('line', { class: 'hover', y1: T, y2: T + ph, visibility: 'hidden' });
  const band = s('rect', { class: 'band', y: T, height: ph, width: 0, visibility: 'hidden' });
  const over = s('rect', { class: 'over', x: L, y: T, width: pw, height: ph });
  svg.append(s('rect', { class: 'frame', x: L, y: T, width: pw, height: ph }),
    s('g', { 'clip-path': `url(#${id})` }, list.map(x => {
      const p = pathD(x, sx, sy, a, b);
      return [s('path', { class: 'series', 'data-run': x.run, stroke: color(x.run), d: p.d }), p.dots && s('path', { class: 'dots', 'data-run': x.run, fill: color(x.run), d: p.dots })];
    })),
    hover, band, over);
  const tip = h('div', { class: 'tip', hidden: true });
  const wrap = h('div', { class: 'chart', 'data-name': name },
    h('h3', null, name), h('span', { class: 'muted hint' }, z ? `steps ${num(a)}–${num(b)} · double-click to reset` : 'drag to zoom · double-click to reset'),
    h('div', { class: 'plotbox' }, svg, tip),
    h('ul', { class: 'legend' }, [...new Set(list.map(x => x.run))].map(k => h('li', null, swatch(color(k)), isObj(D.runs[k]) ? h('a', { href: runHref(k) }, label(k)) : h('span', null, label(k))))),
    list.filter(x => x.downsampled).map(x => h('p', { class: 'ds-note' },
      `${label(x.run)}: downsampled: ${int(fin(x.points) ? x.points : x.steps.length)} points drawn as ${int(x.steps.length)} (each bucket's min and max)`)),
    more && h('p', { class: 'muted' }, more));

  const px = e => { const r = svg.getBoundingClientRect(); return Math.min(L + pw, Math.max(L, (e.clientX - r.left) * W / r.width)); };
  const stepAt = x => a + (x - L) / pw * (b - a);
  let from = null;
  // The tip names the recorded step nearest the pointer and each run's value there.
  const showTip = x => {
    const at = stepAt(x);
    let st = null;
    for (const ser of list) if (ser.steps.length) { const v = ser.steps[nearest(ser.steps, at)]; if (st == null || Math.abs(v - at) < Math.abs(st - at)) st = v; }
    if (st == null) return;
    put(hover, { x1: x, x2: x, visibility: 'visible' }, []);
    tip.replaceChildren(h('b', null, 'step ' + text(st)), ...list.filter(ser => ser.steps.length).map(ser => {
      const i = nearest(ser.steps, st), v = ser.values[i];
      return h('div', null, swatch(color(ser.run)), `${label(ser.run)}: ${fin(v) ? num(v) : 'no value'}`, ser.steps[i] !== st ? ` (step ${text(ser.steps[i])})` : '');
    }));
    tip.hidden = false;
    tip.classList.toggle('flip', x > W * 0.6);
    tip.style.left = (x + (x > W * 0.6 ? -12 : 12)) * svg.getBoundingClientRect().width / W + 'px';
  };
  over.addEventListener('mousemove', e => {
    const x = px(e);
    if (from != null) put(band, { x: Math.min(from, x), width: Math.abs(x - from) }, []);
    showTip(x);
  });
  over.addEventListener('mouseleave', () => { hover.setAttribute('visibility', 'hidden'); tip.hidden = true; });
  const redraw = () => wrap.replaceWith(chart(name, list, color, more));
  over.addEventListener('mousedown', e => {
    if (e.button !== 0) return;
    e.preventDefault();
    put(band, { x: (from = px(e)), width: 0, visibility: 'visible' }, []);
    window.addEventListener('mouseup', ev => {
      const x = px(ev), f = from;
      from = null;
      band.setAttribute('visibility', 'hidden');
      if (Math.abs(x - f) >= 5) { S.zoom[name] = [stepAt(Math.min(x, f)), stepAt(Math.max(x, f))]; redraw(); }
    }, { once: true });
  });
  over.addEventListener('dblclick', () => { if (S.zoom[name]) { delete S.zoom[name]; redraw(); } });
  return wrap;
}

// ---- Config vs metric ----
// A run's metric: its table cell, or failing that the last value of its series named after the metric.
function metricOf(k, row) {
  if (row && row[S.metric] != null) return row[S.metric];
  const x = D.byRunName.get(k + '\u0001' + S.metric.replace(/^metric\./, ''));
  const vs = x ? x.values.filter(fin) : [];
  return vs.length ? vs[vs.length - 1] : null;
}
// One vertical axis: numbers scaled from bottom to top, anything else as evenly spaced categories.
function axis(name, vals, top, bot) {
  const present = vals.filter(v => v != null), ax = { name, vals, missing: present.length < vals.length };
  ax.numeric = present.length > 0 && present.every(fin);
  if (ax.numeric) {
    const lo = (ax.lo = present.reduce((p, v) => Math.min(p, v))), hi = (ax.hi = present.reduce((p, v) => Math.max(p, v)));
    ax.y = v => (hi > lo ? bot - (v - lo) / (hi - lo) * (bot - top) : (top + bot) / 2);
    ax.ticks = (hi > lo ? [lo, (lo + hi) / 2, hi] : [lo]).map(v => [ax.y(v), num(v)]);
  } else {
    const cats = (ax.cats = [...new Set(present.map(text))].sort(coll.compare)), at = new Map();
    cats.forEach((c, i) => at.set(c, cats.length > 1 ? bot - i / (cats.length - 1) * (bot - top) : (top + bot) / 2));
    ax.y = v => at.get(text(v));
    const every = Math.ceil(cats.length / 16);
    ax.ticks = cats.filter((c, i) => i % every === 0).map(c => [at.get(c), c.length > 18 ? c.slice(0, 17) + '…' : c]);
  }
  return ax;
}
const ramp = t => `hsl(${Math.round(225 - 205 * t)},70%,45%)`;

function renderParallel() {
  const box = $('config-body'), sel = $('pc-metric'), note = $('pc-note');
  const cfg = k => obj(obj(D.runs[k].compare).config), fields = [...new Set(D.keys.flatMap(k => Object.keys(cfg(k))))];
  let opts = D.columns.filter(c => c.startsWith('metric.'));
  if (!opts.length) opts = [...new Set(D.series.map(x => 'metric.' + x.name))];
  if (!opts.includes(S.metric)) S.metric = opts[0] || '';
  sel.replaceChildren(...opts.map(o => h('option', { value: o }, o)));
  sel.value = S.metric;
  sel.disabled = !opts.length;
  note.replaceChildren();
  if (!D.keys.length || !fields.length) return box.replaceChildren(empty(D.keys.length ? 'Nothing to show: the runs recorded no configuration.' : NO_RUNS));
  const rowOf = new Map(D.grouped ? [] : D.rows.filter(runOf).map(r => [String(r.key), r]));
  const W = Math.max(600, (box.clientWidth || 900) - 4), H = 440, T = 40, B = H - 60, MISS = H - 28;
  const axes = fields.map(f => axis(f.replace(/^config\./, ''), D.keys.map(k => (has(cfg(k), f) ? cfg(k)[f] : null)), T, B));
  const m = S.metric && axis(S.metric, D.keys.map(k => metricOf(k, rowOf.get(k))), T, B);
  if (m) axes.push(m);
  const X = j => (axes.length > 1 ? 80 + j * (W - 160) / (axes.length - 1) : W / 2);
  const colorOf = v => (v == null ? '#9aa3ad' : !m.numeric ? PALETTE[m.cats.indexOf(text(v)) % 10] : ramp(m.hi > m.lo ? (v - m.lo) / (m.hi - m.lo) : 0.5));
  const svg = s('svg', { class: 'pc', width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'configuration against ' + S.metric });
  // Selected runs last, so they are drawn on top.
  for (const i of D.keys.map((k, i) => i).sort((i, j) => S.sel.has(D.keys[i]) - S.sel.has(D.keys[j]))) {
    const k = D.keys[i], mv = m ? m.vals[i] : null;
    svg.append(s('polyline', { class: 'pc-line' + (S.sel.has(k) ? ' picked' : ''), 'data-run': k, stroke: colorOf(mv),
      points: axes.map((ax, j) => X(j).toFixed(1) + ',' + (ax.vals[i] == null ? MISS : ax.y(ax.vals[i])).toFixed(1)).join(' ') },
    s('title', null, `${label(k)} · ${S.metric || 'no metric'}: ${mv != null ? text(mv) : 'none'}`)));
  }
  axes.forEach((ax, j) => {
    const x = X(j);
    // A long name is cut (whole in its tooltip), and the outer axes' names anchored inside the chart.
    const outer = axes.length > 1 && (j === 0 || j === axes.length - 1);
    const anchor = !outer ? 'middle' : j === 0 ? 'start' : 'end';
    const px = axes.length < 2 ? W : outer ? X(1) - X(0) - 8 : Math.min(X(1) - X(0) - 8, 2 * Math.min(x, W - x));
    const room = Math.max(8, Math.floor(px / 7.5));
    const shown = ax.name.length > room ? ax.name.slice(0, room - 1) + '…' : ax.name;
    svg.append(s('line', { class: 'axis', x1: x, x2: x, y1: T, y2: B }),
      s('text', { class: 'axis-name', x, y: T - 16, 'text-anchor': anchor }, shown, s('title', null, ax.name)));
    for (const [y, t] of ax.ticks) svg.append(s('line', { class: 'axis', x1: x - 4, x2: x, y1: y, y2: y }), s('text', { class: 'tk', x: x + 6, y: y + 4 }, t));
    if (ax.missing) svg.append(s('text', { class: 'tk', x, y: MISS + 4, 'text-anchor': 'middle' }, 'n/a'));
  });
  svg.addEventListener('click', e => { const l = e.target.closest('.pc-line'); if (l) location.hash = runHref(l.getAttribute('data-run')); });
  note.append(`${int(D.keys.length)} runs`, ...(m && m.numeric ? [`, coloured by ${S.metric}: ${num(m.lo)}`,
    h('span', { class: 'ramp', style: `background:linear-gradient(to right,${ramp(0)},${ramp(0.5)},${ramp(1)})` }), `${num(m.hi)}, grey: none`] : []), '. Click a line to open its run.');
  box.replaceChildren(svg);
}

// ---- Lineage ----
function renderLineage() {
  const box = $('lineage-body'), byId = new Map();
  for (const n of D.nodes) if (!byId.has(String(n.id))) byId.set(String(n.id), n);
  if (!byId.size) return box.replaceChildren(empty('Nothing to show: no run recorded an input file or an output.'));
  const seen = new Set(), edges = D.edges.map(e => [String(e.from), String(e.to)])
    .filter(([f, t]) => f !== t && byId.has(f) && byId.has(t) && !seen.has(f + '\u0001' + t) && seen.add(f + '\u0001' + t));
  const outs = new Map(), deg = new Map(), want = new Map(), layer = new Map();
  for (const id of byId.keys()) { outs.set(id, []); deg.set(id, 0); }
  for (const [f, t] of edges) { outs.get(f).push(t); deg.set(t, deg.get(t) + 1); }
  // Longest path from the sources, files on even layers and runs on odd ones: every run stands
  // right of its inputs and its outputs right of it; files nothing produced stand at the left.
  const queue = [...byId.keys()].filter(id => !deg.get(id));
  const place = u => {
    const l = (want.get(u) || 0) + ((want.get(u) || 0) % 2 === 1 ? byId.get(u).kind !== 'run' : byId.get(u).kind === 'run');
    layer.set(u, l);
    for (const v of outs.get(u)) {
      want.set(v, Math.max(want.get(v) || 0, l + 1));
      deg.set(v, deg.get(v) - 1);
      if (!deg.get(v)) queue.push(v);
    }
  };
  let qi = 0;
  const drain = () => { for (; qi < queue.length; qi++) if (!layer.has(queue[qi])) place(queue[qi]); };
  drain();
  for (const id of byId.keys()) if (!layer.has(id)) { queue.push(id); drain(); } // a cycle: break it anywhere
  const used = [...new Set(layer.values())].sort((p, q) => p - q), col = new Map(), cols = used.map(() => []), up = new Map(), down = new Map();
  const add = (id, c) => { col.set(id, c); cols[c].push(id); up.set(id, []); down.set(id, []); };
  for (const id of byId.keys()) add(id, used.indexOf(layer.get(id)));
  // An edge that skips columns passes a placeholder slot in each, so it never crosses a box.
  const chains = edges.map(([f, t], ei) => {
    const chain = [f];
    for (let c = col.get(f) + 1; c < col.get(t); c++) { add('\u0000' + ei + ':' + c, c); chain.push('\u0000' + ei + ':' + c); }
    chain.push(t);
    for (let i = 1; i < chain.length; i++) if (col.get(chain[i - 1]) < col.get(chain[i])) { down.get(chain[i - 1]).push(chain[i]); up.get(chain[i]).push(chain[i - 1]); }
    return chain;
  });
  // Order each column by the mean row of its neighbours, sweeping right then left, to uncross edges.
  const pos = new Map();
  const bary = (c, nb) => {
    const w = new Map(c.map((id, i) => { const ps = nb.get(id); return [id, ps.length ? ps.reduce((t, p) => t + pos.get(p), 0) / ps.length : i]; }));
    c.sort((p, q) => w.get(p) - w.get(q)).forEach((id, i) => pos.set(id, i));
  };
  cols.forEach(c => c.forEach((id, i) => pos.set(id, i)));
  for (let k = 0; k < 2; k++) {
    for (let i = 1; i < cols.length; i++) bary(cols[i], up);
    for (let i = cols.length - 2; i >= 0; i--) bary(cols[i], down);
  }
  const NH = 32, RH = 52, GAP = 70, PAD = 16;
  const name = id => { const l = text(byId.get(id).label) || id; return l.length > 36 ? l.slice(0, 35) + '…' : l; };
  const width = id => (byId.has(id) ? Math.min(280, Math.max(84, Math.round(7.2 * name(id).length) + 24)) : 0);
  const colW = cols.map(c => Math.max(...c.map(width))), maxN = Math.max(...cols.map(c => c.length)), xy = new Map();
  let x = PAD;
  cols.forEach((c, ci) => {
    const top = PAD + (maxN - c.length) * RH / 2;
    c.forEach((id, i) => xy.set(id, [x + (colW[ci] - width(id)) / 2, top + i * RH, width(id), x, x + colW[ci]]));
    x += colW[ci] + GAP;
  });
  const svg = s('svg', { class: 'lineage', width: x - GAP + PAD, height: PAD * 2 + maxN * RH - RH + NH, role: 'img', 'aria-label': 'lineage of files and runs' },
    s('defs', null, s('marker', { id: 'lineage-arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' }, s('path', { class: 'arrowhead', d: 'M0 0L10 5L0 10z' }))));
  chains.forEach(ch => {
    const f = ch[0], t = ch[ch.length - 1], [fx, fy, fw] = xy.get(f), [tx, ty] = xy.get(t);
    const pts = [[fx + fw, fy + NH / 2]];
    for (const d of ch.slice(1, -1)) { const [, dy, , l, r] = xy.get(d); pts.push([l, dy + NH / 2], [r, dy + NH / 2]); }
    pts.push([tx - 1, ty + NH / 2]);
    let d = `M${pts[0][0]} ${pts[0][1]}`;
    for (let i = 1; i < pts.length; i++) {
      const [x0, y0] = pts[i - 1], [x1, y1] = pts[i], mx = (x0 + x1) / 2;
      d += i % 2 ? `C${mx} ${y0} ${mx} ${y1} ${x1} ${y1}` : `L${x1} ${y1}`;
    }
    svg.append(s('path', { class: 'edge', 'data-from': f, 'data-to': t, d, 'marker-end': 'url(#lineage-arrow)' }));
  });
  for (const [id, n] of byId) {
    const [nx, ny, w] = xy.get(id), kind = n.kind === 'run' ? 'run' : 'file', r = kind === 'run' && isObj(D.runs[n.run]) ? D.runs[n.run] : null;
    svg.append(s('g', { class: 'node' + (r ? ' st-' + statusCls(r.status) : ''), 'data-kind': kind, 'data-id': id, 'data-run': r && String(n.run),
      transform: `translate(${nx} ${ny})`, tabindex: r ? 0 : null, role: r ? 'link' : null },
    s('title', null, [text(n.label), text(n.detail), r && 'status: ' + statusWord(r.status)].filter(Boolean).join('\n')),
    s('rect', { width: w, height: NH, rx: kind === 'file' ? 12 : 1 }),
    s('text', { x: w / 2, y: NH / 2 + 4, 'text-anchor': 'middle' }, name(id))));
  }
  const open = e => {
    const g = e.target.closest('.node[data-run]');
    if (g && (e.type === 'click' || e.key === 'Enter')) location.hash = runHref(g.getAttribute('data-run'));
  };
  svg.addEventListener('click', open);
  svg.addEventListener('keydown', open);
  box.replaceChildren(svg);
}

// ---- Run ----
const table = (cols, rows) => h('table', { class: 'grid' }, h('thead', null, h('tr', null, cols.map(c => h('th', { scope: 'col' }, c)))),
  h('tbody', null, rows.map(r => h('tr', null, r.map(v => h('td', fin(v) ? { class: 'num' } : null, text(v)))))));

function renderRun() {
  const box = $('run-body'), k = S.run, r = k != null && isObj(D.runs[k]) ? D.runs[k] : null;
  if (!r) return box.replaceChildren(empty(!D.keys.length ? NO_RUNS : k ? `There is no run “${k}” in this report.` : 'Open a run from the Runs table, Lineage or Config vs metric.'));
  const facts = [['algorithm', r.algorithm], ['session', r.session], ['log', r.file], ['start', r.start], ['end', r.end],
    ['duration', r.duration_ms != null ? text(r.duration_ms) + ' ms' : null]].filter(p => p[1] != null && p[1] !== '');
  const parts = [h('div', { id: 'run-header', class: 'run-head' }, h('h2', null, nameOf(k, r), ' ', badge(r.status)),
    h('dl', { class: 'kv' }, facts.map(([a, b]) => [h('dt', null, a), h('dd', null, text(b))])),
    r.error != null && r.error !== '' && h('pre', { class: 'err' }, 'error: ' + text(r.error)))];
  if (r.rerun) {
    const code = h('code', { id: 'rerun' }, text(r.rerun)), said = h('span', { class: 'muted', 'aria-live': 'polite' });
    parts.push(h('h3', null, 'rerun'), h('div', { class: 'rerun' }, h('pre', null, code), h('button', { type: 'button', onclick: () => copy(code, said) }, 'Copy'), said));
  }
  for (const sec of SECTIONS) {
    const o = obj(obj(r.compare)[sec]);
    if (Object.keys(o).length) parts.push(h('h3', null, sec), table(['field', 'value'], Object.entries(o)));
  }
  const list = (title, v, cols) => {
    const rows = arr(v).filter(isObj);
    if (rows.length) parts.push(title && h('h3', null, title), table(cols, rows.map(x => cols.map(c => x[c]))));
  };
  list('seeds by component', r.seeds, ['component', 'seed']);
  list('inputs read', r.inputs, ['name', 'path', 'hash']);
  list('outputs written', r.outputs, ['path', 'hash', 'size_bytes']);
  parts.push(h('h3', null, 'events'));
  list('', r.events, ['line', 'seq', 'ts', 'event_type', 'text']);
  if (!arr(r.events).length) parts.push(empty('No events recorded.'));
  const omitted = Number(r.events_omitted) || 0;
  if (omitted > 0) parts.push(h('p', { class: 'muted' }, `${int(omitted)} more event${omitted === 1 ? '' : 's'} left out of this report; the log holds them all.`));
  box.replaceChildren(...parts.filter(Boolean));
}
// Copies the command; where the clipboard is refused, selects it for the person to copy.
function copy(code, said) {
  const select = () => {
    const range = document.createRange();
    range.selectNodeContents(code);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    said.textContent = 'selected: press Ctrl+C to copy';
  };
  if (!navigator.clipboard) return select();
  navigator.clipboard.writeText(code.textContent).then(() => { said.textContent = 'copied'; }, select);
}

// ---- tabs, routing, live ----
const VIEWS = { runs: renderRuns, compare: renderCompare, metrics: renderMetrics, config: renderParallel, lineage: renderLineage, run: renderRun };
function route() {
  let hash = location.hash.slice(1);
  try { hash = decodeURIComponent(hash); } catch (e) { /* keep it as typed */ }
  const run = hash === 'run' || hash.startsWith('run=');
  if (run) S.run = hash.slice(4) || S.run;
  S.tab = run ? 'run' : TABS.includes(hash) ? hash : 'runs';
  show();
}
function show() {
  for (const t of TABS) {
    $('view-' + t).hidden = t !== S.tab;
    const a = document.querySelector(`nav a[data-tab="${t}"]`);
    a.classList.toggle('on', t === S.tab);
    if (t === S.tab) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  $('run-tab').href = S.run != null ? runHref(S.run) : '#run';
  try {
    VIEWS[S.tab]();
  } catch (e) {
    $('view-' + S.tab).append(h('p', { class: 'notice' }, 'This view failed to draw: ' + e.message));
    setTimeout(() => { throw e; }); // and still reaches the console
  }
  document.body.dataset.view = S.tab;
}

function wire() {
  const tbl = $('runs-table');
  tbl.addEventListener('click', e => {
    const b = e.target.closest('button.sort');
    if (!b) return;
    const c = b.getAttribute('data-col');
    S.desc = S.sort === c && !S.desc;
    S.sort = c;
    S.page = 0;
    renderRuns();
    tbl.querySelector(`button.sort[data-col="${CSS.escape(c)}"]`).focus();
  });
  tbl.addEventListener('change', e => {
    const t = e.target, k = t.getAttribute('data-key');
    if (k == null) return;
    if (t.checked) S.sel.add(k); else S.sel.delete(k);
    t.closest('tr').classList.toggle('picked', t.checked);
    renderSelBar();
  });
  $('filter').addEventListener('input', e => { S.filter = e.target.value; S.page = 0; renderRuns(); });
  $('prev').addEventListener('click', () => { S.page--; renderRuns(); });
  $('next').addEventListener('click', () => { S.page++; renderRuns(); });
  $('compare-all').addEventListener('change', e => { S.showAll = e.target.checked; renderCompare(); });
  $('pc-metric').addEventListener('change', e => { S.metric = e.target.value; renderParallel(); });
  window.addEventListener('hashchange', route);
}

// Polls the data URL and, when the data changed, draws it in place, keeping every choice made.
function live(url) {
  const el = $('live'), clock = () => new Date().toTimeString().slice(0, 8);
  let last = null, sig = JSON.stringify(D.raw), updated = clock(), etag = null;
  el.hidden = false;
  el.textContent = 'live · updated ' + updated;
  // The server answers 304, no body, while its data is the one we have.
  const tick = () => fetch(url, { cache: 'no-store', headers: etag ? { 'If-None-Match': etag } : {} })
    .then(r => {
      if (r.status === 304) return last;
      if (!r.ok) throw new Error('HTTP ' + r.status);
      etag = r.headers.get('ETag');
      return r.text();
    })
    .then(t => {
      if (t !== last) {
        const raw = parse(t);
        if (raw === undefined) throw new Error('unreadable JSON'); // caught mid-write: try again
        last = t;
        if (JSON.stringify(raw) !== sig) {
          sig = JSON.stringify(raw);
          D = prepare(raw);
          for (const k of [...S.sel]) if (!isObj(D.runs[k])) S.sel.delete(k);
          renderHeader();
          show();
          updated = clock();
        }
      }
      el.textContent = 'live · updated ' + updated;
      el.title = 'checked at ' + clock();
      el.classList.remove('stale');
    })
    .catch(() => { el.textContent = `live · updated ${updated} · no answer at ${clock()}`; el.classList.add('stale'); })
    .finally(() => setTimeout(tick, POLL_MS));
  setTimeout(tick, POLL_MS);
}

wire();
renderHeader();
route();
document.documentElement.dataset.ready = '1';
if (tag && tag.getAttribute('data-live')) live(tag.getAttribute('data-live'));
})();
