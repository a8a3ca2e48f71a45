/**
 * Operator commands: `npm run tongban -- audit verify` recomputes the audit chain and exits 1
 * naming the first broken entry; `audit sign` signs the current head.
 */
import { ConfigError, loadConfig } from './platform/config.js';
import { DatabaseUnavailableError } from './platform/db/database.js';
import { openDatabase, prepareNode } from './node.js';

const USAGE = 'usage: npm run tongban -- audit verify | audit sign';

async function main(args: string[]): Promise<number> {
  const [area, command] = args;
  if (area !== 'audit' || (command !== 'verify' && command !== 'sign')) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = { ...loadConfig(), demo: false };
  const database = await openDatabase(config);
  try {
    const { services } = await prepareNode(config, database);
    if (command === 'sign') {
      const seq = await services.audit.signHead();
      process.stdout.write(seq ? `signed the audit chain head at entry ${seq}\n` : 'the audit log is empty\n');
      return 0;
    }
    const result = await services.audit.verify();
    if (result.ok) {
      process.stdout.write(`audit chain OK: ${result.entries} entries, ${result.signedHeads} signed heads verified\n`);
      return 0;
    }
    process.stdout.write(`audit chain BROKEN at entry ${result.firstBroken!.seq}: ${result.firstBroken!.reason} (${result.entries} entries verified before it)\n`);
    return 1;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
  const message = err instanceof ConfigError || err instanceof DatabaseUnavailableError ? err.message : (err as Error).message;
  process.stderr.write(`tongban: ${message}\n`);
  process.exit(1);
});
