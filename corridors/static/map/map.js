/* corridors map: draws the network, a route and a corridor comparison with Leaflet.
 *
 * Works in two modes, chosen by window.CORRIDORS (set by the page):
 *   - file: everything is embedded (countries, network, places, the comparison and its chart);
 *   - service: the page asks the REST service (config.api, e.g. "/v1") when the user submits.
 * Nothing is fetched from anywhere else: no CDN, no tile server unless config.tileUrl is set.
 * document.body.dataset.state tells tests (and users' scripts) what is on screen:
 * "loading" -> "ready" -> "routed" | "compared" | "error".
 */
(function () {
  "use strict";
  var C = window.CORRIDORS || {};
  var MODES = {
    rail: { color: "#1f5fa8", label: "rail" },
    road: { color: "#d9730d", label: "road" },
    caspian: { color: "#1e9e4a", label: "Caspian" },
    sea: { color: "#7b3fa0", label: "deep sea" },
    air: { color: "#6b6b6b", label: "air" },
  };
  var map, routeLayer, networkLayer, places = C.places || {};

  function esc(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function num(x, digits) {
    if (x === null || x === undefined) return "—";
    return Number(x).toLocaleString("en", { maximumFractionDigits: digits || 0 });
  }
  function modeKey(p) {
    if (p.mode === "sea") return p.basin === "caspian" ? "caspian" : "sea";
    return MODES[p.mode] ? p.mode : "air";
  }
  function name(id) { return places[id] ? places[id][2] : id; }
  function setState(s) { document.body.dataset.state = s; }
  function say(text) { document.getElementById("message").textContent = text || ""; }

  function legend() {
    var box = L.control({ position: "bottomleft" });
    box.onAdd = function () {
      var div = L.DomUtil.create("div", "legend");
      div.innerHTML = Object.keys(MODES).map(function (k) {
        return '<span><i style="background:' + MODES[k].color + '"></i>' + MODES[k].label + "</span>";
      }).join("");
      return div;
    };
    box.addTo(map);
  }

  function drawCountries(geojson) {
    L.geoJSON(geojson, {
      style: { color: "#9a9a9a", weight: 0.6, fillColor: "#f1efe8", fillOpacity: 1 },
      interactive: false,
    }).addTo(map);
  }

  function drawNetwork(geojson) {
    networkLayer = L.geoJSON(geojson, {
      filter: function (f) {  // air links are opt-in for routes: left off the network layer
        return f.geometry.type === "LineString" && f.properties.mode !== "air";
      },
      style: function (f) {
        var m = MODES[modeKey(f.properties)] || MODES.air;
        var planned = f.properties.status && f.properties.status !== "operational";
        return { color: m.color, weight: 1, opacity: 0.35, dashArray: planned ? "3 4" : null };
      },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.bindPopup(esc(f.id) + "<br>" + esc(p.mode) + ", " + num(p.distance_km) + " km, " +
          esc(p.status) + "<br>source: " + esc(p.source));
      },
    }).addTo(map);
  }

  function legPopup(p) {
    return "<b>" + esc(MODES[modeKey(p)].label) + "</b>: " + esc(p.from_name || name(p.from_id)) +
      " → " + esc(p.to_name || name(p.to_id)) + "<br>" + num(p.distance_km) + " km · " +
      num(p.time_h, 1) + " h · " + num(p.cost_usd) + " USD" +
      (p.geometry === "straight" ? "<br><i>drawn straight (no traced line)</i>" : "");
  }

  function drawRoute(route, highlight) {
    var group = L.featureGroup();
    L.geoJSON(route.geometry, {
      style: function (f) {
        return { color: MODES[modeKey(f.properties)].color, weight: highlight ? 5 : 3,
                 opacity: highlight ? 0.95 : 0.6 };
      },
      onEachFeature: function (f, layer) { layer.bindPopup(legPopup(f.properties)); },
    }).addTo(group);
    (route.events || []).forEach(function (e) {
      if (!places[e.location_id] || !(e.kind === "border" || e.kind === "port_handling" ||
          e.kind === "gauge_change" || e.kind === "transshipment")) return;
      var ll = places[e.location_id];
      L.circleMarker([ll[0], ll[1]], { radius: 5, color: "#222", weight: 1, fillColor: "#fff",
                                        fillOpacity: 1, className: "event-" + e.kind })
        .bindPopup("<b>" + esc(e.kind.replace("_", " ")) + "</b> at " + esc(name(e.location_id)) +
                   "<br>" + esc(e.detail) + "<br>" + num(e.time_h, 1) + " h · " + num(e.cost_usd) +
                   " USD" + (e.default_used ? "<br><i>default figure</i>" : ""))
        .addTo(group);
    });
    (route.risk || []).forEach(function (x) {
      var ll = places[x.location_id];
      if (!ll) return;
      L.circleMarker([ll[0], ll[1]], { radius: 4, color: "#b00020", weight: 2, fillOpacity: 0,
                                        className: "risk" })
        .bindPopup("<b>risk: " + esc(x.kind.replace("_", " ")) + "</b> (" + esc(x.area) + ")<br>" +
                   num(x.cost_usd) + " USD · " + esc(x.rate) + " " + esc(x.basis))
        .addTo(group);
    });
    return group;
  }

  function clearRoutes() {
    if (routeLayer) map.removeLayer(routeLayer);
    routeLayer = L.featureGroup().addTo(map);
  }

  function summaryText(s) {
    if (!s) return "no route";
    return num(s.cost_usd) + " USD" + (s.risk_usd ? " + " + num(s.risk_usd) + " risk" : "") +
      " · " + num(s.time_days, 1) + " days · " + num(s.distance_km) + " km · " +
      (s.countries || []).join(" › ");
  }

  function showRoute(route) {
    clearRoutes();
    document.querySelector("#compare-rows tbody").innerHTML = "";  // no stale comparison
    document.getElementById("chart").innerHTML = "";
    drawRoute(route, true).addTo(routeLayer);
    if (routeLayer.getLayers().length) map.fitBounds(routeLayer.getBounds(), { padding: [20, 20] });
    document.getElementById("summary").textContent =
      name(route.origin) + " → " + name(route.destination) + ": " + summaryText(route.summary);
    showRouteTable(route);
  }

  function showComparison(cmp, chartSvg) {
    clearRoutes();
    var body = document.querySelector("#compare-rows tbody");
    body.innerHTML = "";
    var drawn = {};
    cmp.corridors.forEach(function (r, i) {
      var s = r.summary, tr = document.createElement("tr");
      tr.className = "row-" + r.status;
      tr.dataset.corridor = r.corridor;
      tr.innerHTML = "<td>" + (i + 1) + "</td><td>" + esc(r.name) + (r.through_iran ? " ◆" : "") +
        "</td><td>" + esc(r.status.replace("_", " ")) + "</td><td>" + (s ? num(s.cost_usd) : "") +
        "</td><td>" + (s ? num(s.risk_usd) : "") + "</td><td>" + (s ? num(s.time_days, 1) : "") +
        "</td><td>" + (r.gap_to_best ? num(r.gap_to_best.objective) : esc(r.reason || "")) + "</td>";
      body.appendChild(tr);
      if (r.route && r.route.geometry && r.status !== "not_applicable") {
        drawn[r.corridor] = drawRoute(r.route, i === 0).addTo(routeLayer);
        tr.addEventListener("click", function () {
          Object.keys(drawn).forEach(function (k) { drawn[k].setStyle({ weight: 2, opacity: 0.35 }); });
          drawn[r.corridor].setStyle({ weight: 6, opacity: 0.95 });
          drawn[r.corridor].bringToFront();
          showLegsOf(r);
        });
      }
    });
    var first = cmp.corridors.length ? drawn[cmp.corridors[0].corridor] : null;
    if (first) first.bringToFront();  // the best corridor on top of the others
    if (routeLayer.getLayers().length) map.fitBounds(routeLayer.getBounds(), { padding: [20, 20] });
    var iran = cmp.iran || {};
    document.getElementById("summary").textContent =
      name(cmp.origin) + " → " + name(cmp.destination) + ", ranked by " + cmp.objective +
      ". Best: " + summaryText(cmp.best) + (iran.best_through_iran ?
      ". Best through Iran: " + iran.best_through_iran : "");
    if (chartSvg) document.getElementById("chart").innerHTML = chartSvg;
  }

  function showLegsOf(row) {
    if (row.route) showRouteTable(row.route);
  }

  function showRouteTable(route) {
    var rows = (route.legs || []).concat(route.events || []).sort(function (a, b) {
      return a.seq - b.seq;
    }).map(function (x) {
      var what = x.mode ? esc(x.mode) + ": " + esc(name(x.from_id)) + " → " + esc(name(x.to_id))
                        : esc(x.kind.replace("_", " ")) + " at " + esc(name(x.location_id));
      return "<tr><td>" + what + "</td><td>" + num(x.distance_km) + "</td><td>" +
        num(x.time_h, 1) + "</td><td>" + num(x.cost_usd) + "</td></tr>";
    });
    (route.risk || []).forEach(function (x) {  // priced risk: separate lines, never in cost
      rows.push("<tr class=\"risk-row\"><td>risk: " + esc(x.kind.replace(/_/g, " ")) + " (" +
        esc(x.area) + ") at " + esc(name(x.location_id)) + "</td><td></td><td></td><td>" +
        num(x.cost_usd) + "</td></tr>");
    });
    (route.exposure || []).forEach(function (x) {
      rows.push("<tr class=\"exposure-row\"><td colspan=\"4\">sanctions on " + esc(x.country) +
        ": " + esc(x.imposed_by) + " " + esc(x.scope) + " (" + esc(x.as_of) + ")</td></tr>");
    });
    document.getElementById("steps").innerHTML = rows.length
      ? "<table><thead><tr><th>step</th><th>km</th><th>h</th><th>USD</th></tr></thead><tbody>" +
        rows.join("") + "</tbody></table>" : "";
  }

  /* ---- service mode ----------------------------------------------------------------- */
  function formBody() {
    var f = document.getElementById("query");
    var body = {
      origin: f.origin.value.trim(),
      destination: f.destination.value.trim(),
      objective: f.objective.value,
      cargo: f.cargo.value,
      risk_profile: f.risk_profile.value,
    };
    var ex = f.exclude_countries.value.split(/[ ,]+/).filter(Boolean);
    if (ex.length) body.exclude_countries = ex.map(function (c) { return c.toUpperCase(); });
    var passages = f.exclude_passages.value.split(/[ ,]+/).filter(Boolean);
    if (passages.length) body.exclude_passages = passages;
    return body;
  }

  function post(path, body, accept) {
    return fetch(C.api + path, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: accept || "application/json" },
      body: JSON.stringify(body),
    }).then(function (resp) {
      if (!resp.ok) {
        return resp.json().then(function (p) { throw new Error(p.detail || p.title); },
                                function () { throw new Error("HTTP " + resp.status); });
      }
      return accept && accept.indexOf("svg") >= 0 ? resp.text() : resp.json();
    });
  }

  function run(kind) {
    var body = formBody();
    say(kind === "compare" ? "comparing corridors…" : "routing…");
    setState("loading");
    var done;
    if (kind === "compare") {
      done = Promise.all([
        post("/corridors/compare", body),
        post("/corridors/compare/chart?format=svg", body, "image/svg+xml").catch(function () {
          return "";
        }),
      ]).then(function (r) { showComparison(r[0], r[1]); setState("compared"); });
    } else {
      done = post("/routes", body).then(function (route) {
        showRoute(route);
        setState("routed");
      });
    }
    done.then(function () { say(""); }, function (err) { say(err.message); setState("error"); });
  }

  function fetchJSON(path) {
    return fetch(path).then(function (r) { return r.json(); });
  }

  /* ---- start ------------------------------------------------------------------------ */
  function start() {
    setState("loading");
    map = L.map("map", { zoomControl: true, worldCopyJump: false }).setView([40, 60], 4);
    if (C.tileUrl) {
      L.tileLayer(C.tileUrl, { maxZoom: 12, attribution: esc(C.tileAttribution || "") }).addTo(map);
    }
    legend();
    routeLayer = L.featureGroup().addTo(map);
    if (C.mode === "file") {
      drawCountries(C.countries);
      drawNetwork(C.network);
      if (C.comparison) showComparison(C.comparison, C.chartSvg);
      else if (C.route) showRoute(C.route);
      setState(C.comparison ? "compared" : C.route ? "routed" : "ready");
      return;
    }
    Promise.all([fetchJSON(C.api + "/network/countries"), fetchJSON(C.api + "/network/geojson"),
                 fetchJSON(C.api + "/network/places")])
      .then(function (r) {
        drawCountries(r[0]);
        drawNetwork(r[1]);
        places = r[2];
        document.getElementById("route-button").addEventListener("click", function (e) {
          e.preventDefault(); run("route");
        });
        document.getElementById("compare-button").addEventListener("click", function (e) {
          e.preventDefault(); run("compare");
        });
        setState("ready");
      }, function (err) { say(err.message); setState("error"); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
