// The static edition's one script: draws every figure of the page from its baked JSON (window.DASHBOARD_FIGURES),
// completes relative links in citations and embed codes, copies them, and opens the view a live-app query names.
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var views = window.DASHBOARD_VIEWS;
  if (views && location.search) {  // ?year=2012&metric=rate (as in the live app) -> the file of that view
    var q = new URLSearchParams(location.search);
    var lang = q.get("lang");
    var figure = q.get("figure");
    ["lang", "embed", "embed_options", "figure"].forEach(function (k) { q.delete(k); });
    var key = Array.from(q.entries()).sort().map(function (e) { return e[0] + "=" + e[1]; }).join("&");
    var target = figure ? views.embeds[figure + "|" + key] : (key ? views.pages[key] : null);
    if (lang && lang !== document.documentElement.lang && views.langs[lang]) {
      target = views.langs[lang] + (target || "index.html");
    }
    if (target) { location.replace(target); return; }
  }
  var figures = window.DASHBOARD_FIGURES || {};
  document.querySelectorAll("[data-figure]").forEach(function (el) {
    var f = figures[el.getAttribute("data-figure")];
    if (!f) { console.error("figure not found: " + el.getAttribute("data-figure")); return; }
    var config = Object.assign({}, f.config, {topojsonURL: root + "assets/"});
    Plotly.newPlot(el, f.data, f.layout, config);
  });
  document.querySelectorAll("[data-rel]").forEach(function (el) {
    var relative = el.getAttribute("data-rel");
    el.textContent = el.textContent.split(relative).join(new URL(root + relative, location.href).href);
  });
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = document.getElementById(button.getAttribute("data-copy")).textContent;
      if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text); return; }
      var area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    });
  });
})();
