/**
 * Property tests of the one access-control decision point: random actors, regions and records;
 * no actor ever reaches a record outside its scope, and every in-scope actor does.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { accessBasis, authorize, PERMISSIONS, ROLES, requirePermission, type Actor, type Permission, type Role, type ScopedResource } from './policy.js';
import { isWithinRegion, scopePrefix } from './region-scope.js';
import { AppError } from '../errors.js';

const RUNS = 1000;
const NOW = new Date('2026-11-29T12:00:00Z');

// A small universe so that random actors and records often collide.
const regions = ['330000', '330100', '330106', '330106002', '330106002051', '330106002051G01', '330106002051G01B01', '330106002051G01B01H0101', '330102', '310000', '310101', '310101001'];
const persons = ['p1', 'p2', 'p3', 'p4'];
const companies = ['c1', 'c2'];
const matters = ['M1', 'M2', 'M3'];
const departments = ['审批局', '市场监管局'];
const permissions = Object.keys(PERMISSIONS) as Permission[];

const grantArb = fc.record({
  grantId: fc.uuid(),
  grantorPersonId: fc.constantFrom(...persons),
  matters: fc.oneof(fc.constant<string[]>(['*']), fc.subarray(matters, { minLength: 1 })),
  expiresAt: fc.constantFrom(new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')),
});

const actorArb: fc.Arbitrary<Actor> = fc.record({
  userId: fc.uuid(),
  username: fc.string(),
  roles: fc.subarray([...ROLES] as Role[], { minLength: 0, maxLength: 3 }),
  personId: fc.option(fc.constantFrom(...persons), { nil: undefined }),
  companyId: fc.option(fc.constantFrom(...companies), { nil: undefined }),
  regionCode: fc.option(fc.constantFrom(...regions), { nil: undefined }),
  department: fc.option(fc.constantFrom(...departments), { nil: undefined }),
  assuranceLevel: fc.constantFrom(1 as const, 2 as const),
  grants: fc.array(grantArb, { maxLength: 3 }),
  label: fc.constant('x'),
});

const resourceArb: fc.Arbitrary<ScopedResource> = fc.record({
  ownerPersonId: fc.option(fc.constantFrom(...persons), { nil: null }),
  ownerCompanyId: fc.option(fc.constantFrom(...companies), { nil: null }),
  regionCode: fc.option(fc.constantFrom(...regions), { nil: null }),
  department: fc.option(fc.constantFrom(...departments), { nil: null }),
  matterCode: fc.option(fc.constantFrom(...matters), { nil: null }),
});

const requestArb = fc.record({
  permission: fc.option(fc.constantFrom(...permissions), { nil: undefined }),
  sameDepartment: fc.boolean(),
  allowAgent: fc.boolean(),
});

/** The rules as a specification, written independently of the implementation's control flow. */
function inScope(a: Actor, r: ScopedResource, req: { permission?: Permission; sameDepartment: boolean; allowAgent: boolean }): boolean {
  const admin = a.roles.includes('admin');
  const self = !!r.ownerPersonId && a.personId === r.ownerPersonId;
  const company = !!r.ownerCompanyId && a.companyId === r.ownerCompanyId && a.roles.includes('company_agent');
  const agent = req.allowAgent && !!r.ownerPersonId && a.grants.some((g) =>
    g.grantorPersonId === r.ownerPersonId && g.expiresAt > NOW && (g.matters.includes('*') || (!!r.matterCode && g.matters.includes(r.matterCode))));
  const roleOk = !!req.permission && a.roles.some((role) => (PERMISSIONS[req.permission!] as readonly string[]).includes(role));
  const regionOk = !!r.regionCode && !!a.regionCode && scopePrefix(r.regionCode).startsWith(scopePrefix(a.regionCode));
  const deptOk = !req.sameDepartment || !r.department || a.department === r.department;
  return admin || self || company || agent || (roleOk && regionOk && deptOk);
}

describe('access decision point', () => {
  it('property: an actor reaches a record exactly when one rule puts it in scope', () => {
    fc.assert(fc.property(actorArb, resourceArb, requestArb, (actor, resource, req) => {
      const basis = accessBasis(actor, resource, { ...req, now: NOW });
      expect(basis !== null).toBe(inScope(actor, resource, req));
    }), { numRuns: RUNS });
  });

  it('property: an official never reaches a record of a region outside their own', () => {
    fc.assert(fc.property(actorArb, resourceArb, requestArb, (actor, resource, req) => {
      const basis = accessBasis(actor, resource, { ...req, now: NOW });
      if (basis === 'region') {
        expect(isWithinRegion(resource.regionCode, actor.regionCode)).toBe(true);
        expect(actor.roles.some((r) => (PERMISSIONS[req.permission!] as readonly string[]).includes(r))).toBe(true);
      }
    }), { numRuns: RUNS });
  });

  it('property: an expired grant or one for other matters never gives access', () => {
    fc.assert(fc.property(actorArb, resourceArb, (actor, resource) => {
      const stripped = { ...actor, roles: actor.roles.filter((r) => r !== 'admin'), grants: actor.grants.map((g) => ({ ...g, expiresAt: new Date('2026-01-01T00:00:00Z') })) };
      const basis = accessBasis(stripped, resource, { now: NOW });
      expect(basis === 'agent').toBe(false);
    }), { numRuns: RUNS });
  });

  it('property: out-of-scope records are 404, never 403, so their existence does not leak', () => {
    fc.assert(fc.property(actorArb, resourceArb, requestArb, (actor, resource, req) => {
      try {
        authorize(actor, resource, { ...req, now: NOW });
      } catch (err) {
        expect((err as AppError).code).toBe('NOT_FOUND');
      }
    }), { numRuns: RUNS });
  });

  it('refuses a missing actor with 401 and a role without the permission with 403', () => {
    expect(() => authorize(undefined, {})).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
    const citizen: Actor = { userId: 'u', username: 'c', roles: ['citizen'], assuranceLevel: 2, grants: [], label: 'c' };
    expect(() => requirePermission(citizen, 'licence:issue')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });
});

describe('region scope', () => {
  it.each([
    ['330106', '330000', true], ['330106', '330100', true], ['330106002051', '330106', true],
    ['330106002051G01B01H0101', '330106002051G01', true], ['330102', '330106', false],
    ['310101', '330000', false], ['330106', '330106002', false], ['330106002051G02', '330106002051G01', false],
  ])('%s within %s is %s', (code, scope, expected) => {
    expect(isWithinRegion(code, scope)).toBe(expected);
  });

  it('property: scope is transitive along the region chain', () => {
    fc.assert(fc.property(fc.constantFrom(...regions), fc.constantFrom(...regions), fc.constantFrom(...regions), (a, b, c) => {
      if (isWithinRegion(a, b) && isWithinRegion(b, c)) expect(isWithinRegion(a, c)).toBe(true);
    }), { numRuns: RUNS });
  });
});
