// Streamlit's and Plotly's own words (upload button, toolbars, help buttons) in the page's language.
// window.__ccmChromeWords = {exact: {english: translated}, patterns: [[regex, replacement]]}, set per run.
(function () {
  var ATTRS = ["aria-label", "title", "placeholder", "data-title"];
  var given = window.__ccmChromeWords;
  // In English there is nothing to translate: no observer until another language is chosen
  // (afterwards it stays, to put the English words back).
  if (!window.__ccmChrome && (!given || (!Object.keys(given.exact).length && !given.patterns.length))) return;
  if (!window.__ccmChrome) {
    var originals = new Map();  // node or [element, attribute] key -> the English text it had
    var translate = function (text) {
      var w = window.__ccmChromeWords || {exact: {}, patterns: []};
      var t = text.trim();
      if (!t) return null;
      if (Object.prototype.hasOwnProperty.call(w.exact, t)) return text.replace(t, w.exact[t]);
      for (var i = 0; i < w.patterns.length; i++) {
        var re = new RegExp(w.patterns[i][0]);
        if (re.test(t)) return text.replace(t, t.replace(re, w.patterns[i][1]));
      }
      return null;
    };
    var doText = function (node) {
      var english = originals.has(node) ? originals.get(node) : node.data;
      var done = translate(english);
      if (done !== null && node.data !== done) { originals.set(node, english); node.data = done; }
      else if (done === null && originals.has(node) && node.data !== english) { node.data = english; }
    };
    var doAttrs = function (el) {
      for (var i = 0; i < ATTRS.length; i++) {
        var a = ATTRS[i], v = el.getAttribute && el.getAttribute(a);
        if (!v) continue;
        var key = el, store = originals.get(key) || {};
        var english = store[a] !== undefined ? store[a] : v;
        var done = translate(english);
        if (done !== null && v !== done) { store[a] = english; originals.set(key, store); el.setAttribute(a, done); }
        else if (done === null && store[a] !== undefined && v !== english) { el.setAttribute(a, english); }
      }
    };
    var walk = function (root) {
      if (root.nodeType === 3) { doText(root); return; }
      if (root.nodeType !== 1) return;
      if (root.tagName === "SCRIPT" || root.tagName === "STYLE") return;
      doAttrs(root);
      var w = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      var n;
      while ((n = w.nextNode())) {
        if (n.nodeType === 3) doText(n); else doAttrs(n);
      }
    };
    var busy = false;
    var observer = new MutationObserver(function (records) {
      if (busy) return;
      busy = true;
      try {
        records.forEach(function (r) {
          if (r.type === "characterData") doText(r.target);
          else if (r.type === "attributes") doAttrs(r.target);
          else r.addedNodes.forEach(walk);
        });
      } finally { busy = false; }
    });
    window.__ccmChrome = {
      all: function () { walk(document.body); },
      start: function () {
        observer.observe(document.body, {subtree: true, childList: true, characterData: true,
                                         attributes: true, attributeFilter: ATTRS});
      }
    };
    window.__ccmChrome.start();
  }
  window.__ccmChrome.all();  // the words may have changed with the language
})();
