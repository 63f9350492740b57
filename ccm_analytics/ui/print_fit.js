// Printing (issue 14): charts and tables are drawn for the screen's width, and the browser does not
// redraw them for the paper. Before printing, the page's content keeps the width of its widest chart
// or table and is scaled down to the printable width of an A4 page (188 mm of its 190), so nothing is cut at the
// right edge. A transform (not zoom) changes no element's layout size, so nothing is redrawn at a
// wrong width; negative margins give back the space the scaling frees. Afterwards all is put back.
// A data grid draws only the columns in view: one whose columns scroll sideways is first widened to
// all its columns (it redraws at the new width) and scaled down to the width it had.
(() => {
  if (window.__ccmPrintFit) return;
  window.__ccmPrintFit = true;
  const PRINTABLE_PX = 188 * 96 / 25.4;  // A4 width minus 10 mm margins and 2 mm to spare, in CSS pixels
  // what is drawn at a fixed width (a chart's SVG, a data grid's canvas), not the boxes that stretch
  const WIDE = '.js-plotly-plot .main-svg, [data-testid="stDataFrame"] canvas, [data-testid="stTable"] table, '
    + '[data-testid="stImage"] img';
  const PROPS = ['width', 'max-width', 'transform', 'transform-origin', 'margin-right', 'margin-bottom'];
  const container = () => document.querySelector('[data-testid="stMainBlockContainer"]');
  const GRID_PROPS = ['width', 'max-width', 'min-width', 'transform', 'transform-origin', 'margin-bottom'];
  const set = (el, p, v) => el.style.setProperty(p, v, 'important');
  let widened = [];  // the boxes of grids widened to all their columns
  const unwiden = () => {
    for (const el of widened) for (const p of GRID_PROPS) el.style.removeProperty(p);
    widened = [];
  };
  const widen = () => {
    for (const g of document.querySelectorAll('[data-testid="stDataFrame"]')) {
      const s = g.querySelector('.dvn-scroller');
      const hidden = s ? s.scrollWidth - s.clientWidth : 0;
      if (hidden <= 0) continue;
      // the grid's sized box (Streamlit gives it a fixed width); the grid redraws when it is resized
      let el = s;
      while (el.parentElement !== g) el = el.parentElement;
      const r = el.getBoundingClientRect(), width = Math.ceil(r.width + hidden) + 2;
      const scale = Math.floor(r.width / width * 1000) / 1000;
      set(el, 'width', `${width}px`);
      set(el, 'max-width', 'none');
      set(el, 'min-width', `${width}px`);
      set(el, 'transform-origin', 'top left');
      set(el, 'transform', `scale(${scale})`);
      set(el, 'margin-bottom', `${-Math.floor(r.height * (1 - scale))}px`);
      widened.push(el);
    }
  };
  const unfit = () => {
    const box = container();
    if (box) for (const p of PROPS) box.style.removeProperty(p);
    unwiden();
  };
  const fit = () => {
    const box = container();
    if (!box) return;
    unfit();
    widen();
    let widest = 0;
    for (const el of box.querySelectorAll(WIDE)) widest = Math.max(widest, el.getBoundingClientRect().width);
    if (widest <= PRINTABLE_PX) return;
    const width = Math.ceil(widest), scale = Math.floor(PRINTABLE_PX / widest * 1000) / 1000;
    set(box, 'width', `${width}px`);
    set(box, 'max-width', 'none');
    set(box, 'transform-origin', 'top left');
    set(box, 'transform', `scale(${scale})`);
    set(box, 'margin-right', `${-Math.floor(width * (1 - scale))}px`);
    set(box, 'margin-bottom', `${-Math.floor(box.getBoundingClientRect().height * (1 - scale))}px`);
  };
  // Only around a real print: when the print style is merely switched on (emulation), the charts redraw
  // for the 188 mm wide page that print.css sets, and need no scaling.
  window.addEventListener('beforeprint', fit);
  window.addEventListener('afterprint', unfit);
})();
