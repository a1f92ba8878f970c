// Jest setup provided by Grafana scaffolding. It patches DOM classes, so it applies only under
// jsdom: plugin tests against real servers run with `@jest-environment node` (Node's fetch).
if (typeof window !== 'undefined') {
  require('./.config/jest-setup');
}

// React 19's react-dom/server.browser (imported by @grafana/ui's Text) creates a MessageChannel
// at load; jsdom has none. A timer-based channel is enough for it and keeps no handle open.
if (typeof global.MessageChannel === 'undefined') {
  global.MessageChannel = class MessageChannel {
    constructor() {
      const port = (other) => ({
        onmessage: null,
        postMessage: (data) => setTimeout(() => other().onmessage?.({ data }), 0),
        start() {},
        close() {},
        addEventListener() {},
        removeEventListener() {},
      });
      this.port1 = port(() => this.port2);
      this.port2 = port(() => this.port1);
    }
  };
}
