/* kith: the network map. No dependency, nothing from the network: the
   positions come computed in network.json (see kith/render/network.py), so
   this script only draws, pans, zooms and finds chains of people.
   Names from contact files only ever reach the page as text (textContent,
   option values, canvas text), never as HTML. */
(function () {
  "use strict";

  var box = document.getElementById("kith-network");
  if (!box) return;
  var canvas = document.getElementById("kith-network-canvas");
  var hover = document.getElementById("kith-network-hover");
  var legend = document.getElementById("kith-network-legend");
  var colourSelect = document.getElementById("kith-colour");
  var tagSelect = document.getElementById("kith-tag");
  var root = box.getAttribute("data-root") || "";
  var ctx = canvas.getContext("2d");

  var CIRCLE_COLOURS = {
    inner: "#7b1fa2", close: "#1565c0", friend: "#2e7d32", acquaintance: "#8d6e63"
  };
  var NONE = "#9e9e9e";
  var PALETTE = ["#1565c0", "#c62828", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f",
                 "#ad1457", "#9e9d24", "#4e342e", "#283593", "#00695c"];
  var RADIUS = 4; // layout units; people are 12 apart (network.py SPACING)
  var MENTION_TYPE = "mentioned"; // a mention is a weaker link: it costs 2 (graph.MENTION_WEIGHT)

  var state = {
    data: null, nodes: [], links: [], byId: {}, adjacency: [],
    scale: 1, ox: 0, oy: 0, width: 0, height: 0,
    colourBy: "circle", tag: "", companyColour: {}, path: [], focus: -1
  };
  var api = { drawn: 0, ready: false };
  window.kithNetwork = api;

  function say(text) { hover.textContent = text; }

  function personUrl(node) {
    return root + state.data.url.replace("{id}", encodeURIComponent(node.id));
  }

  // -- view --------------------------------------------------------------

  function resize() {
    var ratio = window.devicePixelRatio || 1;
    state.width = Math.max(200, box.clientWidth);
    state.height = Math.max(300, Math.min(window.innerHeight * 0.7, 760));
    canvas.style.width = state.width + "px";
    canvas.style.height = state.height + "px";
    canvas.width = Math.round(state.width * ratio);
    canvas.height = Math.round(state.height * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  }

  function fit() {
    var nodes = state.nodes;
    if (!nodes.length) { state.scale = 1; state.ox = state.width / 2; state.oy = state.height / 2; return; }
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      if (n.x < minX) minX = n.x; if (n.x > maxX) maxX = n.x;
      if (n.y < minY) minY = n.y; if (n.y > maxY) maxY = n.y;
    }
    var pad = RADIUS * 4;
    var w = maxX - minX + 2 * pad, h = maxY - minY + 2 * pad;
    state.scale = Math.min(state.width / w, state.height / h, 4);
    state.ox = state.width / 2 - ((minX + maxX) / 2) * state.scale;
    state.oy = state.height / 2 - ((minY + maxY) / 2) * state.scale;
  }

  function zoomAt(factor, sx, sy) {
    var scale = Math.max(0.01, Math.min(40, state.scale * factor));
    factor = scale / state.scale;
    state.ox = sx - (sx - state.ox) * factor;
    state.oy = sy - (sy - state.oy) * factor;
    state.scale = scale;
    schedule();
  }

  function centreOn(index, scale) {
    var n = state.nodes[index];
    state.scale = scale;
    state.ox = state.width / 2 - n.x * scale;
    state.oy = state.height / 2 - n.y * scale;
  }

  // -- colours -----------------------------------------------------------

  function companyKey(node) {
    // kith's organisation key (case, legal form and "The" ignored), as on the organisation pages.
    if (node.org) return node.org;
    return node.company ? node.company.toLowerCase().split(/\s+/).join(" ") : "";
  }

  function assignCompanyColours() {
    // The biggest organisations get their own colour; the rest share grey.
    var counts = {};
    state.nodes.forEach(function (n) {
      var key = companyKey(n);
      if (key) counts[key] = (counts[key] || 0) + 1;
    });
    var keys = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : 1); });
    state.companyColour = {};
    state.companyOrder = keys.slice(0, PALETTE.length);
    state.companyOrder.forEach(function (key, i) { state.companyColour[key] = PALETTE[i]; });
    state.companyName = {};
    state.nodes.forEach(function (n) {
      var key = companyKey(n);
      if (key && !(key in state.companyName)) state.companyName[key] = n.company;
    });
  }

  function colourOf(node) {
    if (state.colourBy === "company") return state.companyColour[companyKey(node)] || NONE;
    return CIRCLE_COLOURS[node.circle] || NONE;
  }

  function matches(node) {
    return !state.tag || (node.tags || []).indexOf(state.tag) >= 0;
  }

  function drawLegend() {
    legend.textContent = "";
    var entries = [];
    if (state.colourBy === "company") {
      state.companyOrder.forEach(function (key) { entries.push([state.companyName[key], state.companyColour[key]]); });
      entries.push(["other or none", NONE]);
    } else {
      Object.keys(CIRCLE_COLOURS).forEach(function (c) { entries.push([c, CIRCLE_COLOURS[c]]); });
      entries.push(["no circle", NONE]);
    }
    entries.forEach(function (entry) {
      var item = document.createElement("span");
      var swatch = document.createElement("span");
      swatch.className = "kith-swatch";
      swatch.style.background = entry[1];
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(entry[0]));
      legend.appendChild(item);
    });
  }

  // -- drawing -----------------------------------------------------------

  function draw() {
    var nodes = state.nodes, links = state.links, s = state.scale, ox = state.ox, oy = state.oy;
    ctx.clearRect(0, 0, state.width, state.height);
    var faded = state.tag !== "";

    // Edges in one path: thousands of strokes would be slow.
    // Thousands of links would paint the map solid grey: the more links,
    // the fainter each one.
    var alpha = Math.max(0.05, Math.min(0.35, 8 / Math.sqrt(links.length || 1)));
    ctx.lineWidth = 1;
    ctx.strokeStyle = "rgba(120,120,120," + (faded ? alpha / 4 : alpha) + ")";
    ctx.beginPath();
    for (var i = 0; i < links.length; i++) {
      var a = nodes[links[i][0]], b = nodes[links[i][1]];
      ctx.moveTo(a.x * s + ox, a.y * s + oy);
      ctx.lineTo(b.x * s + ox, b.y * s + oy);
    }
    ctx.stroke();

    // People, one fill per colour.
    var r = Math.max(1.5, RADIUS * s);
    var batches = {};
    for (i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      var key = colourOf(n) + (matches(n) ? "" : "|faded");
      (batches[key] = batches[key] || []).push(n);
    }
    Object.keys(batches).forEach(function (key) {
      var parts = key.split("|");
      ctx.globalAlpha = parts[1] ? 0.15 : 1;
      ctx.fillStyle = parts[0];
      ctx.beginPath();
      batches[key].forEach(function (n) {
        var x = n.x * s + ox, y = n.y * s + oy;
        ctx.moveTo(x + r, y);
        ctx.arc(x, y, r, 0, 2 * Math.PI);
      });
      ctx.fill();
    });
    ctx.globalAlpha = 1;

    drawPath(r);
    if (state.focus >= 0) ring(state.nodes[state.focus], r + 3, "#ff6f00");
    drawLabels(r);

    api.drawn = nodes.length;
    canvas.setAttribute("data-nodes-drawn", String(nodes.length));
  }

  // Pointer moves come faster than frames: draw at most once per frame.
  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; draw(); });
  }

  function ring(n, radius, colour) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(n.x * state.scale + state.ox, n.y * state.scale + state.oy, radius, 0, 2 * Math.PI);
    ctx.stroke();
  }

  function drawPath(r) {
    var path = state.path;
    if (path.length < 1) return;
    ctx.strokeStyle = "#ff6f00";
    ctx.lineWidth = 3;
    ctx.beginPath();
    path.forEach(function (index, k) {
      var n = state.nodes[index];
      var x = n.x * state.scale + state.ox, y = n.y * state.scale + state.oy;
      if (k === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.stroke();
    path.forEach(function (index) { ring(state.nodes[index], r + 2, "#ff6f00"); });
  }

  function drawLabels(r) {
    // Names only when zoomed in far enough to read them, and not too many.
    if (r < 5) return;
    var visible = [];
    for (var i = 0; i < state.nodes.length && visible.length <= 400; i++) {
      var n = state.nodes[i];
      var x = n.x * state.scale + state.ox, y = n.y * state.scale + state.oy;
      if (x > -50 && x < state.width + 50 && y > -20 && y < state.height + 20) visible.push([n, x, y]);
    }
    if (visible.length > 400) return;
    ctx.fillStyle = getComputedStyle(canvas).color || "#333";
    ctx.font = "11px sans-serif";
    ctx.textAlign = "center";
    visible.forEach(function (v) { ctx.fillText(v[0].name, v[1], v[2] + r + 11); });
  }

  // -- finding people ------------------------------------------------------

  function nodeAt(sx, sy) {
    var wx = (sx - state.ox) / state.scale, wy = (sy - state.oy) / state.scale;
    var reach = Math.max(RADIUS, 6 / state.scale), best = -1, bestD = reach * reach;
    for (var i = 0; i < state.nodes.length; i++) {
      var n = state.nodes[i], dx = n.x - wx, dy = n.y - wy, d = dx * dx + dy * dy;
      if (d <= bestD) { best = i; bestD = d; }
    }
    return best;
  }

  function local(event) {
    var rect = canvas.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  }

  /* Where a person is drawn, in the window's coordinates (for tests and
     for anything that wants to point at someone). */
  api.screenOf = function (id) {
    var index = state.byId[id];
    if (index === undefined) return null;
    var n = state.nodes[index], rect = canvas.getBoundingClientRect();
    return { x: rect.left + n.x * state.scale + state.ox, y: rect.top + n.y * state.scale + state.oy };
  };

  // -- pan, zoom, click ------------------------------------------------------

  var drag = null;
  canvas.addEventListener("pointerdown", function (event) {
    var p = local(event);
    drag = { x: p[0], y: p[1], ox: state.ox, oy: state.oy, moved: false };
    canvas.setPointerCapture(event.pointerId);
  });
  canvas.addEventListener("pointermove", function (event) {
    var p = local(event);
    if (drag) {
      var dx = p[0] - drag.x, dy = p[1] - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) drag.moved = true;
      if (drag.moved) { state.ox = drag.ox + dx; state.oy = drag.oy + dy; schedule(); }
      return;
    }
    var index = nodeAt(p[0], p[1]);
    canvas.style.cursor = index >= 0 ? "pointer" : "grab";
    if (index >= 0) {
      var n = state.nodes[index];
      say(n.name + (n.company ? " · " + n.company : "") + (n.circle ? " · " + n.circle : ""));
    }
  });
  canvas.addEventListener("pointerup", function (event) {
    var p = local(event), wasDrag = drag && drag.moved;
    drag = null;
    if (wasDrag) return;
    var index = nodeAt(p[0], p[1]);
    if (index >= 0) window.location.href = personUrl(state.nodes[index]);
  });
  canvas.addEventListener("wheel", function (event) {
    event.preventDefault();
    var p = local(event);
    zoomAt(event.deltaY < 0 ? 1.2 : 1 / 1.2, p[0], p[1]);
  }, { passive: false });
  document.getElementById("kith-zoom-in").addEventListener("click", function () {
    zoomAt(1.5, state.width / 2, state.height / 2);
  });
  document.getElementById("kith-zoom-out").addEventListener("click", function () {
    zoomAt(1 / 1.5, state.width / 2, state.height / 2);
  });
  document.getElementById("kith-zoom-fit").addEventListener("click", function () { fit(); draw(); });
  colourSelect.addEventListener("change", function () {
    state.colourBy = colourSelect.value; drawLegend(); draw();
  });
  tagSelect.addEventListener("change", function () { state.tag = tagSelect.value; draw(); });
  window.addEventListener("resize", function () { if (state.data) { resize(); draw(); } });

  // -- who can introduce me to X -----------------------------------------------

  var labels = []; // the text each person is picked by in the form
  var byLabel = {};

  function fillNames() {
    var seen = {};
    state.nodes.forEach(function (n) { seen[n.name] = (seen[n.name] || 0) + 1; });
    var list = document.getElementById("kith-names");
    var fragment = document.createDocumentFragment();
    state.nodes.forEach(function (n, i) {
      // Two people with one name are told apart by their slug.
      var label = seen[n.name] > 1 ? n.name + " (" + n.id + ")" : n.name;
      labels[i] = label;
      byLabel[label.toLowerCase()] = i;
      var option = document.createElement("option");
      option.value = label;
      fragment.appendChild(option);
    });
    list.appendChild(fragment);
  }

  function lookup(text) {
    var key = text.trim().toLowerCase();
    if (key in byLabel) return byLabel[key];
    var index = state.byId[text.trim()];
    return index === undefined ? -1 : index;
  }

  /* The cheapest chain from `from` to `to`: every link costs 1, a mention 2,
     as in kith's own graph.shortest_path. Costs are small integers, so a
     bucket queue does Dijkstra's work in linear time. */
  function chain(from, to) {
    var cost = new Array(state.nodes.length).fill(Infinity);
    var previous = new Array(state.nodes.length).fill(-1);
    var buckets = [[from]];
    cost[from] = 0;
    for (var d = 0; d < buckets.length; d++) {
      var bucket = buckets[d];
      if (!bucket) continue;
      for (var k = 0; k < bucket.length; k++) {
        var u = bucket[k];
        if (cost[u] !== d) continue;
        if (u === to) return unwind(previous, to);
        var next = state.adjacency[u];
        for (var j = 0; j < next.length; j++) {
          var v = next[j][0], c = d + next[j][1];
          if (c < cost[v]) {
            cost[v] = c; previous[v] = u;
            (buckets[c] = buckets[c] || []).push(v);
          }
        }
      }
    }
    return null;
  }

  function unwind(previous, to) {
    var path = [to];
    while (previous[path[0]] >= 0) path.unshift(previous[path[0]]);
    return path;
  }

  function typeBetween(a, b) {
    var next = state.adjacency[a];
    for (var j = 0; j < next.length; j++) if (next[j][0] === b) return next[j][2];
    return "";
  }

  function showChain(event) {
    event.preventDefault();
    var result = document.getElementById("kith-path-result");
    result.textContent = "";
    var from = lookup(document.getElementById("kith-path-from").value);
    var to = lookup(document.getElementById("kith-path-to").value);
    var message = document.createElement("p");
    result.appendChild(message);
    if (from < 0 || to < 0) {
      message.textContent = "Pick two people from the list.";
      return;
    }
    var path = from === to ? [from] : chain(from, to);
    state.path = path || [];
    draw();
    if (!path) {
      message.textContent = "No chain of people links " + labels[from] + " and " + labels[to] + ".";
      return;
    }
    message.textContent = path.length <= 2
      ? labels[from] + " and " + labels[to] + " already know each other."
      : (path.length - 2) + " " + (path.length === 3 ? "person" : "people") + " between them:";
    var list = document.createElement("ol");
    list.className = "kith-chain";
    path.forEach(function (index, k) {
      var item = document.createElement("li");
      var a = document.createElement("a");
      a.href = personUrl(state.nodes[index]);
      a.textContent = state.nodes[index].name;
      item.appendChild(a);
      if (k + 1 < path.length) {
        var type = typeBetween(index, path[k + 1]);
        if (type) {
          var note = document.createElement("span");
          note.className = "kith-kind";
          note.textContent = "→ " + type;
          item.appendChild(document.createTextNode(" "));
          item.appendChild(note);
        }
      }
      list.appendChild(item);
    });
    result.appendChild(list);
  }
  document.getElementById("kith-path-form").addEventListener("submit", showChain);

  // -- start -------------------------------------------------------------------

  function start(data) {
    state.data = data;
    state.nodes = data.nodes;
    state.links = data.links;
    state.nodes.forEach(function (n, i) { state.byId[n.id] = i; state.adjacency[i] = []; });
    state.links.forEach(function (l) {
      var type = data.types[l[2]] || "", weight = type === MENTION_TYPE ? 2 : 1;
      state.adjacency[l[0]].push([l[1], weight, type]);
      // `type` says what the target is to the source; the reverse direction
      // would need the inverse, so it is shown only when read source to target.
      state.adjacency[l[1]].push([l[0], weight, ""]);
    });
    var tagCounts = {};
    state.nodes.forEach(function (n) { (n.tags || []).forEach(function (t) { tagCounts[t] = (tagCounts[t] || 0) + 1; }); });
    Object.keys(tagCounts).sort(function (a, b) { return a.toLowerCase() < b.toLowerCase() ? -1 : 1; }).forEach(function (t) {
      var option = document.createElement("option");
      option.value = t;
      option.textContent = t + " (" + tagCounts[t] + ")";
      tagSelect.appendChild(option);
    });
    assignCompanyColours();
    fillNames();
    resize();
    fit();
    var wanted = decodeURIComponent((window.location.hash || "").slice(1));
    if (wanted && state.byId[wanted] !== undefined) {
      state.focus = state.byId[wanted];
      centreOn(state.focus, Math.max(state.scale, 1.5));
    }
    drawLegend();
    draw();
    api.nodes = state.nodes;
    api.redraw = draw;
    api.ready = true;
    say(state.nodes.length ? "Point at someone to see who they are." : "No one to show yet.");
  }

  fetch(box.getAttribute("data-src"))
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then(start)
    .catch(function (error) {
      say("The network map could not load its data (" + error.message + "). " +
          "Browsers do not let a page opened from disk read files: serve the site " +
          "(mkdocs serve, or any static web server).");
    });
})();
