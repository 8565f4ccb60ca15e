/* rangemap on Leaflet: the layers geo.RangeLayer and the land layer put on any map.
 *
 *   rangemap.land(map, land, style)   the Natural Earth land, borders and graticule (a layer)
 *   rangemap.layer(map, data, opts)   a range layer: regions, sites, targets, geodesic paths,
 *                                     labels, tooltips, its legend (a Leaflet control); opts.fit
 *                                     fits the map to it once it has a size
 *   rangemap.layers                   every range layer drawn, for scripts and tests:
 *                                     {map, layer, groups, labels, data, layout}
 *
 * `data` is the JSON blob of geo.outputs.web.data.map_data. Every user string is set with
 * textContent (never HTML). Regions and land are drawn in every world copy the view can show
 * (shifted by multiples of 360 degrees); markers, paths and labels once. Labels of every range
 * layer of a map are placed together so that they overlap neither each other, nor markers, nor
 * the map's controls; a label that finds no free place is hidden (its tooltip still names it).
 * No element ids: several maps, and several layers on one map, live on one page.
 */
(function (root) {
  "use strict";

  var rangemap = root.rangemap = root.rangemap || {};
  rangemap.layers = rangemap.layers || [];

  // --- DOM helpers ---------------------------------------------------------------------------
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function line(segments) {
    var div = el("div");
    segments.forEach(function (s) {
      if (typeof s === "string") div.appendChild(document.createTextNode(s));
      else div.appendChild(el("b", null, s.b));
    });
    return div;
  }

  function content(c) {
    var div = el("div", "rangemap-content");
    if (c.title) div.appendChild(el("div", "rangemap-head", c.title));
    (c.lines || []).forEach(function (l) { div.appendChild(line(l)); });
    if (c.rows && c.rows.length) {
      var table = el("table");
      c.rows.forEach(function (r) {
        var tr = el("tr");
        tr.appendChild(el("th", null, r[0]));
        tr.appendChild(el("td", null, r[1]));
        table.appendChild(tr);
      });
      div.appendChild(table);
    }
    return div;
  }

  // A tooltip that wraps (CSS) and never leaves the map's box.
  var Tip = L.Tooltip.extend({
    _setPosition: function (pos) {
      L.Tooltip.prototype._setPosition.call(this, pos);
      var map = this._map, box = this._container;
      if (!map || !box) return;
      var frame = map.getContainer().getBoundingClientRect(), r = box.getBoundingClientRect();
      var m = 4, dx = 0, dy = 0;
      if (r.right > frame.right - m) dx = frame.right - m - r.right;
      if (r.left + dx < frame.left + m) dx = frame.left + m - r.left;
      if (r.bottom > frame.bottom - m) dy = frame.bottom - m - r.bottom;
      if (r.top + dy < frame.top + m) dy = frame.top + m - r.top;
      if (dx || dy) L.DomUtil.setPosition(box, L.DomUtil.getPosition(box).add(L.point(dx, dy)));
    }
  });

  function bind(map, layer, tip, popup) {
    layer.bindTooltip(new Tip({sticky: true, className: "rangemap-tip"}).setContent(function () {
      return content(typeof tip === "function" ? tip() : tip);
    }));
    if (popup) {
      layer.bindPopup(function () { return content(typeof popup === "function" ? popup() : popup); },
        {maxWidth: Math.max(200, Math.min(420, map.getSize().x - 60)), className: "rangemap-popup"});
    }
    return layer;
  }

  // --- world copies ---------------------------------------------------------------------------
  function shifted(rings, dx) {
    return rings.map(function (ring) { return ring.map(function (p) { return [p[0], p[1] + dx]; }); });
  }

  function copies(west, east, WEST, EAST) {       // shifts that bring [west, east] into [WEST, EAST]
    var out = [];
    for (var k = -3; k <= 3; k++) {
      if (east + 360 * k > WEST && west + 360 * k < EAST) out.push(360 * k);
    }
    return out;
  }

  function runs(ring, cuts) {                      // the stroked pieces of a closed ring
    var cut = {}, out = [], run = [], n = ring.length - 1;
    cuts.forEach(function (i) { cut[i] = true; });
    var start = 0;
    if (cuts.length) start = (cuts[0] + 1) % n;
    for (var j = 0; j < n; j++) {
      var i = (start + j) % n;
      if (cut[i]) { if (run.length) out.push(run); run = []; continue; }
      if (!run.length) run.push(ring[i]);
      run.push(ring[i + 1]);
    }
    if (run.length) out.push(run);
    return out;
  }

  // --- what a map shares among its range layers: panes, the labels, their layout --------------
  function shared(map) {
    if (map._rangemap) return map._rangemap;
    var s = map._rangemap = {labels: [], markers: [], showLabels: true, moving: false};
    var labelPane = s.labelPane = map.createPane("rangemap-labels");
    labelPane.style.zIndex = 620;
    labelPane.className += " rangemap-labels";
    s.layout = function () { layout(map, s); };
    map.on("zoomstart", function () { labelPane.classList.add("rangemap-moving"); });
    map.on("zoomend moveend resize", function () {
      labelPane.classList.remove("rangemap-moving");
      if (map._loaded) s.layout();
    });
    return s;
  }

  function landPane(map) {
    if (!map.getPane("rangemap-land")) {
      var pane = map.createPane("rangemap-land");
      pane.style.zIndex = 150;                       // under the tiles (200)
      pane.style.pointerEvents = "none";
    }
    return "rangemap-land";
  }

  // --- the land (Natural Earth), under everything ----------------------------------------------
  rangemap.land = function (map, land, style) {
    var ref = land.ref || 0, WEST = ref - 540, EAST = ref + 540;
    var pane = landPane(map), group = L.featureGroup();
    map.getContainer().style.background = style.sea;
    var fill = {stroke: false, fillColor: style.land, fillOpacity: 1, pane: pane, interactive: false};
    var borders = [];
    land.countries.forEach(function (country, c) {
      var polygons = [];
      country.forEach(function (polygon, p) {
        var span = land.bounds[c][p];
        var base = polygon.map(function (r) {
          var n = r[0], pts = [], lat = 0, lon = 0, d = r.slice(n + 1);
          for (var i = 0; i < d.length; i += 2) { lat += d[i]; lon += d[i + 1]; pts.push([lat / 100, lon / 100]); }
          pts.push(pts[0]);
          return {pts: pts, cuts: r.slice(1, n + 1)};
        });
        copies(span[0] / 100, span[1] / 100, WEST, EAST).forEach(function (dx) {
          polygons.push(shifted(base.map(function (r) { return r.pts; }), dx));
          base.forEach(function (r) { Array.prototype.push.apply(borders, shifted(runs(r.pts, r.cuts), dx)); });
        });
      });
      if (polygons.length) L.polygon(polygons, fill).addTo(group);
    });
    L.polyline(borders, {color: style.border, weight: 0.6, opacity: 1, pane: pane, interactive: false}).addTo(group);
    var lim = 85.0511287798066, lines = [];
    for (var lon = 30 * Math.floor(WEST / 30); lon <= EAST; lon += 30) lines.push([[-lim, lon], [lim, lon]]);
    [-60, -30, 0, 30, 60].forEach(function (lat) { lines.push([[lat, WEST], [lat, EAST]]); });
    L.polyline(lines, {color: style.graticule, weight: 0.8, opacity: 0.6, pane: pane, interactive: false})
      .addTo(group);
    return group;
  };

  // --- labels: placed without overlaps, over every range layer of the map -----------------------
  function overlaps(b, boxes) {
    for (var i = 0; i < boxes.length; i++) {
      var o = boxes[i];
      if (b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]) return true;
    }
    return false;
  }

  function fixedBoxes(map) {                        // controls, title, legend: labels stay clear of them
    var container = map.getContainer(), base = container.getBoundingClientRect(), out = [];
    container.querySelectorAll(".rangemap-box, .leaflet-control").forEach(function (e) {
      var r = e.getBoundingClientRect();
      if (r.width && r.height) out.push([r.left - base.left - 2, r.top - base.top - 2,
                                         r.right - base.left + 2, r.bottom - base.top + 2]);
    });
    return out;
  }

  function layout(map, s) {
    var size = map.getSize(), m = 3, boxes = fixedBoxes(map);
    s.markers.forEach(function (k) {
      if (!map.hasLayer(k.group)) return;
      var p = map.latLngToContainerPoint(k.marker.getLatLng()), r = k.marker.getRadius() + 1;
      boxes.push([p.x - r, p.y - r, p.x + r, p.y + r]);
    });
    s.labels.forEach(function (l) {
      if (l.w === undefined) {
        l.el.classList.remove("rangemap-hidden");
        var r = l.el.getBoundingClientRect();
        l.w = Math.ceil(r.width) + 1; l.h = Math.ceil(r.height) + 1;   // a pixel of air around each label
      }
      l.el.classList.add("rangemap-hidden");
      l.shown = false;
    });
    if (!size.x || !size.y) return;
    function inside(b) { return b[0] >= m && b[1] >= m && b[2] <= size.x - m && b[3] <= size.y - m; }
    s.labels.forEach(function (l) {
      if (!l.owner.showLabels || !map.hasLayer(l.owner.layer) || !map.hasLayer(l.group)) return;
      var w = l.w, h = l.h, tries = [];
      if (l.marker) {
        var p = map.latLngToContainerPoint(l.marker.getLatLng()), r = l.marker.getRadius() + 3;
        if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y) return;
        tries = [[p.x + r, p.y - h / 2], [p.x - r - w, p.y - h / 2], [p.x - w / 2, p.y - r - h],
                 [p.x - w / 2, p.y + r], [p.x + r - 2, p.y - r - h + 2], [p.x + r - 2, p.y + r - 2],
                 [p.x - r - w + 2, p.y - r - h + 2], [p.x - r - w + 2, p.y + r - 2]];
      } else {
        var points = l.anchors.map(function (a) { return map.latLngToContainerPoint(a); })
          .filter(function (q) { return q.x > m && q.y > m && q.x < size.x - m && q.y < size.y - m; });
        points.sort(function (a, b) { return a.y - b.y; });
        points.slice(0, 48).forEach(function (q) {
          tries.push([q.x - w / 2, q.y - h - 3], [q.x - w / 2, q.y + 3]);
        });
      }
      for (var i = 0; i < tries.length; i++) {
        var b = [tries[i][0], tries[i][1], tries[i][0] + w, tries[i][1] + h];
        if (inside(b) && !overlaps(b, boxes)) {
          L.DomUtil.setPosition(l.el, map.containerPointToLayerPoint([b[0], b[1]]).round());
          // the element is drawn at whole pixels: keep its box where it really is
          var at = map.layerPointToContainerPoint(L.DomUtil.getPosition(l.el));
          boxes.push([at.x, at.y, at.x + w, at.y + h]);
          l.el.classList.remove("rangemap-hidden");
          l.shown = true;
          return;
        }
      }
    });
  }

  // --- a range layer ------------------------------------------------------------------------------
  rangemap.layer = function (map, data, opts) {
    opts = opts || {};
    var s = shared(map), ref = data.ref;
    var layer = L.featureGroup(), groups = {}, labels = [];
    var self = {map: map, layer: layer, groups: groups, labels: labels, data: data,
                showLabels: opts.labels !== false, layout: s.layout};
    data.layers.forEach(function (l) { groups[l.id] = L.featureGroup().addTo(layer); });

    function label(text, kind, group, priority, where) {
      var e = el("div", "rangemap-label rangemap-label-" + kind + " rangemap-hidden", text);
      s.labelPane.appendChild(e);
      var item = {el: e, kind: kind, group: groups[group], priority: priority, text: text, owner: self};
      for (var k in where) item[k] = where[k];
      labels.push(item);
      return item;
    }

    data.regions.forEach(function (r) {
      var group = groups[r.layer], fills = [], outlines = [];
      [-360, 0, 360]  // a region spans at most 360 degrees around its site: three copies cover the view's range
        .forEach(function (dx) {
          r.parts.forEach(function (polygon, p) {
            fills.push(shifted(polygon, dx));
            polygon.forEach(function (ring, i) {
              Array.prototype.push.apply(outlines, shifted(runs(ring, r.cuts[p][i]), dx));
            });
          });
        });
      if (r.fill) {
        bind(map, L.polygon(fills, {stroke: false, fillColor: r.fill.color, fillOpacity: r.fill.opacity,
                                    className: "rangemap-region rangemap-" + r.kind}), r.tip, r.popup).addTo(group);
      }
      var outline = L.polyline(outlines, {color: r.line.color, weight: r.line.weight, dashArray: r.line.dash,
                                          opacity: 1, interactive: !r.fill,
                                          className: "rangemap-outline rangemap-" + r.kind});
      if (!r.fill) bind(map, outline, r.tip, r.popup);
      outline.addTo(group);
      if (r.label) {
        var anchors = [];
        [0, -360, 360].forEach(function (dx) {
          r.anchors.forEach(function (a) { anchors.push(L.latLng(a[0], a[1] + dx)); });
        });
        label(r.label, "ring", r.layer, 1, {anchors: anchors});
      }
    });

    var hatch = data.shaded.length ? hatchPattern(map, layer, data.style.shade) : null;
    data.shaded.forEach(function (sh) {
      var fills = [];
      sh.parts.forEach(function (polygon) {
        var lons = polygon[0].map(function (p) { return p[1]; });
        copies(Math.min.apply(null, lons), Math.max.apply(null, lons), ref - 540, ref + 540).forEach(function (dx) {
          fills.push(shifted(polygon, dx));
        });
      });
      bind(map, L.polygon(fills, {color: data.style.shade, weight: 1, opacity: 0.7, fillColor: "url(#" + hatch + ")",
                                  fillOpacity: 1, className: "rangemap-shade"}), sh.tip, sh.tip)
        .addTo(groups.shaded);
    });

    var M = data.layers.filter(function (l) { return l.kind === "rings"; }).length;
    data.paths.forEach(function (p) {
      var t = data.targets[p.target];
      var head = {title: p.title, lines: [[p.over]]};
      bind(map, L.polyline(p.latlngs, {color: "#333333", weight: 2, opacity: 0.8, dashArray: "2 5",
                                       className: "rangemap-path"}), head, function () {
        return {title: p.title, lines: [[p.over]].concat(t.lines.slice(p.site * M, (p.site + 1) * M))};
      }).addTo(groups.paths);
    });

    data.sites.forEach(function (st) {
      var m = L.circleMarker([st.lat, st.lon], {radius: 6, color: "#FFFFFF", weight: 2, fillColor: "#111111",
                                                fillOpacity: 1, className: "rangemap-site"});
      bind(map, m, st.tip, st.popup).addTo(groups.sites);
      s.markers.push({marker: m, group: groups.sites});
      label(st.label, "site", "sites", 0, {marker: m});
    });

    data.targets.forEach(function (t, i) {
      var m = L.circleMarker([t.lat, t.lon], {radius: 7, color: "#222222", weight: 1.5, fillColor: t.color,
                                              fillOpacity: 0.95, className: "rangemap-target"});
      bind(map, m, {title: t.title, lines: t.lines}, function () { return {rows: t.rows, lines: t.lines}; })
        .addTo(groups.targets);
      s.markers.push({marker: m, group: groups.targets});
      label(t.label, "target", "targets", 2 + t.rank + i / (data.targets.length + 1), {marker: m});
    });
    Array.prototype.push.apply(s.labels, labels);
    s.labels.sort(function (a, b) { return a.priority - b.priority; });

    var legend = makeLegend(map, data, groups, self, s);
    var title = null;
    if (data.title) title = el("div", "rangemap-box rangemap-title", data.title);
    layer.on("add", function () {
      legend.addTo(map);
      if (title) map.getContainer().appendChild(title);
      if (map._loaded) s.layout();
    });
    layer.on("remove", function () {
      legend.remove();
      if (title && title.parentNode) title.parentNode.removeChild(title);
      s.layout();
    });
    map.on("popupopen", function (e) {               // a popup replaces its layer's tooltip
      var source = e.popup._source;
      if (source && source.closeTooltip) source.closeTooltip();
    });
    if (opts.fit) whenSized(map, data, legend, s);
    else map.whenReady(function () { s.layout(); });
    rangemap.layers.push(self);
    return layer;
  };

  // The hatching of shaded areas: an SVG pattern with an id of its own for each layer.
  function hatchPattern(map, layer, color) {
    var ns = "http://www.w3.org/2000/svg", id = "rangemap-hatch-" + L.stamp(layer);
    function svg(tag, attrs) {
      var e = document.createElementNS(ns, tag);
      for (var k in attrs) e.setAttribute(k, attrs[k]);
      return e;
    }
    var root = svg("svg", {width: 0, height: 0, "aria-hidden": "true", focusable: "false"});
    root.style.position = "absolute";
    var pattern = svg("pattern", {id: id, width: 7, height: 7, patternUnits: "userSpaceOnUse",
                                  patternTransform: "rotate(45)"});
    pattern.appendChild(svg("rect", {width: 7, height: 7, fill: color, "fill-opacity": 0.10}));
    pattern.appendChild(svg("line", {x1: 0, y1: 0, x2: 0, y2: 7, stroke: color, "stroke-width": 2,
                                     "stroke-opacity": 0.40}));
    var defs = svg("defs", {});
    defs.appendChild(pattern);
    root.appendChild(defs);
    map.getContainer().appendChild(root);
    return id;
  }

  // --- the legend: a Leaflet control of this layer, with its switches ----------------------------
  function makeLegend(map, data, groups, self, s) {
    var Legend = L.Control.extend({
      options: {position: "bottomleft"},
      onAdd: function () { return box; }
    });
    var box = el("details", "rangemap-box rangemap-legend leaflet-control");
    box.appendChild(el("summary", null, data.legend.title || "Legend"));
    box.open = true;
    function toggle(text, on, change, decorate) {
      var row = el("label"), input = el("input");
      input.type = "checkbox";
      input.checked = on;
      input.addEventListener("change", function () { change(input.checked); });
      row.appendChild(input);
      if (decorate) decorate(row);
      row.appendChild(document.createTextNode(text));
      return row;
    }
    function layerSwitch(id) {
      return function (on) {
        if (on) self.layer.addLayer(groups[id]); else self.layer.removeLayer(groups[id]);
        s.layout();
      };
    }
    data.legend.missiles.forEach(function (m) {
      var row = toggle("", true, layerSwitch(m.layer), function (r) {
        var sw = el("span", "rangemap-swatch");
        sw.style.background = m.color;
        r.appendChild(sw);
        r.appendChild(el("b", null, m.name));
      });
      row.className = "rangemap-missile";
      row.appendChild(document.createTextNode(": " + m.text));
      if (m.source) {
        row.appendChild(document.createTextNode(" "));
        row.appendChild(el("span", "rangemap-muted", "(" + m.source + ")"));
      }
      box.appendChild(row);
    });
    data.legend.notes.forEach(function (n) { box.appendChild(el("div", "rangemap-note", n)); });
    data.layers.forEach(function (l) {
      if (l.kind === "rings") return;
      box.appendChild(toggle(l.name, true, layerSwitch(l.id)));
    });
    var keys = el("div", "rangemap-keys");
    data.legend.verdicts.forEach(function (v) {
      var span = el("span"), dot = el("span", "rangemap-dot");
      dot.style.background = v[1];
      span.appendChild(dot);
      span.appendChild(document.createTextNode(v[0]));
      keys.appendChild(span);
    });
    box.appendChild(keys);
    box.appendChild(toggle("Labels", self.showLabels, function (on) { self.showLabels = on; s.layout(); }));
    box.appendChild(el("div", "rangemap-caption", data.legend.caption));
    box.addEventListener("toggle", function () { if (map._loaded) s.layout(); });
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return new Legend();
  }

  // --- the view: fit once the map has a size (an iframe may have none yet) ------------------------
  function whenSized(map, data, legend, s) {
    var fitted = false, container = map.getContainer(), WEST = data.ref - 540, EAST = data.ref + 540;
    // a provisional view, so that everything is drawn even before the map has a size
    if (!map._loaded) map.setView(L.latLngBounds(data.fit).getCenter(), 1, {animate: false});
    function fit() {
      var size = map.invalidateSize(false).getSize();
      if (!(size.x && size.y)) return;
      // never zoomed out past the world copies drawn (ref +- 540 degrees)
      map.setMinZoom(Math.max(0, Math.ceil(4 * Math.log2(size.x / (256 * (EAST - WEST) / 360))) / 4));
      if (!fitted) {
        fitted = true;
        legend.getContainer && legend.getContainer() && (legend.getContainer().open = size.x >= 600 && size.y >= 450);
        map.fitBounds(data.fit, {padding: [24, 24], animate: false});
        map.setMaxBounds(data.limits).panInsideBounds(data.limits, {animate: false});
      }
      s.layout();
    }
    setTimeout(fit, 0);                              // after the page's other scripts added their layers
    if (window.ResizeObserver) {
      new ResizeObserver(fit).observe(container);
    } else {
      window.addEventListener("load", fit);
      window.addEventListener("resize", fit);
    }
  }
})(window);
