// CCM Analytics on screen: two behaviours Streamlit does not offer (loaded once per browser tab).
(function () {
  if (window.__ccmFrame) return;
  window.__ccmFrame = true;
  var NARROW = 800;

  // Enter in the as-of day commits the day (by leaving the field) instead of opening the calendar,
  // whose closing would swallow the user's next click (for example on a page link).
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || !e.target.closest || !e.target.closest('[data-testid="stDateInput"]')) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    e.target.blur();
  }, true);

  // On a narrow screen, choosing a page closes the sidebar that covers it.
  document.addEventListener("click", function (e) {
    if (window.innerWidth >= NARROW || !e.target.closest) return;
    if (!e.target.closest('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]')) return;
    setTimeout(function () {
      if (!document.querySelector('[data-testid="stSidebar"][data-collapsed="false"]')) return;
      var b = document.querySelector('[data-testid="stSidebarCollapseButton"] button, [data-testid="stSidebarHeader"] button');
      if (b) b.click();
    }, 0);
  }, true);
})();
