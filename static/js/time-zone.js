// Selects the browser's own time zone in a time-zone list marked data-detect-time-zone.
document.addEventListener("DOMContentLoaded", () => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone) return;
  for (const select of document.querySelectorAll("select[data-detect-time-zone]")) {
    if ([...select.options].some((option) => option.value === zone)) select.value = zone;
  }
});
