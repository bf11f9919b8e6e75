// How messages name a model's file: relative to the working folder, as the
// user most likely typed it, and absolute when it lies outside that folder.

import { relative } from "node:path";

export function shownPath(file: string): string {
  const shown = relative(process.cwd(), file);
  return shown === "" || shown.startsWith("..") ? file : shown;
}
