/** Helpers shared by the governance tests (not imported by the product). */
import { PNG } from 'pngjs';
import type { TestApp } from '../../../test/support/app.js';

/** A real 4×4 PNG, so photo uploads pass the image-signature check. */
export function tinyPng(): Buffer {
  const png = new PNG({ width: 4, height: 4 });
  png.data.fill(200);
  return PNG.sync.write(png);
}

export async function uploadPhoto(t: TestApp, as: string, bytes: Buffer, type = 'image/png') {
  return t.app.inject({
    method: 'POST', url: '/api/v1/governance/photos', payload: bytes,
    headers: { authorization: `Bearer ${await t.token(as)}`, 'content-type': type },
  });
}

/** Takes a life-cycle step with the event's current version and expects success. */
export async function step(t: TestApp, as: string, id: string, action: string, body: Record<string, unknown> = {}) {
  const current = await t.call('GET', `/api/v1/governance/events/${id}`, { as });
  const version = current.statusCode === 200 ? current.json().version : (await t.call('GET', `/api/v1/governance/events/${id}`, { as: 'admin' })).json().version;
  return t.call('POST', `/api/v1/governance/events/${id}/${action}`, { as, body: { version, ...body } });
}
