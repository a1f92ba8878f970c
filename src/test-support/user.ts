import userEvent, { PointerEventsCheckLevel } from '@testing-library/user-event';

/**
 * user-event without the per-event `pointer-events` check: it calls getComputedStyle on every
 * ancestor for every pointer event, which is very slow in jsdom with Grafana's many emotion
 * styles. Nothing in our editors relies on pointer-events: none.
 */
export function setupUser() {
  return userEvent.setup({ delay: null, pointerEventsCheck: PointerEventsCheckLevel.Never });
}
