// The findings table: filter, sort and page the findings embedded as JSON
// in #report-data. Every value reaches the page through textContent, never
// as markup.
(function () {
  "use strict";
  var SEV = ["info", "low", "medium", "high", "critical"];
  var PAGE = 200;
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var rules = data.rules, all = data.findings;
  var el = function (id) { return document.getElementById(id); };
  var search = el("f-search"), fsev = el("f-severity"), frule = el("f-rule"), fsrc = el("f-source"), fpath = el("f-path");
  var body = el("findings-body"), count = el("count"), info = el("p-info"), prev = el("p-prev"), next = el("p-next");
  var state = { key: "severity", dir: -1, page: 0, rows: all.slice() };

  function option(select, value) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = value;
    select.appendChild(o);
  }
  var ruleIDs = {}, sources = {};
  all.forEach(function (f, i) {
    f.i = i;
    ruleIDs[rules[f.r][0]] = true;
    sources[f.src] = true;
  });
  Object.keys(ruleIDs).sort().forEach(function (id) { option(frule, id); });
  Object.keys(sources).sort().forEach(function (s) { option(fsrc, s); });

  function hay(f) {
    if (f.h === undefined) {
      var r = rules[f.r];
      f.h = [r[0], r[1], f.p, f.src, f.x, f.fp, f.m, f.cm, f.au, f.em, f.ti, f.im, f.ly, f.cb, f.inv, f.enc, f.vf, f.vw]
        .filter(Boolean).join("\n").toLowerCase();
    }
    return f.h;
  }
  function when(f) {
    if (f.dt) return f.dt;
    if (f.li !== undefined) return "layer " + String(100000 + f.li);
    return "";
  }
  var keys = {
    severity: function (f) { return f.s; },
    rule: function (f) { return rules[f.r][0]; },
    path: function (f) { return f.p; },
    source: function (f) { return f.src; },
    when: when
  };
  function compare(a, b) {
    var k = keys[state.key], x = k(a), y = k(b);
    if (x < y) return -state.dir;
    if (x > y) return state.dir;
    if (a.p !== b.p) return a.p < b.p ? -1 : 1;
    if (a.l !== b.l) return a.l - b.l;
    return a.i - b.i;
  }

  function apply() {
    var q = search.value.trim().toLowerCase(), s = fsev.value, r = frule.value, src = fsrc.value;
    var p = fpath.value.trim().toLowerCase();
    var sv = s === "" ? -1 : SEV.indexOf(s);
    state.rows = all.filter(function (f) {
      return (sv < 0 || f.s === sv) && (r === "" || rules[f.r][0] === r) && (src === "" || f.src === src) &&
        (p === "" || f.p.toLowerCase().indexOf(p) >= 0) && (q === "" || hay(f).indexOf(q) >= 0);
    });
    state.rows.sort(compare);
    state.page = 0;
    render();
  }

  function cell(tr, text, cls) {
    var td = document.createElement("td");
    if (cls) td.className = cls;
    if (text instanceof Node) td.appendChild(text); else td.textContent = text;
    tr.appendChild(td);
    return td;
  }
  function code(text) {
    var c = document.createElement("code");
    c.textContent = text;
    return c;
  }
  function sevBadge(s) {
    var b = document.createElement("span");
    b.className = "sev sev-" + SEV[s];
    b.textContent = SEV[s];
    return b;
  }
  function details(f) {
    var r = rules[f.r], dl = document.createElement("dl");
    function add(name, value) {
      if (value === undefined || value === "" || value === null) return;
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = name;
      dd.textContent = String(value);
      dl.appendChild(dt);
      dl.appendChild(dd);
    }
    add("Description", r[1]);
    add("Message", f.m);
    add("Fix", r[2]);
    add("Encoding", f.enc);
    add("Commit", f.cm);
    if (f.au || f.em) add("Author", (f.au || "") + (f.em ? " <" + f.em + ">" : ""));
    add("Date", f.dt);
    add("Commit message", f.ti);
    if (f.ih !== undefined) add("In HEAD", f.ih ? "yes" : "no, removed since (still in the history)");
    if (f.cs) add("Commits carrying it", f.cs);
    if (f.ps) add("Paths carrying it", f.ps);
    add("Image", f.im);
    if (f.li !== undefined) add("Layer", f.li < 0 ? "config and history" : "#" + f.li + (f.ly ? " " + f.ly : ""));
    add("Build step", f.cb);
    if (f.dl) add("Deleted", "by a later layer" + (f.db ? " (" + f.db + ")" : ""));
    add("Inventory", f.inv);
    if (f.vf) add("Verification", f.vf + (f.vw ? ": " + f.vw : ""));
    if (f.ctx) add("Context", f.ctx === "test" ? "test fixture path" : f.ctx);
    add("Fingerprint", f.fp);
    return dl;
  }
  function toggle(btn, tr, f) {
    var open = btn.getAttribute("aria-expanded") === "true";
    var d = tr.nextSibling;
    if (!d || !d.classList || !d.classList.contains("detail")) {
      d = document.createElement("tr");
      d.className = "detail";
      d.id = "detail-" + f.i;
      var td = document.createElement("td");
      td.colSpan = 7;
      td.appendChild(details(f));
      d.appendChild(td);
      tr.parentNode.insertBefore(d, tr.nextSibling);
    }
    d.hidden = open;
    btn.setAttribute("aria-expanded", open ? "false" : "true");
    btn.textContent = open ? "+" : "−";
  }
  function row(f) {
    var tr = document.createElement("tr");
    var btn = document.createElement("button");
    btn.type = "button";
    btn.className = "expand";
    btn.textContent = "+";
    btn.setAttribute("aria-expanded", "false");
    btn.setAttribute("aria-controls", "detail-" + f.i);
    btn.setAttribute("aria-label", "Details of " + rules[f.r][0] + " in " + f.p);
    btn.addEventListener("click", function () { toggle(btn, tr, f); });
    cell(tr, btn);
    cell(tr, sevBadge(f.s));
    cell(tr, rules[f.r][0]);
    cell(tr, code(f.p + (f.l ? ":" + f.l + ":" + f.c : "")), "loc");
    cell(tr, f.src);
    cell(tr, code(f.x || ""));
    var w = "";
    if (f.cm) w = f.cm.slice(0, 12) + (f.dt ? " " + f.dt.slice(0, 10) : "");
    else if (f.li !== undefined) w = f.li < 0 ? "config" : "layer " + f.li + (f.dl ? " (deleted)" : "");
    cell(tr, w);
    return tr;
  }

  function render() {
    var n = state.rows.length, pages = Math.max(1, Math.ceil(n / PAGE));
    state.page = Math.min(state.page, pages - 1);
    var from = state.page * PAGE, to = Math.min(n, from + PAGE);
    var frag = document.createDocumentFragment();
    for (var i = from; i < to; i++) frag.appendChild(row(state.rows[i]));
    body.textContent = "";
    body.appendChild(frag);
    count.dataset.matching = String(n);
    count.textContent = n === all.length ? n + " findings" : n + " of " + all.length + " findings match";
    info.textContent = n === 0 ? "no findings" : "rows " + (from + 1) + "–" + to + " of " + n + ", page " + (state.page + 1) + " of " + pages;
    prev.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
  }

  var timer = 0;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(apply, all.length > 5000 ? 150 : 0);
  }
  search.addEventListener("input", later);
  fpath.addEventListener("input", later);
  [fsev, frule, fsrc].forEach(function (s) { s.addEventListener("change", apply); });
  el("filters").addEventListener("reset", function () { setTimeout(apply, 0); });
  el("filters").addEventListener("submit", function (e) { e.preventDefault(); });
  prev.addEventListener("click", function () { state.page--; render(); });
  next.addEventListener("click", function () { state.page++; render(); });
  Array.prototype.forEach.call(document.querySelectorAll("th[data-key]"), function (th) {
    th.querySelector("button").addEventListener("click", function () {
      var k = th.dataset.key;
      state.dir = state.key === k ? -state.dir : (k === "severity" ? -1 : 1);
      state.key = k;
      Array.prototype.forEach.call(document.querySelectorAll("th[data-key]"), function (o) {
        o.setAttribute("aria-sort", o === th ? (state.dir > 0 ? "ascending" : "descending") : "none");
      });
      state.rows.sort(compare);
      state.page = 0;
      render();
    });
  });
  state.rows.sort(compare);
  render();
  document.documentElement.dataset.ready = "true";
}());
