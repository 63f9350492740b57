// Printing (issue 14): charts and tables are drawn for the screen's width, and the browser does not
// redraw them for the paper. Before printing, the page's content keeps the width of its widest chart
// or table and is scaled down to the printable width of an A4 page (188 mm of its 190), so nothing is cut at the
// right edge. A transform (not zoom) changes no element's layout size, so nothing is redrawn at a
// wrong width; negative margins give back the space the scaling frees. Afterwards all is put back.
(() => {
  if (window.__ccmPrintFit) return;
  window.__ccmPrintFit = true;
  const PRINTABLE_PX = 188 * 96 / 25.4;  // A4 width minus 10 mm margins and 2 mm to spare, in CSS pixels
  // what is drawn at a fixed width (a chart's SVG, a data grid's canvas), not the boxes that stretch
  const WIDE = '.js-plotly-plot .main-svg, [data-testid="stDataFrame"] canvas, [data-testid="stTable"] table, '
    + '[data-testid="stImage"] img';
  const PROPS = ['width', 'max-width', 'transform', 'transform-origin', 'margin-right', 'margin-bottom'];
  const container = () => document.querySelector('[data-testid="stMainBlockContainer"]');
  const unfit = () => {
    const box = container();
    if (box) for (const p of PROPS) box.style.removeProperty(p);
  };
  const fit = () => {
    const box = container();
    if (!box) return;
    unfit();
    let widest = 0;
    for (const el of box.querySelectorAll(WIDE)) widest = Math.max(widest, el.getBoundingClientRect().width);
    if (widest <= PRINTABLE_PX) return;
    const width = Math.ceil(widest), scale = Math.floor(PRINTABLE_PX / widest * 1000) / 1000;
    const set = (p, v) => box.style.setProperty(p, v, 'important');
    set('width', `${width}px`);
    set('max-width', 'none');
    set('transform-origin', 'top left');
    set('transform', `scale(${scale})`);
    set('margin-right', `${-Math.floor(width * (1 - scale))}px`);
    set('margin-bottom', `${-Math.floor(box.getBoundingClientRect().height * (1 - scale))}px`);
  };
  // Only around a real print: when the print style is merely switched on (emulation), the charts redraw
  // for the 188 mm wide page that print.css sets, and need no scaling.
  window.addEventListener('beforeprint', fit);
  window.addEventListener('afterprint', unfit);
})();
