// The fast getComputedStyle must answer exactly as jsdom's own: compared element by element on
// an open Grafana Combobox (emotion styles, floating menus) and on hand-made cases of the
// cascade rules it reimplements.
import React from 'react';
import { render, screen } from '@testing-library/react';
import { Combobox } from '@grafana/ui';
import { setupUser } from './user';

const jsdomComputedStyle = window.getComputedStyle.bind(window);
// Installed after jsdom's is captured (dom.ts installs it at import).
require('./dom');

function expectSameStyles(root: Element) {
  const elements = [root, ...Array.from(root.querySelectorAll('*'))];
  const differences = elements
    .map((el) => ({ el: el.outerHTML.slice(0, 80), jsdom: jsdomComputedStyle(el).cssText, fast: getComputedStyle(el).cssText }))
    .filter((d) => d.jsdom !== d.fast);
  expect(differences).toEqual([]);
  return elements.length;
}

afterEach(() => {
  document.head.querySelectorAll('style[data-test]').forEach((s) => s.remove());
});

it('answers as jsdom on an open Grafana Combobox', async () => {
  // jsdom's selector engine tracks :hover from the moment it first matches: start it now.
  jsdomComputedStyle(document.body);
  const user = setupUser();
  render(
    <Combobox
      aria-label="kind"
      options={[
        { value: 'a', label: 'Alpha', description: 'first' },
        { value: 'b', label: 'Beta' },
      ]}
      value="a"
      onChange={() => {}}
    />
  );
  await user.click(screen.getByRole('combobox', { name: 'kind' }));
  expect(await screen.findByRole('option', { name: /Beta/ })).toBeInTheDocument();
  expect(document.styleSheets.length).toBeGreaterThan(0);
  expect(expectSameStyles(document.documentElement)).toBeGreaterThan(10);
});

it('follows the cascade: user-agent sheet, sheets in order, screen media, inline last, inherited visibility', () => {
  const style = document.createElement('style');
  style.dataset.test = '';
  style.textContent = `
    .box { display: flex; color: red }
    .box > span.inner { visibility: hidden }
    div .deep:not(.shown) { display: none }
    [data-kind="x"] em, #only { color: blue }
    ul li + li { font-weight: bold }
    @media screen { .screen-only { display: grid } }
    @media print { .box { display: none } }
    .box::-webkit-scrollbar { width: 0 }
    .box:hover { color: green }
  `;
  document.head.appendChild(style);
  const host = document.createElement('section');
  host.innerHTML = `
    <div class="box" data-kind="x">
      <span class="inner"><b>hidden by inheritance</b><i style="visibility: visible">shown again</i></span>
      <p class="deep">gone</p><p class="deep shown">kept</p><em>blue</em>
      <p hidden>hidden attribute</p><span id="only" style="color: black">inline wins</span>
    </div>
    <ul><li>one</li><li>two</li></ul><div class="screen-only"></div><svg><g class="box"></g></svg>`;
  document.body.appendChild(host);
  expect(expectSameStyles(host)).toBeGreaterThan(12);
  expect(getComputedStyle(host.querySelector('b')!).visibility).toBe('hidden');
  expect(getComputedStyle(host.querySelector('i')!).visibility).toBe('visible');
  expect(getComputedStyle(host.querySelector('.deep')!).display).toBe('none');
  expect(getComputedStyle(host.querySelector('[hidden]')!).display).toBe('none');
  expect(getComputedStyle(host.querySelector('.screen-only')!).display).toBe('grid');

  // Changes are seen at once, before any observer callback could run.
  host.querySelector('.deep')!.classList.add('shown');
  expect(getComputedStyle(host.querySelector('.deep')!).display).toBe('block');
  style.textContent += '.deep { display: inline }';
  expect(getComputedStyle(host.querySelector('.deep')!).display).toBe('inline');
  host.querySelector('.inner')!.setAttribute('style', 'visibility: visible');
  expect(getComputedStyle(host.querySelector('b')!).visibility).toBe('visible');
  expect(expectSameStyles(host)).toBeGreaterThan(12);
  host.remove();
});
