import '../../test-support/dom';
import React, { useState } from 'react';
import { render, screen, within } from '@testing-library/react';
import { setupUser } from '../../test-support/user';
import { MemoryRouter } from 'react-router-dom';
import type { DataSourceSettings } from '@grafana/data';
import { ConfigEditor, isValidInterval } from './ConfigEditor';
import type { ApimonOptions, ApimonSecureOptions } from '../types';

type Settings = DataSourceSettings<ApimonOptions, ApimonSecureOptions>;

function settings(overrides: Partial<Settings> = {}): Settings {
  return {
    id: 1,
    uid: 'apimon',
    orgId: 1,
    name: 'apimon',
    type: 'apimon-apimon-datasource',
    typeName: 'apimon',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData: {},
    secureJsonFields: {},
    readOnly: false,
    withCredentials: false,
    ...overrides,
  } as Settings;
}

/** Renders the editor with state, as Grafana's data source page does; returns the latest settings. */
function renderEditor(initial: Settings) {
  const latest: { current: Settings } = { current: initial };
  function Harness() {
    const [options, setOptions] = useState(initial);
    return (
      <ConfigEditor
        options={options}
        onOptionsChange={(next) => {
          latest.current = next as Settings;
          setOptions(next as Settings);
        }}
      />
    );
  }
  // Grafana renders editors inside its router; internal links need one.
  render(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Harness />
    </MemoryRouter>
  );
  return latest;
}

/** Click and paste: one change event per field instead of one per keystroke. */
async function fill(user: ReturnType<typeof setupUser>, input: HTMLElement, text: string) {
  await user.click(input);
  await user.paste(text);
}

describe('ConfigEditor', () => {
  it('edits the store URL, prober URL, prober token and scrape interval', async () => {
    const user = setupUser();
    const latest = renderEditor(settings());

    await fill(user, screen.getByPlaceholderText('http://prometheus:9090'), 'http://127.0.0.1:9090');
    await fill(user, screen.getByPlaceholderText('http://apimon-prober:9464'), 'http://prober:9464');
    await fill(user, screen.getByLabelText(/^Scrape interval/), '30s');
    const tokenInput = document.getElementById('apimon-prober-token') as HTMLInputElement;
    await fill(user, tokenInput, 's3cret');

    expect(latest.current.url).toBe('http://127.0.0.1:9090');
    expect(latest.current.jsonData.proberUrl).toBe('http://prober:9464');
    expect(latest.current.jsonData.scrapeInterval).toBe('30s');
    expect(latest.current.secureJsonData?.proberToken).toBe('s3cret');
    expect(latest.current.jsonData.proberTokenSet).toBe(true);
    // The token is a secret: never copied into jsonData.
    expect(JSON.stringify(latest.current.jsonData)).not.toContain('s3cret');
  });

  it('shows a configured prober token as configured and resets it', async () => {
    const user = setupUser();
    const latest = renderEditor(settings({ secureJsonFields: { proberToken: true } }));
    const tokenInput = document.getElementById('apimon-prober-token') as HTMLInputElement;
    expect(tokenInput).toBeDisabled();
    expect(tokenInput).toHaveValue('configured');
    const resetButtons = screen.getAllByRole('button', { name: 'Reset' });
    await user.click(resetButtons[resetButtons.length - 1]);
    expect(latest.current.secureJsonFields.proberToken).toBe(false);
    expect(latest.current.secureJsonData?.proberToken).toBe('');
    // Without a token the data source takes the prober route that sends no Authorization header.
    expect(latest.current.jsonData.proberTokenSet).toBe(false);
  });

  it('records whether a token is stored for a data source saved before the flag existed', () => {
    expect(renderEditor(settings({ secureJsonFields: { proberToken: true } })).current.jsonData.proberTokenSet).toBe(true);
  });

  it('records no token for a new data source', () => {
    expect(renderEditor(settings()).current.jsonData.proberTokenSet).toBe(false);
  });

  it('offers basic auth for the store (Grafana Cloud, Prometheus behind a proxy)', async () => {
    const user = setupUser();
    const latest = renderEditor(settings());
    await user.click(screen.getByRole('combobox', { name: /authentication method/i }));
    await user.click(await screen.findByText('Basic authentication'));
    expect(latest.current.basicAuth).toBe(true);
    await fill(user, screen.getByPlaceholderText('User'), '123456');
    await fill(user, screen.getByPlaceholderText('Password'), 'glc_token');
    expect(latest.current.basicAuthUser).toBe('123456');
    expect(latest.current.secureJsonData?.basicAuthPassword).toBe('glc_token');
  });

  it('stores a bearer token as an Authorization header secret and switches back cleanly', async () => {
    const user = setupUser();
    const latest = renderEditor(settings({ jsonData: { httpHeaderName1: 'X-Scope-OrgID' }, secureJsonFields: { httpHeaderValue1: true } }));
    await user.click(screen.getByRole('combobox', { name: /authentication method/i }));
    await user.click(await screen.findByText('Bearer token'));
    expect(latest.current.jsonData.storeAuth).toBe('bearer');
    expect(latest.current.basicAuth).toBe(false);

    await fill(user, document.getElementById('apimon-store-bearer') as HTMLInputElement, 'abc');
    const names = Object.entries(latest.current.jsonData).filter(([k]) => k.startsWith('httpHeaderName'));
    expect(Object.fromEntries(names)).toEqual({ httpHeaderName1: 'X-Scope-OrgID', httpHeaderName2: 'Authorization' });
    expect(latest.current.secureJsonData?.httpHeaderValue2).toBe('Bearer abc');
    // The tenant header stays configured; its stored value is not overwritten.
    expect(latest.current.secureJsonFields.httpHeaderValue1).toBe(true);
    expect(latest.current.secureJsonData?.httpHeaderValue1).toBeUndefined();

    await user.click(screen.getByRole('combobox', { name: /authentication method/i }));
    await user.click(await screen.findByText('No Authentication'));
    expect(latest.current.jsonData.storeAuth).toBeUndefined();
    expect(Object.values(latest.current.jsonData)).not.toContain('Authorization');
    expect(latest.current.jsonData.httpHeaderName1).toBe('X-Scope-OrgID');
  });

  it('says why alerting uses the built-in Prometheus data source', () => {
    renderEditor(settings());
    const alert = screen.getByText(/Alerting uses the built-in Prometheus data source/).closest('[role="status"], [role="alert"], div')!;
    expect(within(alert as HTMLElement).getByText(/cannot use it/)).toBeInTheDocument();
  });

  it('rejects a scrape interval that is not a duration', async () => {
    const user = setupUser();
    renderEditor(settings());
    await fill(user, screen.getByLabelText(/^Scrape interval/), 'often');
    expect(await screen.findByText('Use a duration such as 15s, 30s or 1m')).toBeInTheDocument();
    expect(isValidInterval('15s')).toBe(true);
    expect(isValidInterval('1m')).toBe(true);
    expect(isValidInterval('often')).toBe(false);
  });
});
