/**
 * What the materials module needs from modules built elsewhere. The lead wires real adapters in
 * app.ts; until then the e-licence path is simply unavailable and uploaded materials work alone.
 */

/** Whose library or wallet: a person, or a company (acted for by its agent). */
export type Holder = { personId: string; companyId?: undefined } | { companyId: string; personId?: undefined };

/** An e-licence (电子证照) the holder has, as far as using it in place of a material goes. */
export interface HeldLicence {
  licenceId: string;
  /** The licence type's name (居民身份证, 社会保障卡, 营业执照 …), matched against a matter's `licenceTypes`. */
  typeName: string;
  typeCode?: string;
  /** Status code per the national interfaces: '01' valid; anything else cannot be used. */
  status: string;
  issuedOn: string;
  validUntil: string | null;
}

/** The e-licence wallet (module `licences`). */
export interface LicenceWallet {
  listHolderLicences(holder: Holder): Promise<HeldLicence[]>;
}
