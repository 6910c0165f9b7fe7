/* netmap network view: legend, filters, search, tooltips, details and drill-down.
 *
 * Every value shown comes from the JSON blocks of this page and enters the
 * DOM through textContent or element properties, never as markup; links are
 * made only for http(s) URLs. The page's Content-Security-Policy forbids any
 * request, so nothing here may load anything.
 *
 * A page holds one or more views: the accounts (possibly reduced), or, for a
 * graph collapsed by community, one node per community plus a view of each
 * community's members. Views share the legend and the filters.
 */
(function () {
  "use strict";

  if (window.performance && performance.mark) { performance.mark("netmap-script-start"); }

  function byId(id) { return document.getElementById(id); }
  function readJSON(id) { return JSON.parse(byId(id).textContent); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function safeHref(value) {
    if (typeof value !== "string") { return null; }
    try {
      var u = new URL(value);
      return (u.protocol === "http:" || u.protocol === "https:") ? u.href : null;
    } catch (err) {
      return null;
    }
  }
  function fmt(x) {
    if (typeof x !== "number" || !isFinite(x)) { return String(x); }
    if (Number.isInteger(x)) { return x.toLocaleString("en"); }
    var a = Math.abs(x);
    return (a !== 0 && (a < 0.001 || a >= 1e6)) ? x.toExponential(2) : x.toPrecision(3);
  }
  function num(x) { return Number(x).toLocaleString("en"); }
  function clip(s, n) { s = String(s); return s.length > n ? s.slice(0, n - 1) + "\u2026" : s; }

  var meta = readJSON("netmap-meta");
  var options = readJSON("netmap-options");
  var categories = meta.categories;
  var types = meta.types;
  var communities = meta.communities;
  var views = [{
    nodes: readJSON("netmap-nodes"), edges: readJSON("netmap-edges"), info: meta.info,
    et: meta.et, banner: meta.banner, kind: meta.mode,
    label: meta.mode === "communities" ? "all communities" : "accounts"
  }];
  readJSON("netmap-views").forEach(function (v) { v.kind = "accounts"; views.push(v); });
  // Maps keyed by data (community ids, platform names) have no prototype, so a
  // value such as "__proto__" or "constructor" is an ordinary key.
  function dict() { return Object.create(null); }
  var viewOf = dict();
  views.forEach(function (v, i) { if (i > 0) { viewOf[v.community] = i; } });
  views.forEach(function (v) {
    // Tie colour comes from the tie's dominant interaction type (kept out of the JSON).
    v.edges.forEach(function (e, i) {
      e.id = i;
      var t = types[v.et[i]];
      e.color = { color: t ? t.colour : "#9aa5b1" };
    });
  });

  var current = 0;
  var info = views[0].info;
  var container = byId("netmap-network");
  var tooltip = byId("netmap-tooltip");

  function fresh(items) { return items.map(function (x) { return Object.assign({}, x); }); }
  var nodes = new vis.DataSet(fresh(views[0].nodes));
  var edges = new vis.DataSet(fresh(views[0].edges));
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  // Handles for scripts and tests (the browser tests drive the page through them).
  window.netmap = {
    network: network, nodes: nodes, edges: edges, meta: meta, views: views,
    select: function (i) { choose(current, i); }, show: showView,
    view: function () { return current; }, drawnAt: null
  };
  window.network = network;

  network.once("afterDrawing", function () {
    if (window.performance && performance.mark) { performance.mark("netmap-drawn"); }
    window.netmap.drawnAt = window.performance ? performance.now() : null;
    document.body.setAttribute("data-netmap-ready", "1");
  });

  function isCommunity(d) { return d && d.sz !== undefined; }

  // ---- details (tooltip and side panel share one builder) ----
  function describe(i, full) {
    var d = info[i];
    var box = el("div");
    box.appendChild(el("h3", null, d.n || d.h || d.k));
    var dl = el("dl");
    function row(term, value, cls) {
      if (value === undefined || value === null || value === "") { return; }
      dl.appendChild(el("dt", null, term));
      dl.appendChild(el("dd", cls || null, value));
    }
    if (isCommunity(d)) {
      row("accounts", num(d.sz));
      row("members here", d.sh ? num(d.sh) + (d.sh < d.sz ? " (top by " + meta.sizeBy + ")" : "") : "none (too small)");
      row("groups", d.gm.map(function (g) { return g[0] + " " + num(g[1]); }).join(", "));
      row("platforms", d.pm.map(function (p) { return p[0] + " " + num(p[1]); }).join(", "));
      row("top members", d.top.join("; "));
      if (typeof d.iw === "number") { row("ties inside", fmt(d.iw)); }
      box.appendChild(dl);
      if (viewOf[d.c] !== undefined) {
        if (full) {
          var open = el("button", "nm-open", "open this community");
          open.type = "button";
          open.addEventListener("click", function () { showView(viewOf[d.c]); });
          box.appendChild(open);
        } else {
          box.appendChild(el("p", "nm-hint", "double-click to open"));
        }
      }
      return box;
    }
    row("key", d.k);
    if (d.h && d.h !== d.n) { row("handle", d.h); }
    row("platform", d.p);
    if (d.g !== undefined) {
      var g = d.gl || d.g;
      var extra = [];
      if (typeof d.gs === "number") { extra.push("score " + fmt(d.gs)); }
      if (d.gsrc) { extra.push(d.gsrc); }
      row("group", extra.length ? g + " (" + extra.join(", ") + ")" : g);
    } else {
      row("group", "unassigned");
    }
    if (meta.colorBy !== "group" && meta.colorBy !== "community") {
      row(meta.colorBy, categories[d.cat].label);
    }
    if (d.c !== undefined) { row("community", d.c); }
    if (typeof d.pr === "number") { row("pagerank", fmt(d.pr)); }
    if (meta.sizeBy !== "pagerank" && typeof d.m === "number") { row(meta.sizeBy, fmt(d.m)); }
    if (d.ev) { row("evidence", full ? d.ev : clip(d.ev, 160), "nm-evidence"); }
    box.appendChild(dl);
    var href = safeHref(d.u);
    if (href) {
      var a = el("a", "nm-profile", "open profile");
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.referrerPolicy = "no-referrer";
      var p = el("p");
      p.appendChild(a);
      box.appendChild(p);
    }
    return box;
  }

  var details = byId("netmap-details");
  function showDetails(i) {
    details.replaceChildren();
    if (i === null || i === undefined || !info[i]) { return; }
    details.appendChild(el("h2", null, isCommunity(info[i]) ? "Selected community" : "Selected account"));
    details.appendChild(describe(i, true));
  }

  var hideTimer = null;
  function hideTooltip() { tooltip.hidden = true; tooltip.replaceChildren(); }
  network.on("hoverNode", function (params) {
    clearTimeout(hideTimer);
    tooltip.replaceChildren(describe(params.node, false));
    tooltip.hidden = false;
    var x = params.pointer.DOM.x + 14, y = params.pointer.DOM.y + 14;
    var maxX = container.clientWidth - tooltip.offsetWidth - 4;
    var maxY = container.clientHeight - tooltip.offsetHeight - 4;
    tooltip.style.left = Math.max(4, Math.min(x, maxX)) + "px";
    tooltip.style.top = Math.max(4, Math.min(y, maxY)) + "px";
  });
  network.on("blurNode", function () {
    // Linger so the pointer can reach the profile link inside the tooltip.
    hideTimer = setTimeout(hideTooltip, 600);
  });
  tooltip.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
  tooltip.addEventListener("mouseleave", function () { hideTimer = setTimeout(hideTooltip, 200); });
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);
  network.on("selectNode", function (params) { showDetails(params.nodes[0]); });
  network.on("deselectNode", function (params) {
    showDetails(params.nodes.length ? params.nodes[0] : null);
  });
  network.on("doubleClick", function (params) {
    if (!params.nodes.length) { return; }
    var d = info[params.nodes[0]];
    if (isCommunity(d) && viewOf[d.c] !== undefined) { showView(viewOf[d.c]); }
  });

  // ---- filters: colour classes, platforms, communities (nodes); tie types (edges) ----
  var catOn = categories.map(function () { return true; });
  var platOn = dict();
  meta.platforms.forEach(function (p) { platOn[p.name] = true; });
  var commOn = communities.map(function () { return true; });
  var commIndex = dict();
  var otherComm = -1;
  communities.forEach(function (c, i) {
    if (c.other) { otherComm = i; } else { commIndex[c.value] = i; }
  });
  function commOf(d) {
    var c = d.c === undefined ? "" : d.c;
    var i = commIndex[c];
    return i === undefined ? otherComm : i;
  }
  var typeOn = types.map(function () { return true; });
  var hiddenNow = [];
  var edgeHidden = [];

  function nodeHidden(d) {
    if (!catOn[d.cat]) { return true; }
    // A community node holds accounts of several platforms: the platform filter is for accounts.
    if (!isCommunity(d) && !platOn[d.p || ""]) { return true; }
    if (communities.length) {
      var ci = commOf(d);
      if (ci >= 0 && !commOn[ci]) { return true; }
    }
    return false;
  }

  function applyFilter() {
    var updates = [];
    for (var i = 0; i < info.length; i++) {
      var hide = nodeHidden(info[i]);
      if (hide !== hiddenNow[i]) {
        hiddenNow[i] = hide;
        updates.push({ id: i, hidden: hide });
      }
    }
    if (updates.length) { nodes.update(updates); }
    var sel = network.getSelectedNodes().filter(function (id) { return !hiddenNow[id]; });
    network.selectNodes(sel);
    var visible = hiddenNow.filter(function (h) { return !h; }).length;
    var what = views[current].kind === "communities" ? " communities visible" : " accounts visible";
    byId("netmap-visible").textContent = num(visible) + " of " + num(info.length) + what;
  }

  function applyEdgeFilter() {
    var et = views[current].et;
    var updates = [];
    for (var i = 0; i < et.length; i++) {
      var hide = !typeOn[et[i]];
      if (hide !== edgeHidden[i]) {
        edgeHidden[i] = hide;
        updates.push({ id: i, hidden: hide });
      }
    }
    if (updates.length) { edges.update(updates); }
  }

  var SVGNS = "http://www.w3.org/2000/svg";
  function shapeIcon(shape, dashed) {
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("class", "nm-shape");
    var s;
    var pts = {
      triangle: "8,2 14.5,14 1.5,14",
      triangleDown: "1.5,2 14.5,2 8,14",
      diamond: "8,1 15,8 8,15 1,8",
      hexagon: "4.5,2 11.5,2 15,8 11.5,14 4.5,14 1,8",
      star: "8,1 9.8,6 15,6 10.8,9.2 12.4,14.5 8,11.3 3.6,14.5 5.2,9.2 1,6 6.2,6"
    }[shape];
    if (pts) {
      s = document.createElementNS(SVGNS, "polygon");
      s.setAttribute("points", pts);
    } else if (shape === "square") {
      s = document.createElementNS(SVGNS, "rect");
      s.setAttribute("x", "2"); s.setAttribute("y", "2");
      s.setAttribute("width", "12"); s.setAttribute("height", "12");
    } else {
      s = document.createElementNS(SVGNS, "circle");
      s.setAttribute("cx", "8"); s.setAttribute("cy", "8"); s.setAttribute("r", "6");
    }
    s.setAttribute("fill", "#c9ced4");
    s.setAttribute("stroke", "#4a525c");
    s.setAttribute("stroke-width", "1.3");
    if (dashed) { s.setAttribute("stroke-dasharray", "2.5 1.5"); }
    svg.appendChild(s);
    return svg;
  }

  function checkboxRow(list, icon, name, count, checked, onChange, dataAttr) {
    var li = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = checked;
    box.setAttribute(dataAttr[0], dataAttr[1]);
    box.addEventListener("change", function () { onChange(box.checked); });
    label.appendChild(box);
    if (icon) { label.appendChild(icon); }
    label.appendChild(el("span", "nm-name", name));
    li.appendChild(label);
    li.appendChild(el("span", "nm-count", count));
    list.appendChild(li);
    return box;
  }

  function allNone(which, onSet) {
    var buttons = el("div", "nm-buttons");
    buttons.setAttribute("data-filter", which);
    var all = el("button", null, "all"), none = el("button", null, "none");
    all.type = "button"; none.type = "button";
    all.addEventListener("click", function () { onSet(true); });
    none.addEventListener("click", function () { onSet(false); });
    buttons.appendChild(all); buttons.appendChild(none);
    return buttons;
  }

  // Counts of the current view: items per class (accounts inside a community node count).
  function viewCounts() {
    var c = { cat: categories.map(function () { return 0; }), plat: dict(), comm: communities.map(function () { return 0; }),
              type: types.map(function () { return 0; }) };
    info.forEach(function (d) {
      var w = isCommunity(d) ? d.sz : 1;
      c.cat[d.cat] += w;
      if (isCommunity(d)) {
        d.pm.forEach(function (p) { var k = p[0] === "unknown" ? "" : p[0]; c.plat[k] = (c.plat[k] || 0) + p[1]; });
      } else {
        c.plat[d.p || ""] = (c.plat[d.p || ""] || 0) + 1;
      }
      var ci = commOf(d);
      if (ci >= 0) { c.comm[ci] += w; }
    });
    views[current].et.forEach(function (t) { c.type[t] += 1; });
    return c;
  }

  var catBoxes = [], platBoxes = dict(), commBoxes = [], typeBoxes = [];
  function buildLegend() {
    var legend = byId("netmap-legend");
    legend.replaceChildren();
    catBoxes = []; platBoxes = dict(); commBoxes = []; typeBoxes = [];
    var counts = viewCounts();
    var whole = meta.reduced && views[current].kind === "accounts" && current === 0;
    function countText(shown, total) {
      return whole ? num(shown) + " / " + num(total) : num(shown);
    }

    legend.appendChild(el("h2", null, "Colour: " + meta.colorLabel));
    legend.appendChild(allNone("category", function (v) {
      catOn = catOn.map(function () { return v; });
      catBoxes.forEach(function (b) { b.checked = v; });
      applyFilter();
    }));
    var ul = el("ul", "nm-categories");
    categories.forEach(function (c, i) {
      var sw = el("span", "nm-swatch");
      sw.style.backgroundColor = c.colour;
      catBoxes.push(checkboxRow(ul, sw, c.label, countText(counts.cat[i], c.total), catOn[i], function (v) {
        catOn[i] = v; applyFilter();
      }, ["data-category", String(i)]));
    });
    legend.appendChild(ul);

    if (communities.length) {
      legend.appendChild(el("h2", null, "Community"));
      legend.appendChild(allNone("community", function (v) {
        commOn = commOn.map(function () { return v; });
        commBoxes.forEach(function (b) { b.checked = v; });
        applyFilter();
      }));
      var cl = el("ul", "nm-communities");
      communities.forEach(function (c, i) {
        commBoxes.push(checkboxRow(cl, null, c.label, countText(counts.comm[i], c.total), commOn[i],
          function (v) { commOn[i] = v; applyFilter(); }, ["data-community", String(i)]));
      });
      legend.appendChild(cl);
    }

    legend.appendChild(el("h2", null, "Shape: platform"));
    var pl = el("ul", "nm-platforms");
    meta.platforms.forEach(function (p) {
      platBoxes[p.name] = checkboxRow(pl, shapeIcon(p.shape, p.dashed), p.name || "unknown",
        num(counts.plat[p.name] || 0), platOn[p.name], function (v) { platOn[p.name] = v; applyFilter(); },
        ["data-platform", p.name]);
    });
    legend.appendChild(pl);

    legend.appendChild(el("h2", null, "Size: " + (views[current].kind === "communities" ? "accounts" : meta.sizeBy)));
    legend.appendChild(el("h2", null, "Ties: colour = main interaction"));
    var tl = el("ul", "nm-types");
    types.forEach(function (t, i) {
      if (!counts.type[i]) { return; }
      var key = el("span", "nm-edge-key");
      key.style.borderTopColor = t.colour;
      typeBoxes.push(checkboxRow(tl, key, t.label, num(counts.type[i]), typeOn[i],
        function (v) { typeOn[i] = v; applyEdgeFilter(); }, ["data-type", t.name]));
    });
    legend.appendChild(tl);
    var xl = el("ul");
    var li2 = el("li"); li2.appendChild(el("span", "nm-edge-key nm-cross"));
    li2.appendChild(el("span", "nm-name", "cross-platform"));
    var crossing = views[current].edges.filter(function (e) { return e.dashes; }).length;
    li2.appendChild(el("span", "nm-count", num(crossing)));
    xl.appendChild(li2);
    legend.appendChild(xl);
    legend.appendChild(el("p", "nm-hint", "width: tie weight; arrow: from the account that shares, quotes, replies to or mentions"));
    legend.appendChild(el("p", null)).id = "netmap-visible";
  }

  // ---- views: the collapsed communities and each community's members ----
  var viewbar = byId("netmap-viewbar");
  var viewSelect = null;
  function buildViewbar() {
    if (views.length < 2) { return; }
    viewbar.hidden = false;
    var back = el("button", "nm-back", "\u2190 all communities");
    back.type = "button";
    back.id = "netmap-back";
    back.addEventListener("click", function () { showView(0); });
    viewbar.appendChild(back);
    var label = el("label", null, "View ");
    viewSelect = el("select");
    viewSelect.id = "netmap-view";
    views.forEach(function (v, i) {
      var o = el("option", null, i === 0 ? "all communities" : v.label + " (" + num(v.info.length) + ")");
      o.value = String(i);
      viewSelect.appendChild(o);
    });
    viewSelect.addEventListener("change", function () { showView(Number(viewSelect.value)); });
    label.appendChild(viewSelect);
    viewbar.appendChild(label);
  }

  function showView(v) {
    if (v === current || !views[v]) { return; }
    current = v;
    var view = views[v];
    info = view.info;
    hideTooltip();
    showDetails(null);
    hiddenNow = [];
    edgeHidden = [];
    network.unselectAll();
    nodes.clear();
    edges.clear();
    nodes.add(fresh(view.nodes));
    edges.add(fresh(view.edges));
    var banner = byId("netmap-banner");
    if (banner) { banner.textContent = view.banner || meta.banner; }
    if (viewSelect) { viewSelect.value = String(v); }
    var back = byId("netmap-back");
    if (back) { back.disabled = v === 0; }
    buildLegend();
    applyFilter();
    applyEdgeFilter();
    buildIndex();
    network.fit({ animation: false });
    document.body.setAttribute("data-netmap-view", String(v));
  }

  buildViewbar();
  buildLegend();
  applyFilter();
  applyEdgeFilter();
  var back0 = byId("netmap-back");
  if (back0) { back0.disabled = true; }
  document.body.setAttribute("data-netmap-view", "0");

  // ---- search: every account of every view, the current view first ----
  var search = byId("netmap-search");
  var results = byId("netmap-results");
  var index = [];
  function buildIndex() {
    index = [];
    var order = [current].concat(views.map(function (_, i) { return i; }).filter(function (i) { return i !== current; }));
    order.forEach(function (v) {
      views[v].info.forEach(function (d, i) {
        index.push({ v: v, i: i, f: [(d.k || "").toLowerCase(), (d.n || "").toLowerCase(), (d.h || "").toLowerCase()] });
      });
    });
  }
  buildIndex();
  var found = [];

  function choose(v, i) {
    if (v !== current) { showView(v); }
    if (i === undefined || i === null || !info[i]) { return; }
    if (hiddenNow[i]) {
      // Searching for a filtered-out account brings its classes back.
      var d = info[i];
      catOn[d.cat] = true;
      if (catBoxes[d.cat]) { catBoxes[d.cat].checked = true; }
      if (!isCommunity(d)) {
        platOn[d.p || ""] = true;
        if (platBoxes[d.p || ""]) { platBoxes[d.p || ""].checked = true; }
      }
      var ci = communities.length ? commOf(d) : -1;
      if (ci >= 0) { commOn[ci] = true; if (commBoxes[ci]) { commBoxes[ci].checked = true; } }
      applyFilter();
    }
    network.selectNodes([i]);
    network.focus(i, { scale: Math.max(network.getScale(), 1.2), animation: false });
    showDetails(i);
  }

  function matches(q) {
    var exact = [], starts = [], contains = [];
    for (var n = 0; n < index.length; n++) {
      var f = index[n].f;
      if (f[0] === q || f[1] === q || f[2] === q) { exact.push(index[n]); }
      else if (f[0].indexOf(q) === 0 || f[1].indexOf(q) === 0 || f[2].indexOf(q) === 0) { starts.push(index[n]); }
      else if (f[0].indexOf(q) >= 0 || f[1].indexOf(q) >= 0 || f[2].indexOf(q) >= 0) { contains.push(index[n]); }
    }
    return { exact: exact, all: exact.concat(starts, contains) };
  }

  function showResults(list) {
    results.replaceChildren();
    found = list.slice(0, 30);
    found.forEach(function (hit, n) {
      var d = views[hit.v].info[hit.i];
      var li = el("li", n === 0 ? "nm-active" : null);
      li.appendChild(el("div", null, d.n || d.h || d.k));
      li.appendChild(el("div", "nm-sub", hit.v === current ? d.k : d.k + " \u2014 " + views[hit.v].label));
      li.addEventListener("mousedown", function (ev) {
        ev.preventDefault();
        choose(hit.v, hit.i);
        results.hidden = true;
      });
      results.appendChild(li);
    });
    if (list.length > found.length) {
      results.appendChild(el("li", "nm-sub", num(list.length - found.length) + " more\u2026"));
    }
    results.hidden = found.length === 0;
  }

  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase();
    if (!q) { results.hidden = true; return; }
    var m = matches(q);
    showResults(m.all);
    // An exact key/name/handle, or the only match, is selected while typing.
    var one = m.exact.length === 1 ? m.exact[0] : (m.all.length === 1 ? m.all[0] : null);
    if (one) { choose(one.v, one.i); }
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && found.length) {
      ev.preventDefault();
      choose(found[0].v, found[0].i);
      results.hidden = true;
    } else if (ev.key === "Escape") {
      results.hidden = true;
    }
  });
  search.addEventListener("blur", function () { setTimeout(function () { results.hidden = true; }, 150); });
})();
