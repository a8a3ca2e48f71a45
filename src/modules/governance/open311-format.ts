/**
 * Open311 GeoReport v2 wire formats: the same data as JSON or XML, with the standard element
 * names (services/service, service_requests/request, errors/error, discovery/endpoints/endpoint),
 * and tongban events mapped to standard request fields. Locations are shown no finer than the
 * building and to about 100 m, because requests are public.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { CategoryRow, EventRow } from './events-repository.js';
import { open311Status, type EventStatus } from './lifecycle.js';
import { buildingOf, unitLevel } from './units.js';

export type Format = 'json' | 'xml';

const builder = new XMLBuilder({ format: true, ignoreAttributes: true, processEntities: true, suppressEmptyNode: false });
const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

type Scalar = string | number | boolean | null | undefined;
type Node = Scalar | Node[] | { [k: string]: Node };

/** XML has no null: an absent value is an empty element. */
function forXml(v: Node): Node {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(forXml);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, forXml(x)]));
  return v;
}

/** A list in JSON is a bare array; in XML it is <root><item/>…</root>. */
export function renderList(format: Format, root: string, item: string, items: Record<string, Node>[]): { type: string; body: string } {
  if (format === 'json') return { type: 'application/json; charset=utf-8', body: JSON.stringify(items) };
  return { type: 'text/xml; charset=utf-8', body: XML_DECLARATION + builder.build({ [root]: { [item]: forXml(items) } }) };
}

export function renderObject(format: Format, root: string, obj: Record<string, Node>): { type: string; body: string } {
  if (format === 'json') return { type: 'application/json; charset=utf-8', body: JSON.stringify(obj) };
  return { type: 'text/xml; charset=utf-8', body: XML_DECLARATION + builder.build({ [root]: forXml(obj) }) };
}

export function renderErrors(format: Format, code: number, description: string) {
  return renderList(format, 'errors', 'error', [{ code, description }]);
}

export function serviceView(c: CategoryRow) {
  return {
    service_code: c.code, service_name: c.name, description: c.description, metadata: false, type: 'realtime',
    keywords: [c.grp, c.urgency].join(','), group: c.grp,
  };
}

const STATUS_NOTES: Record<EventStatus, string> = {
  reported: '已上报 reported', accepted: '已受理 accepted', verified: '已核实 verified', filed: '已立案 filed',
  dispatched: '已派遣 dispatched', handled: '已处置 handled, awaiting check', checked: '已核查 checked',
  closed: '已结案 closed', rated: '已评价 closed and rated', rejected: '不予受理 not accepted', merged: '已合并 merged as a duplicate',
};

const round3 = (n: number | null) => (n === null ? null : Math.round(n * 1000) / 1000);

export function requestView(e: EventRow, categoryName: string) {
  const notes = [STATUS_NOTES[e.status]];
  if (e.merged_into) notes.push(`see request ${e.merged_into}`);
  if (e.rework_count) notes.push(`reworked ${e.rework_count}×`);
  // A household's own code is never published: the building is the finest public address.
  const addressId = unitLevel(e.region_code) === 'household' ? buildingOf(e.region_code)! : e.region_code;
  return {
    service_request_id: e.id, status: open311Status(e.status), status_notes: notes.join('; '),
    // Only text filed through Open311 itself was written to be public; residents' and grid
    // workers' own words (names, rooms, circumstances) are not published.
    service_name: categoryName, service_code: e.category_code, description: e.channel === 'open311' ? e.description : null,
    agency_responsible: e.department, service_notice: null,
    requested_datetime: e.created_at.toISOString(), updated_datetime: e.updated_at.toISOString(),
    expected_datetime: e.resolve_due_at.toISOString(), address: e.address, address_id: addressId, zipcode: null,
    lat: round3(e.lat), long: round3(e.lon), media_url: e.media_url,
  };
}
