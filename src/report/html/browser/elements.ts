// Builds the page's elements. Text goes in as text (textContent), never as
// markup: every string the viewer shows may come from a model.

type Child = Node | string | null | undefined | false;

export interface ElementOptions {
  readonly className?: string;
  readonly text?: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElementOptions = {}, children: readonly Child[] = []): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (options.className !== undefined) e.className = options.className;
  if (options.text !== undefined) e.textContent = options.text;
  for (const [name, value] of Object.entries(options.attributes ?? {})) e.setAttribute(name, value);
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c); // append() takes strings as text
  return e;
}
