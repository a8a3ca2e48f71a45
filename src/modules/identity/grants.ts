/**
 * 代办 grants: a person lets a relative act for them (online), or an official records that at a
 * counter. A grant names its matters, purpose and expiry; creating or revoking it is announced
 * to every process's identity cache before it answers, so the very next request anywhere
 * honours it.
 */
import type { Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { authorize, requirePermission, type Actor } from '../../platform/access/policy.js';
import type { AuditService } from '../audit/service.js';
import type { GrantRow, IdentityRepository } from './repository.js';
import { userKey, type IdentityCache } from './identity-cache.js';

export interface GrantView {
  id: string; grantorPersonId: string; grantorName: string; grantorIdMasked: string; granteeUserId: string; granteeName: string;
  relationship: string; matters: string[]; purpose: string; consentStatement: string; consentChannel: 'online' | 'counter'; consentedAt: string;
  expiresAt: string; revokedAt: string | null; active: boolean; version: number;
}

export class AgentGrants {
  constructor(
    private readonly db: Executor,
    private readonly repo: IdentityRepository,
    private readonly audit: AuditService,
    private readonly cache: IdentityCache,
  ) {}

  /** A grant as its two parties see it: the relative sees whom they may act for (name, masked id). */
  private grantView(g: GrantRow, granteeName: string, grantor: { name: string; residentIdMasked: string } | undefined): GrantView {
    return {
      id: g.id, grantorPersonId: g.grantor_person_id, grantorName: grantor?.name ?? '', grantorIdMasked: grantor?.residentIdMasked ?? '',
      granteeUserId: g.grantee_user_id, granteeName,
      relationship: g.relationship, matters: g.matters, purpose: g.purpose, consentStatement: g.consent_statement,
      consentChannel: g.consent_channel, consentedAt: g.consented_at.toISOString(), expiresAt: g.expires_at.toISOString(),
      revokedAt: g.revoked_at?.toISOString() ?? null, active: !g.revoked_at && g.expires_at > new Date(), version: g.version,
    };
  }

  /**
   * Records a person's consent to let `granteeUsername` act for them. The person grants it
   * online; at a counter an official records it for a person of their region.
   */
  async createGrant(actor: Actor | undefined, input: {
    grantorPersonId?: string; granteeUsername: string; relationship: string; matters: string[];
    purpose: string; expiresAt: string; consent: boolean;
  }): Promise<GrantView> {
    const a = input.grantorPersonId && input.grantorPersonId !== actor?.personId
      ? requirePermission(actor, 'person:verify')
      : (actor ?? (() => { throw new AppError('UNAUTHENTICATED'); })());
    const grantorId = input.grantorPersonId ?? a.personId;
    if (!grantorId) throw new AppError('FORBIDDEN', 'Only a person can authorise someone to act for them');
    const grantor = await this.repo.personById(this.db, grantorId);
    const channel = grantorId === a.personId ? 'online' : 'counter';
    if (channel === 'counter') authorize(a, { regionCode: grantor?.region_code }, { permission: 'person:verify', allowAgent: false });
    if (!grantor) throw new AppError('NOT_FOUND');
    if (!input.consent) throw new AppError('GRANT_INVALID', 'The person must explicitly consent to the authorisation');
    const expires = new Date(input.expiresAt);
    if (!(expires > new Date())) throw new AppError('GRANT_INVALID', 'The expiry must be in the future', [{ path: '$.expiresAt', message: 'must be in the future' }]);
    if (expires.getTime() - Date.now() > 366 * 86400_000) throw new AppError('GRANT_INVALID', 'An authorisation can last at most one year', [{ path: '$.expiresAt', message: 'at most one year ahead' }]);
    const grantee = await this.repo.userByUsername(this.db, input.granteeUsername);
    if (!grantee || grantee.status !== 'active') throw new AppError('GRANT_INVALID', 'No active account with that username', [{ path: '$.granteeUsername', message: 'unknown user' }]);
    if (grantee.person_id === grantorId) throw new AppError('GRANT_INVALID', 'You cannot authorise yourself');
    const statement = `${grantor.name} 授权 ${grantee.display_name}（${input.relationship}）代为办理：${input.matters.includes('*') ? '全部事项' : input.matters.join('、')}；用途：${input.purpose}；有效期至 ${expires.toISOString().slice(0, 10)}`;
    return this.cache.announcing(this.db, [userKey(grantee.id)], async (trx) => {
      const g = await this.repo.insertGrant(trx, {
        grantor_person_id: grantorId, grantee_user_id: grantee.id, relationship: input.relationship,
        matters: input.matters, purpose: input.purpose, consent_statement: statement, consent_channel: channel,
        recorded_by: a.userId, expires_at: expires,
      });
      await this.audit.append({ actor: a.userId, action: 'agent-grant.create', entityType: 'agent-grant', entityId: g.id, detail: { grantor: grantorId, grantee: grantee.id, matters: input.matters, channel } }, trx);
      return this.grantView(g, grantee.display_name, { name: grantor.name, residentIdMasked: grantor.resident_id_masked });
    });
  }

  async myGrants(actor: Actor): Promise<{ given: GrantView[]; received: GrantView[] }> {
    const given = actor.personId ? await this.repo.grantsByGrantor(this.db, actor.personId) : [];
    const received = await this.repo.activeGrantsForGrantee(this.db, actor.userId);
    const [names, grantors] = await Promise.all([
      this.repo.displayNames(this.db, given.map((g) => g.grantee_user_id)),
      this.repo.personLabels(this.db, [...given, ...received].map((g) => g.grantor_person_id)),
    ]);
    return {
      given: given.map((g) => this.grantView(g, names.get(g.grantee_user_id) ?? '', grantors.get(g.grantor_person_id))),
      received: received.map((g) => this.grantView(g, actor.label, grantors.get(g.grantor_person_id))),
    };
  }

  /** Only the person who gave a grant may revoke it; it ends at once. */
  async revokeGrant(actor: Actor, grantId: string, version: number): Promise<GrantView> {
    const g = await this.repo.grantById(this.db, grantId);
    if (!g || g.grantor_person_id !== actor.personId) throw new AppError('NOT_FOUND');
    return this.cache.announcing(this.db, [userKey(g.grantee_user_id)], async (trx) => {
      const revoked = await this.repo.revokeGrant(trx, grantId, version);
      if (!revoked) throw new AppError(g.revoked_at ? 'INVALID_TRANSITION' : 'CONFLICT', g.revoked_at ? 'This authorisation is already revoked' : undefined);
      await this.audit.append({ actor: actor.userId, action: 'agent-grant.revoke', entityType: 'agent-grant', entityId: grantId }, trx);
      const grantor = (await this.repo.personLabels(trx, [revoked.grantor_person_id])).get(revoked.grantor_person_id);
      return this.grantView(revoked, (await this.repo.userById(trx, revoked.grantee_user_id))?.display_name ?? '', grantor);
    });
  }
}
