/**
 * The one error catalogue. Every non-2xx response under /api carries
 * {"error":{"code","message","details"?}} with a code from this table; modules add their
 * business-rule codes (422) here so that clients and the web UI can rely on one list.
 */
export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid' },
  UNAUTHENTICATED: { status: 401, message: 'Sign in first: the request has no valid token' },
  AUTH_INVALID_CREDENTIALS: { status: 401, message: 'The username or password is wrong' },
  FORBIDDEN: { status: 403, message: 'Your role does not allow this action' },
  CONSENT_REQUIRED: { status: 403, message: "The person's consent for this purpose is required" },
  NOT_FOUND: { status: 404, message: 'Not found' },
  CONFLICT: { status: 409, message: 'The record was changed by someone else; reload and try again' },
  DUPLICATE: { status: 409, message: 'A record with this identity already exists' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as application/json' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; wait a moment and try again' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side; the request was not applied' },
  INTEGRITY_FAILED: { status: 500, message: 'A stored file no longer matches its recorded digest and was not served' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'The service is temporarily unavailable; try again shortly' },

  // 422: a business rule refused the request.
  IDENTIFIER_INVALID: { status: 422, message: 'The identifier is not valid' },
  INVALID_TRANSITION: { status: 422, message: 'This action is not allowed in the current state' },
  ASSURANCE_TOO_LOW: { status: 422, message: 'This needs a real-name verified identity (level L2)' },
  GRANT_INVALID: { status: 422, message: 'The authorisation cannot be granted' },
  MATTER_RETIRED: { status: 422, message: 'The matter has been withdrawn from the catalogue and takes no new applications' },
  MATERIAL_EXPIRED: { status: 422, message: 'The material is older than this matter accepts' },
  MATERIAL_INVALID: { status: 422, message: 'The material is not of the required type' },
  MATERIAL_MISSING: { status: 422, message: 'A required material is missing' },
  JOINT_DISCIPLINE: { status: 422, message: 'The applicant is on a discipline list that restricts this' },
  LICENCE_INVALID: { status: 422, message: 'The licence cannot be used' },
  RESULT_LICENCE_FAILED: { status: 422, message: "The approval's result licence cannot be issued; nothing was changed" },
  KEY_INVALID: { status: 422, message: 'The key cannot be used' },
  PRESENTATION_INVALID: { status: 422, message: 'This QR code is not a valid licence presentation (forged, damaged or unknown)' },
  PRESENTATION_EXPIRED: { status: 422, message: 'This QR code has expired; ask the holder to show the licence again' },
  DRAW_STATE: { status: 422, message: 'The draw is not in a state that allows this' },
  NOT_ENOUGH_INSPECTORS: { status: 422, message: 'Not enough eligible inspectors for the draw' },
  REGION_OUT_OF_SCOPE: { status: 422, message: 'The region is outside your scope' },
  RULE_VIOLATION: { status: 422, message: 'A business rule refused the request' },
  EXCHANGE_SIGNATURE_INVALID: { status: 401, message: 'The envelope signature does not verify with a trusted key of its sender' },
  EXCHANGE_SENDER_UNKNOWN: { status: 403, message: 'The sending node is not a trusted peer' },
  EXCHANGE_SERVICE_DENIED: { status: 403, message: 'The sending node may not call this service' },
  EXCHANGE_MESSAGE_ID_REUSED: { status: 409, message: 'The message id was already used for a different message' },
  EXCHANGE_CLOCK_SKEW: { status: 422, message: "The envelope timestamp is too far from the receiver's clock" },
  EXCHANGE_WRONG_RECEIVER: { status: 422, message: 'The envelope is addressed to another node' },
  EXCHANGE_BATCH_MEMBER_INVALID: { status: 422, message: 'A batch member does not belong to its batch (sender, receiver or digest differ from the signed header)' },
  EXCHANGE_PEER_REFUSED: { status: 422, message: 'The other node refused the request' },
  DATA_ACCESS_NOT_APPROVED: { status: 403, message: 'No approval covers this query (resource, fields, purpose or expiry)' },
  LOCATION_OUT_OF_AREA: { status: 422, message: 'The location is outside the area this node serves' },
  UNIT_UNKNOWN: { status: 422, message: 'No such grid, building or household' },
  CATEGORY_UNKNOWN: { status: 422, message: 'No such event category' },
  PHOTO_INVALID: { status: 422, message: 'The upload is not a JPEG, PNG or WebP image' },
  STATISTICS_TOO_FINE: { status: 422, message: 'Statistics at this level would single out a household' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface ErrorDetail {
  /** JSON path of the offending field, e.g. `$.holder.id`. */
  path?: string;
  /** Where the field is: body, querystring, params or headers. */
  in?: string;
  message: string;
  [key: string]: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: ErrorDetail[];

  constructor(code: ErrorCode, message?: string, details?: ErrorDetail[]) {
    super(message ?? ERROR_CATALOGUE[code].message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.details = details;
  }
}

export const notFound = (what = 'Not found') => new AppError('NOT_FOUND', what);
export const conflict = (message?: string) => new AppError('CONFLICT', message);
export const invalid = (message: string, details?: ErrorDetail[]) =>
  new AppError('VALIDATION_FAILED', message, details);
