/* kith: the network map. No dependency, nothing from the network: the
   positions come computed in network.json (see kith/render/layout.py), so
   this script only draws, pans, zooms and finds chains of people.

   Why it stays smooth at 30,000 people: the whole map (lines, dots, names)
   is drawn into an off-screen "scene" a margin larger than the view, and a
   drag or a pinch only moves or scales that picture (one drawImage per
   frame); the scene is drawn again once the gesture rests.

   Names never overlap: after each scene drawing, names are placed most
   important first (inner and close circles, then the best connected), each
   only where it collides with no name already placed and its cell of the
   label grid is still free, as sigma.js does; zooming in spreads people
   over more cells, so more names fit. What was drawn is on
   window.kithNetwork.labels.

   Names from contact files only ever reach the page as text (textContent,
   canvas text), never as HTML. */
(function () {
  "use strict";

  var box = document.getElementById("kith-network");
  if (!box) return;
  var canvas = document.getElementById("kith-network-canvas");
  var card = document.getElementById("kith-network-hover");
  var statusLine = document.getElementById("kith-network-status");
  var legend = document.getElementById("kith-network-legend");
  var colourSelect = document.getElementById("kith-colour");
  var tagSelect = document.getElementById("kith-tag");
  var root = box.getAttribute("data-root") || "";
  var ctx = canvas.getContext("2d");
  var scene = document.createElement("canvas");
  var sctx = scene.getContext("2d");

  var CIRCLE_COLOURS = {
    inner: "#7b1fa2", close: "#1565c0", friend: "#2e7d32", acquaintance: "#8d6e63"
  };
  var CIRCLE_WEIGHT = { inner: 8, close: 4, friend: 2 }; // how much a circle counts for a name to be shown
  var NONE = "#9e9e9e";
  var PALETTE = ["#1565c0", "#c62828", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f",
                 "#ad1457", "#9e9d24", "#4e342e", "#283593", "#00695c"];
  var RADIUS = 4; // layout units; people are 12 apart (layout.py SPACING)
  var MENTION_TYPE = "mentioned"; // a mention is a weaker link: it costs 2 (graph.MENTION_WEIGHT)
  var FONT_PX = 12;
  var LABEL_HEIGHT = 15;
  var LABEL_CELL = 100; // the label grid: at most one name per cell, as sigma.js's labelGridCellSize
  var MAX_LABELS = 400;
  // Lines drawn in one scene at most, strongest first: 127,000 faint lines
  // across a zoomed-out map of 30,000 people are a grey fog that takes half
  // a second to paint; zoomed in, every line in view is drawn.
  var MAX_LINES = 25000;
  var SETTLE_MS = 140; // a wheel or pinch that stops this long is over
  var TOUCH_REACH = 18; // px: a finger is less precise than a mouse
  var MOUSE_REACH = 7;

  var state = {
    data: null, nodes: [], links: [], byId: {}, adjacency: [],
    n: 0, xs: null, ys: null, order: [], colours: [], matching: null,
    scale: 1, ox: 0, oy: 0, width: 0, height: 0, ratio: 1,
    colourBy: "circle", tag: "", companyColour: {}, path: [], focus: -1,
    hovered: -1, pinned: -1,
    // the scene: drawn with this view, `margin` px larger than the canvas on every side
    sceneScale: 1, sceneOx: 0, sceneOy: 0, margin: 0, sceneFresh: false
  };
  var api = { drawn: 0, ready: false, frames: 0, scenes: 0, labels: [] };
  window.kithNetwork = api;

  function say(text) { if (statusLine) statusLine.textContent = text; }

  function personUrl(node) {
    return root + state.data.url.replace("{id}", encodeURIComponent(node.id));
  }

  // -- view --------------------------------------------------------------

  function resize() {
    state.ratio = window.devicePixelRatio || 1;
    state.width = Math.max(200, box.clientWidth);
    state.height = Math.round(Math.max(300, Math.min(window.innerHeight * 0.7, 760)));
    canvas.style.width = state.width + "px";
    canvas.style.height = state.height + "px";
    canvas.width = Math.round(state.width * state.ratio);
    canvas.height = Math.round(state.height * state.ratio);
    // A drag may go this far before the scene must be drawn again.
    state.margin = Math.round(Math.max(state.width, state.height) / 2);
    scene.width = Math.round((state.width + 2 * state.margin) * state.ratio);
    scene.height = Math.round((state.height + 2 * state.margin) * state.ratio);
    state.sceneFresh = false;
  }

  function fit() {
    var n = state.n, xs = state.xs, ys = state.ys;
    if (!n) { state.scale = 1; state.ox = state.width / 2; state.oy = state.height / 2; return; }
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (var i = 0; i < n; i++) {
      if (xs[i] < minX) minX = xs[i]; if (xs[i] > maxX) maxX = xs[i];
      if (ys[i] < minY) minY = ys[i]; if (ys[i] > maxY) maxY = ys[i];
    }
    var pad = RADIUS * 4;
    var w = maxX - minX + 2 * pad, h = maxY - minY + 2 * pad;
    state.scale = Math.min(state.width / w, state.height / h, 4);
    state.ox = state.width / 2 - ((minX + maxX) / 2) * state.scale;
    state.oy = state.height / 2 - ((minY + maxY) / 2) * state.scale;
    state.sceneFresh = false;
  }

  function zoomAt(factor, sx, sy) {
    var scale = Math.max(0.005, Math.min(40, state.scale * factor));
    factor = scale / state.scale;
    state.ox = sx - (sx - state.ox) * factor;
    state.oy = sy - (sy - state.oy) * factor;
    state.scale = scale;
  }

  function centreOn(index, scale) {
    state.scale = scale;
    state.ox = state.width / 2 - state.xs[index] * scale;
    state.oy = state.height / 2 - state.ys[index] * scale;
    state.sceneFresh = false;
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

  function recolour() {
    state.colours = state.nodes.map(colourOf);
    var tag = state.tag;
    state.matching = tag ? state.nodes.map(function (n) { return (n.tags || []).indexOf(tag) >= 0; }) : null;
    state.sceneFresh = false;
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

  function themeColours() {
    var style = getComputedStyle(box);
    var fg = getComputedStyle(canvas).color || "#333";
    var bg = style.getPropertyValue("--md-default-bg-color").trim() || "#fff";
    return { fg: fg, bg: bg };
  }

  // -- the scene: lines, dots and names, drawn once per resting view -------

  function drawScene() {
    var n = state.n, xs = state.xs, ys = state.ys, links = state.links;
    var s = state.scale, m = state.margin;
    var ox = state.ox + m, oy = state.oy + m; // scene pixels = view pixels + margin
    var W = state.width + 2 * m, H = state.height + 2 * m;
    var c = sctx, faded = state.matching;
    c.setTransform(state.ratio, 0, 0, state.ratio, 0, 0);
    c.clearRect(0, 0, W, H);

    var px = new Float32Array(n), py = new Float32Array(n);
    for (var i = 0; i < n; i++) { px[i] = xs[i] * s + ox; py[i] = ys[i] * s + oy; }

    // Lines in one path per shade: thousands of strokes would be slow, and
    // the more lines, the fainter each, or they paint the map solid grey.
    // A line with both ends off the scene on the same side is skipped.
    var alpha = Math.max(0.05, Math.min(0.35, 8 / Math.sqrt(Math.min(links.length, MAX_LINES) || 1)));
    c.lineWidth = 1;
    var passes = faded ? [false, true] : [true], budget = MAX_LINES, strength = state.linkOrder;
    passes.forEach(function (strong) {
      c.strokeStyle = "rgba(120,120,120," + (strong ? alpha : alpha / 4) + ")";
      c.beginPath();
      for (var k = 0; k < strength.length && budget > 0; k++) {
        var link = links[strength[k]], a = link[0], b = link[1];
        if (faded && (faded[a] && faded[b]) !== strong) continue;
        var ax = px[a], ay = py[a], bx = px[b], by = py[b];
        if ((ax < 0 && bx < 0) || (ax > W && bx > W) || (ay < 0 && by < 0) || (ay > H && by > H)) continue;
        c.moveTo(ax, ay);
        c.lineTo(bx, by);
        budget--;
      }
      c.stroke();
    });
    api.linesDrawn = MAX_LINES - budget;

    // Dots, one fill per colour; below 2.5 px a square is as round as a
    // circle to the eye and many times cheaper to draw.
    var r = Math.max(1.2, RADIUS * s);
    var round = r >= 2.5;
    var batches = {};
    for (i = 0; i < n; i++) {
      if (px[i] < -r || px[i] > W + r || py[i] < -r || py[i] > H + r) continue;
      var key = state.colours[i] + (faded && !faded[i] ? "|faded" : "");
      (batches[key] = batches[key] || []).push(i);
    }
    Object.keys(batches).sort().forEach(function (key) {
      var parts = key.split("|"), list = batches[key];
      c.globalAlpha = parts[1] ? 0.15 : 1;
      c.fillStyle = parts[0];
      c.beginPath();
      for (var j = 0; j < list.length; j++) {
        var x = px[list[j]], y = py[list[j]];
        if (round) { c.moveTo(x + r, y); c.arc(x, y, r, 0, 2 * Math.PI); }
        else c.rect(x - r, y - r, 2 * r, 2 * r);
      }
      c.fill();
    });
    c.globalAlpha = 1;

    drawLabels(c, px, py, r, W, H);
    state.sceneScale = s; state.sceneOx = state.ox; state.sceneOy = state.oy;
    state.sceneFresh = true;
    api.scenes++;
  }

  var widths = null; // name widths at FONT_PX, measured once each, when first needed

  function drawLabels(c, px, py, r, W, H) {
    var n = state.n, order = state.order, faded = state.matching, m = state.margin;
    var cells = {}, placed = [], boxes = [];
    c.font = FONT_PX + "px sans-serif";
    c.textAlign = "center";
    c.textBaseline = "top";
    c.lineJoin = "round";
    var theme = themeColours();
    if (!widths) widths = new Float32Array(n);
    // Everyone matching the tag first, then the rest (drawn faded).
    var rounds = faded ? [true, false] : [null];
    for (var pass = 0; pass < rounds.length && placed.length < MAX_LABELS; pass++) {
      for (var k = 0; k < n && placed.length < MAX_LABELS; k++) {
        var i = order[k];
        if (faded && faded[i] !== rounds[pass]) continue;
        // Names only in the view itself, whole: a name cut by the edge is
        // no use (the margin gets its names when a drag comes to rest).
        var x = px[i], y = py[i];
        if (x < m || x > m + state.width || y < m || y > m + state.height) continue;
        var cell = Math.floor(x / LABEL_CELL) + ":" + Math.floor(y / LABEL_CELL);
        if (cells[cell]) continue;
        if (!widths[i]) widths[i] = c.measureText(state.nodes[i].name).width + 1;
        var w = widths[i] + 6, left = x - w / 2, top = y + r + 1;
        if (left < m || top < m || left + w > m + state.width || top + LABEL_HEIGHT > m + state.height) continue;
        if (collides(boxes, left, top, w)) continue;
        cells[cell] = true;
        boxes.push([left, top, w]);
        placed.push(i);
      }
    }
    c.lineWidth = 3;
    c.strokeStyle = theme.bg;
    c.fillStyle = theme.fg;
    api.labels = [];
    for (var j = 0; j < placed.length; j++) {
      var node = state.nodes[placed[j]], b = boxes[j];
      c.globalAlpha = faded && !faded[placed[j]] ? 0.3 : 1;
      var cx = b[0] + b[2] / 2, cy = b[1] + 1;
      c.strokeText(node.name, cx, cy);
      c.fillText(node.name, cx, cy);
      // In view coordinates, for tests and for anyone checking the map.
      api.labels.push({ id: node.id, name: node.name, x: b[0] - m, y: b[1] - m, width: b[2], height: LABEL_HEIGHT,
                        faded: !!(faded && !faded[placed[j]]) });
    }
    c.globalAlpha = 1;
    canvas.setAttribute("data-labels-drawn", String(placed.length));
  }

  function collides(boxes, left, top, w) {
    // At most MAX_LABELS boxes, checked only against those on nearby rows.
    for (var j = 0; j < boxes.length; j++) {
      var b = boxes[j];
      if (left < b[0] + b[2] && b[0] < left + w && top < b[1] + LABEL_HEIGHT && b[1] < top + LABEL_HEIGHT) return true;
    }
    return false;
  }

  // -- what is on screen: the scene, moved and scaled, plus highlights ------

  function present() {
    var m = state.margin, k = state.scale / state.sceneScale;
    // Where the scene's corner lands in the view, as the view moved since.
    var dx = state.ox - (state.sceneOx + m) * k, dy = state.oy - (state.sceneOy + m) * k;
    ctx.setTransform(state.ratio, 0, 0, state.ratio, 0, 0);
    ctx.clearRect(0, 0, state.width, state.height);
    ctx.imageSmoothingEnabled = k !== 1;
    ctx.drawImage(scene, dx, dy, (state.width + 2 * m) * k, (state.height + 2 * m) * k);
    var r = Math.max(1.2, RADIUS * state.scale);
    drawPath(r);
    if (state.focus >= 0) ring(state.focus, r + 3, "#ff6f00");
    var shown = state.pinned >= 0 ? state.pinned : state.hovered;
    if (shown >= 0) ring(shown, r + 2, themeColours().fg);
    api.frames++;
  }

  function render() {
    if (!state.sceneFresh) drawScene();
    present();
    api.drawn = state.n;
    canvas.setAttribute("data-nodes-drawn", String(state.n));
  }

  // Pointer moves come faster than frames: at most one picture per frame.
  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; render(); });
  }

  // After a wheel or a pinch, the scaled picture is drawn sharp again.
  var settleTimer = 0;
  function settleSoon() {
    window.clearTimeout(settleTimer);
    settleTimer = window.setTimeout(function () { state.sceneFresh = false; schedule(); }, SETTLE_MS);
  }

  function moved() {
    // A drag past the margin would show the scene's edge: draw it again.
    // (A zoom is drawn sharp again when it settles.)
    var m = state.margin;
    if (state.scale === state.sceneScale &&
        (Math.abs(state.ox - state.sceneOx) > m * 0.9 || Math.abs(state.oy - state.sceneOy) > m * 0.9)) {
      state.sceneFresh = false;
    }
    schedule();
  }

  function screenX(i) { return state.xs[i] * state.scale + state.ox; }
  function screenY(i) { return state.ys[i] * state.scale + state.oy; }

  function ring(i, radius, colour) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(screenX(i), screenY(i), radius, 0, 2 * Math.PI);
    ctx.stroke();
  }

  function drawPath(r) {
    var path = state.path;
    if (path.length < 1) return;
    ctx.strokeStyle = "#ff6f00";
    ctx.lineWidth = 3;
    ctx.beginPath();
    path.forEach(function (i, k) {
      if (k === 0) ctx.moveTo(screenX(i), screenY(i)); else ctx.lineTo(screenX(i), screenY(i));
    });
    ctx.stroke();
    path.forEach(function (i) { ring(i, r + 2, "#ff6f00"); });
  }

  // -- the card: who is under the pointer (or the finger) ----------------------

  function showCard(i, touch) {
    var node = state.nodes[i];
    card.textContent = "";
    var name = document.createElement("strong");
    name.textContent = node.name;
    card.appendChild(name);
    var facts = [node.company, node.circle].filter(Boolean).join(" · ");
    if (facts) card.appendChild(document.createTextNode(" · " + facts));
    if (node.tags && node.tags.length) {
      var tags = document.createElement("span");
      tags.className = "kith-network-card-tags";
      tags.textContent = node.tags.join(", ");
      card.appendChild(tags);
    }
    if (touch) {
      // No hover on a phone: the first tap shows who it is, the link opens the page.
      var open = document.createElement("a");
      open.href = personUrl(node);
      open.className = "kith-network-open";
      open.textContent = "Open page";
      card.appendChild(open);
    }
    card.hidden = false;
    var x = screenX(i), y = screenY(i);
    var left = Math.max(0, Math.min(x + 12, state.width - card.offsetWidth - 4));
    var top = y + 14 + card.offsetHeight > state.height ? y - 14 - card.offsetHeight : y + 14;
    card.style.left = Math.round(left) + "px";
    card.style.top = Math.round(canvas.offsetTop + Math.max(0, top)) + "px";
  }

  function clearCard() {
    card.hidden = true;
    card.textContent = "";
  }

  function hoverOn(i) {
    if (i === state.hovered) return;
    state.hovered = i;
    if (i >= 0) showCard(i, false); else if (state.pinned < 0) clearCard();
    schedule();
  }

  // -- finding people ------------------------------------------------------

  function nodeAt(sx, sy, reachPx) {
    var wx = (sx - state.ox) / state.scale, wy = (sy - state.oy) / state.scale;
    var reach = Math.max(RADIUS, reachPx / state.scale), best = -1, bestD = reach * reach;
    var xs = state.xs, ys = state.ys;
    for (var i = 0; i < state.n; i++) {
      var dx = xs[i] - wx, dy = ys[i] - wy;
      if (dx > reach || dx < -reach) continue;
      var d = dx * dx + dy * dy;
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
    var rect = canvas.getBoundingClientRect();
    return { x: rect.left + screenX(index), y: rect.top + screenY(index) };
  };

  // -- pan, pinch, zoom, click and tap ------------------------------------------

  var pointers = {}; // pointerId -> [x, y], for the fingers down
  var drag = null, pinch = null;

  function pointerCount() { return Object.keys(pointers).length; }

  function startPinch() {
    var ids = Object.keys(pointers), a = pointers[ids[0]], b = pointers[ids[1]];
    pinch = { dist: Math.max(1, Math.hypot(a[0] - b[0], a[1] - b[1])), mx: (a[0] + b[0]) / 2, my: (a[1] + b[1]) / 2,
              scale: state.scale, ox: state.ox, oy: state.oy };
    drag = null;
  }

  canvas.addEventListener("pointerdown", function (event) {
    var p = local(event);
    pointers[event.pointerId] = p;
    try { canvas.setPointerCapture(event.pointerId); } catch (e) { /* a pointer already gone */ }
    if (pointerCount() === 2) { startPinch(); return; }
    if (pointerCount() > 2) return;
    drag = { x: p[0], y: p[1], ox: state.ox, oy: state.oy, moved: false, touch: event.pointerType !== "mouse" };
  });

  canvas.addEventListener("pointermove", function (event) {
    var p = local(event);
    if (pointers[event.pointerId]) pointers[event.pointerId] = p;
    if (pinch && pointerCount() >= 2) {
      var ids = Object.keys(pointers), a = pointers[ids[0]], b = pointers[ids[1]];
      var dist = Math.max(1, Math.hypot(a[0] - b[0], a[1] - b[1]));
      var mx = (a[0] + b[0]) / 2, my = (a[1] + b[1]) / 2;
      var scale = Math.max(0.005, Math.min(40, pinch.scale * dist / pinch.dist)), f = scale / pinch.scale;
      // The point under the fingers' midpoint stays under it.
      state.scale = scale;
      state.ox = mx - (pinch.mx - pinch.ox) * f;
      state.oy = my - (pinch.my - pinch.oy) * f;
      moved();
      settleSoon();
      return;
    }
    if (drag) {
      var dx = p[0] - drag.x, dy = p[1] - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > (drag.touch ? 8 : 4)) drag.moved = true;
      if (drag.moved) {
        state.ox = drag.ox + dx; state.oy = drag.oy + dy;
        if (state.hovered >= 0 || state.pinned >= 0) { state.hovered = state.pinned = -1; clearCard(); }
        moved();
      }
      return;
    }
    if (event.pointerType === "mouse") {
      var index = nodeAt(p[0], p[1], MOUSE_REACH);
      canvas.style.cursor = index >= 0 ? "pointer" : "grab";
      hoverOn(index);
    }
  });

  function pointerEnd(event, cancelled) {
    var p = local(event);
    delete pointers[event.pointerId];
    if (pinch) {
      if (pointerCount() < 2) { pinch = null; state.sceneFresh = false; schedule(); }
      return;
    }
    var wasDrag = drag && drag.moved, touch = drag && drag.touch, wasDown = !!drag;
    drag = null;
    if (wasDrag) { state.sceneFresh = false; schedule(); return; }
    if (cancelled || !wasDown) return;
    var index = nodeAt(p[0], p[1], touch ? TOUCH_REACH : MOUSE_REACH);
    if (!touch) {
      if (index >= 0) window.location.href = personUrl(state.nodes[index]);
      return;
    }
    if (index >= 0 && index === state.pinned) {
      window.location.href = personUrl(state.nodes[index]);
      return;
    }
    state.pinned = index;
    state.hovered = -1;
    if (index >= 0) showCard(index, true); else clearCard();
    schedule();
  }
  canvas.addEventListener("pointerup", function (event) { pointerEnd(event, false); });
  canvas.addEventListener("pointercancel", function (event) { pointerEnd(event, true); });
  canvas.addEventListener("pointerleave", function (event) {
    if (event.pointerType === "mouse" && !drag) { canvas.style.cursor = "grab"; hoverOn(-1); }
  });

  canvas.addEventListener("wheel", function (event) {
    event.preventDefault();
    var p = local(event);
    zoomAt(event.deltaY < 0 ? 1.2 : 1 / 1.2, p[0], p[1]);
    moved();
    settleSoon();
  }, { passive: false });

  function zoomButton(factor) {
    return function () {
      zoomAt(factor, state.width / 2, state.height / 2);
      state.sceneFresh = false;
      schedule();
    };
  }
  document.getElementById("kith-zoom-in").addEventListener("click", zoomButton(1.5));
  document.getElementById("kith-zoom-out").addEventListener("click", zoomButton(1 / 1.5));
  document.getElementById("kith-zoom-fit").addEventListener("click", function () { fit(); schedule(); });
  colourSelect.addEventListener("change", function () {
    state.colourBy = colourSelect.value; recolour(); drawLegend(); schedule();
  });
  tagSelect.addEventListener("change", function () { state.tag = tagSelect.value; recolour(); schedule(); });
  window.addEventListener("resize", function () {
    if (!state.data) return;
    var width = box.clientWidth;
    if (width === state.width) return;
    var cx = (state.width / 2 - state.ox) / state.scale, cy = (state.height / 2 - state.oy) / state.scale;
    resize();
    state.ox = state.width / 2 - cx * state.scale;
    state.oy = state.height / 2 - cy * state.scale;
    schedule();
  });

  // -- who can introduce me to X -----------------------------------------------

  var FOLD = {};
  function fold(text) {
    // As kith's own search folds: ł, ø, ß... by kith's table, then accents
    // dropped (NFKD, marks removed), then case.
    var out = "";
    for (var i = 0; i < text.length; i++) { var ch = text[i]; out += FOLD[ch] !== undefined ? FOLD[ch] : ch; }
    return out.normalize("NFKD").replace(/[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g, "")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }

  var labels = null; // the text each person is picked by; two people with one name get their slug
  var folded = null;

  function names() {
    if (labels) return;
    var seen = {};
    state.nodes.forEach(function (n) { seen[n.name] = (seen[n.name] || 0) + 1; });
    labels = state.nodes.map(function (n) { return seen[n.name] > 1 ? n.name + " (" + n.id + ")" : n.name; });
    folded = labels.map(fold);
  }

  /* Everyone whose name (or slug) starts with, or has a word starting
     with, what was typed, folded: "zoe" finds Zoë. Best first: an exact
     name, then a name that starts with it, then a word that does. */
  function candidates(text, limit) {
    names();
    var key = fold(text);
    if (!key) return [];
    var exact = [], starts = [], word = [];
    for (var i = 0; i < state.n; i++) {
      var name = folded[i];
      if (name === key || state.nodes[i].id === text.trim()) exact.push(i);
      else if (name.indexOf(key) === 0) starts.push(i);
      else if (name.indexOf(" " + key) >= 0 || name.indexOf("(" + key) >= 0) word.push(i);
      if (exact.length >= limit) break;
    }
    return exact.concat(starts, word).slice(0, limit);
  }

  /* The person meant by what was typed: an exact name (accents aside),
     a slug, or the only person it could be. -1: no one; -2: several. */
  function lookup(text) {
    var found = candidates(text, 2);
    if (!found.length) return -1;
    if (folded[found[0]] === fold(text) || state.nodes[found[0]].id === text.trim()) return found[0];
    return found.length === 1 ? found[0] : -2;
  }

  function suggestFor(input) {
    var list = document.getElementById(input.id + "-list");
    var active = -1;
    function close() { list.hidden = true; list.textContent = ""; input.setAttribute("aria-expanded", "false"); active = -1; }
    function choose(i) { input.value = labels[i]; close(); }
    function fill() {
      list.textContent = "";
      var found = state.data ? candidates(input.value, 8) : [];
      if (!found.length) { close(); return; }
      found.forEach(function (i, k) {
        var item = document.createElement("li");
        item.id = input.id + "-option-" + k;
        item.setAttribute("role", "option");
        item.textContent = labels[i];
        item.setAttribute("data-index", String(i));
        // mousedown, not click: the input's blur would close the list first.
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }
    function highlight(k) {
      var items = list.children;
      if (!items.length) return;
      active = (k + items.length) % items.length;
      for (var j = 0; j < items.length; j++) items[j].setAttribute("aria-selected", j === active ? "true" : "false");
      input.setAttribute("aria-activedescendant", items[active].id);
    }
    input.addEventListener("input", fill);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Escape") close();
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(Number(list.children[active].getAttribute("data-index")));
      }
    });
  }

  /* The cheapest chain from `from` to `to`: every link costs 1, a mention 2,
     as in kith's own graph.shortest_path. Costs are small integers, so a
     bucket queue does Dijkstra's work in linear time. */
  function adjacency() {
    if (state.adjacency.length || !state.n) return state.adjacency;
    var types = state.data.types || [];
    for (var i = 0; i < state.n; i++) state.adjacency.push([]);
    state.links.forEach(function (l) {
      var forward = types[l[2]] || "", backward = types[l[3]] || "";
      // A chain through a mention alone costs as much as two real acquaintances.
      var cost = forward === MENTION_TYPE ? 2 : 1;
      state.adjacency[l[0]].push([l[1], cost, forward]);
      state.adjacency[l[1]].push([l[0], cost, backward]);
    });
    return state.adjacency;
  }

  function chain(from, to) {
    adjacency();
    var cost = new Array(state.n).fill(Infinity);
    var previous = new Array(state.n).fill(-1);
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

  /* What b is to a, as `kith path` says it: "colleague", "mentor, friend",
     "introduction", "mentioned". */
  function labelBetween(a, b) {
    var next = state.adjacency[a];
    for (var j = 0; j < next.length; j++) if (next[j][0] === b) return next[j][2];
    return "";
  }

  function showChain(event) {
    event.preventDefault();
    var result = document.getElementById("kith-path-result");
    result.textContent = "";
    var message = document.createElement("p");
    result.appendChild(message);
    if (!state.data) { message.textContent = "The map's data has not loaded."; return; }
    names();
    var typed = [document.getElementById("kith-path-from").value, document.getElementById("kith-path-to").value];
    var ends = typed.map(lookup);
    for (var k = 0; k < 2; k++) {
      if (!typed[k].trim()) { message.textContent = "Pick two people from the list."; return; }
      if (ends[k] === -1) { message.textContent = "No one on the map is called “" + typed[k].trim() + "”: pick someone from the list."; return; }
      if (ends[k] === -2) { message.textContent = "“" + typed[k].trim() + "” could be several people: pick one from the list."; return; }
    }
    var from = ends[0], to = ends[1];
    var path = from === to ? [from] : chain(from, to);
    state.path = path || [];
    schedule();
    if (!path) {
      message.textContent = "No chain of people links " + labels[from] + " and " + labels[to] + ".";
      return;
    }
    message.textContent = path.length <= 2
      ? labels[from] + " and " + labels[to] + " already know each other."
      : (path.length - 2) + " " + (path.length === 3 ? "person" : "people") +
        " between them; each is shown with what they are to the one before:";
    var list = document.createElement("ol");
    list.className = "kith-chain";
    path.forEach(function (index, k) {
      var item = document.createElement("li");
      var a = document.createElement("a");
      a.href = personUrl(state.nodes[index]);
      a.textContent = state.nodes[index].name;
      item.appendChild(a);
      if (k > 0) {
        var step = document.createElement("span");
        step.className = "kith-step";
        step.textContent = "(" + (labelBetween(path[k - 1], index) || "linked") + ")";
        item.appendChild(document.createTextNode(" "));
        item.appendChild(step);
      }
      list.appendChild(item);
    });
    result.appendChild(list);
  }
  document.getElementById("kith-path-form").addEventListener("submit", showChain);
  suggestFor(document.getElementById("kith-path-from"));
  suggestFor(document.getElementById("kith-path-to"));

  // -- start -------------------------------------------------------------------

  function start(data) {
    state.data = data;
    state.nodes = data.nodes;
    state.links = data.links;
    FOLD = data.fold || {};
    var n = state.n = data.nodes.length;
    state.xs = new Float64Array(n);
    state.ys = new Float64Array(n);
    var weight = new Float64Array(n);
    state.nodes.forEach(function (node, i) {
      state.byId[node.id] = i;
      state.xs[i] = node.x;
      state.ys[i] = node.y;
      // Whose name is shown first: your inner and close circles, then the best connected.
      weight[i] = (1 + (node.degree || 0)) * (CIRCLE_WEIGHT[node.circle] || 1);
    });
    state.order = Array.from({ length: n }, function (_, i) { return i; });
    state.order.sort(function (a, b) { return weight[b] - weight[a] || a - b; });
    // Links by strength: relationships first, then introductions, mentions last.
    var types = data.types || [];
    var rank = types.map(function (t) { return t === MENTION_TYPE ? 2 : t === "introduction" ? 1 : 0; });
    var buckets = [[], [], []];
    for (var k = 0; k < state.links.length; k++) buckets[rank[state.links[k][2]] || 0].push(k);
    state.linkOrder = buckets[0].concat(buckets[1], buckets[2]);
    var tagCounts = {};
    state.nodes.forEach(function (node) { (node.tags || []).forEach(function (t) { tagCounts[t] = (tagCounts[t] || 0) + 1; }); });
    Object.keys(tagCounts).sort(function (a, b) { return a.toLowerCase() < b.toLowerCase() ? -1 : 1; }).forEach(function (t) {
      var option = document.createElement("option");
      option.value = t;
      option.textContent = t + " (" + tagCounts[t] + ")";
      tagSelect.appendChild(option);
    });
    assignCompanyColours();
    recolour();
    resize();
    fit();
    var wanted = "";
    try {
      wanted = decodeURIComponent((window.location.hash || "").slice(1));
    } catch (err) {
      wanted = "";  // a hash that is no URI component (#%E0) names nobody
    }
    if (wanted && state.byId[wanted] !== undefined) {
      state.focus = state.byId[wanted];
      centreOn(state.focus, Math.max(state.scale, 1.5));
    }
    drawLegend();
    render();
    api.nodes = state.nodes;
    api.redraw = function () { state.sceneFresh = false; render(); };
    api.view = function () { return { scale: state.scale, ox: state.ox, oy: state.oy, width: state.width, height: state.height }; };
    api.ready = true;
    say(n ? "" : "No one to show yet.");
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
