// A faster window.getComputedStyle for jsdom, with jsdom's own semantics.
//
// jsdom matches every rule of every sheet against the element, then once more for the
// inherited `visibility`, and again for each ancestor up to the root. Testing Library asks for
// the style of every candidate's ancestors (is it hidden?) and children (accessible names), and
// Grafana's menus position themselves with it after each render, so one `ByRole` query over an
// open Grafana menu cost seconds of CPU (QueryEditor.test.tsx took 35 to 45 s).
//
// This computes the same cascade (jsdom's user-agent sheet, then the document's sheets in
// order, `screen` media rules only, the inline style last; `visibility` inherited from the
// parent) in one pass per element, and
// - asks `element.matches` only for rules whose subject (the rightmost compound selector) names
//   a tag, id or class the element has, as browsers index rules; a selector it cannot read is
//   always asked;
// - keeps answers until the document, its sheets, the focus or the hovered element change.
//   MutationObserver.takeRecords() reads pending mutations synchronously, so a change is seen
//   by the very next call, not only once the observer's callback would run.

// jsdom's user-agent sheet (Blink's html.css): `display` of every element, `[hidden]`, ...
const USER_AGENT_CSS: string = require('jsdom/lib/jsdom/browser/default-stylesheet');

/** Index keys of an element: `tag`, `#id`, `.class`, lower case. */
function elementKeys(element: Element): Set<string> {
  const keys = new Set<string>([element.localName.toLowerCase()]);
  if (element.id) {
    keys.add(`#${element.id.toLowerCase()}`);
  }
  for (const name of Array.from(element.classList)) {
    keys.add(`.${name.toLowerCase()}`);
  }
  return keys;
}

const IDENT = /^[A-Za-z0-9_\u00a0-\uffff-]+/;

/** `text` split at each character of `at` that is outside (), [] and quotes. */
function splitOutside(text: string, at: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      quote = ch === quote ? '' : quote;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '(' || ch === '[') {
      depth++;
    } else if (ch === ')' || ch === ']') {
      depth--;
    } else if (depth === 0 && at.includes(ch)) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** `text` without what is inside (), [] and quotes: `:not(.x)` and `[class*="x"]` require nothing. */
function topLevel(text: string): string {
  let out = '';
  let depth = 0;
  let quote = '';
  for (const ch of text) {
    if (quote) {
      quote = ch === quote ? '' : quote;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '(' || ch === '[') {
      depth++;
    } else if (ch === ')' || ch === ']') {
      depth--;
    } else if (depth === 0) {
      out += ch;
    }
  }
  return out;
}

/**
 * A key an element must have to match one selector of a list: the subject's id, else a class,
 * else its tag; null when there is none or the selector is beyond this reader (escapes,
 * namespaces).
 */
function subjectKey(selector: string): string | null {
  if (selector.includes('\\') || selector.includes('|')) {
    return null;
  }
  const compounds = splitOutside(selector.trim(), ' >+~').filter((c) => c !== '');
  const subject = topLevel(compounds[compounds.length - 1] ?? '');
  const id = /#([A-Za-z0-9_\u00a0-\uffff-]+)/.exec(subject);
  if (id) {
    return `#${id[1].toLowerCase()}`;
  }
  const cls = /\.([A-Za-z0-9_\u00a0-\uffff-]+)/.exec(subject);
  if (cls) {
    return `.${cls[1].toLowerCase()}`;
  }
  const tag = IDENT.exec(subject);
  return tag ? tag[0].toLowerCase() : null;
}

/** Per rule: the keys of its selectors, one of which an element must have; null: ask always. */
const ruleKeys = new WeakMap<CSSStyleRule, string[] | null>();

function keysOf(rule: CSSStyleRule): string[] | null {
  let keys = ruleKeys.get(rule);
  if (keys === undefined) {
    const perSelector = splitOutside(rule.selectorText ?? '', ',').map(subjectKey);
    keys = perSelector.some((k) => k === null) ? null : (perSelector as string[]);
    ruleKeys.set(rule, keys);
  }
  return keys;
}

/** Selectors jsdom cannot parse (vendor pseudo-elements, ...): they match nothing, as in jsdom's
 * own cascade; remembered, because each attempt throws a DOMException. */
const unreadable = new Set<string>();

function matches(element: Element, selector: string): boolean {
  if (unreadable.has(selector)) {
    return false;
  }
  try {
    return element.matches(selector);
  } catch {
    unreadable.add(selector);
    return false;
  }
}

/** The style rules of `rules` that apply to `element`, in order (media rules as jsdom reads them: `screen` only). */
function collectRules(element: Element, keys: Set<string>, rules: CSSRuleList, out: CSSStyleRule[]): void {
  for (const rule of Array.from(rules)) {
    const media = (rule as CSSMediaRule).media;
    if (media) {
      if (Array.from(media).includes('screen')) {
        collectRules(element, keys, (rule as CSSMediaRule).cssRules, out);
      }
      continue;
    }
    const styleRule = rule as CSSStyleRule;
    if (!styleRule.selectorText) {
      continue;
    }
    const needs = keysOf(styleRule);
    if ((needs === null || needs.some((k) => keys.has(k))) && matches(element, styleRule.selectorText)) {
      out.push(styleRule);
    }
  }
}

function parseSheet(css: string): CSSStyleSheet {
  const style = document.createElement('style');
  style.textContent = css;
  document.head.appendChild(style);
  const sheet = style.sheet!;
  style.remove();
  return sheet;
}

export function installFastComputedStyle(): void {
  const jsdomComputedStyle = window.getComputedStyle.bind(window);
  const userAgentSheet = parseSheet(USER_AGENT_CSS);
  // Styles computed since the last change of the document, its sheets, the focus or the hover.
  let current = new WeakMap<Element, CSSStyleDeclaration>();
  const changes = new MutationObserver(() => {
    current = new WeakMap();
  });
  changes.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  // :focus and :hover follow these, not the DOM.
  for (const event of ['focusin', 'focusout', 'mouseover', 'mouseout']) {
    document.addEventListener(event, () => (current = new WeakMap()), true);
  }
  let sheetsSeen = '';
  const sheetsNow = () => Array.from(document.styleSheets, (sheet) => sheet.cssRules.length).join(',');

  const compute = (element: Element): CSSStyleDeclaration => {
    const keys = elementKeys(element);
    const rules: CSSStyleRule[] = [];
    collectRules(element, keys, userAgentSheet.cssRules, rules);
    for (const sheet of Array.from(document.styleSheets)) {
      collectRules(element, keys, sheet.cssRules, rules);
    }
    // A detached element's style is a CSSStyleDeclaration like the one jsdom returns.
    const style = document.createElement('div').style;
    for (const rule of rules) {
      for (const property of Array.from(rule.style)) {
        style.setProperty(property, rule.style.getPropertyValue(property), rule.style.getPropertyPriority(property));
      }
    }
    const inline = element instanceof HTMLElement || element instanceof SVGElement ? element.style : undefined;
    const visibility =
      inline?.getPropertyValue('visibility') ||
      style.getPropertyValue('visibility') ||
      (element.parentElement ? styleOf(element.parentElement).getPropertyValue('visibility') : 'visible');
    style.setProperty('visibility', visibility);
    for (const property of Array.from(inline ?? [])) {
      style.setProperty(property, inline!.getPropertyValue(property), inline!.getPropertyPriority(property));
    }
    return style;
  };

  const styleOf = (element: Element): CSSStyleDeclaration => {
    let style = current.get(element);
    if (!style) {
      style = compute(element);
      current.set(element, style);
    }
    return style;
  };

  // Pseudo-elements: jsdom does not implement them and answers with the element's style.
  window.getComputedStyle = function getComputedStyle(element: Element, _pseudo?: string | null) {
    if (!(element instanceof Element)) {
      return jsdomComputedStyle(element); // jsdom's TypeError for a non-element
    }
    const sheets = sheetsNow();
    if (changes.takeRecords().length > 0 || sheets !== sheetsSeen) {
      current = new WeakMap();
      sheetsSeen = sheets;
    }
    return styleOf(element);
  };
}
