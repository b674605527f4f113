// City Tools' published site: sortable tables, filters and charts re-drawn from the rows a
// filter leaves. No request anywhere: everything works on the page itself. Each table's rows
// are a JSON block beside it, in columns, with each row's filter values; a table lists a page
// of the matching rows at a time. Each chart names its table, the column it groups by and what it
// adds up (rows, or a column's values), and is drawn with the same geometry as the Rust that
// wrote it (publish/html.rs).
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var BAR_H = 22, GAP = 6, LABEL_W = 260, BAR_W = 360;

  function thousands(n) {
    var s = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return n < 0 ? "-" + s : s;
  }
  function fmt(v, money) {
    return money ? "£" + thousands(Math.trunc(v / 100)) : thousands(v);
  }
  function short(s, n) {
    return s.length <= n ? s : s.slice(0, n - 1) + "…";
  }

  // Each table's rows are data (a JSON block beside it), in columns of indices into the
  // table's distinct texts: {n: rows, s: texts, c: per column each row's text index, or
  // {t: text, k: sort key (-1: the text), v: number or null}, f: per filter key a cell's index
  // for every row, or per row a cell's index, a list of text indices or null, o: the options
  // of the long select filters}. A table lists
  // the first PAGE rows that match its filters, in its sort order; "Show more" lists more. The
  // server listed the first page already. Rows are numbers 0..n-1 into the columns.
  var PAGE = 100;
  var tables = {};

  function textIndex(d, i, c) {
    var col = d.c[c];
    if (!col) return -1;
    return Array.isArray(col) ? col[i] : col.t[i];
  }
  function text(d, i, c) {
    var x = textIndex(d, i, c);
    return x < 0 ? "" : d.s[x];
  }
  function sortKey(d, i, c) {
    var col = d.c[c];
    if (!col || Array.isArray(col) || col.k[i] < 0) return null;
    return d.s[col.k[i]];
  }
  function value(d, i, c) {
    var col = d.c[c];
    if (!col || Array.isArray(col)) return null;
    var v = col.v[i];
    return v === undefined ? null : v;
  }
  // A row's entry for a filter: a cell's index, a list of text indices, or null.
  function fentry(d, i, key) {
    var f = d.f[key];
    if (f === undefined) return null;
    if (typeof f === "number") return f;
    var e = f[i];
    return e === undefined ? null : e;
  }
  // A row's values for a filter, as texts.
  function fvalues(d, i, key) {
    var e = fentry(d, i, key);
    if (e === null) return [];
    if (typeof e === "number") return [text(d, i, e)];
    return e.map(function (x) { return d.s[x]; });
  }

  function state(table) {
    var st = tables[table.id];
    if (st) return st;
    var block = document.getElementById(table.id + "-rows");
    var d = null;
    if (block) { try { d = JSON.parse(block.textContent); } catch (e) { d = null; } }
    if (!d || typeof d.n !== "number") d = { n: 0, s: [], c: [], f: {} };
    var kinds = Array.prototype.map.call(table.querySelectorAll("thead button.sort"), function (b) {
      return b.getAttribute("data-kind");
    });
    var order = new Array(d.n);
    for (var i = 0; i < d.n; i++) order[i] = i;
    st = { table: table, d: d, keys: Object.keys(d.f), kinds: kinds, rows: order, match: order, limit: PAGE };
    tables[table.id] = st;
    return st;
  }

  function render(st) {
    var d = st.d;
    var body = st.table.tBodies[0];
    while (body.firstChild) body.removeChild(body.firstChild);
    st.match.slice(0, st.limit).forEach(function (i) {
      var tr = document.createElement("tr");
      st.keys.forEach(function (k) {
        if (fentry(d, i, k) !== null) tr.setAttribute("data-f-" + k, JSON.stringify(fvalues(d, i, k)));
      });
      for (var c = 0; c < d.c.length; c++) {
        var td = document.createElement("td");
        if (st.kinds[c] === "number") td.className = "num";
        var k = sortKey(d, i, c), v = value(d, i, c);
        if (k !== null) td.setAttribute("data-sort", k);
        if (v !== null) td.setAttribute("data-v", String(v));
        td.textContent = text(d, i, c);
        tr.appendChild(td);
      }
      body.appendChild(tr);
    });
    var more = document.querySelector("button[data-more='" + st.table.id + "']");
    if (more) more.parentNode.hidden = st.match.length <= st.limit;
    var count = document.querySelector("[data-count-for='" + st.table.id + "']");
    if (count) {
      count.textContent = "Showing " + thousands(st.match.length) + " of " + thousands(d.n) + " rows" +
        (st.match.length > st.limit ? " (the first " + thousands(st.limit) + " listed)" : "");
    }
    document.querySelectorAll("figure.chart[data-table='" + st.table.id + "']").forEach(function (f) {
      drawChart(f, st);
    });
  }

  // Sorting: a button in each header cell; aria-sort says how the table is sorted. Each row's
  // key is worked out once, then the rows are sorted by it (stable: equal keys keep their order).
  function sortBy(table, th, button) {
    var st = state(table), d = st.d;
    var col = Number(button.getAttribute("data-col"));
    var kind = button.getAttribute("data-kind");
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    table.querySelectorAll("thead th").forEach(function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", dir);
    var keys = new Array(d.n);
    for (var i = 0; i < d.n; i++) {
      var s = sortKey(d, i, col);
      var k = s === null ? text(d, i, col) : s;
      keys[i] = kind === "number" ? (k === "" ? -Infinity : Number(k)) : String(k).toLowerCase();
    }
    function order(a, b) {
      var x = keys[a], y = keys[b];
      var r = x < y ? -1 : x > y ? 1 : 0;
      return dir === "ascending" ? r : -r;
    }
    st.rows = st.rows.slice().sort(order);
    st.match = st.match.slice().sort(order);
    render(st);
  }

  // Whether row i has a value v for which ok(v) holds; `lists` caches each text's test.
  function anyValue(d, i, key, ok) {
    var e = fentry(d, i, key);
    if (e === null) return false;
    if (typeof e === "number") { var x = textIndex(d, i, e); return x >= 0 && ok(x); }
    for (var j = 0; j < e.length; j++) if (ok(e[j])) return true;
    return false;
  }

  // One filter control as a test of a text's index (each text tested once, then remembered).
  function test(d, c) {
    var want = c.value, how = c.getAttribute("data-match"), seen = {};
    var lower = want.toLowerCase();
    return function (x) {
      var r = seen[x];
      if (r !== undefined) return r;
      var v = d.s[x];
      switch (how) {
        case "contains": r = v.toLowerCase().indexOf(lower) >= 0; break;
        case "from": r = v >= want; break;
        case "to": r = v <= want; break;
        default: r = v === want;
      }
      seen[x] = r;
      return r;
    };
  }

  // Filters: a row matches when it matches every control that has a value.
  function applyFilters(form) {
    var table = document.getElementById(form.getAttribute("data-filters-for"));
    if (!table) return;
    var st = state(table), d = st.d;
    var controls = Array.prototype.slice.call(form.querySelectorAll("[data-filter]"))
      .filter(function (c) { return c.value !== ""; })
      .map(function (c) { return [c.getAttribute("data-filter"), test(d, c)]; });
    st.match = st.rows.filter(function (i) {
      for (var j = 0; j < controls.length; j++) {
        if (!anyValue(d, i, controls[j][0], controls[j][1])) return false;
      }
      return true;
    });
    st.limit = PAGE;
    render(st);
  }

  function drawChart(fig, st) {
    var group = Number(fig.getAttribute("data-group"));
    var measure = fig.getAttribute("data-measure");
    var money = fig.getAttribute("data-money") === "true";
    var limit = Number(fig.getAttribute("data-limit"));
    var byLabel = fig.getAttribute("data-order") === "label";
    var totals = [], at = {};
    var d = st.d, sum = Number(measure);
    st.match.forEach(function (i) {
      var label = text(d, i, group);
      if (label === "") label = "Not given";
      var add = 1;
      if (measure !== "count") {
        var v = value(d, i, sum);
        add = v !== null ? Number(v) : 0;
      }
      if (Object.prototype.hasOwnProperty.call(at, label)) totals[at[label]][1] += add;
      else { at[label] = totals.length; totals.push([label, add]); }
    });
    totals.sort(byLabel
      ? function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; }
      : function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0); });
    totals = totals.slice(0, limit);
    var max = Math.max(1, totals.reduce(function (m, t) { return Math.max(m, t[1]); }, 0));
    var svg = fig.querySelector("svg");
    var height = Math.max(1, totals.length) * (BAR_H + GAP);
    var width = LABEL_W + BAR_W + 120;
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("height", String(height));
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    totals.forEach(function (t, i) {
      var y = i * (BAR_H + GAP);
      var w = Math.round(Math.max(0, t[1]) / max * BAR_W);
      var label = document.createElementNS(SVG, "text");
      label.setAttribute("class", "bar-label");
      label.setAttribute("x", String(LABEL_W - 8));
      label.setAttribute("y", String(y + BAR_H - 6));
      label.setAttribute("text-anchor", "end");
      label.textContent = short(t[0], 32);
      var rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("class", "bar");
      rect.setAttribute("x", String(LABEL_W));
      rect.setAttribute("y", String(y));
      rect.setAttribute("width", String(Math.max(1, w)));
      rect.setAttribute("height", String(BAR_H));
      var value = document.createElementNS(SVG, "text");
      value.setAttribute("class", "bar-value");
      value.setAttribute("x", String(LABEL_W + w + 6));
      value.setAttribute("y", String(y + BAR_H - 6));
      value.textContent = fmt(t[1], money);
      svg.appendChild(label);
      svg.appendChild(rect);
      svg.appendChild(value);
    });
    var body = fig.querySelector("table tbody");
    while (body.firstChild) body.removeChild(body.firstChild);
    totals.forEach(function (t) {
      var tr = document.createElement("tr");
      var a = document.createElement("td");
      a.textContent = t[0];
      var b = document.createElement("td");
      b.className = "num";
      b.textContent = fmt(t[1], money);
      tr.appendChild(a);
      tr.appendChild(b);
      body.appendChild(tr);
    });
  }

  // A long select filter is written with "All" alone; its options (in its table's data, `o`)
  // are added when it is first focused or pressed, before any key or click reaches it.
  function fillOptions(select) {
    if (!select.hasAttribute("data-lazy")) return;
    select.removeAttribute("data-lazy");
    var table = select.form && document.getElementById(select.form.getAttribute("data-filters-for"));
    if (!table) return;
    var d = state(table).d;
    var list = (d.o && d.o[select.getAttribute("data-filter")]) || [];
    var options = document.createDocumentFragment();
    list.forEach(function (x) {
      var o = document.createElement("option");
      o.value = d.s[x];
      o.textContent = d.s[x];
      options.appendChild(o);
    });
    select.appendChild(options);
  }

  function start() {
    document.querySelectorAll("table.data").forEach(function (table) {
      table.querySelectorAll("thead th").forEach(function (th) {
        var b = th.querySelector("button.sort");
        if (b) b.addEventListener("click", function () { sortBy(table, th, b); });
      });
    });
    document.querySelectorAll("button[data-more]").forEach(function (b) {
      b.addEventListener("click", function () {
        var table = document.getElementById(b.getAttribute("data-more"));
        if (!table) return;
        var st = state(table);
        st.limit += PAGE;
        render(st);
      });
    });
    document.querySelectorAll("table.data[id]").forEach(function (table) { state(table); });
    document.querySelectorAll("select[data-lazy]").forEach(function (select) {
      var fill = function () { fillOptions(select); };
      ["focus", "pointerdown", "mousedown", "touchstart"].forEach(function (e) {
        select.addEventListener(e, fill, { passive: true });
      });
    });
    document.querySelectorAll("form.filters").forEach(function (form) {
      form.addEventListener("input", function () { applyFilters(form); });
      form.addEventListener("change", function () { applyFilters(form); });
      form.addEventListener("submit", function (e) { e.preventDefault(); applyFilters(form); });
      form.addEventListener("reset", function () {
        setTimeout(function () { applyFilters(form); }, 0);
      });
    });
    document.documentElement.setAttribute("data-site-ready", "true");
    // When the page became interactive, in milliseconds since navigation (city-bench reads it).
    document.documentElement.setAttribute("data-site-ready-ms", String(Math.round(performance.now())));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
