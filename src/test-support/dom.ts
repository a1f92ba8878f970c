// jsdom lacks a few browser APIs Grafana's components use (menus observe their visibility).
// Import from editor tests; kept out of the shared jest setup so other suites stay unchanged.
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
jest.setTimeout(30_000);
