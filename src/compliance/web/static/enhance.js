// Optional enhancement only: every page works without this file.
// Shows the print button (which needs script) and opens the collapsed rules before printing,
// so the paper copy lists every rule considered.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
window.addEventListener("beforeprint", () => {
  for (const details of document.querySelectorAll("details.others")) details.open = true;
});
