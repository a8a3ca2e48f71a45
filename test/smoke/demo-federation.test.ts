/**
 * `npm run demo:federation -- --walkthrough --exit` as a new user runs it: two nodes on embedded
 * databases in a fresh data directory, trust set up by URL and pinned fingerprint, then the
 * issue's story over HTTP — citizen2 (李四) of 上海 applies through the 浙江 counter and gets the
 * result; 浙江's query of his 户籍 data shows in his data-access log on 上海.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-demo-federation-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('npm run demo:federation', () => {
  it('starts zj and sh trusting each other and plays the 跨省通办 walkthrough to the end', { timeout: 240_000 }, async () => {
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'scripts/demo-federation.ts', '--walkthrough', '--exit'], {
        cwd: root, timeout: 230_000,
        // Port 0: any free ports, so the test never collides with a demo someone is running.
        env: { ...env, TONGBAN_DATA_DIR: dataDir, TONGBAN_DEMO_PORTS: '0,0', LOG_LEVEL: 'silent' },
      }, (err, out, errOut) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout: out, stderr: errOut }));
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const zj = /zj 浙江省 {2}(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    const sh = /sh 上海市 {2}(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    expect(zj && sh && zj !== sh).toBe(true);
    // Each node's data lives in its own directory under the one given.
    expect(fs.readdirSync(dataDir).sort()).toEqual(['sh', 'zj']);
    // The case went to 上海, was decided there, and the result came back to 李四 at 浙江.
    expect(stdout).toMatch(/2\. 上海 \(official2\) finds application [0-9a-f-]{36} \(户口迁移（跨省迁入）, submitted\)/);
    expect(stdout).toContain(`3. 李四 at ${zj} sees: approved (准予办理`);
    expect(stdout).toMatch(/timeline: zj:accepted at the counter → .*sh:decided: approved/);
    // Only the approved fields answer the query (birthDate was asked for, not approved) …
    expect(stdout).toContain('answer: {"name":"李四","regionCode":"310101"}');
    // … and 李四 sees on 上海 who read what, from which node, and why.
    expect(stdout).toContain('5. 李四\'s data-access log on 上海: 西湖区行政审批局 from node zj read hj.basic.name, hj.basic.regionCode for "异地代收代办身份核验"');
  });
});
