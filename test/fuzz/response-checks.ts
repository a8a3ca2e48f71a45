/**
 * What no response may ever contain, whatever was sent: a 5xx, a stack trace, SQL or driver text,
 * an error outside the contract's shape, or another person's unmasked resident ID.
 */
export interface SeenResponse { statusCode: number; body: string; headers: Record<string, unknown> }

const STACK = /\bat (?:async )?[\w$.<>]+ \(?[^\s)]*\.(?:ts|js|mjs|cjs):\d+/;
const SQL = [
  /\bSELECT\b[\s\S]{1,200}\bFROM\b/i, /\bINSERT INTO\b/i, /\bUPDATE\b[\s\S]{1,100}\bSET\b/i, /\bDELETE FROM\b/i,
  /syntax error at or near/i, /violates (?:unique|foreign key|check|not-null) constraint/i, /duplicate key value/i,
  /relation "[^"]+" does not exist/i, /column "[^"]+" (?:does not exist|of relation)/i, /invalid input syntax for type/i,
  /\bpg_[a-z_]+\(/, /ECONNREFUSED|ETIMEDOUT|node_modules/,
];

export function problemsWith(res: SeenResponse, url: string, foreignResidentIds: string[]): string[] {
  const problems: string[] = [];
  if (res.statusCode >= 500) problems.push(`status ${res.statusCode}`);
  if (STACK.test(res.body)) problems.push('a stack trace in the body');
  for (const re of SQL) if (re.test(res.body)) problems.push(`SQL or driver text in the body (${re})`);
  const isApi = url.startsWith('/api/');
  if (isApi && res.statusCode >= 400) {
    const shapeProblem = errorShapeProblem(res.body);
    if (shapeProblem) problems.push(`error body not in the contract's shape: ${shapeProblem}`);
  }
  for (const id of foreignResidentIds) {
    if (res.body.includes(id)) problems.push(`another person's unmasked resident ID ${id.slice(0, 6)}… in the body`);
  }
  return problems;
}

function errorShapeProblem(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'not JSON';
  }
  if (!parsed || typeof parsed !== 'object' || Object.keys(parsed).join() !== 'error') return 'top level must be exactly { error }';
  const e = (parsed as { error: Record<string, unknown> }).error;
  if (!e || typeof e !== 'object') return 'error is not an object';
  if (typeof e.code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(e.code)) return 'error.code missing or not UPPER_SNAKE';
  if (typeof e.message !== 'string' || e.message.length === 0) return 'error.message missing';
  const extra = Object.keys(e).filter((k) => !['code', 'message', 'details'].includes(k));
  if (extra.length) return `unexpected error fields ${extra.join(', ')}`;
  if (e.details !== undefined && !Array.isArray(e.details)) return 'error.details is not an array';
  return undefined;
}
