/**
 * Done when: an Open311 client files and reads a request, in JSON and in XML, with the standard
 * field names and error format, using the demo api_key.
 */
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { DEMO_BUILDING } from '../../seed/demo-identity.js';
import { DEMO_BUILDING_POINT, DEMO_HOUSEHOLD, DEMO_OPEN311_KEY } from '../../seed/demo-governance.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

const xml = new XMLParser({ isArray: (name) => ['request', 'service', 'error', 'endpoint', 'format'].includes(name), parseTagValue: false });
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const post = (format: string, fields: Record<string, string>) => t.app.inject({
  method: 'POST', url: `/open311/v2/requests.${format}`, payload: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

describe('Open311 GeoReport v2', () => {
  it('describes itself and lists only public services, in JSON and XML', async () => {
    const disc = await t.call('GET', '/open311/v2/discovery.json');
    expect(disc.json().endpoints.endpoint[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', formats: { format: ['application/json', 'text/xml'] } });
    const services = (await t.call('GET', '/open311/v2/services.json')).json();
    expect(services[0]).toEqual(expect.objectContaining({ service_code: expect.any(String), service_name: expect.any(String), metadata: false, type: 'realtime' }));
    const codes = services.map((s: { service_code: string }) => s.service_code);
    expect(codes).toContain('water_leak');
    expect(codes).not.toContain('elderly_check');
    const x = await t.call('GET', '/open311/v2/services.xml');
    expect(x.headers['content-type']).toMatch(/text\/xml/);
    expect(xml.parse(x.body).services.service.map((s: { service_code: string }) => s.service_code)).toEqual(codes);
    const def = (await t.call('GET', '/open311/v2/services/water_leak.json')).json();
    expect(def).toEqual({ service_code: 'water_leak', attributes: [] });
  });

  it('files a request form-encoded and reads it back in JSON', async () => {
    const res = await post('json', {
      api_key: DEMO_OPEN311_KEY, service_code: 'street_light', lat: String(DEMO_BUILDING_POINT.lat), long: String(DEMO_BUILDING_POINT.lon),
      description: '保俶路12号门口路灯不亮', email: 'someone@example.com',
    });
    expect(res.statusCode).toBe(201);
    const [created] = res.json();
    expect(created.service_request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.service_notice).toMatch(/not stored/);

    const one = (await t.call('GET', `/open311/v2/requests/${created.service_request_id}.json`)).json();
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({
      service_request_id: created.service_request_id, status: 'open', service_code: 'street_light', service_name: '路灯损坏',
      description: '保俶路12号门口路灯不亮', address_id: DEMO_BUILDING, lat: 30.265, long: 120.15,
    });
    expect(one[0].status_notes).toMatch(/reported/);
    expect(new Date(one[0].expected_datetime).getTime()).toBeGreaterThan(new Date(one[0].requested_datetime).getTime());
    expect(JSON.stringify(one)).not.toContain('someone@example.com');

    const list = (await t.call('GET', `/open311/v2/requests.json?service_code=street_light&status=open`)).json();
    expect(list.map((r: { service_request_id: string }) => r.service_request_id)).toContain(created.service_request_id);
    const closed = (await t.call('GET', `/open311/v2/requests.json?service_code=street_light&status=closed`)).json();
    expect(closed.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(created.service_request_id);
  });

  it('files a request and reads it back in XML, and follows its status as staff work on it', async () => {
    const res = await post('xml', { api_key: DEMO_OPEN311_KEY, service_code: 'water_leak', address_id: DEMO_BUILDING, description: '地下室漏水' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toMatch(/text\/xml/);
    const id = xml.parse(res.body).service_requests.request[0].service_request_id as string;

    // Staff accept it in tongban; the Open311 status stays "open" and the detail goes into status_notes.
    const ev = (await t.call('GET', `/api/v1/governance/events/${id}`, { as: 'grid1' })).json();
    expect(ev.channel).toBe('open311');
    await t.call('POST', `/api/v1/governance/events/${id}/accept`, { as: 'grid1', body: { version: ev.version } });

    const back = xml.parse((await t.call('GET', `/open311/v2/requests/${id}.xml`)).body).service_requests.request[0];
    expect(back).toMatchObject({ service_request_id: id, status: 'open', service_code: 'water_leak', address_id: DEMO_BUILDING });
    expect(back.status_notes).toMatch(/accepted/);
  });

  it('accepts a JSON body too', async () => {
    const res = await t.call('POST', '/open311/v2/requests.json', { body: { api_key: DEMO_OPEN311_KEY, service_code: 'garbage', lat: 30.2651, long: 120.1502, description: '垃圾' } });
    expect(res.statusCode).toBe(201);
  });

  it('refuses without an api_key, with a bad one, an unknown or internal service, a place outside the area — in the Open311 error format', async () => {
    const missing = await post('json', { service_code: 'water_leak', address_id: DEMO_BUILDING });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toEqual([{ code: 400, description: expect.stringMatching(/api_key/) }]);
    const bad = await post('xml', { api_key: 'not-a-key', service_code: 'water_leak', address_id: DEMO_BUILDING });
    expect(bad.statusCode).toBe(403);
    expect(xml.parse(bad.body).errors.error[0]).toEqual({ code: '403', description: 'The api_key is not valid' });
    const internal = await post('json', { api_key: DEMO_OPEN311_KEY, service_code: 'elderly_check', address_id: DEMO_BUILDING });
    expect(internal.statusCode).toBe(400);
    const far = await post('json', { api_key: DEMO_OPEN311_KEY, service_code: 'garbage', lat: '39.9', long: '116.4' });
    expect(far.statusCode).toBe(422);
    expect(far.json()[0].description).toMatch(/outside/);
    const addrOnly = await post('json', { api_key: DEMO_OPEN311_KEY, service_code: 'garbage', address_string: '保俶路' });
    expect(addrOnly.json()[0].description).toMatch(/address_string/);
    const none = await t.call('GET', '/open311/v2/requests/00000000-0000-4000-8000-000000000000.json');
    expect(none.statusCode).toBe(404);
    expect(none.json()[0].code).toBe(404);
    const attribute = await post('json', { api_key: DEMO_OPEN311_KEY, service_code: 'garbage', address_id: DEMO_BUILDING, 'attribute[pole]': 'A-12' });
    expect(attribute.statusCode).toBe(400);
    expect(attribute.json()[0].description).toMatch(/attribute\[pole\]/);
    const badFilter = await t.call('GET', '/open311/v2/requests.json?status=pending');
    expect(badFilter.statusCode).toBe(400);
    expect(badFilter.json()[0].code).toBe(400);
  });

  it('never publishes a household code or an internal category', async () => {
    const ev = (await t.call('POST', '/api/v1/governance/events', { as: 'grid1', body: { categoryCode: 'water_leak', description: '户内漏水', regionCode: DEMO_HOUSEHOLD } })).json();
    const shown = (await t.call('GET', `/open311/v2/requests/${ev.id}.json`)).json()[0];
    expect(shown.address_id).toBe(DEMO_BUILDING);
    expect(shown.description).toBeNull();
    const check = (await t.call('POST', '/api/v1/governance/events', { as: 'grid1', body: { categoryCode: 'elderly_check', description: '独居老人两天未出门', regionCode: DEMO_HOUSEHOLD } })).json();
    expect((await t.call('GET', `/open311/v2/requests/${check.id}.json`)).statusCode).toBe(404);
    const all = (await t.call('GET', '/open311/v2/requests.json')).json();
    expect(all.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(check.id);
  });
});
