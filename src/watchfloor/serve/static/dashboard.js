/* watchfloor dashboard: draws the tempo chart, the map, the network and the narratives with plotly.js
   (served by this server from the installed plotly package). Data come from JSON blocks
   in the page or from this server's API; text shown in charts is escaped first. */
(function () {
  "use strict";

  var CONFIG = { displaylogo: false, responsive: true, showLink: false, showSendToCloud: false,
                 showEditInChartStudio: false };
  var LON_SCALE = 1 / Math.cos(33 * Math.PI / 180);
  var LABELLED = 30;  /* the most central actors are named on the graph; the rest on hover */

  function data(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  /* Plotly reads a few HTML tags in labels: escape so that names stay plain text. */
  function esc(value) {
    return String(value === null || value === undefined ? "" : value)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function go(prefix, id) {
    if (id) { window.location.assign(prefix + encodeURIComponent(id)); }
  }

  function drawTempo() {
    var element = document.getElementById("tempo-chart");
    var tempo = data("tempo-data");
    if (!element || !tempo || !tempo.periods.length) { return; }
    var x = tempo.periods.map(function (p) { return p.start; });
    var traces = [
      { type: "bar", name: "attacks", x: x, marker: { color: "#8a9bb0" },
        y: tempo.periods.map(function (p) { return p.count; }) },
      { type: "scatter", mode: "lines", name: "level", x: x, line: { color: "#8a1c1c", shape: "hv" },
        y: tempo.periods.map(function (p) { return p.level; }) }
    ];
    var layout = { margin: { t: 10, r: 10, b: 40, l: 40 }, bargap: 0.1, legend: { orientation: "h" },
                   yaxis: { title: { text: "attacks per " + esc(tempo.unit || "period") } } };
    Plotly.newPlot(element, traces, layout, CONFIG);
  }

  function boundaryTrace(line, name, color, width) {
    return { type: "scatter", mode: "lines", name: name, x: line.lon, y: line.lat,
             hoverinfo: "skip", showlegend: false, line: { color: color, width: width } };
  }

  function drawMap() {
    var element = document.getElementById("map");
    if (!element) { return; }
    var query = new URLSearchParams(element.getAttribute("data-query") || "");
    query.set("limit", "5000");
    Promise.all([
      fetch("/api/boundaries").then(function (r) { return r.json(); }),
      fetch("/api/events.geojson?" + query.toString()).then(function (r) { return r.json(); })
    ]).then(function (found) {
      var layers = found[0], features = found[1].features;
      var points = {
        type: "scatter", mode: "markers", name: "events",
        x: features.map(function (f) { return f.geometry.coordinates[0]; }),
        y: features.map(function (f) { return f.geometry.coordinates[1]; }),
        customdata: features.map(function (f) { return f.id; }),
        text: features.map(function (f) {
          var p = f.properties;
          return esc(p.date) + " " + esc(p.sub_event_type) + "<br>" + esc(p.place_name) +
                 " (" + esc(p.n_sources) + " sources)";
        }),
        hoverinfo: "text",
        marker: { size: features.map(function (f) { return 7 + 2 * Math.min(f.properties.n_sources || 1, 6); }),
                  color: "#8a1c1c", opacity: 0.7, line: { color: "#fff", width: 1 } }
      };
      var layout = {
        margin: { t: 10, r: 10, b: 30, l: 40 }, showlegend: false, hovermode: "closest",
        xaxis: { range: [38.5, 49], title: { text: "longitude" }, zeroline: false },
        yaxis: { range: [29, 37.6], scaleanchor: "x", scaleratio: LON_SCALE, zeroline: false,
                 title: { text: "latitude" } }
      };
      var traces = [boundaryTrace(layers.countries, "countries", "#555", 1.2),
                    boundaryTrace(layers.governorates, "governorates", "#aaa", 0.6), points];
      Plotly.newPlot(element, traces, layout, CONFIG).then(function () {
        element.on("plotly_click", function (event) { go("/events/", event.points[0].customdata); });
      });
    }).catch(function (error) {
      element.textContent = "The map could not be drawn: " + error;
    });
  }

  function drawNetwork() {
    var element = document.getElementById("network-chart");
    var network = data("network-data");
    if (!element || !network || !network.nodes.length) { return; }
    var where = {};
    network.nodes.forEach(function (n) { where[n.id] = n; });
    var edgeX = [], edgeY = [];
    network.edges.forEach(function (e) {
      var a = where[e.source], b = where[e.target];
      if (a && b) { edgeX.push(a.x, b.x, null); edgeY.push(a.y, b.y, null); }
    });
    var traces = [
      { type: "scatter", mode: "lines", x: edgeX, y: edgeY, hoverinfo: "skip",
        line: { color: "#b8c0c8", width: 1 } },
      { type: "scatter", mode: "markers+text", textposition: "top center",
        x: network.nodes.map(function (n) { return n.x; }),
        y: network.nodes.map(function (n) { return n.y; }),
        text: network.nodes.map(function (n, i) { return i < LABELLED ? esc(n.name) : ""; }),
        hovertext: network.nodes.map(function (n) { return esc(n.name) + " (" + esc(n.kind) + ")"; }),
        hoverinfo: "text",
        customdata: network.nodes.map(function (n) { return n.id; }),
        marker: { size: network.nodes.map(function (n) { return 8 + 40 * n.degree; }),
                  color: network.nodes.map(function (n) { return n.community; }),
                  colorscale: "Viridis", line: { color: "#fff", width: 1 } } }
    ];
    var layout = { margin: { t: 10, r: 10, b: 10, l: 10 }, showlegend: false, hovermode: "closest",
                   xaxis: { visible: false }, yaxis: { visible: false } };
    Plotly.newPlot(element, traces, layout, CONFIG).then(function () {
      element.on("plotly_click", function (event) { go("/actors/", event.points[0].customdata); });
    });
  }

  function drawNarratives() {
    var element = document.getElementById("narratives-chart");
    var found = data("narratives-data");
    if (!element || !found || !found.weeks.length) { return; }
    var said = found.themes.filter(function (t) {
      return t.counts.some(function (n) { return n > 0; });
    });
    if (!said.length) {
      element.textContent = "No theme was said in these weeks.";
      element.classList.remove("chart");
      return;
    }
    var traces = said.map(function (t) {
      return { type: "bar", name: esc(t.label) + (t.rising ? " (rising)" : ""), x: found.weeks,
               y: t.counts, hoverinfo: "x+y+name" };
    });
    var layout = {
      barmode: "stack", margin: { t: 10, r: 10, b: 40, l: 40 }, legend: { orientation: "h" },
      yaxis: { title: { text: "statements" }, rangemode: "tozero" },
      xaxis: { title: { text: "week starting" }, type: "date" },
      shapes: [{ type: "rect", xref: "x", yref: "paper", x0: found.recent_since, x1: found.as_of,
                 y0: 0, y1: 1, fillcolor: "#e8a33c", opacity: 0.12, line: { width: 0 } }]
    };
    Plotly.newPlot(element, traces, layout, CONFIG);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof Plotly === "undefined") { return; }
    drawTempo();
    drawMap();
    drawNetwork();
    drawNarratives();
  });
}());
