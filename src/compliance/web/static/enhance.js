// Optional enhancement only: every page works without this file.
// Shows the print button, which needs script. The collapsed list of passing and not-applicable
// rules prints as its count line; an officer who wants it on paper opens it before printing.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
