/** Request and response shapes of the material library API. */
import { Type } from 'typebox';
import { DateString, Nullable, Obj, Uuid } from '../../platform/http/schemas.js';

export const UploadBody = Obj({
  materialType: Type.String({ minLength: 1, maxLength: 40 }),
  title: Type.String({ minLength: 1, maxLength: 100 }),
  producedOn: Type.Optional(DateString),
  contentBase64: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', description: 'File content, base64' })),
  data: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Boolean()]), { maxProperties: 30, description: 'Form data (an address, an account)' })),
  forCompany: Type.Optional(Type.Boolean({ description: 'Into your company\'s library (company agents)' })),
  onBehalfOf: Type.Optional(Type.String({ format: 'uuid', description: '代办: into the library of the person who authorised me, for the matter named by matterCode' })),
  matterCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'With onBehalfOf: the matter the upload is for (the authorisation must cover it)' })),
});

export const MaterialView = Obj({
  id: Uuid, materialType: Type.String(), kind: Type.Union([Type.Literal('file'), Type.Literal('form')]), title: Type.String(),
  contentHash: Type.String({ description: 'SM3 of the content (canonical JSON for form data)' }), mediaType: Nullable(Type.String()),
  sizeBytes: Type.Integer(), data: Nullable(Type.Object({}, { additionalProperties: true })), producedOn: Type.String(), createdAt: Type.String(),
});
export const LibraryQuery = Obj({ materialType: Type.Optional(Type.String({ maxLength: 40 })), forCompany: Type.Optional(Type.Boolean()) });
export const MaterialList = Obj({ items: Type.Array(MaterialView) });

export const HeldLicence = Obj({
  licenceId: Type.String(), typeName: Type.String(), typeCode: Type.Optional(Type.String()), status: Type.String(),
  issuedOn: Type.String(), validUntil: Nullable(Type.String()),
});
export const LicenceList = Obj({ available: Type.Boolean({ description: 'False while e-licences are not wired on this node' }), items: Type.Array(HeldLicence) });

export const MaterialTypeList = Obj({
  items: Type.Array(Obj({
    code: Type.String(), name: Type.String(), kind: Type.String(), mediaTypes: Type.Array(Type.String()), maxBytes: Type.Integer(),
  })),
});
