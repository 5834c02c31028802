/*
 * The view controls without a click: choosing another environment shows it at once (the
 * form's Show button, there for browsers without scripts, is removed).
 */
(() => {
  for (const select of document.querySelectorAll('select[data-auto-submit]')) {
    const form = select.form;
    form.querySelector('button[type="submit"]')?.remove();
    select.addEventListener('change', () => form.requestSubmit());
  }
})();
