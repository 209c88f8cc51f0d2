"""Scripts the browser suite runs in the page to measure it (JavaScript, returned as data).

Each is evaluated with ``page.evaluate`` and returns plain lists and dicts.
"""

# Elements that reach past the right edge of the window, unless a scrolling ancestor inside the
# window holds them (a grid's own scroller, say; the page's scrollers do not count). A clipping
# ancestor does not excuse them: what it clips is cut off. Only the outermost offender of a
# nest is listed. Streamlit scrolls in its main element, not the document: both are measured.
OVERFLOW_JS = """
() => {
  const limit = window.innerWidth + 1;
  // The page's own scrolling containers (they hold the main block) never excuse an element.
  const main = document.querySelector("[data-testid='stMainBlockContainer']");
  const clips = (el) => !(main && el.contains(main))
    && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const offenders = [];
  for (const el of document.querySelectorAll('body *')) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0 || rect.right <= limit) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || style.opacity === '0') continue;
    let clipped = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (clips(up) && up.getBoundingClientRect().right <= limit) { clipped = true; break; }
    }
    if (clipped) continue;
    const parent = el.parentElement;
    if (parent && parent !== document.body && offenders.some((o) => o.el === parent)) {
      offenders.push({el, nested: true});
      continue;
    }
    offenders.push({el, nested: false});
  }
  const describe = ({el}) => {
    const id = el.closest('[data-testid]');
    const chart = el.closest('svg') && el.closest('svg').querySelector('.role-title-text');
    const words = chart ? chart.textContent : el.innerText || '';
    const text = words.trim().slice(0, 40).replace(/\\s+/g, ' ');
    return `${el.tagName.toLowerCase()} in ${id ? id.dataset.testid : 'page'}`
      + ` right=${Math.round(el.getBoundingClientRect().right)} "${text}"`;
  };
  const scroller = document.querySelector("[data-testid='stMain']") || document.documentElement;
  return {
    scrollWidth: Math.max(document.documentElement.scrollWidth, scroller.scrollWidth),
    innerWidth: window.innerWidth,
    offenders: offenders.filter((o) => !o.nested).slice(0, 8).map(describe),
  };
}
"""

# Charts are SVG (vega): a chart whose drawing reaches past its own box is cut off there, and
# vega ends a text it had to shorten with an ellipsis. Strokes may stick out a pixel or two.
# Labels must not sit on the data or on each other.
CHARTS_JS = """
() => [...document.querySelectorAll("[data-testid='stVegaLiteChart'] svg.marks")].map((svg) => {
  const box = svg.getBBox();
  const width = svg.width.baseVal.value;
  const title = svg.querySelector('.role-title-text');
  const name = title ? title.textContent : 'untitled chart';
  const problems = [];
  if (box.x < -4) problems.push(`${name}: drawn from x=${Math.round(box.x)}`);
  if (box.x + box.width > width + 4) {
    problems.push(`${name}: drawn to x=${Math.round(box.x + box.width)} in ${Math.round(width)} px`);
  }
  for (const text of svg.querySelectorAll('text')) {
    if (text.textContent.endsWith('\u2026')) problems.push(`${name}: cut text "${text.textContent}"`);
  }
  // A data label on a data point or on another label, or axis labels on each other (vega
  // hides the axis labels it thins out with opacity 0; those do not count).
  const shown = (e) => getComputedStyle(e).opacity !== '0' && e.getAttribute('opacity') !== '0';
  const edges = (e) => {
    const r = e.getBoundingClientRect();
    return {l: r.left + 1, r: r.right - 1, t: r.top + 1, b: r.bottom - 1};
  };
  const meet = (a, b) => a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b;
  const labels = [...svg.querySelectorAll('g.role-mark.mark-text text, g.role-axis-label text')]
    .filter((t) => t.textContent.trim() && shown(t));
  const points = [...svg.querySelectorAll('g.role-mark.mark-symbol path')].filter(shown);
  for (const label of labels) {
    const own = edges(label);
    const onLabel = labels.find((other) => other !== label
      && other.textContent !== label.textContent && meet(own, edges(other)));
    if (onLabel) problems.push(`${name}: "${label.textContent}" on "${onLabel.textContent}"`);
    if (points.some((point) => meet(own, edges(point)))) {
      problems.push(`${name}: "${label.textContent}" on a data point`);
    }
  }
  return [...new Set(problems)];
})
"""

# Every data grid: the column headers it shows (glide-data-grid keeps an accessible copy of the
# cells in view) and its scroller's widths.
GRIDS_JS = """
() => [...document.querySelectorAll("[data-testid='stDataFrame']")].map((grid) => {
  const scroller = grid.querySelector('.dvn-scroller');
  return {
    headers: [...grid.querySelectorAll('th, [role=columnheader]')].map((h) => h.textContent.trim()),
    scrollWidth: scroller ? scroller.scrollWidth : 0,
    clientWidth: scroller ? scroller.clientWidth : 0,
  };
})
"""
