// The text the founder selected inside an element, or "" when nothing is selected there (the Documents page's
// "Link…" offers the selection, else the whole passage, as evidence for an initiative).
window.plannerSelectionWithin = (element) => {
  const selection = window.getSelection();
  if (!element || !selection || selection.rangeCount === 0 || selection.isCollapsed) return "";
  const range = selection.getRangeAt(0);
  return element.contains(range.startContainer) && element.contains(range.endContainer) ? selection.toString() : "";
};
