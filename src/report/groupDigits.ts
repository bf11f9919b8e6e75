// Counts printed with thousands separators, as toLocaleString("en-US") prints
// them (1,234,567), without it: the first toLocaleString call in a thread
// sets up ICU's number formatting, about 10 ms of CPU, a good part of a small
// check's whole run.

/** `n` with a comma every three digits; anything but a safe integer goes to toLocaleString, which these never see. */
export function groupDigits(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString("en-US");
  return String(n).replace(/\B(?=(\d{3})+$)/g, ",");
}
