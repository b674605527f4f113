// City Tools' published site: sortable tables, filters and charts re-drawn from the rows a
// filter leaves. No request anywhere: everything works on the page itself. Each table's rows
// are a JSON block beside it, each row with its filter values; a table lists a page of the
// matching rows at a time. Each chart names its table, the column it groups by and what it
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
  function values(row, key) {
    var raw = row.getAttribute("data-f-" + key);
    if (!raw) return [];
    try { return JSON.parse(raw); } catch (e) { return []; }
  }

  // Each table's rows are data (a JSON block beside it): [cells, {filter key: values}]. A table lists the first PAGE rows that match its filters, in its
  // sort order; "Show more" lists more. The server listed the first page already.
  var PAGE = 100;
  var tables = {};

  // A cell is its text alone, or [text, sort key or null, value or null].
  function cell(c) {
    return typeof c === "string" ? [c, null, null] : c || ["", null, null];
  }
  // A row's values for a filter: a list, or the index of the cell whose text is the one value.
  function fvalues(row, key) {
    var v = row[1][key];
    if (typeof v === "number") return [cell(row[0][v])[0]];
    return v || [];
  }

  function state(table) {
    var st = tables[table.id];
    if (st) return st;
    var data = document.getElementById(table.id + "-rows");
    var rows = [];
    if (data) { try { rows = JSON.parse(data.textContent); } catch (e) { rows = []; } }
    var kinds = Array.prototype.map.call(table.querySelectorAll("thead button.sort"), function (b) {
      return b.getAttribute("data-kind");
    });
    st = { table: table, rows: rows, kinds: kinds, match: rows, limit: PAGE };
    tables[table.id] = st;
    return st;
  }

  function render(st) {
    var body = st.table.tBodies[0];
    while (body.firstChild) body.removeChild(body.firstChild);
    st.match.slice(0, st.limit).forEach(function (row) {
      var tr = document.createElement("tr");
      Object.keys(row[1]).forEach(function (k) {
        tr.setAttribute("data-f-" + k, JSON.stringify(fvalues(row, k)));
      });
      row[0].forEach(function (raw, i) {
        var c = cell(raw);
        var td = document.createElement("td");
        if (st.kinds[i] === "number") td.className = "num";
        if (c[1] !== null) td.setAttribute("data-sort", c[1]);
        if (c[2] !== null) td.setAttribute("data-v", String(c[2]));
        td.textContent = c[0];
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    var more = document.querySelector("button[data-more='" + st.table.id + "']");
    if (more) more.parentNode.hidden = st.match.length <= st.limit;
    var count = document.querySelector("[data-count-for='" + st.table.id + "']");
    if (count) {
      count.textContent = "Showing " + thousands(st.match.length) + " of " + thousands(st.rows.length) + " rows" +
        (st.match.length > st.limit ? " (the first " + thousands(st.limit) + " listed)" : "");
    }
    document.querySelectorAll("figure.chart[data-table='" + st.table.id + "']").forEach(function (f) {
      drawChart(f, st);
    });
  }

  // Sorting: a button in each header cell; aria-sort says how the table is sorted.
  function sortBy(table, th, button) {
    var st = state(table);
    var col = Number(button.getAttribute("data-col"));
    var kind = button.getAttribute("data-kind");
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    table.querySelectorAll("thead th").forEach(function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", dir);
    function key(r) {
      var c = cell(r[0][col]);
      var k = c[1] === null ? c[0] : c[1];
      return kind === "number" ? (k === "" ? -Infinity : Number(k)) : String(k).toLowerCase();
    }
    function order(a, b) {
      var x = key(a), y = key(b);
      var r = x < y ? -1 : x > y ? 1 : 0;
      return dir === "ascending" ? r : -r;
    }
    st.rows = st.rows.slice().sort(order);
    st.match = st.match.slice().sort(order);
    render(st);
  }

  // Filters: a row matches when it matches every control that has a value.
  function applyFilters(form) {
    var table = document.getElementById(form.getAttribute("data-filters-for"));
    if (!table) return;
    var st = state(table);
    var controls = Array.prototype.slice.call(form.querySelectorAll("[data-filter]"))
      .filter(function (c) { return c.value !== ""; });
    st.match = st.rows.filter(function (r) {
      for (var j = 0; j < controls.length; j++) {
        var c = controls[j], want = c.value, v = fvalues(r, c.getAttribute("data-filter")), ok;
        switch (c.getAttribute("data-match")) {
          case "contains":
            want = want.toLowerCase();
            ok = v.some(function (x) { return x.toLowerCase().indexOf(want) >= 0; });
            break;
          case "from":
            ok = v.some(function (x) { return x >= want; });
            break;
          case "to":
            ok = v.some(function (x) { return x <= want; });
            break;
          default:
            ok = v.indexOf(want) >= 0;
        }
        if (!ok) return false;
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
    st.match.forEach(function (r) {
      var label = cell(r[0][group])[0];
      if (label === "") label = "Not given";
      var add = 1;
      if (measure !== "count") {
        var c = cell(r[0][Number(measure)]);
        add = c[2] !== null ? Number(c[2]) : 0;
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
