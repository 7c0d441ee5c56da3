/* Small behaviours of every page, without inline scripts, handlers or style attributes: the
   Content-Security-Policy (script-src 'self'; style-src 'self') allows none of them.
   - Sizes the server computes (a progress bar, the bars of a calendar timeline, a chart's height)
     come as data-style-* attributes and are applied here through the CSSOM, which the policy
     allows: data-style-width, data-style-left, data-style-height.
   - A button with data-print prints the page. */
(function () {
  "use strict";
  var props = { styleWidth: "width", styleLeft: "left", styleHeight: "height" };
  document.querySelectorAll("[data-style-width],[data-style-left],[data-style-height]").forEach(function (el) {
    Object.keys(props).forEach(function (key) {
      if (el.dataset[key]) el.style[props[key]] = el.dataset[key];
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
