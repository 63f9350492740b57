// CCM Analytics on screen: behaviours Streamlit does not offer (loaded once per browser tab).
(function () {
  // The one-use link code (?code=, DOMAIN.md section 9) leaves the address at once, and the history
  // entry is replaced, not added to: Back does not return to it, nor does a restored session.
  var here = new URL(window.location.href);
  if (here.searchParams.has("code")) {
    here.searchParams.delete("code");
    window.history.replaceState(window.history.state, "", here.pathname + here.search + here.hash);
  }
  if (window.__ccmFrame) return;
  window.__ccmFrame = true;
  var NARROW = 800;

  // A day typed in the as-of field applies on Enter, and on Tab out of its last part (the year), and the
  // calendar closes. Streamlit's date field applies a typed day only when the focus moves to another
  // element outside its calendar (a click elsewhere): a plain blur() leaves the calendar open and the day
  // unapplied. So the focus moves to a resting place of ours just after the field, which applies the day;
  // after Tab, the browser then moves on from there to the next control as usual.
  function dayRest(input) {
    var rest = input.querySelector(":scope > .ccm-day-rest");
    if (!rest) {
      rest = document.createElement("span");
      rest.className = "ccm-day-rest";
      rest.tabIndex = -1;
      input.appendChild(rest);
    }
    return rest;
  }
  document.addEventListener("keydown", function (e) {
    var input = e.target.closest && e.target.closest('[data-testid="stDateInput"]');
    if (!input || !(e.key === "Enter" || (e.key === "Tab" && !e.shiftKey))) return;
    if (e.target.closest('[data-testid="stDateInputCalendar"]')) return;  // keys in the calendar: its own
    var parts = input.querySelectorAll('[data-testid="stDateInputField"] [role="spinbutton"]');
    if (e.key === "Tab" && e.target !== parts[parts.length - 1]) return;  // Tab between day, month, year
    if (e.key === "Enter") e.preventDefault();
    e.stopImmediatePropagation();
    dayRest(input).focus();
  }, true);

  // A table wider than its box scrolls sideways: its box says so (the hint and a shade at the right edge,
  // screen.css), checked after every change of the page and of the window's width.
  function markScrolling() {
    [].forEach.call(document.querySelectorAll(".ccm-table-box"), function (box) {
      var t = box.querySelector(".ccm-table");
      box.classList.toggle("ccm-scrolls", !!t && t.scrollWidth > t.clientWidth + 1);
    });
  }
  var marking = false;
  function markSoon() {
    if (marking) return;
    marking = true;
    window.requestAnimationFrame(function () { marking = false; markScrolling(); });
  }
  new MutationObserver(markSoon).observe(document.body, {childList: true, subtree: true});
  window.addEventListener("resize", markSoon);

  // A page link clicked while the day is being edited: leaving the field commits the day and
  // reruns the page, and that rerun used to cancel the page change (the "lost first click").
  // Let the commit's rerun finish, then follow the link.
  var LINK = 'a[data-testid="stPageLink-NavLink"], a[data-ccm-nav], a[data-ccm-lang]';
  var editing = false;
  function dayBeingEdited() {
    var a = document.activeElement;
    return !!((a && a.closest && a.closest('[data-testid="stDateInput"]')) ||
              document.querySelector('[data-testid="stDateInputCalendar"]'));
  }
  document.addEventListener("pointerdown", function (e) {
    editing = !!(e.target.closest && e.target.closest(LINK)) && dayBeingEdited();
  }, true);
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest(LINK);
    if (!link || link.dataset.ccmReplay || !(editing || dayBeingEdited())) return;
    editing = false;
    e.preventDefault();
    e.stopImmediatePropagation();
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    var href = link.getAttribute("href"), label = link.textContent, started = Date.now();
    var search = window.location.search, seen = 0;
    (function follow() {
      var running = document.querySelector('[data-testid="stStatusWidgetRunningIcon"], ' +
                                            '[data-testid="stStatusWidgetRunningManIcon"]');
      var waited = Date.now() - started;
      // done when the new day is in the address and the rerun has finished (and stays so)
      seen = !running && (window.location.search !== search || waited > 2000) ? seen + 1 : 0;
      if (seen < 4 && waited < 8000) { setTimeout(follow, 50); return; }
      // the navigation's links carry the new day: the same page's (or language's) link, drawn anew
      var page = link.getAttribute("data-ccm-nav"), lang = link.getAttribute("data-ccm-lang");
      var again = [].find.call(document.querySelectorAll(LINK), function (a) {
        return page !== null ? a.getAttribute("data-ccm-nav") === page
             : lang !== null ? a.getAttribute("data-ccm-lang") === lang
             : a.getAttribute("href") === href && a.textContent === label;
      }) || link;
      again.dataset.ccmReplay = "1";
      again.click();
      delete again.dataset.ccmReplay;
    })();
  }, true);

  // The navigation's links (frame.navigation) switch the page without reloading it, as Streamlit's page
  // links do: the address changes, and Streamlit's own handling of the browser's back and forward
  // buttons runs the page named in it. A Ctrl-click or middle click opens a new tab, as on any link.
  // The day goes with the address, not with the link: a day just committed is in the address at
  // once, but in the links only once the server's rerun has drawn them anew (late on a busy server).
  var DAY = /^\d{4}-\d{2}-\d{2}$/;
  function withTheDay(href) {
    var to = new URL(href, window.location.href);
    var day = new URLSearchParams(window.location.search).get("as_of");
    if (day && DAY.test(day) && to.searchParams.has("as_of")) to.searchParams.set("as_of", day);
    return to;
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-ccm-nav], a[data-ccm-lang]");
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    var to = withTheDay(a.href);
    if (to.pathname === window.location.pathname && to.search === window.location.search) return;
    window.history.pushState(null, "", to.pathname + to.search);
    window.dispatchEvent(new PopStateEvent("popstate", {state: null}));
  });

  // On a narrow screen, choosing a page closes the sidebar that covers it.
  document.addEventListener("click", function (e) {
    if (window.innerWidth >= NARROW || !e.target.closest) return;
    if (!e.target.closest('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"], a[data-ccm-nav]')) return;
    setTimeout(function () {
      if (!document.querySelector('[data-testid="stSidebar"][data-collapsed="false"]')) return;
      var b = document.querySelector('[data-testid="stSidebarCollapseButton"] button, [data-testid="stSidebarHeader"] button');
      if (b) b.click();
    }, 0);
  }, true);
})();
