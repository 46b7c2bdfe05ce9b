// Whatever scrolls sideways (a wide table, a long line of code) must be reachable from the
// keyboard (WCAG 2.1.1; axe's scrollable-region-focusable): give it a tab stop and a label.
(function () {
  function mark() {
    var selector = ".md-typeset__scrollwrap, .md-typeset pre, .jp-RenderedMarkdown pre";
    document.querySelectorAll(selector).forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        if (!el.hasAttribute("role")) {
          el.setAttribute("role", "region");
          el.setAttribute("aria-label", el.tagName === "PRE" ? "code, scrolls sideways" : "table, scrolls sideways");
        }
      }
    });
  }
  if (document.readyState === "complete") mark();
  else window.addEventListener("load", mark);
  window.addEventListener("resize", mark);
})();
