/** HTTP for the grid tree: add, move, merge, split, import (CSV/GeoJSON), history, grid worker assignments. */
import type { HttpServer } from '../../platform/http/server.js';
import type { GovernanceService } from './service.js';
import * as S from './schemas.js';
import { rowsFromCsv, rowsFromGeoJson } from './tree-import.js';

const BASE = '/api/v1/governance';
const tags = ['governance'];

export async function governanceTreeRoutes(app: HttpServer, { governance }: { governance: GovernanceService }) {
  const { tree } = governance;

  app.post(`${BASE}/tree/units`, {
    schema: { tags, summary: 'Add a grid, building or household (officials of the region)', body: S.UnitBody, response: { 201: S.UnitCreated } },
  }, async (req, reply) => reply.status(201).send({ code: await tree.addUnit(req.actor, req.body) }));

  app.post(`${BASE}/tree/move`, {
    schema: { tags, summary: 'Move a unit and everything below it under a new parent (new codes; history kept)', body: S.MoveBody, response: { 200: S.CodeMap } },
  }, async (req) => ({ codeMap: await tree.move(req.actor, req.body.code, req.body.newParentCode, req.body.note) }));

  app.post(`${BASE}/tree/merge`, {
    schema: { tags, summary: 'Merge units into a target: their children move under it, the sources retire', body: S.MergeBody, response: { 200: S.CodeMap } },
  }, async (req) => ({ codeMap: await tree.merge(req.actor, req.body.sources, req.body.target, req.body.note) }));

  app.post(`${BASE}/tree/split`, {
    schema: { tags, summary: 'Split a unit into new siblings, each taking the listed children', body: S.SplitBody, response: { 200: S.CodeMap } },
  }, async (req) => ({ codeMap: await tree.split(req.actor, req.body.code, req.body.parts, req.body.note) }));

  app.post(`${BASE}/tree/import`, {
    schema: { tags, summary: 'Import units and area outlines from CSV (code,parent_code,level,name) or a GeoJSON FeatureCollection; all or nothing', body: S.ImportBody, response: { 200: S.ImportResult } },
  }, async (req) => {
    const rows = req.body.format === 'csv' ? rowsFromCsv(req.body.content) : rowsFromGeoJson(req.body.content);
    return tree.importUnits(req.actor, rows, req.body.within);
  });

  app.get(`${BASE}/tree/history`, {
    schema: { tags, summary: 'Changes to the tree at or below a code, newest first', querystring: S.HistoryQuery, response: { 200: S.HistoryList } },
  }, async (req) => ({
    items: (await tree.history(req.actor, req.query.code, req.query.limit ?? 50)).map((h) => ({
      id: h.id, action: h.action, codeMap: h.code_map, note: h.note, actorUserId: h.actor_user_id, at: new Date(h.at).toISOString(),
    })),
  }));

  app.get(`${BASE}/grids/:code/workers`, {
    schema: { tags, summary: 'Grid workers assigned to a grid', params: S.GridParams, response: { 200: S.WorkerList } },
  }, async (req) => ({
    items: (await tree.workers(req.actor, req.params.code)).map((w) => ({ userId: w.user_id, gridCode: w.grid_code, assignedAt: w.assigned_at.toISOString() })),
  }));

  app.post(`${BASE}/grids/:code/workers`, {
    schema: { tags, summary: 'Assign a grid worker to a grid', params: S.GridParams, body: S.WorkerBody, response: { 201: S.WorkerList } },
  }, async (req, reply) => {
    await tree.assign(req.actor, req.params.code, req.body.username);
    const items = (await tree.workers(req.actor, req.params.code)).map((w) => ({ userId: w.user_id, gridCode: w.grid_code, assignedAt: w.assigned_at.toISOString() }));
    return reply.status(201).send({ items });
  });

  app.delete(`${BASE}/grids/:code/workers/:username`, {
    schema: { tags, summary: 'End a grid worker\'s assignment', params: S.WorkerParams, response: { 204: { type: 'null' } } },
  }, async (req, reply) => {
    await tree.unassign(req.actor, req.params.code, req.params.username);
    return reply.status(204).send(null);
  });
}
