/* netmap network view: legend, filters, search, tooltips and details.
 *
 * Every value shown comes from the JSON blocks of this page and enters the
 * DOM through textContent or element properties, never as markup; links are
 * made only for http(s) URLs. The page's Content-Security-Policy forbids any
 * request, so nothing here may load anything.
 */
(function () {
  "use strict";

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

  var nodeItems = readJSON("netmap-nodes");
  var edgeItems = readJSON("netmap-edges");
  var options = readJSON("netmap-options");
  var meta = readJSON("netmap-meta");
  var info = meta.info;
  var categories = meta.categories;
  var container = byId("netmap-network");
  var tooltip = byId("netmap-tooltip");

  var nodes = new vis.DataSet(nodeItems);
  var edges = new vis.DataSet(edgeItems);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  // Handles for scripts and tests (the browser test drives the page through them).
  window.netmap = { network: network, nodes: nodes, edges: edges, meta: meta, select: choose };
  window.network = network;

  network.once("afterDrawing", function () { document.body.setAttribute("data-netmap-ready", "1"); });

  // ---- account details (tooltip and side panel share one builder) ----
  function describe(i, full) {
    var d = info[i];
    var box = el("div");
    box.appendChild(el("h3", null, d.n || d.h || d.k));
    var dl = el("dl");
    function row(term, value) {
      if (value === undefined || value === null || value === "") { return; }
      dl.appendChild(el("dt", null, term));
      dl.appendChild(el("dd", full && term === "evidence" ? "nm-evidence" : null, value));
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
    if (full && d.ev) { row("evidence", d.ev); }
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
    details.appendChild(el("h2", null, "Selected account"));
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

  // ---- filters: colour categories (stance group / community) and platforms ----
  var catOn = categories.map(function () { return true; });
  var platOn = {};
  meta.platforms.forEach(function (p) { platOn[p.name] = true; });
  var hiddenNow = new Array(info.length).fill(false);
  var shownCounts = [];

  function applyFilter() {
    var updates = [];
    for (var i = 0; i < info.length; i++) {
      var hide = !catOn[info[i].cat] || !platOn[info[i].p || ""];
      if (hide !== hiddenNow[i]) {
        hiddenNow[i] = hide;
        updates.push({ id: i, hidden: hide });
      }
    }
    if (updates.length) { nodes.update(updates); }
    var sel = network.getSelectedNodes().filter(function (id) { return !hiddenNow[id]; });
    network.selectNodes(sel);
    var visible = hiddenNow.filter(function (h) { return !h; }).length;
    byId("netmap-visible").textContent = visible.toLocaleString("en") + " of " +
      info.length.toLocaleString("en") + " accounts visible";
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

  function countText(shown, total) {
    return meta.reduced ? shown.toLocaleString("en") + " / " + total.toLocaleString("en")
                        : shown.toLocaleString("en");
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
    label.appendChild(icon);
    label.appendChild(el("span", "nm-name", name));
    li.appendChild(label);
    li.appendChild(el("span", "nm-count", count));
    list.appendChild(li);
    return box;
  }

  var catBoxes = [], platBoxes = {};
  function buildLegend() {
    var legend = byId("netmap-legend");
    legend.appendChild(el("h2", null, "Colour: " + meta.colorLabel));
    var buttons = el("div", "nm-buttons");
    var all = el("button", null, "all"), none = el("button", null, "none");
    all.type = "button"; none.type = "button";
    function setAll(v) {
      catOn = catOn.map(function () { return v; });
      catBoxes.forEach(function (b) { b.checked = v; });
      applyFilter();
    }
    all.addEventListener("click", function () { setAll(true); });
    none.addEventListener("click", function () { setAll(false); });
    buttons.appendChild(all); buttons.appendChild(none);
    legend.appendChild(buttons);
    var ul = el("ul", "nm-categories");
    categories.forEach(function (c, i) {
      var sw = el("span", "nm-swatch");
      sw.style.backgroundColor = c.colour;
      catBoxes.push(checkboxRow(ul, sw, c.label, countText(c.count, c.total), true, function (v) {
        catOn[i] = v; applyFilter();
      }, ["data-category", String(i)]));
    });
    legend.appendChild(ul);

    legend.appendChild(el("h2", null, "Shape: platform"));
    var pl = el("ul", "nm-platforms");
    meta.platforms.forEach(function (p) {
      platBoxes[p.name] = checkboxRow(pl, shapeIcon(p.shape, p.dashed), p.name || "unknown",
        p.count.toLocaleString("en"), true, function (v) { platOn[p.name] = v; applyFilter(); },
        ["data-platform", p.name]);
    });
    legend.appendChild(pl);

    legend.appendChild(el("h2", null, "Size: " + meta.sizeBy));
    legend.appendChild(el("h2", null, "Ties"));
    var tl = el("ul");
    var li1 = el("li"); li1.appendChild(el("span", "nm-edge-key"));
    li1.appendChild(el("span", "nm-name", "same platform"));
    li1.appendChild(el("span", "nm-count", (meta.edges - meta.crossEdges).toLocaleString("en")));
    var li2 = el("li"); li2.appendChild(el("span", "nm-edge-key nm-cross"));
    li2.appendChild(el("span", "nm-name", "cross-platform"));
    li2.appendChild(el("span", "nm-count", meta.crossEdges.toLocaleString("en")));
    tl.appendChild(li1); tl.appendChild(li2);
    legend.appendChild(tl);
    legend.appendChild(el("p", "nm-hint", "width: tie weight; arrow: from the account that shares, quotes, replies to or mentions"));
    legend.appendChild(el("p", null)).id = "netmap-visible";
  }
  buildLegend();
  applyFilter();

  // ---- search ----
  var search = byId("netmap-search");
  var results = byId("netmap-results");
  var lower = info.map(function (d) {
    return [(d.k || "").toLowerCase(), (d.n || "").toLowerCase(), (d.h || "").toLowerCase()];
  });
  var current = [];

  function choose(i) {
    if (i === undefined || i === null || !info[i]) { return; }
    if (hiddenNow[i]) {
      // Searching for a filtered-out account brings its category and platform back.
      catOn[info[i].cat] = true;
      if (catBoxes[info[i].cat]) { catBoxes[info[i].cat].checked = true; }
      platOn[info[i].p || ""] = true;
      if (platBoxes[info[i].p || ""]) { platBoxes[info[i].p || ""].checked = true; }
      applyFilter();
    }
    network.selectNodes([i]);
    network.focus(i, { scale: Math.max(network.getScale(), 1.2), animation: false });
    showDetails(i);
  }

  function matches(q) {
    var exact = [], starts = [], contains = [];
    for (var i = 0; i < lower.length; i++) {
      var f = lower[i];
      if (f[0] === q || f[1] === q || f[2] === q) { exact.push(i); }
      else if (f[0].indexOf(q) === 0 || f[1].indexOf(q) === 0 || f[2].indexOf(q) === 0) { starts.push(i); }
      else if (f[0].indexOf(q) >= 0 || f[1].indexOf(q) >= 0 || f[2].indexOf(q) >= 0) { contains.push(i); }
    }
    return { exact: exact, all: exact.concat(starts, contains) };
  }

  function showResults(list) {
    results.replaceChildren();
    current = list.slice(0, 30);
    current.forEach(function (i, n) {
      var li = el("li", n === 0 ? "nm-active" : null);
      li.appendChild(el("div", null, info[i].n || info[i].h || info[i].k));
      li.appendChild(el("div", "nm-sub", info[i].k));
      li.addEventListener("mousedown", function (ev) {
        ev.preventDefault();
        choose(i);
        results.hidden = true;
      });
      results.appendChild(li);
    });
    if (list.length > current.length) {
      results.appendChild(el("li", "nm-sub", (list.length - current.length).toLocaleString("en") + " more…"));
    }
    results.hidden = current.length === 0;
  }

  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase();
    if (!q) { results.hidden = true; return; }
    var m = matches(q);
    showResults(m.all);
    // An exact key/name/handle, or the only match, is selected while typing.
    if (m.exact.length === 1) { choose(m.exact[0]); }
    else if (m.all.length === 1) { choose(m.all[0]); }
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && current.length) {
      ev.preventDefault();
      choose(current[0]);
      results.hidden = true;
    } else if (ev.key === "Escape") {
      results.hidden = true;
    }
  });
  search.addEventListener("blur", function () { setTimeout(function () { results.hidden = true; }, 150); });
})();
