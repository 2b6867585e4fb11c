// Print buttons: a <button type="button" data-print> prints the page. This replaces inline
// onclick="window.print()", which the Content-Security-Policy (no inline script) blocks.
document.addEventListener("click", function (event) {
  if (event.target instanceof Element && event.target.closest("[data-print]")) {
    window.print();
  }
});
