// The error summary at the top of a form takes focus, so a screen reader reads what to fix first.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
  // The grid's room selector: choosing a room shows that room's week at once.
  const chooser = document.querySelector("[data-autosubmit]");
  if (chooser) chooser.addEventListener("change", () => chooser.form && chooser.form.submit());
});
