// Keeping the highlighted event in view while stepping: the pane that holds
// it scrolls, the page does not (scrollIntoView would move the page too,
// taking the controls away from under the reader).

/** Scrolls `pane` (only: not the page) so that `target` is in view, if it is not. */
export function scrollIntoPane(pane: Element, target: Element): void {
  const p = pane.getBoundingClientRect();
  const t = target.getBoundingClientRect();
  if (t.top < p.top) pane.scrollTop -= p.top - t.top + 8;
  else if (t.bottom > p.bottom) pane.scrollTop += t.bottom - p.bottom + 8;
  if (t.left < p.left) pane.scrollLeft -= p.left - t.left + 8;
  else if (t.right > p.right) pane.scrollLeft += t.right - p.right + 8;
}
