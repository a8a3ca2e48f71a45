// English must be complete: every key in the Chinese resource exists in English and vice versa
// (plural suffixes aside: Chinese has only "_other", English also "_one"), and every literal key
// the code asks for exists.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/platform/errors.js';

type Tree = { [key: string]: string | Tree };

const webSrc = fileURLToPath(new URL('../../web/src', import.meta.url));

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`.replace(/_(zero|one|two|few|many|other)$/, '')] : keys(value, `${prefix}${key}.`),
  );
}

const load = (name: string) => JSON.parse(readFileSync(join(webSrc, 'i18n', `${name}.json`), 'utf8')) as Tree;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

// The officials' consoles keep their strings in files of their own, merged into the same
// resources (web/src/i18n/index.ts): they must not reuse a top-level key of the main files, or the
// merge would silently replace a whole branch.
const CONSOLES = { 'zh-CN': 'consoles.zh-CN', en: 'consoles.en' } as const;

describe('web UI translations', () => {
  const zh = new Set([...keys(load('zh-CN')), ...keys(load(CONSOLES['zh-CN']))]);
  const en = new Set([...keys(load('en')), ...keys(load(CONSOLES.en))]);

  it('the consoles\' files add branches of their own and are complete in both languages', () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const main = Object.keys(load(lang));
      expect(Object.keys(load(CONSOLES[lang])).filter((k) => main.includes(k))).toEqual([]);
    }
    const consolesZh = new Set(keys(load(CONSOLES['zh-CN'])));
    const consolesEn = new Set(keys(load(CONSOLES.en)));
    expect([...consolesZh].filter((k) => !consolesEn.has(k))).toEqual([]);
    expect([...consolesEn].filter((k) => !consolesZh.has(k))).toEqual([]);
  });

  it('zh-CN and en have the same keys', () => {
    expect([...zh].filter((k) => !en.has(k))).toEqual([]);
    expect([...en].filter((k) => !zh.has(k))).toEqual([]);
  });

  it('every literal key the code uses exists', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(webSrc)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*'([\w.]+)'|labelKey: '([\w.]+)'/g)) used.add((match[1] ?? match[2])!);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !zh.has(k))).toEqual([]);
  });

  // Without its own wording a code falls back to the server's English message, so a person using
  // the Chinese UI would read English: every code the one error catalogue can send has both.
  it('every error code of the catalogue has a title and what to do, in both languages', () => {
    const codes = Object.keys(ERROR_CATALOGUE);
    expect(codes.length).toBeGreaterThan(40);
    for (const lang of ['zh-CN', 'en'] as const) {
      const errors = load(lang).errors as Tree;
      const missing = codes.filter((code) => {
        const entry = errors[code];
        return typeof entry !== 'object' || !entry.title || !entry.todo;
      });
      expect(missing, lang).toEqual([]);
    }
  });
});
