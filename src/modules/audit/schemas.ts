/** Response shapes of the audit API that the web UI reads (shared with web/ as types). */
import { Type } from 'typebox';
import { Obj, Page } from '../../platform/http/schemas.js';

/** One line of a person's own data-access log: who read their data, when, why. */
export const DataAccessItem = Obj({
  id: Type.String(), accessedAt: Type.String(), actor: Type.String(), department: Type.Union([Type.String(), Type.Null()]),
  node: Type.String(), purpose: Type.String(), fields: Type.Array(Type.String()),
});
export const DataAccessPage = Page(DataAccessItem);
