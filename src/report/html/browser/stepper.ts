// Stepping through an execution one timeline row at a time (an access, a
// fence, or an RMW's two halves): first, back, forward, last, from buttons
// or the arrow keys. The positions are the rows currently shown.

import { element } from "./elements.ts";

export class Stepper {
  readonly root: HTMLElement;
  private positions: readonly number[] = [];
  private at = 0;
  private readonly status: HTMLElement;
  private readonly listeners: ((row: number | undefined) => void)[] = [];

  constructor(private readonly describe: (row: number) => string) {
    const button = (label: string, title: string, go: () => void) => {
      const b = element("button", { text: label, attributes: { type: "button", title, "aria-label": title } });
      b.addEventListener("click", go);
      return b;
    };
    this.status = element("span", { className: "status", attributes: { "data-testid": "step-status", "aria-live": "polite" } });
    this.root = element("div", { className: "stepper" }, [
      button("« first", "first event (Home)", () => this.go(0)),
      button("‹ back", "previous event (←)", () => this.go(this.at - 1)),
      button("next ›", "next event (→)", () => this.go(this.at + 1)),
      button("last »", "last event (End)", () => this.go(this.positions.length - 1)),
      this.status,
    ]);
  }

  onChange(listener: (row: number | undefined) => void): void {
    this.listeners.push(listener);
  }

  /** The rows one can step to; the current row is kept when it is still among them. */
  setPositions(rows: readonly number[]): void {
    const current = this.positions[this.at];
    this.positions = rows;
    const kept = current === undefined ? -1 : rows.indexOf(current);
    this.go(kept >= 0 ? kept : rows.findIndex((r) => current === undefined || r > current));
  }

  /** ← → (and Home/End) move; ↑ ↓ still scroll the page. */
  handleKey(e: KeyboardEvent): boolean {
    const moves: Readonly<Record<string, () => number>> = {
      ArrowRight: () => this.at + 1,
      ArrowLeft: () => this.at - 1,
      Home: () => 0,
      End: () => this.positions.length - 1,
    };
    const move = moves[e.key];
    if (move === undefined || e.altKey || e.ctrlKey || e.metaKey) return false;
    this.go(move());
    return true;
  }

  private go(index: number): void {
    this.at = Math.max(0, Math.min(index, this.positions.length - 1));
    const row = this.positions[this.at];
    this.status.textContent = row === undefined ? "no event shown" : `event ${this.at + 1} of ${this.positions.length}: ${this.describe(row)}`;
    for (const l of this.listeners) l(row);
  }
}
