// jsdom lacks a few browser APIs Grafana's components use (menus observe their visibility).
// Import from editor tests; kept out of the shared jest setup so other suites stay unchanged.
import { installFastComputedStyle } from './computed-style';

class IntersectionObserverStub {
  readonly root = null;
  readonly rootMargin = '0px';
  readonly thresholds = [0];
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}

if (typeof globalThis.IntersectionObserver === 'undefined') {
  Object.assign(globalThis, { IntersectionObserver: IntersectionObserverStub });
}

/** The shared 2-core machine renders the big Grafana editors slowly. */
jest.setTimeout(60_000);

// Grafana measures option text on a canvas (auto-width comboboxes); jsdom has no canvas, and
// the scaffold's stub returns no context. Width ~ 7 px per character is all the layout needs.
HTMLCanvasElement.prototype.getContext = function getContext() {
  return {
    font: '',
    measureText: (text: string) => ({ width: text.length * 7 }),
  } as unknown as CanvasRenderingContext2D;
} as unknown as typeof HTMLCanvasElement.prototype.getContext;

// Combobox menus are virtualised: they render only the options that fit the menu's measured
// size, which is 0x0 in jsdom. Give every element a size so the visible options render.
Element.prototype.getBoundingClientRect = function getBoundingClientRect() {
  return { x: 0, y: 0, top: 0, left: 0, right: 400, bottom: 400, width: 400, height: 400, toJSON: () => ({}) } as DOMRect;
};
for (const prop of ['offsetHeight', 'offsetWidth', 'clientHeight', 'clientWidth'] as const) {
  Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => 400 });
}

// Testing Library's role queries over Grafana's menus are slow on jsdom's getComputedStyle.
installFastComputedStyle();
