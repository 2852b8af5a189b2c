// Draws every chart on the page from the options JSON the server put in its data-chart
// attribute. Served by hitwage itself, like echarts: pages make no request elsewhere.
(function () {
  "use strict";
  function draw() {
    var els = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      try {
        var chart = echarts.init(el, null, { renderer: "canvas" });
        chart.setOption(JSON.parse(el.getAttribute("data-chart")));
        el.setAttribute("data-rendered", "1");
        window.addEventListener("resize", chart.resize);
      } catch (e) {
        el.setAttribute("data-error", String(e));
        if (window.console) console.warn("chart " + el.id + ": " + e);
      }
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
  // Copy buttons for embed snippets.
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest ? ev.target.closest("[data-copy]") : null;
    if (!b) return;
    var src = document.getElementById(b.getAttribute("data-copy"));
    if (src && navigator.clipboard) {
      navigator.clipboard.writeText(src.value || src.textContent).then(function () { b.textContent = "Copied"; });
    }
  });
})();
