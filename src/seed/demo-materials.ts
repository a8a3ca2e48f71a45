/**
 * Demo material library: citizen1 (张三) gave an ID-card scan, an address and an ID photo on
 * earlier applications, so the next one can reuse them. The photo is 400 days old: fresh enough
 * for a 3-year limit (社保卡) but not for the 1-year exit-entry limit (护照), which shows
 * MATERIAL_EXPIRED and "provide afresh". Dates are relative to the day the demo is loaded.
 */
import { PNG } from 'pngjs';
import type { Executor } from '../platform/db/database.js';
import type { Services } from '../app.js';
import { chinaDate } from '../platform/calendar/working-days.js';

/** A small, real PNG (a plain card shape), so the type check sees an image. */
export function demoPng(shade: number, width = 48, height = 64): Buffer {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([shade, 180, 255 - shade, 255], i * 4);
  return PNG.sync.write(png);
}

export const daysAgo = (n: number) => new Date(Date.parse(`${chinaDate()}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

export async function seedMaterialsDemo(services: Services, db: Executor): Promise<void> {
  const user = await db.selectFrom('users').select(['id', 'person_id']).where('username', '=', 'citizen1').executeTakeFirstOrThrow();
  const holder = { personId: user.person_id as string };
  const store = (input: Parameters<Services['materials']['store']>[1]) => services.materials.store(holder, input, user.id, db);
  await store({ materialType: 'id-card-scan', title: '居民身份证正反面扫描件', producedOn: daysAgo(700), contentBase64: demoPng(40).toString('base64') });
  await store({ materialType: 'form-address', title: '常住地址', producedOn: daysAgo(30), data: { province: '浙江省', city: '杭州市', district: '西湖区', street: '北山街道', detail: '保俶路12号1幢0201室', postcode: '310007' } });
  await store({ materialType: 'id-photo', title: '二寸证件照', producedOn: daysAgo(400), contentBase64: demoPng(200, 33, 48).toString('base64') });
}
